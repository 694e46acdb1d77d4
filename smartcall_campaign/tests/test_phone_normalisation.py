# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError

from .common import SmartcallCampaignCommon


class TestPhoneNormalisation(SmartcallCampaignCommon):
    def test_national_numbers_become_e164(self):
        Contact = self.env["smartcall.campaign.contact"]
        cases = {
            "0881 123456": "+390881123456",
            "+39 333 123 4567": "+393331234567",
            "333-1234567": "+393331234567",
            "0039 06 1234 5678": "+390612345678",
        }
        for raw, expected in cases.items():
            with self.subTest(number=raw):
                self.assertEqual(Contact._normalize_number(raw), expected)

    def test_contact_numbers_computed_from_partner(self):
        contact = self._make_contact("Numbers", phone="0881 654321", mobile="3471234567")
        self.assertEqual(contact.phone_e164, "+390881654321")
        self.assertEqual(contact.mobile_e164, "+393471234567")

    def test_invalid_number_raises(self):
        with self.assertRaises(ValidationError):
            self.env["smartcall.campaign.contact"]._normalize_number("12")

    def test_partner_with_invalid_number_refused(self):
        partner = self._make_partner("Bad number", phone="123")
        with self.assertRaises(ValidationError):
            self.env["smartcall.campaign.contact"].create(
                {"campaign_id": self.campaign.id, "partner_id": partner.id}
            )

    def test_manual_mobile_normalised_or_refused(self):
        contact = self._make_contact("Add mobile")
        contact.mobile_e164 = "340 1234567"
        self.assertEqual(contact.mobile_e164, "+393401234567")
        with self.assertRaises(ValidationError):
            contact.mobile_e164 = "99"
        self.assertEqual(contact.mobile_e164, "+393401234567")

    def test_partner_e164_index_fields(self):
        partner = self._make_partner("Indexed", phone="0881 777888", mobile="bad")
        self.assertEqual(partner.smartcall_phone_e164, "+390881777888")
        self.assertFalse(partner.smartcall_mobile_e164)
