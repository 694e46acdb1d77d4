# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class SmartcallInboundOutboundLine(models.TransientModel):
    """One outbound campaign of the inbound caller, and what to do with the contact there."""

    _name = "smartcall.inbound.outbound.line"
    _description = "Outbound Contact of an Inbound Caller"

    wizard_id = fields.Many2one("smartcall.inbound.outbound", required=True, ondelete="cascade")
    contact_id = fields.Many2one("smartcall.campaign.contact", required=True, readonly=True)
    campaign_name = fields.Char(compute="_compute_contact_info", string="Campaign")
    contact_state = fields.Char(compute="_compute_contact_info", string="State")
    holder_name = fields.Char(compute="_compute_contact_info", string="Held By")
    action = fields.Selection(
        [
            ("keep", "Leave as it is"),
            ("close", "Close the contact"),
            ("requeue", "Back in the queue"),
            ("exclude", "Exclude from the campaign"),
        ],
        required=True,
        default="keep",
    )

    @api.depends("contact_id")
    def _compute_contact_info(self):
        Contact = self.env["smartcall.campaign.contact"]
        states = dict(Contact._fields["state"]._description_selection(self.env))
        for line in self:
            # the inbound operator may not work the outbound campaign: show it anyway (seed 002)
            contact = line.contact_id.sudo()
            line.campaign_name = contact.campaign_id.name
            line.contact_state = states.get(contact.state, "")
            line.holder_name = (contact.operator_id or contact.callback_owner_id).name or ""
