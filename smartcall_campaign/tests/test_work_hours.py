# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError

from .common import SmartcallCampaignCommon


class TestWorkHours(SmartcallCampaignCommon):
    """Campaign open Monday-Friday 9:00-18:00 Europe/Rome (UTC+1 in early March 2026)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign.write(
            {"work_hour_start": 9.0, "work_hour_end": 18.0, "work_weekdays": "0,1,2,3,4"}
        )
        cls.contact = cls._make_contact("Hours")

    def _claim(self):
        return self.campaign._claim_next_contact(self.operator_1)

    @freeze_time("2026-03-02 07:59:00")  # Monday 08:59 in Rome
    def test_before_opening_no_claim(self):
        self.assertFalse(self._claim())

    @freeze_time("2026-03-02 08:00:00")  # Monday 09:00 in Rome
    def test_at_opening_claims(self):
        self.assertEqual(self._claim(), self.contact)

    @freeze_time("2026-03-02 17:00:00")  # Monday 18:00 in Rome
    def test_at_closing_no_claim(self):
        self.assertFalse(self._claim())

    @freeze_time("2026-03-07 10:00:00")  # Saturday
    def test_non_working_weekday_no_claim(self):
        self.assertFalse(self._claim())

    @freeze_time("2026-03-07 10:00:00")
    def test_weekday_booleans_follow_field(self):
        self.assertTrue(self.campaign.work_friday)
        self.assertFalse(self.campaign.work_saturday)
        self.campaign.work_saturday = True
        self.assertEqual(self.campaign.work_weekdays, "0,1,2,3,4,5")
        self.assertEqual(self._claim(), self.contact)

    @freeze_time("2026-03-02 07:00:00")
    def test_manual_pick_outside_hours_refused(self):
        with self.assertRaises(UserError):
            self.campaign._claim_contact(self.contact, self.operator_1)

    def test_invalid_hours_refused(self):
        with self.assertRaises(ValidationError):
            self.campaign.write({"work_hour_start": 19.0, "work_hour_end": 9.0})

    @freeze_time("2026-03-02 17:00:00")  # Monday 18:00 in Rome: closed
    def test_console_tells_the_operator_the_campaign_is_closed(self):
        """The waiting screen says why no contact comes: the campaign is closed now."""
        self.campaign.work_hour_start = 8.5
        state = self.env["smartcall.console"].with_user(self.operator_1).get_console_state()
        campaign = next(c for c in state["campaigns"] if c["id"] == self.campaign.id)
        self.assertFalse(campaign["is_open"])
        self.assertEqual(campaign["work_hours"], "08:30-18:00")
