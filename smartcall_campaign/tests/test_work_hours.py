# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError

from .common import SmartcallCampaignCommon, working_hours


class TestWorkHours(SmartcallCampaignCommon):
    """Campaign open Monday-Friday 9:00-18:00 Europe/Rome (UTC+1 in early March 2026),
    closed on Thursday 2026-03-05 (a time off of its calendar)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.office = working_hours(cls.env, "Office", 9.0, 18.0, range(5), holidays=["2026-03-04"])
        cls.campaign.resource_calendar_id = cls.office
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

    @freeze_time("2026-03-04 10:00:00")  # Wednesday 11:00, a time off of the calendar
    def test_time_off_of_the_calendar_no_claim(self):
        self.assertFalse(self.campaign._get_work_intervals())
        self.assertFalse(self._claim())

    @freeze_time("2026-03-07 10:00:00")  # Saturday
    def test_saturday_and_sunday_added_keep_monday_to_friday(self):
        """Issue 13 item 9: adding the week-end used to wipe Monday to Friday."""
        Attendance = self.env["resource.calendar.attendance"]
        for day in ("5", "6"):
            Attendance.create(
                {
                    "calendar_id": self.office.id,
                    "name": day,
                    "dayofweek": day,
                    "hour_from": 9.0,
                    "hour_to": 18.0,
                }
            )
        self.assertEqual(self._claim(), self.contact)
        monday = datetime(2026, 3, 9).date()
        self.assertEqual(self.campaign._get_work_hours_label(monday), "09:00-18:00")

    @freeze_time("2026-03-02 07:00:00")
    def test_manual_pick_outside_hours_refused(self):
        with self.assertRaisesRegex(UserError, "outside its work hours"):
            self.campaign._claim_contact(self.contact, self.operator_1)

    def test_work_hours_use_the_campaign_time_zone(self):
        self.campaign.tz = "America/New_York"
        # Monday 2026-03-02 09:00 in New York = 14:00 UTC
        self.assertFalse(self.campaign._is_within_work_hours(datetime(2026, 3, 2, 13, 59)))
        self.assertTrue(self.campaign._is_within_work_hours(datetime(2026, 3, 2, 14, 0)))

    @freeze_time("2026-03-02 17:00:00")  # Monday 18:00 in Rome: closed
    def test_console_tells_the_operator_the_campaign_is_closed(self):
        """The waiting screen says why no contact comes: the campaign is closed now."""
        self.office.attendance_ids.filtered(lambda a: a.dayofweek == "0").hour_from = 8.5
        state = self.env["smartcall.console"].with_user(self.operator_1).get_console_state()
        campaign = next(c for c in state["campaigns"] if c["id"] == self.campaign.id)
        self.assertFalse(campaign["is_open"])
        self.assertEqual(campaign["work_hours"], "08:30-18:00")

    @freeze_time("2026-03-04 10:00:00")
    def test_console_says_closed_today_on_a_time_off(self):
        state = self.env["smartcall.console"].with_user(self.operator_1).get_console_state()
        campaign = next(c for c in state["campaigns"] if c["id"] == self.campaign.id)
        self.assertFalse(campaign["is_open"])
        self.assertEqual(campaign["work_hours"], "closed today")

    def test_always_open_calendar_label(self):
        self.campaign.resource_calendar_id = self.env.ref(
            "smartcall_campaign.resource_calendar_always_open"
        )
        self.assertEqual(
            self.campaign._get_work_hours_label(datetime(2026, 3, 8).date()), "00:00-24:00"
        )

    def test_label_names_the_campaign_time_zone_for_an_operator_elsewhere(self):
        monday = datetime(2026, 3, 9).date()
        self.operator_1.tz = "Pacific/Kiritimati"
        campaign = self.campaign.with_user(self.operator_1)
        self.assertEqual(campaign._get_work_hours_label(monday), "09:00-18:00 Europe/Rome")
        self.operator_1.tz = "Europe/Rome"
        self.assertEqual(campaign._get_work_hours_label(monday), "09:00-18:00")


class TestDefaultCalendar(SmartcallCampaignCommon):
    """New campaigns get the default calendar: Monday-Saturday 09:00-20:00 in Rome, without
    the Italian public holidays."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.default = cls.env.ref("smartcall_campaign.resource_calendar_call_center")
        cls.default._smartcall_add_italian_holidays([2026])
        cls.new_campaign = cls.env["smartcall.campaign"].create(
            {
                "name": "Default hours",
                "operator_ids": [(6, 0, cls.operator_1.ids)],
                # checked against the Registro delle Opposizioni on the days the tests freeze
                "registro_checked_on": "2026-04-24",
            }
        )

    def test_new_campaign_gets_the_default_calendar(self):
        self.assertEqual(self.new_campaign.resource_calendar_id, self.default)

    def test_default_hours_monday_to_saturday(self):
        campaign = self.new_campaign
        self.assertEqual(campaign._get_work_hours_label(datetime(2026, 3, 7).date()), "09:00-20:00")
        self.assertEqual(
            campaign._get_work_hours_label(datetime(2026, 3, 8).date()), "closed today"
        )

    def test_no_calls_on_25_april(self):
        # Saturday 25 April 2026, 11:00 in Rome (UTC+2)
        self.assertFalse(self.new_campaign._is_within_work_hours(datetime(2026, 4, 25, 9, 0)))
        self.assertTrue(self.new_campaign._is_within_work_hours(datetime(2026, 4, 24, 9, 0)))

    def test_no_calls_on_15_august(self):
        # Saturday 15 August 2026, 11:00 in Rome
        self.assertFalse(self.new_campaign._is_within_work_hours(datetime(2026, 8, 15, 9, 0)))

    def test_no_calls_on_easter_monday(self):
        # Easter Monday 2026 is 6 April
        self.assertFalse(self.new_campaign._is_within_work_hours(datetime(2026, 4, 6, 9, 0)))
        self.assertTrue(self.new_campaign._is_within_work_hours(datetime(2026, 4, 7, 9, 0)))

    def test_italian_holidays_of_a_year(self):
        holidays = dict(
            (day.strftime("%m-%d"), name)
            for day, name in self.env["resource.calendar"]._smartcall_italian_holidays(2027)
        )
        self.assertEqual(len(holidays), 11)
        self.assertEqual(holidays["04-25"], "Festa della Liberazione")
        self.assertEqual(holidays["08-15"], "Ferragosto")
        self.assertEqual(holidays["03-29"], "Lunedì dell'Angelo")

    def test_holidays_added_once(self):
        leaves = self.default.leave_ids
        self.default._smartcall_add_italian_holidays([2026])
        self.assertEqual(self.default.leave_ids, leaves)

    @freeze_time("2026-04-25 03:00:00")
    def test_work_plan_cron_skips_the_holiday(self):
        contact = self._make_contact("Holiday", campaign=self.new_campaign, state="new")
        self.new_campaign.action_start()
        self.env["smartcall.campaign"]._cron_build_work_plans()
        self.assertEqual(contact.state, "new")
        self.assertFalse(self.new_campaign.last_plan_date)

    @freeze_time("2026-04-24 03:00:00")
    def test_work_plan_cron_builds_on_a_working_day(self):
        contact = self._make_contact("Working day", campaign=self.new_campaign, state="new")
        self.new_campaign.action_start()
        self.env["smartcall.campaign"]._cron_build_work_plans()
        self.assertEqual(contact.state, "queued")
