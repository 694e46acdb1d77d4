# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
from datetime import datetime, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.smartcall_campaign.tools import storable_text

MAX_TEXT = 20000
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
MAX_DAYS_AHEAD = 365


class SmartcallConsole(models.AbstractModel):
    """Register appointment (seed 003, 4.1-4.3) inside the console: the agents serving the
    customer's area, their free slots, and the booking held for the call."""

    _inherit = "smartcall.console"

    @api.model
    def _has_agenda(self):
        return True

    @api.model
    def _get_appointment_action(self, contact):
        return {
            "type": "ir.actions.client",
            "tag": "smartcall_agenda.appointment_form",
            "name": self.env._("Register appointment"),
            "target": "new",
            "params": {"contact_id": contact.id},
        }

    # Helpers ---------------------------------------------------------------
    @api.model
    def _get_agenda_contact(self, contact_id):
        """The held contact, refused when its campaign's workflow has no Agenda step (seed
        001: the operators follow the steps of the campaign's WORKFLOW)."""
        contact = self._get_held_contact(contact_id)
        contact.campaign_id._check_workflow_step("agenda")
        return contact

    @api.model
    def _agenda_tz(self):
        return pytz.timezone(self.env.user.tz or "Europe/Rome")

    @api.model
    def _agenda_today(self):
        return pytz.utc.localize(fields.Datetime.now()).astimezone(self._agenda_tz()).date()

    @api.model
    def _agenda_local(self, value):
        return pytz.utc.localize(value).astimezone(self._agenda_tz())

    @api.model
    def _agenda_day(self, day):
        if not isinstance(day, str) or not DATE_RE.match(day):
            return self._agenda_today()
        try:
            value = fields.Date.to_date(day)
        except ValueError:
            return self._agenda_today()
        return value

    @api.model
    def _agenda_agent(self, contact, agent_id):
        agents = self.env["res.users"]._get_agents_for_partner(contact.partner_id)
        agent = agents.filtered(lambda a: a.id == self._positive_int(agent_id))
        if not agent:
            raise UserError(
                self.env._(
                    "Choose one of the field agents serving %(area)s.",
                    area=contact.partner_id.state_id.name or contact.partner_id.city or "",
                )
            )
        return agent

    @api.model
    def _appointment_payload(self, event):
        if not event:
            return None
        local = self._agenda_local(event.start)
        return {
            "id": event.id,
            "agent_id": event.agent_id.id,
            "agent": event.agent_id.name,
            "date": local.strftime("%Y-%m-%d"),
            "time": local.strftime("%H:%M"),
            "label": local.strftime("%d/%m/%Y %H:%M"),
            "state": event.booking_state,
            "location": event.location or "",
            "channel": event.channel or "",
            "note": event.agent_note or "",
        }

    # Public API --------------------------------------------------------------
    @api.model
    def get_appointment_form(self, contact_id):
        """The appointment form of the held contact (seed 003, 4.2): the customer's data
        pre-filled, the agents serving the customer's province, the default channel, the
        appointment already registered during this call if any."""
        contact = self._get_agenda_contact(contact_id)
        partner = contact.partner_id
        agents = self.env["res.users"]._get_agents_for_partner(partner)
        held = contact._get_held_appointments(self.env.user)[:1]
        return {
            "contact_id": contact.id,
            "customer": {
                "name": partner.name or "",
                "street": partner.street or "",
                "zip": partner.zip or "",
                "city": partner.city or "",
                "province": partner.state_id.code or "",
                "phone": self._format_number(contact.phone_e164 or contact.mobile_e164),
                "vat": partner.vat or "",
                "email": partner.email or "",
            },
            "agents": [{"id": agent.id, "name": agent.name} for agent in agents],
            "channel": "Smartcall",
            "today": fields.Date.to_string(self._agenda_today()),
            "spacing_minutes": self.env["calendar.event"]._get_spacing_minutes(),
            "held": self._appointment_payload(held),
            "note_fields": self.env["calendar.event"]._get_note_field_labels(),
            "rebook": self._get_rebook_payload(contact),
        }

    @api.model
    def _get_rebook_payload(self, contact):
        """Seed 004, modes 1, 2 and 5: the appointment the agent sent back to reschedule,
        its KO notes, and what the parameters let the operator choose."""
        old = contact.sudo().reschedule_appointment_id
        if not old:
            return None
        Event = self.env["calendar.event"]
        choices = Event._get_rebook_choices()
        # a short configuration list
        states = self.env["smartcall.appointment.state"].search([])  # pylint: disable=no-search-all
        return {
            "appointment": self._appointment_payload(old),
            "summary": old._get_ko_summary(),
            "agent_note": old.agent_note or "",
            "new_card_offered": choices["new_card_offered"],
            "new_card_default": choices["new_card_default"],
            "new_card_forced": choices["new_card_forced"],
            "new_card_state": choices["new_card_state"],
            "same_card_state": choices["same_card_state"],
            "states": [{"id": state.id, "name": state.name} for state in states],
        }

    @api.model
    def _get_rebook_values(self, contact, values):
        """The held booking's re-booking fields from the parameters and the operator's
        choices (flag 'New appointment', state when the parameters leave it free)."""
        old = contact.sudo().reschedule_appointment_id
        if not old:
            return {}
        choices = self.env["calendar.event"]._get_rebook_choices()
        if choices["new_card_forced"]:
            new_card = True
        elif choices["new_card_offered"]:
            new_card = bool(values.get("new_card", choices["new_card_default"]))
        else:
            new_card = False
        rule = choices["new_card_state" if new_card else "same_card_state"]
        state_id = rule["state_id"]
        if rule["state_editable"] and values.get("bo_state_id"):
            state = (
                self.env["smartcall.appointment.state"]
                .browse(self._positive_int(values.get("bo_state_id")))
                .exists()
            )
            if not state:
                raise UserError(self.env._("Choose an existing appointment state."))
            state_id = state.id
        return {"rebook_of_id": old.id, "rebook_new_card": new_card, "bo_state_id": state_id}

    @api.model
    def get_agent_agenda(self, contact_id, agent_id, day):
        """The chosen agent's day (seed 003, 4.1 "verificare l'effettiva disponibilità
        oraria di un consulente"): every start of their working hours, free or not, from the
        same helper the spacing constraint uses; the operator's own held slot is shown as
        theirs."""
        contact = self._get_agenda_contact(contact_id)
        agent = self._agenda_agent(contact, agent_id)
        day = self._agenda_day(day)
        Event = self.env["calendar.event"]
        held = contact._get_held_appointments(self.env.user)
        candidates = Event._get_agent_candidate_starts(agent, day)
        free = set(Event._get_agent_free_slots(agent, candidates=candidates, exclude=held))
        now = fields.Datetime.now()
        slots = []
        for start in candidates:
            local = self._agenda_local(start)
            mine = any(event.start == start and event.agent_id == agent for event in held)
            slots.append(
                {
                    "time": local.strftime("%H:%M"),
                    "free": start in free and start > now,
                    "mine": mine,
                    "past": start <= now,
                }
            )
        return {
            "agent_id": agent.id,
            "agent": agent.name,
            "day": fields.Date.to_string(day),
            "slots": slots,
        }

    @api.model
    def book_appointment(self, contact_id, values):
        """Register (seed 003, 4.2): the appointment is created and its slot held for this
        call; CONFERMA ESITO with SALEA books it, STOP/CHIUDI releases it. Registering again
        replaces the appointment held for this call. Returns the confirmation."""
        contact = self._get_agenda_contact(contact_id)
        if not isinstance(values, dict):
            raise UserError(self.env._("The appointment could not be read: fill the form again."))
        agent = self._agenda_agent(contact, values.get("agent_id"))
        start = self._agenda_parse_start(values.get("date"), values.get("time"))
        texts = {}
        for key in ("street", "zip", "city", "province", "channel", "note"):
            text = values.get(key) or ""
            if not isinstance(text, str) or len(text) > MAX_TEXT:
                raise UserError(self.env._("The field %(field)s must be a short text.", field=key))
            texts[key] = storable_text(text).strip()
        if not texts["street"] or not texts["city"]:
            raise UserError(self.env._("Give the address of the appointment (street and city)."))
        location = ", ".join(
            part
            for part in (
                texts["street"],
                " ".join(p for p in (texts["zip"], texts["city"]) if p),
                texts["province"] and f"({texts['province']})",
            )
            if part
        )
        Event = self.env["calendar.event"]
        held = contact._get_held_appointments(self.env.user)
        call = contact._get_open_call() if hasattr(contact, "_get_open_call") else None
        if held:
            held._release_held()
        event = Event._create_appointment(
            {
                "name": self.env._("Appointment: %(customer)s", customer=contact.partner_id.name),
                "agent_id": agent.id,
                "customer_id": contact.partner_id.id,
                "booking_operator_id": self.env.uid,
                "campaign_contact_id": contact.id,
                "call_id": call.id if call else False,
                "start": start,
                "stop": start + timedelta(hours=1),
                "location": location,
                "channel": texts["channel"] or "Smartcall",
                "agent_note": texts["note"] or False,
                "booking_state": "held",
                "bo_state_id": self.env["smartcall.appointment.state"]._get_default_state().id,
                **Event._sanitize_note_values(values.get("note_values")),
                **self._get_rebook_values(contact, values),
            }
        )
        return {
            "message": self.env._("Appointment registered successfully"),
            "appointment": self._appointment_payload(event),
        }

    @api.model
    def _agenda_parse_start(self, day, hour):
        """The start the operator chose, in their time zone, never past and not more than
        a year ahead."""
        match = TIME_RE.match(hour.strip()) if isinstance(hour, str) else None
        valid_day = isinstance(day, str) and DATE_RE.match(day)
        try:
            value = valid_day and fields.Date.to_date(day)
        except ValueError:
            value = None
        if not value or not match:
            raise UserError(
                self.env._("Choose the date and the time of the appointment in the agenda.")
            )
        tz = self._agenda_tz()
        local = tz.localize(
            datetime.combine(value, datetime.min.time()).replace(
                hour=int(match.group(1)), minute=int(match.group(2))
            )
        )
        start = local.astimezone(pytz.utc).replace(tzinfo=None)
        if start <= fields.Datetime.now():
            raise UserError(
                self.env._(
                    "%(when)s is already past: choose a later slot.",
                    when=local.strftime("%d/%m/%Y %H:%M"),
                )
            )
        if value > self._agenda_today() + timedelta(days=MAX_DAYS_AHEAD):
            raise UserError(self.env._("An appointment more than a year ahead is not accepted."))
        return start

    @api.model
    def cancel_held_appointment(self, contact_id):
        """The operator takes back the appointment registered during this call."""
        contact = self._get_held_contact(contact_id)
        contact._get_held_appointments(self.env.user)._release_held()
        return True

    @api.model
    def compose_agent_note(self, values):
        """The standard note of seed 003, 4.3 from its structured fields."""
        self._check_operator()
        return self.env["calendar.event"]._compose_agent_note(values)
