# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields

from .common import SmartcallCampaignCommon


class TestRetry(SmartcallCampaignCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact = cls._make_contact("Retry me")

    def test_retry_waits_then_comes_back_first(self):
        with freeze_time("2026-03-02 10:00:00"):
            claimed = self.campaign._claim_next_contact(self.operator_1)
            self.assertEqual(claimed, self.contact)
            claimed._schedule_retry()
            self.assertEqual(claimed.state, "queued")
            self.assertEqual(claimed.queue_priority, 20)
            self.assertEqual(claimed.next_call_at, fields.Datetime.now() + timedelta(minutes=60))
            other = self._make_contact("Fresh")
            self.assertEqual(self.campaign._claim_next_contact(self.operator_1), other)
            other._mark_done()
        with freeze_time("2026-03-02 10:59:00"):
            self.assertFalse(self.campaign._claim_next_contact(self.operator_1))
        with freeze_time("2026-03-02 11:00:01"):
            self.assertEqual(self.campaign._claim_next_contact(self.operator_1), self.contact)

    def test_retry_wait_argument(self):
        with freeze_time("2026-03-02 10:00:00"):
            self.campaign._claim_next_contact(self.operator_1)
            self.contact._schedule_retry(15)
            self.assertEqual(
                self.contact.next_call_at, fields.Datetime.now() + timedelta(minutes=15)
            )

    def test_max_attempts_closes_contact(self):
        with freeze_time("2026-03-02 10:00:00") as frozen:
            for attempt in range(1, 4):
                claimed = self.campaign._claim_next_contact(self.operator_1)
                self.assertEqual(claimed, self.contact)
                self.assertEqual(claimed.attempt_count, attempt)
                claimed._schedule_retry(0)
                frozen.tick(60)
        self.assertEqual(self.contact.state, "done")
        self.assertFalse(self.contact.operator_id)
