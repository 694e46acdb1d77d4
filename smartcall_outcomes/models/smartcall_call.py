# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools.sql import create_index

from odoo.addons.smartcall_campaign.tools import get_timezone

# What the reports and the wall count: written by the console, the outcomes and the telephony
# (as superuser, after their own checks), never by a direct write over RPC. (The end and
# answer times are also written by the PBX events of smartcall_voip.)
REPORT_FIELDS = frozenset(
    {
        "contact_id",
        "campaign_id",
        "user_id",
        "direction",
        "state",
        "number",
        "started_at",
        "outcome_id",
        "callback_at",
        "is_private_callback",
        "sale_order_id",
    }
)


class SmartcallCall(models.Model):
    """One call attempt (seed 003, 3: every call ends with an outcome): who called whom, when,
    for how long, how it ended and the operator's notes. The history every feature reads."""

    _name = "smartcall.call"
    _description = "Call"
    _order = "started_at desc, id desc"
    _rec_names_search = ["partner_id.name", "number"]

    contact_id = fields.Many2one(
        "smartcall.campaign.contact",
        string="Campaign Contact",
        ondelete="set null",
        index="btree_not_null",
    )
    campaign_id = fields.Many2one("smartcall.campaign", ondelete="set null", index="btree_not_null")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", ondelete="set null", index="btree_not_null"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Operator",
        index=True,
        default=lambda self: self.env.user,
        ondelete="set null",
    )
    number = fields.Char(string="Number Dialled", help="E.164")
    direction = fields.Selection(
        [("out", "Outbound"), ("in", "Inbound")], required=True, default="out"
    )
    state = fields.Selection(
        [("draft", "In Progress"), ("done", "Done"), ("abandoned", "Abandoned")],
        required=True,
        default="draft",
        index=True,
        help="Abandoned: the operator pressed STOP/CHIUDI, nothing of the wrap-up was kept.",
    )
    started_at = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    answered_at = fields.Datetime()
    ended_at = fields.Datetime()
    duration = fields.Integer(
        string="Duration (s)",
        compute="_compute_durations",
        store=True,
        aggregator="sum",
    )
    talk_duration = fields.Integer(
        string="Talk Time (s)",
        compute="_compute_durations",
        store=True,
        aggregator="sum",
    )
    ring_duration = fields.Integer(
        string="Ring Time (s)",
        compute="_compute_durations",
        store=True,
        aggregator="sum",
    )
    hour = fields.Integer(
        compute="_compute_hour",
        store=True,
        aggregator=None,
        help="Hour of the day the call started, in the campaign time zone.",
    )
    outcome_id = fields.Many2one("smartcall.outcome", ondelete="restrict", index="btree_not_null")
    outcome_type = fields.Selection(related="outcome_id.type", store=True)
    outcome_color = fields.Char(related="outcome_id.color")
    notes = fields.Text()
    callback_at = fields.Datetime()
    is_private_callback = fields.Boolean()
    sale_order_id = fields.Many2one("sale.order", string="Contract", ondelete="set null")

    def init(self):
        res = super().init()
        # the supervisor wall reads today's calls of the operators on screen (outcome mix)
        create_index(
            self.env.cr,
            "smartcall_call_user_started_idx",
            self._table,
            ["user_id", "started_at"],
        )
        return res

    def write(self, vals):
        touched = sorted(REPORT_FIELDS & set(vals))
        if touched and not self.env.su:
            raise AccessError(
                self.env._(
                    "The calls' %(fields)s are recorded by the console and the telephony only.",
                    fields=", ".join(touched),
                )
            )
        return super().write(vals)

    @api.depends("contact_id", "partner_id", "started_at")
    def _compute_display_name(self):
        for call in self:
            call.display_name = self.env._(
                "%(customer)s, %(when)s",
                customer=call.partner_id.display_name or call.number or "",
                when=fields.Datetime.to_string(call.started_at) or "",
            )

    @api.depends("started_at", "answered_at", "ended_at")
    def _compute_durations(self):
        def seconds(start, end):
            return max(0, int((end - start).total_seconds())) if start and end else 0

        for call in self:
            call.duration = seconds(call.started_at, call.ended_at)
            call.ring_duration = seconds(call.started_at, call.answered_at or call.ended_at)
            call.talk_duration = seconds(call.answered_at, call.ended_at)

    @api.depends("started_at", "campaign_id.tz")
    def _compute_hour(self):
        for call in self:
            if not call.started_at:
                call.hour = 0
                continue
            tz = get_timezone(call.campaign_id.tz, self.env.user.tz)
            call.hour = pytz.utc.localize(call.started_at).astimezone(tz).hour

    @api.model
    def _open_for_contact(self, contact, user, number=None):
        """A draft call for `contact` claimed by `user` (one per claim)."""
        return self.sudo().create(
            {
                "contact_id": contact.id,
                "campaign_id": contact.campaign_id.id,
                "partner_id": contact.partner_id.id,
                "user_id": user.id,
                "number": number or (contact._get_dial_numbers() or [False])[0],
                "direction": "out",
                "started_at": fields.Datetime.now(),
            }
        )

    def _close(self, outcome, notes=None, ended_at=None, extra=None):
        """CONFERMA ESITO: the call ends with `outcome` and the operator's notes."""
        now = ended_at or fields.Datetime.now()
        values = {
            "state": "done",
            "outcome_id": outcome.id,
            "notes": notes or False,
            "ended_at": now,
            **(extra or {}),
        }
        for call in self.sudo():
            call.write(dict(values, ended_at=max(now, call.started_at)))
        return True

    def _abandon(self):
        """STOP/CHIUDI (seed 001): nothing of the wrap-up is kept; the attempt stays in history."""
        now = fields.Datetime.now()
        for call in self.sudo():
            call.write(
                {
                    "state": "abandoned",
                    "notes": False,
                    "outcome_id": False,
                    "callback_at": False,
                    "is_private_callback": False,
                    "ended_at": max(now, call.started_at),
                }
            )
        return True
