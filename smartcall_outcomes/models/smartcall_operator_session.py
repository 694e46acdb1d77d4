# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time

import pytz

from odoo import api, fields, models

from odoo.addons.smartcall_campaign.tools import get_timezone

WALL_FIELDS = {
    "state",
    "pause_reason_id",
    "pending_pause_reason_id",
    "current_contact_id",
    "campaign_id",
    "last_outcome_id",
}
WALL_NOTIFICATION = "smartcall.wall/updated"
# Order of the segments of the wall's bar: positive outcomes, then recalls, then negatives.
MIX_TYPE_ORDER = {"T": 0, "C": 1, "R": 2, "N": 3}


class SmartcallOperatorSession(models.Model):
    """The supervisor wall (seed 001, "Colori degli Esiti"): each operator's card shows their
    state and is coloured by their last outcome, live."""

    _inherit = "smartcall.operator.session"

    last_outcome_id = fields.Many2one("smartcall.outcome")
    last_outcome_color = fields.Char(related="last_outcome_id.color", string="Outcome Colour")
    last_outcome_type = fields.Selection(related="last_outcome_id.type")
    current_partner_id = fields.Many2one(related="current_contact_id.partner_id", string="Customer")
    call_count_today = fields.Integer(string="Calls Today", compute="_compute_today_figures")
    outcome_mix_today = fields.Json(
        string="Today's Outcomes",
        compute="_compute_today_figures",
        help="Today's outcomes of the operator, by outcome: the coloured bar of the wall.",
    )

    def _get_day_start(self):
        """Midnight of today in the viewer's time zone, in UTC (the wall shows "today")."""
        tz = get_timezone(self.env.user.tz)
        today = fields.Datetime.now().replace(tzinfo=pytz.utc).astimezone(tz).date()
        start = tz.localize(datetime.combine(today, time.min))
        return start.astimezone(pytz.utc).replace(tzinfo=None)

    @api.depends("user_id", "last_outcome_id", "state")
    def _compute_today_figures(self):
        """Seed 001, "Colori degli Esiti": the mix of each operator's outcomes of the day, so
        the supervisor sees the prevailing colours at a glance. One grouped query on today's
        calls of the operators shown (index smartcall_call_user_started_idx), never on the
        campaign contacts."""
        rows = (
            self.env["smartcall.call"]
            .sudo()
            ._read_group(
                [
                    ("user_id", "in", self.user_id.ids),
                    ("started_at", ">=", self._get_day_start()),
                    ("state", "in", ("done", "abandoned")),
                ],
                ["user_id", "outcome_id"],
                ["__count"],
            )
        )
        calls = {}
        mixes = {}
        for user, outcome, count in rows:
            calls[user] = calls.get(user, 0) + count
            if outcome:
                mixes.setdefault(user, []).append((outcome, count))
        for session in self:
            session.call_count_today = calls.get(session.user_id, 0)
            session.outcome_mix_today = [
                {
                    "code": outcome.code,
                    "name": outcome.name,
                    "type": outcome.type,
                    "color": outcome.color or "#6c757d",
                    "count": count,
                }
                for outcome, count in sorted(
                    mixes.get(session.user_id, []),
                    key=lambda item: (
                        MIX_TYPE_ORDER.get(item[0].type, 9),
                        item[0].sequence,
                        item[0].id,
                    ),
                )
            ]

    @api.model_create_multi
    def create(self, vals_list):
        sessions = super().create(vals_list)
        sessions._notify_wall()
        return sessions

    def write(self, vals):
        res = super().write(vals)
        if WALL_FIELDS & set(vals):
            self._notify_wall()
        return res

    def _notify_wall(self):
        """Tell the supervisors' wall to refresh: one message on the Supervisor group channel
        (every supervisor's tab listens to its groups); sent after commit only."""
        if not self:
            return
        group = self.env.ref("smartcall_campaign.group_supervisor", raise_if_not_found=False)
        if not group:
            return
        self.env["bus.bus"]._sendone(
            group,
            WALL_NOTIFICATION,
            {
                "session_ids": self.ids,
                "states": dict(zip(self.ids, self.mapped("state"), strict=True)),
            },
        )
