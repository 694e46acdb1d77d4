# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import csv
import io

from odoo import fields, models
from odoo.exceptions import AccessError, UserError

from ..models.smartcall_campaign_contact import DNC_MESSAGE

MAX_FILE_BYTES = 50 * 1024 * 1024


class SmartcallDncImport(models.TransientModel):
    """Numbers found in the Registro delle Opposizioni check (seed 000, DNC): they go to the
    do-not-call list and leave every campaign."""

    _name = "smartcall.dnc.import"
    _description = "Import Do-Not-Call Numbers"

    file = fields.Binary(required=True, help="CSV or TXT file, one number per line.")
    filename = fields.Char()
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")
    imported_count = fields.Integer(readonly=True)
    existing_count = fields.Integer(string="Already Listed", readonly=True)
    excluded_count = fields.Integer(string="Contacts Excluded", readonly=True)
    error_count = fields.Integer(readonly=True)
    error_report = fields.Text(readonly=True)

    def _read_rows(self):
        """(line number, raw number) for each non-empty line: the first cell of a CSV line."""
        self.ensure_one()
        raw = base64.b64decode(self.file or b"")
        if len(raw) > MAX_FILE_BYTES:
            raise UserError(self.env._("The file is too large (max 50 MB)."))
        for encoding in ("utf-8-sig", "latin-1"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        sample = text[:4096]
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        for line_no, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1):
            cell = (row[0] if row else "").strip()
            if cell:
                yield line_no, cell

    def _parse(self):
        """Normalise every row: returns (numbers in E.164, errors as (line, number, reason))."""
        Partner = self.env["res.partner"]
        country = Partner._smartcall_default_country()
        numbers, errors, seen = [], [], set()
        for line_no, cell in self._read_rows():
            try:
                number = Partner._smartcall_normalize_phone(cell, country, raise_exception=True)
            except UserError as error:  # ValidationError is a UserError
                if line_no == 1 and not any(ch.isdigit() for ch in cell):
                    continue  # a header line
                errors.append((line_no, cell, str(error)))
                continue
            if number not in seen:
                seen.add(number)
                numbers.append(number)
        return numbers, errors

    def action_import(self):
        """Blacklist the good rows, report the bad ones with their line and reason; importing
        the same file again changes nothing."""
        self.ensure_one()
        if not self.env.user.has_group("smartcall_campaign.group_supervisor"):
            raise AccessError(self.env._("Only supervisors can import do-not-call numbers."))
        numbers, errors = self._parse()
        Blacklist = self.env["phone.blacklist"].sudo()
        listed = set(
            Blacklist.search([("number", "in", numbers), ("active", "=", True)]).mapped("number")
        )
        new_numbers = [n for n in numbers if n not in listed]
        if new_numbers:
            Blacklist._add(new_numbers, message=DNC_MESSAGE)
        excluded = self.env["smartcall.campaign.contact"]._exclude_numbers_everywhere(
            numbers, self.env._("Do-not-call register (Registro delle Opposizioni)")
        )
        self.write(
            {
                "state": "done",
                "imported_count": len(new_numbers),
                "existing_count": len(numbers) - len(new_numbers),
                "excluded_count": len(excluded),
                "error_count": len(errors),
                "error_report": "\n".join(
                    self.env._(
                        "Line %(line)s: %(number)s: %(reason)s",
                        line=line,
                        number=cell[:64],
                        reason=reason,
                    )
                    for line, cell, reason in errors
                )
                or False,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "views": [[False, "form"]],
            "target": "new",
        }
