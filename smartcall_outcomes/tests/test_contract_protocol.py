# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged
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

    def test_cart_becomes_a_confirmed_contract(self):
        contact, order = self._sell("Buyer Srl")
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.partner_id, contact.partner_id)
        self.assertEqual(order.user_id, self.operator_1)
        self.assertEqual(order.smartcall_campaign_id, self.campaign)
        line = order.order_line.filtered(lambda line: line.product_id == self.product)
        self.assertEqual((line.product_uom_qty, line.price_unit, line.discount), (2, 35.0, 10.0))
        self.assertAlmostEqual(order.amount_untaxed, 2 * 35.0 * 0.9 + 5.0)
        self.assertTrue(order.smartcall_protocol.startswith("PROT/"))
        self.assertEqual(contact.state, "done")

    def test_protocol_numbers_are_unique_and_gap_free(self):
        orders = self.env["sale.order"]
        for index in range(4):
            orders |= self._sell(f"Buyer {index}")[1]
        numbers = [int(p.rsplit("/", 1)[1]) for p in orders.mapped("smartcall_protocol")]
        self.assertEqual(numbers, list(range(numbers[0], numbers[0] + 4)))

    def test_rolled_back_contract_gives_its_number_back(self):
        first = self._sell("Before Srl")[1]
        contact = self._make_contact("Rollback Srl")
        self._hold(self.operator_1, contact)
        with self.assertRaises(RuntimeError), self.env.cr.savepoint():
            self._confirm(
                self.operator_1,
                contact,
                "VEND",
                cart=[{"product_id": self.product.id, "quantity": 1}],
            )
            raise RuntimeError("the RPC fails after the order")
        self.env.invalidate_all()
        self._confirm(
            self.operator_1,
            contact,
            "VEND",
            cart=[{"product_id": self.product.id, "quantity": 1}],
        )
        second = contact.call_ids.sale_order_id
        first_no = int(first.smartcall_protocol.rsplit("/", 1)[1])
        self.assertEqual(second.smartcall_protocol, f"PROT/{first_no + 1:06d}")

    def test_contracts_menu_lists_only_call_center_orders(self):
        order = self._sell("Menu Srl")[1]
        other = self.env["sale.order"].create({"partner_id": order.partner_id.id})
        action = self.env.ref("smartcall_outcomes.smartcall_contract_action")
        found = self.env["sale.order"].with_user(self.supervisor).search(safe_eval(action.domain))
        self.assertIn(order, found)
        self.assertNotIn(other, found)
        self.assertEqual(self.env.ref("smartcall_outcomes.menu_contracts").action, action)
