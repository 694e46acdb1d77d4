# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import asyncio
import json
import logging
import re
import time
from datetime import UTC, datetime

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import config

from ..lib.ami_protocol import AmiError, test_connection
from ..lib.dial_number import DIAL_FORMATS, PREFIX_RE, to_dial_number
from .smartcall_call import CALL_LIVE_STATES, LOCAL2_SUFFIX

_logger = logging.getLogger(__name__)

CONTEXT_RE = re.compile(r"^[A-Za-z0-9_-]{1,79}$")
NOTIFY_CHANNEL = "smartcall_voip_pbx"
# The events _ami_call_event may write a call from (the console is told of those only)
CALL_UPDATE_EVENTS = ("DialBegin", "DialEnd", "Hangup", "OriginateResponse")
# OriginateResponse "Reason" (Asterisk's AST_CONTROL_* of the failed originate)
ORIGINATE_REASONS = {
    "0": "No such extension or number",
    "1": "Hung up before answer",
    "3": "No answer",
    "5": "Busy",
    "8": "Congestion",
}


class SmartcallPbx(models.Model):
    """An Asterisk server reached over AMI (issue 15): where operators' lines and customer
    calls are placed. The connection itself is kept by one long-running client per PBX (see
    ``lib/ami_service.py``); these fields are its configuration and the status it reports."""

    _name = "smartcall.pbx"
    _description = "PBX (Asterisk)"
    _order = "sequence, name, id"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    host = fields.Char(string="AMI Host", required=True, default="127.0.0.1")
    port = fields.Integer(string="AMI Port", required=True, default=5038)
    ami_user = fields.Char(string="AMI User", required=True)
    ami_secret = fields.Char(
        string="AMI Secret",
        groups="smartcall_voip.group_pbx_admin",
        copy=False,
        help="Readable only by Telephony Administrators.",
    )
    use_tls = fields.Boolean(
        string="TLS", help="Connect to the AMI over TLS (Asterisk's manager.conf tlsenable)."
    )
    operator_context = fields.Char(
        required=True,
        default="smartcall-operator",
        help="Dialplan context of the operator's line: it greets the operator, then joins "
        "the conference of the extension dialled (see the README's sample extensions.conf).",
    )
    originate_context = fields.Char(
        string="Outbound Context",
        required=True,
        default="smartcall-out",
        help="Dialplan context that dials the customer's number through the carrier.",
    )
    outbound_prefix = fields.Char(help="Digits put in front of every number (e.g. 0 or 9).")
    dial_format = fields.Selection(
        [
            ("national", "National (0881123456)"),
            ("international", "International (00390881123456)"),
            ("e164", "E.164 (+390881123456)"),
        ],
        required=True,
        default="national",
        help="How the PBX expects numbers: Smartcall stores them in E.164.",
    )
    country_id = fields.Many2one(
        "res.country",
        string="PBX Country",
        default=lambda self: self.env.ref("base.it", raise_if_not_found=False),
        help="Country the PBX dials from, for the national format.",
    )
    caller_id = fields.Char(
        string="Caller ID", help='Shown to customers, e.g. "Smartcall" <0881000000>.'
    )
    recording_path = fields.Char(
        help="Folder, on the Asterisk server, where answered customer calls are recorded "
        "(MixMonitor). Empty: no recording."
    )
    ring_timeout = fields.Integer(
        string="Ring Timeout (s)", default=30, help="How long a customer's phone rings."
    )
    keepalive_interval = fields.Integer(
        string="Keep-alive (s)",
        default=10,
        help="Odoo pings the PBX this often and reconnects when it does not answer.",
    )
    user_ids = fields.One2many("res.users", "pbx_id", string="Operators")
    connection_state = fields.Selection(
        [
            ("unknown", "Not started"),
            ("connected", "Connected"),
            ("disconnected", "Disconnected"),
        ],
        default="unknown",
        readonly=True,
        copy=False,
    )
    connection_message = fields.Char(readonly=True, copy=False)
    connection_holder = fields.Char(
        readonly=True, copy=False, help="The Odoo process holding this PBX's AMI connection."
    )
    connection_changed_at = fields.Datetime(readonly=True, copy=False)

    @api.constrains(
        "port", "ring_timeout", "keepalive_interval", "operator_context", "originate_context"
    )
    def _check_validity(self):
        for pbx in self:
            if not 0 < pbx.port < 65536:
                raise ValidationError(self.env._("The AMI port must be between 1 and 65535."))
            if not 1 <= pbx.keepalive_interval <= 300:
                raise ValidationError(
                    self.env._("The keep-alive must be between 1 and 300 seconds.")
                )
            if not 5 <= pbx.ring_timeout <= 180:
                raise ValidationError(
                    self.env._("The ring timeout must be between 5 and 180 seconds.")
                )
            for context in (pbx.operator_context, pbx.originate_context):
                if not CONTEXT_RE.match(context or ""):
                    raise ValidationError(
                        self.env._(
                            "%(context)s is not a dialplan context name: use letters, digits, "
                            "- and _ only.",
                            context=context,
                        )
                    )

    @api.constrains("outbound_prefix")
    def _check_outbound_prefix(self):
        for pbx in self:
            if not PREFIX_RE.match(pbx.outbound_prefix or ""):
                raise ValidationError(
                    self.env._("The outbound prefix may hold only up to 8 digits, * and #.")
                )

    @api.constrains("host", "ami_user", "caller_id", "recording_path")
    def _check_single_line(self):
        for pbx in self:
            for value in (pbx.host, pbx.ami_user, pbx.caller_id, pbx.recording_path):
                if value and ("\n" in value or "\r" in value):
                    raise ValidationError(self.env._("PBX settings must be written on one line."))

    # ------------------------------------------------------------------
    # Connection test (the form's button)
    # ------------------------------------------------------------------
    def action_test_connection(self):
        """Test connection: log in and out once; the answer is one line."""
        self.ensure_one()
        pbx = self.sudo()
        try:
            banner = asyncio.run(
                test_connection(
                    pbx.host,
                    pbx.port,
                    pbx.ami_user,
                    pbx.ami_secret or "",
                    use_tls=pbx.use_tls,
                    timeout=5.0,
                )
            )
        except AmiError as error:
            message = self.env._("Not connected: %(reason)s", reason=str(error))
            kind = "danger"
        else:
            message = self.env._(
                "Connected to %(banner)s as %(user)s.", banner=banner, user=pbx.ami_user
            )
            kind = "success"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"message": message, "type": kind, "sticky": kind == "danger"},
        }

    # ------------------------------------------------------------------
    # Dialling: the one path to an Originate of a customer
    # ------------------------------------------------------------------
    @api.model
    def _check_dialable(self, number):
        """Do-not-call (DESIGN: "no campaign ever dials it again"): the one check every path
        (console, recall, callback, dialer) goes through before any Originate."""
        if not number:
            raise UserError(self.env._("There is no number to dial."))
        blacklisted = (
            self.env["phone.blacklist"]
            .sudo()
            .search_count([("number", "=", number), ("active", "=", True)], limit=1)
        )
        if blacklisted:
            raise UserError(
                self.env._(
                    "%(number)s is in the do-not-call list: it cannot be dialled.",
                    number=number,
                )
            )
        return True

    def _get_dial_number(self, e164):
        """The digits this PBX dials for `e164` (see lib/dial_number.py)."""
        self.ensure_one()
        try:
            return to_dial_number(
                e164,
                dial_format=self.dial_format if self.dial_format in DIAL_FORMATS else "national",
                region=self.country_id.code or "IT",
                outbound_prefix=self.outbound_prefix or "",
            )
        except ValueError as error:
            raise UserError(
                self.env._("%(number)s cannot be dialled: it is not a valid number.", number=e164)
            ) from error

    def _check_connected(self):
        self.ensure_one()
        if self.connection_state != "connected":
            raise UserError(
                self.env._(
                    "The PBX %(name)s is not connected (%(reason)s): try again in a moment or "
                    "call your supervisor.",
                    name=self.name,
                    reason=self.connection_message or self.env._("not started"),
                )
            )

    def _send_command(self, action, fields_values, ref=None):
        """Queue an AMI action for the process that holds this PBX's connection: a
        PostgreSQL NOTIFY, delivered when the current transaction commits (nothing is sent
        for a request that fails)."""
        self.ensure_one()
        payload = json.dumps(
            {"pbx_id": self.id, "action": action, "fields": fields_values, "ref": ref or ""}
        )
        self.env.cr.execute("SELECT pg_notify(%s, %s)", (NOTIFY_CHANNEL, payload))

    # ------------------------------------------------------------------
    # Inbound calls
    # ------------------------------------------------------------------
    def _on_inbound_ring(self, user, caller_number, called_number, unique_id):
        """The PBX rings `user`'s extension for a call from outside (`caller_number`, E.164
        when it could be read as one). Hook for smartcall_inbound; by default the operator's
        console is told through the bus."""
        self.ensure_one()
        user.partner_id._bus_send(
            "smartcall_voip/inbound_ring",
            {
                "pbx_id": self.id,
                "caller_number": caller_number or "",
                "called_number": called_number or "",
                "unique_id": unique_id or "",
            },
        )

    # ------------------------------------------------------------------
    # The AMI client's side (lib/ami_service.py calls these, as superuser, in a
    # transaction of their own)
    # ------------------------------------------------------------------
    @api.model
    def _register_hook(self):
        """Start this database's PBX clients in a running Odoo server (not in ``odoo shell``,
        ``--stop-after-init`` or a registry loaded before the server, as test runners do)."""
        res = super()._register_hook()
        from odoo.service import server as odoo_server

        from ..lib import ami_service

        if odoo_server.server is not None and not config["stop_after_init"]:
            ami_service.start_supervisor_in_server(self.env.cr.dbname)
        return res

    def write(self, vals):
        res = super().write(vals)
        if set(vals) & {"host", "port", "ami_user", "ami_secret", "use_tls", "active"}:
            for pbx in self:
                pbx._send_command("__reload__", {})
        return res

    def _ami_prefix(self):
        """Prefix of the unique IDs Smartcall gives its channels on this database."""
        uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid") or ""
        return f"sc{uuid.replace('-', '')[:8]}-"

    def _ami_get_config(self):
        self.ensure_one()
        pbx = self.sudo()
        if not pbx.active:
            return None
        return {
            "host": pbx.host,
            "port": pbx.port,
            "use_tls": pbx.use_tls,
            "user": pbx.ami_user,
            "secret": pbx.ami_secret or "",
            "timeout": 5.0,
            "ping_every": max(1, pbx.keepalive_interval),
        }

    def _ami_set_state(self, state, message, holder):
        self.ensure_one()
        values = {
            "connection_state": state,
            "connection_message": (message or "")[:250],
            "connection_holder": holder,
        }
        if any(self[key] != value for key, value in values.items()):
            values["connection_changed_at"] = fields.Datetime.now()
            return super().write(values)
        return True

    @api.model
    def _ami_time(self, event):
        return datetime.fromtimestamp(event.get("_received") or time.time(), tz=UTC).replace(
            tzinfo=None
        )

    @api.model
    def _ami_event_key(self, event, prefix):
        """The unique ID of Smartcall's channel an event carries (its Linkedid first), or
        None for a channel that is not Smartcall's."""
        for key in ("Linkedid", "DestLinkedid", "Uniqueid"):
            value = event.get(key) or ""
            if value.startswith(prefix):
                return value
        return None

    def _ami_targets(self, events, prefix):
        """{unique ID: ("call"|"line", record) or None} for the events of a batch: one
        search per model for the whole batch, not one per call (bench/bench_voip_events.py)."""
        values = {self._ami_event_key(event, prefix) for event in events} - {None}
        targets = dict.fromkeys(values)
        call_ids = {
            value.removesuffix(LOCAL2_SUFFIX)
            for value in values
            if value[len(prefix) :].startswith("c")
        }
        line_ids = {value for value in values if value[len(prefix) :].startswith("l")}
        calls, lines = {}, {}
        if call_ids:
            for call in self.env["smartcall.call"].search(
                [("pbx_channel_id", "in", list(call_ids))]
            ):
                calls.setdefault(call.pbx_channel_id, call)
        if line_ids:
            for line in self.env["smartcall.pbx.line"].search(
                [("unique_id", "in", list(line_ids))]
            ):
                lines.setdefault(line.unique_id, line)
        for value in values:
            rest = value[len(prefix) :]
            if rest.startswith("c") and value.removesuffix(LOCAL2_SUFFIX) in calls:
                targets[value] = ("call", calls[value.removesuffix(LOCAL2_SUFFIX)])
            elif rest.startswith("l") and value in lines:
                targets[value] = ("line", lines[value])
        return targets

    def _ami_apply_events(self, events):
        """Turn a batch of AMI events into call and line updates; returns AMI actions to
        send (the recording of an answered call)."""
        self.ensure_one()
        prefix = self._ami_prefix()
        targets = self._ami_targets(events, prefix)
        inbound = self._ami_inbound_targets(events, prefix)
        commands = []
        touched_call_ids = {}
        for event in events:
            name = event.get("Event")
            key = self._ami_event_key(event, prefix)
            target = targets.get(key)
            if target is None:
                if name == "DialBegin":
                    self._ami_inbound_ring(event)
                    # this batch's later events of the call the ring opened find it
                    inbound.update(self._ami_inbound_targets([event], prefix))
                elif key is None:
                    for call in self._ami_inbound_event(inbound, event):
                        touched_call_ids[call.id] = True
                continue
            kind, record = target
            if kind == "call":
                commands += self._ami_call_event(record, event)
                if name in CALL_UPDATE_EVENTS:
                    touched_call_ids[record.id] = True
            else:
                self._ami_line_event(record, event)
        self.env["smartcall.call"].browse(list(touched_call_ids))._pbx_push()
        return commands

    def _ami_call_event(self, call, event):
        name = event["Event"]
        when = self._ami_time(event)
        commands = []
        if call.pbx_state not in CALL_LIVE_STATES and name != "Hangup":
            return commands
        if name in ("DialBegin", "DialEnd") and event.get("DestUniqueid") == call.pbx_channel_id:
            # the Originate's own dial of its Local channel; a dial of another Local channel
            # (a dialplan that routes through one) reaches the customer
            return commands
        if name == "DialBegin" and event.get("DestChannel"):
            values = {"customer_channel": event["DestChannel"]}
            if call.pbx_state == "dialing":
                values["pbx_state"] = "ringing"
            call.write(values)
        elif name == "DialEnd":
            status = event.get("DialStatus") or ""
            if status == "ANSWER" and call.pbx_state != "answered":
                values = {"pbx_state": "answered", "answered_at": when, "dial_status": status}
                if self.recording_path:
                    file_name = "{}/smartcall-{}-{}.wav".format(
                        self.recording_path.rstrip("/"), call.id, when.strftime("%Y%m%d-%H%M%S")
                    )
                    values["recording_file"] = file_name
                    commands.append(
                        {
                            "action": "MixMonitor",
                            "fields": {"Channel": event.get("DestChannel"), "File": file_name},
                            "ref": f"call:{call.id}",
                        }
                    )
                call.write(values)
            elif status != "ANSWER":
                call.write({"dial_status": status})
        elif name == "Hangup":
            channel = event.get("Channel") or ""
            is_customer = channel and channel == call.customer_channel
            is_origin = event.get("Uniqueid") == call.pbx_channel_id
            if is_customer or is_origin:
                cause = int(event.get("Cause") or 0) if is_customer else 0
                cause_text = (event.get("Cause-txt") or "") if is_customer else ""
                call._pbx_close(when, cause, cause_text)
        elif name == "OriginateResponse" and event.get("Response") == "Failure":
            reason = ORIGINATE_REASONS.get(event.get("Reason"), "")
            call._pbx_close(when, 0, reason)
        return commands

    def _ami_line_event(self, line, event):
        name = event["Event"]
        when = self._ami_time(event)
        if line.state == "down":
            return
        if name == "Newstate" and event.get("Uniqueid") == line.unique_id:
            if event.get("ChannelState") == "6" and line.state == "calling":
                line.write({"state": "up", "answered_at": when})
                line._push()
        elif name == "Hangup" and event.get("Uniqueid") == line.unique_id:
            line._set_down(event.get("Cause-txt") or self.env._("The line was closed."), when)
        elif name == "OriginateResponse" and event.get("Response") == "Failure":
            line._set_down(
                ORIGINATE_REASONS.get(event.get("Reason"))
                or self.env._("Your softphone did not answer."),
                when,
            )

    def _ami_inbound_ring(self, event):
        """A call from outside rings an operator's extension (DialBegin on a channel that is
        not one of Smartcall's): the `_on_inbound_ring` hook."""
        dest = event.get("DestChannel") or ""
        extension = dest.rsplit("-", 1)[0]
        if not extension:
            return
        user = (
            self.env["res.users"]
            .sudo()
            .search([("pbx_id", "=", self.id), ("pbx_extension", "=", extension)], limit=1)
        )
        if not user:
            return
        caller = event.get("CallerIDNum") or ""
        # the campaign's phone store reads every way a PBX may give a number (E.164 or False)
        number = (
            self.env["res.partner"]._smartcall_normalize_phone(caller, country=self.country_id)
            if caller and caller != "<unknown>"
            else ""
        )
        self._on_inbound_ring(
            user,
            number or caller,
            event.get("DestExten") or event.get("Exten") or "",
            event.get("DestUniqueid") or "",
        )

    @api.model
    def _ami_inbound_key(self, event):
        """The unique ID of the operator's channel that an event of a call from outside is
        about: the dialled channel of DialBegin/DialEnd, the channel of Hangup."""
        name = event.get("Event")
        if name in ("DialBegin", "DialEnd"):
            return event.get("DestUniqueid") or None
        if name == "Hangup":
            return event.get("Uniqueid") or None
        return None

    def _ami_inbound_targets(self, events, prefix):
        """{operator channel's unique ID: call} of the live calls from outside (opened by
        `_on_inbound_ring`) that a batch's events are about: one search per batch, none for
        a batch of Smartcall's own channels only."""
        keys = {
            self._ami_inbound_key(event)
            for event in events
            if self._ami_event_key(event, prefix) is None
        } - {None}
        if not keys:
            return {}
        calls = self.env["smartcall.call"].search(
            [
                ("pbx_id", "=", self.id),
                ("pbx_channel_id", "in", list(keys)),
                ("pbx_state", "in", CALL_LIVE_STATES),
            ]
        )
        return {call.pbx_channel_id: call for call in calls}

    def _ami_inbound_event(self, inbound, event):
        """An event of a call from outside ringing an operator: the operator's phone answers
        (DialEnd ANSWER), the ring ends unanswered (the caller gave up: CANCEL; NOANSWER,
        BUSY...), or the conversation ends (whoever hangs up first, the operator's channel
        ends with it). The call's final state is written once; returns the calls changed."""
        call = inbound.get(self._ami_inbound_key(event))
        if not call or call.pbx_state not in CALL_LIVE_STATES:
            return []
        name = event["Event"]
        when = self._ami_time(event)
        if name == "DialEnd":
            status = event.get("DialStatus") or ""
            if status == "ANSWER":
                if call.answered_at and call.pbx_state == "answered":
                    return []
                call.write(
                    {
                        "pbx_state": "answered",
                        "answered_at": call.answered_at or when,
                        "dial_status": status,
                    }
                )
                return [call]
            return [call] if call._pbx_close(when, dial_status=status) else []
        if name == "Hangup":
            closed = call._pbx_close(
                when, int(event.get("Cause") or 0), event.get("Cause-txt") or ""
            )
            return [call] if closed else []
        return []

    def _ami_reconcile(self, channels):
        """After a (re)connection: close what ended while Odoo was away, take note of what
        was answered meanwhile. `channels` are the CoreShowChannel events."""
        self.ensure_one()
        live = {}
        for channel in channels:
            for key in ("Uniqueid", "Linkedid"):
                if channel.get(key):
                    live.setdefault(channel[key], []).append(channel)
        now = fields.Datetime.now()
        lost = self.env._("Ended while Odoo was not connected to the PBX.")
        calls = self.env["smartcall.call"].search(
            [("pbx_id", "=", self.id), ("pbx_state", "in", CALL_LIVE_STATES)]
        )
        for call in calls:
            chans = live.get(call.pbx_channel_id)
            if not chans:
                call._pbx_close(now, 0, lost)
                continue
            for chan in chans:
                if chan.get("Channel", "").startswith("Local/"):
                    continue
                values = {}
                if not call.customer_channel:
                    values["customer_channel"] = chan["Channel"]
                if chan.get("ChannelState") == "6" and not call.answered_at:
                    values.update(pbx_state="answered", answered_at=now)
                if values:
                    call.write(values)
        calls._pbx_push()
        lines = self.env["smartcall.pbx.line"].search(
            [("pbx_id", "=", self.id), ("state", "in", ("calling", "up"))]
        )
        for line in lines:
            chans = [c for c in live.get(line.unique_id, []) if c.get("Uniqueid") == line.unique_id]
            if not chans:
                line._set_down(lost, now)
            elif chans[0].get("ChannelState") == "6" and line.state == "calling":
                line.write({"state": "up", "answered_at": now})
                line._push()
        return []

    def _ami_command_failed(self, ref, action, message):
        """The PBX refused an action Smartcall queued (e.g. Originate of an unknown
        extension): the call or line ends with the PBX's reason."""
        self.ensure_one()
        kind, _sep, record_id = (ref or "").partition(":")
        if not record_id.isdigit() or action not in ("Originate",):
            return []
        now = fields.Datetime.now()
        if kind == "call":
            call = self.env["smartcall.call"].browse(int(record_id)).exists()
            if call and call._pbx_close(now, 0, message[:250]):
                call._pbx_push()
        elif kind == "line":
            self.env["smartcall.pbx.line"].browse(int(record_id)).exists()._set_down(
                message[:250], now
            )
        return []
