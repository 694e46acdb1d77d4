# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SmartcallInboundCommon


@tagged("post_install", "-at_install")
class TestInboundClose(SmartcallInboundCommon):
    """Seed 002: closing needs the STATO with action, group and detail, first and last name,
    privacy consent, document type and number, notes; a missing one is named."""

    def setUp(self):
        super().setUp()
        self.call = self._ring(self.operator_1, "0881542001")
        self.call.with_user(self.operator_1).action_accept_inbound()
        self.as_operator = self.call.with_user(self.operator_1)

    def test_close_with_everything_filled(self):
        self.as_operator.write(self._complete_values())
        self.assertIs(self.as_operator.action_close_inbound(), True)
        self.assertEqual(self.call.state, "done")
        self.assertTrue(self.call.ended_at)
        self.assertEqual(self.call.inbound_state_id, self.state_ok)

    def test_each_missing_field_is_named(self):
        labels = {
            "inbound_state_id": "Call State",
            "inbound_action_id": "Action",
            "inbound_group_id": "Group",
            "inbound_group_detail_id": "Group Detail",
            "caller_first_name": "First Name",
            "caller_last_name": "Last Name",
            "privacy_consent": "Privacy Consent",
            "document_type": "Document Type",
            "document_number": "Document Number",
            "notes": "Notes",
        }
        for fname, label in labels.items():
            with self.subTest(field=fname):
                values = self._complete_values()
                values[fname] = False
                expected = label
                if fname == "inbound_group_id":
                    values["inbound_group_detail_id"] = False
                    expected = "Group, Group Detail"
                self.as_operator.write(values)
                with self.assertRaises(UserError) as caught:
                    self.as_operator.action_close_inbound()
                self.assertIn(f"fill in: {expected}.", str(caught.exception))
                self.assertEqual(self.call.state, "draft")

    def test_blank_notes_do_not_count(self):
        self.as_operator.write(dict(self._complete_values(), notes="   "))
        with self.assertRaisesRegex(UserError, "Notes"):
            self.as_operator.action_close_inbound()

    def test_all_missing_fields_are_listed_at_once(self):
        self.call.sudo().write({"caller_first_name": False, "caller_last_name": False})
        with self.assertRaises(UserError) as caught:
            self.as_operator.action_close_inbound()
        message = str(caught.exception)
        for label in ("Call State", "Action", "Group", "First Name", "Document Number"):
            self.assertIn(label, message)

    def test_group_without_details_needs_no_detail(self):
        self.as_operator.write(self._complete_values(self.group_praise))
        self.assertFalse(self.call.inbound_group_detail_id)
        self.as_operator.action_close_inbound()
        self.assertEqual(self.call.state, "done")

    def test_detail_of_another_group_is_refused(self):
        values = self._complete_values(self.group_praise)
        values["inbound_group_detail_id"] = self.group_billing.detail_ids[0].id
        with self.assertRaisesRegex(ValidationError, "belongs to the group Billing"):
            self.as_operator.write(values)

    def test_detail_options_follow_the_group(self):
        view = self.env.ref("smartcall_inbound.smartcall_call_view_form_inbound")
        with Form(self.call.with_user(self.operator_1), view=view) as form:
            form.inbound_group_id = self.group_billing
            form.inbound_group_detail_id = self.group_billing.detail_ids[1]
            form.inbound_group_id = self.group_praise
            self.assertFalse(form.inbound_group_detail_id)
        field = self.call._fields["inbound_group_detail_id"]
        self.assertEqual(field.domain, "[('group_id', '=', inbound_group_id)]")

    def test_closed_call_cannot_be_closed_or_edited_again(self):
        self.as_operator.write(self._complete_values())
        self.as_operator.action_close_inbound()
        with self.assertRaisesRegex(UserError, "already closed"):
            self.as_operator.action_close_inbound()
        with self.assertRaises(AccessError):
            self.as_operator.write({"notes": "changed afterwards"})

    def test_operator_cannot_write_system_fields(self):
        for values in (
            {"state": "done"},
            {"user_id": self.operator_2.id},
            {"answered_at": False},
            {"direction": "out"},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError):
                self.as_operator.write(values)

    def test_operator_cannot_fill_another_operators_call(self):
        with self.assertRaises(AccessError):
            self.call.with_user(self.operator_2).write({"notes": "not mine"})
        with self.assertRaises(AccessError):
            self.call.with_user(self.operator_2).action_close_inbound()

    def test_operator_cannot_write_their_outbound_calls(self):
        contact = self.env["smartcall.campaign.contact"].create(
            {"campaign_id": self.outbound.id, "partner_id": self.bianchi.id}
        )
        outbound_call = self.Call.create(
            {
                "contact_id": contact.id,
                "partner_id": self.bianchi.id,
                "user_id": self.operator_2.id,
                "direction": "out",
            }
        )
        with self.assertRaises(AccessError):
            outbound_call.with_user(self.operator_2).write({"notes": "rewritten"})

    def test_operator_cannot_create_calls_directly(self):
        with self.assertRaises(AccessError):
            self.Call.with_user(self.operator_1).create(
                {"direction": "in", "user_id": self.operator_1.id}
            )
