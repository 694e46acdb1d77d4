# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError

from .common import SmartcallCampaignCommon


class TestRegistroCheck(SmartcallCampaignCommon):
    """Registro delle Opposizioni (DPR 26/2022): a campaign whose check is out of date is
    flagged to the supervisors and builds no work plan until the check is renewed."""

    def setUp(self):
        super().setUp()
        self.contact = self._make_contact("Registro Srl", state="new")
        self.today = self.campaign._today()

    def _set_validity(self, days):
        self.env["ir.config_parameter"].sudo().set_param(
            "smartcall_campaign.registro_validity_days", str(days)
        )

    def test_never_checked_campaign_builds_no_work_plan(self):
        self.campaign.registro_checked_on = False
        self.assertTrue(self.campaign.registro_check_expired)
        with self.assertRaisesRegex(UserError, "Registro delle Opposizioni check of campaign"):
            self.campaign.with_user(self.supervisor).action_build_work_plan()
        self.assertEqual(self.contact.state, "new", "nothing was queued")

    def test_validity_is_a_setting_default_thirty_days(self):
        # checked 29 days ago: 30 days of validity, today is the last valid day
        self.campaign.registro_checked_on = self.today - timedelta(days=29)
        self.assertFalse(self.campaign.registro_check_expired)
        self.assertEqual(self.campaign.registro_valid_until, self.today)
        self.campaign.with_user(self.supervisor).action_build_work_plan()
        self.assertEqual(self.contact.state, "queued")
        # one day more: out of date
        self.campaign.registro_checked_on = self.today - timedelta(days=30)
        self.assertTrue(self.campaign.registro_check_expired)
        with self.assertRaisesRegex(UserError, "out of date"):
            self.campaign.with_user(self.supervisor).action_build_work_plan()
        # a longer validity set by the manager makes it valid again
        self._set_validity(45)
        self.campaign.invalidate_recordset(["registro_check_expired"])
        self.assertFalse(self.campaign.registro_check_expired)
        self.campaign.with_user(self.supervisor).action_build_work_plan()

    def test_validity_setting_must_be_positive(self):
        with self.assertRaisesRegex(ValidationError, "at least one day"):
            self.env["res.config.settings"].create({"smartcall_registro_validity_days": 0})

    def test_search_filter_out_of_date(self):
        self.other_campaign.registro_checked_on = self.today - timedelta(days=40)
        Campaign = self.env["smartcall.campaign"]
        expired = Campaign.search([("registro_check_expired", "=", True)])
        self.assertIn(self.other_campaign, expired)
        self.assertNotIn(self.campaign, expired)
        valid = Campaign.search([("registro_check_expired", "=", False)])
        self.assertIn(self.campaign, valid)
        self.assertNotIn(self.other_campaign, valid)

    def test_cron_flags_supervisors_once_and_skips_the_plan(self):
        self.other_campaign.registro_checked_on = self.today - timedelta(days=31)
        other_contact = self._make_contact("Bari Srl", campaign=self.other_campaign, state="new")
        self.env["smartcall.campaign"]._cron_build_work_plans()
        self.assertEqual(self.contact.state, "queued", "the checked campaign got its plan")
        self.assertEqual(other_contact.state, "new", "the out-of-date one did not")
        notes = self.other_campaign.message_ids.filtered(
            lambda m: "Registro delle Opposizioni" in str(m.body)
        )
        self.assertEqual(len(notes), 1)
        self.assertIn(self.supervisor.partner_id, notes.partner_ids)
        self.assertIn(self.manager.partner_id, notes.partner_ids)
        self.assertNotIn(self.operator_1.partner_id, notes.partner_ids)
        self.assertFalse(
            self.campaign.message_ids.filtered(
                lambda m: "Registro delle Opposizioni check" in str(m.body)
            )
        )
        # the next day: no second note for the same expiry
        self.env["smartcall.campaign"]._cron_build_work_plans()
        notes = self.other_campaign.message_ids.filtered(
            lambda m: "Registro delle Opposizioni" in str(m.body)
        )
        self.assertEqual(len(notes), 1)

    def test_supervisor_renews_the_check(self):
        self.other_campaign.registro_checked_on = self.today - timedelta(days=31)
        self.other_campaign._flag_registro_expired()
        self.assertTrue(self.other_campaign.registro_alert_sent)
        with self.assertRaisesRegex(AccessError, "Only supervisors can record"):
            self.other_campaign.with_user(self.operator_2).action_record_registro_check()
        self.other_campaign.with_user(self.supervisor).action_record_registro_check()
        self.assertEqual(self.other_campaign.registro_checked_on, self.other_campaign._today())
        self.assertFalse(self.other_campaign.registro_check_expired)
        self.assertFalse(self.other_campaign.registro_alert_sent, "the next expiry flags again")
        self.other_campaign.with_user(self.supervisor).action_build_work_plan()
