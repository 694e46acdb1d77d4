# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

# The steps an operator can go through in the console, in their usual order (seed 001,
# WORKFLOW of the campaign; seed 004, "Step Agenda"). The outcome (ESITO) is mandatory.
WORKFLOW_STEPS = [
    ("script", "Script"),
    ("agenda", "Agenda"),
    ("cart", "Cart"),
    ("outcome", "Outcome"),
]
OUTCOME_STEP = "outcome"
# Set while a campaign writes its steps: the campaign checks its workflow once, after all of
# them (a form that adds a step and moves it above Outcome is valid only at the end).
WORKFLOW_DEFERRED = "smartcall_workflow_check_deferred"


class SmartcallCampaignStep(models.Model):
    """One step of a campaign's workflow: what the operator does in the console, in order."""

    _name = "smartcall.campaign.step"
    _description = "Campaign Workflow Step"
    _order = "campaign_id, sequence, id"

    campaign_id = fields.Many2one(
        "smartcall.campaign", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    step = fields.Selection(WORKFLOW_STEPS, required=True)

    _sql_constraints = [
        (
            "step_unique",
            "UNIQUE(campaign_id, step)",
            "A step appears only once in a campaign's workflow.",
        ),
    ]

    @api.constrains("sequence", "step", "campaign_id")
    def _check_campaign_workflow(self):
        if not self.env.context.get(WORKFLOW_DEFERRED):
            self.campaign_id._check_workflow()

    def write(self, vals):
        # a step moved to another campaign must not leave the first one without its outcome
        previous = self.campaign_id if "campaign_id" in vals else self.campaign_id.browse()
        result = super().write(vals)
        if previous and not self.env.context.get(WORKFLOW_DEFERRED):
            previous.exists()._check_workflow()
        return result

    def unlink(self):
        campaigns = self.campaign_id
        result = super().unlink()
        # removing the outcome step must not leave a campaign without it
        if not self.env.context.get(WORKFLOW_DEFERRED):
            campaigns.exists()._check_workflow()
        return result
