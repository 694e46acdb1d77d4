# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from .common import always_open, new_tour_operator


@tagged("post_install", "-at_install")
class TestConsoleTour(HttpCase):
    """Browser tour of the operator console (issue 3): as an operator, Start, Pause with a reason,
    Start, get a contact, see the script, hang up."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator = new_tour_operator(cls.env, "sc_tour_operator")
        italy = cls.env.ref("base.it")
        province = cls.env["res.country.state"].search(
            [("country_id", "=", italy.id), ("code", "=", "FG")], limit=1
        )
        common = {
            "state": "running",
            **always_open(cls.env),
            "operator_ids": [(6, 0, cls.operator.ids)],
            "script_html": "<p>Buongiorno {{name}} di {{city}}, sono {{operator}}.</p>",
        }
        Campaign = cls.env["smartcall.campaign"]
        cls.auto = Campaign.create(dict(common, name="Tour Auto", mode="automatic"))
        cls.manual = Campaign.create(dict(common, name="Tour Manual", mode="manual"))
        partners = cls.env["res.partner"].create(
            [
                {
                    "name": name,
                    "is_company": True,
                    "country_id": italy.id,
                    "street": "Via Roma 1",
                    "city": "Lucera",
                    "zip": "71036",
                    "state_id": province.id,
                    "phone": phone,
                }
                for name, phone in (
                    ("Tour Alfa Srl", "0881 541001"),
                    ("Tour Delta Sas", "0881 541002"),
                )
            ]
        )
        Contact = cls.env["smartcall.campaign.contact"]
        cls.auto_contact = Contact.create(
            {"campaign_id": cls.auto.id, "partner_id": partners[0].id, "state": "queued"}
        )
        Contact.create(
            {"campaign_id": cls.manual.id, "partner_id": partners[1].id, "state": "queued"}
        )
        cls.env["smartcall.coverage"].create(
            {
                "municipality": "Lucera",
                "province_id": province.id,
                "technology": "ftth",
                "max_speed_mbps": 1000,
            }
        )
        # Verifica Copertura at an address the operator types: this street has its own data
        cls.env["smartcall.coverage"].create(
            {
                "municipality": "Lucera",
                "province_id": province.id,
                "street": "Piazza Duomo",
                "technology": "fwa",
                "max_speed_mbps": 300,
                "note": "Tour street row",
            }
        )

    def test_operator_console_tour(self):
        self.start_tour(
            "/odoo/smartcall_operator_console",
            "smartcall_operator_console_tour",
            login="sc_tour_operator",
        )
        session = self.env["smartcall.operator.session"].search(
            [("user_id", "=", self.operator.id), ("state", "!=", "closed")]
        )
        self.assertEqual(session.state, "wrap_up")
        self.assertEqual(session.campaign_id, self.auto)
        self.assertEqual(session.current_contact_id, self.auto_contact)
        self.assertEqual(self.auto_contact.operator_id, self.operator)
        paused = session.interval_ids.filtered(lambda i: i.state == "paused" and i.pause_reason_id)
        self.assertEqual(
            paused.pause_reason_id, self.env.ref("smartcall_campaign.pause_reason_training")
        )
