# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import importlib.util
from pathlib import Path

from psycopg2.errors import UniqueViolation

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SmartcallCampaignCommon, always_open

MIGRATION = Path(__file__).parents[1] / "migrations" / "18.0.1.3.0" / "post-migrate.py"


@tagged("post_install", "-at_install")
class TestCampaignWorkflow(SmartcallCampaignCommon):
    """Seed 001: "specificare nel WORKFLOW della campagna gli step che dovranno seguire gli
    operatori. L'unico obbligatorio è lo step chiamato ESITO"."""

    def _new_campaign(self, **values):
        return (
            self.env["smartcall.campaign"]
            .with_user(self.manager)
            .create(dict(always_open(self.env), name="Workflow", **values))
        )

    def _steps(self, *keys):
        return [
            Command.create({"step": key, "sequence": (index + 1) * 10})
            for index, key in enumerate(keys)
        ]

    def test_new_campaign_goes_through_every_step_in_order(self):
        campaign = self._new_campaign()
        self.assertEqual(campaign._get_workflow_steps(), ["script", "agenda", "cart", "outcome"])

    def test_outcome_alone_is_a_valid_workflow(self):
        campaign = self._new_campaign(workflow_step_ids=self._steps("outcome"))
        self.assertEqual(campaign._get_workflow_steps(), ["outcome"])
        self.assertFalse(campaign._has_workflow_step("agenda"))

    def test_workflow_without_outcome_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "must end with the Outcome step"):
            self._new_campaign(workflow_step_ids=self._steps("script", "agenda"))

    def test_empty_workflow_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "Outcome step"):
            self._new_campaign(workflow_step_ids=[])

    def test_outcome_moved_before_another_step_is_refused(self):
        campaign = self._new_campaign()
        outcome = campaign.workflow_step_ids.filtered(lambda s: s.step == "outcome")
        with self.assertRaisesRegex(ValidationError, "Workflow"):
            outcome.with_user(self.manager).sequence = 1

    def test_outcome_step_cannot_be_removed(self):
        campaign = self._new_campaign()
        outcome = campaign.workflow_step_ids.filtered(lambda s: s.step == "outcome")
        # assertRaises (not assertRaisesRegex) rolls the refused change back to a savepoint
        with self.assertRaises(ValidationError) as caught:
            outcome.with_user(self.manager).unlink()
        self.assertIn("must end with the Outcome step", str(caught.exception))
        self.env.invalidate_all()
        self.assertTrue(outcome.exists())
        with self.assertRaises(ValidationError):
            campaign.with_user(self.manager).workflow_step_ids = [Command.unlink(outcome.id)]
        self.env.invalidate_all()
        self.assertEqual(campaign._get_workflow_steps()[-1], "outcome")

    def test_a_step_appears_once(self):
        campaign = self._new_campaign()
        with mute_logger("odoo.sql_db"), self.assertRaises(UniqueViolation):
            with self.env.cr.savepoint():
                campaign.workflow_step_ids = [Command.create({"step": "agenda", "sequence": 1})]

    def test_form_adds_a_step_and_moves_it_above_outcome(self):
        """The campaign form saves every line at once: the workflow is checked at the end, so
        a step added at the bottom and dragged above Outcome is accepted."""
        campaign = self._new_campaign(workflow_step_ids=self._steps("script", "outcome"))
        outcome = campaign.workflow_step_ids.filtered(lambda s: s.step == "outcome")
        campaign.with_user(self.manager).write(
            {
                "workflow_step_ids": [
                    Command.create({"step": "agenda", "sequence": 20}),
                    Command.update(outcome.id, {"sequence": 30}),
                ]
            }
        )
        self.assertEqual(campaign._get_workflow_steps(), ["script", "agenda", "outcome"])

    def test_refusal_is_in_italian_for_italian_users(self):
        self.env["res.lang"]._activate_lang("it_IT")
        Campaign = self.env["smartcall.campaign"].with_context(lang="it_IT")
        with self.assertRaisesRegex(ValidationError, "deve terminare con lo step Esito"):
            Campaign.create(
                dict(
                    always_open(self.env),
                    name="Senza esito",
                    workflow_step_ids=self._steps("script"),
                )
            )

    def test_copied_campaign_keeps_its_workflow(self):
        campaign = self._new_campaign(workflow_step_ids=self._steps("script", "outcome"))
        self.assertEqual(campaign.copy()._get_workflow_steps(), ["script", "outcome"])

    def test_console_payload_lists_the_campaign_steps(self):
        self.campaign.workflow_step_ids.filtered(lambda s: s.step == "cart").unlink()
        contact = self._make_contact("Workflow payload", phone="0881 555001")
        console = self.env["smartcall.console"].with_user(self.operator_1)
        state = console.start(self.campaign.id)
        self.assertEqual(state["contact"]["id"], contact.id)
        workflow = state["contact"]["campaign"]["workflow"]
        self.assertEqual([s["key"] for s in workflow], ["script", "agenda", "outcome"])
        self.assertEqual(workflow[0]["name"], "Script")

    def test_migration_gives_old_campaigns_every_step(self):
        """18.0.1.3.0: a campaign made before the workflow existed gets all the steps."""
        self.env.cr.execute(
            "DELETE FROM smartcall_campaign_step WHERE campaign_id = %s", [self.campaign.id]
        )
        self.env.invalidate_all()
        self.assertFalse(self.campaign.workflow_step_ids)
        spec = importlib.util.spec_from_file_location("sc_workflow_migration", MIGRATION)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.migrate(self.env.cr, "18.0.1.2.0")
        self.env.invalidate_all()
        self.assertEqual(
            self.campaign._get_workflow_steps(), ["script", "agenda", "cart", "outcome"]
        )
        other = self.other_campaign._get_workflow_steps()
        self.assertEqual(other, ["script", "agenda", "cart", "outcome"], "left untouched")
