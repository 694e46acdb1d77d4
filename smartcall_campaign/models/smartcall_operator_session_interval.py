# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .smartcall_operator_session import SESSION_STATES


class SmartcallOperatorSessionInterval(models.Model):
    """A stretch of time an operator spent in one state (ready, paused with a reason, in call,
    wrap-up): the supervisor's time-per-state figures."""

    _name = "smartcall.operator.session.interval"
    _description = "Operator Session Interval"
    _order = "started_at, id"

    session_id = fields.Many2one(
        "smartcall.operator.session", required=True, ondelete="cascade", index=True
    )
    user_id = fields.Many2one("res.users", string="Operator", required=True, index=True)
    state = fields.Selection(SESSION_STATES, required=True)
    pause_reason_id = fields.Many2one("smartcall.pause.reason")
    started_at = fields.Datetime(required=True)
    ended_at = fields.Datetime()
    duration = fields.Integer(
        string="Duration (s)", compute="_compute_duration", store=True, aggregator="sum"
    )

    @api.depends("started_at", "ended_at")
    def _compute_duration(self):
        for interval in self:
            if interval.started_at and interval.ended_at:
                interval.duration = max(
                    0, int((interval.ended_at - interval.started_at).total_seconds())
                )
            else:
                interval.duration = 0
