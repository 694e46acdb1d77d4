# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError

from .common import SmartcallCampaignCommon


@freeze_time("2026-03-02 10:00:00")  # Monday 11:00 in Rome
class TestCallbacks(SmartcallCampaignCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact = cls._make_contact("Callback Srl")

    def test_public_callback_today_goes_first_at_its_time(self):
        claimed = self.campaign._claim_next_contact(self.operator_1)
        claimed._set_public_callback(datetime(2026, 3, 2, 15, 0), "after lunch")
        self.assertEqual(claimed.state, "queued")
        self.assertEqual(claimed.queue_priority, 30)
        self.assertFalse(claimed.callback_owner_id)
        newer = self._make_contact("Newer")
        self.assertEqual(self.campaign._claim_next_contact(self.operator_2), newer)
        newer._mark_done()
        with freeze_time("2026-03-02 15:00:00"):
            self.assertEqual(self.campaign._claim_next_contact(self.operator_2), self.contact)

    def test_public_callback_refuses_tomorrow(self):
        with self.assertRaisesRegex(UserError, "public callback"):
            self.contact._set_public_callback(datetime(2026, 3, 3, 9, 0), "")

    def test_private_callback_later_day_kept_for_owner(self):
        self.contact._set_private_callback(
            self.operator_1, datetime(2026, 3, 5, 9, 0), "appointment"
        )
        self.assertEqual(self.contact.state, "callback")
        self.assertEqual(self.contact.callback_owner_id, self.operator_1)
        self.assertFalse(self.campaign._claim_next_contact(self.operator_1))
        with self.assertRaisesRegex(UserError, "is not available any more"):
            self.campaign._claim_contact(self.contact, self.operator_2)
        claimed = self.campaign._claim_contact(self.contact, self.operator_1)
        self.assertEqual(claimed.operator_id, self.operator_1)
        claimed._release_to_queue()  # STOP: back among the owner's private callbacks
        self.assertEqual(claimed.state, "callback")
        self.assertEqual(claimed.callback_owner_id, self.operator_1)

    def test_private_callback_refuses_yesterday(self):
        with self.assertRaisesRegex(UserError, "A private callback must be today or later"):
            self.contact._set_private_callback(self.operator_1, datetime(2026, 3, 1, 9, 0), "")

    def test_script_placeholders_escaped(self):
        self.contact.partner_id.name = "<b>Evil</b> & Co"
        html = self.contact._render_script(self.operator_1)
        self.assertIn("&lt;b&gt;Evil&lt;/b&gt; &amp; Co", html)
        self.assertIn("Lucera", html)
        self.assertIn(self.operator_1.name, html)
        self.assertNotIn("{{", html)
