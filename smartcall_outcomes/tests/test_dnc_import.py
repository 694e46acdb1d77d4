# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import datetime

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import TODAY, SmartcallOutcomesCommon

# line 1 header, 2-3 good, 4-5 bad, 6 repeated, 7 blank, 8 E.164 with spaces
FILE = "numero\n0881 777001\n+39 347 7654321\nnot a number\n12\n0881 777001\n\n+39 0881 777003\n"


@tagged("post_install", "-at_install")
class TestDncImportJob(SmartcallOutcomesCommon):
    """The Registro's answer imported as a background job (issue 18)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact = cls._make_contact("Imported Srl", phone="0881 777001")
        cls.callback = cls._make_contact(
            "Callback Srl",
            campaign=cls.manual_campaign,
            mobile="347 7654321",
            state="callback",
            callback_owner_id=cls.operator_1.id,
        )
        cls.untouched = cls._make_contact("Free Srl", phone="0881 777999")
        cls.Blacklist = cls.env["phone.blacklist"].with_context(active_test=False)
        # the reasons of the rejected rows are in the language of who imports
        cls.env["res.lang"]._activate_lang("en_US")
        cls.supervisor.lang = "en_US"

    def _import(self, content=FILE, user=None, **values):
        wizard = (
            self.env["smartcall.dnc.import"]
            .with_user(user or self.supervisor)
            .create(
                {
                    "file": base64.b64encode(content.encode()),
                    "filename": "rdo.csv",
                    **values,
                }
            )
        )
        action = wizard.action_import()
        job = self.env["smartcall.import.job"].browse(action["res_id"])
        self.assertEqual(job.state, "queued", "the file is only queued: the cron imports it")
        return job

    def test_import_reports_every_row_and_excludes_everywhere(self):
        job = self._import()
        job._run_until_done()
        self.assertEqual(job.state, "done")
        self.assertEqual(job.created_count, 3)
        self.assertEqual(job.existing_count, 1, "the repeated number is already present")
        self.assertEqual(job.error_count, 2)
        self.assertEqual(job.error_ids.mapped("line"), [4, 5])
        self.assertIn("not valid", job.error_ids[0].reason)
        self.assertEqual(job.excluded_count, 2)
        self.assertEqual(job.rows_left, 0)
        self.assertEqual(job.progress, 100.0)
        listed = self.Blacklist.search(
            [("number", "in", ["+390881777001", "+393477654321", "+390881777003"])]
        )
        self.assertEqual(listed.filtered("active"), listed)
        self.assertEqual(len(listed), 3)
        self.assertEqual(self.contact.state, "excluded")
        self.assertEqual(self.callback.state, "excluded", "private callbacks leave too")
        self.assertFalse(self.callback.callback_owner_id)
        self.assertIn("Registro", self.contact.excluded_reason)
        self.assertEqual(self.untouched.state, "queued")
        report = base64.b64decode(job.report_file).decode("utf-8-sig").splitlines()
        self.assertEqual(report[0], "Line;Value;Reason")
        self.assertTrue(report[1].startswith("4;not a number;"), report)
        self.assertTrue(report[2].startswith("5;12;"), report)
        self.assertEqual(job.report_filename, "rdo-rejected.csv")

    def test_same_file_again_changes_nothing(self):
        self._import()._run_until_done()
        numbers = self.Blacklist.search([]).read(["number", "active", "write_date"])
        again = self._import()
        again._run_until_done()
        self.assertEqual(
            (again.created_count, again.existing_count, again.error_count, again.excluded_count),
            (0, 4, 2, 0),
        )
        self.assertEqual(
            self.Blacklist.search([]).read(["number", "active", "write_date"]), numbers
        )

    def test_removed_number_comes_back_active(self):
        self.env["phone.blacklist"].create({"number": "+390881777003"}).action_archive()
        job = self._import()
        job._run_until_done()
        self.assertEqual(job.created_count, 3, "reactivated counts as imported")
        self.assertTrue(self.Blacklist.search([("number", "=", "+390881777003")]).active)

    def test_batches_cancel_and_resume_add_up(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "smartcall_campaign.import_batch_size", "2"
        )
        job = self._import()
        self.assertEqual(job.rows_total, 7)
        job._run_batch()
        self.assertEqual(job.state, "running")
        self.assertEqual((job.created_count, job.line_number, job.rows_done), (2, 3, 2))
        self.assertEqual(job.rows_left, 5)
        self.assertTrue(job.estimate)
        self.assertEqual(self.contact.state, "queued", "contacts leave when the file is done")
        job.with_user(self.supervisor).action_cancel()
        self.assertEqual(job.state, "cancelled")
        self.assertEqual(job._run_batch(), 0, "a cancelled job reads nothing more")
        self.assertEqual(job.line_number, 3)
        with self.assertRaises(AccessError):
            job.with_user(self.operator_1).action_resume()
        job.with_user(self.supervisor).action_resume()
        job._run_until_done()
        self.assertEqual(job.state, "done")
        self.assertEqual(
            (job.created_count, job.existing_count, job.error_count, job.excluded_count),
            (3, 1, 2, 2),
        )

    def test_registro_check_date_of_the_campaigns_checked(self):
        self.manual_campaign.registro_checked_on = "2026-01-01"
        self.campaign.registro_checked_on = "2026-01-01"
        job = self._import(checked_on="2026-03-09", campaign_ids=[(6, 0, self.manual_campaign.ids)])
        self.assertEqual(self.manual_campaign.registro_checked_on, datetime.date(2026, 1, 1))
        job._run_until_done()
        self.assertEqual(self.manual_campaign.registro_checked_on, datetime.date(2026, 3, 9))
        self.assertEqual(
            self.campaign.registro_checked_on,
            datetime.date(2026, 1, 1),
            "a campaign not sent to this check keeps its date",
        )
        wizard = self.env["smartcall.dnc.import"].with_user(self.supervisor).new({})
        self.assertEqual(str(wizard.checked_on), TODAY)
        self.assertIn(self.campaign.id, wizard.campaign_ids.ids, "every open campaign by default")

    def test_cp1252_file_and_semicolon_columns(self):
        content = "Numero;Note\n0881 777001;Caffè\n".encode("cp1252")
        wizard = (
            self.env["smartcall.dnc.import"]
            .with_user(self.supervisor)
            .create({"file": base64.b64encode(content), "filename": "rdo.csv"})
        )
        job = self.env["smartcall.import.job"].browse(wizard.action_import()["res_id"])
        self.assertEqual((job.encoding, job.separator), ("cp1252", ";"))
        job._run_until_done()
        self.assertEqual((job.created_count, job.error_count), (1, 0))

    def test_only_supervisors_import_and_see_jobs(self):
        wizard = self.env["smartcall.dnc.import"].create(
            {"file": base64.b64encode(b"0881 777002\n")}
        )
        with self.assertRaisesRegex(AccessError, "Only supervisors"):
            wizard.with_user(self.operator_1).action_import()
        job = self._import()
        with self.assertRaises(AccessError):
            job.with_user(self.operator_1).read(["name"])
        with self.assertRaises(AccessError):
            job.with_user(self.supervisor).write({"state": "done"})

    def test_reasons_in_the_language_of_who_imports(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self.supervisor.lang = "it_IT"
        job = self._import()
        job._run_until_done()
        self.assertIn("non è valido", job.error_ids[0].reason)
