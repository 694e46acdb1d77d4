# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# ir.cron of the scheduled procedures (seed 004, modes 3, 4 and 5)
CRON_MOVE = "smartcall_agenda.ir_cron_reschedule_move"
CRON_NEW_CARD = "smartcall_agenda.ir_cron_reschedule_new_card"
CRON_CALLBACK = "smartcall_agenda.ir_cron_reschedule_callback"


class SmartcallAppointmentState(models.Model):
    """Back-office state of an appointment (seed 004, "Stati B.O."): what the field agent or
    the back office says about it, and what it does: bring the customer back to the operator
    as a recall (type W), show the reschedule date ("Rifissa Appuntamento"), ask for
    characteristics."""

    _name = "smartcall.appointment.state"
    _description = "Appointment Back-office State"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer(help="Colour of the appointments in this state in the agenda.")
    is_default = fields.Boolean(
        string="Default for new appointments",
        help="The state a newly booked appointment gets (unless the user has their own).",
    )
    is_ko = fields.Boolean(
        string="KO",
        help="The appointment did not take place as booked: counted in the agents' KO rate.",
    )
    is_outcome = fields.Boolean(
        string="Outcome",
        compute="_compute_is_outcome",
        store=True,
        readonly=False,
        help="The field agent or the back office says with this state how the appointment "
        "went (e.g. Visited, KO): the appointments in it count in the agents' KO rate. Booking "
        "states (Booked, Rebooked) are no outcome; a KO state always is.",
    )
    list_state = fields.Selection(
        [("none", "None"), ("W", "W - Recall")],
        string="State brought back to the list",
        required=True,
        default="none",
        help="Seed 004 'Stato da riportare in elenco': W brings the customer back to the "
        "operator who booked the appointment as a recall, to book it again.",
    )
    recall_option = fields.Selection(
        [("private", "Private"), ("public", "Public")],
        default="private",
        help="Private: only the operator who booked the appointment sees the recall; "
        "public: the first free operator of the campaign.",
    )
    is_reschedule = fields.Boolean(
        string="Reschedule Appointment",
        help="Seed 004 'Rifissa Appuntamento': the agent gives the reschedule date "
        "('App. Rifissare') when choosing this state.",
    )
    visible_characteristic_ids = fields.Many2many(
        "smartcall.appointment.characteristic",
        "smartcall_appointment_state_visible_rel",
        string="Visible Characteristics",
    )
    mandatory_characteristic_ids = fields.Many2many(
        "smartcall.appointment.characteristic",
        "smartcall_appointment_state_mandatory_rel",
        string="Mandatory Characteristics",
        help="The agent cannot choose this state without answering them.",
    )

    @api.depends("is_ko")
    def _compute_is_outcome(self):
        for state in self:
            state.is_outcome = state.is_outcome or state.is_ko

    @api.model
    def _get_default_state(self, user=None):
        """The state of a newly booked appointment: the user's own default, else the one
        marked default."""
        user = user or self.env.user
        return user.sudo().smartcall_default_appointment_state_id or self.search(
            [("is_default", "=", True)], limit=1
        )

    def _get_shown_characteristics(self):
        self.ensure_one()
        return self.visible_characteristic_ids | self.mandatory_characteristic_ids

    # Configuration conflicts (seed 004: "non incorrere in configurazioni contrastanti") ----
    @api.model
    def _cron_is_active(self, xmlid):
        cron = self.env.ref(xmlid, raise_if_not_found=False)
        return bool(cron and cron.sudo().active)

    def _get_configuration_conflicts(self, active_crons=None):
        """The contradictions between these states and the scheduled procedures, as
        (blocking, sentence naming the settings in conflict). `active_crons`: the xmlids to
        take as active (default: as they are)."""
        if active_crons is None:
            active_crons = {
                x for x in (CRON_MOVE, CRON_NEW_CARD, CRON_CALLBACK) if self._cron_is_active(x)
            }
        conflicts = []
        mode_3_4 = [
            name
            for xmlid, name in (
                (CRON_MOVE, self.env._("Mode 3 - move the appointment")),
                (CRON_NEW_CARD, self.env._("Mode 4 - new appointment")),
            )
            if xmlid in active_crons
        ]
        for state in self.filtered("active"):
            if state.is_reschedule and state.list_state == "W" and mode_3_4:
                conflicts.append(
                    (
                        True,
                        self.env._(
                            "State %(state)s has both 'Reschedule Appointment' and a W recall "
                            "while the scheduled procedure %(procedures)s is active: the agent's "
                            "date would both move the appointment and bring it back to the "
                            "operator. Untick one of them or deactivate the procedure.",
                            state=state.name,
                            procedures=", ".join(mode_3_4),
                        ),
                    )
                )
            if (
                state.is_reschedule
                and state.list_state == "W"
                and CRON_CALLBACK not in active_crons
            ):
                conflicts.append(
                    (
                        False,
                        self.env._(
                            "State %(state)s has 'Reschedule Appointment' and a W recall (mode 5) "
                            "but the scheduled procedure 'Mode 5 - recall at the agent's date' is "
                            "not active: the recall would never be created.",
                            state=state.name,
                        ),
                    )
                )
        return conflicts

    @api.constrains("is_reschedule", "list_state", "active")
    def _check_configuration(self):
        conflicts = self._get_configuration_conflicts()
        # mode 5 waiting for its procedure is a warning (the manager may activate it later)
        blocking = [message for is_blocking, message in conflicts if is_blocking]
        if blocking:
            raise ValidationError("\n".join(blocking))
