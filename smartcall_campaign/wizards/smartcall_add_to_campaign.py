# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SmartcallAddToCampaign(models.TransientModel):
    """ "Add to campaign" from the partner list: one contact per selected partner; customers
    already in the campaign are skipped, invalid numbers are reported (issue 3)."""

    _name = "smartcall.add.to.campaign"
    _description = "Add Customers to a Campaign"

    campaign_id = fields.Many2one(
        "smartcall.campaign", required=True, domain=[("state", "!=", "done")]
    )
    partner_ids = fields.Many2many("res.partner", string="Customers")

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if (
            "partner_ids" in fields_list
            and self.env.context.get("active_model") == "res.partner"
            and self.env.context.get("active_ids")
        ):
            res["partner_ids"] = [fields.Command.set(self.env.context["active_ids"])]
        return res

    def action_add(self):
        self.ensure_one()
        Contact = self.env["smartcall.campaign.contact"]
        existing = Contact.search(
            [("campaign_id", "=", self.campaign_id.id), ("partner_id", "in", self.partner_ids.ids)]
        ).partner_id
        added, errors = 0, []
        for partner in self.partner_ids - existing:
            try:
                with self.env.cr.savepoint():
                    Contact.sudo().create(
                        {"campaign_id": self.campaign_id.id, "partner_id": partner.id}
                    )
                added += 1
            except ValidationError as error:
                errors.append(str(error.args[0]))
        message = self.env._(
            "%(added)s customers added to %(campaign)s, %(skipped)s already in it.",
            added=added,
            campaign=self.campaign_id.name,
            skipped=len(existing),
        )
        if errors:
            message += "\n" + self.env._("Not added:") + "\n" + "\n".join(errors)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if errors else "success",
                "message": message,
                "sticky": bool(errors),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
