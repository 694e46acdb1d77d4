# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

import pytz

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools.translate import code_translations

from odoo.addons.smartcall_campaign.tests.common import always_open, new_tour_operator


@tagged("post_install", "-at_install")
class TestOutcomeTour(HttpCase):
    """Browser tour of the outcome page (issue 4): CALLBK private for tomorrow, then SALEA
    (refused: no appointment registered, notes kept), then NI after a Pause pressed during that call
    (seed 003, 2): the console ends paused, the third contact still queued."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator = new_tour_operator(cls.env, "sc_tour_outcomes")
        italy = cls.env.ref("base.it")
        cls.campaign = cls.env["smartcall.campaign"].create(
            {
                "name": "Tour Outcomes",
                "mode": "automatic",
                "state": "running",
                **always_open(cls.env),
                "operator_ids": [(6, 0, cls.operator.ids)],
                "script_html": "<p>Buongiorno {{name}}</p>",
            }
        )
        partners = cls.env["res.partner"].create(
            [
                {
                    "name": name,
                    "is_company": True,
                    "country_id": italy.id,
                    "city": "Lucera",
                    "phone": phone,
                }
                for name, phone in (
                    ("Tour Alfa Srl", "0881 542001"),
                    ("Tour Beta Snc", "0881 542002"),
                    ("Tour Gamma Sas", "0881 542003"),
                )
            ]
        )
        Contact = cls.env["smartcall.campaign.contact"]
        cls.alfa = Contact.create(
            {
                "campaign_id": cls.campaign.id,
                "partner_id": partners[0].id,
                "state": "queued",
            }
        )
        cls.beta = Contact.create(
            {
                "campaign_id": cls.campaign.id,
                "partner_id": partners[1].id,
                "state": "queued",
            }
        )
        cls.gamma = Contact.create(
            {
                "campaign_id": cls.campaign.id,
                "partner_id": partners[2].id,
                "state": "queued",
            }
        )
        # Alfa was called yesterday: the script screen shows that call's note
        yesterday = fields.Datetime.now() - timedelta(days=1)
        cls.alfa_yesterday = cls.env["smartcall.call"].create(
            {
                "contact_id": cls.alfa.id,
                "user_id": cls.operator.id,
                "number": "+390881542001",
                "state": "done",
                "started_at": yesterday,
                "ended_at": yesterday,
                "outcome_id": cls.env.ref("smartcall_outcomes.outcome_a").id,
                "notes": "Segreteria: richiamare dopo le 10",
            }
        )

    def test_outcome_page_labels_read_as_taught(self):
        """Seed 003, 3: TORNA ALL'ANAGRAFICA opens the customer, INGRANDISCI comes back."""
        messages = {
            message["id"]: message["string"]
            for message in code_translations.get_web_translations("smartcall_outcomes", "it_IT")[
                "messages"
            ]
        }
        self.assertEqual(messages["Back to customer"], "TORNA ALL'ANAGRAFICA")
        self.assertEqual(messages["ENLARGE"], "INGRANDISCI")

    def test_outcome_page_tour(self):
        self.start_tour(
            "/odoo/smartcall_operator_console",
            "smartcall_outcome_page_tour",
            login="sc_tour_outcomes",
        )
        # CALLBK private for tomorrow: stored, private, owned by the operator
        self.assertEqual(self.alfa.state, "callback")
        self.assertEqual(self.alfa.callback_owner_id, self.operator)
        self.assertTrue(self.alfa.is_private_callback)
        self.assertEqual(self.alfa.callback_note, "Ask for Mr Alfa")
        rome = pytz.timezone("Europe/Rome")
        local = pytz.utc.localize(self.alfa.next_call_at).astimezone(rome)
        today = pytz.utc.localize(fields.Datetime.now()).astimezone(rome).date()
        self.assertEqual(local.date(), today + timedelta(days=1))
        self.assertEqual((local.hour, local.minute), (10, 30))
        alfa_call = self.env["smartcall.call"].search(
            [("contact_id", "=", self.alfa.id), ("id", "!=", self.alfa_yesterday.id)]
        )
        self.assertEqual(alfa_call.outcome_id.code, "CALLBK")
        self.assertEqual(alfa_call.notes, "Owner busy, call back tomorrow morning")
        self.assertTrue(alfa_call.is_private_callback)
        # SALEA refused (no appointment registered), then NI with the notes typed before the refusal
        self.assertEqual(self.beta.last_outcome_id.code, "NI")
        beta_calls = self.env["smartcall.call"].search([("contact_id", "=", self.beta.id)])
        self.assertEqual(beta_calls.outcome_id.mapped("code"), ["NI"])
        self.assertEqual(beta_calls.notes, "Appointment agreed for Thursday")
        # Pause pressed during Beta's call: paused after its outcome, Gamma not proposed
        session = self.env["smartcall.operator.session"].search(
            [("user_id", "=", self.operator.id), ("state", "!=", "closed")]
        )
        self.assertEqual(session.state, "paused")
        self.assertEqual(
            session.pause_reason_id, self.env.ref("smartcall_campaign.pause_reason_break")
        )
        self.assertFalse(session.pending_pause_reason_id)
        self.assertFalse(session.current_contact_id)
        self.assertEqual((self.gamma.state, self.gamma.operator_id.id), ("queued", False))
