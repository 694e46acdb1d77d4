# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class SmartcallAppointmentOutcome(models.TransientModel):
    """The field agent's outcome of an appointment, sized for the phone (seed 004): the
    back-office state, its characteristics and, when the state asks for it, the reschedule
    date (App. Rifissare). The rules are the appointment's `_set_bo_state`."""

    _name = "smartcall.appointment.outcome"
    _description = "Appointment Outcome"

    event_id = fields.Many2one("calendar.event", required=True, ondelete="cascade")
    bo_state_id = fields.Many2one(
        "smartcall.appointment.state", string="Back-office State", required=True
    )
    is_reschedule = fields.Boolean(related="bo_state_id.is_reschedule")
    reschedule_date = fields.Datetime()
    line_ids = fields.One2many(
        "smartcall.appointment.outcome.line", "wizard_id", string="Characteristics"
    )

    @api.onchange("bo_state_id")
    def _onchange_bo_state_id(self):
        state = self.bo_state_id
        mandatory = state.mandatory_characteristic_ids
        self.line_ids = (
            [fields.Command.clear()]
            + [
                fields.Command.create({"characteristic_id": c.id, "is_mandatory": c in mandatory})
                for c in state._get_shown_characteristics()
            ]
            if state
            else [fields.Command.clear()]
        )

    def action_confirm(self):
        self.ensure_one()
        self.event_id._set_bo_state(
            self.bo_state_id,
            {line.characteristic_id.id: line.value for line in self.line_ids},
            reschedule_date=self.reschedule_date if self.is_reschedule else None,
        )
        return {"type": "ir.actions.act_window_close"}
