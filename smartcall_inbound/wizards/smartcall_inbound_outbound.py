# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL


class SmartcallInboundOutbound(models.TransientModel):
    """CI0036 (seed 002): on closing an inbound call, the customer's situation in the
    outbound campaigns, to close the contact there or change its state."""

    _name = "smartcall.inbound.outbound"
    _description = "Outbound Situation of an Inbound Caller"

    call_id = fields.Many2one("smartcall.call", required=True, ondelete="cascade", readonly=True)
    partner_id = fields.Many2one(related="call_id.partner_id", string="Customer")
    line_ids = fields.One2many("smartcall.inbound.outbound.line", "wizard_id")

    def _action_open_for_call(self, call):
        contacts = call._smartcall_inbound_outbound_contacts()
        wizard = self.create(
            {
                "call_id": call.id,
                "line_ids": [(0, 0, {"contact_id": contact.id}) for contact in contacts],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Outbound Situation (CI0036)"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def action_apply(self):
        """Apply the operator's choice on each outbound contact of the caller."""
        self.ensure_one()
        call = self.call_id
        if call.user_id != self.env.user and not self.env.user.has_group(
            "smartcall_campaign.group_supervisor"
        ):
            raise AccessError(self.env._("This inbound call is not yours."))
        allowed = call._smartcall_inbound_outbound_contacts()
        lines = self.line_ids.filtered(lambda line: line.action != "keep")
        contacts = lines.contact_id.sudo()
        if contacts - allowed:
            raise UserError(
                self.env._(
                    "Only the caller's open contacts in outbound campaigns can be changed here."
                )
            )
        if contacts:
            # Lock the rows, then read their committed state: a contact an operator claimed
            # meanwhile is not taken from them.
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM smartcall_campaign_contact WHERE id IN %s " "FOR NO KEY UPDATE",
                    tuple(contacts.ids),
                )
            )
            contacts.invalidate_recordset(["state", "operator_id"])
        for line in lines:
            contact = line.contact_id.sudo()
            if contact.state == "in_call":
                raise UserError(
                    self.env._(
                        "%(operator)s is on a call with this customer in %(campaign)s: the "
                        "contact cannot be changed now.",
                        operator=contact.operator_id.name or "-",
                        campaign=contact.campaign_id.name,
                    )
                )
            note = self.env._(
                "Changed from the inbound call of %(date)s by %(operator)s.",
                date=fields.Datetime.to_string(call.started_at),
                operator=self.env.user.name,
            )
            if line.action == "close":
                contact._mark_done()
            elif line.action == "exclude":
                contact._mark_excluded(note)
            elif line.action == "requeue":
                contact._release_to_queue()
        return {"type": "ir.actions.act_window_close"}
