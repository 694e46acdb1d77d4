# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SmartcallCarrier(models.Model):
    """Telephone carriers; "Operatori acquisibili" (seed 003, 2.3) lists the acquirable ones."""

    _name = "smartcall.carrier"
    _description = "Carrier"
    _order = "sequence, name"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    is_acquirable = fields.Boolean(
        string="Acquirable",
        default=True,
        help="Customers of this carrier can be acquired: an appointment may be booked.",
    )
    note = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("name_uniq", "unique(name)", "A carrier with this name already exists."),
    ]
