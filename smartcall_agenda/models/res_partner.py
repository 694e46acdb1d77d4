# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    smartcall_appointment_ids = fields.One2many(
        "calendar.event", "customer_id", string="Field Appointments"
    )
