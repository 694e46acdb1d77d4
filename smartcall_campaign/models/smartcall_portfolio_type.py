# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SmartcallPortfolioType(models.Model):
    """Portfolio type: which operator "owns" a customer for a kind of campaign."""

    _name = "smartcall.portfolio.type"
    _description = "Portfolio Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
