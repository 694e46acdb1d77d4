# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError

from .common import SmartcallCampaignCommon


class TestWorkPlan(SmartcallCampaignCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lucera = cls._make_contact("Lucera Srl", state="new", city="Lucera")
        cls.foggia = cls._make_contact("Foggia Srl", state="new", city="  foggia ")
        cls.bari = cls._make_contact("Bari Srl", state="new", city="Bari", province=cls.province_ba)
        cls.no_number = cls._make_contact("Silent Srl", state="new", phone="")

    def test_province_filter(self):
        self.campaign.zone_state_ids = self.province_ba
        self.campaign.action_build_work_plan()
        self.assertEqual(self.bari.state, "queued")
        self.assertEqual((self.lucera | self.foggia).mapped("state"), ["new", "new"])

    def test_municipality_filter_ignores_case_and_spaces(self):
        self.campaign.write(
            {"zone_state_ids": [(6, 0, self.province_fg.ids)], "zone_municipalities": "Foggia\n"}
        )
        self.campaign.action_build_work_plan()
        self.assertEqual(self.foggia.state, "queued")
        self.assertEqual(self.foggia.queue_priority, 10)
        self.assertEqual((self.lucera | self.bari).mapped("state"), ["new", "new"])

    def test_no_zone_queues_all_and_excludes_no_number(self):
        self.campaign.action_build_work_plan()
        self.assertEqual((self.lucera | self.foggia | self.bari).mapped("state"), ["queued"] * 3)
        self.assertEqual(self.no_number.state, "excluded")
        self.assertTrue(self.campaign.last_plan_date)

    def test_cbpros_waits_for_a_later_plan(self):
        with freeze_time("2026-03-02 09:00:00"):
            self.campaign.action_build_work_plan()
            claimed = self.campaign._claim_next_contact(self.operator_1)
            claimed._postpone_to_next_plan()
            self.assertEqual(claimed.state, "new")
            self.assertTrue(claimed.postponed_to_next_plan)
            self.campaign.action_build_work_plan()  # same day: stays out
            self.assertEqual(claimed.state, "new")
        with freeze_time("2026-03-03 06:00:00"):
            self.env["smartcall.campaign"]._cron_build_work_plans()
            self.assertEqual(claimed.state, "queued")
            self.assertEqual(claimed.queue_priority, 20)
            self.assertFalse(claimed.postponed_to_next_plan)
            self.assertEqual(claimed.attempt_count, 1)

    def test_cbpros_outside_zone_waits(self):
        self.campaign.action_build_work_plan()
        self.bari._postpone_to_next_plan()
        self.bari.postponed_on = "2020-01-01"
        self.campaign.zone_state_ids = self.province_fg
        self.campaign.action_build_work_plan()
        self.assertEqual(self.bari.state, "new")

    def test_draft_campaign_not_planned(self):
        self.campaign.action_pause()
        self.campaign.action_build_work_plan()
        self.assertEqual(self.lucera.state, "new")

    def test_operator_cannot_build_plan(self):
        with self.assertRaises(AccessError):
            self.campaign.with_user(self.operator_1).action_build_work_plan()

    def test_supervisor_builds_plan(self):
        """Supervisors may not edit campaigns, yet they build the day's work plan."""
        self.campaign.with_user(self.supervisor).action_build_work_plan()
        self.assertEqual(self.lucera.state, "queued")
        self.assertTrue(self.campaign.last_plan_date)
