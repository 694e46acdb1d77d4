# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import SmartcallOutcomesCommon


@tagged("post_install", "-at_install")
class TestOperatorReport(SmartcallOutcomesCommon):
    def test_rates_per_operator(self):
        codes = ["NI", "A", "VEND", "CBPROS"]  # reached: NI, VEND, CBPROS; sale: VEND
        for index, code in enumerate(codes):
            with freeze_time(f"2026-03-10 09:{index * 10:02d}:00"):
                contact = self._make_contact(f"Report {code}")
                self._hold(self.operator_1, contact)
                values = {}
                if code == "VEND":
                    values["cart"] = [{"product_id": self.product.id, "quantity": 1}]
                self._confirm(self.operator_1, contact, code, **values)
        # one worked hour: close the open interval one hour after the first one started
        with freeze_time("2026-03-10 10:00:00"):
            self._console(self.operator_1).logout()
        self.env.flush_all()
        Report = self.env["smartcall.operator.report"].with_user(self.supervisor)
        groups = Report.read_group(
            [("user_id", "=", self.operator_1.id)],
            [
                "call_count:sum",
                "contact_rate",
                "conversion_rate",
                "appointments_per_hour",
                "worked_hours:sum",
                "sale_count:sum",
            ],
            ["user_id"],
        )
        self.assertEqual(len(groups), 1)
        group = groups[0]
        self.assertEqual(group["call_count"], 4)
        self.assertEqual(group["sale_count"], 1)
        self.assertAlmostEqual(group["contact_rate"], 75.0)
        self.assertAlmostEqual(group["conversion_rate"], 100.0 / 3, places=3)
        self.assertAlmostEqual(group["worked_hours"], 1.0, places=2)
        self.assertEqual(group["appointments_per_hour"], 0.0)
        by_hour = Report.read_group([("kind", "=", "call")], ["call_count:sum"], ["hour"])
        self.assertEqual({g["hour"]: g["call_count"] for g in by_hour}, {10: 4})

    def test_operators_cannot_read_the_report(self):
        with self.assertRaises(AccessError):
            self.env["smartcall.operator.report"].with_user(self.operator_1).search([])

    def test_managers_can_export(self):
        self.assertTrue(self.manager.has_group("base.group_allow_export"))
