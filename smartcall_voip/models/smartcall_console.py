# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import UserError

from odoo.addons.smartcall_campaign.models.smartcall_console import DTMF_RE


class SmartcallConsole(models.AbstractModel):
    """The console through the PBX (seed 003, 1.2, 2, 2.3, 5): the operator's line at Start,
    click-to-dial bridged into it, Hang up, Invia DTMF, Richiama fisso/mobile, Logout."""

    _inherit = "smartcall.console"

    @api.model
    def _has_voip(self):
        user = self.env.user
        return bool(user.pbx_extension and user.sudo().pbx_id.active)

    @api.model
    def _get_features(self):
        return dict(super()._get_features(), voip=self._has_voip())

    @api.model
    def _get_voip_payload(self):
        if not self._has_voip():
            return None
        user = self.env.user
        line = self.env["smartcall.pbx.line"]._get_current(user)
        if not line:
            line = (
                self.env["smartcall.pbx.line"].sudo().search([("user_id", "=", user.id)], limit=1)
            )
        session = self._get_session()
        contact = session.current_contact_id if session else None
        call = contact._get_open_call(user) if contact else self.env["smartcall.call"]
        pbx = user.sudo().pbx_id
        return {
            "line": line._get_payload(),
            "call": call._get_pbx_payload() if call.pbx_state else None,
            "pbx": {
                "name": pbx.name,
                "connected": pbx.connection_state == "connected",
                "message": pbx.connection_message or "",
            },
        }

    @api.model
    def _get_console_state(self):
        state = super()._get_console_state()
        state["voip"] = self._get_voip_payload()
        return state

    @api.model
    def start(self, campaign_id):
        """Start: the PBX calls the operator's softphone once (unless the line is open)."""
        state = super().start(campaign_id)
        if self._has_voip():
            try:
                self.env["smartcall.pbx.line"]._open(self.env.user)
            except UserError as error:
                # the session starts anyway: the console shows why the line is not up
                state = self._get_console_state()
                state["voip"]["line"]["reason"] = str(error)
                return state
            state = self._get_console_state()
        return state

    @api.model
    def call_my_phone(self):
        """ "Call my phone": the PBX rings the operator's softphone again (after a drop)."""
        self._check_operator()
        if not self._has_voip():
            raise UserError(self.env._("You have no phone extension: ask your supervisor."))
        self.env["smartcall.pbx.line"]._open(self.env.user)
        return self._get_console_state()

    @api.model
    def dial(self, contact_id, number):
        """Call / Richiama fisso / Richiama mobile: the customer is dialled by the PBX and
        joins the operator's open line."""
        result = super().dial(contact_id, number)
        if not self._has_voip():
            return result
        contact = self._get_held_contact(contact_id)
        line = self.env["smartcall.pbx.line"]._get_current(self.env.user)
        if not line or line.state != "up":
            raise UserError(
                self.env._(
                    "Your softphone is not connected: press “Call my phone” and answer it, "
                    "then dial again."
                )
            )
        call = contact._ensure_open_call(self.env.user)
        call._pbx_dial(number, line)
        return {"mode": "pbx", "call": call._get_pbx_payload()}

    @api.model
    def hangup(self, contact_id):
        """Hang up & outcome: the customer's leg is hung up by the PBX (the operator's line
        stays open for the next call), then the outcome page."""
        if self._has_voip():
            contact = self._get_held_contact(contact_id)
            contact._get_open_call(self.env.user)._pbx_hang_up()
        return super().hangup(contact_id)

    @api.model
    def send_dtmf(self, contact_id, digits):
        """Invia DTMF: the digits are played on the customer's leg."""
        if not self._has_voip():
            return super().send_dtmf(contact_id, digits)
        contact = self._get_held_contact(contact_id)
        digits = digits.strip() if isinstance(digits, str) else ""
        if not DTMF_RE.match(digits):
            raise UserError(self.env._("DTMF accepts only digits, * and #."))
        contact._get_open_call(self.env.user)._pbx_send_dtmf(digits)
        return {"sent": True, "message": self.env._("Sent %(digits)s.", digits=digits)}

    @api.model
    def logout(self):
        """Logout: the session and the softphone's call both end (seed 003, 5)."""
        if self._has_voip():
            user = self.env.user
            session = self._get_session()
            contact = session.current_contact_id if session else None
            if contact:
                contact._get_open_call(user)._pbx_hang_up()
            self.env["smartcall.pbx.line"]._get_current(user)._hang_up()
        return super().logout()
