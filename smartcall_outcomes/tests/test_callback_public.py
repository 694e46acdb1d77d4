# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TODAY, TOMORROW, SmartcallOutcomesCommon


@tagged("post_install", "-at_install")
class TestPublicCallback(SmartcallOutcomesCommon):
    def _callback(self, date, time, private=False, note=""):
        return {"private": private, "date": date, "time": time, "note": note}

    def test_public_callback_refuses_tomorrow(self):
        contact = self._make_contact("Tomorrow Srl")
        self._hold(self.operator_1, contact)
        with self.assertRaisesRegex(UserError, "CBPROS"):
            self._confirm(
                self.operator_1,
                contact,
                "CALLBK",
                callback=self._callback(TOMORROW, "10:00"),
            )
        self.assertEqual(contact.state, "in_call")
        self.assertEqual(contact.call_ids.state, "draft")

    def test_public_callback_refuses_a_past_time(self):
        contact = self._make_contact("Past Srl")
        self._hold(self.operator_1, contact)
        with self.assertRaisesRegex(UserError, "already past"):
            self._confirm(
                self.operator_1,
                contact,
                "CALLBK",
                callback=self._callback(TODAY, "09:30"),
            )

    def test_public_callback_needs_date_and_time(self):
        contact = self._make_contact("Nodate Srl")
        self._hold(self.operator_1, contact)
        for callback, message in (
            (None, "Give the callback date and time"),
            ({"date": TODAY}, "Give the callback date and time"),
            (self._callback("31/02/2026", "10:00"), "The callback date or time is not valid"),
            (self._callback(TODAY, "25:00"), "The callback date or time is not valid"),
        ):
            with self.subTest(callback=callback), self.assertRaisesRegex(UserError, message):
                self._confirm(self.operator_1, contact, "CALLBK", callback=callback)

    def test_public_callback_today_requeued_at_its_time_with_priority_30(self):
        contact = self._make_contact("Today Srl")
        self._hold(self.operator_1, contact)
        self._confirm(
            self.operator_1,
            contact,
            "CALLBK",
            notes="Call back after lunch",
            callback=self._callback(TODAY, "15:30", note="Ask for Mario"),
        )
        self.assertEqual(contact.state, "queued")
        self.assertEqual(contact.queue_priority, 30)
        self.assertFalse(contact.callback_owner_id)
        # 15:30 in Rome (CET, UTC+1) is 14:30 UTC
        self.assertEqual(contact.next_call_at, datetime(2026, 3, 10, 14, 30))
        self.assertEqual(contact.callback_note, "Ask for Mario")
        self.assertEqual(contact.call_ids.callback_at, datetime(2026, 3, 10, 14, 30))

    def test_public_callback_goes_to_the_first_free_operator_at_its_time(self):
        contact = self._make_contact("Queue Srl")
        self._hold(self.operator_1, contact)
        self._confirm(self.operator_1, contact, "CALLBK", callback=self._callback(TODAY, "11:00"))
        newer = self._make_contact("New Srl")
        campaign = self.campaign.with_user(self.operator_2)
        # before its time, the new contact is proposed
        claimed = campaign._claim_next_contact(self.operator_2)
        self.assertEqual(claimed, newer)
        claimed._release_to_queue()
        with freeze_time("2026-03-10 10:00:30"):  # 11:00:30 in Rome
            claimed = campaign._claim_next_contact(self.operator_2)
        self.assertEqual(claimed, contact, "the due public callback comes first")
        self.assertEqual(claimed.operator_id, self.operator_2)
