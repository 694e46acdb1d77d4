# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo.tests import HttpCase, new_test_user, tagged

from .common import REGISTRO_CHECKED, always_open


@tagged("post_install", "-at_install")
class TestImportJobTour(HttpCase):
    """Browser tour of an import job (issue 18): its progress bar, rows read and left, time
    left, and Cancel."""

    def test_import_job_tour(self):
        self.env["res.lang"]._activate_lang("en_US")
        supervisor = new_test_user(
            self.env,
            "sc_tour_supervisor",
            password="sc_tour_supervisor",
            groups="smartcall_campaign.group_supervisor",
            tz="Europe/Rome",
            lang="en_US",
        )
        supervisor.tour_enabled = False
        campaign = self.env["smartcall.campaign"].create(
            {"name": "Tour import", **always_open(self.env), **REGISTRO_CHECKED}
        )
        self.env["ir.config_parameter"].sudo().set_param(
            "smartcall_campaign.import_batch_size", "1"
        )
        content = (
            "Ragione sociale;Telefono\n"
            "Uno Srl;0881 551001\nDue Srl;0881 551002\nTre Srl;0881 551003\n"
        )
        wizard = (
            self.env["smartcall.contact.import"]
            .with_user(supervisor)
            .create(
                {
                    "campaign_id": campaign.id,
                    "file": base64.b64encode(content.encode()),
                    "filename": "tour.csv",
                }
            )
        )
        job = self.env["smartcall.import.job"].browse(wizard.action_import()["res_id"])
        job._run_batch()  # what the cron did before the supervisor opened the job
        self.assertEqual((job.state, job.rows_done, job.rows_left), ("running", 1, 2))
        self.start_tour(
            f"/odoo/action-smartcall_campaign.smartcall_import_job_action/{job.id}",
            "smartcall_import_job_tour",
            login="sc_tour_supervisor",
        )
        self.assertEqual(job.state, "cancelled")
        self.assertEqual(job.created_count, 1, "what was imported stays")
