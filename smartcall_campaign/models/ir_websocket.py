# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class IrWebsocket(models.AbstractModel):
    _inherit = "ir.websocket"

    def _build_bus_channel_list(self, channels):
        """An operator's console listens to the campaigns they are assigned to: the queue
        pushes (smartcall.campaign._notify_consoles) go to the campaign, once for all."""
        channels = super()._build_bus_channel_list(channels)
        user = self.env.user
        if user and not user._is_public() and user.has_group("smartcall_campaign.group_operator"):
            # sudo: the operator's own assignments (record rules already allow reading them)
            channels.extend(
                self.env["smartcall.campaign"]
                .sudo()
                .search([("operator_ids", "in", user.id), ("state", "!=", "done")])
            )
        return channels
