# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import SmartcallOutcomesCommon


@tagged("post_install", "-at_install")
class TestContractProtocol(SmartcallOutcomesCommon):
    def _sell(self, name, cart=None, number=True):
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
        order = contact.call_ids.sale_order_id
        if number:
            # What the post-commit hook does once the wrap-up is committed (the test cursor
            # never commits, so it drops the hook): number the waiting contracts.
            self.env["sale.order"]._smartcall_assign_protocol_numbers()
        return contact, order

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
        self.assertFalse(order.smartcall_protocol_pending)
        self.assertEqual(contact.state, "done")

    def _numbering_hooks(self):
        return sum(
            1
            for func in self.env.cr.postcommit._funcs
            if func.__qualname__.endswith("number_protocols")
        )

    def test_wrapup_confirms_without_number_and_schedules_numbering(self):
        """The wrap-up never touches the counter: it confirms the contract as waiting for
        its number and leaves the numbering to a post-commit hook (issue 4, bench)."""
        sequence = self.env.ref("smartcall_outcomes.sequence_contract_protocol")
        before = sequence.number_next_actual
        self.env.cr.postcommit.clear()
        _contact, order = self._sell("Waiting Srl", number=False)
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.smartcall_protocol)
        self.assertTrue(order.smartcall_protocol_pending)
        sequence.invalidate_recordset()
        self.assertEqual(sequence.number_next_actual, before, "the wrap-up took no number")
        self.assertTrue(
            self.env.cr.postcommit.data.get("smartcall_outcomes.protocol_numbering"),
            "numbering registered for after the commit",
        )
        self.assertEqual(self._numbering_hooks(), 1)
        # a second contract in the same transaction does not register it twice
        self._sell("Waiting 2 Srl", number=False)
        self.assertEqual(self._numbering_hooks(), 1)
        self.env.cr.postcommit.clear()

    def test_numbering_follows_confirmation_order(self):
        sequence = self.env.ref("smartcall_outcomes.sequence_contract_protocol")
        first = self._sell("First Srl", number=False)[1]
        second = self._sell("Second Srl", number=False)[1]
        # confirmed earlier, committed later: still numbered by confirmation time
        second.date_order = "2026-03-10 08:00:00"
        first.date_order = "2026-03-10 08:30:00"
        start = sequence.number_next_actual
        numbered = self.env["sale.order"]._smartcall_assign_protocol_numbers()
        self.assertEqual(numbered, second | first)
        self.assertEqual(second.smartcall_protocol, f"PROT/{start:06d}")
        self.assertEqual(first.smartcall_protocol, f"PROT/{start + 1:06d}")
        self.assertFalse((first | second).filtered("smartcall_protocol_pending"))
        # nothing waiting: nothing numbered, the counter does not move
        self.assertFalse(self.env["sale.order"]._smartcall_assign_protocol_numbers())
        sequence.invalidate_recordset()
        self.assertEqual(sequence.number_next_actual, start + 2)

    def test_numbering_uses_the_configured_sequence(self):
        """Managers keep configuring prefix and padding on the standard sequence."""
        sequence = self.env.ref("smartcall_outcomes.sequence_contract_protocol")
        sequence.write({"prefix": "CTR-%(year)s-", "padding": 4, "number_next": 42})
        order = self._sell("Prefix Srl")[1]
        self.assertEqual(order.smartcall_protocol, "CTR-2026-0042")

    def test_cron_action_numbers_waiting_contracts(self):
        cron = self.env.ref("smartcall_outcomes.ir_cron_assign_contract_protocols")
        self.assertTrue(cron.active)
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "minutes"))
        self.assertEqual(cron.model_id.model, "sale.order")
        self.assertIn("_cron_smartcall_assign_protocols", cron.code)

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
        self.env["sale.order"]._smartcall_assign_protocol_numbers()
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
