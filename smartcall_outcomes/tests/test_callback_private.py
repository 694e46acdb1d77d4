# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import TOMORROW, SmartcallOutcomesCommon


@tagged("post_install", "-at_install")
class TestPrivateCallback(SmartcallOutcomesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact = cls._make_contact("Private Srl")

    def _set_private(self, date=TOMORROW, time="11:00"):
        self._hold(self.operator_1, self.contact)
        self._confirm(
            self.operator_1,
            self.contact,
            "CALLBK",
            notes="Wants an appointment",
            callback={
                "private": True,
                "date": date,
                "time": time,
                "note": "Owner back",
            },
        )

    def test_private_callback_for_a_later_day(self):
        self._set_private()
        self.assertEqual(self.contact.state, "callback")
        self.assertEqual(self.contact.callback_owner_id, self.operator_1)
        self.assertEqual(self.contact.next_call_at, datetime(2026, 3, 11, 10, 0))

    def test_private_callback_refuses_the_past(self):
        self._hold(self.operator_1, self.contact)
        with self.assertRaisesRegex(UserError, "already past"):
            self._confirm(
                self.operator_1,
                self.contact,
                "CALLBK",
                callback={"private": True, "date": "2026-03-09", "time": "11:00"},
            )

    def test_private_callback_hidden_from_another_operator(self):
        self._set_private()
        Contact = self.env["smartcall.campaign.contact"]
        self.assertFalse(Contact.with_user(self.operator_2).search([("id", "=", self.contact.id)]))
        with self.assertRaises(AccessError):
            self.contact.with_user(self.operator_2).read(["callback_note"])
        self.assertEqual(self._console(self.operator_2).list_my_callbacks(), [])
        mine = self._console(self.operator_1).list_my_callbacks()
        self.assertEqual([c["contact_id"] for c in mine], [self.contact.id])
        self.assertEqual(mine[0]["when"], "2026-03-11 11:00")
        self.assertEqual(mine[0]["note"], "Owner back")

    def test_private_callback_never_claimed_automatically(self):
        self._set_private()
        with freeze_time("2026-03-11 12:00:00"):  # long after its time
            for user in (self.operator_1, self.operator_2):
                claimed = self.campaign.with_user(user)._claim_next_contact(user)
                self.assertNotEqual(claimed, self.contact)
        self.assertEqual(self.contact.state, "callback")

    def test_owner_calls_it_from_my_callbacks(self):
        self._set_private()
        console = self._console(self.operator_1)
        self.assertIsNone(console.get_console_state()["contact"])
        with freeze_time("2026-03-11 10:00:00"):
            state = console.call_callback(self.contact.id)
        self.assertEqual(state["contact"]["id"], self.contact.id)
        self.assertEqual(self.contact.state, "in_call")
        self.assertEqual(len(self.contact.call_ids), 2)
        console.hangup(self.contact.id)
        self._confirm(self.operator_1, self.contact, "NI")
        self.assertEqual(self.contact.state, "done")
        self.assertFalse(self.contact.callback_owner_id)

    def test_another_operator_cannot_call_it(self):
        self._set_private()
        console = self._console(self.operator_2)
        console.start(self.manual_campaign.id)
        with self.assertRaisesRegex(UserError, "not one of your private callbacks"):
            console.call_callback(self.contact.id)
        self.assertEqual(self.contact.state, "callback")
