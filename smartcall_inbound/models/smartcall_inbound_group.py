# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SmartcallInboundGroup(models.Model):
    """Gruppo (seed 002): a group of reports/suggestions raised by the customer's call."""

    _name = "smartcall.inbound.group"
    _description = "Inbound Call Group"
    _order = "sequence, name, id"

    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    name = fields.Char(required=True, translate=True)
    detail_ids = fields.One2many("smartcall.inbound.group.detail", "group_id", string="Details")
