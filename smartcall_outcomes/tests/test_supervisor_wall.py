# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

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
        self.assertTrue(all(session.id in m["session_ids"] for m in messages))

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
