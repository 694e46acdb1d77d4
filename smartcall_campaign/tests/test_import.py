# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError

from .common import SmartcallCampaignCommon

HEADER = (
    "campaign_id,import_partner_name,import_partner_vat,import_partner_phone,"
    "import_partner_mobile,import_partner_city,import_partner_province\n"
)
GOOD_FILE = HEADER + (
    "Business fibre Foggia,Rossi Srl,IT01234567890,0881 111222,,Lucera,FG\n"
    "Business fibre Foggia,Rossi S.r.l.,IT 01234567890,,,Lucera,FG\n"
    "Business fibre Foggia,Verdi Snc,,+39 0881 333444,,Foggia,FG\n"
    "Business fibre Foggia,Neri Spa,,,333 9998888,Troia,Foggia\n"
)
BAD_FILE = HEADER + (
    "Business fibre Foggia,Gialli Srl,,0881 444555,,Lucera,FG\n"
    "Business fibre Foggia,Wrong Number Srl,,12,,Lucera,FG\n"
)
OPTIONS = {
    "quoting": '"',
    "separator": ",",
    "has_headers": True,
    "date_format": "",
    "datetime_format": "",
    "float_thousand_separator": ",",
    "float_decimal_separator": ".",
    "fallback_values": {},
    "name_create_enabled_fields": {},
    "import_skip_records": [],
    "import_set_empty_fields": [],
}


class TestImport(SmartcallCampaignCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # An existing customer, written another way: the import must find it by phone.
        cls.verdi = cls._make_partner("Verdi (existing)", phone="0881333444")

    def _import(self, content, user=None):
        env = self.env(user=user) if user else self.env
        wizard = env["base_import.import"].create(
            {
                "res_model": "smartcall.campaign.contact",
                "file": content.encode(),
                "file_type": "text/csv",
            }
        )
        fields = HEADER.strip().split(",")
        return wizard.execute_import(fields, fields, dict(OPTIONS))

    def _contacts(self):
        return self.env["smartcall.campaign.contact"].search(
            [("campaign_id", "=", self.campaign.id)]
        )

    def test_import_deduplicates_by_vat_and_phone(self):
        result = self._import(GOOD_FILE, user=self.supervisor)
        self.assertFalse(result["messages"], result["messages"])
        contacts = self._contacts()
        self.assertEqual(len(contacts), 3)
        rossi = contacts.filtered(lambda c: c.partner_id.vat == "IT01234567890")
        self.assertEqual(len(rossi), 1)
        self.assertEqual(rossi.phone_e164, "+390881111222")
        self.assertEqual(rossi.partner_id.state_id, self.province_fg)
        self.assertIn(self.verdi, contacts.partner_id)
        neri = contacts.filtered(lambda c: c.partner_id.name == "Neri Spa")
        self.assertEqual(neri.mobile_e164, "+393339998888")
        self.assertEqual(neri.partner_id.state_id, self.province_fg)

    def test_second_import_adds_nothing(self):
        self._import(GOOD_FILE)
        contacts = self._contacts()
        partner_count = self.env["res.partner"].search_count([])
        result = self._import(GOOD_FILE)
        self.assertFalse(result["messages"], result["messages"])
        self.assertEqual(self._contacts(), contacts)
        self.assertEqual(self.env["res.partner"].search_count([]), partner_count)

    def test_bad_number_reported_with_its_row(self):
        result = self._import(BAD_FILE)
        errors = [m for m in result["messages"] if m["type"] == "error"]
        self.assertEqual(len(errors), 1, result["messages"])
        self.assertIn("12", errors[0]["message"])
        self.assertEqual(errors[0]["record"], 1)  # the second data row
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Wrong Number Srl")]))

    def test_province_wildcards_are_not_patterns(self):
        """A province cell is matched literally: "F_" or "%" must not resolve to FG."""
        Contact = self.env["smartcall.campaign.contact"]
        italy = self.env.ref("base.it")
        self.assertEqual(Contact._resolve_province("fg", italy), self.province_fg.id)
        for value in ("F_", "%", "_G"):
            with (
                self.subTest(value=value),
                self.assertRaisesRegex(ValidationError, "Unknown province"),
            ):
                Contact._resolve_province(value, italy)
