# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SmartcallInboundCommon


@tagged("post_install", "-at_install")
class TestCI0036(SmartcallInboundCommon):
    """CI0036: on closing an inbound contact, show the customer's outbound situation and let
    the operator close the contact there or change its state."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Contact = cls.env["smartcall.campaign.contact"]
        cls.contact = Contact.create(
            {"campaign_id": cls.outbound.id, "partner_id": cls.rossi.id, "state": "queued"}
        )
        cls.other = cls.env["smartcall.campaign"].create({"name": "Outbound Energy"})
        cls.other_contact = Contact.create(
            {"campaign_id": cls.other.id, "partner_id": cls.mario.id, "state": "new"}
        )

    def _set_ci0036(self, on):
        self.env["ir.config_parameter"].sudo().set_param(
            "smartcall_inbound.show_outbound_on_close", "True" if on else "False"
        )

    def _close(self, number="0212345678"):
        call = self._ring(self.operator_1, number)
        as_operator = call.with_user(self.operator_1)
        as_operator.action_accept_inbound()
        as_operator.write(self._complete_values())
        return call, as_operator.action_close_inbound()

    def test_setting_is_labelled_with_its_code(self):
        field = self.env["res.config.settings"]._fields["smartcall_inbound_show_outbound_on_close"]
        self.assertTrue(field.string.startswith("CI0036"))
        settings = self.env["res.config.settings"].create(
            {"smartcall_inbound_show_outbound_on_close": True}
        )
        settings.execute()
        self.assertTrue(self.Call._smartcall_inbound_ci0036())

    def test_off_closing_shows_nothing(self):
        self._set_ci0036(False)
        call, result = self._close()
        self.assertIs(result, True)
        self.assertEqual(call.state, "done")

    def test_on_closing_shows_the_outbound_campaigns(self):
        self._set_ci0036(True)
        call, action = self._close()
        self.assertEqual(call.state, "done")
        self.assertEqual(action["res_model"], "smartcall.inbound.outbound")
        wizard = (
            self.env["smartcall.inbound.outbound"]
            .with_user(self.operator_1)
            .browse(action["res_id"])
        )
        lines = {line.campaign_name: line for line in wizard.line_ids}
        self.assertEqual(set(lines), {"Outbound Fibre", "Outbound Energy"})
        self.assertEqual(lines["Outbound Fibre"].contact_state, "Queued")
        self.assertEqual(lines["Outbound Energy"].contact_state, "New")

    def test_on_but_customer_in_no_outbound_campaign(self):
        self._set_ci0036(True)
        call, result = self._close("0881542001")
        self.assertIs(result, True)

    def test_operator_closes_one_and_requeues_the_other(self):
        self._set_ci0036(True)
        _call, action = self._close()
        wizard = (
            self.env["smartcall.inbound.outbound"]
            .with_user(self.operator_1)
            .browse(action["res_id"])
        )
        for line in wizard.line_ids:
            line.action = "close" if line.contact_id == self.contact else "requeue"
        wizard.action_apply()
        self.assertEqual(self.contact.state, "done")
        self.assertEqual(self.other_contact.state, "queued")

    def test_exclude_records_why(self):
        self._set_ci0036(True)
        _call, action = self._close()
        wizard = (
            self.env["smartcall.inbound.outbound"]
            .with_user(self.operator_1)
            .browse(action["res_id"])
        )
        wizard.line_ids.filtered(lambda line: line.contact_id == self.contact).action = "exclude"
        wizard.action_apply()
        self.assertEqual(self.contact.state, "excluded")
        self.assertIn("inbound call", self.contact.excluded_reason)
        self.assertEqual(self.other_contact.state, "new")

    def test_contact_in_call_with_another_operator_is_not_taken(self):
        self._set_ci0036(True)
        _call, action = self._close()
        self.contact.write({"state": "in_call", "operator_id": self.operator_2.id})
        wizard = (
            self.env["smartcall.inbound.outbound"]
            .with_user(self.operator_1)
            .browse(action["res_id"])
        )
        wizard.line_ids.filtered(lambda line: line.contact_id == self.contact).action = "close"
        with self.assertRaisesRegex(UserError, "is on a call with this customer"):
            wizard.action_apply()
        self.assertEqual(self.contact.state, "in_call")

    def test_wizard_cannot_reach_another_customers_contact(self):
        self._set_ci0036(True)
        _call, action = self._close()
        stranger = self.env["smartcall.campaign.contact"].create(
            {"campaign_id": self.outbound.id, "partner_id": self.bianchi.id, "state": "queued"}
        )
        wizard = (
            self.env["smartcall.inbound.outbound"]
            .with_user(self.operator_1)
            .browse(action["res_id"])
        )
        wizard.write({"line_ids": [(0, 0, {"contact_id": stranger.id, "action": "close"})]})
        with self.assertRaisesRegex(UserError, "Only the caller's open contacts"):
            wizard.action_apply()
        self.assertEqual(stranger.state, "queued")

    def test_another_operator_cannot_open_the_wizard(self):
        self._set_ci0036(True)
        _call, action = self._close()
        wizards = (
            self.env["smartcall.inbound.outbound"]
            .with_user(self.operator_2)
            .search([("id", "=", action["res_id"])])
        )
        self.assertFalse(wizards)
