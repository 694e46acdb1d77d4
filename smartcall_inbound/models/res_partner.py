# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools import email_normalize_all

DIGITS_RE = re.compile(r"\d")


class ResPartner(models.Model):
    _inherit = "res.partner"

    smartcall_portfolio_ids = fields.One2many(
        "smartcall.portfolio.assignment",
        "partner_id",
        string="Portfolio",
        groups="smartcall_campaign.group_operator",
        help="The operator who holds this customer, per portfolio type (seed 002).",
    )
    smartcall_email_cc = fields.Char(
        string="Additional Emails",
        help="Other addresses of the customer, separated by commas: the inbound "
        "'Send Mail' copies them (CC).",
    )

    @api.constrains("smartcall_email_cc")
    def _check_smartcall_email_cc(self):
        for partner in self:
            raw = (partner.smartcall_email_cc or "").strip()
            if not raw:
                continue
            parts = [p.strip() for p in re.split(r"[,;\s]+", raw) if p.strip()]
            bad = [p for p in parts if not email_normalize_all(p)]
            if bad:
                raise ValidationError(
                    self.env._(
                        "%(customer)s: %(addresses)s is not a valid e-mail address.",
                        customer=partner.display_name,
                        addresses=", ".join(bad),
                    )
                )

    def _smartcall_portfolio_holder(self, portfolio_type):
        """The operator holding this customer (or its company) in `portfolio_type`."""
        self.ensure_one()
        if not portfolio_type:
            return self.env["res.users"]
        Assignment = self.env["smartcall.portfolio.assignment"].sudo()
        for partner in (self, self.commercial_partner_id):
            assignment = Assignment.search(
                [("partner_id", "=", partner.id), ("portfolio_type_id", "=", portfolio_type.id)],
                limit=1,
            )
            if assignment:
                return assignment.user_id
        return self.env["res.users"]

    # ------------------------------------------------------------------
    # DINAMICA: type-ahead on name, VAT, city and number
    # ------------------------------------------------------------------
    @api.model
    def _search_display_name(self, operator, value):
        domain = super()._search_display_name(operator, value)
        if (
            not self.env.context.get("smartcall_dynamic_search")
            or operator not in ("ilike", "=ilike", "like", "=")
            or not isinstance(value, str)
            or not value.strip()
        ):
            return domain
        value = value.strip()
        extra = [
            [("vat", "ilike", value)],
            [("city", "ilike", value)],
        ]
        if len(DIGITS_RE.findall(value)) >= 3:
            found = self._smartcall_find_by_phone(value)
            if found:
                extra.append([("id", "in", found.ids)])
            if "phone_mobile_search" in self._fields:  # sms's search on the stored numbers
                extra.append([("phone_mobile_search", "ilike", value)])
        return expression.OR([domain, *extra])
