# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SmartcallInboundState(models.Model):
    """STATO of an inbound call (seed 002: "come si è conclusa": OK, richiamo, vendita...)."""

    _name = "smartcall.inbound.state"
    _description = "Inbound Call State"
    _order = "sequence, code, id"
    _rec_names_search = ["code", "name"]

    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    code = fields.Char(required=True)
    name = fields.Char(required=True, translate=True)
    color = fields.Char(default="#6c757d")

    _sql_constraints = [
        ("code_uniq", "unique(code)", "An inbound call state with this code already exists."),
    ]
