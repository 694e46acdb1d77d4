# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import UserError

from .common import SmartcallCampaignCommon


class TestOperatorSession(SmartcallCampaignCommon):
    def test_intervals_and_time_per_state(self):
        Session = self.env["smartcall.operator.session"]
        break_reason = self.env.ref("smartcall_campaign.pause_reason_break")
        with freeze_time("2026-03-02 09:00:00") as frozen:
            session = Session._get_or_open(self.operator_1)
            self.assertEqual(session.state, "paused")
            self.assertEqual(Session._get_or_open(self.operator_1), session)
            frozen.tick(60)
            session._set_state("ready")
            frozen.tick(120)
            session._set_state("in_call")
            frozen.tick(300)
            session._set_state("wrap_up")
            frozen.tick(30)
            session._set_state("paused", break_reason)
            frozen.tick(600)
            totals = session._get_state_totals()
            self.assertEqual(totals, {"ready": 120, "paused": 660, "in_call": 300, "wrap_up": 30})
            self.assertEqual(session._get_seconds_in_state(), 600)
            self.assertEqual(session.pause_reason_id, break_reason)
            session._close()
        self.assertEqual(session.state, "closed")
        self.assertEqual(len(session.interval_ids), 5)
        self.assertFalse(session.interval_ids.filtered(lambda i: not i.ended_at), "all ended")
        self.assertEqual(sum(session.interval_ids.mapped("duration")), 1110)
        self.assertEqual(session.interval_ids[-1].pause_reason_id, break_reason)

    def test_same_state_opens_no_interval(self):
        session = self.env["smartcall.operator.session"]._get_or_open(self.operator_1)
        session._set_state("ready")
        session._set_state("ready")
        self.assertEqual(session.interval_ids.mapped("state"), ["paused", "ready"])

    def test_close_releases_held_contact(self):
        contact = self._make_contact("Held")
        session = self.env["smartcall.operator.session"]._get_or_open(self.operator_1)
        session._set_state("ready")
        self.campaign._claim_next_contact(self.operator_1)
        session._close()
        self.assertEqual(contact.state, "queued")
        self.assertFalse(contact.operator_id)
        self.assertNotEqual(
            self.env["smartcall.operator.session"]._get_or_open(self.operator_1), session
        )

    def test_closed_session_refuses_state(self):
        session = self.env["smartcall.operator.session"]._get_or_open(self.operator_1)
        session._close()
        with self.assertRaisesRegex(UserError, "This session is closed"):
            session._set_state("ready")

    def test_operator_uses_methods_without_write_access(self):
        Session = self.env["smartcall.operator.session"].with_user(self.operator_1)
        session = Session._get_or_open(self.operator_1)
        session.with_user(self.operator_1)._set_state("ready")
        self.assertEqual(session.state, "ready")
