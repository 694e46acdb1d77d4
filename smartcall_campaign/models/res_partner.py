# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    smartcall_phone_e164 = fields.Char(
        string="Phone (E.164)",
        compute="_compute_smartcall_e164",
        store=True,
        index="btree_not_null",
        help="The phone in E.164, to find a customer by number (imports, callers).",
    )
    smartcall_mobile_e164 = fields.Char(
        string="Mobile (E.164)",
        compute="_compute_smartcall_e164",
        store=True,
        index="btree_not_null",
    )
    smartcall_contact_ids = fields.One2many(
        "smartcall.campaign.contact", "partner_id", groups="smartcall_campaign.group_operator"
    )
    smartcall_contact_count = fields.Integer(
        string="Campaign Contacts",
        compute="_compute_smartcall_contact_count",
        groups="smartcall_campaign.group_operator",
    )

    @api.depends("phone", "mobile", "country_id")
    def _compute_smartcall_e164(self):
        Contact = self.env["smartcall.campaign.contact"]
        for partner in self:
            country = partner.country_id or None
            partner.smartcall_phone_e164 = Contact._normalize_number(
                partner.phone, country, raise_exception=False
            )
            partner.smartcall_mobile_e164 = Contact._normalize_number(
                partner.mobile, country, raise_exception=False
            )

    def _compute_smartcall_contact_count(self):
        counts = dict(
            self.env["smartcall.campaign.contact"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.smartcall_contact_count = counts.get(partner, 0)

    def action_view_smartcall_contacts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "smartcall_campaign.smartcall_campaign_contact_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
