# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SmartcallCampaignRetryRule(models.Model):
    """How a campaign re-queues a contact after a not-reached outcome (A, B, N...): the wait
    and the maximum attempts for that outcome; the campaign's own maximum stays the cap."""

    _name = "smartcall.campaign.retry.rule"
    _description = "Campaign Retry Rule"
    _order = "campaign_id, outcome_id"

    campaign_id = fields.Many2one(
        "smartcall.campaign", required=True, ondelete="cascade", index=True
    )
    outcome_id = fields.Many2one(
        "smartcall.outcome",
        required=True,
        ondelete="cascade",
        domain=[("effect", "=", "retry")],
    )
    wait_minutes = fields.Integer(default=60, required=True)
    max_attempts = fields.Integer(
        default=3,
        required=True,
        help="After this many attempts the contact is closed. "
        "The campaign's maximum attempts still applies.",
    )

    _sql_constraints = [
        (
            "campaign_outcome_uniq",
            "unique(campaign_id, outcome_id)",
            "This campaign already has a retry rule for this outcome.",
        ),
        ("wait_positive", "CHECK(wait_minutes >= 0)", "The wait cannot be negative."),
        (
            "max_attempts_positive",
            "CHECK(max_attempts > 0)",
            "The maximum number of attempts must be positive.",
        ),
    ]
