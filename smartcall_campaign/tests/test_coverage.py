# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from .common import SmartcallCampaignCommon


class TestCoverage(SmartcallCampaignCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Coverage = cls.env["smartcall.coverage"]
        cls.lucera_fwa = Coverage.create(
            {
                "municipality": "Lucera",
                "province_id": cls.province_fg.id,
                "technology": "fwa",
                "max_speed_mbps": 100,
            }
        )
        cls.lucera_ftth = Coverage.create(
            {
                "municipality": "LUCERA",
                "province_id": cls.province_fg.id,
                "technology": "ftth",
                "max_speed_mbps": 1000,
            }
        )
        cls.by_zip = Coverage.create(
            {
                "municipality": "Lucera (frazione)",
                "zip": "71036",
                "technology": "adsl",
                "max_speed_mbps": 20,
                "is_available": False,
            }
        )
        cls.lucera_other_province = Coverage.create(
            {"municipality": "Lucera", "province_id": cls.province_ba.id, "technology": "fttc"}
        )

    def test_rows_for_partner_city_and_zip(self):
        partner = self._make_partner("Coverage Srl", city="lucera", zip="71036")
        rows = self.env["smartcall.coverage"]._for_partner(partner)
        self.assertEqual(rows, self.lucera_ftth | self.by_zip | self.lucera_fwa)
        self.assertEqual(rows.mapped("technology"), ["ftth", "adsl", "fwa"])

    def test_no_address_no_rows(self):
        partner = self._make_partner("Nowhere", city="")
        self.assertFalse(self.env["smartcall.coverage"]._for_partner(partner))

    def test_import_coverage_csv(self):
        wizard = self.env["base_import.import"].create(
            {
                "res_model": "smartcall.coverage",
                "file": b"municipality,province_id,zip,technology,max_speed_mbps,is_available\n"
                b"Troia,Foggia,71029,FTTH,1000,1\nTroia,Foggia,71029,fwa,100,0\n",
                "file_type": "text/csv",
            }
        )
        fields = [
            "municipality",
            "province_id",
            "zip",
            "technology",
            "max_speed_mbps",
            "is_available",
        ]
        result = wizard.execute_import(
            fields, fields, {"quoting": '"', "separator": ",", "has_headers": True}
        )
        self.assertFalse(result["messages"], result["messages"])
        rows = self.env["smartcall.coverage"].search([("municipality", "=", "Troia")])
        self.assertEqual(sorted(rows.mapped("technology")), ["ftth", "fwa"])
        self.assertEqual(rows.province_id, self.province_fg)
