# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
import unicodedata

from odoo import api, fields, models
from odoo.osv import expression

TECHNOLOGIES = [
    ("ftth", "FTTH"),
    ("fttc", "FTTC"),
    ("adsl", "ADSL"),
    ("fwa", "FWA"),
]
# Abbreviations of the street type (first word), as written in Italian addresses
STREET_TYPES = {
    "v": "via",
    "vle": "viale",
    "pza": "piazza",
    "pzza": "piazza",
    "p": "piazza",
    "pzle": "piazzale",
    "cso": "corso",
    "lgo": "largo",
    "str": "strada",
    "vlo": "vicolo",
    "loc": "localita",
    "fraz": "frazione",
}
# "Via Roma 12", "Via Roma, 12/B", "Corso Italia 3 bis": the street, then its number
STREET_NUMBER_RE = re.compile(
    r"^(?P<street>.*?\D)[\s,]+(?P<number>\d+\s*(?:[a-z]|bis|ter)?(?:/\w+)?)$", re.IGNORECASE
)


def normalize_street(street):
    """The key a street is matched on: lower case, no accents or punctuation, the street type
    written out ("P.zza Garibaldi" and "piazza garibaldi" are one street)."""
    text = unicodedata.normalize("NFKD", street or "").encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", " ", text.lower().replace(".", "")).split()
    if words:
        words[0] = STREET_TYPES.get(words[0], words[0])
    return " ".join(words)


def split_street_number(street):
    """("Via Roma", "12") from "Via Roma, 12"; the street alone when it has no number."""
    street = " ".join((street or "").split())
    match = STREET_NUMBER_RE.match(street)
    if not match:
        return street, ""
    return match.group("street").strip(" ,"), match.group("number")


class SmartcallCoverage(models.Model):
    """Network coverage per street or municipality, and technology ("Verifica Copertura",
    seed 003, 2.3). A row without a street covers the whole municipality: it answers for the
    streets that have no row of their own."""

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
    street = fields.Char(
        help="Empty: the row is the municipality's coverage, used for every street of the "
        "municipality without its own rows."
    )
    street_key = fields.Char(compute="_compute_street_key", store=True, index=True)
    technology = fields.Selection(TECHNOLOGIES, required=True)
    max_speed_mbps = fields.Integer(string="Max Speed (Mbps)")
    is_available = fields.Boolean(string="Available", default=True)
    note = fields.Char()

    _sql_constraints = [
        (
            "coverage_uniq",
            "unique(municipality, province_id, zip, street_key, technology)",
            "This street (or municipality) already has a coverage row for this technology.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("municipality"):
                vals["municipality"] = vals["municipality"].strip()
        return super().create(vals_list)

    @api.depends("street")
    def _compute_street_key(self):
        for row in self:
            row.street_key = normalize_street(row.street) or False

    @api.model
    def _for_partner(self, partner):
        """Coverage rows for the customer's address (see `_for_address`)."""
        street, _number = split_street_number(partner.street)
        return self._for_address(street, partner.city, partner.zip, partner.state_id)[0]

    @api.model
    def _for_address(self, street, municipality, zip_code=None, province=None):
        """Seed 003, 2.3 "Verifica Copertura": the coverage at an address. The rows of that
        street in the municipality (same municipality, and province when both are known, or
        same ZIP code); when the street has none, the municipality's rows. Returns the rows and
        the level they answer at: "street", "municipality" or "none"."""
        city = " ".join((municipality or "").split())
        zip_code = (zip_code or "").strip()
        if not city and not zip_code:
            return self.browse(), "none"
        # never empty: an address with neither municipality nor ZIP code returned above
        domains = []
        if city:
            escaped = city.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            domains.append([("municipality", "=ilike", escaped)])
        if zip_code:
            domains.append([("zip", "=", zip_code)])
        key = normalize_street(street)
        rows = self.search(
            expression.AND([expression.OR(domains), [("street_key", "in", [key or False, False])]])
        )
        if province:
            rows = rows.filtered(lambda r: not r.province_id or r.province_id == province)
        on_street = rows.filtered("street_key") if key else self.browse()
        rows, level = (on_street, "street") if on_street else (rows - on_street, "municipality")
        if not rows:
            level = "none"
        order = [t[0] for t in TECHNOLOGIES]
        return rows.sorted(key=lambda r: (order.index(r.technology), r.id)), level
