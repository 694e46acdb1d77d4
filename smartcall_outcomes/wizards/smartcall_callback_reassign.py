# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class SmartcallCallbackReassign(models.TransientModel):
    """A supervisor gives the private callbacks of an operator (e.g. one who left) to another."""

    _name = "smartcall.callback.reassign"
    _description = "Reassign Private Callbacks"

    contact_ids = fields.Many2many(
        "smartcall.campaign.contact",
        string="Private Callbacks",
        domain=[("state", "=", "callback"), ("callback_owner_id", "!=", False)],
    )
    new_owner_id = fields.Many2one(
        "res.users",
        required=True,
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("smartcall_campaign.group_operator").id),
            ("share", "=", False),
        ],
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "smartcall.campaign.contact":
            contacts = self.env["smartcall.campaign.contact"].browse(
                self.env.context.get("active_ids") or []
            )
            values["contact_ids"] = [
                fields.Command.set(
                    contacts.filtered(lambda c: c.state == "callback" and c.callback_owner_id).ids
                )
            ]
        return values

    def action_reassign(self):
        self.ensure_one()
        self.contact_ids._reassign_private_callback(self.new_owner_id)
        return {"type": "ir.actions.act_window_close"}
