# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import TOMORROW, SmartcallOutcomesCommon


@tagged("post_install", "-at_install")
class TestCallbackReassign(SmartcallOutcomesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact = cls._make_contact("Left Srl")

    def _set_private(self):
        self._hold(self.operator_1, self.contact)
        self._confirm(
            self.operator_1,
            self.contact,
            "CALLBK",
            callback={"private": True, "date": TOMORROW, "time": "09:00"},
        )

    def test_supervisor_reassigns_private_callbacks(self):
        self._set_private()
        Wizard = self.env["smartcall.callback.reassign"].with_user(self.supervisor)
        wizard_form = Form(
            Wizard.with_context(
                active_model="smartcall.campaign.contact", active_ids=self.contact.ids
            )
        )
        wizard_form.new_owner_id = self.operator_2
        wizard_form.save().action_reassign()
        self.assertEqual(self.contact.callback_owner_id, self.operator_2)
        self.assertEqual(self.contact.state, "callback")
        mine = self._console(self.operator_2).list_my_callbacks()
        self.assertEqual([c["contact_id"] for c in mine], self.contact.ids)
        self.assertEqual(self._console(self.operator_1).list_my_callbacks(), [])

    def test_operator_cannot_reassign(self):
        self._set_private()
        with self.assertRaisesRegex(AccessError, "smartcall.callback.reassign"):
            self.env["smartcall.callback.reassign"].with_user(self.operator_1).create(
                {
                    "contact_ids": [(6, 0, self.contact.ids)],
                    "new_owner_id": self.operator_1.id,
                }
            ).action_reassign()
        with self.assertRaisesRegex(UserError, "Only supervisors can reassign private callbacks"):
            self.contact.with_user(self.operator_1)._reassign_private_callback(self.operator_2)
        self.assertEqual(self.contact.callback_owner_id, self.operator_1)

    def test_only_private_callbacks_can_be_reassigned(self):
        other = self._make_contact("Queued Srl")
        with self.assertRaisesRegex(UserError, "not a private callback"):
            other.with_user(self.supervisor)._reassign_private_callback(self.operator_2)
