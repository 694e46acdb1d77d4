# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SmartcallInboundCommon


@tagged("post_install", "-at_install")
class TestInboundMail(SmartcallInboundCommon):
    """Invio Mail (seed 002): to the main address, every additional address in CC, through
    Odoo's composer, logged in the customer's chatter."""

    def _compose(self, call, user):
        action = call.with_user(user).action_send_mail_inbound()
        self.assertEqual(action["res_model"], "mail.compose.message")
        composer_env = (
            self.env["mail.compose.message"].with_user(user).with_context(**action["context"])
        )
        return Form(composer_env)

    def test_mail_goes_to_main_address_with_additional_ones_in_cc(self):
        self.operator_1.email = "operator1@callcenter.example.com"
        call = self._ring(self.operator_1, "0212345678")
        call.with_user(self.operator_1).action_accept_inbound()
        form = self._compose(call, self.operator_1)
        form.subject = "Your new price list"
        composer = form.save()
        composer.action_send_mail()
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "res.partner"), ("res_id", "=", self.rossi.id)])
        )
        self.assertEqual(len(mail), 1)
        self.assertIn("info@rossi.example.com", mail.email_to)
        self.assertEqual(mail.email_cc, "amministrazione@rossi.example.com, ceo@rossi.example.com")
        self.assertEqual(mail.subject, "Your new price list")
        self.assertFalse(mail.recipient_ids)
        logged = self.rossi.message_ids.filtered(lambda m: m.subject == "Your new price list")
        self.assertEqual(len(logged), 1)
        self.assertEqual(logged.author_id, self.operator_1.partner_id)

    def test_customer_without_additional_addresses_gets_no_cc(self):
        self.operator_1.email = "operator1@callcenter.example.com"
        self.bianchi.email = "anna@bianchi.example.com"
        call = self._ring(self.operator_1, "0881542001")
        composer = self._compose(call, self.operator_1).save()
        composer.action_send_mail()
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "res.partner"), ("res_id", "=", self.bianchi.id)])
        )
        self.assertIn("anna@bianchi.example.com", mail.email_to)
        self.assertFalse(mail.email_cc)

    def test_customer_without_email_is_refused(self):
        call = self._ring(self.operator_1, "0881542001")
        with self.assertRaisesRegex(UserError, "Anna Bianchi has no e-mail address"):
            call.with_user(self.operator_1).action_send_mail_inbound()

    def test_unknown_caller_is_refused(self):
        call = self._ring(self.operator_1, "+39 0881 999999")
        with self.assertRaisesRegex(UserError, "Identify the customer"):
            call.with_user(self.operator_1).action_send_mail_inbound()

    def test_invalid_additional_address_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "not-an-address is not a valid"):
            self.rossi.smartcall_email_cc = "ok@rossi.example.com, not-an-address"
