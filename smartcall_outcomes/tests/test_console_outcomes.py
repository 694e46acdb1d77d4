# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common import SmartcallOutcomesCommon


@tagged("post_install", "-at_install")
class TestConsoleOutcomes(SmartcallOutcomesCommon):
    def test_outcome_page_payload(self):
        contact = self._make_contact("Page Srl")
        self._hold(self.operator_1, contact)
        page = self._console(self.operator_1).get_outcome_page(contact.id)
        self.assertEqual(page["contact"]["id"], contact.id)
        callbk = next(o for o in page["outcomes"] if o["code"] == "CALLBK")
        self.assertEqual(
            set(callbk),
            {
                "id",
                "code",
                "name",
                "type",
                "color",
                "is_quick",
                "requires_callback",
                "help",
            },
        )
        self.assertTrue(callbk["requires_callback"])
        self.assertIn(self.product.id, [p["id"] for p in page["products"]])

    def test_confirm_claims_the_next_contact_in_automatic_campaigns(self):
        first = self._make_contact("First Srl")
        self._hold(self.operator_1, first)
        second = self._make_contact("Second Srl")
        state = self._confirm(self.operator_1, first, "NI")
        self.assertEqual(state["contact"]["id"], second.id)
        self.assertEqual(state["session"]["state"], "in_call")
        self.assertEqual(len(second.call_ids), 1)

    def test_confirm_waits_in_manual_campaigns(self):
        contact = self._make_contact("Manual Srl", campaign=self.manual_campaign)
        self._make_contact("Other Srl", campaign=self.manual_campaign)
        self._hold(self.operator_1, contact)
        state = self._confirm(self.operator_1, contact, "NI")
        self.assertIsNone(state["contact"])
        self.assertEqual(state["session"]["state"], "ready")

    def test_cbpros_goes_to_a_later_work_plan(self):
        contact = self._make_contact("Later Srl")
        self._hold(self.operator_1, contact)
        self._confirm(self.operator_1, contact, "CBPROS", notes="Call after Easter")
        self.assertEqual(contact.state, "new")
        self.assertTrue(contact.postponed_to_next_plan)
        self.assertFalse(contact.next_call_at)
        self.assertNotEqual(
            self.campaign.with_user(self.operator_2)._claim_next_contact(self.operator_2),
            contact,
        )

    def test_dial_records_the_number(self):
        contact = self._make_contact("Dial Srl", mobile="347 1112223")
        self._hold(self.operator_1, contact)
        self._console(self.operator_1).dial(contact.id, contact.mobile_e164)
        self.assertEqual(contact.call_ids.number, "+393471112223")
