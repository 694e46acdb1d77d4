# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

# Column key -> key of the row data that
# smartcall.campaign.contact._find_or_create_partner reads.
PARTNER_DATA_KEYS = {
    "name": "name",
    "vat": "vat",
    "phone": "phone",
    "mobile": "mobile",
    "email": "email",
    "street": "street",
    "city": "city",
    "zip": "zip",
    "province": "state_id",
}


class SmartcallContactImport(models.TransientModel):
    """Import a campaign's contacts from a CSV/XLSX file, row by row (issue 9,
    "Imports").

    Columns (first line, English or Italian, case and accents ignored): name / ragione
    sociale, vat / partita iva, phone / telefono, mobile / cellulare, street /
    indirizzo, city / comune, zip / cap, province / provincia (code or name), email.
    Customers are found by VAT or normalised number, else created (issue 3).
    """

    _name = "smartcall.contact.import"
    _inherit = "smartcall.import.mixin"
    _description = "Import Campaign Contacts"

    campaign_id = fields.Many2one(
        "smartcall.campaign",
        required=True,
        ondelete="cascade",
        domain=[("state", "!=", "done")],
    )

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        context = self.env.context
        if (
            "campaign_id" in fields_list
            and not res.get("campaign_id")
            and context.get("active_model") == "smartcall.campaign"
            and context.get("active_id")
        ):
            res["campaign_id"] = context["active_id"]
        return res

    @api.model
    def _get_import_columns(self):
        return {
            "name": (
                self.env._("Name"),
                {
                    "name",
                    "company name",
                    "customer",
                    "ragione sociale",
                    "nome",
                    "denominazione",
                },
            ),
            "vat": (
                self.env._("VAT"),
                {"vat", "vat number", "partita iva", "p iva", "piva"},
            ),
            "phone": (self.env._("Phone"), {"phone", "telephone", "telefono", "tel"}),
            "mobile": (
                self.env._("Mobile"),
                {"mobile", "mobile phone", "cellulare", "cell", "cellulare telefono"},
            ),
            "street": (self.env._("Street"), {"street", "address", "indirizzo", "via"}),
            "city": (
                self.env._("City"),
                {"city", "municipality", "comune", "citta", "localita"},
            ),
            "zip": (
                self.env._("ZIP"),
                {"zip", "zip code", "postcode", "postal code", "cap"},
            ),
            "province": (
                self.env._("Province"),
                {"province", "province code", "provincia", "prov", "sigla provincia"},
            ),
            "email": (
                self.env._("Email"),
                {"email", "e mail", "mail", "posta elettronica"},
            ),
        }

    @api.model
    def _get_required_columns(self):
        return ["name"]

    def _import_row(self, values):
        """One customer of the file in the campaign: found by VAT or normalised number,
        else created (issue 3); "existing" when already in the campaign, so a second
        import of the same file adds nothing. Invalid numbers and unknown provinces
        raise ValidationError."""
        if not (values["vat"] or values["phone"] or values["mobile"]):
            raise UserError(
                self.env._(
                    "A VAT number, a phone or a mobile number is needed to call the "
                    "customer and to recognise them on the next import."
                )
            )
        Contact = self.env["smartcall.campaign.contact"]
        data = {target: values[key] for key, target in PARTNER_DATA_KEYS.items() if values[key]}
        partner = Contact._find_or_create_partner(data)
        if Contact.search_count(
            [
                ("campaign_id", "=", self.campaign_id.id),
                ("partner_id", "=", partner.id),
            ],
            limit=1,
        ):
            return "existing"
        Contact.create({"campaign_id": self.campaign_id.id, "partner_id": partner.id})
        return "created"

    def _get_result_summary(self, counts):
        return self.env._(
            "%(created)s imported, %(existing)s already in the campaign, " "%(errors)s errors.",
            **counts,
        )
