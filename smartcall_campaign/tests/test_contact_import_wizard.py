# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import contextlib
import csv
import io

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from odoo.exceptions import AccessError, UserError

from .common import SmartcallCampaignCommon

# Italian headers, ';' separator, a blank line and a quoted two-line address: the line
# numbers reported are the ones a text editor shows.
CSV_FILE = (
    "Ragione sociale;Partita IVA;Telefono;Cellulare;Indirizzo;Comune;CAP;Provincia;"
    "Email\n"
    # line 2
    "Rossi Srl;IT01234567890;0881 111222;;Via Roma 1;Lucera;71036;FG;info@rossi.it\n"
    "Wrong Number Srl;;12345;;;Lucera;;FG;\n"  # 3: invalid number
    "\n"  # 4: blank
    ';;0881 222333;;"Via Lunga 2\nScala B";Lucera;;FG;\n'  # 5-6: no name, new customer
    "Bianchi Snc;;0881 444555;;;Troia;;ZZ;\n"  # 7: unknown province
    "Verdi Spa;;+39 333 1234567;;;Foggia;;Foggia;\n"  # 8
    "Rossi S.r.l.;IT 01234567890;;;;;;;\n"  # 9: same VAT as line 2
    "Nobody Srl;;;;;Lucera;;FG;\n"  # 10: nothing to recognise the customer by
)


class TestContactImportWizard(SmartcallCampaignCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Wizard = cls.env["smartcall.contact.import"]
        # the reasons of the rejected rows are in the language of who imports
        cls.env["res.lang"]._activate_lang("en_US")
        (cls.env.user | cls.supervisor).write({"lang": "en_US"})
        # Already a customer, with its number written another way.
        cls.verdi = cls._make_partner("Verdi (existing)", phone=False, mobile="3331234567")

    def _wizard(self, content, filename="contacts.csv", user=None, campaign=None):
        env = self.env(user=user) if user else self.env
        if isinstance(content, str):
            content = content.encode()
        return env["smartcall.contact.import"].create(
            {
                "campaign_id": (campaign or self.campaign).id,
                "file": base64.b64encode(content),
                "filename": filename,
            }
        )

    def _import(self, content, **kw):
        """The job of the file, run to its end as the cron would (batch by batch)."""
        wizard = self._wizard(content, **kw)
        action = wizard.action_import()
        job = self.env["smartcall.import.job"].browse(action["res_id"])
        self.assertEqual(job.state, "queued")
        job._run_until_done()
        self.assertEqual(job.state, "done")
        return job

    def _contacts(self):
        return self.env["smartcall.campaign.contact"].search(
            [("campaign_id", "=", self.campaign.id)]
        )

    def _errors(self, job):
        return {error.line: error.reason for error in job.error_ids}

    def test_good_rows_imported_bad_rows_reported_with_line(self):
        job = self._import(CSV_FILE, user=self.supervisor)
        self.assertEqual((job.created_count, job.existing_count, job.error_count), (2, 1, 4))
        self.assertEqual(job.header_lines, 1)
        self.assertEqual(job.rows_total, 9)
        errors = self._errors(job)
        self.assertEqual(sorted(errors), [3, 5, 7, 10])
        self.assertIn("12345", errors[3])
        self.assertIn("name is missing", errors[5])
        self.assertIn("ZZ", errors[7])
        self.assertIn("VAT number, a phone or a mobile", errors[10])
        report = base64.b64decode(job.report_file).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(report), delimiter=";"))
        self.assertEqual([row[0] for row in rows], ["Line", "3", "5", "7", "10"])
        self.assertEqual(rows[2][1], ";;0881 222333;;Via Lunga 2\nScala B;Lucera;;FG;")

        contacts = self._contacts()
        self.assertEqual(len(contacts), 2)
        rossi = contacts.filtered(lambda c: c.partner_id.vat == "IT01234567890")
        self.assertEqual(rossi.phone_e164, "+390881111222")
        self.assertEqual(rossi.partner_id.state_id, self.province_fg)
        self.assertEqual(rossi.partner_id.email, "info@rossi.it")
        self.assertIn(self.verdi, contacts.partner_id, "found by its normalised mobile")
        Partner = self.env["res.partner"]
        for name in ("Wrong Number Srl", "Bianchi Snc", "Nobody Srl"):
            self.assertFalse(Partner.search([("name", "=", name)]), name)

    def test_second_import_changes_nothing(self):
        self._import(CSV_FILE)
        self.env.flush_all()
        contacts = self._contacts()
        partners = self.env["res.partner"].search([])
        write_dates = {record: record.write_date for record in [*contacts, *contacts.partner_id]}
        self.env.cr.execute("SELECT max(id) FROM res_partner")
        max_partner_id = self.env.cr.fetchone()[0]

        job = self._import(CSV_FILE)

        self.assertEqual((job.created_count, job.existing_count, job.error_count), (0, 3, 4))
        self.assertEqual(self._contacts(), contacts)
        self.assertEqual(self.env["res.partner"].search([]), partners)
        self.env.cr.execute("SELECT max(id) FROM res_partner")
        self.assertEqual(self.env.cr.fetchone()[0], max_partner_id)
        self.env.invalidate_all()
        for record, write_date in write_dates.items():
            self.assertEqual(record.write_date, write_date, record)

    def test_xlsx_row_numbers(self):
        book = Workbook()
        sheet = book.active
        sheet.append(["Name", "VAT", "Phone", "Mobile", "City", "Province"])
        sheet.append(["Gialli Srl", None, "0881 555666", None, "Lucera", "FG"])  # row 2
        sheet.append([None, None, None, None, None, None])  # row 3: empty
        sheet.append(["Bad Mobile Srl", None, None, "+39 12", "Lucera", "FG"])  # row 4
        # row 5: a number cell loses the leading 0 of 0881...: reported, never kept as
        # it is.
        sheet.append(["Number Cell Srl", None, 881777888, None, "Lucera", "FG"])
        sheet.append(["Mobile Cell Srl", None, None, 3331112222, "Lucera", "FG"])  # row 6
        buffer = io.BytesIO()
        book.save(buffer)

        job = self._import(buffer.getvalue(), filename="contacts.xlsx")

        errors = self._errors(job)
        self.assertEqual(sorted(errors), [4, 5], errors)
        self.assertEqual(job.file_format, "xlsx")
        self.assertIn("+39 12", errors[4])
        self.assertIn("881777888", errors[5])
        contacts = self._contacts()
        self.assertEqual(
            sorted(contacts.partner_id.mapped("name")),
            ["Gialli Srl", "Mobile Cell Srl"],
        )
        self.assertIn("+393331112222", contacts.mapped("mobile_e164"))

    def test_batches_add_up_to_one_run(self):
        """Read two rows per batch (one transaction each): the quoted two-line address and
        the repeated customer across batches end as in a single run."""
        self.env["ir.config_parameter"].sudo().set_param(
            "smartcall_campaign.import_batch_size", "2"
        )
        job = self._import(CSV_FILE)
        self.assertEqual((job.created_count, job.existing_count, job.error_count), (2, 1, 4))
        self.assertEqual(sorted(self._errors(job)), [3, 5, 7, 10])
        self.assertEqual(len(self._contacts()), 2)

    def test_xlsx_in_batches(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "smartcall_campaign.import_batch_size", "1"
        )
        book = Workbook()
        sheet = book.active
        sheet.append(["Ragione sociale", "Telefono"])
        for index in range(3):
            sheet.append([f"Batch {index} Srl", f"0881 66600{index}"])
        buffer = io.BytesIO()
        book.save(buffer)
        job = self._import(buffer.getvalue(), filename="contacts.xlsx")
        self.assertEqual((job.created_count, job.error_count, job.line_number), (3, 0, 4))

    def test_blacklisted_customer_added_excluded(self):
        self.env["phone.blacklist"].sudo().create({"number": "+390881777111"})
        job = self._import("Ragione sociale;Telefono\nOpposed Srl;0881 777111\n")
        self.assertEqual((job.created_count, job.excluded_count), (0, 1))
        contact = self._contacts()
        self.assertEqual(contact.state, "excluded")

    def test_province_wildcards_are_not_patterns(self):
        """A province cell is matched literally: "F_" or "%" must not resolve to FG."""
        job = self._import(
            "Ragione sociale;Telefono;Provincia\n"
            "Uno Srl;0881 561001;fg\nDue Srl;0881 561002;F_\nTre Srl;0881 561003;%\n"
        )
        errors = self._errors(job)
        self.assertEqual(sorted(errors), [3, 4])
        self.assertIn("Unknown province F_", errors[3])
        self.assertEqual(self._contacts().partner_id.state_id, self.province_fg)

    def test_missing_name_column_refused(self):
        with self.assertRaisesRegex(UserError, "Missing: Name"):
            self._import("telefono;comune\n0881 111222;Lucera\n")
        self.assertFalse(self._contacts())

    def test_empty_file_refused(self):
        with self.assertRaisesRegex(UserError, "Choose a CSV or XLSX file to import"):
            self._import(b"")
        with self.assertRaisesRegex(UserError, "The file is empty"):
            self._import("\n\n")

    def test_operator_refused(self):
        with self.assertRaises(AccessError):
            self._wizard(CSV_FILE, user=self.operator_1)
        wizard = self._wizard(CSV_FILE)
        with self.assertRaises(AccessError):
            wizard.with_user(self.operator_1).action_import()
        self.assertFalse(self._contacts())


def _csv_bytes(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["name", "vat", "phone", "mobile", "street", "city", "zip", "province"])
    writer.writerows(rows)
    return buffer.getvalue().encode()


PHONE_CELLS = st.one_of(
    st.just(""),
    st.from_regex(r"\A(\+39 ?)?0\d{2,3} ?\d{5,7}\Z"),  # Italian landlines
    st.from_regex(r"\A3\d{2} ?\d{6,7}\Z"),  # Italian mobiles
    st.sampled_from(["+1 202 555 0143", "+44 20 7946 0958", "+33 1 23 45 67 89", "0049 30 1234"]),
    st.sampled_from(["12345", "abc", "+39", "+39 0881 12", "00000000000000000000", "--", "+"]),
    st.text(max_size=30),
)
TEXT_CELLS = st.one_of(
    st.just(""),
    st.text(max_size=40),
    st.text(alphabet="ÀÉÎõüßçñ中文字😀\u200b\ufeff\t ", max_size=20),
    st.text(min_size=1001, max_size=3000),
)
ROWS = st.lists(
    st.tuples(
        TEXT_CELLS,  # name
        st.one_of(st.just(""), st.from_regex(r"\A(IT)?\d{11}\Z"), st.text(max_size=20)),  # vat
        PHONE_CELLS,  # phone
        PHONE_CELLS,  # mobile
        TEXT_CELLS,  # street
        TEXT_CELLS,  # city
        st.one_of(st.just(""), st.from_regex(r"\A\d{5}\Z"), st.text(max_size=10)),  # zip
        st.one_of(st.sampled_from(["", "FG", "BA", "Foggia", "XX", "fg"]), st.text(max_size=5)),
    ),
    min_size=1,
    max_size=8,
)


class TestContactImportProperties(SmartcallCampaignCommon):
    """Random and malformed cells: the import never raises, every non-empty row ends
    imported, already present or reported, and nothing saved before is lost or changed
    (issue 9)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.saved_contacts = cls.env["smartcall.campaign.contact"]
        for index in range(3):
            cls.saved_contacts |= cls._make_contact(f"Saved {index}", phone=f"0881 90000{index}")
        cls.env.flush_all()

    def _snapshot(self):
        self.env.invalidate_all()
        contacts = self.saved_contacts
        return [
            (
                contact.id,
                contact.state,
                contact.phone_e164,
                contact.write_date,
                contact.partner_id.name,
                contact.partner_id.phone,
                contact.partner_id.write_date,
            )
            for contact in contacts.exists()
        ]

    @settings(
        max_examples=150,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(rows=ROWS)
    # a byte order mark at the start of a data line: not data, the row is empty
    @example(rows=[("\ufeff", "", "", "", "", "", "", "")])
    @example(rows=[("\ufeffRossi Srl", "", "0881 770001", "", "", "Lucera", "", "")])
    def test_random_cells_never_break_the_import(self, rows):
        before = self._snapshot()
        content = _csv_bytes(rows)
        # Each example in its own savepoint, rolled back at the end.
        with contextlib.closing(self.env.cr.savepoint()):
            wizard = (
                self.env["smartcall.contact.import"]
                .with_user(self.supervisor)
                .create(
                    {
                        "campaign_id": self.campaign.id,
                        "file": base64.b64encode(content),
                        "filename": "random.csv",
                    }
                )
            )
            job = self.env["smartcall.import.job"].browse(wizard.action_import()["res_id"])
            job._run_until_done()
            self.assertEqual(job.state, "done")
            non_empty = sum(
                1
                for row in rows
                if any(cell.replace("\x00", "").replace("\ufeff", "").strip() for cell in row)
            )
            self.assertEqual(
                job.created_count + job.existing_count + job.excluded_count + job.error_count,
                non_empty,
            )
            errors = job.error_ids
            lines = errors.mapped("line")
            self.assertEqual(len(lines), len(set(lines)))
            self.assertEqual(len(lines), job.error_count)
            # for every error reported (none is fine): a data line, and a reason
            self.assertEqual([line for line in lines if line < 2], [])
            self.assertEqual([error for error in errors if not error.reason], [])
            # --hypothesis-show-statistics shows how often each outcome was exercised
            event(f"rows imported: {bool(job.created_count)}")
            event(f"rows reported: {bool(errors)}")
            event(f"too long reported: {any('too long' in r for r in errors.mapped('reason'))}")
            self.assertEqual(self._snapshot(), before)
