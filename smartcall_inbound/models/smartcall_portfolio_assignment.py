# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SmartcallPortfolioAssignment(models.Model):
    """Who holds a customer in a portfolio type (seed 002: the operator named in the
    customer's record for the TIPO PORTAFOGLIO of the campaign)."""

    _name = "smartcall.portfolio.assignment"
    _description = "Portfolio Assignment"
    _order = "portfolio_type_id, partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True
    )
    portfolio_type_id = fields.Many2one(
        "smartcall.portfolio.type", required=True, ondelete="cascade", index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Operator",
        required=True,
        ondelete="cascade",
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("smartcall_campaign.group_operator").id)
        ],
    )

    _sql_constraints = [
        (
            "partner_type_uniq",
            "unique(partner_id, portfolio_type_id)",
            "A customer has one operator per portfolio type.",
        ),
    ]
