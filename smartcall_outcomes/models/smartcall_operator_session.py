# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

WALL_FIELDS = {
    "state",
    "pause_reason_id",
    "pending_pause_reason_id",
    "current_contact_id",
    "campaign_id",
    "last_outcome_id",
}
WALL_NOTIFICATION = "smartcall.wall/updated"


class SmartcallOperatorSession(models.Model):
    """The supervisor wall (seed 001, "Colori degli Esiti"): each operator's card shows their
    state and is coloured by their last outcome, live."""

    _inherit = "smartcall.operator.session"

    last_outcome_id = fields.Many2one("smartcall.outcome")
    last_outcome_color = fields.Char(related="last_outcome_id.color", string="Outcome Colour")
    last_outcome_type = fields.Selection(related="last_outcome_id.type")
    current_partner_id = fields.Many2one(related="current_contact_id.partner_id", string="Customer")
    call_count_today = fields.Integer(string="Calls Today", compute="_compute_call_count_today")

    def _compute_call_count_today(self):
        start = fields.Datetime.to_datetime(fields.Date.context_today(self))
        counts = dict(
            self.env["smartcall.call"]
            .sudo()
            ._read_group(
                [
                    ("user_id", "in", self.user_id.ids),
                    ("started_at", ">=", start),
                    ("state", "!=", "draft"),
                ],
                ["user_id"],
                ["__count"],
            )
        )
        for session in self:
            session.call_count_today = counts.get(session.user_id, 0)

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
