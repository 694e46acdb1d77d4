# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SmartcallPauseReason(models.Model):
    """Why an operator is in Pause (seed 003, Start/Pause: break, training, callbacks...)."""

    _name = "smartcall.pause.reason"
    _description = "Operator Pause Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    is_private_callbacks = fields.Boolean(
        string="Private Callbacks Time",
        help="The operator works their private callbacks while in this pause.",
    )
