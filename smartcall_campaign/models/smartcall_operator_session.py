# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

SESSION_STATES = [
    ("ready", "Ready"),
    ("paused", "Paused"),
    ("in_call", "In Call"),
    ("wrap_up", "Wrap-up"),
    ("closed", "Closed"),
]
TRACKED_STATES = ("ready", "paused", "in_call", "wrap_up")
HELD_STATES = ("in_call", "wrap_up")


class SmartcallOperatorSession(models.Model):
    """An operator's working session in the console (seed 003, 1: login, Start/Pause, logout),
    with the time spent in each state kept in intervals. Written only through its methods
    (sudo): operators can read their own sessions, not edit their times."""

    _name = "smartcall.operator.session"
    _description = "Operator Session"
    _order = "started_at desc, id desc"
    _rec_name = "user_id"

    user_id = fields.Many2one(
        "res.users", string="Operator", required=True, index=True, ondelete="cascade"
    )
    campaign_id = fields.Many2one("smartcall.campaign", index="btree_not_null")
    state = fields.Selection(SESSION_STATES, required=True, default="paused")
    pause_reason_id = fields.Many2one("smartcall.pause.reason")
    pending_pause_reason_id = fields.Many2one(
        "smartcall.pause.reason",
        string="Pause After the Call",
        help="Pause asked during a call: the session goes to Pause with this reason once the "
        "call has its outcome, instead of taking the next contact.",
    )
    current_contact_id = fields.Many2one(
        "smartcall.campaign.contact", ondelete="set null", index="btree_not_null"
    )
    started_at = fields.Datetime(required=True, default=fields.Datetime.now)
    ended_at = fields.Datetime()
    last_seen_at = fields.Datetime(default=fields.Datetime.now)
    interval_ids = fields.One2many("smartcall.operator.session.interval", "session_id")
    ready_seconds = fields.Integer(string="Ready (s)", compute="_compute_totals")
    paused_seconds = fields.Integer(string="Paused (s)", compute="_compute_totals")
    in_call_seconds = fields.Integer(string="In Call (s)", compute="_compute_totals")
    wrap_up_seconds = fields.Integer(string="Wrap-up (s)", compute="_compute_totals")

    def init(self):
        # At most one open session per operator, whatever the number of workers.
        self.env.cr.execute(
            SQL(
                """CREATE UNIQUE INDEX IF NOT EXISTS smartcall_operator_session_open_uniq
                     ON smartcall_operator_session (user_id) WHERE state != 'closed'"""
            )
        )

    def _compute_totals(self):
        for session in self:
            totals = session._get_state_totals()
            for state in TRACKED_STATES:
                session[f"{state}_seconds"] = totals[state]

    def _get_state_totals(self, now=None):
        """Seconds spent in each state, the running interval included."""
        self.ensure_one()
        now = now or fields.Datetime.now()
        totals = dict.fromkeys(TRACKED_STATES, 0)
        for interval in self.sudo().interval_ids:
            if interval.state in totals:
                end = interval.ended_at or now
                totals[interval.state] += max(0, int((end - interval.started_at).total_seconds()))
        return totals

    def _get_open_interval(self):
        self.ensure_one()
        return self.sudo().interval_ids.filtered(lambda i: not i.ended_at)[:1]

    def _get_seconds_in_state(self, now=None):
        self.ensure_one()
        interval = self._get_open_interval()
        if not interval:
            return 0
        now = now or fields.Datetime.now()
        return max(0, int((now - interval.started_at).total_seconds()))

    @api.model
    def _get_open(self, user):
        """The open session of `user` (at most one, see the unique index), sudo: sessions are
        written only by their own methods."""
        return self.sudo().search([("user_id", "=", user.id), ("state", "!=", "closed")], limit=1)

    @api.model
    def _get_or_open(self, user):
        """The operator's open session, or a new one in Pause (not yet started: the operator
        presses Start to be ready, seed 003, 1)."""
        session = self._get_open(user)
        if session:
            return session
        now = fields.Datetime.now()
        session = self.sudo().create(
            {"user_id": user.id, "state": "paused", "started_at": now, "last_seen_at": now}
        )
        session._open_interval("paused", None, now)
        return session

    def _open_interval(self, state, reason, now):
        self.ensure_one()
        self.env["smartcall.operator.session.interval"].sudo().create(
            {
                "session_id": self.id,
                "user_id": self.user_id.id,
                "state": state,
                "pause_reason_id": reason.id if reason else False,
                "started_at": now,
            }
        )

    def _close_open_interval(self, now):
        self.ensure_one()
        interval = self._get_open_interval()
        if interval:
            interval.write({"ended_at": now})

    def _set_state(self, state, reason=None):
        """Move the session to `state` (with the pause reason for Pause): closes the open
        interval and opens a new one, so the time per state adds up."""
        self.ensure_one()
        if state not in TRACKED_STATES:
            raise UserError(self.env._("Unknown operator state %(state)s.", state=state))
        if self.state == "closed":
            raise UserError(self.env._("This session is closed: start a new one."))
        if isinstance(reason, int):
            reason = self.env["smartcall.pause.reason"].browse(reason).exists()
        if state != "paused":
            reason = None
        reason = reason or self.env["smartcall.pause.reason"]
        session = self.sudo()
        now = fields.Datetime.now()
        vals = {"last_seen_at": now}
        # A pause asked during a call lives only while that call is held (in call, wrap-up):
        # any other move (Pause, Ready, a new contact) drops it.
        if session.pending_pause_reason_id and not (
            state in HELD_STATES and session.state in HELD_STATES
        ):
            vals["pending_pause_reason_id"] = False
        if session.state == state and session.pause_reason_id == reason:
            session.write(vals)
            return True
        session._close_open_interval(now)
        session.write(dict(vals, state=state, pause_reason_id=reason.id))
        session._open_interval(state, reason, now)
        return True

    def _pause(self, reason):
        """Pause (seed 003, 2: "puoi utilizzarlo in qualsiasi momento"): at once, or, while a
        contact is held, once it is done (see `_set_free`): the call and its outcome go on.
        Pausing again during the call changes the reason."""
        self.ensure_one()
        if self.state in HELD_STATES and self.current_contact_id:
            if self.pending_pause_reason_id != reason:
                self.sudo().write({"pending_pause_reason_id": reason.id})
            return True
        return self._set_state("paused", reason)

    def _cancel_pending_pause(self):
        """Start pressed again during the call: no pause after it."""
        self.ensure_one()
        if self.pending_pause_reason_id:
            self.sudo().write({"pending_pause_reason_id": False})
        return True

    def _set_free(self):
        """The held contact is done (outcome confirmed or STOP): Pause with the reason asked
        during the call (seed 003, 2), else Ready for the next contact."""
        self.ensure_one()
        if self.state not in HELD_STATES:
            return False
        if self.pending_pause_reason_id:
            return self._set_state("paused", self.pending_pause_reason_id)
        return self._set_state("ready")

    def _touch(self):
        """Heartbeat: the operator's console is alive."""
        self.sudo().write({"last_seen_at": fields.Datetime.now()})
        return True

    def _close(self, ended_at=None):
        """Logout (seed 003, 5): close the open interval and the session; a contact still held
        goes back to the queue."""
        for session in self.sudo():
            if session.state == "closed":
                continue
            end = ended_at or fields.Datetime.now()
            held = session.env["smartcall.campaign.contact"].search(
                [("operator_id", "=", session.user_id.id), ("state", "=", "in_call")]
            )
            if held:
                held._release_to_queue()
            session._close_open_interval(end)
            session.write(
                {
                    "state": "closed",
                    "ended_at": end,
                    "pause_reason_id": False,
                    "pending_pause_reason_id": False,
                    "current_contact_id": False,
                }
            )
        return True
