# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io

from openpyxl import Workbook

from odoo.exceptions import AccessError, UserError

from .common import SmartcallCampaignCommon

CSV_FILE = (
    "Comune,Provincia,CAP,Tecnologia,Velocita massima,Disponibile\n"
    "Troia,FG,71029,FTTH,1000,si\n"  # 2
    "Troia,FG,71029,fwa,100 Mbps,no\n"  # 3
    "Troia,FG,71029,5G,100,si\n"  # 4: bad technology
    "Biccari,ZZ,71032,FTTC,200,si\n"  # 5: unknown province
    "\n"  # 6: blank
    ",FG,71036,ADSL,20,si\n"  # 7: no municipality
    "Lucera,Foggia,,adsl,veloce,si\n"  # 8: bad speed
    "Lucera,Foggia,,ADSL,20,forse\n"  # 9: bad availability
    "lucera,FG,,FTTC,100,1\n"  # 10: updates the existing Lucera FTTC row
)


class TestCoverageImportWizard(SmartcallCampaignCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Coverage = cls.env["smartcall.coverage"]
        cls.lucera_fttc = cls.Coverage.create(
            {
                "municipality": "Lucera",
                "province_id": cls.province_fg.id,
                "technology": "fttc",
                "max_speed_mbps": 30,
                "is_available": False,
            }
        )

    def _import(self, content, filename="coverage.csv", user=None):
        env = self.env(user=user) if user else self.env
        if isinstance(content, str):
            content = content.encode()
        wizard = env["smartcall.coverage.import"].create(
            {"file": base64.b64encode(content), "filename": filename}
        )
        wizard.action_import()
        return wizard

    def _errors(self, wizard):
        return {error["line"]: error["reason"] for error in wizard.error_data or []}

    def test_good_rows_imported_bad_rows_reported_with_line(self):
        wizard = self._import(CSV_FILE, user=self.manager)
        self.assertEqual(
            (
                wizard.created_count,
                wizard.updated_count,
                wizard.existing_count,
                wizard.error_count,
            ),
            (2, 1, 0, 5),
        )
        errors = self._errors(wizard)
        self.assertEqual(sorted(errors), [4, 5, 7, 8, 9])
        self.assertIn("5G", errors[4])
        self.assertIn("ZZ", errors[5])
        self.assertIn("municipality", errors[7].lower())
        self.assertIn("veloce", errors[8])
        self.assertIn("forse", errors[9])
        self.assertIn("line 4:", wizard.result_html)

        troia = self.Coverage.search([("municipality", "=", "Troia")])
        self.assertEqual(sorted(troia.mapped("technology")), ["ftth", "fwa"])
        ftth = troia.filtered(lambda r: r.technology == "ftth")
        self.assertEqual((ftth.max_speed_mbps, ftth.is_available), (1000, True))
        self.assertEqual(ftth.province_id, self.province_fg)
        self.assertEqual(ftth.zip, "71029")
        fwa = troia.filtered(lambda r: r.technology == "fwa")
        self.assertEqual((fwa.max_speed_mbps, fwa.is_available), (100, False))
        self.assertFalse(self.Coverage.search([("municipality", "=", "Biccari")]))
        self.assertEqual(
            (self.lucera_fttc.max_speed_mbps, self.lucera_fttc.is_available),
            (100, True),
        )
        self.assertEqual(self.lucera_fttc.municipality, "Lucera")

    def test_second_import_changes_nothing(self):
        self._import(CSV_FILE)
        self.env.flush_all()
        rows = self.Coverage.search([])
        write_dates = {row: row.write_date for row in rows}

        wizard = self._import(CSV_FILE)

        self.assertEqual(
            (
                wizard.created_count,
                wizard.updated_count,
                wizard.existing_count,
                wizard.error_count,
            ),
            (0, 0, 3, 5),
        )
        self.assertEqual(self.Coverage.search([]), rows)
        self.env.invalidate_all()
        for row, write_date in write_dates.items():
            self.assertEqual(row.write_date, write_date, row.municipality)

    def test_xlsx_row_numbers(self):
        book = Workbook()
        sheet = book.active
        sheet.append(["municipality", "province", "zip", "technology", "max speed", "available"])
        sheet.append(["Orsara di Puglia", "FG", 71027, "FTTH", 1000, True])  # row 2
        sheet.append([])  # row 3
        sheet.append(["Orsara di Puglia", "FG", 71027, "VDSL", 200, True])  # row 4
        sheet.append(["Orsara di Puglia", "FG", 71027, "FWA", 30.0, False])  # row 5
        buffer = io.BytesIO()
        book.save(buffer)

        wizard = self._import(buffer.getvalue(), filename="coverage.xlsx")

        self.assertEqual(sorted(self._errors(wizard)), [4], wizard.error_data)
        rows = self.Coverage.search([("municipality", "=", "Orsara di Puglia")])
        self.assertEqual(sorted(rows.mapped("technology")), ["ftth", "fwa"])
        self.assertEqual(set(rows.mapped("zip")), {"71027"})
        fwa = rows.filtered(lambda r: r.technology == "fwa")
        self.assertEqual((fwa.max_speed_mbps, fwa.is_available), (30, False))

    def test_missing_technology_column_refused(self):
        count = self.Coverage.search_count([])
        with self.assertRaisesRegex(UserError, "Technology"):
            self._import("comune,cap\nTroia,71029\n")
        self.assertEqual(self.Coverage.search_count([]), count)

    def test_supervisor_and_operator_refused(self):
        for user in (self.supervisor, self.operator_1):
            with self.assertRaises(AccessError):
                self._import(CSV_FILE, user=user)
        self.assertFalse(self.Coverage.search([("municipality", "=", "Troia")]))
