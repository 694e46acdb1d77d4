# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Italian demo data that README command 1 loads (issue 2).

The suite's database has no demo data, so this test installs the five addons WITH demo
data into a throwaway database (``<testdb>_demo``, dropped at the end) as
tools/install-and-run.sh does (tools/setup_database.py --create, then a real ``odoo -i``
process), then reads it over SQL.
"""

import shutil
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import phonenumbers
from stdnum.it import iva

import odoo
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name
from odoo.tools import SQL

SETUP_DATABASE = Path(__file__).resolve().parent.parent / "tools" / "setup_database.py"
ADDONS = "smartcall_campaign,smartcall_outcomes,smartcall_agenda,smartcall_voip,smartcall_inbound"


@tagged("post_install", "-at_install", "smartcall_install")
class TestDemoData(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.db = f"{get_db_name()}_demo"
        cls._drop()
        cls.addClassCleanup(cls._drop)
        conf = odoo.tools.config.rcfile
        cls.install = subprocess.run(
            [sys.executable, str(SETUP_DATABASE), "-c", conf, "-d", cls.db, "--create"],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if cls.install.returncode:
            return
        cls.install = subprocess.run(
            [
                sys.executable,
                "-m",
                "odoo",
                "-c",
                conf,
                "-d",
                cls.db,
                "-i",
                ADDONS,
                "--load-language=it_IT",
                "--stop-after-init",
                "--log-level=warn",
            ],
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )

    @classmethod
    def _drop(cls):
        odoo.sql_db.close_db(cls.db)
        with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
            cr._cnx.autocommit = True
            cr.execute(SQL("DROP DATABASE IF EXISTS %s WITH (FORCE)", SQL.identifier(cls.db)))
        shutil.rmtree(odoo.tools.config.filestore(cls.db), ignore_errors=True)

    def _rows(self, query, *args):
        self.assertEqual(self.install.returncode, 0, self.install.stderr[-3000:])
        with closing(odoo.sql_db.db_connect(self.db).cursor()) as cr:
            cr.execute(query, args)
            return cr.fetchall()

    def _demo_companies(self):
        return self._rows(
            """SELECT p.id, p.phone, p.mobile, p.vat, p.zip, s.code, c.code
                 FROM res_partner p
                 JOIN ir_model_data d ON d.model = 'res.partner' AND d.res_id = p.id
                 LEFT JOIN res_country_state s ON s.id = p.state_id
                 LEFT JOIN res_country c ON c.id = p.country_id
                WHERE d.module = 'smartcall_campaign' AND p.is_company"""
        )

    def test_300_italian_business_contacts_with_valid_numbers(self):
        companies = self._demo_companies()
        self.assertEqual(len(companies), 300)
        numbers, with_both = [], 0
        for _id, phone, mobile, vat, zip_code, province, country in companies:
            self.assertEqual(country, "IT")
            self.assertTrue(province and zip_code)
            self.assertTrue(vat and iva.is_valid(vat.removeprefix("IT")), vat)
            own = [n for n in (phone, mobile) if n]
            self.assertTrue(own, "every demo company has a number to call")
            with_both += len(own) == 2
            numbers += own
        for number in numbers:
            parsed = phonenumbers.parse(number, "IT")
            self.assertTrue(phonenumbers.is_valid_number(parsed), number)
            self.assertEqual(parsed.country_code, 39, number)
        self.assertEqual(len(numbers), len(set(numbers)), "no number is shared")
        self.assertGreaterEqual(with_both, 100, "some contacts have several numbers")

    def test_staff_of_the_call_center(self):
        def members(xmlid):
            module, name = xmlid.split(".")
            return {
                login
                for (login,) in self._rows(
                    """SELECT u.login FROM res_users u
                         JOIN res_groups_users_rel r ON r.uid = u.id
                         JOIN ir_model_data d ON d.model = 'res.groups' AND d.res_id = r.gid
                        WHERE d.module = %s AND d.name = %s
                          AND u.login NOT IN ('admin', '__system__')""",
                    module,
                    name,
                )
            }

        operators = {f"operatore{i}" for i in range(1, 6)}
        agents = {f"agente{i}" for i in range(1, 4)}
        self.assertEqual(members("smartcall_campaign.group_operator"), operators | {"coordinatore"})
        self.assertEqual(members("smartcall_campaign.group_supervisor"), {"coordinatore"})
        self.assertEqual(members("smartcall_campaign.group_field_agent"), agents)
        langs = self._rows(
            "SELECT DISTINCT p.lang FROM res_users u JOIN res_partner p ON p.id = u.partner_id"
            " WHERE u.login = ANY(%s)",
            sorted(operators | agents | {"coordinatore"}),
        )
        self.assertEqual(langs, [("it_IT",)])

    def test_two_running_campaigns_with_script_and_contacts(self):
        campaigns = self._rows(
            """SELECT c.mode, c.state, c.script_html,
                      (SELECT count(*) FROM smartcall_campaign_contact cc
                        WHERE cc.campaign_id = c.id),
                      (SELECT count(*) FROM smartcall_campaign_operator_rel r
                        WHERE r.campaign_id = c.id)
                 FROM smartcall_campaign c
                 JOIN ir_model_data d ON d.model = 'smartcall.campaign' AND d.res_id = c.id
                WHERE d.name != 'campaign_demo_24h'
                ORDER BY c.mode"""
        )
        self.assertEqual(
            [(c[0], c[1]) for c in campaigns], [("automatic", "running"), ("manual", "running")]
        )
        for _mode, _state, script, contacts, operators in campaigns:
            self.assertIn("{{name}}", script)
            self.assertEqual(contacts, 150)
            self.assertEqual(operators, 5)

    def test_real_campaigns_keep_realistic_hours(self):
        """Issue 13 item 7: Monday to Saturday, closed on Sundays and Italian holidays."""
        rows = self._rows(
            """SELECT d.name, array_agg(DISTINCT a.dayofweek ORDER BY a.dayofweek),
                      min(a.hour_from), max(a.hour_to),
                      (SELECT count(*) FROM resource_calendar_leaves l
                        WHERE l.calendar_id = cal.id AND to_char(l.date_from, 'MM-DD') IN
                              ('04-24', '08-14'))
                 FROM smartcall_campaign c
                 JOIN ir_model_data d ON d.model = 'smartcall.campaign' AND d.res_id = c.id
                 JOIN resource_calendar cal ON cal.id = c.resource_calendar_id
                 JOIN resource_calendar_attendance a ON a.calendar_id = cal.id
                WHERE d.name IN ('campaign_fibra_puglia', 'campaign_ufficio_connesso')
                GROUP BY d.name, cal.id ORDER BY d.name"""
        )
        self.assertEqual(len(rows), 2)
        for _name, days, hour_from, hour_to, holidays in rows:
            self.assertEqual(days, ["0", "1", "2", "3", "4", "5"])
            self.assertEqual(hour_from, 9.0)
            self.assertIn(hour_to, (20.0, 21.0))
            # 25 April and 15 August (their UTC start is the evening before), two years
            self.assertGreaterEqual(holidays, 2)

    def test_demo_campaign_open_around_the_clock(self):
        rows = self._rows(
            """SELECT c.name, c.state, count(DISTINCT a.dayofweek), min(a.hour_from),
                      max(a.hour_to),
                      (SELECT count(*) FROM resource_calendar_leaves l
                        WHERE l.calendar_id = c.resource_calendar_id),
                      (SELECT count(*) FROM smartcall_campaign_contact cc
                        WHERE cc.campaign_id = c.id)
                 FROM smartcall_campaign c
                 JOIN ir_model_data d ON d.model = 'smartcall.campaign' AND d.res_id = c.id
                 JOIN resource_calendar_attendance a
                   ON a.calendar_id = c.resource_calendar_id
                WHERE d.name = 'campaign_demo_24h'
                GROUP BY c.id"""
        )
        self.assertEqual(len(rows), 1)
        name, state, days, hour_from, hour_to, leaves, contacts = rows[0]
        self.assertIn("24", name["it_IT"] if isinstance(name, dict) else name)
        self.assertEqual((state, days, hour_from, hour_to, leaves), ("running", 7, 0.0, 24.0, 0))
        self.assertEqual(contacts, 30)

    def test_operators_land_on_the_console(self):
        rows = self._rows(
            """SELECT u.login FROM res_users u
                 JOIN ir_model_data d ON d.model = 'ir.actions.client' AND d.res_id = u.action_id
                WHERE d.module = 'smartcall_campaign' AND d.name = 'action_operator_console'
                ORDER BY u.login"""
        )
        self.assertEqual([login for (login,) in rows], [f"operatore{i}" for i in range(1, 6)])

    def test_italian_company_sells_in_euro(self):
        company = self._rows(
            """SELECT c.code, cur.name FROM res_company co
                 JOIN res_partner p ON p.id = co.partner_id
                 JOIN res_country c ON c.id = p.country_id
                 JOIN res_currency cur ON cur.id = co.currency_id
                WHERE co.id = 1"""
        )
        self.assertEqual(company, [("IT", "EUR")])
        currencies = self._rows(
            """SELECT DISTINCT cur.name FROM sale_order so
                 JOIN res_currency cur ON cur.id = so.currency_id
                WHERE so.smartcall_protocol IS NOT NULL"""
        )
        self.assertEqual(currencies, [("EUR",)], "the demo's on-line sales are in euro")
        untaxed = self._rows(
            """SELECT so.name FROM sale_order so
                WHERE so.smartcall_protocol IS NOT NULL AND so.amount_tax <= 0"""
        )
        self.assertFalse(untaxed, "the demo's contracts carry the Italian VAT")
        chart = self._rows(
            "SELECT state FROM ir_module_module WHERE name = 'l10n_it'",
        )
        self.assertEqual(chart, [("installed",)], "the Italian chart of accounts")

    def test_full_outcome_catalog(self):
        codes = {code for (code,) in self._rows("SELECT code FROM smartcall_outcome")}
        seeds = (
            "SALEA A B N DC FAX NOCOP NOPIVA CPOC GCLT DNC NI RIFC NOCOMP CBPROS CALLBK ENTPUB"
            " NOTAR"
        )
        self.assertLessEqual(set(seeds.split()), codes)
