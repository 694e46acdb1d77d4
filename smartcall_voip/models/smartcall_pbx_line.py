# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

LINE_OPEN_STATES = ("calling", "up")


class SmartcallPbxLine(models.Model):
    """The operator's line (seed 003, 1.2): at Start the PBX calls the operator's softphone
    once; the operator answers and stays on it for the whole shift ("La chiamata del VoIP NON
    deve mai essere chiusa dopo aver risposto"). Customer calls join it (a ConfBridge room
    named after the line). One record per line opened; written by the AMI client."""

    _name = "smartcall.pbx.line"
    _description = "Operator's Phone Line"
    _order = "id desc"

    user_id = fields.Many2one("res.users", string="Operator", required=True, index=True)
    pbx_id = fields.Many2one("smartcall.pbx", string="PBX", required=True, ondelete="cascade")
    extension = fields.Char(required=True)
    state = fields.Selection(
        [("calling", "Ringing the operator"), ("up", "Connected"), ("down", "Closed")],
        required=True,
        default="calling",
        index=True,
    )
    unique_id = fields.Char(string="Asterisk Unique ID", index="btree_not_null", readonly=True)
    room = fields.Char(readonly=True, help="The ConfBridge room customer calls join.")
    started_at = fields.Datetime(default=fields.Datetime.now, required=True)
    answered_at = fields.Datetime()
    ended_at = fields.Datetime()
    end_reason = fields.Char()

    @api.model
    def _get_current(self, user):
        """The operator's line being rung or connected, if any."""
        return self.sudo().search(
            [("user_id", "=", user.id), ("state", "in", LINE_OPEN_STATES)], limit=1
        )

    @api.model
    def _open(self, user):
        """Ring the operator's softphone (Start, or "Call my phone" after the line dropped):
        at most one open line per operator."""
        line = self._get_current(user)
        if line:
            return line
        pbx = user.pbx_id.sudo()
        if not pbx or not user.pbx_extension:
            raise UserError(self.env._("You have no phone extension: ask your supervisor."))
        pbx._check_connected()
        line = self.sudo().create(
            {"user_id": user.id, "pbx_id": pbx.id, "extension": user.pbx_extension}
        )
        line.write({"unique_id": f"{pbx._ami_prefix()}l{line.id}", "room": str(line.id).zfill(4)})
        pbx._send_command(
            "Originate",
            {
                "Channel": line.extension,
                "Context": pbx.operator_context,
                "Exten": line.room,
                "Priority": 1,
                "Async": "true",
                "Timeout": pbx.ring_timeout * 1000,
                "ChannelId": line.unique_id,
                "CallerID": pbx.caller_id or "Smartcall",
                "Variable": [f"SMARTCALL_LINE={line.id}"],
            },
            ref=f"line:{line.id}",
        )
        line._push()
        return line

    def _hang_up(self):
        """Logout: the operator's line ends too (seed 003, 5)."""
        for line in self.sudo().filtered(lambda line: line.state in LINE_OPEN_STATES):
            line.pbx_id._send_command(
                "Hangup", {"Channel": line.unique_id, "Cause": 16}, ref=f"line:{line.id}"
            )

    def _set_down(self, reason, when=None):
        for line in self.filtered(lambda line: line.state != "down"):
            line.write(
                {"state": "down", "ended_at": when or fields.Datetime.now(), "end_reason": reason}
            )
            line._push()

    def _get_payload(self):
        if not self:
            return {"state": "none", "id": False, "extension": "", "reason": ""}
        self.ensure_one()
        return {
            "id": self.id,
            "state": self.state,
            "extension": self.extension,
            "reason": self.end_reason or "",
        }

    def _push(self):
        for line in self:
            line.user_id.partner_id._bus_send("smartcall_voip/line", line._get_payload())
