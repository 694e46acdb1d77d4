# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import SmartcallOutcomesCommon


@tagged("post_install", "-at_install")
class TestCallHistory(SmartcallOutcomesCommon):
    def test_claim_opens_one_draft_call(self):
        contact = self._make_contact("Rossi Srl")
        self._hold(self.operator_1, contact)
        call = contact.call_ids
        self.assertEqual(len(call), 1)
        self.assertEqual(call.state, "draft")
        self.assertEqual(call.user_id, self.operator_1)
        self.assertEqual(call.partner_id, contact.partner_id)
        self.assertEqual(call.campaign_id, self.campaign)
        self.assertEqual(call.number, contact.phone_e164)
        # asking again for the contact held does not open a second call
        self._console(self.operator_1).next_contact()
        self.assertEqual(len(contact.call_ids), 1)

    def test_outcome_closes_the_call_with_notes_and_duration(self):
        contact = self._make_contact("Bianchi Snc")
        self._hold(self.operator_1, contact)
        with freeze_time(contact.call_ids.started_at + timedelta(seconds=95)):
            self._confirm(self.operator_1, contact, "NI", notes="Spoke with the owner")
        call = contact.call_ids
        self.assertEqual(call.state, "done")
        self.assertEqual(call.outcome_id, self.outcome["NI"])
        self.assertEqual(call.notes, "Spoke with the owner")
        self.assertEqual(call.duration, 95)
        self.assertEqual(call.hour, 10)  # 09:00 UTC is 10:00 in Rome
        self.assertEqual(contact.state, "done")
        self.assertEqual(contact.last_outcome_id, self.outcome["NI"])
        self.assertEqual(contact.partner_id.smartcall_call_count, 1)

    def test_payload_carries_last_outcome_and_notes_history(self):
        contact = self._make_contact("Verdi Spa", campaign=self.manual_campaign)
        self._hold(self.operator_1, contact)
        self._confirm(self.operator_1, contact, "A", notes="Machine")
        contact.write({"next_call_at": False})
        state = self._hold(self.operator_2, contact)
        payload = state["contact"]
        self.assertEqual(payload["last_outcome"]["code"], "A")
        self.assertEqual(payload["notes_history"][0]["notes"], "Machine")
        # in the operator's time zone (Europe/Rome, UTC+1 at NOW), day first
        self.assertEqual(payload["notes_history"][0]["date"], "10/03/2026 10:00")
        self.assertEqual(len(contact.call_ids), 2)

    def test_operator_sees_only_own_calls(self):
        contact = self._make_contact("Neri Srl")
        self._hold(self.operator_1, contact)
        self._confirm(self.operator_1, contact, "NI")
        Call = self.env["smartcall.call"]
        self.assertEqual(
            Call.with_user(self.operator_1).search_count([("id", "=", contact.call_ids.id)]),
            1,
        )
        self.assertEqual(
            Call.with_user(self.operator_2).search_count([("id", "=", contact.call_ids.id)]),
            0,
        )
        self.assertEqual(
            Call.with_user(self.supervisor).search_count([("id", "=", contact.call_ids.id)]),
            1,
        )
