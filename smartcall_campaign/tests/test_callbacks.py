# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError

from .common import SmartcallCampaignCommon, working_hours


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


class TestPublicCallbackWorkingHours(SmartcallCampaignCommon):
    """Seed 003, 3.4 "oggi per oggi, mai per giorni successivi": a campaign open 00:00-05:00
    every day (Europe/Rome, UTC+1 in March 2026) takes public callbacks within those hours
    only, and one nobody reached by 05:00 becomes a CBPROS."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.night = working_hours(cls.env, "Night", 0.0, 5.0, range(7))
        cls.campaign.resource_calendar_id = cls.night
        cls.contact = cls._make_contact("Night Srl")

    @freeze_time("2026-03-02 01:00:00")  # Monday 02:00 in Rome
    def test_within_todays_hours_accepted(self):
        self.contact._set_public_callback(datetime(2026, 3, 2, 3, 30))  # 04:30 in Rome
        self.assertEqual(self.contact.state, "queued")
        self.assertEqual(self.contact.queue_priority, 30)

    @freeze_time("2026-03-02 01:00:00")
    def test_after_closing_refused_saying_until_when(self):
        with self.assertRaisesRegex(UserError, r"today it calls until 05:00.*CBPROS"):
            self.contact._set_public_callback(datetime(2026, 3, 2, 21, 30))  # 22:30 in Rome
        self.assertEqual(self.contact.state, "queued")
        self.assertEqual(self.contact.queue_priority, 10)

    @freeze_time("2026-03-02 01:00:00")
    def test_tomorrow_within_hours_refused(self):
        with self.assertRaisesRegex(UserError, "must fall within today's working hours"):
            self.contact._set_public_callback(datetime(2026, 3, 3, 1, 0))

    @freeze_time("2026-03-02 06:00:00")  # 07:00 in Rome: closed for the rest of the day
    def test_closed_for_today_refused_pointing_to_cbpros(self):
        with self.assertRaisesRegex(UserError, "does not call any more today.*CBPROS"):
            self.contact._set_public_callback(datetime(2026, 3, 2, 8, 0))

    def test_unreached_public_callback_not_served_the_next_day(self):
        with freeze_time("2026-03-02 01:00:00"):
            self.contact._set_public_callback(datetime(2026, 3, 2, 3, 50))
        with freeze_time("2026-03-02 23:30:00"):  # Tuesday 00:30 in Rome, open again
            fresh = self._make_contact("Fresh")
            self.assertEqual(self.campaign._claim_next_contact(self.operator_1), fresh)

    def test_unreached_public_callback_becomes_cbpros_at_the_next_plan(self):
        with freeze_time("2026-03-02 01:00:00"):
            self.contact._set_public_callback(datetime(2026, 3, 2, 3, 50))
        with freeze_time("2026-03-02 23:30:00"):  # Tuesday 00:30 in Rome
            self.campaign.with_user(self.supervisor).action_build_work_plan()
            self.assertEqual(self.contact.state, "queued")
            self.assertEqual(self.contact.queue_priority, 20)
            self.assertFalse(self.contact.next_call_at)
            self.assertEqual(self.campaign._claim_next_contact(self.operator_1), self.contact)

    def test_public_callback_of_today_is_not_expired_by_the_plan(self):
        with freeze_time("2026-03-02 01:00:00"):
            self.contact._set_public_callback(datetime(2026, 3, 2, 3, 50))
            self.campaign.with_user(self.supervisor).action_build_work_plan()
            self.assertEqual(self.contact.queue_priority, 30)
            self.assertEqual(self.contact.next_call_at, datetime(2026, 3, 2, 3, 50))
