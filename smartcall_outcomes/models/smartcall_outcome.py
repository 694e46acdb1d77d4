# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

OUTCOME_TYPES = [
    ("R", "Recall"),
    ("N", "Negative"),
    ("C", "Close on Line"),
    ("T", "Appointment"),
]
OUTCOME_EFFECTS = [
    ("close", "Close the contact"),
    ("retry", "Retry (campaign retry rule)"),
    ("next_plan", "Later work plan (no date)"),
    ("blacklist", "Do-not-call list"),
    ("callback", "Callback at a date and time"),
    ("appointment", "Appointment for a field agent"),
    ("sale", "On-line sale (contract)"),
]
# What each type requires from its effect (seed 001: R recall, N negative, C cart, T agenda).
TYPE_EFFECTS = {
    "R": {"callback", "next_plan", "retry"},
    "N": {"close", "retry", "blacklist"},
    "C": {"sale"},
    "T": {"appointment"},
}
# The step of the campaign's workflow each type needs (seed 001 WORKFLOW, seed 004 "Step
# Agenda"): a campaign without it offers no such outcome.
TYPE_WORKFLOW_STEPS = {"C": "cart", "T": "agenda"}


class SmartcallOutcome(models.Model):
    """The outcome catalog (esiti, seed 000 and seed 001 "Stati Contatti"): what a call ended
    with, and what that does to the campaign contact."""

    _name = "smartcall.outcome"
    _description = "Call Outcome"
    _order = "sequence, code, id"
    _rec_names_search = ["code", "name"]

    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    code = fields.Char(required=True, index=True)
    name = fields.Char(required=True, translate=True)
    type = fields.Selection(
        OUTCOME_TYPES,
        required=True,
        default="N",
        help="R: recall (a date and time is set), N: negative (the call ends), "
        "C: close on line (a cart becomes a contract), T: appointment for a field agent.",
    )
    color = fields.Char(
        default="#6c757d",
        help="Colour shown on the outcome page and on the supervisor wall (seed 001).",
    )
    is_quick = fields.Boolean(
        string="Quick Button", help="Shown as a button on top of the outcome page."
    )
    requires_callback = fields.Boolean(
        help="The operator must give a callback date and time (CALLBK)."
    )
    allowed_manual = fields.Boolean(string="In Manual Campaigns", default=True)
    allowed_automatic = fields.Boolean(string="In Automatic Campaigns", default=True)
    is_system_only_automatic = fields.Boolean(
        string="Set by the Dialer in Automatic Campaigns",
        help="In automatic campaigns the dialer sets this outcome itself (B busy, "
        "N no answer); operators use it only in manual campaigns.",
    )
    effect = fields.Selection(OUTCOME_EFFECTS, required=True, default="close")
    is_contacted = fields.Boolean(
        string="Customer Reached",
        default=True,
        help="The operator spoke with the customer: counts for the contact rate.",
    )
    description = fields.Text(
        string="When to Use", translate=True, help="Shown to the operator as help."
    )

    _sql_constraints = [
        ("code_uniq", "unique(code)", "An outcome with this code already exists."),
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for outcome in self:
            outcome.display_name = (
                f"{outcome.code} - {outcome.name}" if outcome.code else outcome.name or ""
            )

    @api.constrains("type", "effect", "requires_callback")
    def _check_type_effect(self):
        """Seed 001: each outcome type has its own follow-up (R callback, C cart, T agenda)."""
        for outcome in self:
            if outcome.effect not in TYPE_EFFECTS[outcome.type]:
                raise ValidationError(
                    self.env._(
                        "Outcome %(code)s: a type %(type)s outcome cannot have the effect "
                        "%(effect)s.",
                        code=outcome.code,
                        type=outcome.type,
                        effect=dict(self._fields["effect"]._description_selection(self.env))[
                            outcome.effect
                        ],
                    )
                )
            if outcome.requires_callback != (outcome.effect == "callback"):
                raise ValidationError(
                    self.env._(
                        "Outcome %(code)s: an outcome asks for a callback date exactly when "
                        "its effect is a callback.",
                        code=outcome.code,
                    )
                )

    @api.model
    def _get_allowed_domain(self, mode):
        """Outcomes an operator may choose in a campaign of `mode` ('manual'|'automatic'):
        B and N are set by the dialer in automatic campaigns (seed 000)."""
        if mode == "automatic":
            return [
                ("allowed_automatic", "=", True),
                ("is_system_only_automatic", "=", False),
            ]
        return [("allowed_manual", "=", True)]

    @api.model
    def _get_campaign_domain(self, campaign):
        """Outcomes an operator may choose in `campaign`: those of its mode, without the
        types whose workflow step (Agenda, Cart) the campaign does not have."""
        steps = campaign.sudo()._get_workflow_steps()
        missing = [otype for otype, step in TYPE_WORKFLOW_STEPS.items() if step not in steps]
        domain = self._get_allowed_domain(campaign.mode)
        return domain + [("type", "not in", missing)] if missing else domain

    def _is_allowed_for_mode(self, mode):
        self.ensure_one()
        return bool(self.filtered_domain(self._get_allowed_domain(mode)))

    def _get_page_values(self):
        """Plain dicts for the outcome page (console API)."""
        return [
            {
                "id": outcome.id,
                "code": outcome.code,
                "name": outcome.name,
                "type": outcome.type,
                "color": outcome.color or "#6c757d",
                "is_quick": outcome.is_quick,
                "requires_callback": outcome.requires_callback,
                "help": outcome.description or "",
            }
            for outcome in self
        ]
