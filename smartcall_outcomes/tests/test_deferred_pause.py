# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common import SmartcallOutcomesCommon


@tagged("post_install", "-at_install")
class TestDeferredPause(SmartcallOutcomesCommon):
    """Pause "in qualsiasi momento" (seed 003, 2): pressed during a call, the call and its
    outcome go on and the operator lands in Pause once the outcome is confirmed (or STOP),
    without the next contact of an automatic campaign."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reason_break = cls.env.ref("smartcall_campaign.pause_reason_break")

    def _in_call(self, user, contact):
        """`user` starts the automatic campaign and gets `contact` (the only one due), then
        the other contacts of the campaign are due again."""
        others = self.env["smartcall.campaign.contact"].search(
            [
                ("campaign_id", "=", contact.campaign_id.id),
                ("state", "=", "queued"),
                ("id", "!=", contact.id),
            ]
        )
        others.write({"state": "new"})
        state = self._console(user).start(contact.campaign_id.id)
        others.write({"state": "queued"})
        self.assertEqual(state["contact"]["id"], contact.id)
        self.assertEqual(state["session"]["state"], "in_call")
        return state

    def _session(self, user):
        return self.env["smartcall.operator.session"].search(
            [("user_id", "=", user.id), ("state", "!=", "closed")]
        )

    def test_confirm_after_pause_lands_in_paused_without_next_contact(self):
        first = self._make_contact("First Srl")
        second = self._make_contact("Second Srl")
        self._in_call(self.operator_1, first)
        console = self._console(self.operator_1)
        console.pause(self.reason_break.id)
        console.hangup(first.id)
        state = self._confirm(self.operator_1, first, "NI")
        self.assertEqual(state["session"]["state"], "paused")
        self.assertEqual(state["session"]["pause_reason_id"], self.reason_break.id)
        self.assertFalse(state["session"]["pending_pause_reason_id"])
        self.assertIsNone(state["contact"], "no next contact in Pause")
        self.assertEqual((second.state, second.operator_id.id), ("queued", False))
        self.assertEqual(first.last_outcome_id, self.outcome["NI"])
        session = self._session(self.operator_1)
        self.assertFalse(session.pending_pause_reason_id)
        self.assertFalse(session.current_contact_id)
        last = session.interval_ids.sorted("id")[-1]
        self.assertEqual((last.state, last.pause_reason_id), ("paused", self.reason_break))

    def test_stop_after_pause_lands_in_paused(self):
        contact = self._make_contact("Stop Srl")
        self._make_contact("Next Srl")
        self._in_call(self.operator_1, contact)
        console = self._console(self.operator_1)
        console.pause(self.reason_break.id)
        console.hangup(contact.id)
        state = console.stop(contact.id)
        self.assertEqual(state["session"]["state"], "paused")
        self.assertEqual(state["session"]["pause_reason_id"], self.reason_break.id)
        self.assertIsNone(state["contact"])
        self.assertEqual((contact.state, contact.operator_id.id), ("queued", False))
        self.assertFalse(self._session(self.operator_1).pending_pause_reason_id)

    def test_pause_during_wrap_up_applies_after_outcome(self):
        contact = self._make_contact("Wrap Srl")
        self._make_contact("Next Srl")
        self._hold(self.operator_1, contact)
        state = self._console(self.operator_1).pause(self.reason_break.id)
        self.assertEqual(state["session"]["state"], "wrap_up", "the outcome page stays open")
        self.assertEqual(state["contact"]["id"], contact.id)
        state = self._confirm(self.operator_1, contact, "NI")
        self.assertEqual(state["session"]["state"], "paused")
        self.assertIsNone(state["contact"])

    def test_start_during_call_cancels_pause_and_next_contact_follows(self):
        first = self._make_contact("First Srl")
        second = self._make_contact("Second Srl")
        self._in_call(self.operator_1, first)
        console = self._console(self.operator_1)
        console.pause(self.reason_break.id)
        state = console.start(self.campaign.id)
        self.assertEqual(state["session"]["state"], "in_call")
        self.assertFalse(state["session"]["pending_pause_reason_id"])
        console.hangup(first.id)
        state = self._confirm(self.operator_1, first, "NI")
        self.assertEqual(state["session"]["state"], "in_call")
        self.assertEqual(state["contact"]["id"], second.id, "the next contact is proposed")

    def test_pause_after_call_in_manual_campaign(self):
        contact = self._make_contact("Manual Srl", campaign=self.manual_campaign)
        self._hold(self.operator_1, contact)
        self._console(self.operator_1).pause(self.reason_break.id)
        state = self._confirm(self.operator_1, contact, "NI")
        self.assertEqual(state["session"]["state"], "paused")
        self.assertEqual(state["session"]["pause_reason_id"], self.reason_break.id)

    def test_pending_pause_does_not_survive_into_next_call(self):
        first = self._make_contact("First Srl")
        second = self._make_contact("Second Srl")
        self._in_call(self.operator_1, first)
        console = self._console(self.operator_1)
        console.pause(self.reason_break.id)
        console.hangup(first.id)
        self._confirm(self.operator_1, first, "NI")
        state = console.start(self.campaign.id)
        self.assertEqual(state["contact"]["id"], second.id)
        self.assertFalse(state["session"]["pending_pause_reason_id"])
        console.hangup(second.id)
        state = self._confirm(self.operator_1, second, "NI")
        self.assertEqual(state["session"]["state"], "ready", "no pause was asked this time")

    def test_pending_pause_leaves_other_operators_alone(self):
        mine = self._make_contact("Mine Srl")
        self._in_call(self.operator_1, mine)
        theirs = self._make_contact("Theirs Srl")
        self._make_contact("Spare Srl")
        self._console(self.operator_2).start(self.campaign.id)
        self._console(self.operator_1).pause(self.reason_break.id)
        self.assertFalse(self._session(self.operator_2).pending_pause_reason_id)
        self._console(self.operator_2).hangup(theirs.id)
        state = self._confirm(self.operator_2, theirs, "NI")
        self.assertEqual(state["session"]["state"], "in_call", "operator 2 works on")
