# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import SmartcallOutcomesCommon

# The seeds' table of outcomes, one row per code: seed 000 and seed 003 section 3.1 (codes,
# names and when to use them), seed 001 (types R/N/C/T and what each type does; quick buttons
# "tasti rapidi"). Columns: type, effect, allowed in manual campaigns, allowed in automatic
# campaigns, set by the dialer only in automatic campaigns, quick button, asks for a callback.
SEED_TABLE = {
    # T: "presa appuntamento", the agenda opens (seed 001 type T)
    "SALEA": ("T", "appointment", True, True, False, True, False),
    # C: "chiusura in linea", the cart becomes a contract (seed 001 type C)
    "VEND": ("C", "sale", True, True, False, False, False),
    # not reached: tried again later
    "A": ("N", "retry", True, True, False, True, False),
    # "completamente gestito dal sistema nelle campagne automatiche"
    "B": ("N", "retry", True, False, True, True, False),
    # no answer: detected by the dialer in automatic campaigns, like B
    "N": ("N", "retry", True, False, True, True, False),
    # N: "nessun tipo di richiamo o di adesione", the contact is closed
    "DC": ("N", "close", True, True, False, False, False),
    "FAX": ("N", "close", True, True, False, False, False),
    "NOCOP": ("N", "close", True, True, False, False, False),
    "NOPIVA": ("N", "close", True, True, False, False, False),
    "CPOC": ("N", "close", True, True, False, False, False),
    "GCLT": ("N", "close", True, True, False, False, False),
    # "Registro delle Opposizioni": the number goes to the do-not-call list
    "DNC": ("N", "blacklist", True, True, False, False, False),
    "NI": ("N", "close", True, True, False, True, False),
    "RIFC": ("N", "close", True, True, False, False, False),
    "NOCOMP": ("N", "close", True, True, False, False, False),
    # R without a date: "data non definibile", a later work plan
    "CBPROS": ("R", "next_plan", True, True, False, True, False),
    # R: "impostare una data ed ora di richiamo"
    "CALLBK": ("R", "callback", True, True, False, True, True),
    "ENTPUB": ("N", "close", True, True, False, False, False),
    "NOTAR": ("N", "close", True, True, False, False, False),
}
SEED_CODES = set(SEED_TABLE) - {"VEND"}  # VEND is our type C outcome, not a seed code
COLUMNS = (
    "type",
    "effect",
    "allowed_manual",
    "allowed_automatic",
    "is_system_only_automatic",
    "is_quick",
    "requires_callback",
)


@tagged("post_install", "-at_install")
class TestOutcomeCatalog(SmartcallOutcomesCommon):
    def test_catalog_has_every_seed_code_with_help(self):
        self.assertLessEqual(SEED_CODES, set(self.outcome))
        for code in SEED_CODES:
            self.assertTrue(self.outcome[code].description, code)

    def test_every_code_follows_the_seeds_table(self):
        """Type, effect, allowed modes and quick button of every code, as the seeds say."""
        self.assertEqual(set(self.outcome), set(SEED_TABLE), "exactly the seeds' codes")
        for code, expected in SEED_TABLE.items():
            with self.subTest(code=code):
                outcome = self.outcome[code]
                self.assertEqual(
                    dict(zip(COLUMNS, (outcome[name] for name in COLUMNS), strict=True)),
                    dict(zip(COLUMNS, expected, strict=True)),
                )
                self.assertTrue(outcome.active)

    def test_modes_and_quick_buttons_on_the_outcome_page(self):
        """What each campaign mode really offers the operator: the outcome page lists the
        codes the table allows in that mode, and the quick buttons are exactly its quick
        ones."""
        for campaign, allowed_column in (
            (self.manual_campaign, 2),
            (self.campaign, 3),
        ):
            with self.subTest(mode=campaign.mode):
                contact = self._make_contact(f"Page {campaign.mode} Srl", campaign=campaign)
                page = self._console(self.operator_1).get_outcome_page(self._hold_id(contact))
                allowed = {
                    code
                    for code, row in SEED_TABLE.items()
                    if row[allowed_column] and not (campaign.mode == "automatic" and row[4])
                }
                quick = {code for code in allowed if SEED_TABLE[code][5]}
                self.assertEqual({o["code"] for o in page["outcomes"]}, allowed)
                self.assertEqual({o["code"] for o in page["quick"]}, quick)
                self.assertTrue(quick, "the table has quick buttons in this mode")
                for value in page["outcomes"]:
                    self.assertEqual(value["type"], SEED_TABLE[value["code"]][0])
                    self.assertEqual(value["requires_callback"], SEED_TABLE[value["code"]][6])
                self._console(self.operator_1).stop(contact.id)

    def test_busy_and_no_answer_are_dialer_only_in_automatic_campaigns(self):
        contact = self._make_contact("Auto Srl")
        page = self._console(self.operator_1).get_outcome_page(self._hold_id(contact))
        codes = {o["code"] for o in page["outcomes"]}
        self.assertNotIn("B", codes)
        self.assertNotIn("N", codes)
        self.assertIn("A", codes)
        quick = {o["code"] for o in page["quick"]}
        self.assertEqual(quick, {"SALEA", "A", "NI", "CBPROS", "CALLBK"})

    def test_busy_and_no_answer_available_in_manual_campaigns(self):
        contact = self._make_contact("Manual Srl", campaign=self.manual_campaign)
        page = self._console(self.operator_1).get_outcome_page(self._hold_id(contact))
        codes = {o["code"] for o in page["outcomes"]}
        self.assertTrue({"B", "N"} <= codes)
        self.assertEqual(page["today"], "2026-03-10")

    def test_operator_cannot_confirm_a_dialer_only_outcome(self):
        contact = self._make_contact("Busy Srl")
        self._hold(self.operator_1, contact)
        with self.assertRaisesRegex(UserError, "set by the dialer in automatic campaigns"):
            self._confirm(self.operator_1, contact, "B")
        self.assertEqual(contact.state, "in_call")

    def test_type_and_effect_must_match(self):
        with self.assertRaisesRegex(
            ValidationError, "a type T outcome cannot have the effect Close the contact"
        ):
            self.env["smartcall.outcome"].create(
                {"code": "ZZT", "name": "Wrong", "type": "T", "effect": "close"}
            )
        with self.assertRaisesRegex(ValidationError, "exactly when its effect is a callback"):
            self.env["smartcall.outcome"].create(
                {
                    "code": "ZZR",
                    "name": "Wrong",
                    "type": "R",
                    "effect": "next_plan",
                    "requires_callback": True,
                }
            )

    def test_operator_cannot_edit_the_catalog(self):
        with self.assertRaises(AccessError):
            self.outcome["NI"].with_user(self.operator_1).write({"name": "x"})
        self.outcome["NI"].with_user(self.manager).write({"color": "#123456"})
        self.assertEqual(self.outcome["NI"].color, "#123456")

    def _hold_id(self, contact):
        self._hold(self.operator_1, contact)
        return contact.id
