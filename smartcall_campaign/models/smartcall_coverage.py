# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.osv import expression

TECHNOLOGIES = [
    ("ftth", "FTTH"),
    ("fttc", "FTTC"),
    ("adsl", "ADSL"),
    ("fwa", "FWA"),
]


class SmartcallCoverage(models.Model):
    """Network coverage per municipality and technology ("Verifica Copertura", seed 003, 2.3)."""

    _name = "smartcall.coverage"
    _description = "Network Coverage"
    _order = "municipality, technology"
    _rec_name = "municipality"

    municipality = fields.Char(required=True, index=True)
    province_id = fields.Many2one(
        "res.country.state",
        domain="[('country_id.code', '=', 'IT')]",
    )
    zip = fields.Char(string="ZIP", index=True)
    technology = fields.Selection(TECHNOLOGIES, required=True)
    max_speed_mbps = fields.Integer(string="Max Speed (Mbps)")
    is_available = fields.Boolean(string="Available", default=True)
    note = fields.Char()

    _sql_constraints = [
        (
            "coverage_uniq",
            "unique(municipality, province_id, zip, technology)",
            "This municipality already has a coverage row for this technology.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("municipality"):
                vals["municipality"] = vals["municipality"].strip()
        return super().create(vals_list)

    @api.model
    def _for_partner(self, partner):
        """Coverage rows for the customer's address: same municipality (and province when both
        are known) or same ZIP code (seed 003, 2.3 "Verifica Copertura")."""
        city = (partner.city or "").strip()
        zip_code = (partner.zip or "").strip()
        if not city and not zip_code:
            return self.browse()
        # never empty: a partner with neither city nor ZIP code returned above
        domains = []
        if city:
            escaped = city.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            domains.append([("municipality", "=ilike", escaped)])
        if zip_code:
            domains.append([("zip", "=", zip_code)])
        rows = self.search(expression.OR(domains))
        if partner.state_id:
            rows = rows.filtered(lambda r: not r.province_id or r.province_id == partner.state_id)
        return rows.sorted(key=lambda r: ([t[0] for t in TECHNOLOGIES].index(r.technology), r.id))
