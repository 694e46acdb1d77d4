# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SmartcallInboundGroupDetail(models.Model):
    """Gruppo Dettaglio (seed 002): a sub-case within a group."""

    _name = "smartcall.inbound.group.detail"
    _description = "Inbound Call Group Detail"
    _order = "group_id, sequence, name, id"

    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    name = fields.Char(required=True, translate=True)
    group_id = fields.Many2one(
        "smartcall.inbound.group", required=True, ondelete="cascade", index=True
    )
