# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import bisect
from datetime import datetime, time, timedelta
from urllib.parse import quote_plus

import pytz
from markupsafe import Markup
from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

DEFAULT_SPACING_MINUTES = 60
MAX_SPACING_MINUTES = 90
SLOT_STEP_MINUTES = 30
SPACING_PARAM = "smartcall_agenda.spacing_minutes"
BUS_TYPE = "smartcall_agenda/slots"
BACK_OFFICE_GROUP = "smartcall_campaign.group_supervisor"


class CalendarEvent(models.Model):
    """A calendar event booked by an operator for a field agent is an appointment (seed 003,
    4 "SALEA - APPUNTAMENTO"; seed 004). ``agent_id`` set makes the event an appointment."""

    _inherit = "calendar.event"

    agent_id = fields.Many2one(
        "res.users",
        string="Field Agent",
        index="btree_not_null",
        ondelete="restrict",
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("smartcall_campaign.group_field_agent").id)
        ],
    )
    customer_id = fields.Many2one("res.partner", index="btree_not_null", ondelete="restrict")
    customer_phone = fields.Char(related="customer_id.phone", string="Customer Phone")
    customer_mobile = fields.Char(related="customer_id.mobile", string="Customer Mobile")
    map_url = fields.Char(compute="_compute_map_url", string="Map")
    booking_operator_id = fields.Many2one(
        "res.users", string="Booked By", index="btree_not_null", ondelete="set null"
    )
    channel = fields.Char(default="Smartcall", help="Where the appointment comes from.")
    agent_note = fields.Text(
        string="Note for the Agent",
        help="What the operator learnt on the phone (seed 003, 4.3).",
    )
    bo_state_id = fields.Many2one(
        "smartcall.appointment.state",
        string="Back-office State",
        index="btree_not_null",
        ondelete="restrict",
        tracking=True,
    )
    bo_state_color = fields.Integer(related="bo_state_id.color", string="State Colour")
    campaign_contact_id = fields.Many2one(
        "smartcall.campaign.contact",
        index="btree_not_null",
        ondelete="set null",
    )
    campaign_id = fields.Many2one(
        related="campaign_contact_id.campaign_id", store=True, string="Campaign"
    )
    call_id = fields.Many2one("smartcall.call", ondelete="set null")
    replaced_appointment_id = fields.Many2one(
        "calendar.event",
        string="Replaces",
        index="btree_not_null",
        ondelete="set null",
        help="The appointment this one was booked to replace (seed 004, mode 2 and 4).",
    )
    replacement_ids = fields.One2many(
        "calendar.event", "replaced_appointment_id", string="Replaced By"
    )
    is_replaced = fields.Boolean(
        compute="_compute_is_replaced",
        store=True,
        help="A newer appointment replaces this one: shown light blue, read-only.",
    )
    booking_state = fields.Selection(
        [("held", "Held during the call"), ("booked", "Booked")],
        copy=False,
        index="btree_not_null",
        help="Held: registered by the operator during the call, confirmed by CONFERMA ESITO "
        "with an appointment outcome (SALEA) and released by STOP/CHIUDI.",
    )
    slot_end = fields.Datetime(
        compute="_compute_slot_end",
        store=True,
        copy=False,
        help="End of the time the appointment keeps its agent busy (start + spacing); empty "
        "when it keeps no slot (no agent, archived, replaced).",
    )

    # Rescheduling (seed 004)
    reschedule_date = fields.Datetime(
        copy=False,
        help="Seed 004 'App. Rifissare': the date the field agent gives when the back-office "
        "state asks for it; a scheduled procedure moves the appointment there (mode 3), books "
        "a new one there (mode 4) or recalls the customer then (mode 5).",
    )
    reschedule_processed = fields.Boolean(
        copy=False, help="A scheduled procedure has acted on the reschedule date."
    )
    reschedule_error = fields.Char(
        copy=False, help="Why the scheduled procedure could not act on the reschedule date."
    )
    answer_ids = fields.One2many(
        "smartcall.appointment.answer", "event_id", string="Characteristics"
    )
    rebook_of_id = fields.Many2one(
        "calendar.event",
        string="Re-books",
        ondelete="set null",
        copy=False,
        help="Held during a call: the appointment to reschedule this booking re-books.",
    )
    rebook_new_card = fields.Boolean(copy=False)
    reschedule_contact_ids = fields.One2many(
        "smartcall.campaign.contact",
        "reschedule_appointment_id",
        string="Recalls to Re-book",
        help="The campaign contacts brought back to an operator to re-book this appointment.",
    )
    to_reschedule = fields.Boolean(
        compute="_compute_to_reschedule",
        search="_search_to_reschedule",
        help="Seed 004: the back-office state brings the customer back to the operator (W "
        "recall) to book the appointment again, and it is not re-booked yet.",
    )
    reschedule_operator_ids = fields.Many2many(
        "res.users",
        compute="_compute_reschedule_operator_ids",
        search="_search_reschedule_operator_ids",
        string="To Reschedule By",
        help="Seed 004: the operators who have to book this appointment again: the one who "
        "booked it and the owner of the customer's recall.",
    )
    ko_summary = fields.Text(
        compute="_compute_ko_summary",
        string="Agent's Notes",
        help="The back-office state and the characteristics the agent gave.",
    )

    # The note for the agent (seed 003, 4.3 "Come si scrive correttamente una nota?")
    note_owner_name = fields.Char(string="Owner's Name")
    note_company_confirmed = fields.Boolean(string="Company Name Confirmed")
    note_current_carrier = fields.Char(string="Current Carrier")
    note_line_count = fields.Integer(string="Number of Lines")
    note_offer = fields.Char(string="Offer Proposed")
    note_monthly_spend = fields.Char(string="Monthly Spend")
    note_invoice_requested = fields.Boolean(string="Invoice Requested")
    note_address_confirmed = fields.Boolean(string="Address Confirmed")
    note_landmark = fields.Char(string="Landmark")
    note_coverage = fields.Char(string="Coverage")
    note_agent_name_given = fields.Boolean(string="Agent's Name Given to the Customer")

    _sql_constraints = [
        (
            # The database refuses two overlapping slots of one agent, also when two
            # operators book at the same instant in two transactions (the Python check
            # below cannot see the other's uncommitted row).
            "agent_slot_free",
            "EXCLUDE USING gist (int4range(agent_id, agent_id, '[]') WITH &&, "
            "tsrange(start, slot_end) WITH &&) WHERE (slot_end IS NOT NULL)",
            "This field agent already has an appointment too close to this time: "
            "choose another slot.",
        ),
    ]

    @api.depends("location")
    def _compute_map_url(self):
        for event in self:
            event.map_url = event.location and (
                "https://www.google.com/maps/search/?api=1&query=" + quote_plus(event.location)
            )

    @api.depends("replacement_ids")
    def _compute_is_replaced(self):
        for event in self:
            event.is_replaced = bool(event.replacement_ids)

    @api.model
    def _get_to_reschedule_domain(self):
        """Seed 004, modes 1, 2 and 5: the appointments the operators have to book again: a W
        state (recall) brought the customer back to them and no one has re-booked it yet, or
        the mode 5 procedure will recall the customer at the agent's date."""
        # sudo: a pending recall counts even when the reader may not open its contact
        pending = (
            self.env["smartcall.campaign.contact"]
            .sudo()
            .with_context(active_test=False)
            .search([("reschedule_appointment_id", "!=", False)])
            .reschedule_appointment_id
        )
        return [
            ("agent_id", "!=", False),
            ("is_replaced", "=", False),
            ("bo_state_id.list_state", "=", "W"),
            "|",
            ("id", "in", pending.ids),
            "&",
            ("bo_state_id.is_reschedule", "=", True),
            ("reschedule_processed", "=", False),
        ]

    @api.depends(
        "agent_id",
        "is_replaced",
        "reschedule_processed",
        "bo_state_id.list_state",
        "bo_state_id.is_reschedule",
        "reschedule_contact_ids",
    )
    def _compute_to_reschedule(self):
        """As `_get_to_reschedule_domain`, on the records in memory."""
        for event in self:
            state = event.bo_state_id
            pending = event.sudo().with_context(active_test=False).reschedule_contact_ids
            event.to_reschedule = bool(
                event.agent_id
                and not event.is_replaced
                and state.list_state == "W"
                and (pending or (state.is_reschedule and not event.reschedule_processed))
            )

    def _search_to_reschedule(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search the appointments to reschedule with Yes or No."))
        domain = expression.normalize_domain(self._get_to_reschedule_domain())
        return domain if (operator == "=") == value else ["!", *domain]

    @api.depends("to_reschedule", "booking_operator_id", "campaign_contact_id.callback_owner_id")
    def _compute_reschedule_operator_ids(self):
        for event in self:
            sudo = event.sudo()
            event.reschedule_operator_ids = (
                sudo.booking_operator_id | sudo.campaign_contact_id.callback_owner_id
                if event.to_reschedule
                else False
            )

    def _search_reschedule_operator_ids(self, operator, value):
        """The appointments to reschedule booked by these users or whose recall they own."""
        if operator != "in":
            raise UserError(self.env._("Search the operators who reschedule with 'in'."))
        user_ids = list(value) if isinstance(value, list | tuple) else [value]
        # sudo: the recall counts even when its owner's rules hide the contact's campaign
        owned = (
            self.env["smartcall.campaign.contact"]
            .sudo()
            .with_context(active_test=False)
            .search([("callback_owner_id", "in", user_ids)])
        )
        return expression.AND(
            [
                self._get_to_reschedule_domain(),
                [
                    "|",
                    ("booking_operator_id", "in", user_ids),
                    ("campaign_contact_id", "in", owned.ids),
                ],
            ]
        )

    @api.depends("bo_state_id", "agent_id", "start", "answer_ids.value")
    def _compute_ko_summary(self):
        for event in self:
            show = event.bo_state_id and event.agent_id and event.start
            event.ko_summary = event._get_ko_summary() if show else False

    @api.depends("agent_id", "start", "active", "is_replaced", "bo_state_id.is_ko")
    def _compute_slot_end(self):
        """The agent's time an appointment keeps: none once replaced or KO (the agent is
        free again at that time)."""
        spacing = timedelta(minutes=self._get_spacing_minutes())
        for event in self:
            if (
                event.agent_id
                and event.start
                and event.active
                and not event.is_replaced
                and not event.bo_state_id.is_ko
            ):
                event.slot_end = event.start + spacing
            else:
                event.slot_end = False

    # ------------------------------------------------------------------
    # The note for the agent
    # ------------------------------------------------------------------
    @api.model
    def _get_note_field_names(self):
        return [name for name in self._fields if name.startswith("note_")]

    @api.model
    def _get_note_field_labels(self):
        """The structured fields of the note, in the order of seed 003, 4.3."""
        return [
            {
                "name": name,
                "label": self._fields[name]._description_string(self.env),
                "type": self._fields[name].type,
            }
            for name in self._get_note_field_names()
        ]

    @api.model
    def _sanitize_note_values(self, values):
        """The structured note fields the operator filled, typed as the fields are."""
        if not isinstance(values, dict):
            return {}
        clean = {}
        for name in self._get_note_field_names():
            if name not in values:
                continue
            value = values[name]
            ftype = self._fields[name].type
            if ftype == "boolean":
                clean[name] = bool(value)
            elif ftype == "integer":
                try:
                    clean[name] = max(0, min(int(value or 0), 10000))
                except (TypeError, ValueError) as error:
                    raise UserError(
                        self.env._("The number of lines must be a whole number.")
                    ) from error
            else:
                text = value if isinstance(value, str) else ""
                clean[name] = text.replace("\x00", "").strip()[:500] or False
        return clean

    @api.model
    def _compose_agent_note(self, values):
        """Seed 003, 4.3 "NOTA ESEMPIO STANDARD": the standard note from the structured
        fields; the parts left empty are left out, the operator edits the result."""
        v = self._sanitize_note_values(values)
        parts = []
        if v.get("note_owner_name"):
            sentence = self.env._("Spoke with the owner, %(name)s", name=v["note_owner_name"])
            if v.get("note_offer"):
                sentence += self.env._(", and proposed %(offer)s", offer=v["note_offer"])
            parts.append(sentence + ".")
        elif v.get("note_offer"):
            parts.append(self.env._("Proposed %(offer)s.", offer=v["note_offer"]))
        if v.get("note_current_carrier"):
            sentence = self.env._(
                "Currently a customer of %(carrier)s", carrier=v["note_current_carrier"]
            )
            if v.get("note_line_count"):
                sentence += self.env._(" with %(lines)s lines", lines=v["note_line_count"])
            if v.get("note_monthly_spend"):
                sentence += self.env._(
                    ", spending %(spend)s a month", spend=v["note_monthly_spend"]
                )
            parts.append(sentence + ".")
        if v.get("note_invoice_requested"):
            parts.append(self.env._("Invoice requested."))
        confirmed = []
        if v.get("note_address_confirmed"):
            confirmed.append(self.env._("Address confirmed."))
        if v.get("note_company_confirmed"):
            confirmed.append(self.env._("Company name confirmed."))
        parts.extend(confirmed)
        if v.get("note_landmark"):
            parts.append(self.env._("Landmark: %(landmark)s.", landmark=v["note_landmark"]))
        if v.get("note_agent_name_given"):
            parts.append(self.env._("Our agent's name was given to the customer."))
        if v.get("note_coverage"):
            parts.append(self.env._("Coverage: %(coverage)s.", coverage=v["note_coverage"]))
        return " ".join(parts)

    def _get_note_report_data(self):
        """Seed 003, 4.3 "SCARICA e STAMPA il modello note": what the printed note for the
        agent shows: the customer, the appointment, the structured fields of the note and
        the note itself (composed from the fields when the operator wrote none). On an empty
        recordset: the blank model, to fill in by hand."""
        event = self.sudo()  # the caller checked the access to the appointment
        yes, no = self.env._("Yes"), self.env._("No")
        lines = []
        for spec in self._get_note_field_labels():
            value = event[spec["name"]] if event else None
            if spec["type"] == "boolean":
                text = "" if not event else (yes if value else no)
            else:
                text = str(value) if value else ""
            lines.append(
                {
                    "label": spec["label"],
                    "type": spec["type"],
                    "value": text,
                    "checked": bool(value),
                }
            )
        partner = event.customer_id
        note = event.agent_note or (
            event
            and self._compose_agent_note(
                {name: event[name] for name in self._get_note_field_names()}
            )
        )
        return {
            "record": self,
            "blank": not event,
            "title": event.name or "",
            "customer": partner.display_name or "",
            "phone": " / ".join(p for p in (event.customer_phone, event.customer_mobile) if p),
            "address": event.location or "",
            "agent": event.agent_id.name or "",
            "when": self._format_local(event.start, event.agent_id) if event.start else "",
            "operator": event.booking_operator_id.name or "",
            "campaign": event.campaign_id.name or "",
            "channel": event.channel or "",
            "lines": lines,
            "note": note or "",
        }

    # ------------------------------------------------------------------
    # Spacing and free slots
    # ------------------------------------------------------------------
    @api.model
    def _get_spacing_minutes(self):
        """Seed 003, 4.1: "appuntamenti sempre a 1/1,5 h di distanza": 60 to 90 minutes."""
        value = (
            self.env["ir.config_parameter"].sudo().get_param(SPACING_PARAM, DEFAULT_SPACING_MINUTES)
        )
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = DEFAULT_SPACING_MINUTES
        return min(max(value, DEFAULT_SPACING_MINUTES), MAX_SPACING_MINUTES)

    @api.model
    def _get_agent_tz(self, agent):
        return pytz.timezone(agent.tz or self.env.user.tz or "Europe/Rome")

    @api.model
    def _get_agent_busy_starts(self, agent, date_from, date_to, exclude=None):
        """Sorted UTC starts of the agent's appointments that keep a slot and could clash with
        a start between `date_from` and `date_to`. sudo: the agenda of a colleague's booking
        counts even when the reader may not open it (record rules)."""
        spacing = timedelta(minutes=MAX_SPACING_MINUTES)
        domain = [
            ("agent_id", "=", agent.id),
            ("slot_end", "!=", False),
            ("start", ">", date_from - spacing),
            ("start", "<", date_to + spacing),
        ]
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        events = self.sudo().with_context(active_test=True).search_read(domain, ["start"])
        return sorted(event["start"] for event in events)

    @api.model
    def _get_agent_candidate_starts(self, agent, day):
        """Starts every SLOT_STEP_MINUTES inside the agent's working hours of `day` (their
        own resource calendar, else the company's), the appointment fitting before the end."""
        tz = self._get_agent_tz(agent)
        calendar = agent.resource_calendar_id or agent.company_id.resource_calendar_id
        day_start = tz.localize(datetime.combine(day, time.min))
        day_end = day_start + timedelta(days=1)
        length = timedelta(minutes=self._get_spacing_minutes())
        step = timedelta(minutes=SLOT_STEP_MINUTES)
        if calendar:
            intervals = calendar._work_intervals_batch(day_start, day_end, tz=tz)[False]
            ranges = [(start, stop) for start, stop, _meta in intervals]
        else:
            ranges = [
                (day_start.replace(hour=9), day_start.replace(hour=13)),
                (day_start.replace(hour=14), day_start.replace(hour=19)),
            ]
        starts = []
        for range_start, range_stop in ranges:
            current = range_start
            while current + length <= range_stop:
                starts.append(current.astimezone(pytz.utc).replace(tzinfo=None))
                current += step
        # a lunch break shorter than the appointment makes the morning's last start useless
        return sorted(set(starts))

    @api.model
    def _get_agent_free_slots(self, agent, day=None, candidates=None, exclude=None):
        """The agent's free starts (UTC, naive): the `candidates` given, else the starts of
        the agent's working `day`, that are at least the configured spacing away from every
        appointment keeping a slot. The booking form and the spacing constraint both ask
        this one helper, so the agenda never offers what the constraint refuses."""
        if candidates is None:
            candidates = self._get_agent_candidate_starts(agent, day)
        if not candidates:
            return []
        spacing = timedelta(minutes=self._get_spacing_minutes())
        busy = self._get_agent_busy_starts(agent, min(candidates), max(candidates), exclude)
        free = []
        for start in candidates:
            index = bisect.bisect_left(busy, start - spacing + timedelta(microseconds=1))
            if index < len(busy) and busy[index] < start + spacing:
                continue
            free.append(start)
        return free

    @api.constrains("agent_id", "start", "slot_end")
    def _check_agent_spacing(self):
        """Seed 003, 4.1: two appointments of one agent are at least the configured spacing
        (60 to 90 minutes) apart."""
        for event in self.filtered("slot_end"):
            if not self._get_agent_free_slots(
                event.agent_id, candidates=[event.start], exclude=event
            ):
                raise event._get_spacing_error(event.agent_id, event.start)

    @api.model
    def _get_spacing_error(self, agent, start):
        return ValidationError(
            self.env._(
                "%(agent)s already has an appointment less than %(minutes)s minutes "
                "from %(when)s: choose another time or another agent.",
                agent=agent.name,
                minutes=self._get_spacing_minutes(),
                when=self._format_local(start, agent),
            )
        )

    @api.constrains("agent_id")
    def _check_agent_is_field_agent(self):
        group = self.env.ref("smartcall_campaign.group_field_agent")
        for event in self.filtered("agent_id"):
            if group not in event.agent_id.sudo().groups_id:
                raise ValidationError(
                    self.env._(
                        "%(user)s is not a field agent: give them the Field Agent role or "
                        "choose another agent.",
                        user=event.agent_id.name,
                    )
                )

    def _format_local(self, value, user=None):
        tz = self._get_agent_tz(user or self.env.user)
        return pytz.utc.localize(value).astimezone(tz).strftime("%d/%m/%Y %H:%M")

    # ------------------------------------------------------------------
    # Booking during the call: held, confirmed by SALEA, released by STOP
    # ------------------------------------------------------------------
    @api.model
    def _create_appointment(self, values):
        """Create one appointment and tell every operator's agenda at once. A clash with an
        appointment committed meanwhile by a colleague (the database exclusion constraint)
        ends in a clear error; the caller's transaction stays usable."""
        Event = self.sudo().with_context(
            no_mail_to_attendees=True, mail_create_nolog=True, tracking_disable=True
        )
        agent = self.env["res.users"].browse(values["agent_id"])
        values = dict(
            values,
            user_id=agent.id,
            partner_ids=[fields.Command.set(agent.partner_id.ids)],
        )
        values.setdefault("stop", values["start"] + timedelta(hours=1))
        if not Event._get_agent_free_slots(agent, candidates=[values["start"]]):
            raise Event._get_spacing_error(agent, values["start"])
        try:
            with self.env.cr.savepoint():
                event = Event.with_context(smartcall_slot_race=True).create(values)
                event.flush_recordset()
        except pg_errors.ExclusionViolation as error:
            raise UserError(
                self.env._(
                    "A colleague has just booked %(agent)s close to %(when)s: the agenda is "
                    "refreshed, choose another slot.",
                    agent=agent.name,
                    when=Event._format_local(values["start"], agent),
                )
            ) from error
        event._notify_agenda()
        return event

    def _notify_agenda(self, agents=None):
        """Push the change of these agents' agenda to every operator (bus, on the Operator
        group's channel, sent at commit): a slot held or booked by a colleague disappears
        from the open agendas within a second."""
        agents = agents or self.agent_id
        if not agents:
            return
        group = self.env.ref("smartcall_campaign.group_operator")
        self.env["bus.bus"].sudo()._sendone(group, BUS_TYPE, {"agent_ids": agents.ids})

    def _confirm_held(self, call=None):
        """CONFERMA ESITO with SALEA (seed 001): the held appointment is booked."""
        values = {"booking_state": "booked"}
        if call:
            values["call_id"] = call.id
        self.sudo().write(values)
        return True

    def _release_held(self):
        """STOP/CHIUDI or the stale-claim timeout (seed 001: "appuntamento ... NON VIENE
        SALVATA"): the held appointments disappear and their slots are free again."""
        held = self.sudo().filtered(lambda event: event.booking_state == "held")
        agents = held.agent_id
        if held:
            held.unlink()
            self.env["calendar.event"]._notify_agenda(agents)
        return True

    # ------------------------------------------------------------------
    # The back office (seed 004, "Backoffice - Appuntamenti")
    # ------------------------------------------------------------------
    @api.model
    def _is_back_office(self):
        return self.env.su or self.env.user.has_group(BACK_OFFICE_GROUP)

    @api.model
    def _check_back_office(self, operation):
        """Seed 004, "Backoffice - Appuntamenti": outside the console (which books through
        its own rules), only the back office (supervisors, managers) creates appointments,
        gives them to another field agent or deletes them."""
        if self._is_back_office():
            return
        messages = {
            "create": self.env._(
                "Only the back office can create an appointment here: book it from the "
                "console with Register appointment."
            ),
            "reassign": self.env._(
                "Only the back office can give an appointment to another field agent: ask a "
                "supervisor."
            ),
            "unlink": self.env._(
                "Only the back office can delete an appointment: ask a supervisor, or set its "
                "back-office state instead."
            ),
        }
        raise AccessError(messages[operation])

    def _reassign_agent(self, agent, reason=None):
        """Seed 004, "Backoffice - Appuntamenti": the back office gives the appointment to
        another field agent. The new agent's spacing is checked again (the constraint), the
        agent becomes the organiser and attendee in place of the old one, both agents are told
        in the chatter, and every operator's agenda refreshes."""
        self.ensure_one()
        self._check_back_office("reassign")
        agent = agent.exists()
        if not self.agent_id:
            raise UserError(self.env._("This event is not an appointment of a field agent."))
        if not agent:
            raise UserError(self.env._("Choose the field agent who takes the appointment."))
        if agent == self.agent_id:
            raise UserError(
                self.env._(
                    "%(agent)s already has this appointment: choose another agent.",
                    agent=agent.name,
                )
            )
        if self.is_replaced:
            raise UserError(
                self.env._(
                    "This appointment was replaced by a new one (shown light blue): it can no "
                    "longer be changed. Open the new appointment instead."
                )
            )
        old = self.agent_id
        self.with_context(no_mail_to_attendees=True, dont_notify=True).write(
            {
                "agent_id": agent.id,
                "user_id": agent.id,
                "partner_ids": [
                    fields.Command.unlink(old.partner_id.id),
                    fields.Command.link(agent.partner_id.id),
                ],
            }
        )
        body = self.env._(
            "Appointment of %(when)s with %(customer)s given by %(user)s from %(old)s to %(new)s.",
            when=self._format_local(self.start, agent),
            customer=self.customer_id.display_name or self.name,
            user=self.env.user.name,
            old=old.name,
            new=agent.name,
        )
        if reason:
            body = Markup("%s<br/>%s") % (body, reason)
        self.message_post(
            body=body,
            partner_ids=(old | agent).partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self._notify_agenda(old | agent)
        return True

    def action_open_reassign(self):
        """The back office's "Reassign agent" dialog."""
        self.ensure_one()
        self._check_back_office("reassign")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reassign the field agent"),
            "res_model": "smartcall.appointment.reassign",
            "views": [[False, "form"]],
            "target": "new",
            "context": {"default_event_id": self.id},
        }

    def unlink(self):
        if any(self.mapped("agent_id")):
            self._check_back_office("unlink")
        return super().unlink()

    # ------------------------------------------------------------------
    # Read-only superseded appointments (seed 004, mode 2)
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("agent_id") for vals in vals_list):
            self._check_back_office("create")
        if self.env.context.get("smartcall_slot_race") or not any(
            vals.get("agent_id") for vals in vals_list
        ):
            return super().create(vals_list)
        # the slot's exclusion constraint fires before the spacing check could explain it
        try:
            with self.env.cr.savepoint():
                events = super().create(vals_list)
                events.flush_recordset()
        except pg_errors.ExclusionViolation as error:
            vals = next(vals for vals in vals_list if vals.get("agent_id"))
            raise self._get_spacing_error(
                self.env["res.users"].browse(vals["agent_id"]),
                fields.Datetime.to_datetime(vals.get("start")),
            ) from error
        return events

    def write(self, vals):
        if "agent_id" in vals and any(
            event.agent_id.id != (vals["agent_id"] or False) for event in self
        ):
            self._check_back_office("reassign")
        protected = set(vals) - {"replacement_ids", "is_replaced", "slot_end", "active"}
        if protected and not self.env.su and any(event.is_replaced for event in self):
            raise UserError(
                self.env._(
                    "This appointment was replaced by a new one (shown light blue): it can no "
                    "longer be changed. Open the new appointment instead."
                )
            )
        if not ({"start", "stop", "agent_id", "active", "bo_state_id"} & set(vals)) or not (
            vals.get("agent_id") or any(self.mapped("agent_id"))
        ):
            return super().write(vals)
        # The slot's exclusion constraint fires at the flush, before the spacing check
        # could explain it: the same explanation for both.
        try:
            with self.env.cr.savepoint():
                result = super().write(vals)
                self.flush_recordset()
        except pg_errors.ExclusionViolation as error:
            event = self.filtered("agent_id")[:1] or self[:1]
            agent = self.env["res.users"].browse(vals.get("agent_id")) or event.agent_id
            start = fields.Datetime.to_datetime(vals.get("start")) or event.start
            raise self._get_spacing_error(agent, start) from error
        return result

    # ------------------------------------------------------------------
    # The agent's outcome: back-office state, characteristics, reschedule date
    # ------------------------------------------------------------------
    def _set_bo_state(self, state, answers=None, reschedule_date=None):
        """The field agent (or the back office) sets the back-office state (seed 004): the
        mandatory characteristics of the state must be answered, the reschedule date given
        when the state asks for it ("Rifissa Appuntamento"); a W state brings the customer
        back to the booking operator as a recall at once (modes 1 and 2), unless it also
        asks for the reschedule date: the mode 5 procedure then recalls at that date."""
        self.ensure_one()
        if self.is_replaced:
            raise UserError(
                self.env._(
                    "This appointment was replaced by a new one (shown light blue): it can no "
                    "longer be changed. Open the new appointment instead."
                )
            )
        state = state.exists()
        if not state or not state.active:
            raise UserError(self.env._("Choose a back-office state."))
        answers = {int(key): (value or "").strip() for key, value in (answers or {}).items()}
        shown = state._get_shown_characteristics()
        missing = state.mandatory_characteristic_ids.filtered(lambda c: not answers.get(c.id))
        if missing:
            raise UserError(
                self.env._(
                    "State %(state)s needs these characteristics: %(names)s.",
                    state=state.name,
                    names=", ".join(missing.mapped("name")),
                )
            )
        values = {"bo_state_id": state.id, "reschedule_processed": False, "reschedule_error": False}
        if state.is_reschedule:
            if not reschedule_date:
                raise UserError(
                    self.env._(
                        "State %(state)s needs the reschedule date (App. Rifissare).",
                        state=state.name,
                    )
                )
            if reschedule_date <= fields.Datetime.now():
                raise UserError(self.env._("The reschedule date must be in the future."))
            values["reschedule_date"] = reschedule_date
        else:
            values["reschedule_date"] = False
        self.write(values)
        self.env["smartcall.appointment.answer"].sudo().create(
            [
                {
                    "event_id": self.id,
                    "characteristic_id": characteristic.id,
                    "bo_state_id": state.id,
                    "value": answers[characteristic.id],
                }
                for characteristic in shown
                if answers.get(characteristic.id)
            ]
        )
        if state.list_state == "W" and not state.is_reschedule:
            self._recall_operator(fields.Datetime.now())
        self._notify_agenda()
        return True

    def action_open_outcome(self):
        """The agent's outcome dialog (state, characteristics, reschedule date)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Appointment outcome"),
            "res_model": "smartcall.appointment.outcome",
            "views": [[False, "form"]],
            "target": "new",
            "context": {"default_event_id": self.id},
        }

    def _get_ko_summary(self):
        """What the operator reads before calling back (seed 004: "legge le annotazioni")."""
        self.ensure_one()
        lines = [f"{self.bo_state_id.name or ''} ({self._format_local(self.start, self.agent_id)})"]
        lines += [f"{a.characteristic_id.name}: {a.value}" for a in self.sudo().answer_ids]
        return "\n".join(lines)

    def _recall_operator(self, when):
        """Bring the customer back to the operator who booked the appointment (seed 004,
        modes 1, 2 and 5): a private recall for that operator, or a public one for the
        campaign's first free operator, at `when`; the contact remembers the appointment to
        re-book. System-made: the operators' "today only" rule of public callbacks does not
        apply to the agent's date."""
        self.ensure_one()
        contact = self.sudo().campaign_contact_id
        if not contact:
            raise UserError(
                self.env._(
                    "This appointment was not booked from a campaign: there is no operator "
                    "to recall the customer."
                )
            )
        state = self.bo_state_id
        note = self.env._("Reschedule appointment: %(summary)s", summary=self._get_ko_summary())
        operator = self.sudo().booking_operator_id
        if state.recall_option == "public" or not operator:
            vals = {
                "state": "queued",
                "queue_priority": 30,
                "next_call_at": when,
                "callback_note": note,
            }
        else:
            vals = {
                "state": "callback",
                "callback_owner_id": operator.id,
                "next_call_at": when,
                "callback_note": note,
            }
        contact._write_outcome_state(dict(vals, reschedule_appointment_id=self.id))
        return contact

    # ------------------------------------------------------------------
    # Re-booking by the operator (seed 004, modes 1, 2, 5; parameters CC0036...CC0037A)
    # ------------------------------------------------------------------
    @api.model
    def _get_reschedule_params(self):
        get = self.env["ir.config_parameter"].sudo().get_param

        def flag(key):
            return get(f"smartcall_agenda.{key}", "False") in ("True", "1", "true")

        def number(key):
            try:
                return int(get(f"smartcall_agenda.{key}", 0) or 0)
            except ValueError:
                return 0

        return {
            "cc0036": flag("cc0036"),
            "cc0036a": flag("cc0036a"),
            "cc0036b": number("cc0036b"),
            "cc0036c": flag("cc0036c"),
            "cc0036d": number("cc0036d"),
            "cc0037": flag("cc0037"),
            "cc0037a": flag("cc0037a"),
        }

    @api.model
    def _get_rebook_choices(self, user=None):
        """What the operator's form offers when re-booking an appointment to reschedule:
        - "new_card": CC0036=NO -> never (same card, mode 1); CC0036=SI and CC0037=SI ->
          always; CC0036=SI and CC0037=NO -> the 'New appointment' flag is offered, ticked
          when CC0037A=SI (mode 2);
        - the state of the new card, CC0036D: an existing state id fixes it (choice
          disabled); an unknown id or 0 proposes the user's default state, choice enabled;
        - the state of the same card, CC0036B: an existing state id fixes it; 0 lets the
          operator choose (user's default proposed)."""
        params = self._get_reschedule_params()
        State = self.env["smartcall.appointment.state"]
        default = State._get_default_state(user)

        def fixed(state_id):
            state = State.browse(state_id).exists() if state_id else State
            return {
                "state_id": (state or default).id,
                "state_editable": not state,
            }

        return {
            "new_card_offered": params["cc0036"] and not params["cc0037"],
            "new_card_default": params["cc0036"] and (params["cc0037"] or params["cc0037a"]),
            "new_card_forced": params["cc0036"] and params["cc0037"],
            "new_card_state": fixed(params["cc0036d"]),
            "same_card_state": fixed(params["cc0036b"]),
            "params": params,
        }

    def _confirm_rebooking(self, call=None):
        """CONFERMA ESITO with SALEA when the held booking re-books an appointment to
        reschedule: on the same card (the old one takes the new date, agent, address and
        note; the held one disappears) or on a new card (linked to the old one when
        CC0036C=SI; the old one then shows light blue, read-only)."""
        self.ensure_one()
        old = self.rebook_of_id.sudo()
        params = self._get_reschedule_params()
        contact = self.sudo().campaign_contact_id
        if self.rebook_new_card:
            values = {"booking_state": "booked", "rebook_of_id": False}
            if call:
                values["call_id"] = call.id
            if params["cc0036c"]:
                values["replaced_appointment_id"] = old.id
            self.sudo().write(values)
            result = self
        else:
            values = {
                "start": self.start,
                "stop": self.stop,
                "agent_id": self.agent_id.id,
                "user_id": self.agent_id.id,
                "partner_ids": [fields.Command.set(self.agent_id.partner_id.ids)],
                "location": self.location,
                "channel": self.channel,
                "bo_state_id": self.bo_state_id.id,
                "reschedule_date": False,
                "reschedule_processed": False,
            }
            if self.agent_note:
                values["agent_note"] = "\n\n".join(
                    p for p in (old.agent_note, self.agent_note) if p
                )
            if params["cc0036a"]:
                values["booking_operator_id"] = self.booking_operator_id.id
            if call:
                values["call_id"] = call.id
            self.sudo().unlink()
            old.with_context(no_mail_to_attendees=True).write(values)
            old._notify_agenda()
            result = old
        if contact:
            contact.sudo().reschedule_appointment_id = False
        return result

    # ------------------------------------------------------------------
    # Scheduled procedures (seed 004, modes 3, 4 and 5): ir.cron, inactive by default
    # ------------------------------------------------------------------
    @api.model
    def _get_to_reschedule(self, list_state):
        return self.sudo().search(
            [
                ("agent_id", "!=", False),
                ("reschedule_date", "!=", False),
                ("reschedule_processed", "=", False),
                ("is_replaced", "=", False),
                ("bo_state_id.is_reschedule", "=", True),
                ("bo_state_id.list_state", "=", list_state),
            ],
            order="reschedule_date, id",
        )

    def _mark_reschedule_error(self, error):
        self.sudo().write({"reschedule_error": str(error.args[0] if error.args else error)[:500]})

    @api.model
    def _cron_reschedule_move(self, state_id=0):
        """Mode 3, "ESEMPIO Spostamento appuntamento rifissato": each appointment whose agent
        gave a reschedule date (state with 'Reschedule Appointment', no recall) moves there,
        same card, in state `state_id` (0: the default state). An appointment the new date
        does not fit (spacing) stays, with the reason in 'reschedule_error'."""
        State = self.env["smartcall.appointment.state"]
        state = State.browse(state_id).exists() if state_id else State._get_default_state()
        for event in self._get_to_reschedule("none"):
            try:
                with self.env.cr.savepoint():
                    event.write(
                        {
                            "start": event.reschedule_date,
                            "stop": event.reschedule_date + (event.stop - event.start),
                            "bo_state_id": state.id,
                            "reschedule_processed": True,
                            "reschedule_error": False,
                        }
                    )
                    event.flush_recordset()
            except (ValidationError, UserError, pg_errors.ExclusionViolation) as error:
                event._mark_reschedule_error(error)
                continue
            event._notify_agenda()
        return True

    @api.model
    def _cron_reschedule_new_card(self, state_id=0):
        """Mode 4, "ESEMPIO Creazione nuovo appuntamento rifissato": a new appointment at the
        agent's reschedule date (new card, same agent, customer, address and note, in state
        `state_id`, 0: the default state), replacing the old one (light blue, read-only)."""
        State = self.env["smartcall.appointment.state"]
        state = State.browse(state_id).exists() if state_id else State._get_default_state()
        for event in self._get_to_reschedule("none"):
            try:
                with self.env.cr.savepoint():
                    self._create_appointment(
                        {
                            "name": event.name,
                            "agent_id": event.agent_id.id,
                            "customer_id": event.customer_id.id,
                            "booking_operator_id": event.booking_operator_id.id,
                            "campaign_contact_id": event.campaign_contact_id.id,
                            "start": event.reschedule_date,
                            "stop": event.reschedule_date + (event.stop - event.start),
                            "location": event.location,
                            "channel": event.channel,
                            "agent_note": event.agent_note,
                            "booking_state": "booked",
                            "bo_state_id": state.id,
                            "replaced_appointment_id": event.id,
                        }
                    )
                    event.write({"reschedule_processed": True, "reschedule_error": False})
            except (ValidationError, UserError) as error:
                event._mark_reschedule_error(error)
        return True

    @api.model
    def _cron_reschedule_callback(self):
        """Mode 5, "ESEMPIO Impostazione richiamo per rifissare appuntamento": the customer
        comes back to the operator as a recall at the agent's reschedule date (state with
        'Reschedule Appointment' and a W recall; the date overrides the state's own recall);
        the operator then re-books as the parameters of mode 1 or 2 say."""
        for event in self._get_to_reschedule("W"):
            try:
                with self.env.cr.savepoint():
                    event._recall_operator(event.reschedule_date)
                    event.write({"reschedule_processed": True, "reschedule_error": False})
            except (ValidationError, UserError) as error:
                event._mark_reschedule_error(error)
        return True
