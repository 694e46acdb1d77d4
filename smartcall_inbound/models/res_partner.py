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

    # ------------------------------------------------------------------
    # Caller look-up (read the one normalised number store)
    # ------------------------------------------------------------------
    @api.model
    def _smartcall_inbound_normalize(self, raw):
        """E.164 of a number as presented by the PBX or typed by the operator, or False."""
        if hasattr(self, "_smartcall_normalize_phone"):
            return self._smartcall_normalize_phone(raw)
        # Until the shared store lands: the campaign's normaliser, once the URI prefix is gone.
        text = str(raw or "").strip()
        if text.lower().startswith("tel:"):
            text = text[4:].split(";")[0]
        return self.env["smartcall.campaign.contact"]._normalize_number(text, raise_exception=False)

    @api.model
    def _smartcall_inbound_find_partners(self, raw):
        """Partners (companies and contact persons) whose stored number is `raw`."""
        if hasattr(self, "_smartcall_find_by_phone"):
            return self._smartcall_find_by_phone(raw)
        e164 = self._smartcall_inbound_normalize(raw)
        if not e164:
            return self.browse()
        return self.search(
            ["|", ("smartcall_phone_e164", "=", e164), ("smartcall_mobile_e164", "=", e164)]
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

    def _smartcall_inbound_add_number(self, raw):
        """Seed 002: the customer chosen by hand gets the caller's number when it lacks it.
        Returns the field written ('phone' or 'mobile'), or False when nothing was added."""
        self.ensure_one()
        e164 = self._smartcall_inbound_normalize(raw)
        if not e164 or self in self._smartcall_inbound_find_partners(e164):
            return False
        for fname in ("phone", "mobile"):
            if not self[fname]:
                self.write({fname: e164})
                return fname
        self.message_post(
            body=self.env._(
                "The inbound caller's number %(number)s was not added: phone and mobile are "
                "both filled.",
                number=e164,
            )
        )
        return False

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
            e164 = self._smartcall_inbound_normalize(value)
            if e164:
                extra.append([("id", "in", self._smartcall_inbound_find_partners(e164).ids)])
            if "phone_mobile_search" in self._fields:  # sms's search on the stored numbers
                extra.append([("phone_mobile_search", "ilike", value)])
        return expression.OR([domain, *extra])
