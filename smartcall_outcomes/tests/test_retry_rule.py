# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import SmartcallOutcomesCommon


@tagged("post_install", "-at_install")
class TestRetryRule(SmartcallOutcomesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["smartcall.campaign.retry.rule"].create(
            {
                "campaign_id": cls.campaign.id,
                "outcome_id": cls.outcome["A"].id,
                "wait_minutes": 30,
                "max_attempts": 2,
            }
        )

    def test_retry_rule_sets_the_wait(self):
        contact = self._make_contact("Machine Srl")
        self._hold(self.operator_1, contact)
        self._confirm(self.operator_1, contact, "A")
        self.assertEqual(contact.state, "queued")
        self.assertEqual(contact.queue_priority, 20)
        self.assertEqual(contact.next_call_at, datetime(2026, 3, 10, 9, 30))

    def test_retry_rule_max_attempts_closes_the_contact(self):
        contact = self._make_contact("Machine twice Srl")
        self._hold(self.operator_1, contact)
        self._confirm(self.operator_1, contact, "A")
        self.assertEqual(contact.attempt_count, 1)
        with freeze_time("2026-03-10 09:31:00"):
            self._hold(self.operator_1, contact)
            self.assertEqual(contact.attempt_count, 2)
            self._confirm(self.operator_1, contact, "A")
        self.assertEqual(contact.state, "done")
        self.assertIn("Maximum attempts", contact.excluded_reason)

    def test_outcome_without_rule_uses_the_campaign_wait(self):
        contact = self._make_contact("Manual busy Srl", campaign=self.manual_campaign)
        self._hold(self.operator_1, contact)
        self._confirm(self.operator_1, contact, "B")
        self.assertEqual(contact.state, "queued")
        self.assertEqual(contact.next_call_at, datetime(2026, 3, 10, 10, 0))

    def test_retry_rules_in_campaign_form(self):
        view = self.env.ref("smartcall_outcomes.smartcall_campaign_view_form")
        self.assertIn("retry_rule_ids", view.arch)
        self.assertEqual(self.campaign.retry_rule_ids.outcome_id, self.outcome["A"])
