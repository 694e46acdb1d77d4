from odoo.tests import BaseCase

from odoo.addons.smartcall_voip.lib.dial_number import to_dial_number


class TestDialNumber(BaseCase):
    """E.164 -> the digits the PBX dials (pure function, no database)."""

    def test_italian_landline_national_keeps_leading_zero(self):
        self.assertEqual(to_dial_number("+390881123456"), "0881123456")

    def test_italian_mobile_national(self):
        self.assertEqual(to_dial_number("+393331234567"), "3331234567")

    def test_foreign_number_national_uses_international_access_code(self):
        self.assertEqual(to_dial_number("+33478998877"), "0033478998877")

    def test_national_from_another_country(self):
        self.assertEqual(to_dial_number("+33478998877", region="FR"), "0478998877")

    def test_international_format(self):
        self.assertEqual(to_dial_number("+390881123456", "international"), "00390881123456")

    def test_e164_format_unchanged(self):
        self.assertEqual(to_dial_number("+390881123456", "e164"), "+390881123456")

    def test_outbound_prefix_in_front(self):
        self.assertEqual(to_dial_number("+390881123456", outbound_prefix="9"), "90881123456")
        self.assertEqual(
            to_dial_number("+390881123456", "international", outbound_prefix="0"),
            "000390881123456",
        )

    def test_refuses_what_is_not_e164(self):
        for bad in (
            "0881123456",
            "+39 0881 123456",
            "",
            None,
            "+0123456789",
            "+39088112345a",
            390881123456,
        ):
            with self.subTest(bad=bad), self.assertRaises(ValueError):
                to_dial_number(bad)

    def test_refuses_unknown_format_and_bad_prefix(self):
        with self.assertRaises(ValueError):
            to_dial_number("+390881123456", "local")
        for prefix in ("x", "1234567890", "9;Dial"):
            with self.subTest(prefix=prefix), self.assertRaises(ValueError):
                to_dial_number("+390881123456", outbound_prefix=prefix)
