# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SmartcallAppointmentAnswer(models.Model):
    """The field agent's answer to one characteristic of an appointment (seed 004)."""

    _name = "smartcall.appointment.answer"
    _description = "Appointment Characteristic Answer"
    _order = "id"

    event_id = fields.Many2one("calendar.event", required=True, ondelete="cascade", index=True)
    characteristic_id = fields.Many2one(
        "smartcall.appointment.characteristic", required=True, ondelete="restrict"
    )
    bo_state_id = fields.Many2one(
        "smartcall.appointment.state",
        string="Back-office State",
        ondelete="set null",
        help="The state the agent set when answering.",
    )
    value = fields.Char(required=True)
