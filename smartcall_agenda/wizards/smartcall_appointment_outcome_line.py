# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SmartcallAppointmentOutcomeLine(models.TransientModel):
    _name = "smartcall.appointment.outcome.line"
    _description = "Appointment Outcome Characteristic"

    wizard_id = fields.Many2one("smartcall.appointment.outcome", required=True, ondelete="cascade")
    characteristic_id = fields.Many2one(
        "smartcall.appointment.characteristic", required=True, readonly=True
    )
    is_mandatory = fields.Boolean(readonly=True)
    value = fields.Char()
