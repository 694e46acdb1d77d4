# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo.exceptions import AccessError, UserError

from ..models.smartcall_coverage import normalize_street, split_street_number
from .common import SmartcallCampaignCommon


class TestCoverageAddress(SmartcallCampaignCommon):
    """Seed 003, 2.3 "Verifica Copertura": the operator types an address (street, number,
    municipality) and gets the coverage there: the street's rows when the table has them, the
    municipality's otherwise."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Coverage = cls.env["smartcall.coverage"]
        values = {"municipality": "Lucera", "province_id": cls.province_fg.id}
        cls.town_ftth = Coverage.create(
            dict(values, technology="ftth", max_speed_mbps=1000, is_available=False)
        )
        cls.town_adsl = Coverage.create(dict(values, technology="adsl", max_speed_mbps=20))
        cls.garibaldi_ftth = Coverage.create(
            dict(values, street="P.zza Garibaldi", technology="ftth", max_speed_mbps=2500)
        )
        cls.garibaldi_fwa = Coverage.create(
            dict(values, street="Piazza Garibaldi", technology="fwa", max_speed_mbps=100)
        )
        cls.roma_fttc = Coverage.create(
            dict(values, street="Via Roma", technology="fttc", max_speed_mbps=200)
        )
        cls.Console = cls.env["smartcall.console"].with_user(cls.operator_1)

    def test_street_key_ignores_case_accents_and_abbreviations(self):
        self.assertEqual(normalize_street("P.zza  Garibaldi"), "piazza garibaldi")
        self.assertEqual(normalize_street("piazza GARIBALDI"), "piazza garibaldi")
        self.assertEqual(normalize_street("V.le dell'Università"), "viale dell universita")
        self.assertEqual(
            normalize_street("C.so Vittorio Emanuele II"), "corso vittorio emanuele ii"
        )
        self.assertEqual(normalize_street(""), "")

    def test_street_and_number_split(self):
        self.assertEqual(split_street_number("Via Roma 12"), ("Via Roma", "12"))
        self.assertEqual(split_street_number("Via Roma, 12/B"), ("Via Roma", "12/B"))
        self.assertEqual(split_street_number("Corso Italia 3 bis"), ("Corso Italia", "3 bis"))
        self.assertEqual(split_street_number("Via 4 Novembre"), ("Via 4 Novembre", ""))
        self.assertEqual(split_street_number("Via 4 Novembre 7"), ("Via 4 Novembre", "7"))
        self.assertEqual(split_street_number(False), ("", ""))

    def test_typed_address_on_a_street_with_data(self):
        result = self.Console.check_coverage(
            {"street": "piazza garibaldi", "number": "4", "municipality": " lucera "}
        )
        self.assertEqual(result["level"], "street")
        self.assertEqual(result["address"], "piazza garibaldi 4, lucera")
        self.assertEqual(
            [(r["technology"], r["max_speed_mbps"], r["street"]) for r in result["rows"]],
            [("ftth", 2500, "P.zza Garibaldi"), ("fwa", 100, "Piazza Garibaldi")],
        )

    def test_street_without_data_falls_back_to_the_municipality(self):
        result = self.Console.check_coverage(
            {"street": "Via Dante Alighieri", "number": "1", "municipality": "Lucera"}
        )
        self.assertEqual(result["level"], "municipality")
        self.assertEqual(
            [(r["technology"], r["is_available"], r["street"]) for r in result["rows"]],
            [("ftth", False, ""), ("adsl", True, "")],
        )

    def test_number_typed_in_the_street_field(self):
        result = self.Console.check_coverage({"street": "Via Roma 12", "municipality": "Lucera"})
        self.assertEqual(result["level"], "street")
        self.assertEqual(result["address"], "Via Roma 12, Lucera")
        self.assertEqual([r["technology"] for r in result["rows"]], ["fttc"])

    def test_unknown_municipality_says_none(self):
        result = self.Console.check_coverage({"street": "Via Roma", "municipality": "Troia"})
        self.assertEqual((result["level"], result["rows"]), ("none", []))

    def test_municipality_is_required(self):
        for address in ({"street": "Via Roma", "number": "1"}, {"municipality": "   "}, "x", None):
            with self.assertRaisesRegex(UserError, "Type the municipality"):
                self.Console.check_coverage(address)

    def test_only_operators_check_coverage(self):
        with self.assertRaisesRegex(AccessError, "Only call-center operators"):
            self.env["smartcall.console"].with_user(self.field_agent).check_coverage(
                {"municipality": "Lucera"}
            )

    def test_customer_address_reads_the_street_rows(self):
        """The coverage the script screen shows first: the customer's own street."""
        partner = self._make_partner("Garibaldi Srl", street="Piazza Garibaldi, 7", zip="71036")
        self.assertEqual(
            self.env["smartcall.coverage"]._for_partner(partner),
            self.garibaldi_ftth | self.garibaldi_fwa,
        )
        elsewhere = self._make_partner("Dante Srl", street="Via Dante 3")
        self.assertEqual(
            self.env["smartcall.coverage"]._for_partner(elsewhere),
            self.town_ftth | self.town_adsl,
        )

    def test_import_street_rows_and_reimport_changes_nothing(self):
        content = (
            b"Comune,Provincia,Via,Tecnologia,Velocita massima,Disponibile\n"
            b"Lucera,FG,Via Roma,FTTC,300,si\n"  # updates the Via Roma FTTC row
            b"Lucera,FG,V. Roma,FTTH,1000,si\n"  # same street, new technology
            b"Lucera,FG,,FWA,100,si\n"  # the municipality's row
        )

        def run_import():
            wizard = (
                self.env["smartcall.coverage.import"]
                .with_user(self.manager)
                .create({"file": base64.b64encode(content), "filename": "coverage.csv"})
            )
            wizard.action_import()
            return (
                wizard.created_count,
                wizard.updated_count,
                wizard.existing_count,
                wizard.error_count,
            )

        self.assertEqual(run_import(), (2, 1, 0, 0))
        self.assertEqual(self.roma_fttc.max_speed_mbps, 300)
        result = self.Console.check_coverage({"street": "via roma", "municipality": "Lucera"})
        self.assertEqual([r["technology"] for r in result["rows"]], ["ftth", "fttc"])
        result = self.Console.check_coverage({"street": "Via Verdi", "municipality": "Lucera"})
        self.assertEqual([r["technology"] for r in result["rows"]], ["ftth", "adsl", "fwa"])
        self.assertEqual(run_import(), (0, 0, 3, 0))
