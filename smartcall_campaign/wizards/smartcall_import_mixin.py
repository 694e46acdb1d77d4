# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
import logging

import psycopg2
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from .. import import_file

_logger = logging.getLogger(__name__)

MAX_CELL_LENGTH = 1000


class SmartcallImportMixin(models.AbstractModel):
    """Row-by-row import of a CSV/XLSX file with a fixed set of columns (issue 9,
    "Imports"): every row is imported in its own savepoint, so the good rows are kept
    and each bad row is reported with its line in the file and the reason. Odoo's
    standard import is all or nothing.

    Files are read with `csv` and `openpyxl` rather than base_import's readers because
    those drop blank lines and merge multi-line cells, so the line numbers would not be
    the ones the user sees in the file.
    """

    _name = "smartcall.import.mixin"
    _description = "Smartcall Row-by-Row Import"

    file = fields.Binary(attachment=False)
    filename = fields.Char()
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")
    row_count = fields.Integer(string="Rows Read", readonly=True)
    created_count = fields.Integer(string="Imported", readonly=True)
    updated_count = fields.Integer(string="Updated", readonly=True)
    existing_count = fields.Integer(string="Already Present", readonly=True)
    error_count = fields.Integer(string="Errors", readonly=True)
    error_data = fields.Json(
        string="Errors (data)", readonly=True, help='[{"line": 7, "reason": "..."}]'
    )
    result_html = fields.Html(string="Result", readonly=True, sanitize=False)

    # ------------------------------------------------------------------
    # To be defined by the wizards
    # ------------------------------------------------------------------
    @api.model
    def _get_import_columns(self):
        """{column key: (label, accepted header names)}, names as normalize_header()."""
        raise NotImplementedError

    @api.model
    def _get_required_columns(self):
        return []

    def _import_row(self, values):
        """Import one row ({column key: stripped text}). Returns "created", "updated" or
        "existing"; raises UserError/ValidationError with the reason when the row is
        bad."""
        raise NotImplementedError

    def _get_result_summary(self, counts):
        raise NotImplementedError

    # ------------------------------------------------------------------
    # Reading
    # ------------------------------------------------------------------
    def _get_file_content(self):
        self.ensure_one()
        content = base64.b64decode(self.file or b"")
        if not content:
            raise UserError(self.env._("Choose a CSV or XLSX file to import."))
        return content

    def _iter_file_lines(self):
        """(line number, cells) of the uploaded file: the line where each row starts."""
        content = self._get_file_content()
        fileobj = io.BytesIO(content)
        try:
            if import_file.is_xlsx(fileobj, self.filename):
                rows = import_file.iter_xlsx_rows(fileobj)
            else:
                encoding = import_file.detect_encoding(fileobj)
                separator = import_file.detect_separator(fileobj, encoding)
                rows = import_file.iter_csv_rows(fileobj, encoding, separator)
            for line, cells, _position, _last_line in rows:
                yield line, cells
        except import_file.ImportFileError as error:
            raise self._file_error(error) from error

    @api.model
    def _file_error(self, error):
        """UserError for an ImportFileError."""
        if error.line is None:
            return UserError(
                self.env._("The file is not a valid XLSX file: %(error)s", error=str(error))
            )
        return UserError(
            self.env._(
                "The file cannot be read after line %(line)s: %(error)s",
                line=error.line - 1,
                error=str(error),
            )
        )

    @api.model
    def _map_header(self, cells):
        """{cell index: column key} of the header line `cells`; missing required columns
        raise a UserError naming them and the accepted columns."""
        columns = self._get_import_columns()
        header_to_key = {
            header: key for key, (_label, headers) in columns.items() for header in headers
        }
        index_to_key = {}
        for index, header in enumerate(cells):
            key = header_to_key.get(import_file.normalize_header(header))
            if key and key not in index_to_key.values():
                index_to_key[index] = key
        missing = [
            columns[key][0]
            for key in self._get_required_columns()
            if key not in index_to_key.values()
        ]
        if missing:
            raise UserError(
                self.env._(
                    "The first line of the file must name the columns. "
                    "Missing: %(missing)s. Accepted columns: %(accepted)s.",
                    missing=", ".join(missing),
                    accepted=", ".join(label for label, _h in columns.values()),
                )
            )
        return index_to_key

    @api.model
    def _row_values(self, cells, index_to_key):
        """{column key: value} of a data row (every column key present)."""
        values = dict.fromkeys(self._get_import_columns(), "")
        for index, key in index_to_key.items():
            if index < len(cells):
                values[key] = cells[index]
        return values

    def _read_rows(self):
        """[(line number, {column key: value})] of the non-empty data rows. The first
        non-empty line is the header; unknown columns are ignored, missing required ones
        refused."""
        index_to_key = None
        rows = []
        for line, cells in self._iter_file_lines():
            cells = import_file.clean_cells(cells)
            if not any(cells):
                continue
            if index_to_key is None:
                index_to_key = self._map_header(cells)
                continue
            values = self._row_values(cells, index_to_key)
            if any(values.values()):
                rows.append((line, values))
        if index_to_key is None:
            raise UserError(self.env._("The file is empty."))
        return rows

    def _check_cell_lengths(self, values):
        columns = self._get_import_columns()
        for key, value in values.items():
            if len(value) > MAX_CELL_LENGTH:
                raise UserError(
                    self.env._(
                        "The value of column %(column)s is too long "
                        "(%(length)s characters, at most %(max)s).",
                        column=columns[key][0],
                        length=len(value),
                        max=MAX_CELL_LENGTH,
                    )
                )

    # ------------------------------------------------------------------
    # Import
    # ------------------------------------------------------------------
    def action_import(self):
        """Import the file row by row (issue 9): each row in its own savepoint, good
        rows kept, bad rows reported as "line N: reason"; importing the same file again
        changes nothing."""
        self.ensure_one()
        rows = self._read_rows()
        counts = {"created": 0, "updated": 0, "existing": 0}
        errors = []
        for line, values in rows:
            try:
                with self.env.cr.savepoint():
                    self._check_cell_lengths(values)
                    outcome = self._import_row(values)
                counts[outcome] += 1
            except UserError as error:  # ValidationError and AccessError included
                errors.append((line, str(error.args[0])))
            except (psycopg2.IntegrityError, psycopg2.DataError) as error:
                # The row was rolled back to its savepoint: report it, go on with the
                # next one.
                _logger.info(
                    "Import %s, line %s refused by the database: %s",
                    self._name,
                    line,
                    error,
                )
                errors.append(
                    (
                        line,
                        self.env._(
                            "The database refused the row: %(error)s",
                            error=error.pgerror,
                        ),
                    )
                )
        self.write(
            {
                "state": "done",
                "row_count": len(rows),
                "created_count": counts["created"],
                "updated_count": counts["updated"],
                "existing_count": counts["existing"],
                "error_count": len(errors),
                "error_data": [{"line": line, "reason": reason} for line, reason in errors],
                "result_html": self._render_result(counts, errors),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import result"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def _render_result(self, counts, errors):
        summary = self._get_result_summary(dict(counts, errors=len(errors)))
        html = Markup("<p><strong>%s</strong></p>") % summary
        if errors:
            items = Markup("").join(
                Markup("<li>%s</li>")
                % self.env._("line %(line)s: %(reason)s", line=line, reason=reason)
                for line, reason in errors
            )
            html += Markup("<ul>%s</ul>") % items
        return html
