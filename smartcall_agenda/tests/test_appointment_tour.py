# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.smartcall_campaign.tests.common import always_open, new_tour_operator


@tagged("post_install", "-at_install")
class TestAppointmentTour(HttpCase):
    """Browser tour of seed 003, 4.2: Register appointment during the call, then SALEA."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator = new_tour_operator(cls.env, "sc_tour_agenda")
        italy = cls.env.ref("base.it")
        foggia = cls.env["res.country.state"].search(
            [("country_id", "=", italy.id), ("code", "=", "FG")]
        )
        cls.agent = new_test_user(
            cls.env,
            "sc_tour_agenda_agent",
            name="Agente Tour",
            tz="Europe/Rome",
            groups="smartcall_campaign.group_field_agent",
        )
        cls.agent.smartcall_agent_province_ids = foggia
        campaign = cls.env["smartcall.campaign"].create(
            {
                "name": "Tour Agenda",
                "mode": "automatic",
                "state": "running",
                **always_open(cls.env),
                "operator_ids": [(6, 0, cls.operator.ids)],
                "script_html": "<p>Buongiorno {{name}}</p>",
            }
        )
        partner = cls.env["res.partner"].create(
            {
                "name": "Tour Agenda Srl",
                "is_company": True,
                "country_id": italy.id,
                "state_id": foggia.id,
                "street": "Via Roma 1",
                "zip": "71036",
                "city": "Lucera",
                "phone": "0881 543001",
            }
        )
        cls.contact = cls.env["smartcall.campaign.contact"].create(
            {"campaign_id": campaign.id, "partner_id": partner.id, "state": "queued"}
        )

    def test_register_appointment_then_salea(self):
        self.start_tour(
            "/odoo/smartcall_operator_console",
            "smartcall_agenda_appointment_tour",
            login="sc_tour_agenda",
        )
        event = self.env["calendar.event"].search([("campaign_contact_id", "=", self.contact.id)])
        self.assertEqual(len(event), 1)
        self.assertEqual(event.booking_state, "booked")
        self.assertEqual(event.agent_id, self.agent)
        self.assertEqual(event.booking_operator_id, self.operator)
        self.assertEqual(event.agent_note, "Parlato con il titolare, fattura richiesta")
        self.assertEqual(event.location, "Via Roma 1, 71036 Lucera, (FG)")
        self.assertEqual(event.call_id.outcome_id.code, "SALEA")
        self.assertEqual(self.contact.state, "done")
