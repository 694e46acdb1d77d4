# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
from contextlib import contextmanager

from odoo.tests import tagged

from .common import SmartcallOutcomesCommon


@tagged("post_install", "-at_install")
class TestSupervisorWall(SmartcallOutcomesCommon):
    def _wall_messages(self):
        self.env.cr.precommit.run()  # the bus writes its rows at commit
        group = self.env.ref("smartcall_campaign.group_supervisor")
        rows = self.env["bus.bus"].sudo().search([("message", "like", "smartcall.wall/updated")])
        channel = [self.env.cr.dbname, "res.groups", group.id]
        return [json.loads(r.message)["payload"] for r in rows if json.loads(r.channel) == channel]

    def test_outcome_and_state_changes_notify_the_supervisors(self):
        self.env["bus.bus"].sudo().search([]).unlink()
        contact = self._make_contact("Wall Srl")
        self._hold(self.operator_1, contact)
        self._confirm(self.operator_1, contact, "NI")
        session = self.env["smartcall.operator.session"].search(
            [("user_id", "=", self.operator_1.id), ("state", "!=", "closed")]
        )
        self.assertEqual(session.last_outcome_id, self.outcome["NI"])
        self.assertEqual(session.last_outcome_color, self.outcome["NI"].color)
        self.assertEqual(session.state, "ready")
        messages = self._wall_messages()
        self.assertTrue(messages)
        self.assertEqual([m for m in messages if session.id not in m["session_ids"]], [])

    def test_pause_asked_during_a_call_notifies_the_supervisors(self):
        """Seed 003, 2: the wall shows who goes to pause after the call."""
        contact = self._make_contact("Wall Pause Srl")
        self._hold(self.operator_1, contact)
        session = self.env["smartcall.operator.session"].search(
            [("user_id", "=", self.operator_1.id), ("state", "!=", "closed")]
        )
        self.env["bus.bus"].sudo().search([]).unlink()
        reason = self.env["smartcall.pause.reason"].search([], limit=1)
        self.env["smartcall.console"].with_user(self.operator_1).pause(reason.id)
        self.assertEqual(session.pending_pause_reason_id, reason)
        self.assertIn(session.id, [i for m in self._wall_messages() for i in m["session_ids"]])
        wall = self.env.ref("smartcall_outcomes.smartcall_supervisor_wall_view_kanban")
        self.assertIn("pending_pause_reason_id", wall.arch)

    def test_wall_is_for_supervisors(self):
        contact = self._make_contact("Wall 2 Srl")
        self._hold(self.operator_1, contact)
        Session = self.env["smartcall.operator.session"]
        action = self.env.ref("smartcall_outcomes.smartcall_supervisor_wall_action")
        domain = [("state", "!=", "closed")]
        self.assertIn(self.operator_1, Session.with_user(self.supervisor).search(domain).user_id)
        self.assertEqual(
            Session.with_user(self.operator_2).search(domain).user_id - self.operator_2,
            self.env["res.users"],
        )
        self.assertEqual(action.res_model, "smartcall.operator.session")
        menu = self.env.ref("smartcall_outcomes.menu_supervisor_wall")
        self.assertEqual(menu.parent_id, self.env.ref("smartcall_campaign.menu_monitoring"))


@tagged("post_install", "-at_install")
class TestSupervisorWallOutcomeMix(SmartcallOutcomesCommon):
    """Seed 001, "Colori degli Esiti": each card shows the mix of the operator's outcomes of the
    day (time frozen at 10:00 in Rome, 09:00 UTC), read from today's calls, not the contacts."""

    def _call(self, user, code, started_at, state="done"):
        return self.env["smartcall.call"].create(
            {
                "user_id": user.id,
                "campaign_id": self.campaign.id,
                "state": state,
                "started_at": started_at,
                "ended_at": started_at if state != "draft" else False,
                "outcome_id": self.outcome[code].id if code else False,
            }
        )

    def _session(self, user):
        contact = self._make_contact(f"Wall mix {user.login}")
        self._hold(user, contact)
        return self.env["smartcall.operator.session"].search(
            [("user_id", "=", user.id), ("state", "!=", "closed")]
        )

    def test_card_shows_todays_outcomes_by_colour(self):
        session_1 = self._session(self.operator_1)
        session_2 = self._session(self.operator_2)
        for started_at in ("2026-03-10 08:00:00", "2026-03-10 08:10:00", "2026-03-10 08:20:00"):
            self._call(self.operator_1, "NI", started_at)
        self._call(self.operator_1, "CALLBK", "2026-03-10 07:00:00")
        # 00:30 in Rome is today even if it is still yesterday in UTC
        self._call(self.operator_1, "CALLBK", "2026-03-09 23:30:00")
        self._call(self.operator_1, "SALEA", "2026-03-10 06:00:00")
        self._call(self.operator_1, "A", "2026-03-10 08:30:00")
        # not in today's mix: yesterday 23:30 in Rome, a call still going, an abandoned one
        self._call(self.operator_1, "NOCOMP", "2026-03-09 22:30:00")
        self._call(self.operator_1, False, "2026-03-10 08:40:00", state="draft")
        self._call(self.operator_1, False, "2026-03-10 08:50:00", state="abandoned")
        # another operator's calls stay on their card
        self._call(self.operator_2, "RIFC", "2026-03-10 08:00:00")
        sessions = (session_1 | session_2).with_user(self.supervisor)
        sessions.invalidate_recordset()
        mix = sessions[0].outcome_mix_today
        # positives first, then recalls, then negatives; each with its catalog colour
        self.assertEqual(
            [(row["code"], row["count"], row["type"]) for row in mix],
            [("SALEA", 1, "T"), ("CALLBK", 2, "R"), ("A", 1, "N"), ("NI", 3, "N")],
        )
        self.assertEqual(
            [row["color"] for row in mix],
            [self.outcome[code].color for code in ("SALEA", "CALLBK", "A", "NI")],
        )
        # the abandoned call counts as a call of the day, not as an outcome
        self.assertEqual(sessions[0].call_count_today, 8)
        self.assertEqual(
            [(row["code"], row["count"]) for row in sessions[1].outcome_mix_today],
            [("RIFC", 1)],
        )
        self.assertEqual(sessions[1].call_count_today, 1)

    def test_mix_is_one_query_on_the_calls_whatever_the_number_of_cards(self):
        sessions = self._session(self.operator_1) | self._session(self.operator_2)
        self._call(self.operator_1, "NI", "2026-03-10 08:00:00")
        self._call(self.operator_2, "N", "2026-03-10 08:00:00")
        self.env["smartcall.outcome"].search([]).mapped("color")  # catalog in cache
        sessions = sessions.with_user(self.supervisor)
        sessions.mapped("user_id")
        self.supervisor.mapped("tz")  # the viewer's time zone, in cache
        sessions.invalidate_recordset(["outcome_mix_today", "call_count_today"])
        queries = []
        with contextmanager(self._patchExecute)(queries):
            self.assertEqual(len(sessions.mapped("outcome_mix_today")), 2)
        self.assertEqual(len(queries), 1, queries)
        self.assertIn('"smartcall_call"', queries[0])
        self.assertNotIn("smartcall_campaign_contact", queries[0])
        self.assertIn('"user_id" IN', queries[0])
        self.assertIn('"started_at" >=', queries[0])
        # the two columns it filters on are one index
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'smartcall_call' "
            "AND indexname = 'smartcall_call_user_started_idx'"
        )
        (indexdef,) = self.env.cr.fetchone()
        self.assertIn("(user_id, started_at)", indexdef)
