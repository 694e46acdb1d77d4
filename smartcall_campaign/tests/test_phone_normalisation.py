# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.tools.sql import column_exists

from .common import SmartcallCampaignCommon

# Ways a number reaches Odoo (typed by an operator, imported, given by the PBX as caller id).
MILAN_FIXED = [
    "+39 02 1234567",
    "+39021234567",
    "0039 02 1234567",
    "0039021234567",
    "02 1234567",
    "02-123.4567",
    "02.123.45.67",
    "(02) 1234567",
    "(+39) 02 1234567",
    "  02 123 4567  ",
    "tel:+39-02-1234567",
    "tel:021234567",
    "sip:+39021234567@pbx.example.com",
]
MOBILE = [
    "347 123 4567",
    "3471234567",
    "347-123-4567",
    "347.123.4567",
    "+39 347 1234567",
    "0039 347 1234567",
    "+39 (347) 123 4567",
    "tel:+393471234567",
]


class TestPhoneNormalisation(SmartcallCampaignCommon):
    def test_normalize_every_format_of_a_fixed_number(self):
        Partner = self.env["res.partner"]
        for raw in MILAN_FIXED:
            with self.subTest(number=raw):
                self.assertEqual(Partner._smartcall_normalize_phone(raw), "+39021234567")

    def test_normalize_every_format_of_a_mobile(self):
        Partner = self.env["res.partner"]
        for raw in MOBILE:
            with self.subTest(number=raw):
                self.assertEqual(Partner._smartcall_normalize_phone(raw), "+393471234567")

    def test_normalize_invalid_or_empty_is_false(self):
        Partner = self.env["res.partner"]
        for raw in ("", "   ", None, False, "12", "abc", "tel:", "+39 12"):
            with self.subTest(number=raw):
                self.assertFalse(Partner._smartcall_normalize_phone(raw))

    def test_normalize_invalid_raises_when_asked_naming_the_number(self):
        with self.assertRaisesRegex(ValidationError, "12 is not valid"):
            self.env["res.partner"]._smartcall_normalize_phone("12", raise_exception=True)

    def test_normalize_foreign_number_keeps_its_country(self):
        self.assertEqual(
            self.env["res.partner"]._smartcall_normalize_phone("+33 1 23 45 67 89"),
            "+33123456789",
        )

    def test_normalize_reads_national_numbers_in_the_given_country(self):
        france = self.env.ref("base.fr")
        self.assertEqual(
            self.env["res.partner"]._smartcall_normalize_phone("01 23 45 67 89", france),
            "+33123456789",
        )

    def test_partner_store_computed_from_phone_and_mobile(self):
        partner = self._make_partner("Indexed", phone="0881 777888", mobile="bad")
        self.assertEqual(partner.smartcall_phone_e164, "+390881777888")
        self.assertFalse(partner.smartcall_mobile_e164)
        partner.mobile = "333-1234567"
        self.assertEqual(partner.smartcall_mobile_e164, "+393331234567")

    def test_contact_reads_the_partner_store(self):
        contact = self._make_contact("Numbers", phone="0881 654321", mobile="3471234567")
        self.assertEqual(contact.phone_e164, "+390881654321")
        self.assertEqual(contact.mobile_e164, "+393471234567")
        contact.partner_id.phone = "0881 111222"
        self.assertEqual(contact.phone_e164, "+390881111222")

    def test_contact_keeps_no_copy_of_the_numbers(self):
        Contact = self.env["smartcall.campaign.contact"]
        for fname in ("phone_e164", "mobile_e164"):
            with self.subTest(field=fname):
                self.assertFalse(Contact._fields[fname].store)
                self.assertFalse(column_exists(self.env.cr, Contact._table, fname))

    def test_store_is_indexed(self):
        self.env.cr.execute(
            """SELECT indexdef FROM pg_indexes WHERE tablename = 'res_partner'
                AND (indexdef LIKE '%%(smartcall_phone_e164)%%'
                     OR indexdef LIKE '%%(smartcall_mobile_e164)%%')"""
        )
        self.assertEqual(len(self.env.cr.fetchall()), 2)

    def test_partner_with_invalid_number_refused_in_a_campaign(self):
        partner = self._make_partner("Bad number", phone="123")
        with self.assertRaisesRegex(ValidationError, "phone number 123 is not valid"):
            self.env["smartcall.campaign.contact"].create(
                {"campaign_id": self.campaign.id, "partner_id": partner.id}
            )


class TestFindByPhone(SmartcallCampaignCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.milan = cls._make_partner("Milano Srl", phone="02 1234567", is_company=True)
        cls.person = cls.env["res.partner"].create(
            {"name": "Mario Rossi", "parent_id": cls.milan.id, "mobile": "+39 347 123 4567"}
        )
        cls.other = cls._make_partner("Other Srl", phone="0881 999000")

    def test_fixed_number_found_in_every_format(self):
        Partner = self.env["res.partner"]
        for raw in MILAN_FIXED:
            with self.subTest(number=raw):
                self.assertEqual(Partner._smartcall_find_by_phone(raw), self.milan)

    def test_mobile_of_a_contact_person_found_in_every_format(self):
        Partner = self.env["res.partner"]
        for raw in MOBILE:
            with self.subTest(number=raw):
                found = Partner._smartcall_find_by_phone(raw)
                self.assertEqual(found, self.person)
                self.assertEqual(found.commercial_partner_id, self.milan)

    def test_number_stored_in_any_format_is_found(self):
        Partner = self.env["res.partner"]
        stored = {
            "0039 0881 123 456": "+390881123456",
            "(0881) 223-456": "+390881223456",
            "tel:+39-0881-323456": "+390881323456",
            "0881.423.456": "+390881423456",
        }
        partners = {
            e164: Partner.create({"name": f"Stored {raw}", "phone": raw})
            for raw, e164 in stored.items()
        }
        for e164, partner in partners.items():
            with self.subTest(number=e164):
                self.assertEqual(Partner._smartcall_find_by_phone(e164[3:]), partner)

    def test_companies_and_persons_sharing_a_number_all_returned_companies_first(self):
        switchboard = self.env["res.partner"].create(
            {"name": "Reception", "parent_id": self.milan.id, "phone": "+39021234567"}
        )
        found = self.env["res.partner"]._smartcall_find_by_phone("021234567")
        self.assertEqual(found, self.milan | switchboard)
        self.assertEqual(found[0], self.milan)

    def test_unknown_or_invalid_number_finds_nobody(self):
        Partner = self.env["res.partner"]
        self.assertFalse(Partner._smartcall_find_by_phone("02 7654321"))
        self.assertFalse(Partner._smartcall_find_by_phone("12"))
        self.assertFalse(Partner._smartcall_find_by_phone(""))

    def test_archived_partner_not_found(self):
        self.other.active = False
        self.assertFalse(self.env["res.partner"]._smartcall_find_by_phone("0881 999000"))
