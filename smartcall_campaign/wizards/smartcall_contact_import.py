# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class SmartcallContactImport(models.TransientModel):
    """Import a campaign's contacts from a CSV/XLSX file: the one way to import contacts
    (issue 13). The file is imported in the background by smartcall.import.job (issue 18).

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

    def action_import(self):
        """Queue the file as a background job (smartcall.import.job) and open it: progress,
        cancel, and the result with every rejected row. A bad header is refused now."""
        self.ensure_one()
        if not self.env.user.has_group("smartcall_campaign.group_supervisor"):
            raise AccessError(self.env._("Only supervisors can import contacts."))
        if self.campaign_id.state == "done":
            raise UserError(self.env._("The campaign is closed: no contact can be added."))
        filename = self.filename or "contacts.csv"
        job = self.env["smartcall.import.job"]._create_job(
            "contact",
            self._get_file_content(),
            filename,
            self.env._(
                "Contacts of %(campaign)s: %(file)s", campaign=self.campaign_id.name, file=filename
            ),
            {"campaign_id": self.campaign_id.id},
        )
        return job._get_form_action()
