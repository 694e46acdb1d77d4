# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import datetime, time, timedelta

import pytz
from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.base.models.res_partner import _tz_get

from ..tools import DEFAULT_TZ, get_timezone
from .smartcall_campaign_step import OUTCOME_STEP, WORKFLOW_DEFERRED, WORKFLOW_STEPS

_logger = logging.getLogger(__name__)

# Claim tiers, in order (seed 003 / DESIGN: due public callbacks, then retries, then new).
PRIORITY_PUBLIC_CALLBACK = 30
PRIORITY_RETRY = 20
PRIORITY_NEW = 10

# Registro delle Opposizioni: lists checked before each campaign and at least monthly.
REGISTRO_VALIDITY_DAYS = 30


class SmartcallCampaign(models.Model):
    """An outbound campaign (campagna): contacts, zone, operators, script and queue rules."""

    _name = "smartcall.campaign"
    _description = "Call Center Campaign"
    _inherit = ["mail.thread"]
    _order = "state_sequence, name, id"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, required=True
    )
    mode = fields.Selection(
        [("manual", "Manual"), ("automatic", "Automatic")],
        required=True,
        default="automatic",
        tracking=True,
        help="Automatic: the console proposes the next contact by itself. "
        "Manual: the operator picks the contact and dials.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("running", "Running"),
            ("paused", "Paused"),
            ("done", "Done"),
        ],
        required=True,
        default="draft",
        tracking=True,
        copy=False,
    )
    state_sequence = fields.Integer(compute="_compute_state_sequence", store=True)
    script_html = fields.Html(
        string="Call Script",
        sanitize=True,
        help="Placeholders: {{name}} {{street}} {{city}} {{zip}} {{province}} {{vat}} "
        "{{phone}} {{mobile}} {{operator}}",
    )
    zone_state_ids = fields.Many2many(
        "res.country.state",
        "smartcall_campaign_zone_state_rel",
        "campaign_id",
        "state_id",
        string="Zone Provinces",
        help="The work plan queues only contacts in these provinces (empty: all).",
    )
    zone_municipalities = fields.Text(
        help="One municipality per line; the work plan queues only contacts in these "
        "municipalities (empty: no filter).",
    )
    operator_ids = fields.Many2many(
        "res.users",
        "smartcall_campaign_operator_rel",
        "campaign_id",
        "user_id",
        string="Operators",
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("smartcall_campaign.group_operator").id)
        ],
    )
    retry_wait_minutes = fields.Integer(
        string="Retry Wait (minutes)",
        default=lambda self: self._default_retry_wait_minutes(),
        help="Minutes before a contact that was not reached is called again.",
    )
    max_attempts = fields.Integer(
        default=5, help="After this many call attempts the contact is closed."
    )
    portfolio_type_id = fields.Many2one("smartcall.portfolio.type")
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        required=True,
        ondelete="restrict",
        tracking=True,
        default=lambda self: self._default_resource_calendar(),
        help="Days and hours when the campaign calls (read in the campaign's time zone), "
        "without the calendar's time off (public holidays).",
    )
    tz = fields.Selection(_tz_get, string="Time Zone", default=DEFAULT_TZ, required=True)
    contact_ids = fields.One2many("smartcall.campaign.contact", "campaign_id")
    workflow_step_ids = fields.One2many(
        "smartcall.campaign.step",
        "campaign_id",
        string="Workflow",
        copy=True,
        default=lambda self: self._default_workflow_steps(),
        help="The steps the operators go through in the console, in order (seed 001). "
        "Outcome is mandatory and last; without Agenda no appointment can be booked, "
        "without Cart no sale can be closed.",
    )
    last_plan_date = fields.Date(readonly=True, copy=False)
    registro_checked_on = fields.Date(
        string="Registro Check",
        readonly=True,
        copy=False,
        tracking=True,
        help="When the campaign's contacts were last checked against the Registro delle "
        "Opposizioni (DPR 26/2022): before the campaign and at least every month.",
    )
    registro_valid_until = fields.Date(
        string="Registro Check Valid Until", compute="_compute_registro_status"
    )
    registro_check_expired = fields.Boolean(
        string="Registro Check Out of Date",
        compute="_compute_registro_status",
        search="_search_registro_check_expired",
    )
    registro_alert_sent = fields.Boolean(readonly=True, copy=False)
    contact_count = fields.Integer(compute="_compute_counters")
    new_count = fields.Integer(compute="_compute_counters")
    queued_count = fields.Integer(compute="_compute_counters")
    in_call_count = fields.Integer(compute="_compute_counters")
    callback_count = fields.Integer(compute="_compute_counters")
    done_count = fields.Integer(compute="_compute_counters")
    excluded_count = fields.Integer(compute="_compute_counters")

    _sql_constraints = [
        (
            "max_attempts_positive",
            "CHECK(max_attempts > 0)",
            "The maximum number of attempts must be positive.",
        ),
        (
            "retry_wait_positive",
            "CHECK(retry_wait_minutes >= 0)",
            "The retry wait cannot be negative.",
        ),
    ]

    @api.model
    def _default_workflow_steps(self):
        """Every step, in the usual order: script, agenda, cart, outcome."""
        return [
            fields.Command.create({"step": step, "sequence": (index + 1) * 10})
            for index, (step, _label) in enumerate(WORKFLOW_STEPS)
        ]

    @api.constrains("workflow_step_ids")
    def _check_workflow(self):
        """Seed 001: "L'unico obbligatorio è lo step chiamato ESITO": every workflow has the
        outcome step, and it comes last (the call ends with its outcome)."""
        for campaign in self:
            steps = campaign.workflow_step_ids.sorted(lambda s: (s.sequence, s.id))
            if not steps or steps[-1].step != OUTCOME_STEP:
                raise ValidationError(
                    self.env._(
                        "The workflow of the campaign %(campaign)s must end with the Outcome "
                        "step: add it (it is the only mandatory step) and move it to the "
                        "bottom of the list.",
                        campaign=campaign.name,
                    )
                )

    def _get_workflow_steps(self):
        """The workflow's step keys in order, e.g. ['script', 'agenda', 'outcome']."""
        self.ensure_one()
        return self.workflow_step_ids.sorted(lambda s: (s.sequence, s.id)).mapped("step")

    def _has_workflow_step(self, step):
        self.ensure_one()
        return step in self.sudo()._get_workflow_steps()

    def _check_workflow_step(self, step):
        """Refuse what needs `step` ('agenda': booking an appointment, 'cart': a sale) when
        the campaign's workflow does not have it (seed 001, WORKFLOW della campagna)."""
        self.ensure_one()
        if self._has_workflow_step(step):
            return
        if step == "agenda":
            message = self.env._(
                "The campaign %(campaign)s has no Agenda step in its workflow: appointments "
                "cannot be booked in it. Choose another outcome, or ask your supervisor to add "
                "the Agenda step to the campaign.",
                campaign=self.name,
            )
        else:
            message = self.env._(
                "The campaign %(campaign)s has no Cart step in its workflow: sales cannot be "
                "closed in it. Choose another outcome, or ask your supervisor to add the Cart "
                "step to the campaign.",
                campaign=self.name,
            )
        raise UserError(message)

    @api.model
    def _default_retry_wait_minutes(self):
        param = self.env["ir.config_parameter"].sudo()
        return int(param.get_param("smartcall_campaign.default_retry_wait_minutes", 60))

    @api.depends("state")
    def _compute_state_sequence(self):
        order = {"running": 1, "paused": 2, "draft": 3, "done": 4}
        for campaign in self:
            campaign.state_sequence = order.get(campaign.state, 9)

    @api.model
    def _default_resource_calendar(self):
        return (
            self.env.ref("smartcall_campaign.resource_calendar_call_center", False)
            or self.env.company.resource_calendar_id
        )

    def _compute_counters(self):
        # incremental counts (smartcall.campaign.counter): no scan of the campaign's contacts
        counts = self.env["smartcall.campaign.counter"]._get_counts(self.ids)
        for campaign in self:
            total = 0
            for state in ("new", "queued", "in_call", "callback", "done", "excluded"):
                count = counts.get((campaign.id, state), 0)
                campaign[f"{state}_count"] = count
                total += count
            campaign.contact_count = total

    @api.model_create_multi
    def create(self, vals_list):
        # the workflow is checked once per campaign (`_check_workflow`), not per step
        return (
            super(SmartcallCampaign, self.with_context(**{WORKFLOW_DEFERRED: True}))
            .create(vals_list)
            .with_env(self.env)
        )

    def write(self, vals):
        # the workflow is checked once per campaign (`_check_workflow`), not per step
        deferred = self.with_context(**{WORKFLOW_DEFERRED: True})
        before = (
            {campaign: campaign.operator_ids for campaign in self} if "operator_ids" in vals else {}
        )
        result = super(SmartcallCampaign, deferred).write(vals)
        if "state" in vals:
            self._notify_consoles("campaign")
        for campaign, operators in before.items():
            # newly assigned operators are not listening to the campaign yet
            for user in campaign.operator_ids - operators:
                self.env["bus.bus"]._sendone(
                    user.partner_id,
                    "smartcall.console/queue",
                    {"campaign_id": campaign.id, "reason": "assigned", "due_at": False},
                )
        return result

    # ------------------------------------------------------------------
    # Console push (bus)
    # ------------------------------------------------------------------
    def _notify_consoles(self, reason, due_at=False):
        """Tell the consoles of the campaigns' operators that their queue changed (`reason`:
        campaign started/stopped, work plan, contacts queued; `due_at`: when the contacts
        become due, False for now). One bus message per campaign: every operator's console
        listens to the campaigns it is assigned to (ir.websocket), and an idle one asks for
        its next contact at once (or at `due_at`) instead of polling."""
        for campaign in self:
            self.env["bus.bus"]._sendone(
                campaign,
                "smartcall.console/queue",
                {
                    "campaign_id": campaign.id,
                    "reason": reason,
                    "due_at": fields.Datetime.to_string(due_at) if due_at else False,
                },
            )

    # ------------------------------------------------------------------
    # Registro delle Opposizioni (DPR 26/2022)
    # ------------------------------------------------------------------
    @api.model
    def _get_registro_validity_days(self):
        days = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("smartcall_campaign.registro_validity_days", REGISTRO_VALIDITY_DAYS)
        )
        try:
            return max(int(days), 1)
        except (TypeError, ValueError):
            return REGISTRO_VALIDITY_DAYS

    @api.depends("registro_checked_on", "tz")
    def _compute_registro_status(self):
        validity = self._get_registro_validity_days()
        for campaign in self:
            if campaign.registro_checked_on:
                campaign.registro_valid_until = campaign.registro_checked_on + timedelta(
                    days=validity - 1
                )
                campaign.registro_check_expired = campaign._today() > campaign.registro_valid_until
            else:
                campaign.registro_valid_until = False
                campaign.registro_check_expired = True

    def _search_registro_check_expired(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Unsupported search on the Registro check."))
        # the day in Rome (the campaigns' default time zone) decides, as _today() does
        today = fields.Date.context_today(self.with_context(tz="Europe/Rome"))
        oldest_valid = today - timedelta(days=self._get_registro_validity_days() - 1)
        expired = [
            "|",
            ("registro_checked_on", "=", False),
            ("registro_checked_on", "<", oldest_valid),
        ]
        if (operator == "=") == bool(value):
            return expired
        return [("registro_checked_on", ">=", oldest_valid)]

    def _check_registro(self):
        """A campaign whose Registro check is out of date builds no work plan."""
        expired = self.filtered("registro_check_expired")
        if expired:
            raise UserError(
                self.env._(
                    "The Registro delle Opposizioni check of campaign %(name)s is out of "
                    "date (last check: %(date)s, valid %(days)s days). Import the "
                    "Registro's answer (Do-not-call import) or record the check, then "
                    "build the work plan.",
                    name=expired[0].name,
                    date=expired[0].registro_checked_on or self.env._("never"),
                    days=self._get_registro_validity_days(),
                )
            )

    def _record_registro_check(self, day=None):
        """The contacts were checked against the Registro on `day` (default today)."""
        for campaign in self:
            campaign.sudo().write(
                {
                    "registro_checked_on": day or campaign._today(),
                    "registro_alert_sent": False,
                }
            )
        return True

    def action_record_registro_check(self):
        """Button: the supervisor checked this campaign's list against the Registro today
        (for example, the Registro's answer had no number to exclude)."""
        if not self.env.user.has_group("smartcall_campaign.group_supervisor"):
            raise AccessError(self.env._("Only supervisors can record a Registro check."))
        return self._record_registro_check()

    def _flag_registro_expired(self):
        """Tell the supervisors, once per expiry, that these campaigns' Registro check is out
        of date: a note on the campaign that notifies each of them."""
        supervisors = (
            self.env.ref("smartcall_campaign.group_supervisor")
            .sudo()
            .users.filtered(lambda user: user.active and not user.share)
        )
        for campaign in self.filtered(
            lambda c: c.registro_check_expired and not c.registro_alert_sent
        ):
            campaign.sudo().message_post(
                body=self.env._(
                    "The Registro delle Opposizioni check of this campaign is out of date "
                    "(last check: %(date)s): no work plan is built until it is renewed.",
                    date=campaign.registro_checked_on or self.env._("never"),
                ),
                partner_ids=supervisors.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )
            campaign.sudo().registro_alert_sent = True
        return True

    # ------------------------------------------------------------------
    # State buttons
    # ------------------------------------------------------------------
    def action_start(self):
        self.write({"state": "running"})

    def action_pause(self):
        self.write({"state": "paused"})

    def action_done(self):
        """Close the campaign: no contact is handed out any more."""
        self.write({"state": "done"})

    def action_draft(self):
        self.write({"state": "draft"})

    def action_view_contacts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "smartcall_campaign.smartcall_campaign_contact_action"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {
            "default_campaign_id": self.id,
            "search_default_campaign_id": self.id,
        }
        state = self.env.context.get("contact_state")
        if state:
            action["context"][f"search_default_filter_{state}"] = 1
        return action

    # ------------------------------------------------------------------
    # Time helpers
    # ------------------------------------------------------------------
    def _now_local(self, now=None, tz=None):
        """Now (naive UTC datetime, default fields.Datetime.now()) in the campaign tz (or `tz`)."""
        self.ensure_one()
        now = now or fields.Datetime.now()
        return pytz.utc.localize(now).astimezone(get_timezone(tz, self.tz))

    def _today(self, now=None, tz=None):
        """Today's date in the campaign time zone (or `tz`)."""
        return self._now_local(now, tz).date()

    def _get_work_intervals(self, day=None):
        """The campaign's working intervals on `day` (default: today in the campaign time zone),
        as [(start, end)] naive UTC datetimes: the attendances of its working-hours calendar for
        that weekday, read in the campaign time zone, minus the calendar's time off (public
        holidays). The one reader of the working hours: the claim, the work plan, the public
        callbacks and the console all go through it."""
        self.ensure_one()
        day = day or self._today()
        start, end = self._local_day_bounds_utc(day)
        tz = pytz.timezone(self.tz or "Europe/Rome")
        # sudo: operators read the hours of their campaign, not the calendars' configuration
        intervals = self.resource_calendar_id.sudo()._work_intervals_batch(
            pytz.utc.localize(start), pytz.utc.localize(end), tz=tz
        )[False]
        return [
            (
                begin.astimezone(pytz.utc).replace(tzinfo=None),
                stop.astimezone(pytz.utc).replace(tzinfo=None),
            )
            for begin, stop, _records in intervals
        ]

    def _format_local_time(self, moment, day=None):
        """`moment` (naive UTC) as HH:MM in the campaign time zone; "24:00" for the end of
        `day`."""
        local = self._now_local(moment)
        if day and local.date() > day or (local.hour, local.minute, local.second) == (23, 59, 59):
            return "24:00"
        return local.strftime("%H:%M")

    def _get_work_hours_label(self, day=None, intervals=None):
        """The working hours of `day` (default today; `intervals`: its `_get_work_intervals`
        when the caller has them) as the operator reads them, e.g. "09:00-20:00" (campaign
        time zone, named when it is not the user's), or "closed today"."""
        self.ensure_one()
        day = day or self._today()
        if intervals is None:
            intervals = self._get_work_intervals(day)
        if not intervals:
            return self.env._("closed today")
        label = ", ".join(
            f"{self._format_local_time(start)}-{self._format_local_time(end, day)}"
            for start, end in intervals
        )
        if self.env.user.tz and self.env.user.tz != self.tz:
            # an operator in another time zone reads whose clock these hours are on
            label = f"{label} {self.tz}"
        return label

    def _is_within_work_hours(self, now=None, intervals=None):
        """True when `now` (UTC, default now) falls in one of today's working intervals
        (`_get_work_intervals`, or `intervals` when the caller has them): no contact is
        handed out outside them."""
        self.ensure_one()
        now = now or fields.Datetime.now()
        if intervals is None:
            intervals = self._get_work_intervals(self._today(now))
        return any(start <= now < end for start, end in intervals)

    def _check_public_callback_time(self, when, now=None):
        """A public callback (seed 003, 3.4: "oggi per oggi, mai per giorni successivi") falls
        within today's working hours of the campaign, so it is served today. Raises a UserError
        that says until when the campaign calls today, and points to CBPROS or a private
        callback otherwise."""
        self.ensure_one()
        now = now or fields.Datetime.now()
        today = self._today(now)
        intervals = self._get_work_intervals(today)
        if any(start <= when < end for start, end in intervals):
            return True
        later = [(start, end) for start, end in intervals if end > now]
        if not later:
            raise UserError(
                self.env._(
                    "Campaign %(name)s does not call any more today (working hours: "
                    "%(hours)s): a public callback is for today only. Use CBPROS - Try again "
                    "later, or a private callback.",
                    name=self.name,
                    hours=self._get_work_hours_label(today, intervals),
                )
            )
        raise UserError(
            self.env._(
                "A public callback must fall within today's working hours of campaign "
                "%(name)s (%(hours)s): today it calls until %(end)s. For a later time use "
                "CBPROS - Try again later, or a private callback.",
                name=self.name,
                hours=self._get_work_hours_label(today, intervals),
                end=self._format_local_time(later[-1][1], today),
            )
        )

    def _local_day_bounds_utc(self, day, tz=None):
        """(start, end) of `day` in the campaign tz (or `tz`), as naive UTC datetimes."""
        self.ensure_one()
        tz = get_timezone(tz, self.tz)
        start = tz.localize(datetime.combine(day, time.min))
        end = tz.localize(datetime.combine(day + timedelta(days=1), time.min))
        return (
            start.astimezone(pytz.utc).replace(tzinfo=None),
            end.astimezone(pytz.utc).replace(tzinfo=None),
        )

    # ------------------------------------------------------------------
    # Work plan (piano di lavoro)
    # ------------------------------------------------------------------
    def _get_zone_municipalities(self):
        self.ensure_one()
        return sorted(
            {
                line.strip().lower()
                for line in (self.zone_municipalities or "").splitlines()
                if line.strip()
            }
        )

    def _zone_sql(self, partner_alias="p"):
        """SQL condition on the partner for the campaign zone (provinces and municipalities)."""
        self.ensure_one()
        conditions = []
        if self.zone_state_ids:
            conditions.append(
                SQL("%s.state_id = ANY(%s)", SQL.identifier(partner_alias), self.zone_state_ids.ids)
            )
        municipalities = self._get_zone_municipalities()
        if municipalities:
            conditions.append(
                SQL(
                    "lower(trim(%s.city)) = ANY(%s)",
                    SQL.identifier(partner_alias),
                    municipalities,
                )
            )
        return SQL(" AND ").join(conditions) if conditions else SQL("TRUE")

    def action_build_work_plan(self):
        """Build today's work plan (seed 003, CBPROS: "Smartcall effettua i piani di lavoro
        giornalmente"): queue the new contacts of the zone and the CBPROS contacts postponed by an
        earlier plan, exclude blacklisted numbers. Retries and public callbacks already queued wait
        for their time. Bulk SQL: a campaign can hold a million contacts."""
        if not self.env.user.has_group("smartcall_campaign.group_supervisor"):
            raise AccessError(self.env._("Only supervisors can build the work plan."))
        self.filtered(lambda c: c.state == "running")._check_registro()
        Contact = self.env["smartcall.campaign.contact"]
        Contact.flush_model()
        Contact._flush_for_numbers_sql()
        self.env["res.partner"].flush_model(["state_id", "city"])
        totals = {"queued": 0, "excluded": 0}
        for campaign in self:
            if campaign.state != "running":
                continue
            today = campaign._today()
            campaign._expire_public_callbacks(today)
            zone = campaign._zone_sql("p")
            # Candidates: new contacts, and CBPROS contacts postponed before today.
            candidates = SQL(
                """c.campaign_id = %(campaign)s
                   AND c.state = 'new'
                   AND (NOT c.postponed_to_next_plan OR c.postponed_on IS NULL
                        OR c.postponed_on < %(today)s)
                   AND %(zone)s""",
                campaign=campaign.id,
                today=today,
                zone=zone,
            )
            blacklisted = self.env["smartcall.campaign.contact"]._blacklisted_sql("c")
            no_number = SQL("(p.smartcall_phone_e164 IS NULL AND p.smartcall_mobile_e164 IS NULL)")
            excluded = self.env.execute_query(
                SQL(
                    """UPDATE smartcall_campaign_contact c
                          SET state = 'excluded',
                              excluded_reason = CASE WHEN %(no_number)s THEN %(r_none)s
                                                     ELSE %(r_bl)s END,
                              plan_date = %(today)s,
                              write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
                         FROM res_partner p
                        WHERE p.id = c.partner_id AND %(candidates)s
                          AND (%(no_number)s OR %(blacklisted)s)
                    RETURNING c.id""",
                    no_number=no_number,
                    r_none=self.env._("No number to call"),
                    r_bl=self.env._("Number in the do-not-call list"),
                    today=today,
                    uid=self.env.uid,
                    candidates=candidates,
                    blacklisted=blacklisted,
                )
            )
            queued = self.env.execute_query(
                SQL(
                    """UPDATE smartcall_campaign_contact c
                          SET state = 'queued',
                              queue_priority = CASE WHEN c.postponed_to_next_plan
                                                    THEN %(retry)s ELSE %(new)s END,
                              next_call_at = NULL,
                              postponed_to_next_plan = FALSE,
                              postponed_on = NULL,
                              plan_date = %(today)s,
                              write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
                         FROM res_partner p
                        WHERE p.id = c.partner_id AND %(candidates)s
                    RETURNING c.id""",
                    retry=PRIORITY_RETRY,
                    new=PRIORITY_NEW,
                    today=today,
                    uid=self.env.uid,
                    candidates=candidates,
                )
            )
            # Contacts already queued whose number was blacklisted since: out of the queue.
            excluded_later = self.env.execute_query(
                SQL(
                    """UPDATE smartcall_campaign_contact c
                          SET state = 'excluded', excluded_reason = %(r_bl)s,
                              write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
                        WHERE c.campaign_id = %(campaign)s AND c.state = 'queued'
                          AND %(blacklisted)s
                    RETURNING c.id""",
                    r_bl=self.env._("Number in the do-not-call list"),
                    uid=self.env.uid,
                    campaign=campaign.id,
                    blacklisted=blacklisted,
                )
            )
            # sudo: supervisors build plans but may not edit campaigns; this is bookkeeping
            campaign.sudo().last_plan_date = today
            if queued:
                campaign._notify_consoles("work_plan")
            totals["queued"] += len(queued)
            totals["excluded"] += len(excluded) + len(excluded_later)
            _logger.info(
                "Work plan of campaign %s for %s: %s queued, %s excluded",
                campaign.id,
                today,
                len(queued),
                len(excluded) + len(excluded_later),
            )
        Contact.invalidate_model()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Work plan built: %(queued)s contacts queued, %(excluded)s excluded.",
                    **totals,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _expire_public_callbacks(self, today):
        """A public callback nobody reached by closing time is not one on a later day (seed 003,
        3.4: "oggi per oggi, mai per giorni successivi"): it becomes a CBPROS, postponed on the
        day it was due, so the work plan of `today` queues it with the retries."""
        self.ensure_one()
        start, _end = self._local_day_bounds_utc(today)
        expired = self.env.execute_query(
            SQL(
                """UPDATE smartcall_campaign_contact c
                      SET state = 'new', postponed_to_next_plan = TRUE,
                          postponed_on = (c.next_call_at AT TIME ZONE 'UTC'
                                          AT TIME ZONE %(tz)s)::date,
                          queue_priority = %(retry)s, next_call_at = NULL,
                          write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
                    WHERE c.campaign_id = %(campaign)s AND c.state = 'queued'
                      AND c.queue_priority = %(callback)s AND c.next_call_at < %(start)s
                RETURNING c.id""",
                tz=self.tz or "Europe/Rome",
                retry=PRIORITY_RETRY,
                uid=self.env.uid,
                campaign=self.id,
                callback=PRIORITY_PUBLIC_CALLBACK,
                start=start,
            )
        )
        if expired:
            _logger.info(
                "Campaign %s: %s public callbacks not reached in time became CBPROS",
                self.id,
                len(expired),
            )
        return len(expired)

    @api.model
    def _cron_build_work_plans(self):
        """Daily scheduled procedure: build today's work plan of every running campaign that
        works today (not on its days off nor on the public holidays of its calendar)."""
        expired = self.search([("state", "!=", "done"), ("registro_check_expired", "=", True)])
        expired._flag_registro_expired()
        campaigns = self.search([("state", "=", "running")]) - expired
        for campaign in campaigns:
            if campaign._get_work_intervals():
                campaign.action_build_work_plan()
        return True

    # ------------------------------------------------------------------
    # The queue
    # ------------------------------------------------------------------
    def _check_can_claim(self, user):
        """The campaign runs and `user` is one of its operators (or a supervisor)."""
        self.ensure_one()
        if self.state != "running":
            raise UserError(self.env._("Campaign %(name)s is not running.", name=self.name))
        # SQL instead of `user in self.operator_ids`: reading the m2m of a campaign with
        # dozens of operators costs more than the claim itself.
        self.flush_recordset(["operator_ids"])
        assigned = self.env.execute_query(
            SQL(
                """SELECT 1 FROM smartcall_campaign_operator_rel
                    WHERE campaign_id = %s AND user_id = %s""",
                self.id,
                user.id,
            )
        )
        if not assigned and not user.has_group("smartcall_campaign.group_supervisor"):
            raise UserError(
                self.env._(
                    "You are not assigned to campaign %(name)s: ask your supervisor.",
                    name=self.name,
                )
            )

    def _get_held_contact(self, user):
        """The contact `user` is currently holding in this campaign (state in_call), if any."""
        self.ensure_one()
        Contact = self.env["smartcall.campaign.contact"]
        Contact.flush_model(["campaign_id", "operator_id", "state"])
        rows = self.env.execute_query(
            SQL(
                """SELECT id FROM smartcall_campaign_contact
                    WHERE operator_id = %s AND campaign_id = %s AND state = 'in_call'
                    LIMIT 1""",
                user.id,
                self.id,
            )
        )
        return Contact.browse(rows[0][0]) if rows else Contact

    def _claim_query(self, user, now, skip_touched=False):
        """The claim as one statement: the first due row of the first non-empty tier.

        Each tier is a `FOR NO KEY UPDATE SKIP LOCKED` sub-select walking the partial index
        smartcall_campaign_contact_queue_idx (campaign, priority, due time, id); a tier is
        scanned only when the tiers above it found nothing (one-time filters). Rows another
        transaction is claiming are skipped, never waited for; NO KEY UPDATE (as in ir_cron)
        lets other tables keep inserting foreign keys to the row meanwhile.
        `skip_touched` also skips rows changed since this transaction's snapshot (xmax set).
        """
        touched = SQL("AND c.xmax = '0'::xid") if skip_touched else SQL()
        blacklisted = self.env["smartcall.campaign.contact"]._blacklisted_sql("c")

        def tier(priority, due, gate):
            return SQL(
                """SELECT c.id FROM smartcall_campaign_contact c
                    WHERE c.campaign_id = %(campaign)s AND c.state = 'queued'
                      AND c.queue_priority = %(priority)s AND %(due)s %(touched)s %(gate)s
                      AND NOT %(blacklisted)s
                    ORDER BY c.next_call_at NULLS FIRST, c.id
                    LIMIT 1
                      FOR NO KEY UPDATE SKIP LOCKED""",
                campaign=self.id,
                priority=priority,
                due=due,
                touched=touched,
                gate=gate,
                blacklisted=blacklisted,
            )

        due_now = SQL("(c.next_call_at IS NULL OR c.next_call_at <= %s)", now)
        # a public callback of an earlier day is not served (the work plan makes it a CBPROS)
        today_start, _end = self._local_day_bounds_utc(self._today(now))
        callback_due = SQL("c.next_call_at <= %s AND c.next_call_at >= %s", now, today_start)
        return SQL(
            """WITH callback AS MATERIALIZED (%(callback)s),
                    retry AS MATERIALIZED (%(retry)s),
                    fresh AS MATERIALIZED (%(fresh)s)
               UPDATE smartcall_campaign_contact
                  SET state = 'in_call', operator_id = %(user)s, claimed_at = %(now)s,
                      attempt_count = COALESCE(attempt_count, 0) + 1,
                      write_uid = %(user)s, write_date = %(now)s
                WHERE id IN (SELECT id FROM callback UNION ALL SELECT id FROM retry
                             UNION ALL SELECT id FROM fresh)
            RETURNING id""",
            callback=tier(PRIORITY_PUBLIC_CALLBACK, callback_due, SQL()),
            retry=tier(PRIORITY_RETRY, due_now, SQL("AND NOT EXISTS (SELECT 1 FROM callback)")),
            fresh=tier(
                PRIORITY_NEW,
                due_now,
                SQL("AND NOT EXISTS (SELECT 1 FROM callback) AND NOT EXISTS (SELECT 1 FROM retry)"),
            ),
            user=user.id,
            now=now,
        )

    def _claim_next_contact(self, user):
        """Hand the next contact of this campaign to `user` (seed 003 / DESIGN "the queue"):
        due public callbacks first, then due retries, then new contacts; never a private
        callback, never a blacklisted number, never outside the work hours. Returns the
        contact (state in_call), the one `user` already holds, or an empty recordset.

        Concurrency: one UPDATE over `FOR NO KEY UPDATE SKIP LOCKED` sub-selects, so
        concurrent operators in any number of workers never get the same contact. Under Odoo's
        REPEATABLE READ, a row claimed and committed by another transaction after our snapshot
        raises a serialization failure: the claim then runs again skipping the rows touched
        since the snapshot, and only if nothing is left is the error raised for the caller
        (Odoo's RPC layer) to retry with a fresh snapshot.
        """
        self.ensure_one()
        self._check_can_claim(user)
        held = self._get_held_contact(user)
        if held:
            return held
        Contact = self.env["smartcall.campaign.contact"]
        if not self._is_within_work_hours():
            return Contact
        # Raw SQL: the ORM cannot express SKIP LOCKED. Flush pending ORM writes first so the
        # query sees them, and invalidate the cache after since it bypasses the ORM.
        Contact.flush_model(["campaign_id", "state", "queue_priority", "next_call_at"])
        Contact._flush_for_numbers_sql()
        now = fields.Datetime.now()
        cr = self.env.cr
        try:
            with cr.savepoint(flush=False):
                cr.execute(self._claim_query(user, now), log_exceptions=False)
                rows = cr.fetchall()
        except pg_errors.SerializationFailure:
            with cr.savepoint(flush=False):
                cr.execute(self._claim_query(user, now, skip_touched=True), log_exceptions=False)
                rows = cr.fetchall()
            if not rows:
                raise
        if not rows:
            return Contact
        contact = Contact.browse(rows[0][0])
        contact.invalidate_recordset(
            ["state", "operator_id", "claimed_at", "attempt_count", "write_uid", "write_date"]
        )
        return contact

    def _claim_contact(self, contact, user):
        """Manual pick (manual campaign, or the owner calling a private callback): lock that one
        contact with SKIP LOCKED and hand it to `user`; refused when another operator holds it.
        Private callbacks can be picked by their owner only (seed 003, CALLBK privato)."""
        self.ensure_one()
        self._check_can_claim(user)
        if contact.campaign_id != self:
            raise UserError(self.env._("This contact belongs to another campaign."))
        if not self._is_within_work_hours():
            raise UserError(
                self.env._(
                    "Campaign %(name)s is outside its work hours: no calls now.",
                    name=self.name,
                )
            )
        held = self._get_held_contact(user)
        if held and held != contact:
            raise UserError(
                self.env._(
                    "You are already holding %(contact)s: give it an outcome first.",
                    contact=held.partner_id.display_name,
                )
            )
        if held == contact:
            return contact
        if contact._get_blacklisted_numbers():
            raise UserError(
                self.env._(
                    "%(contact)s has a number in the do-not-call list.",
                    contact=contact.partner_id.display_name,
                )
            )
        Contact = self.env["smartcall.campaign.contact"]
        Contact.flush_model(["state", "operator_id", "callback_owner_id"])
        now = fields.Datetime.now()
        # Raw SQL for SKIP LOCKED: an operator picking a row another one is claiming gets a
        # refusal at once instead of waiting on the lock.
        query = SQL(
            """UPDATE smartcall_campaign_contact
                  SET state = 'in_call', operator_id = %(user)s, claimed_at = %(now)s,
                      attempt_count = COALESCE(attempt_count, 0) + 1,
                      write_uid = %(user)s, write_date = %(now)s
                WHERE id = (
                    SELECT c.id FROM smartcall_campaign_contact c
                     WHERE c.id = %(contact)s
                       AND (c.state = 'queued'
                            OR (c.state = 'callback' AND c.callback_owner_id = %(user)s))
                       FOR NO KEY UPDATE SKIP LOCKED)
            RETURNING id""",
            user=user.id,
            now=now,
            contact=contact.id,
        )
        cr = self.env.cr
        try:
            with cr.savepoint(flush=False):
                cr.execute(query, log_exceptions=False)
                rows = cr.fetchall()
        except pg_errors.SerializationFailure:
            rows = []  # claimed and committed by another operator since our snapshot
        contact.invalidate_recordset(
            ["state", "operator_id", "claimed_at", "attempt_count", "write_uid", "write_date"]
        )
        if not rows:
            raise UserError(
                self.env._(
                    "%(contact)s is not available any more: another operator took it.",
                    contact=contact.partner_id.display_name,
                )
            )
        return contact
