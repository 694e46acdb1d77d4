# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import contextlib
import csv
import io
import logging
import re
from datetime import timedelta

from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from .. import import_file

_logger = logging.getLogger(__name__)

ACTIVE_STATES = ("queued", "running")
MAX_VALUE_LENGTH = 200
# A batch is one transaction: its rows, the counters and the position in the file are
# committed together, so a job killed in the middle goes on from its last batch.
DEFAULT_BATCH_SIZE = 5000


class SmartcallImportJob(models.Model):
    """A file imported in the background (issue 18): read in batches by the cron
    "Smartcall: run the import jobs" (Odoo's batched cron with `_notify_progress`), one
    transaction per batch, with its progress, its counters and every rejected row.

    Each import type (`import_type`) brings its own `_import_<type>_header(cells)`,
    `_import_<type>_batch(rows)` and optionally `_import_<type>_finish()`.
    """

    _name = "smartcall.import.job"
    _description = "Import Job"
    _order = "id desc"

    name = fields.Char(required=True, readonly=True)
    import_type = fields.Selection([("contact", "Campaign contacts")], required=True, readonly=True)
    state = fields.Selection(
        [
            ("queued", "Waiting"),
            ("running", "Running"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
            ("failed", "Failed"),
        ],
        required=True,
        default="queued",
        readonly=True,
        index=True,
    )
    user_id = fields.Many2one(
        "res.users", string="Started By", required=True, readonly=True, index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    campaign_id = fields.Many2one(
        "smartcall.campaign", readonly=True, ondelete="cascade", index="btree_not_null"
    )
    attachment_id = fields.Many2one("ir.attachment", string="File", readonly=True)
    filename = fields.Char(readonly=True)
    file_format = fields.Selection([("csv", "CSV"), ("xlsx", "XLSX")], readonly=True)
    encoding = fields.Char(readonly=True)
    separator = fields.Char(readonly=True)
    column_map = fields.Json(readonly=True, help="{cell index: column key} of the header.")
    position = fields.Integer(
        readonly=True, help="Byte (CSV) or row (XLSX) where the next batch starts."
    )
    line_number = fields.Integer(string="Last Line Read", readonly=True)
    header_lines = fields.Integer(readonly=True)
    line_total = fields.Integer(string="Lines in the File", readonly=True)
    rows_done = fields.Integer(compute="_compute_progress")
    rows_left = fields.Integer(compute="_compute_progress")
    rows_total = fields.Integer(compute="_compute_progress")
    progress = fields.Float(compute="_compute_progress")
    estimate = fields.Char(string="Time Left", compute="_compute_progress")
    created_count = fields.Integer(string="Imported", readonly=True)
    existing_count = fields.Integer(string="Already Present", readonly=True)
    excluded_count = fields.Integer(string="Contacts Excluded", readonly=True)
    error_count = fields.Integer(string="Rejected", readonly=True)
    error_ids = fields.One2many("smartcall.import.job.error", "job_id", readonly=True)
    started_at = fields.Datetime(readonly=True)
    finished_at = fields.Datetime(readonly=True)
    failure_message = fields.Text(readonly=True)
    report_file = fields.Binary(
        string="Rejected Rows (CSV)", attachment=True, readonly=True, copy=False
    )
    report_filename = fields.Char(readonly=True)

    # ------------------------------------------------------------------
    # Progress
    # ------------------------------------------------------------------
    @api.depends("line_number", "header_lines", "line_total", "state", "started_at")
    def _compute_progress(self):
        now = fields.Datetime.now()
        for job in self:
            total = max(job.line_total - job.header_lines, 0)
            done = min(max(job.line_number - job.header_lines, 0), total)
            if job.state == "done":
                done = total
            job.rows_total = total
            job.rows_done = done
            job.rows_left = total - done
            job.progress = (
                100.0 * done / total if total else (100.0 if job.state == "done" else 0.0)
            )
            job.estimate = job._format_estimate(now, done, total - done)

    def _format_estimate(self, now, done, left):
        if self.state == "queued":
            return self.env._("Waiting to start")
        if self.state != "running":
            return False
        if not done or not self.started_at:
            return self.env._("Estimating...")
        seconds = (now - self.started_at).total_seconds() * left / done
        if seconds < 60:
            return self.env._("Less than a minute")
        return self.env._("About %(minutes)s minutes", minutes=round(seconds / 60) or 1)

    # ------------------------------------------------------------------
    # Creation
    # ------------------------------------------------------------------
    @api.model
    def _create_job(self, import_type, content, filename, name, values=None):
        """Store the uploaded file, read its header (a bad header is refused now, with
        the reason) and queue the job; the cron starts on it at once."""
        if not content:
            raise UserError(self.env._("Choose a CSV or XLSX file to import."))
        job = self.sudo().create(
            {
                "name": name,
                "import_type": import_type,
                "user_id": self.env.uid,
                "filename": filename,
                **(values or {}),
            }
        )
        job.attachment_id = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": filename or "import.csv",
                    "raw": content,
                    "res_model": self._name,
                    "res_id": job.id,
                }
            )
        )
        with job._open_file() as fileobj:
            job._prepare_reading(fileobj)
        job._get_cron()._trigger()
        return job.sudo(False)

    @contextlib.contextmanager
    def _open_file(self):
        """The stored file, opened for reading in binary (never loaded whole when it is in
        the filestore)."""
        attachment = self.sudo().attachment_id
        if attachment.store_fname:
            path = attachment._full_path(attachment.store_fname)
            with open(path, "rb") as fileobj:
                yield fileobj
        else:
            yield io.BytesIO(attachment.raw or b"")

    def _prepare_reading(self, fileobj):
        """Format, encoding, separator, line count and header of the file."""
        self.ensure_one()
        try:
            if import_file.is_xlsx(fileobj, self.filename):
                vals = {"file_format": "xlsx", "line_total": import_file.count_xlsx_rows(fileobj)}
            else:
                encoding = import_file.detect_encoding(fileobj)
                vals = {
                    "file_format": "csv",
                    "encoding": encoding,
                    "separator": import_file.detect_separator(fileobj, encoding),
                    "line_total": import_file.count_lines(fileobj),
                }
            self.write(vals)
            header = getattr(self, f"_import_{self.import_type}_header")
            for _line, cells, position, last_line in self._iter_rows(fileobj):
                cells = import_file.clean_cells(cells)
                if not any(cells):
                    continue
                column_map = header(cells)
                if column_map is not None:
                    # a header line: the data starts after it
                    self.write(
                        {
                            "column_map": column_map,
                            "position": position,
                            "line_number": last_line,
                            "header_lines": last_line,
                        }
                    )
                break
            else:
                raise UserError(self.env._("The file is empty."))
        except import_file.ImportFileError as error:
            raise self.env["smartcall.import.mixin"]._file_error(error) from error

    def _iter_rows(self, fileobj):
        if self.file_format == "xlsx":
            return import_file.iter_xlsx_rows(fileobj, self.position)
        return import_file.iter_csv_rows(
            fileobj, self.encoding, self.separator, self.position, self.line_number
        )

    @api.model
    def _get_cron(self):
        return self.env.ref("smartcall_campaign.ir_cron_smartcall_import_jobs").sudo()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _check_can_manage(self):
        for job in self:
            if job.user_id != self.env.user and not self.env.user.has_group(
                "smartcall_campaign.group_manager"
            ):
                raise AccessError(
                    self.env._("Only the user who started the import or a manager can do this.")
                )

    def action_cancel(self):
        """Stop the job after its current batch: what was imported stays (importing the
        same file again later goes on without doubling anything)."""
        self._check_can_manage()
        jobs = self.filtered(lambda job: job.state in ACTIVE_STATES)
        jobs.sudo().write({"state": "cancelled", "finished_at": fields.Datetime.now()})
        for job in jobs:
            job.sudo()._write_report()
        return True

    def action_resume(self):
        """Go on from the last batch of a cancelled or failed job."""
        self._check_can_manage()
        jobs = self.filtered(lambda job: job.state in ("cancelled", "failed"))
        jobs.sudo().write({"state": "queued", "finished_at": False, "failure_message": False})
        if jobs:
            self._get_cron()._trigger()
        return True

    def _get_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import"),
            "res_model": self._name,
            "res_id": self.id,
            "views": [[False, "form"]],
            "target": "current",
        }

    # ------------------------------------------------------------------
    # Running
    # ------------------------------------------------------------------
    def _get_batch_size(self):
        """Rows per batch (one transaction): the system parameter
        smartcall_campaign.import_batch_size when set, else the import type's default."""
        param = (
            self.env["ir.config_parameter"].sudo().get_param("smartcall_campaign.import_batch_size")
        )
        if param and param.strip().isdigit() and int(param) > 0:
            return int(param)
        return self._get_default_batch_size()

    def _get_default_batch_size(self):
        return DEFAULT_BATCH_SIZE

    def _lock_for_batch(self):
        """Lock the job's row for the batch. False when someone is changing it right now
        (cancelling it) or changed it since this transaction began: the next round, in a
        new transaction, sees their change."""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        """SELECT id FROM smartcall_import_job WHERE id = %s
                           FOR NO KEY UPDATE SKIP LOCKED""",
                        self.id,
                    ),
                    log_exceptions=False,
                )
                return bool(self.env.cr.fetchone())
        except pg_errors.SerializationFailure:
            return False

    def _run_batch(self):
        """Read and import the next batch of the file; at its end, finish the job. Returns
        the number of lines read. One transaction: the caller commits."""
        self.ensure_one()
        self.invalidate_recordset()
        if self.state not in ACTIVE_STATES:
            return 0
        # the user's rights, company and language (the reasons of the rejected rows)
        job = (
            self.with_user(self.user_id)
            .with_company(self.company_id)
            .with_context(lang=self.user_id.lang or self.env.lang)
        )
        if self.state == "queued":
            self.write({"state": "running", "started_at": self.started_at or fields.Datetime.now()})
        limit = self._get_batch_size()
        rows = []
        end_of_file = True
        position, line_number = self.position, self.line_number
        start_line = line_number
        with self._open_file() as fileobj:
            try:
                for line, cells, row_end, row_last_line in self._iter_rows(fileobj):
                    position, line_number = row_end, row_last_line
                    cells = import_file.clean_cells(cells)
                    if any(cells):
                        rows.append((line, cells))
                    if len(rows) >= limit:
                        end_of_file = False
                        break
            except import_file.ImportFileError as error:
                message = self.env._(
                    "The file cannot be read after line %(line)s: %(error)s",
                    line=error.line - 1 if error.line else 0,
                    error=str(error),
                )
                self._write_errors([(error.line or 0, "", message)])
                self.write(
                    {
                        "state": "failed",
                        "failure_message": message,
                        "error_count": self.error_count + 1,
                    }
                )
                self._write_report()
                return 0
        result = getattr(job, f"_import_{self.import_type}_batch")(rows) if rows else {}
        errors = result.get("errors", [])
        self._write_errors(errors)
        vals = {
            "position": position,
            "line_number": line_number,
            "created_count": self.created_count + result.get("created", 0),
            "existing_count": self.existing_count + result.get("existing", 0),
            "excluded_count": self.excluded_count + result.get("excluded", 0),
            "error_count": self.error_count + len(errors),
        }
        self.write(vals)
        if end_of_file:
            finish = getattr(job, f"_import_{self.import_type}_finish", None)
            extra = finish() if finish else {}
            self.write(
                {
                    "state": "done",
                    "finished_at": fields.Datetime.now(),
                    "excluded_count": self.excluded_count + extra.get("excluded", 0),
                }
            )
            self._write_report()
        return max(line_number - start_line, 1)

    def _run_until_done(self):
        """Run every batch now, in the current transaction (tests, shell)."""
        for job in self:
            while job.state in ACTIVE_STATES:
                job._run_batch()
        return True

    def _write_errors(self, errors):
        """Store rejected rows [(line, value, reason)] in one statement."""
        if not errors:
            return
        self.env["smartcall.import.job.error"].flush_model()
        self.env.cr.execute(
            SQL(
                """INSERT INTO smartcall_import_job_error
                        (job_id, line, value, reason,
                         create_uid, create_date, write_uid, write_date)
                   SELECT %(job)s, e.line, e.value, e.reason,
                          %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
                     FROM unnest(%(lines)s::int[], %(values)s::varchar[], %(reasons)s::varchar[])
                          AS e(line, value, reason)""",
                job=self.id,
                uid=self.env.uid,
                lines=[line for line, _value, _reason in errors],
                values=[(value or "")[:MAX_VALUE_LENGTH] for _line, value, _reason in errors],
                reasons=[reason for _line, _value, reason in errors],
            )
        )
        self.env["smartcall.import.job.error"].invalidate_model()
        self.invalidate_recordset(["error_ids"])

    def _write_report(self):
        """The rejected rows as a CSV file (line;value;reason), to download."""
        self.ensure_one()
        if not self.error_count:
            self.write({"report_file": False, "report_filename": False})
            return
        output = io.StringIO()
        writer = csv.writer(output, delimiter=";")
        writer.writerow([self.env._("Line"), self.env._("Value"), self.env._("Reason")])
        self.env["smartcall.import.job.error"].flush_model()
        self.env.cr.execute(
            SQL(
                """SELECT line, value, reason FROM smartcall_import_job_error
                    WHERE job_id = %s ORDER BY line, id""",
                self.id,
            )
        )
        writer.writerows(self.env.cr.fetchall())
        stem = (self.filename or "import").rsplit(".", 1)[0]
        self.write(
            {
                # utf-8-sig: Excel opens it with the accents right
                "report_file": base64.b64encode(output.getvalue().encode("utf-8-sig")),
                "report_filename": f"{stem}-rejected.csv",
            }
        )

    @api.model
    def _cron_run_jobs(self):
        """Scheduled action "Smartcall: run the import jobs": one batch of the oldest active
        job per call. Progress goes to Odoo's cron framework (`_notify_progress`), which
        commits and calls again while rows remain."""
        jobs = self.search([("state", "in", ACTIVE_STATES)], order="id")
        done = 0
        for job in jobs:
            if not job._lock_for_batch():
                continue
            try:
                with self.env.cr.savepoint():
                    done = job._run_batch()
            except Exception as error:  # noqa: BLE001 - the job fails with its reason, the cron goes on
                _logger.exception("Import job %s failed", job.id)
                self.env.invalidate_all()  # the batch was rolled back
                job.write(
                    {
                        "state": "failed",
                        "finished_at": fields.Datetime.now(),
                        "failure_message": str(error),
                    }
                )
            break
        self.flush_model()
        remaining = sum(self.search([("state", "in", ACTIVE_STATES)]).mapped("rows_left"))
        remaining = remaining or len(self.search([("state", "in", ACTIVE_STATES)]))
        self.env["ir.cron"]._notify_progress(
            done=max(done, 1) if remaining else done, remaining=remaining
        )
        if remaining:
            # The cron framework calls again up to 10 times, then leaves the cron ready
            # without waking a worker (unless ODOO_NOTIFY_CRON_CHANGES is set): wake one
            # after the commit, so that a long file does not wait a minute every 10 batches.
            self.env.cr.postcommit.add(self._get_cron()._notifydb)
        return True

    @api.autovacuum
    def _gc_import_jobs(self):
        """Finished jobs and their files go after 90 days."""
        limit = fields.Datetime.now() - timedelta(days=90)
        old = self.sudo().search([("state", "not in", ACTIVE_STATES), ("create_date", "<", limit)])
        old.attachment_id.unlink()
        old.unlink()

    # ------------------------------------------------------------------
    # Campaign contacts (smartcall.contact.import)
    # ------------------------------------------------------------------
    def _import_contact_header(self, cells):
        column_map = self.env["smartcall.contact.import"]._map_header(cells)
        return {str(index): key for index, key in column_map.items()}

    def _contact_parse_row(self, values, country, provinces):
        """(vat, phone, mobile, partner values) of a row; UserError with the reason when
        the row is bad. `provinces` caches the provinces resolved in the batch."""
        Wizard = self.env["smartcall.contact.import"]
        Wizard._check_cell_lengths(values)
        if not (values["vat"] or values["phone"] or values["mobile"]):
            raise UserError(
                self.env._(
                    "A VAT number, a phone or a mobile number is needed to call the "
                    "customer and to recognise them on the next import."
                )
            )
        Partner = self.env["res.partner"]
        phone = Partner._smartcall_normalize_phone(values["phone"], country, raise_exception=True)
        mobile = Partner._smartcall_normalize_phone(values["mobile"], country, raise_exception=True)
        vat = re.sub(r"\s+", "", values["vat"]).upper()
        state_id = False
        if values["province"]:
            # the rule of the coverage import, once per distinct value of the batch
            key = values["province"].upper()
            if key not in provinces:
                try:
                    provinces[key] = self.env["smartcall.campaign.contact"]._resolve_province(
                        values["province"], country
                    )
                except ValidationError as error:
                    provinces[key] = error
            if isinstance(provinces[key], ValidationError):
                raise provinces[key]
            state_id = provinces[key]
        partner_values = {
            "name": values["name"],
            "is_company": True,
            "country_id": country.id,
            "phone": phone,
            "mobile": mobile,
            "vat": vat or False,
            "state_id": state_id,
        }
        for key in ("email", "street", "city", "zip"):
            if values[key]:
                partner_values[key] = values[key]
        return vat, phone, mobile, partner_values

    @api.model
    def _vat_variants(self, vat, country):
        """IT01234567890 and 01234567890: the same VAT with or without country prefix."""
        if not vat:
            return []
        code = country.code or ""
        if code and vat.startswith(code):
            return [vat, vat[len(code) :]]
        return [vat, f"{code}{vat}"]

    def _contact_match_partners(self, parsed, country):
        """{vat or number: partner id} of the customers already in Odoo: by VAT, then by
        normalised number, in two queries for the whole batch."""
        Partner = self.env["res.partner"].sudo()
        vats = {variant for vat, *_rest in parsed for variant in self._vat_variants(vat, country)}
        numbers = {
            number for _vat, phone, mobile, _v in parsed for number in (phone, mobile) if number
        }
        by_key = {}
        if vats:
            for partner in Partner.search_read([("vat", "in", list(vats))], ["vat"], order="id"):
                by_key.setdefault(("vat", partner["vat"]), partner["id"])
        if numbers:
            for partner in Partner.search_read(
                [
                    "|",
                    ("smartcall_phone_e164", "in", list(numbers)),
                    ("smartcall_mobile_e164", "in", list(numbers)),
                ],
                ["smartcall_phone_e164", "smartcall_mobile_e164"],
                order="id",
            ):
                for fname in ("smartcall_phone_e164", "smartcall_mobile_e164"):
                    if partner[fname]:
                        by_key.setdefault(("number", partner[fname]), partner["id"])
        return by_key

    def _import_contact_batch(self, rows):
        """The customers of `rows` in the campaign: found by VAT or normalised number, else
        created (one create for the batch), then one create for the new campaign contacts;
        a customer already in the campaign is "already present", one whose number is on
        the do-not-call list is added excluded."""
        Wizard = self.env["smartcall.contact.import"]
        Contact = self.env["smartcall.campaign.contact"]
        country = self.env["res.partner"]._smartcall_default_country()
        provinces = {}  # province cell (upper case) -> state id or the error
        column_map = {int(index): key for index, key in (self.column_map or {}).items()}
        errors = []
        parsed = []
        for line, cells in rows:
            values = Wizard._row_values(cells, column_map)
            if not any(values.values()):
                continue
            try:
                parsed.append((*self._contact_parse_row(values, country, provinces), line, cells))
            except UserError as error:  # ValidationError included
                errors.append((line, ";".join(cells), str(error.args[0])))
        known = self._contact_match_partners([row[:4] for row in parsed], country)
        # partner of each row: known, or new (one per customer even when repeated)
        new_partner_values = []
        row_partner = []  # partner id, or ("new", index in new_partner_values)
        row_lines = []  # (line, cells, partner) of the same rows
        for vat, phone, mobile, partner_values, line, cells in parsed:
            keys = [("vat", variant) for variant in self._vat_variants(vat, country)]
            keys += [("number", number) for number in (phone, mobile) if number]
            partner = next((known[key] for key in keys if key in known), None)
            if partner is None:
                if not partner_values["name"]:
                    errors.append(
                        (
                            line,
                            ";".join(cells),
                            self.env._(
                                "The customer name is missing: a new customer needs a name."
                            ),
                        )
                    )
                    continue
                partner = ("new", len(new_partner_values))
                new_partner_values.append(partner_values)
                for key in keys:
                    known.setdefault(key, partner)
            row_partner.append(partner)
            row_lines.append((line, cells, partner))
        if new_partner_values:
            created = (
                self.env["res.partner"]
                .sudo()
                .with_context(
                    tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
                )
                .create(new_partner_values)
            )
            created_ids = created.ids

            def resolve(partner):
                return created_ids[partner[1]] if isinstance(partner, tuple) else partner

            row_partner = [resolve(partner) for partner in row_partner]
            row_lines = [(line, cells, resolve(partner)) for line, cells, partner in row_lines]
        else:
            created_ids = []
        campaign_id = self.campaign_id.id
        partner_ids = list(dict.fromkeys(row_partner))
        present = {
            contact["partner_id"][0]
            for contact in Contact.sudo().search_read(
                [("campaign_id", "=", campaign_id), ("partner_id", "in", partner_ids)],
                ["partner_id"],
            )
        }
        to_add = [partner_id for partner_id in partner_ids if partner_id not in present]
        # a customer found in Odoo with an invalid number is reported, not added (the rule of
        # the campaign contacts, _check_partner_numbers)
        refused = self._contact_refused_partners(set(to_add) - set(created_ids))
        if refused:
            to_add = [partner_id for partner_id in to_add if partner_id not in refused]
            for line, cells, partner_id in list(row_lines):
                if partner_id in refused:
                    errors.append((line, ";".join(cells), refused[partner_id]))
                    row_partner.remove(partner_id)
        # sudo: contacts are closed to direct creation (QUEUE_FIELDS); the job runs for the
        # supervisor who started it, checked when it was queued
        contacts = (
            Contact.sudo()
            .create(
                [{"campaign_id": campaign_id, "partner_id": partner_id} for partner_id in to_add]
            )
            .sudo(False)
        )
        excluded = self._contact_exclude_blacklisted(contacts)
        return {
            "created": len(to_add) - excluded,
            "existing": len(row_partner) - len(to_add),
            "excluded": excluded,
            "errors": errors,
        }

    def _contact_exclude_blacklisted(self, contacts):
        """The new `contacts` whose number is on the do-not-call list are added excluded
        (the work plan would exclude them anyway): returns how many."""
        if not contacts:
            return 0
        Contact = self.env["smartcall.campaign.contact"]
        Contact.flush_model()
        Contact._flush_for_numbers_sql()
        rows = self.env.execute_query(
            SQL(
                """UPDATE smartcall_campaign_contact c
                      SET state = 'excluded', excluded_reason = %(reason)s
                    WHERE c.id = ANY(%(ids)s) AND %(blacklisted)s
                RETURNING c.id""",
                reason=self.env._("Number in the do-not-call list"),
                ids=contacts.ids,
                blacklisted=Contact._blacklisted_sql("c"),
            )
        )
        contacts.invalidate_recordset(["state", "excluded_reason"])
        return len(rows)

    def _contact_refused_partners(self, partner_ids):
        """{partner id: reason} of the customers found in Odoo that cannot become campaign
        contacts (an invalid number on the customer)."""
        refused = {}
        Contact = self.env["smartcall.campaign.contact"].sudo()
        for partner_id in partner_ids:
            try:
                Contact.new({"partner_id": partner_id})._check_partner_numbers()
            except ValidationError as error:
                refused[partner_id] = str(error.args[0])
        return refused
