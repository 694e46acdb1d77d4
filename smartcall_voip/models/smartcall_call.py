# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

CALL_LIVE_STATES = ("dialing", "ringing", "answered")
# unique ID of the second half of the Local channel of a customer call (after the first's)
LOCAL2_SUFFIX = "-L2"


class SmartcallCall(models.Model):
    """The PBX side of a call: written from the AMI events by the PBX's client."""

    _inherit = "smartcall.call"

    pbx_id = fields.Many2one("smartcall.pbx", string="PBX", ondelete="set null", readonly=True)
    pbx_state = fields.Selection(
        [
            ("dialing", "Dialling"),
            ("ringing", "Ringing"),
            ("answered", "Answered"),
            ("ended", "Hung up"),
            ("failed", "Not answered"),
        ],
        string="Line State",
        readonly=True,
        index="btree_not_null",
    )
    pbx_channel_id = fields.Char(
        string="Asterisk Unique ID", readonly=True, index="btree_not_null", copy=False
    )
    customer_channel = fields.Char(readonly=True, copy=False)
    dialed_at = fields.Datetime(readonly=True)
    dial_status = fields.Char(readonly=True, help="Asterisk's DialStatus: BUSY, NOANSWER...")
    hangup_cause = fields.Integer(readonly=True, help="Q.850 cause of the customer's leg.")
    hangup_cause_text = fields.Char(string="Hang-up Cause", readonly=True)
    recording_file = fields.Char(readonly=True)
    dial_count = fields.Integer(readonly=True, default=0)

    @api.depends("dialed_at")
    def _compute_durations(self):
        """Ring time counts from the dial, not from the claim, when the PBX dialled."""
        res = super()._compute_durations()
        for call in self.filtered("dialed_at"):
            end = call.answered_at or call.ended_at
            call.ring_duration = max(0, int((end - call.dialed_at).total_seconds())) if end else 0
        return res

    def _pbx_dial(self, number, line):
        """Originate the customer's `number` into the operator's open `line` (its ConfBridge
        room): the do-not-call check first, then one Originate through the PBX's client."""
        self.ensure_one()
        pbx = line.pbx_id.sudo()
        pbx._check_dialable(number)
        if self.pbx_state in CALL_LIVE_STATES:
            raise UserError(self.env._("A call is already in progress: hang it up first."))
        pbx._check_connected()
        dial_number = pbx._get_dial_number(number)
        count = self.dial_count + 1
        unique_id = f"{pbx._ami_prefix()}c{self.id}n{count}"
        self.sudo().write(
            {
                "pbx_id": pbx.id,
                "number": number,
                "pbx_state": "dialing",
                "pbx_channel_id": unique_id,
                "customer_channel": False,
                "dialed_at": fields.Datetime.now(),
                "answered_at": False,
                "ended_at": False,
                "dial_status": False,
                "hangup_cause": 0,
                "hangup_cause_text": False,
                "recording_file": False,
                "dial_count": count,
            }
        )
        fields_values = {
            "Channel": f"Local/{dial_number}@{pbx.originate_context}/n",
            "Application": "ConfBridge",
            "Data": f"{line.room},default_bridge,smartcall_customer",
            "Async": "true",
            "Timeout": pbx.ring_timeout * 1000,
            "ChannelId": unique_id,
            "OtherChannelId": unique_id + LOCAL2_SUFFIX,
            "Variable": [f"SMARTCALL_CALL={self.id}"],
        }
        if pbx.caller_id:
            fields_values["CallerID"] = pbx.caller_id
        pbx._send_command("Originate", fields_values, ref=f"call:{self.id}")
        self._pbx_push()
        return True

    def _pbx_hang_up(self):
        """Hang up the customer's leg (the Local channel chain goes with it)."""
        for call in self.sudo().filtered(lambda c: c.pbx_state in CALL_LIVE_STATES):
            call.pbx_id._send_command(
                "Hangup",
                {"Channel": call.customer_channel or call.pbx_channel_id, "Cause": 16},
                ref=f"call:{call.id}",
            )

    def _pbx_send_dtmf(self, digits):
        self.ensure_one()
        if self.pbx_state != "answered" or not self.customer_channel:
            raise UserError(self.env._("DTMF can be sent only once the customer has answered."))
        for digit in digits:
            self.pbx_id.sudo()._send_command(
                "PlayDTMF",
                {"Channel": self.customer_channel, "Digit": digit, "Duration": 250},
                ref=f"call:{self.id}",
            )

    def _pbx_close(self, when, cause=0, cause_text="", dial_status=""):
        """The customer's leg closed: final state, once (later events only add the cause)."""
        self.ensure_one()
        values = {}
        if self.pbx_state in CALL_LIVE_STATES:
            values["pbx_state"] = "ended" if self.answered_at else "failed"
            values["ended_at"] = max(when, self.dialed_at or when)
        if cause and not self.hangup_cause:
            values["hangup_cause"] = cause
            values["hangup_cause_text"] = cause_text
        elif cause_text and not self.hangup_cause_text:
            values["hangup_cause_text"] = cause_text
        if dial_status and not self.dial_status:
            values["dial_status"] = dial_status
        if values:
            self.write(values)
        return "pbx_state" in values

    def _get_pbx_payload(self):
        if not self:
            return None
        self.ensure_one()
        return {
            "id": self.id,
            "contact_id": self.contact_id.id,
            "number": self.number or "",
            "state": self.pbx_state or False,
            "dialed_at": fields.Datetime.to_string(self.dialed_at) or False,
            "answered_at": fields.Datetime.to_string(self.answered_at) or False,
            "ended_at": fields.Datetime.to_string(self.ended_at) or False,
            "ring_duration": self.ring_duration,
            "talk_duration": self.talk_duration,
            "dial_status": self.dial_status or "",
            "hangup_cause": self.hangup_cause,
            "hangup_cause_text": self.hangup_cause_text or "",
            "recording_file": self.recording_file or "",
        }

    def _pbx_push(self):
        for call in self:
            call.user_id.partner_id._bus_send("smartcall_voip/call", call._get_pbx_payload())
