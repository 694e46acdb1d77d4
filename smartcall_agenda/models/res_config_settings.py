# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .calendar_event import DEFAULT_SPACING_MINUTES, MAX_SPACING_MINUTES


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    smartcall_appointment_spacing_minutes = fields.Integer(
        string="Minimum time between two appointments of an agent (minutes)",
        default=DEFAULT_SPACING_MINUTES,
        config_parameter="smartcall_agenda.spacing_minutes",
        help="Seed 003, 4.1: appointments always 1 to 1.5 hours apart (60 to 90 minutes).",
    )

    # Seed 004, "Parametri della Procedura" of the appointments to reschedule
    smartcall_cc0036 = fields.Boolean(
        string="CC0036 - New appointment on reschedule",
        config_parameter="smartcall_agenda.cc0036",
        help="Agenda: allows creating a new appointment when an appointment is rescheduled "
        "(NO: the operator re-books the same card, mode 1).",
    )
    smartcall_cc0036a = fields.Boolean(
        string="CC0036A - Update the booking operator on reschedule",
        config_parameter="smartcall_agenda.cc0036a",
        help="Agenda: the operator who re-books the appointment becomes its booking operator.",
    )
    smartcall_cc0036b = fields.Integer(
        string="CC0036B - State ID of the current appointment after reschedule",
        config_parameter="smartcall_agenda.cc0036b",
        help="Agenda: back-office state ID of the current appointment when it is re-booked "
        "(0 = free: the operator chooses).",
    )
    smartcall_cc0036c = fields.Boolean(
        string="CC0036C - Link the new appointment to the old one",
        config_parameter="smartcall_agenda.cc0036c",
        help="Agenda: if CC0036 = YES, the new appointment is linked to the one rescheduled "
        "(shown light blue and read-only).",
    )
    smartcall_cc0036d = fields.Integer(
        string="CC0036D - State ID of the new appointment after reschedule",
        config_parameter="smartcall_agenda.cc0036d",
        help="Agenda: back-office state ID of the new appointment (0 = free). An existing ID "
        "fixes the state and disables the choice; an unknown ID proposes the user's default "
        "state, choice enabled; 0 leaves the choice enabled with the user's default.",
    )
    smartcall_cc0037 = fields.Boolean(
        string="CC0037 - New appointment by default",
        config_parameter="smartcall_agenda.cc0037",
        help="Agenda: if CC0036 = YES, a new appointment is always generated (NO: the "
        "operator chooses with the 'New appointment' flag).",
    )
    smartcall_cc0037a = fields.Boolean(
        string="CC0037A - 'New appointment' flag ticked in the Agenda step",
        config_parameter="smartcall_agenda.cc0037a",
        help="Agenda: if CC0036 = YES and CC0037 = NO, the 'New appointment' flag offered "
        "to the operator starts ticked.",
    )
    smartcall_reschedule_conflicts = fields.Text(
        string="Configuration conflicts",
        compute="_compute_smartcall_reschedule_conflicts",
    )

    def _compute_smartcall_reschedule_conflicts(self):
        # a short configuration list
        states = self.env["smartcall.appointment.state"].search([])  # pylint: disable=no-search-all
        text = "\n".join(message for _blocking, message in states._get_configuration_conflicts())
        for settings in self:
            settings.smartcall_reschedule_conflicts = text

    @api.constrains("smartcall_appointment_spacing_minutes")
    def _check_smartcall_appointment_spacing(self):
        for settings in self:
            value = settings.smartcall_appointment_spacing_minutes
            if not DEFAULT_SPACING_MINUTES <= value <= MAX_SPACING_MINUTES:
                raise ValidationError(
                    self.env._(
                        "The time between two appointments must be between %(min)s and "
                        "%(max)s minutes.",
                        min=DEFAULT_SPACING_MINUTES,
                        max=MAX_SPACING_MINUTES,
                    )
                )
