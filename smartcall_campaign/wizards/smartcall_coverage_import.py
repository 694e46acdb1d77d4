# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import api, models
from odoo.exceptions import UserError

from ..models.smartcall_coverage import TECHNOLOGIES, normalize_street

TRUE_WORDS = {"1", "true", "yes", "y", "x", "si", "sì", "available", "disponibile"}
FALSE_WORDS = {"0", "false", "no", "n", "not available", "non disponibile"}
SPEED_RE = re.compile(r"(\d{1,7})(?:[.,]0+)?\s*(?:mbps|mb/s|mbit/s|mbit|mb)?", re.IGNORECASE)


class SmartcallCoverageImport(models.TransientModel):
    """Import the coverage table from a CSV/XLSX file, row by row (issue 9, "Imports").

    Columns (first line, English or Italian): municipality / comune, province /
    provincia (code or name), zip / cap, street / via (optional: empty for the whole
    municipality), technology / tecnologia (FTTH, FTTC, ADSL, FWA), max speed / velocita
    massima (Mbps), available / disponibile (yes/no, si/no, 1/0). A row updates the
    coverage row of the same municipality, province, ZIP, street and technology.
    """

    _name = "smartcall.coverage.import"
    _inherit = "smartcall.import.mixin"
    _description = "Import Coverage Table"

    @api.model
    def _get_import_columns(self):
        return {
            "municipality": (
                self.env._("Municipality"),
                {"municipality", "city", "comune", "citta", "localita"},
            ),
            "province": (
                self.env._("Province"),
                {"province", "province code", "provincia", "prov", "sigla provincia"},
            ),
            "zip": (
                self.env._("ZIP"),
                {"zip", "zip code", "postcode", "postal code", "cap"},
            ),
            "street": (
                self.env._("Street"),
                {"street", "address", "via", "indirizzo", "strada", "toponimo"},
            ),
            "technology": (
                self.env._("Technology"),
                {"technology", "tech", "tecnologia"},
            ),
            "max_speed": (
                self.env._("Max Speed (Mbps)"),
                {
                    "max speed",
                    "max speed mbps",
                    "speed",
                    "mbps",
                    "velocita",
                    "velocita massima",
                    "velocita max",
                    "velocita massima mbps",
                },
            ),
            "available": (
                self.env._("Available"),
                {"available", "is available", "disponibile", "disponibilita"},
            ),
        }

    @api.model
    def _get_required_columns(self):
        return ["municipality", "technology"]

    @api.model
    def _parse_technology(self, value):
        technology = value.strip().lower()
        if technology not in dict(TECHNOLOGIES):
            raise UserError(
                self.env._(
                    "Unknown technology %(value)s: use FTTH, FTTC, ADSL or FWA.",
                    value=value,
                )
            )
        return technology

    @api.model
    def _parse_speed(self, value):
        match = SPEED_RE.fullmatch(value.strip())
        if not match:
            raise UserError(
                self.env._(
                    "Invalid max speed %(value)s: write a whole number of Mbps, " "e.g. 100.",
                    value=value,
                )
            )
        return int(match.group(1))

    @api.model
    def _parse_available(self, value):
        word = " ".join(value.lower().split())
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise UserError(
            self.env._("Invalid availability %(value)s: write yes or no (1 or 0).", value=value)
        )

    def _import_row(self, values):
        """Upsert one coverage row on its key (municipality, province, ZIP, street,
        technology, the table's unique key; municipality case-insensitive, street as
        normalised): "existing" when nothing
        differs, so re-importing the same table changes nothing (seed 003, 2.3 "Verifica
        Copertura")."""
        municipality = " ".join(values["municipality"].split())
        if not municipality:
            raise UserError(self.env._("The municipality is missing."))
        technology = self._parse_technology(values["technology"])
        italy = self.env.ref("base.it")
        province_id = self.env["smartcall.campaign.contact"]._resolve_province(
            values["province"], italy
        )
        zip_code = values["zip"] or False
        street = " ".join((values.get("street") or "").split())
        # An empty cell keeps the current value (the field's default for a new row).
        vals = {}
        if values["max_speed"]:
            vals["max_speed_mbps"] = self._parse_speed(values["max_speed"])
        if values["available"]:
            vals["is_available"] = self._parse_available(values["available"])
        Coverage = self.env["smartcall.coverage"]
        escaped = municipality.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        existing = Coverage.search(
            [
                ("municipality", "=ilike", escaped),
                ("province_id", "=", province_id),
                ("zip", "=", zip_code),
                ("street_key", "=", normalize_street(street) or False),
                ("technology", "=", technology),
            ],
            limit=1,
        )
        if existing:
            changed = {fname: value for fname, value in vals.items() if existing[fname] != value}
            if not changed:
                return "existing"
            existing.write(changed)
            return "updated"
        Coverage.create(
            {
                **vals,
                "municipality": municipality,
                "province_id": province_id,
                "zip": zip_code,
                "street": street or False,
                "technology": technology,
            }
        )
        return "created"

    def _get_result_summary(self, counts):
        return self.env._(
            "%(created)s created, %(updated)s updated, %(existing)s unchanged, "
            "%(errors)s errors.",
            **counts,
        )
