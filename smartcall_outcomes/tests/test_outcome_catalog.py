# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import SmartcallOutcomesCommon

SEED_CODES = {
    "SALEA",
    "A",
    "B",
    "N",
    "DC",
    "FAX",
    "NOCOP",
    "NOPIVA",
    "CPOC",
    "GCLT",
    "DNC",
    "NI",
    "RIFC",
    "NOCOMP",
    "CBPROS",
    "CALLBK",
    "ENTPUB",
    "NOTAR",
}


@tagged("post_install", "-at_install")
class TestOutcomeCatalog(SmartcallOutcomesCommon):
    def test_catalog_has_every_seed_code_with_help(self):
        self.assertLessEqual(SEED_CODES, set(self.outcome))
        for code in SEED_CODES:
            self.assertTrue(self.outcome[code].description, code)

    def test_types_follow_the_seeds(self):
        self.assertEqual(self.outcome["SALEA"].type, "T")
        self.assertEqual(self.outcome["CALLBK"].type, "R")
        self.assertTrue(self.outcome["CALLBK"].requires_callback)
        self.assertEqual(self.outcome["CBPROS"].effect, "next_plan")
        self.assertFalse(self.outcome["CBPROS"].requires_callback)
        self.assertEqual(self.outcome["DNC"].effect, "blacklist")
        closing = self.env["smartcall.outcome"].search([("type", "=", "C")])
        self.assertTrue(closing, "a type C outcome closes on line")
        self.assertEqual(closing.mapped("effect"), ["sale"] * len(closing))

    def test_busy_and_no_answer_are_dialer_only_in_automatic_campaigns(self):
        contact = self._make_contact("Auto Srl")
        page = self._console(self.operator_1).get_outcome_page(self._hold_id(contact))
        codes = {o["code"] for o in page["outcomes"]}
        self.assertNotIn("B", codes)
        self.assertNotIn("N", codes)
        self.assertIn("A", codes)
        self.assertTrue(all(o["is_quick"] for o in page["quick"]))

    def test_busy_and_no_answer_available_in_manual_campaigns(self):
        contact = self._make_contact("Manual Srl", campaign=self.manual_campaign)
        page = self._console(self.operator_1).get_outcome_page(self._hold_id(contact))
        codes = {o["code"] for o in page["outcomes"]}
        self.assertTrue({"B", "N"} <= codes)
        self.assertEqual(page["today"], "2026-03-10")

    def test_operator_cannot_confirm_a_dialer_only_outcome(self):
        contact = self._make_contact("Busy Srl")
        self._hold(self.operator_1, contact)
        with self.assertRaisesRegex(Exception, "set by the dialer"):
            self._confirm(self.operator_1, contact, "B")
        self.assertEqual(contact.state, "in_call")

    def test_type_and_effect_must_match(self):
        with self.assertRaises(ValidationError):
            self.env["smartcall.outcome"].create(
                {"code": "ZZT", "name": "Wrong", "type": "T", "effect": "close"}
            )

    def test_operator_cannot_edit_the_catalog(self):
        with self.assertRaises(AccessError):
            self.outcome["NI"].with_user(self.operator_1).write({"name": "x"})
        self.outcome["NI"].with_user(self.manager).write({"color": "#123456"})
        self.assertEqual(self.outcome["NI"].color, "#123456")

    def _hold_id(self, contact):
        self._hold(self.operator_1, contact)
        return contact.id
