# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SmartcallAppointmentCharacteristic(models.Model):
    """A characteristic (seed 004, "caratteristiche") the field agent notes on an appointment,
    e.g. why it was postponed; each back-office state says which are visible and which are
    mandatory."""

    _name = "smartcall.appointment.characteristic"
    _description = "Appointment Characteristic"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
