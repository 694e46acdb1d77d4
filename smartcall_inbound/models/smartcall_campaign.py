# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SmartcallCampaign(models.Model):
    _inherit = "smartcall.campaign"

    direction = fields.Selection(
        [("out", "Outbound"), ("in", "Inbound")],
        required=True,
        default="out",
        tracking=True,
        help="Inbound: the campaign receives the customers' calls (seed 002); the number "
        "called or the PBX queue says which inbound campaign a call belongs to.",
    )
    inbound_number = fields.Char(
        string="Number Called",
        index="btree_not_null",
        help="The PBX number (DID) customers dial for this campaign; stored in E.164 when it "
        "is a full number, as written otherwise (a short internal number).",
    )
    inbound_queue = fields.Char(
        string="PBX Queue",
        index="btree_not_null",
        help="The Asterisk queue that rings the operators for this campaign.",
    )

    @api.model
    def _smartcall_inbound_clean_number(self, raw):
        """The called number as stored: E.164 when it reads as one, else the digits."""
        if not raw or not str(raw).strip():
            return False
        e164 = self.env["res.partner"]._smartcall_normalize_phone(raw)
        return e164 or "".join(ch for ch in str(raw) if ch.isdigit() or ch == "+") or False

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("inbound_number"):
                vals["inbound_number"] = self._smartcall_inbound_clean_number(
                    vals["inbound_number"]
                )
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("inbound_number"):
            vals["inbound_number"] = self._smartcall_inbound_clean_number(vals["inbound_number"])
        return super().write(vals)

    @api.constrains("direction", "inbound_number", "inbound_queue", "active")
    def _check_inbound_routing(self):
        """Two active inbound campaigns cannot answer the same number or queue."""
        for campaign in self.filtered(lambda c: c.direction == "in" and c.active):
            for fname, label in (
                ("inbound_number", self.env._("number")),
                ("inbound_queue", self.env._("queue")),
            ):
                if not campaign[fname]:
                    continue
                other = self.sudo().search(
                    [
                        ("id", "!=", campaign.id),
                        ("direction", "=", "in"),
                        (fname, "=", campaign[fname]),
                    ],
                    limit=1,
                )
                if other:
                    raise ValidationError(
                        self.env._(
                            "The inbound campaign %(other)s already answers the %(what)s "
                            "%(value)s: give this campaign another one.",
                            other=other.name,
                            what=label,
                            value=campaign[fname],
                        )
                    )

    @api.model
    def _smartcall_find_inbound_campaign(self, called_number=None, queue=None):
        """The running inbound campaign an incoming call belongs to (seed 002): the queue
        first, then the number called. An empty recordset when none matches."""
        Campaign = self.sudo()
        base = [("direction", "=", "in"), ("state", "=", "running")]
        if queue:
            campaign = Campaign.search(base + [("inbound_queue", "=", queue.strip())], limit=1)
            if campaign:
                return campaign
        number = self._smartcall_inbound_clean_number(called_number)
        if number:
            return Campaign.search(base + [("inbound_number", "=", number)], limit=1)
        return Campaign.browse()
