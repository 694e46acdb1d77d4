# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import UserError


class SmartcallCampaignContact(models.Model):
    _inherit = "smartcall.campaign.contact"

    appointment_ids = fields.One2many(
        "calendar.event", "campaign_contact_id", string="Appointments"
    )
    reschedule_appointment_id = fields.Many2one(
        "calendar.event",
        string="Appointment to Reschedule",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        help="Seed 004: the agent's KO brought the customer back to the operator to re-book "
        "this appointment.",
    )

    def _get_held_appointments(self, user=None):
        """The appointments registered during the current call of `user` (default: the
        holder of each contact), not yet confirmed by CONFERMA ESITO."""
        Event = self.env["calendar.event"].sudo()
        events = Event
        for contact in self:
            operator = user or contact.operator_id
            if not operator:
                continue
            events |= Event.search(
                [
                    ("campaign_contact_id", "=", contact.id),
                    ("booking_operator_id", "=", operator.id),
                    ("booking_state", "=", "held"),
                ]
            )
        return events

    # The wrap-up (smartcall_outcomes) ------------------------------------------
    def _wrapup_check_appointment(self, values):
        """SALEA (seed 003, 4.2): CONFERMA ESITO with an appointment outcome needs the
        appointment registered during the call with "Register appointment"."""
        self.ensure_one()
        if not self._get_held_appointments(self.env.user):
            raise UserError(
                self.env._(
                    "%(customer)s has no registered appointment: press Register appointment "
                    "on the script screen (Back to customer), choose the agent, the date and "
                    "the time, press Register, then confirm the outcome again.",
                    customer=self.partner_id.display_name,
                )
            )

    def _wrapup_register_appointment(self, values, call=None):
        """CONFERMA ESITO with SALEA: the slot held during the call is booked, in the same
        transaction as the outcome."""
        self.ensure_one()
        self._wrapup_check_appointment(values)
        for event in self._get_held_appointments(self.env.user):
            if event.rebook_of_id:
                event._confirm_rebooking(call)
            else:
                event._confirm_held(call)

    def _wrapup_apply_effect(self, plan, call):
        """Any outcome but an appointment one leaves no appointment: the slot held during the
        call is given back (as with STOP/CHIUDI)."""
        if plan["outcome"].type != "T":
            self._get_held_appointments(self.env.user)._release_held()
        return super()._wrapup_apply_effect(plan, call)

    def _release_to_queue(self, priority=None, next_call_at=None):
        """STOP/CHIUDI, logout and the stale-claim cron give the contact back: the slot its
        holder registered is released too (seed 001)."""
        self._get_held_appointments()._release_held()
        return super()._release_to_queue(priority=priority, next_call_at=next_call_at)
