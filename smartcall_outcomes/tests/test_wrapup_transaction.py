# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SmartcallOutcomesCommon


class InjectedFailure(Exception):
    pass


@tagged("post_install", "-at_install")
class TestWrapupTransaction(SmartcallOutcomesCommon):
    def _snapshot(self, contact):
        self.env.invalidate_all()
        call = contact.call_ids.sorted("id")[-1:]
        return {
            "contact": contact.read(
                [
                    "state",
                    "queue_priority",
                    "next_call_at",
                    "callback_owner_id",
                    "callback_note",
                    "last_outcome_id",
                    "operator_id",
                    "attempt_count",
                ]
            ),
            "call": call.read(["state", "notes", "outcome_id", "ended_at", "sale_order_id"]),
            "orders": self.env["sale.order"].search_count(
                [("partner_id", "=", contact.partner_id.id)]
            ),
            "blacklist": self.env["phone.blacklist"].search_count([]),
            "protocols": self.env["sale.order"].search_count([("smartcall_protocol", "!=", False)]),
        }

    def _cart(self):
        return [
            {
                "product_id": self.product.id,
                "quantity": 2,
                "price_unit": 30.0,
                "discount": 10,
            }
        ]

    def test_stop_leaves_no_note_order_or_callback(self):
        contact = self._make_contact("Stop Srl")
        self._hold(self.operator_1, contact)
        priority, due = contact.queue_priority, contact.next_call_at
        console = self._console(self.operator_1)
        state = console.stop(contact.id)
        self.assertIsNone(state["contact"])
        self.assertEqual(state["session"]["state"], "ready")
        self.assertEqual(contact.state, "queued")
        self.assertEqual((contact.queue_priority, contact.next_call_at), (priority, due))
        self.assertFalse(contact.operator_id)
        self.assertFalse(contact.last_outcome_id)
        call = contact.call_ids
        self.assertEqual(call.state, "abandoned")
        self.assertFalse(call.notes)
        self.assertFalse(call.outcome_id)
        self.assertFalse(
            self.env["sale.order"].search([("partner_id", "=", contact.partner_id.id)])
        )
        if "calendar.event" in self.env:
            self.assertFalse(
                self.env["calendar.event"].search([("partner_ids", "in", contact.partner_id.ids)])
            )

    def test_failure_between_steps_leaves_nothing_half_saved(self):
        """The sale order step fails after the call and the contact were written: the
        savepoint (the RPC transaction in real life) rolls every step back."""
        contact = self._make_contact("Crash Srl", mobile="347 7777777")
        self._hold(self.operator_1, contact)
        before = self._snapshot(contact)
        Contact = type(self.env["smartcall.campaign.contact"])
        steps = [
            ("_wrapup_apply_effect", "VEND"),
            ("_wrapup_create_sale_order", "VEND"),
            ("_wrapup_update_session", "VEND"),
            ("_wrapup_update_session", "CALLBK"),
            ("_wrapup_update_session", "DNC"),
        ]
        for method, code in steps:
            original = getattr(Contact, method)

            def fail_after(self, *args, _original=original, **kwargs):
                _original(self, *args, **kwargs)  # the step writes, then the next one fails
                raise InjectedFailure()

            values = {
                "notes": "Must vanish",
                "cart": self._cart(),
                "callback": {"private": True, "date": "2026-03-12", "time": "10:00"},
            }
            with self.subTest(step=method, outcome=code):
                with (
                    patch.object(Contact, method, fail_after),
                    self.assertRaises(InjectedFailure),
                    self.env.cr.savepoint(),
                ):
                    self._confirm(self.operator_1, contact, code, **values)
                self.assertEqual(self._snapshot(contact), before)
        # and the same wrap-up without the failure goes through entirely
        self._confirm(self.operator_1, contact, "VEND", notes="Sold", cart=self._cart())
        after = self._snapshot(contact)
        self.assertEqual(after["contact"][0]["state"], "done")
        self.assertEqual(after["call"][0]["notes"], "Sold")
        self.assertEqual(after["orders"], 1)

    def test_validation_error_writes_nothing(self):
        contact = self._make_contact("Invalid Srl")
        self._hold(self.operator_1, contact)
        before = self._snapshot(contact)
        bad_values = [
            ({"outcome_id": self.outcome["VEND"].id, "cart": []}, "The cart is empty"),
            (
                {"outcome_id": self.outcome["VEND"].id, "cart": [{"product_id": 0}]},
                "Cart line 1: choose a product that can be sold",
            ),
            (
                {
                    "outcome_id": self.outcome["VEND"].id,
                    "cart": [{"product_id": self.product.id, "quantity": -1}],
                },
                "Cart line 1: the quantity must be more than zero",
            ),
            (
                {
                    "outcome_id": self.outcome["VEND"].id,
                    "cart": [{"product_id": self.product.id, "quantity": 1, "discount": 150}],
                },
                "Cart line 1: the discount must be between 0 and 100",
            ),
            ({"outcome_id": "NI"}, "Choose an outcome before confirming"),
            ({"outcome_id": 999999}, "This outcome does not exist any more"),
            ({"outcome_id": self.outcome["NI"].id, "notes": 12}, "The notes must be text"),
            (
                {"outcome_id": self.outcome["NI"].id, "notes": "x" * 30000},
                r"The notes are too long \(30000 characters\)",
            ),
        ]
        for values, message in bad_values:
            with (
                self.subTest(values=str(values)[:80]),
                self.assertRaisesRegex(UserError, message),
            ):
                self._console(self.operator_1).confirm_outcome(contact.id, values)
            self.assertEqual(self._snapshot(contact), before)

    def test_appointment_refused_without_agenda(self):
        """Type T is refused clearly without an agenda addon, and with smartcall_agenda when no
        appointment was registered during the call; nothing is saved."""
        contact = self._make_contact("Appointment Srl")
        self._hold(self.operator_1, contact)
        has_agenda = self.env["smartcall.console"]._has_agenda()
        message = "no registered appointment" if has_agenda else "Smartcall Agenda"
        with self.assertRaisesRegex(UserError, message):
            self._confirm(self.operator_1, contact, "SALEA", appointment={"agent_id": 1})
        self.assertEqual(contact.state, "in_call")
        self.assertEqual(contact.call_ids.state, "draft")

    def test_only_the_holder_can_confirm(self):
        contact = self._make_contact("Holder Srl")
        self._hold(self.operator_1, contact)
        with self.assertRaisesRegex(UserError, "You are not holding"):
            self._confirm(self.operator_2, contact, "NI")
        with self.assertRaisesRegex(UserError, "You are not holding"):
            self._console(self.operator_2).stop(contact.id)
        self.assertEqual(contact.operator_id, self.operator_1)
