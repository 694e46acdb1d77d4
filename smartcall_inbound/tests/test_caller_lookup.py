# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import SmartcallInboundCommon

# The same numbers as the PBX or an operator may present them (issue 17).
ROSSI_FORMATS = [
    "+390212345678",
    "+39 02 1234 5678",
    "0039 02 12345678",
    "00390212345678",
    "02 1234 5678",
    "02-1234-5678",
    "02.1234.5678",
    "(02) 12345678",
    "+39 (02) 1234-5678",
    "tel:+39-02-1234-5678",
    " 0212345678 ",
]
MARIO_FORMATS = ["3471234567", "347 123 4567", "+39 347.123.4567", "0039-347-1234567"]


@tagged("post_install", "-at_install")
class TestCallerLookup(SmartcallInboundCommon):
    """Seed 002: automatic look-up by number whatever its format, on companies and their
    contact persons; otherwise DINAMICA / FULL, and the chosen customer gets the number."""

    def test_company_found_from_every_format(self):
        for number in ROSSI_FORMATS:
            with self.subTest(number=number):
                call = self._ring(self.operator_1, number)
                self.assertEqual(call.partner_id, self.rossi)
                self.assertEqual(call.number, "+390212345678")

    def test_contact_person_found_from_every_format(self):
        for number in MARIO_FORMATS:
            with self.subTest(number=number):
                call = self._ring(self.operator_1, number)
                self.assertEqual(call.partner_id, self.mario)
                self.assertEqual(call.caller_first_name, "Mario")
                self.assertEqual(call.caller_last_name, "Rossi")

    def test_holder_is_the_portfolio_operator_of_the_campaign_type(self):
        self.assertEqual(
            self._ring(self.operator_1, "0212345678").inbound_portfolio_holder_id,
            self.operator_2,
        )
        # the contact person's company is held by operator_2
        self.assertEqual(
            self._ring(self.operator_1, "3471234567").inbound_portfolio_holder_id,
            self.operator_2,
        )
        self.assertEqual(
            self._ring(self.operator_2, "0881 542001").inbound_portfolio_holder_id,
            self.operator_1,
        )

    def test_no_holder_outside_an_inbound_campaign_with_a_portfolio_type(self):
        call = self._ring(self.operator_1, "0212345678", called="+390277777777")
        self.assertFalse(call.campaign_id)
        self.assertEqual(call.partner_id, self.rossi)
        self.assertFalse(call.inbound_portfolio_holder_id)

    def test_unknown_number_goes_to_the_search(self):
        call = self._ring(self.operator_1, "+39 0881 999999")
        self.assertFalse(call.partner_id)
        self.assertFalse(call.inbound_candidate_ids)
        self.assertEqual(call.number, "+390881999999")

    def test_hidden_or_garbage_caller_id_keeps_the_raw_number(self):
        call = self._ring(self.operator_1, "anonymous")
        self.assertFalse(call.partner_id)
        self.assertEqual(call.number, "anonymous")

    def test_two_customers_with_the_number_are_offered_to_choose(self):
        twin = self.env["res.partner"].create(
            {"name": "Verdi Spa", "is_company": True, "phone": "+390881542001"}
        )
        call = self._ring(self.operator_1, "0881542001")
        self.assertFalse(call.partner_id)
        self.assertEqual(call.inbound_candidate_ids, self.bianchi | twin)

    def test_chosen_customer_gets_the_number_when_missing(self):
        customer = self.env["res.partner"].create({"name": "Neri Luca", "city": "Bari"})
        call = self._ring(self.operator_1, "+39 333 765 4321")
        self.assertFalse(call.partner_id)
        call.with_user(self.operator_1).action_set_caller(customer.id)
        self.assertEqual(call.partner_id, customer)
        self.assertEqual(customer.mobile, "+393337654321")
        self.assertEqual((call.caller_first_name, call.caller_last_name), ("Neri", "Luca"))
        # the next call from that number finds the customer by itself
        self.assertEqual(self._ring(self.operator_2, "333 7654321").partner_id, customer)

    def test_second_fixed_number_is_kept_beside_the_first(self):
        """The shared store never overwrites a number: a second fixed line goes on an
        "Other number" contact person, and the next call from it finds the customer."""
        call = self._ring(self.operator_1, "+39 0881 999999")
        call.with_user(self.operator_1).write({"partner_id": self.rossi.id})
        self.assertEqual(self.rossi.phone, "02 1234 5678")
        other = self.rossi.child_ids.filtered(lambda p: p.type == "other")
        self.assertEqual(other.phone, "+390881999999")
        self.assertEqual(self._ring(self.operator_2, "0881 999999").partner_id, self.rossi)

    def test_chosen_customer_with_the_number_is_not_changed(self):
        call = self._ring(self.operator_1, "02 1234 5678")
        children = self.rossi.child_ids
        call.with_user(self.operator_1).write({"partner_id": self.rossi.id})
        self.assertEqual(self.rossi.phone, "02 1234 5678")
        self.assertFalse(self.rossi.mobile)
        self.assertEqual(self.rossi.child_ids, children)

    def test_dinamica_type_ahead_on_name_vat_city_and_number(self):
        Partner = (
            self.env["res.partner"]
            .with_user(self.operator_1)
            .with_context(smartcall_dynamic_search=True)
        )
        for query in ("Bianchi", "01234567897", "Foggia", "0881 542001", "542001"):
            with self.subTest(query=query):
                ids = [pid for pid, _name in Partner.name_search(query, limit=20)]
                self.assertIn(self.bianchi.id, ids)
        ids = [pid for pid, _name in Partner.name_search("Foggia", limit=20)]
        self.assertNotIn(self.rossi.id, ids)

    def test_plain_partner_search_is_unchanged(self):
        Partner = self.env["res.partner"].with_user(self.operator_1)
        ids = [pid for pid, _name in Partner.name_search("Foggia", limit=20)]
        self.assertNotIn(self.bianchi.id, ids)

    def test_lookup_answers_operators_only(self):
        found = self.Call.with_user(self.operator_1).smartcall_inbound_lookup(
            "tel:+39-02-1234-5678"
        )
        self.assertEqual(found, [{"id": self.rossi.id, "name": "Rossi Srl"}])
        clerk = self.env["res.users"].create(
            {
                "name": "Clerk",
                "login": "sci_lookup_clerk",
                "groups_id": [(6, 0, self.env.ref("base.group_user").ids)],
            }
        )
        with self.assertRaises(AccessError):
            self.Call.with_user(clerk).smartcall_inbound_lookup("0212345678")
