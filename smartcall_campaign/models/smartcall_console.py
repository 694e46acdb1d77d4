# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
from urllib.parse import quote_plus

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools import storable_text
from .smartcall_campaign import PRIORITY_NEW, PRIORITY_PUBLIC_CALLBACK, PRIORITY_RETRY
from .smartcall_coverage import split_street_number
from .smartcall_operator_session import HELD_STATES

DTMF_RE = re.compile(r"^[0-9*#]{1,32}$")


class SmartcallConsole(models.AbstractModel):
    """The operator console's RPC API (seed 003): a thin layer over the campaign models.

    Every public method acts for ``self.env.user`` and returns plain JSON-able dicts; the rules
    (who may claim what, callbacks, blacklist, session times) live in the campaign models.
    Addons extend it with ``_inherit = "smartcall.console"``: smartcall_outcomes (outcome page,
    last outcome and notes in the contact payload), smartcall_voip (``dial``, ``hangup``,
    ``send_dtmf`` through the PBX, ``has_voip``), smartcall_agenda (``_get_appointment_action``).
    """

    _name = "smartcall.console"
    _description = "Operator Console API"

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    @api.model
    def _check_operator(self):
        if not self.env.user.has_group("smartcall_campaign.group_operator"):
            raise AccessError(self.env._("Only call-center operators can use the console."))

    @api.model
    def _positive_int(self, value):
        """A record id (or a count) as the client sent it: a positive integer that fits in a
        database id, else 0. Junk input then ends in the caller's own "does not exist" message
        instead of a traceback."""
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**31:
            return 0
        return value

    @api.model
    def _get_session(self):
        """The operator's open session (sudo: sessions are written only by their methods)."""
        return self.env["smartcall.operator.session"]._get_open(self.env.user)

    @api.model
    def _get_session_or_raise(self):
        session = self._get_session()
        if not session:
            raise UserError(self.env._("Press Start to open your work session first."))
        return session

    @api.model
    def _get_held_contact(self, contact_id):
        """The contact `contact_id`, checked to be held by the current operator."""
        self._check_operator()
        contact = (
            self.env["smartcall.campaign.contact"].browse(self._positive_int(contact_id)).exists()
        )
        if not contact or contact.operator_id != self.env.user or contact.state != "in_call":
            raise UserError(
                self.env._("You are not holding this contact any more: reload the console.")
            )
        return contact

    @api.model
    def _has_voip(self):
        """Overridden by smartcall_voip when a PBX handles the operator's calls."""
        return False

    @api.model
    def _has_agenda(self):
        """Overridden by smartcall_agenda once it books appointments from the console."""
        return False

    @api.model
    def _get_features(self):
        """Optional parts of the console, for the client to enable or disable buttons; each
        addon that brings a part switches it on by overriding this or its ``_has_*`` hook."""
        return {"agenda": self._has_agenda(), "outcomes": False}

    @api.model
    def _get_workflow_payload(self, campaign):
        """The steps of the campaign's workflow the console shows, in order (seed 001): a step
        whose addon is not installed (agenda, cart) is left out; the outcome is always last."""
        features = self._get_features()
        available = {
            "script": True,
            "agenda": bool(features.get("agenda")),
            "cart": bool(features.get("outcomes")),
            "outcome": True,
        }
        Step = self.env["smartcall.campaign.step"]
        labels = dict(Step._fields["step"]._description_selection(self.env))
        return [
            {"key": step, "name": labels[step]}
            for step in campaign.sudo()._get_workflow_steps()
            if available.get(step)
        ]

    @api.model
    def _format_number(self, number):
        if not number:
            return ""
        return (
            self.env["res.partner"]._phone_format(
                number=number, force_format="INTERNATIONAL", raise_exception=False
            )
            or number
        )

    @api.model
    def _get_lookup_urls(self, contact):
        """Web look-ups of the script screen (seed 003, 2.2): G = Google search by company name,
        @ = PagineBianche by number, pin = Google Maps by address."""
        partner = contact.partner_id
        address = ", ".join(
            part
            for part in (
                partner.street,
                " ".join(p for p in (partner.zip, partner.city) if p),
                partner.state_id.code,
            )
            if part
        )
        number = contact.phone_e164 or contact.mobile_e164 or ""
        national = number[3:] if number.startswith("+39") else number.lstrip("+")
        return {
            "google": f"https://www.google.com/search?q={quote_plus(partner.name or '')}",
            "paginebianche": national
            and f"https://www.paginebianche.it/cerca-da-numero?qs={quote_plus(national)}",
            "maps": address
            and f"https://www.google.com/maps/search/?api=1&query={quote_plus(address)}",
        }

    @api.model
    def _get_contact_payload(self, contact):
        """The contact as the console shows it (script screen). smartcall_outcomes fills
        ``last_outcome`` and ``notes_history``."""
        if not contact:
            return None
        partner = contact.partner_id
        contact_numbers = contact._get_numbers()
        dialable = set(contact._get_dial_numbers(contact_numbers))
        numbers = [
            {
                "kind": kind,
                "e164": number,
                "display": self._format_number(number),
                "blacklisted": number not in dialable,
            }
            for kind, number in contact_numbers
        ]
        street, street_number = split_street_number(partner.street)
        coverage, coverage_level = self.env["smartcall.coverage"]._for_address(
            street, partner.city, partner.zip, partner.state_id
        )
        # the console offers every carrier: a short configuration list (a dozen rows)
        carriers = self.env["smartcall.carrier"].search([])  # pylint: disable=no-search-all
        campaign = contact.campaign_id
        return {
            "id": contact.id,
            "campaign": {
                "id": campaign.id,
                "name": campaign.name,
                "mode": campaign.mode,
                "workflow": self._get_workflow_payload(campaign),
            },
            "partner": {
                "id": partner.id,
                "name": partner.name or "",
                "street": partner.street or "",
                "city": partner.city or "",
                "zip": partner.zip or "",
                "province": partner.state_id.code or "",
                "vat": partner.vat or "",
                "email": partner.email or "",
            },
            "numbers": numbers,
            "script_html": str(contact._render_script(self.env.user)),
            "lookups": self._get_lookup_urls(contact),
            "coverage": self._get_coverage_payload(coverage),
            "coverage_level": coverage_level,
            "coverage_address": {
                "street": street,
                "number": street_number,
                "municipality": partner.city or "",
            },
            "carriers": [
                {"name": c.name, "is_acquirable": c.is_acquirable, "note": c.note or ""}
                for c in carriers.sorted(lambda c: (not c.is_acquirable, c.sequence, c.id))
            ],
            "attempt_count": contact.attempt_count,
            "last_outcome": None,
            "notes_history": [],
        }

    @api.model
    def _get_session_payload(self, session):
        if not session:
            return {
                "id": False,
                "state": "closed",
                "pause_reason": False,
                "pause_reason_id": False,
                "pending_pause_reason": False,
                "pending_pause_reason_id": False,
                "campaign_id": False,
                "seconds_in_state": 0,
                "totals": dict.fromkeys(("ready", "paused", "in_call", "wrap_up"), 0),
            }
        now = fields.Datetime.now()
        return {
            "id": session.id,
            "state": session.state,
            "pause_reason": session.pause_reason_id.name or False,
            "pause_reason_id": session.pause_reason_id.id,
            "pending_pause_reason": session.pending_pause_reason_id.name or False,
            "pending_pause_reason_id": session.pending_pause_reason_id.id,
            "campaign_id": session.campaign_id.id,
            "seconds_in_state": session._get_seconds_in_state(now),
            "totals": session._get_state_totals(now),
        }

    @api.model
    def _get_next_due_at(self, session):
        """When the next queued contact of the session's campaign becomes due, for an idle
        operator's console to ask for it then (no polling): one index probe per tier of the
        queue index, whatever the campaign's size. False when nothing is waiting for a time."""
        campaign = session.campaign_id
        if not campaign or session.state != "ready" or session.current_contact_id:
            return False
        self.env["smartcall.campaign.contact"].flush_model(
            ["campaign_id", "state", "queue_priority", "next_call_at"]
        )

        def tier(priority):
            return SQL(
                """(SELECT next_call_at FROM smartcall_campaign_contact
                     WHERE campaign_id = %s AND state = 'queued' AND queue_priority = %s
                       AND next_call_at > %s
                     ORDER BY next_call_at LIMIT 1)""",
                campaign.id,
                priority,
                fields.Datetime.now(),
            )

        rows = self.env.execute_query(
            SQL(
                "SELECT min(due) FROM (%s UNION ALL %s UNION ALL %s) AS tiers(due)",
                tier(PRIORITY_PUBLIC_CALLBACK),
                tier(PRIORITY_RETRY),
                tier(PRIORITY_NEW),
            )
        )
        return fields.Datetime.to_string(rows[0][0]) if rows and rows[0][0] else False

    @api.model
    def _get_console_state(self):
        self._check_operator()
        session = self._get_session()
        campaigns = self.env["smartcall.campaign"].search(
            [("state", "=", "running"), ("operator_ids", "in", self.env.uid)]
        )
        contact = session.current_contact_id if session.state in HELD_STATES else None
        if contact:
            # read as the operator: the record rules apply to what the console shows
            contact = contact.with_env(self.env)
        # every active pause reason for the pause dialog: a short configuration list
        reasons = self.env["smartcall.pause.reason"].search([])  # pylint: disable=no-search-all
        now = fields.Datetime.now()
        campaign_payloads = []
        for c in campaigns:
            # today's hours, read once for both what they say and whether they are open
            today = c._today(now)
            intervals = c._get_work_intervals(today)
            campaign_payloads.append(
                {
                    "id": c.id,
                    "name": c.name,
                    "mode": c.mode,
                    "queued_count": c.queued_count,
                    "is_open": c._is_within_work_hours(now, intervals),
                    "work_hours": c._get_work_hours_label(today, intervals),
                }
            )
        return {
            "session": self._get_session_payload(session),
            "campaigns": campaign_payloads,
            "pause_reasons": [
                {
                    "id": r.id,
                    "name": r.name,
                    "is_private_callbacks": bool(r.is_private_callbacks),
                }
                for r in reasons
            ],
            "contact": self._get_contact_payload(contact),
            "next_due_at": self._get_next_due_at(session) if session else False,
            "has_voip": self._has_voip(),
            "features": self._get_features(),
        }

    @api.model
    def _hold_contact(self, session, contact):
        """Put a freshly claimed contact in the operator's hands (state in_call)."""
        if contact:
            session.write({"current_contact_id": contact.id})
            session._set_state("in_call")
        return contact

    # ------------------------------------------------------------------
    # Public API (called by the OWL console)
    # ------------------------------------------------------------------
    @api.model
    def get_console_state(self):
        """Everything the console shows: session, campaigns, pause reasons, held contact."""
        return self._get_console_state()

    @api.model
    def _get_pause_reason(self, reason_id):
        """The pause reason the operator chose, refused when missing or archived."""
        reason = self.env["smartcall.pause.reason"].browse(self._positive_int(reason_id)).exists()
        if not reason:
            raise UserError(self.env._("Choose why you are pausing."))
        if not reason.active:
            raise UserError(
                self.env._("This pause reason is no longer in use: choose another one.")
            )
        return reason

    @api.model
    def start(self, campaign_id):
        """Start (seed 003, 2): open the session if needed and be ready in `campaign_id`; in an
        automatic campaign the next contact is proposed at once. Pressed during a call, it
        cancels the pause asked for after the call."""
        self._check_operator()
        campaign = self.env["smartcall.campaign"].browse(self._positive_int(campaign_id)).exists()
        if not campaign:
            raise UserError(self.env._("Choose a campaign first."))
        session = self._get_session()
        if session.state in HELD_STATES and session.current_contact_id:
            if session.campaign_id != campaign:
                raise UserError(self.env._("Finish the current call before changing campaign."))
            # nothing is claimed here: cancelling the pause must work even if the campaign
            # stopped or the operator was unassigned during the call
            session._cancel_pending_pause()
            return self._get_console_state()
        campaign._check_can_claim(self.env.user)
        session = self.env["smartcall.operator.session"]._get_or_open(self.env.user)
        session.write({"campaign_id": campaign.id})
        session._set_state("ready")
        if campaign.mode == "automatic":
            self._hold_contact(session, campaign._claim_next_contact(self.env.user))
        return self._get_console_state()

    @api.model
    def pause(self, reason_id):
        """Pause (seed 003, 2: at any moment): no contact is proposed until Start. While a
        contact is held, the call and its outcome go on and the pause starts after the outcome
        (see the session's `_pause`)."""
        self._check_operator()
        session = self._get_session_or_raise()
        session._pause(self._get_pause_reason(reason_id))
        return self._get_console_state()

    @api.model
    def next_contact(self):
        """Claim the next contact of the session's campaign (null when the queue is empty)."""
        self._check_operator()
        session = self._get_session_or_raise()
        if session.state in HELD_STATES and session.current_contact_id:
            return self._get_console_state()
        if session.state != "ready":
            raise UserError(self.env._("Press Start to receive contacts."))
        campaign = session.campaign_id
        if not campaign:
            raise UserError(self.env._("Choose a campaign first."))
        self._hold_contact(session, campaign._claim_next_contact(self.env.user))
        return self._get_console_state()

    @api.model
    def pick_contact(self, contact_id):
        """Manual campaign: the operator picks a queued contact (refused when another operator
        took it meanwhile)."""
        self._check_operator()
        session = self._get_session_or_raise()
        if session.state != "ready":
            if session.state in HELD_STATES:
                raise UserError(self.env._("Finish the current call first."))
            raise UserError(self.env._("Press Start to receive contacts."))
        contact = (
            self.env["smartcall.campaign.contact"].browse(self._positive_int(contact_id)).exists()
        )
        if not contact:
            raise UserError(self.env._("This contact does not exist any more."))
        campaign = session.campaign_id
        if campaign.mode != "manual":
            raise UserError(
                self.env._("In an automatic campaign the console proposes the contacts.")
            )
        self._hold_contact(session, campaign._claim_contact(contact, self.env.user))
        return self._get_console_state()

    @api.model
    def list_pickable_contacts(self, search="", limit=50):
        """Manual campaign: the queued contacts that are due, filtered by name, city or number;
        never one with a number in the do-not-call list (picking it is refused)."""
        self._check_operator()
        session = self._get_session()
        campaign = session.campaign_id
        if not campaign or campaign.mode != "manual":
            return []
        now = fields.Datetime.now()
        today_start, _end = campaign._local_day_bounds_utc(campaign._today(now))
        domain = [
            ("campaign_id", "=", campaign.id),
            ("state", "=", "queued"),
            "|",
            ("next_call_at", "=", False),
            ("next_call_at", "<=", now),
            # a public callback of an earlier day waits for the work plan (it becomes CBPROS)
            "|",
            ("queue_priority", "!=", PRIORITY_PUBLIC_CALLBACK),
            ("next_call_at", ">=", today_start),
        ]
        search = storable_text(search).strip()
        if search:
            domain += [
                "|",
                "|",
                "|",
                ("partner_id.name", "ilike", search),
                ("partner_city", "ilike", search),
                ("phone_e164", "ilike", search),
                ("mobile_e164", "ilike", search),
            ]
        Contact = self.env["smartcall.campaign.contact"]
        query = Contact._search(
            domain, limit=min(self._positive_int(limit) or 50, 200), order=Contact._order
        )
        # Raw SQL: NOT EXISTS is an anti-join on the do-not-call list's index, where the ORM's
        # NOT IN would read the whole list; flushed first since it bypasses the ORM.
        Contact._flush_for_numbers_sql()
        query.add_where(SQL("NOT %s", Contact._blacklisted_sql(query.table)))
        contacts = Contact.browse(query)
        return [
            {
                "id": c.id,
                "name": c.partner_id.name or "",
                "city": c.partner_id.city or "",
                "phone": self._format_number(c.phone_e164 or c.mobile_e164),
            }
            for c in contacts
        ]

    @api.model
    def dial(self, contact_id, number):
        """Call one of the held contact's numbers: a tel: link for the operator's softphone
        (smartcall_voip overrides this to dial through the PBX). Blacklisted numbers: refused."""
        contact = self._get_held_contact(contact_id)
        known = [n for _kind, n in contact._get_numbers()]
        if number not in known:
            raise UserError(self.env._("This number does not belong to the contact."))
        if number not in contact._get_dial_numbers():
            raise UserError(
                self.env._(
                    "%(number)s is in the do-not-call list: it cannot be dialled.",
                    number=self._format_number(number),
                )
            )
        return {"mode": "tel", "url": f"tel:{number}"}

    @api.model
    def add_mobile(self, contact_id, number):
        """ "Richiama mobile" (seed 003, 2.3): the number the customer gives goes on the customer
        (res.partner), so every campaign of theirs has it; it never overwrites a number the
        customer has (see res.partner._smartcall_add_number). An invalid number is refused."""
        contact = self._get_held_contact(contact_id)
        if not isinstance(number, str) or not number.strip():
            raise UserError(self.env._("Type the mobile number."))
        # sudo: operators only read customers; holding this contact entitles them to give its
        # customer a number, through this one narrow operation
        contact.partner_id.sudo()._smartcall_add_number(number)
        contact.invalidate_recordset(["phone_e164", "mobile_e164"])
        return self._get_contact_payload(contact)

    @api.model
    def hangup(self, contact_id):
        """Hang up & outcome (seed 003, 2): the call ends, the session goes to wrap-up and the
        console shows the outcome page (smartcall_voip also hangs up the channel)."""
        contact = self._get_held_contact(contact_id)
        session = self._get_session_or_raise()
        if session.current_contact_id != contact:
            session.write({"current_contact_id": contact.id})
        session._set_state("wrap_up")
        return self._get_console_state()

    @api.model
    def check_coverage(self, address):
        """Verifica Copertura (seed 003, 2.3): the coverage at the address the operator typed,
        ``{"street", "number", "municipality"}``: the street's rows, else the municipality's."""
        self._check_operator()
        if not isinstance(address, dict):
            address = {}
        street, number, municipality = (
            " ".join(storable_text(address.get(key)).split())[:200]
            for key in ("street", "number", "municipality")
        )
        if not municipality:
            raise UserError(self.env._("Type the municipality of the address to check."))
        if street and not number:
            # "Via Roma 12" typed in the street field
            street, number = split_street_number(street)
        rows, level = self.env["smartcall.coverage"]._for_address(street, municipality)
        street_line = " ".join(filter(None, [street, number]))
        return {
            "address": ", ".join(filter(None, [street_line, municipality])),
            "level": level,
            "rows": self._get_coverage_payload(rows),
        }

    @api.model
    def _get_coverage_payload(self, rows):
        return [
            {
                "technology": row.technology,
                "max_speed_mbps": row.max_speed_mbps,
                "is_available": row.is_available,
                "street": row.street or "",
                "municipality": row.municipality,
                "province": row.province_id.code or "",
                "note": row.note or "",
            }
            for row in rows
        ]

    @api.model
    def send_dtmf(self, contact_id, digits):
        """Send DTMF (seed 003, 2): without a PBX the operator types them on the softphone."""
        self._get_held_contact(contact_id)
        digits = digits.strip() if isinstance(digits, str) else ""
        if not DTMF_RE.match(digits):
            raise UserError(self.env._("DTMF accepts only digits, * and #."))
        return {
            "sent": False,
            "message": self.env._(
                "No PBX connected: type %(digits)s on your softphone keypad.", digits=digits
            ),
        }

    @api.model
    def register_appointment(self, contact_id):
        """Register appointment (seed 003, 4.2): the agenda's appointment form for the held
        contact; refused when the agenda is not installed or the campaign's workflow has no
        Agenda step."""
        contact = self._get_held_contact(contact_id)
        if not self._has_agenda():
            raise UserError(
                self.env._("Appointments need the Smartcall Agenda module, which is not installed.")
            )
        contact.campaign_id._check_workflow_step("agenda")
        return self._get_appointment_action(contact)

    @api.model
    def _get_appointment_action(self, contact):
        """Hook for smartcall_agenda: the action that registers an appointment for `contact`."""
        partner = contact.partner_id
        return {
            "type": "ir.actions.act_window",
            "res_model": "calendar.event",
            "views": [[False, "form"]],
            "target": "new",
            "context": {
                "default_name": self.env._("Appointment: %(name)s", name=partner.name),
                "default_partner_ids": [partner.id],
            },
        }

    @api.model
    def heartbeat(self):
        """The console is alive (every 30 s): a vanished operator's contact is released by
        the campaign's cron after the claim timeout."""
        self._check_operator()
        session = self._get_session()
        if session:
            session._touch()
        return {"ok": True}

    @api.model
    def logout(self):
        """Logout (seed 003, 5): close the session; a held contact goes back to the queue."""
        self._check_operator()
        session = self._get_session()
        if session:
            session._close()
        return self._get_console_state()
