# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SmartcallInboundAction(models.Model):
    """Azione (seed 002): what is to be done for the customer after an inbound call."""

    _name = "smartcall.inbound.action"
    _description = "Inbound Call Action"
    _order = "sequence, name, id"

    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    name = fields.Char(required=True, translate=True)
