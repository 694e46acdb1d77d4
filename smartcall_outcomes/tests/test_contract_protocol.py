# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import SmartcallOutcomesCommon


@tagged("post_install", "-at_install")
class TestContractProtocol(SmartcallOutcomesCommon):
    def _sell(self, name, cart=None):
        contact = self._make_contact(name)
        self._hold(self.operator_1, contact)
        cart = cart or [
            {
                "product_id": self.product.id,
                "quantity": 2,
                "price_unit": 35.0,
                "discount": 10.0,
            },
            {
                "product_id": self.product_2.id,
                "quantity": 1,
                "price_unit": 5.0,
                "discount": 0,
            },
        ]
        self._confirm(self.operator_1, contact, "VEND", notes="Sold on line", cart=cart)
        return contact, contact.call_ids.sale_order_id

    def _sequence(self):
        return self.env.ref("smartcall_outcomes.sequence_contract_protocol")

    def test_cart_becomes_a_confirmed_contract(self):
        contact, order = self._sell("Buyer Srl")
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.partner_id, contact.partner_id)
        self.assertEqual(order.user_id, self.operator_1)
        self.assertEqual(order.smartcall_campaign_id, self.campaign)
        line = order.order_line.filtered(lambda line: line.product_id == self.product)
        self.assertEqual((line.product_uom_qty, line.price_unit, line.discount), (2, 35.0, 10.0))
        self.assertAlmostEqual(order.amount_untaxed, 2 * 35.0 * 0.9 + 5.0)
        self.assertRegex(order.smartcall_protocol, r"^PROT/\d{6}$")
        self.assertEqual(contact.state, "done")

    def test_wrapup_numbers_the_contract_from_the_standard_sequence(self):
        """The number is taken in the wrap-up itself, from the standard (PostgreSQL)
        sequence: no post-commit step, no cron, no lock on the sequence row."""
        sequence = self._sequence()
        self.assertEqual(sequence.implementation, "standard")
        self.assertFalse(
            self.env.ref(
                "smartcall_outcomes.ir_cron_assign_contract_protocols", raise_if_not_found=False
            )
        )
        expected = sequence.get_next_char(sequence.number_next_actual)
        order = self._sell("Numbered Srl")[1]
        self.assertEqual(order.smartcall_protocol, expected)

    def test_numbering_uses_the_configured_sequence(self):
        """Managers keep configuring prefix and padding on the standard sequence."""
        self._sequence().write({"prefix": "CTR-%(year)s-", "padding": 4, "number_next": 42})
        order = self._sell("Prefix Srl")[1]
        self.assertEqual(order.smartcall_protocol, "CTR-2026-0042")

    def test_protocol_numbers_are_unique(self):
        orders = self.env["sale.order"]
        for index in range(4):
            orders |= self._sell(f"Buyer {index}")[1]
        protocols = orders.mapped("smartcall_protocol")
        self.assertEqual(len(protocols), 4)
        self.assertEqual(len(set(protocols)), 4)
        numbers = [int(p.rsplit("/", 1)[1]) for p in protocols]
        self.assertEqual(numbers, sorted(numbers), "numbered in confirmation order")

    def test_ordinary_orders_get_no_protocol(self):
        """Only call-center contracts (confirmed from a call) take a protocol number."""
        sequence = self._sequence()
        before = sequence.number_next_actual
        order = self.env["sale.order"].create(
            {
                "partner_id": self._make_contact("Shop Srl").partner_id.id,
                "order_line": [(0, 0, {"product_id": self.product.id})],
            }
        )
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.smartcall_protocol)
        sequence.invalidate_recordset()
        self.assertEqual(sequence.number_next_actual, before)

    def test_missing_sequence_refuses_the_sale_clearly(self):
        contact = self._make_contact("No Sequence Srl")
        self._hold(self.operator_1, contact)
        self._sequence().unlink()
        with self.assertRaisesRegex(UserError, "sequence of the contract protocol numbers"):
            self._confirm(
                self.operator_1,
                contact,
                "VEND",
                cart=[{"product_id": self.product.id, "quantity": 1}],
            )

    def test_two_contracts_never_share_a_number(self):
        """The database refuses a duplicate protocol, whatever writes it."""
        first = self._sell("First Srl")[1]
        second = self._sell("Second Srl")[1]
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaisesRegex(IntegrityError, "smartcall_protocol_uniq"),
            self.env.cr.savepoint(),
        ):
            second.smartcall_protocol = first.smartcall_protocol
            second.flush_recordset()

    def test_contracts_menu_lists_only_call_center_orders(self):
        order = self._sell("Menu Srl")[1]
        other = self.env["sale.order"].create({"partner_id": order.partner_id.id})
        action = self.env.ref("smartcall_outcomes.smartcall_contract_action")
        found = self.env["sale.order"].with_user(self.supervisor).search(safe_eval(action.domain))
        self.assertIn(order, found)
        self.assertNotIn(other, found)
        self.assertEqual(self.env.ref("smartcall_outcomes.menu_contracts").action, action)
