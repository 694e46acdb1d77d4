# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SmartcallOutcomesCommon


@tagged("post_install", "-at_install")
class TestWorkflowCartStep(SmartcallOutcomesCommon):
    """Seed 001 (WORKFLOW della campagna): a campaign whose workflow has no Cart step closes
    no sale on line (type C), whatever the client sends."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.no_cart = cls.campaign.copy({"name": "No cart"})
        cls.no_cart.registro_checked_on = cls.campaign.registro_checked_on
        cls.no_cart.workflow_step_ids.filtered(lambda s: s.step == "cart").unlink()
        cls.no_cart.action_start()

    def _cart(self):
        return [{"product_id": self.product.id, "quantity": 1, "price_unit": 39.9, "discount": 0}]

    def test_sale_refused_with_a_clear_message(self):
        contact = self._make_contact("Senza Carrello Srl", campaign=self.no_cart)
        self._hold(self.operator_1, contact)
        with self.assertRaisesRegex(UserError, "No cart has no Cart step in its workflow"):
            self._confirm(self.operator_1, contact, "VEND", cart=self._cart())
        self.assertFalse(contact.call_ids.sale_order_id, "no contract")
        self.assertEqual(contact.state, "in_call")

    def test_outcome_page_offers_no_sale(self):
        contact = self._make_contact("Senza Carrello Srl", campaign=self.no_cart)
        state = self._hold(self.operator_1, contact)
        keys = [step["key"] for step in state["contact"]["campaign"]["workflow"]]
        self.assertNotIn("cart", keys)
        page = self._console(self.operator_1).get_outcome_page(contact.id)
        codes = {outcome["code"] for outcome in page["outcomes"]}
        self.assertNotIn("VEND", codes)
        self.assertIn("NI", codes)

    def test_other_outcomes_still_confirmed(self):
        contact = self._make_contact("Senza Carrello Srl", campaign=self.no_cart)
        self._hold(self.operator_1, contact)
        self._confirm(self.operator_1, contact, "NI")
        self.assertEqual(contact.last_outcome_id.code, "NI")

    def test_campaign_with_the_cart_step_still_sells(self):
        contact = self._make_contact("Con Carrello Srl")
        self._hold(self.operator_1, contact)
        self._confirm(self.operator_1, contact, "VEND", cart=self._cart())
        self.assertEqual(contact.call_ids.sale_order_id.state, "sale")
