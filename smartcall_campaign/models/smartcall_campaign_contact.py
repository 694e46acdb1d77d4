# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import re
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from .smartcall_campaign import PRIORITY_NEW, PRIORITY_PUBLIC_CALLBACK, PRIORITY_RETRY

_logger = logging.getLogger(__name__)

CONTACT_STATES = [
    ("new", "New"),
    ("queued", "Queued"),
    ("in_call", "In Call"),
    ("callback", "Private Callback"),
    ("done", "Done"),
    ("excluded", "Excluded"),
]

# What drives the queue (who gets which contact, when, how often) and the reports: changed only
# by the console, the outcomes, the work plan and the supervisors' wizards, which run as
# superuser after their own checks; never by a direct create/write over RPC, for any role.
QUEUE_FIELDS = frozenset(
    {
        "campaign_id",
        "state",
        "queue_priority",
        "attempt_count",
        "next_call_at",
        "operator_id",
        "claimed_at",
        "callback_owner_id",
        "postponed_to_next_plan",
        "postponed_on",
        "plan_date",
        "excluded_reason",
        "last_outcome_id",
    }
)
# What a direct create may set: the campaign and the customer; the rest starts at its default.
CREATE_FIELDS = frozenset({"campaign_id"})

PLACEHOLDER_RE = re.compile(r"\{\{\s*(\w+)\s*\}\}")


class SmartcallCampaignContact(models.Model):
    """A contact (nominativo) of a campaign: one partner, its numbers and its place in the queue."""

    _name = "smartcall.campaign.contact"
    _description = "Campaign Contact"
    _order = "campaign_id, queue_priority desc, next_call_at, id"
    _rec_names_search = ["partner_id.name", "phone_e164", "mobile_e164"]

    campaign_id = fields.Many2one(
        "smartcall.campaign", required=True, ondelete="cascade", index=True
    )
    campaign_mode = fields.Selection(related="campaign_id.mode")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="restrict", index=True
    )
    partner_city = fields.Char(related="partner_id.city", string="City")
    partner_state_id = fields.Many2one(related="partner_id.state_id", string="Province")
    partner_vat = fields.Char(related="partner_id.vat", string="VAT")
    state = fields.Selection(CONTACT_STATES, required=True, default="new", copy=False)
    queue_priority = fields.Integer(
        default=PRIORITY_NEW,
        help="30: public callback due, 20: retry, 10: new contact. Higher goes first.",
    )
    attempt_count = fields.Integer(string="Attempts", default=0, copy=False)
    next_call_at = fields.Datetime(
        string="Next Call", copy=False, help="Empty: as soon as possible."
    )
    operator_id = fields.Many2one("res.users", string="Held By", copy=False, index="btree_not_null")
    claimed_at = fields.Datetime(copy=False)
    callback_owner_id = fields.Many2one(
        "res.users",
        string="Private Callback Owner",
        copy=False,
        index="btree_not_null",
        help="Set only for a private callback: only this operator sees and calls it.",
    )
    callback_note = fields.Text(copy=False)
    is_private_callback = fields.Boolean(compute="_compute_is_private_callback")
    postponed_to_next_plan = fields.Boolean(
        string="Postponed (CBPROS)",
        copy=False,
        help="Try again in a later work plan (CBPROS, no date).",
    )
    postponed_on = fields.Date(copy=False)
    # The customer's numbers, read from the partner's E.164 store (res_partner.py): no copy here.
    phone_e164 = fields.Char(string="Phone", related="partner_id.smartcall_phone_e164")
    mobile_e164 = fields.Char(string="Mobile", related="partner_id.smartcall_mobile_e164")
    excluded_reason = fields.Char(copy=False)
    plan_date = fields.Date(string="Work Plan Date", copy=False)

    _sql_constraints = [
        (
            "campaign_partner_uniq",
            "unique(campaign_id, partner_id)",
            "This customer is already in the campaign.",
        ),
    ]

    def init(self):
        # The claim query walks this index per tier: campaign, priority, then due time.
        self.env.cr.execute(
            SQL(
                """CREATE INDEX IF NOT EXISTS smartcall_campaign_contact_queue_idx
                     ON smartcall_campaign_contact
                        (campaign_id, queue_priority, next_call_at NULLS FIRST, id)
                  WHERE state = 'queued'"""
            )
        )
        # The manual picker lists the queue in the model's order (callbacks first, then by due
        # time): walked in this order, the first 50 rows come without sorting the campaign.
        self.env.cr.execute(
            SQL(
                """CREATE INDEX IF NOT EXISTS smartcall_campaign_contact_picker_idx
                     ON smartcall_campaign_contact
                        (campaign_id, queue_priority DESC, next_call_at, id)
                  WHERE state = 'queued'"""
            )
        )
        self.env.cr.execute(
            SQL(
                """CREATE INDEX IF NOT EXISTS smartcall_campaign_contact_in_call_idx
                     ON smartcall_campaign_contact (operator_id, campaign_id)
                  WHERE state = 'in_call'"""
            )
        )

    @api.depends("partner_id.name", "campaign_id.name")
    def _compute_display_name(self):
        for contact in self:
            contact.display_name = contact.partner_id.display_name or ""

    @api.depends("callback_owner_id", "state")
    def _compute_is_private_callback(self):
        for contact in self:
            contact.is_private_callback = bool(contact.callback_owner_id)

    # ------------------------------------------------------------------
    # Numbers
    # ------------------------------------------------------------------
    def _check_partner_numbers(self):
        """Invalid numbers are reported, never silently dropped (issue 3)."""
        for contact in self:
            partner = contact.partner_id
            for fname, e164 in (("phone", contact.phone_e164), ("mobile", contact.mobile_e164)):
                if partner[fname] and not e164:
                    raise ValidationError(
                        self.env._(
                            "%(customer)s: the %(kind)s number %(number)s is not valid.",
                            customer=partner.display_name,
                            kind=fname,
                            number=partner[fname],
                        )
                    )

    def _get_blacklisted_numbers(self):
        """The customer's phone and mobile that are in the active do-not-call list: the rule of
        `_blacklisted_sql` (a contact with one of them is never handed out)."""
        self.ensure_one()
        numbers = [n for n in (self.phone_e164, self.mobile_e164) if n]
        if not numbers:
            return []
        return (
            self.env["phone.blacklist"]
            .sudo()
            .search([("number", "in", numbers), ("active", "=", True)])
            .mapped("number")
        )

    @api.model
    def _blacklisted_sql(self, alias):
        """SQL condition: the contact row `alias` has its customer's phone or mobile (the
        partner's E.164 store) in the active do-not-call list: the rule of
        `_get_blacklisted_numbers`, of the claim and of the work plan. Two index probes: the
        partner's primary key, then the blacklist's unique number."""
        return SQL(
            """EXISTS (SELECT 1 FROM res_partner bl_p
                         JOIN phone_blacklist bl
                           ON bl.active AND bl.number IN (bl_p.smartcall_phone_e164,
                                                          bl_p.smartcall_mobile_e164)
                        WHERE bl_p.id = %s)""",
            SQL.identifier(alias, "partner_id"),
        )

    @api.model
    def _flush_for_numbers_sql(self):
        """Flush what `_blacklisted_sql` and the queue's raw SQL read about numbers."""
        self.flush_model(["partner_id"])
        self.env["res.partner"].flush_model(["smartcall_phone_e164", "smartcall_mobile_e164"])
        self.env["phone.blacklist"].flush_model(["number", "active"])

    def _get_numbers(self):
        """[(kind, e164)] of the customer: phone, mobile, then its other numbers (contact
        persons), see res.partner._smartcall_numbers."""
        self.ensure_one()
        return self.partner_id._smartcall_numbers()

    def _get_dial_numbers(self, numbers=None):
        """Numbers to dial (E.164): phone, mobile, then the customer's other numbers, without
        the blacklisted ones (DNC: "no campaign ever dials it again"). `numbers`: the
        contact's `_get_numbers()` when the caller has them."""
        self.ensure_one()
        if numbers is None:
            numbers = self._get_numbers()
        numbers = [number for _kind, number in numbers]
        blacklisted = set(
            self.env["phone.blacklist"]
            .sudo()
            .search([("number", "in", numbers), ("active", "=", True)])
            .mapped("number")
        )
        return [number for number in numbers if number not in blacklisted]

    # ------------------------------------------------------------------
    # Create
    # ------------------------------------------------------------------
    @api.model
    def _resolve_province(self, value, country):
        """Id of the province written `value` (code or name, case ignored, matched literally)
        in `country`; ValidationError when there is none. Contact and coverage imports."""
        value = (value or "").strip()
        if not value:
            return False
        State = self.env["res.country.state"]
        domain = [("country_id", "=", country.id)] if country else []
        # =ilike treats % and _ as wildcards: escape them so "F_" is not taken for FG
        pattern = re.sub(r"([\\%_])", r"\\\1", value)
        state = State.search(domain + [("code", "=ilike", pattern)], limit=1) or State.search(
            domain + [("name", "=ilike", pattern)], limit=1
        )
        if not state:
            raise ValidationError(self.env._("Unknown province %(province)s.", province=value))
        return state.id

    def _check_queue_fields(self, fnames, allowed=frozenset()):
        """Refuse a direct change of the queue fields (QUEUE_FIELDS) by anyone but the
        superuser, i.e. the methods of the console, the outcomes and the wizards."""
        if self.env.su:
            return
        touched = sorted((QUEUE_FIELDS - allowed) & set(fnames))
        if touched:
            raise AccessError(
                self.env._(
                    "The queue fields of a campaign contact (%(fields)s) change only through "
                    "the operator console, the call outcomes, the work plan and the "
                    "supervisors' wizards.",
                    fields=", ".join(touched),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        """Contacts are imported with the contact import (smartcall.contact.import), the
        one way to import them; Odoo's generic import is not offered."""
        for vals in vals_list:
            self._check_queue_fields(vals, allowed=CREATE_FIELDS)
        contacts = super().create(vals_list)
        contacts._check_partner_numbers()
        return contacts

    def write(self, vals):
        self._check_queue_fields(vals)
        return super().write(vals)

    # ------------------------------------------------------------------
    # Queue transitions (called by the console and the outcomes)
    # ------------------------------------------------------------------
    def _clear_sessions(self):
        sessions = (
            self.env["smartcall.operator.session"]
            .sudo()
            .search([("current_contact_id", "in", self.ids)])
        )
        if sessions:
            sessions.write({"current_contact_id": False})

    def _write_outcome_state(self, vals):
        """Write a new place in the campaign (`vals`: state and what goes with it): the contact
        leaves its operator, and the marks of an earlier private callback or CBPROS are
        dropped unless `vals` sets them again. As superuser: the queue fields are closed to
        direct writes (QUEUE_FIELDS), the callers check who may do what."""
        self.sudo().write(
            {
                "operator_id": False,
                "claimed_at": False,
                "callback_owner_id": False,
                "postponed_to_next_plan": False,
                **vals,
            }
        )

    def _release_to_queue(self, priority=None, next_call_at=None):
        """Give the contact back, unchanged apart from the holder (STOP/CHIUDI, stale operator):
        queued again, or back in its owner's private callbacks when it was one."""
        for contact in self:
            vals = {"operator_id": False, "claimed_at": False}
            if contact.callback_owner_id:
                vals["state"] = "callback"
            else:
                vals["state"] = "queued"
                if priority is not None:
                    vals["queue_priority"] = priority
                if next_call_at is not None:
                    vals["next_call_at"] = next_call_at
            contact.sudo().write(vals)
        self._clear_sessions()
        self._notify_queued()
        return True

    def _notify_queued(self):
        """The contacts went (back) to the shared queue: tell their campaigns' consoles when
        they become due (the earliest per campaign; now when one is due already)."""
        now = fields.Datetime.now()
        due_by_campaign = {}
        for contact in self.sudo():
            if contact.state != "queued":
                continue
            due = (
                contact.next_call_at if contact.next_call_at and contact.next_call_at > now else now
            )
            campaign = contact.campaign_id
            if campaign not in due_by_campaign or due < due_by_campaign[campaign]:
                due_by_campaign[campaign] = due
        for campaign, due in due_by_campaign.items():
            campaign._notify_consoles("queued", due if due > now else False)

    def _mark_done(self):
        """Close the contact: no more calls in this campaign."""
        self._write_outcome_state({"state": "done"})
        self._clear_sessions()
        return True

    def _mark_excluded(self, reason):
        """Take the contact out of the campaign for `reason` (e.g. DNC, wrong number)."""
        self._write_outcome_state({"state": "excluded", "excluded_reason": reason})
        self._clear_sessions()
        return True

    def _set_private_callback(self, owner, when, note=None):
        """CALLBK privato (seed 003, 3.1): today or later, only `owner` sees it and the system
        never proposes it automatically (state callback)."""
        for contact in self:
            campaign = contact.campaign_id
            start, _end = campaign._local_day_bounds_utc(campaign._today())
            if not when or when < start:
                raise UserError(self.env._("A private callback must be today or later."))
            contact._write_outcome_state(
                {
                    "state": "callback",
                    "callback_owner_id": owner.id,
                    "next_call_at": when,
                    "callback_note": note or False,
                }
            )
        self._clear_sessions()
        return True

    def _set_public_callback(self, when, note=None):
        """CALLBK pubblico (seed 003, 3.1 and 3.4): "oggi per oggi" only, within today's working
        hours of the campaign (`_check_public_callback_time`); back in the shared queue at
        `when`, first of all for the first free operator (priority 30). One nobody reached by
        closing time becomes a CBPROS at the next work plan (`_expire_public_callbacks`)."""
        for contact in self:
            if not when:
                raise UserError(self.env._("Give the callback date and time."))
            contact.campaign_id._check_public_callback_time(when)
            contact._write_outcome_state(
                {
                    "state": "queued",
                    "queue_priority": PRIORITY_PUBLIC_CALLBACK,
                    "next_call_at": when,
                    "callback_note": note or False,
                }
            )
        self._clear_sessions()
        self._notify_queued()
        return True

    def _postpone_to_next_plan(self):
        """CBPROS (seed 003, 3.1): no date; the contact waits for a later daily work plan."""
        for contact in self:
            contact._write_outcome_state(
                {
                    "state": "new",
                    "postponed_to_next_plan": True,
                    "postponed_on": contact.campaign_id._today(),
                    "queue_priority": PRIORITY_RETRY,
                    "next_call_at": False,
                }
            )
        self._clear_sessions()
        return True

    def _schedule_retry(self, wait_minutes=None):
        """Not reached (B, N, A...): queued again as a retry after `wait_minutes` (default: the
        campaign's retry wait); closed once attempt_count reaches the campaign's max_attempts."""
        now = fields.Datetime.now()
        for contact in self:
            campaign = contact.campaign_id
            if contact.attempt_count >= campaign.max_attempts:
                contact._mark_done()
                contact.sudo().excluded_reason = self.env._("Maximum attempts reached")
                continue
            wait = campaign.retry_wait_minutes if wait_minutes is None else wait_minutes
            contact._write_outcome_state(
                {
                    "state": "queued",
                    "queue_priority": PRIORITY_RETRY,
                    "next_call_at": now + timedelta(minutes=wait),
                }
            )
        self._clear_sessions()
        self._notify_queued()
        return True

    # ------------------------------------------------------------------
    # Script
    # ------------------------------------------------------------------
    def _get_script_values(self, operator=None):
        self.ensure_one()
        partner = self.partner_id
        operator = operator or self.operator_id or self.env.user
        return {
            "name": partner.name,
            "street": partner.street,
            "city": partner.city,
            "zip": partner.zip,
            "province": partner.state_id.code or partner.state_id.name,
            "vat": partner.vat,
            "phone": self.phone_e164 or partner.phone,
            "mobile": self.mobile_e164 or partner.mobile,
            "operator": operator.name,
        }

    def _render_script(self, operator=None):
        """The campaign script with {{placeholders}} replaced by the customer's escaped values
        (seed 003, 2.1 "Schermata script multifunzione")."""
        self.ensure_one()
        values = self._get_script_values(operator)
        script = str(self.campaign_id.script_html or "")

        def replace(match):
            key = match.group(1)
            if key not in values:
                return match.group(0)
            return str(escape(values[key] or ""))

        return Markup(PLACEHOLDER_RE.sub(replace, script))

    # ------------------------------------------------------------------
    # Crons
    # ------------------------------------------------------------------
    @api.model
    def _get_claim_timeout_minutes(self):
        return int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("smartcall_campaign.claim_timeout_minutes", 15)
        )

    @api.model
    def _cron_release_stale_claims(self):
        """An operator who vanished (browser closed, session expired): after the configured
        timeout their contact goes back to the queue with attempts and history kept (issue 3);
        their session is closed at its last sign of life."""
        threshold = fields.Datetime.now() - timedelta(minutes=self._get_claim_timeout_minutes())
        Session = self.env["smartcall.operator.session"].sudo()
        stale_sessions = Session.search(
            [("state", "!=", "closed"), ("last_seen_at", "<", threshold)]
        )
        live_users = Session.search(
            [("state", "!=", "closed"), ("last_seen_at", ">=", threshold)]
        ).user_id
        stale_contacts = self.sudo().search(
            [
                ("state", "=", "in_call"),
                ("operator_id", "not in", live_users.ids),
                "|",
                ("operator_id", "in", stale_sessions.user_id.ids),
                ("claimed_at", "<", threshold),
            ]
        )
        if stale_contacts:
            _logger.info("Releasing %s stale claims", len(stale_contacts))
            stale_contacts._release_to_queue()
        for session in stale_sessions:
            session._close(ended_at=session.last_seen_at)
        return True
