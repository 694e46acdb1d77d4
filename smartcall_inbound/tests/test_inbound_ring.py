# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import SmartcallInboundCommon


@tagged("post_install", "-at_install")
class TestInboundRing(SmartcallInboundCommon):
    """The PBX rings an operator: an open inbound call, pushed to their phone bar; accept,
    hang up, and the call registered by hand without a PBX."""

    def test_ring_opens_an_inbound_call_in_the_campaign(self):
        call = self._ring(self.operator_1, "0212345678", unique_id="1700000000.1")
        self.assertEqual(call.direction, "in")
        self.assertEqual(call.state, "draft")
        self.assertEqual(call.user_id, self.operator_1)
        self.assertEqual(call.campaign_id, self.inbound)
        self.assertEqual(call.inbound_unique_id, "1700000000.1")
        self.assertFalse(call.answered_at)

    def test_ring_is_pushed_to_the_operator_with_the_holder(self):
        self.env["bus.bus"].sudo().search([]).unlink()
        call = self._ring(self.operator_1, "0212345678")
        payloads = self._bus_payloads("smartcall_inbound/ringing", self.operator_1)
        self.assertEqual(len(payloads), 1)
        self.assertEqual(payloads[0]["call_id"], call.id)
        self.assertEqual(payloads[0]["number"], "+390212345678")
        self.assertEqual(payloads[0]["number_display"], "+39 02 1234 5678")
        self.assertEqual(payloads[0]["partner_name"], "Rossi Srl")
        self.assertEqual(payloads[0]["holder_name"], self.operator_2.name)
        self.assertFalse(payloads[0]["holder_is_me"])
        self.assertFalse(self._bus_payloads("smartcall_inbound/ringing", self.operator_2))

    def test_own_customer_is_flagged_as_such(self):
        self.env["bus.bus"].sudo().search([]).unlink()
        self._ring(self.operator_2, "0212345678")
        payload = self._bus_payloads("smartcall_inbound/ringing", self.operator_2)[0]
        self.assertTrue(payload["holder_is_me"])

    def test_same_pbx_call_rings_once(self):
        first = self._ring(self.operator_1, "0212345678", unique_id="1700000000.7")
        again = self._ring(self.operator_1, "0212345678", unique_id="1700000000.7")
        self.assertEqual(first, again)
        self.assertEqual(self.Call.search_count([("inbound_unique_id", "=", "1700000000.7")]), 1)

    def test_accept_answers_and_opens_the_inbound_form(self):
        call = self._ring(self.operator_1, "0212345678")
        action = call.with_user(self.operator_1).action_accept_inbound()
        self.assertTrue(call.answered_at)
        self.assertEqual(action["res_model"], "smartcall.call")
        self.assertEqual(action["res_id"], call.id)
        self.assertEqual(
            action["views"][0][0],
            self.env.ref("smartcall_inbound.smartcall_call_view_form_inbound").id,
        )

    def test_another_operator_cannot_accept_the_call(self):
        call = self._ring(self.operator_1, "0212345678")
        with self.assertRaisesRegex(AccessError, "not yours"):
            call.with_user(self.operator_2).action_accept_inbound()
        self.assertFalse(call.answered_at)

    def test_hang_up_ends_the_conversation_and_keeps_the_form_open(self):
        call = self._ring(self.operator_1, "0212345678")
        call.with_user(self.operator_1).action_accept_inbound()
        call.with_user(self.operator_1).action_hangup_inbound()
        self.assertTrue(call.ended_at)
        self.assertEqual(call.state, "draft")

    def test_manual_registration_without_a_pbx(self):
        action = self.Call.with_user(self.operator_1).action_register_inbound(
            "+39 0881 542001", self.inbound.id
        )
        call = self.Call.browse(action["res_id"])
        self.assertEqual(call.direction, "in")
        self.assertEqual(call.user_id, self.operator_1)
        self.assertEqual(call.partner_id, self.bianchi)
        self.assertEqual(call.campaign_id, self.inbound)
        self.assertEqual(call.inbound_portfolio_holder_id, self.operator_1)
        self.assertTrue(call.answered_at)

    def test_manual_registration_needs_a_number(self):
        with self.assertRaisesRegex(UserError, "Type the caller's number"):
            self.Call.with_user(self.operator_1).action_register_inbound("  ")

    def test_manual_registration_refuses_an_outbound_campaign(self):
        with self.assertRaisesRegex(UserError, "Outbound Fibre is not an inbound campaign"):
            self.Call.with_user(self.operator_2).action_register_inbound(
                "0212345678", self.outbound.id
            )

    def test_manual_registration_is_for_operators(self):
        user = self.env["res.users"].create(
            {
                "name": "Clerk",
                "login": "sci_clerk",
                "groups_id": [(6, 0, [self.env.ref("base.group_user").id])],
            }
        )
        with self.assertRaises(AccessError):
            self.Call.with_user(user).action_register_inbound("0212345678")

    def test_phone_bar_state_follows_the_call(self):
        Call = self.Call.with_user(self.operator_1)
        self.assertEqual(Call.smartcall_inbound_phone_bar_state()["state"], "available")
        call = self._ring(self.operator_1, "0212345678")
        bar = Call.smartcall_inbound_phone_bar_state()
        self.assertEqual(bar["state"], "ringing")
        self.assertEqual(bar["call"]["call_id"], call.id)
        call.with_user(self.operator_1).action_accept_inbound()
        self.assertEqual(Call.smartcall_inbound_phone_bar_state()["state"], "in_call")
        self.assertEqual(
            self.Call.with_user(self.operator_2).smartcall_inbound_phone_bar_state()["state"],
            "available",
        )

    def test_phone_bar_forgets_an_unanswered_ring_after_the_timeout(self):
        call = self._ring(self.operator_1, "0212345678")
        call.started_at = call.started_at - timedelta(minutes=5)
        bar = self.Call.with_user(self.operator_1).smartcall_inbound_phone_bar_state()
        self.assertEqual(bar["state"], "available")
        self.assertFalse(bar["call"])
        call.answered_at = call.started_at
        bar = self.Call.with_user(self.operator_1).smartcall_inbound_phone_bar_state()
        self.assertEqual(bar["call"]["call_id"], call.id)
