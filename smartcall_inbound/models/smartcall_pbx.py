# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class SmartcallPbx(models.Model):
    _inherit = "smartcall.pbx"

    def _on_inbound_ring(self, user, caller_number, called_number, unique_id):
        """The PBX rings an operator from outside: the inbound call (caller looked up,
        inbound campaign picked) is opened and pushed to the operator's phone bar. The
        default console notification is still sent (the phone bar does not use it)."""
        res = super()._on_inbound_ring(user, caller_number, called_number, unique_id)
        call = self.env["smartcall.call"]._smartcall_inbound_ring(
            user, caller_number, called_number, unique_id
        )
        if unique_id and not call.pbx_id:
            # the operator's channel of this call, to hang it up from the phone bar
            call.sudo().write(
                {"pbx_id": self.id, "pbx_channel_id": unique_id, "pbx_state": "ringing"}
            )
        return res
