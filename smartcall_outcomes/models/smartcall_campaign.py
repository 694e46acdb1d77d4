# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SmartcallCampaign(models.Model):
    _inherit = "smartcall.campaign"

    retry_rule_ids = fields.One2many(
        "smartcall.campaign.retry.rule", "campaign_id", string="Retry Rules", copy=True
    )
    call_ids = fields.One2many("smartcall.call", "campaign_id", string="Calls")

    def _claim_next_contact(self, user):
        """Every contact handed out opens its call attempt (smartcall.call, draft)."""
        contact = super()._claim_next_contact(user)
        contact._ensure_open_call(user)
        return contact

    def _claim_contact(self, contact, user):
        """Manual pick or private callback: the call attempt opens as for the queue."""
        contact = super()._claim_contact(contact, user)
        contact._ensure_open_call(user)
        return contact
