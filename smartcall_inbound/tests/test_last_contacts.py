# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import SmartcallInboundCommon


@tagged("post_install", "-at_install")
class TestLastContacts(SmartcallInboundCommon):
    """Seed 002 "ultimi contatti telefonici": the last N inbound plus the last N outbound calls
    (N configurable, 2N rows), with campaign, operator and outcome; for an outbound campaign
    without calls, the contact's state there and who holds it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("smartcall_inbound.last_contacts_count", 2)
        now = fields.Datetime.now()
        cls.contact = cls.env["smartcall.campaign.contact"].create(
            {"campaign_id": cls.outbound.id, "partner_id": cls.rossi.id, "state": "queued"}
        )
        outcome_ni = cls.env["smartcall.outcome"].search([("code", "=", "NI")])
        Call = cls.env["smartcall.call"]
        cls.inbound_calls = Call.create(
            [
                {
                    "direction": "in",
                    "state": "done",
                    "partner_id": partner.id,
                    "campaign_id": cls.inbound.id,
                    "user_id": cls.operator_1.id,
                    "inbound_state_id": cls.state_ok.id,
                    "started_at": now - timedelta(days=days),
                }
                # the contact person's calls count for the company's history too
                for days, partner in ((1, cls.rossi), (2, cls.mario), (3, cls.rossi))
            ]
        )
        cls.outbound_calls = Call.create(
            [
                {
                    "direction": "out",
                    "state": "done",
                    "partner_id": cls.rossi.id,
                    "contact_id": cls.contact.id,
                    "campaign_id": cls.outbound.id,
                    "user_id": cls.operator_2.id,
                    "outcome_id": outcome_ni.id,
                    "started_at": now - timedelta(days=days),
                }
                for days in (4, 5, 6)
            ]
        )
        Call.create(  # another customer's call never shows
            {
                "direction": "in",
                "state": "done",
                "partner_id": cls.bianchi.id,
                "started_at": now - timedelta(hours=1),
            }
        )

    def test_last_n_inbound_and_n_outbound(self):
        call = self._ring(self.operator_1, "0212345678")
        rows = call._smartcall_inbound_last_contacts()
        self.assertEqual([r["call_id"] for r in rows["inbound"]], self.inbound_calls[:2].ids)
        self.assertEqual([r["call_id"] for r in rows["outbound"]], self.outbound_calls[:2].ids)
        self.assertEqual(rows["inbound"][0]["campaign"], "Inbound Sales")
        self.assertEqual(rows["inbound"][0]["operator"], self.operator_1.name)
        self.assertEqual(rows["inbound"][0]["outcome"], "OK")
        self.assertEqual(rows["outbound"][0]["campaign"], "Outbound Fibre")
        self.assertEqual(rows["outbound"][0]["operator"], self.operator_2.name)
        self.assertIn("NI", rows["outbound"][0]["outcome"])
        self.assertEqual(rows["pending"], [])

    def test_n_is_configurable(self):
        self.env["ir.config_parameter"].sudo().set_param("smartcall_inbound.last_contacts_count", 3)
        rows = self._ring(self.operator_1, "0212345678")._smartcall_inbound_last_contacts()
        self.assertEqual(len(rows["inbound"]), 3)
        self.assertEqual(len(rows["outbound"]), 3)

    def test_outbound_campaign_without_calls_shows_state_and_holder(self):
        other = self.env["smartcall.campaign"].create({"name": "Outbound Energy"})
        self.env["smartcall.campaign.contact"].create(
            {
                "campaign_id": other.id,
                "partner_id": self.rossi.id,
                "state": "in_call",
                "operator_id": self.operator_2.id,
            }
        )
        rows = self._ring(self.operator_1, "0212345678")._smartcall_inbound_last_contacts()
        self.assertEqual(
            rows["pending"],
            [
                {
                    "contact_id": rows["pending"][0]["contact_id"],
                    "campaign": "Outbound Energy",
                    "state": "In Call",
                    "holder": self.operator_2.name,
                }
            ],
        )

    def test_form_shows_the_rows_to_the_operator(self):
        call = self._ring(self.operator_1, "0212345678")
        html = str(call.with_user(self.operator_1).inbound_last_contacts_html)
        self.assertEqual(html.count("o_smartcall_last_inbound"), 2)
        self.assertEqual(html.count("o_smartcall_last_outbound"), 2)
        self.assertIn("Outbound Fibre", html)
        self.assertIn(self.operator_2.name, html)

    def test_unknown_caller_has_no_last_contacts(self):
        call = self._ring(self.operator_1, "+39 0881 999999")
        self.assertEqual(
            call._smartcall_inbound_last_contacts(), {"inbound": [], "outbound": [], "pending": []}
        )
