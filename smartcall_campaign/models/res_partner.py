# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

import phonenumbers

from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError

from odoo.addons.phone_validation.tools import phone_validation

# "tel:+39-02-1234567;phone-context=...", "sip:+390212345678@pbx.example": the number only
URI_SCHEME_RE = re.compile(r"^\s*(?:tel|sip|sips|callto)\s*:\s*", re.IGNORECASE)


class ResPartner(models.Model):
    """The customer's numbers in E.164: THE phone store of Smartcall.

    ``smartcall_phone_e164`` and ``smartcall_mobile_e164`` are computed from Odoo's ``phone`` and
    ``mobile`` with phone_validation (``_phone_format``), stored and indexed. Every reader uses
    them: the queue claim and the work plan (joined from the campaign contact), the do-not-call
    checks against ``phone.blacklist``, the dialer, the console and the caller look-up
    (``_smartcall_find_by_phone``). Campaign contacts keep no copy.
    """

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
        for partner in self:
            country = partner.country_id or None
            partner.smartcall_phone_e164 = self._smartcall_normalize_phone(partner.phone, country)
            partner.smartcall_mobile_e164 = self._smartcall_normalize_phone(partner.mobile, country)

    # ------------------------------------------------------------------
    # The phone store API
    # ------------------------------------------------------------------
    @api.model
    def _smartcall_default_country(self):
        """The region of numbers written without a country prefix: the setting
        *Default phone region* (``smartcall_campaign.default_region``, IT by default)."""
        return self.env["res.country"].browse(self._smartcall_default_region()[0])

    @api.model
    def _smartcall_default_region(self):
        """(country id, ISO code, dial code) of the *Default phone region*, without a query:
        the caller look-up reads it on every inbound call (bench/bench_caller_lookup.py)."""
        code = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("smartcall_campaign.default_region", "IT")
            or "IT"
        )
        return self._smartcall_region_data(code.upper())

    @api.model
    @tools.ormcache("code")
    def _smartcall_region_data(self, code):
        # res.country's write clears this cache when a code or dial code changes
        country = self.env["res.country"].sudo().search([("code", "=", code)], limit=1)
        return (country.id, country.code, country.phone_code)

    @api.model
    def _smartcall_normalize_phone(self, raw_number, country=None, raise_exception=False):
        """E.164 of `raw_number` ("+39 02 1234567", "0039 02...", "02-123.4567", "(02) 1234567",
        "347 123 4567", "tel:+39-02-1234567", "sip:+3902...@pbx"), or False when it is empty or
        not a valid number. Numbers without a country prefix are read in `country` (a
        res.country), by default the *Default phone region* setting (IT).

        Through phone_validation's ``phone_format``, the formatting Odoo's ``_phone_format`` uses
        everywhere else (phone.blacklist, mail.thread.phone). With `raise_exception`, an invalid
        number raises a ValidationError that names it instead of returning False.
        """
        if not raw_number or not isinstance(raw_number, str | int) or not str(raw_number).strip():
            return False
        number = URI_SCHEME_RE.sub("", str(raw_number)).strip()
        # URI parameters and host: "…;phone-context=x", "…@pbx"
        number = re.split(r"[;@]", number, maxsplit=1)[0].strip()
        if not number:
            return False
        if country:
            code, phone_code = country.code, country.phone_code
        else:
            country_id, code, phone_code = self._smartcall_default_region()
            if not country_id:  # no such region: the company's country, as _phone_format does
                code, phone_code = (
                    self.env.company.country_id.code,
                    self.env.company.country_id.phone_code,
                )
        try:
            # what _phone_format does with a country (_phone_format_number), without reading
            # the default country's record on every call
            return phone_validation.phone_format(
                number, code, phone_code, force_format="E164", raise_exception=True
            )
        except UserError as error:
            if raise_exception:
                raise ValidationError(
                    self.env._(
                        "The phone number %(number)s is not valid: %(error)s",
                        number=str(raw_number).strip(),
                        error=str(error),
                    )
                ) from error
            return False

    @api.model
    def _smartcall_find_by_phone(self, raw_number):
        """The partners whose phone or mobile is `raw_number`, in whatever format the number
        was typed on the partner or is given here (see ``_smartcall_normalize_phone``: +39...,
        0039..., national 0xx, 3xx mobiles, spaces, dashes, dots, parentheses, tel:/sip: URIs).

        Companies and their contact persons are both searched: a number found on a contact
        person returns that person (its company is ``commercial_partner_id``). Archived
        partners are left out (``active_test``). Returns an empty recordset when `raw_number`
        is not a valid number.

        An indexed equality look-up on the E.164 store (two btree indexes, one per column):
        about a millisecond whatever the number of partners. The caller's access rights apply.
        """
        e164 = self._smartcall_normalize_phone(raw_number)
        if not e164:
            return self.browse()
        return self.search(
            ["|", ("smartcall_phone_e164", "=", e164), ("smartcall_mobile_e164", "=", e164)],
            order="is_company desc, id",
        )

    def _smartcall_numbers(self):
        """The numbers (E.164) to call this customer on, without duplicates: the phone, the
        mobile, then those of its contact persons (e.g. a second fixed number added from the
        console) as [(kind, e164)], kind in phone/mobile/other."""
        self.ensure_one()
        numbers = []
        seen = set()
        for kind, number in (
            ("phone", self.smartcall_phone_e164),
            ("mobile", self.smartcall_mobile_e164),
        ):
            if number and number not in seen:
                seen.add(number)
                numbers.append((kind, number))
        for child in self.child_ids:
            for number in (child.smartcall_phone_e164, child.smartcall_mobile_e164):
                if number and number not in seen:
                    seen.add(number)
                    numbers.append(("other", number))
        return numbers

    def _smartcall_add_number(self, raw_number):
        """Write a number the customer gave ("Richiama mobile", seed 003, 2.3: "dovrai prima
        inserire nel CRM la numerazione") on the customer, never overwriting one it has:

        - already one of its numbers: nothing changes;
        - a mobile, and the customer has no mobile: it becomes the mobile;
        - a fixed line, and the customer has no phone: it becomes the phone;
        - otherwise (a second fixed number, a second mobile): a contact person "Other number"
          of the customer carries it.

        Raises ValidationError for an invalid number. Returns the E.164 number. Every campaign
        of the customer sees it (the campaign contacts read the partner's numbers).
        """
        self.ensure_one()
        country = self.country_id or None
        e164 = self._smartcall_normalize_phone(raw_number, country, raise_exception=True)
        if e164 in {number for _kind, number in self._smartcall_numbers()}:
            return e164
        is_mobile = phonenumbers.number_type(phonenumbers.parse(e164)) in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        )
        if is_mobile and not self.mobile:
            self.mobile = e164
        elif not is_mobile and not self.phone:
            self.phone = e164
        else:
            self.create(
                {
                    "parent_id": self.id,
                    "type": "other",
                    "name": self.env._("Other number"),
                    "country_id": self.country_id.id,
                    ("mobile" if is_mobile else "phone"): e164,
                }
            )
        return e164

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
