# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError

from .common import SmartcallCampaignCommon


class TestQueueOrder(SmartcallCampaignCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        past = fields.Datetime.now() - timedelta(minutes=5)
        cls.new_1 = cls._make_contact("New 1", priority=10)
        cls.retry = cls._make_contact("Retry", priority=20, next_call_at=past)
        cls.callback = cls._make_contact("Public callback", priority=30, next_call_at=past)
        cls.new_2 = cls._make_contact("New 2", priority=10)

    def _claim(self, user):
        contact = self.campaign.with_user(user)._claim_next_contact(user)
        if contact:
            contact.sudo()._mark_done()
        return contact

    def test_callbacks_then_retries_then_new(self):
        claimed = [self._claim(self.operator_1) for _i in range(5)]
        self.assertEqual(
            claimed,
            [
                self.callback,
                self.retry,
                self.new_1,
                self.new_2,
                self.env["smartcall.campaign.contact"],
            ],
        )

    def test_claim_sets_holder_and_attempt(self):
        contact = self.campaign.with_user(self.operator_1)._claim_next_contact(self.operator_1)
        self.assertEqual(contact, self.callback)
        self.assertEqual(contact.state, "in_call")
        self.assertEqual(contact.operator_id, self.operator_1)
        self.assertEqual(contact.attempt_count, 1)
        self.assertTrue(contact.claimed_at)

    def test_held_contact_is_returned_again(self):
        first = self.campaign._claim_next_contact(self.operator_1)
        second = self.campaign._claim_next_contact(self.operator_1)
        self.assertEqual(first, second)
        self.assertEqual(second.attempt_count, 1)

    def test_two_operators_get_different_contacts(self):
        first = self.campaign._claim_next_contact(self.operator_1)
        second = self.campaign._claim_next_contact(self.operator_2)
        self.assertNotEqual(first, second)
        self.assertEqual(second, self.retry)

    def test_future_callback_waits(self):
        self.callback.next_call_at = fields.Datetime.now() + timedelta(hours=1)
        self.assertEqual(self._claim(self.operator_1), self.retry)

    def test_private_callback_never_claimed(self):
        (self.retry | self.new_1 | self.new_2).write({"state": "done"})
        self.callback._set_private_callback(
            self.operator_1, fields.Datetime.now() - timedelta(minutes=1), "call me"
        )
        self.assertFalse(self.campaign._claim_next_contact(self.operator_1))

    def test_new_and_done_states_not_claimed(self):
        (self.retry | self.callback | self.new_2).write({"state": "done"})
        self.new_1.state = "new"
        self.assertFalse(self.campaign._claim_next_contact(self.operator_1))

    def test_paused_campaign_refused(self):
        self.campaign.action_pause()
        with self.assertRaisesRegex(UserError, "is not running"):
            self.campaign._claim_next_contact(self.operator_1)

    def test_unassigned_operator_refused(self):
        with self.assertRaisesRegex(UserError, "You are not assigned to campaign"):
            self.other_campaign._claim_next_contact(self.operator_1)

    def test_manual_pick_and_refusal_when_taken(self):
        contact = self.campaign._claim_contact(self.new_2, self.operator_1)
        self.assertEqual(contact.operator_id, self.operator_1)
        with self.assertRaisesRegex(UserError, "another operator took it"):
            self.campaign._claim_contact(self.new_2, self.operator_2)

    def test_release_to_queue_keeps_attempts(self):
        contact = self.campaign._claim_next_contact(self.operator_1)
        contact._release_to_queue()
        self.assertEqual(contact.state, "queued")
        self.assertFalse(contact.operator_id)
        self.assertEqual(contact.attempt_count, 1)
        self.assertEqual(self.campaign._claim_next_contact(self.operator_2), contact)
