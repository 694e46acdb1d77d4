# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    smartcall_call_ids = fields.One2many("smartcall.call", "partner_id", string="Calls")
    smartcall_call_count = fields.Integer(
        string="Call Count", compute="_compute_smartcall_call_count"
    )

    def _compute_smartcall_call_count(self):
        counts = dict(
            self.env["smartcall.call"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.smartcall_call_count = counts.get(partner, 0)

    def action_view_smartcall_calls(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "smartcall_outcomes.smartcall_call_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
