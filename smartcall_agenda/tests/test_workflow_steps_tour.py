# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.smartcall_campaign.tests.common import always_open, new_tour_operator


@tagged("post_install", "-at_install")
class TestWorkflowStepsTour(HttpCase):
    """Browser tours of the campaign's workflow (seed 001): the step bar, F8 / F9, and a
    campaign without the Agenda step."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator = new_tour_operator(cls.env, "sc_tour_workflow")
        italy = cls.env.ref("base.it")
        foggia = cls.env["res.country.state"].search(
            [("country_id", "=", italy.id), ("code", "=", "FG")]
        )
        agent = new_test_user(
            cls.env,
            "sc_tour_workflow_agent",
            name="Agente Workflow",
            tz="Europe/Rome",
            groups="smartcall_campaign.group_field_agent",
        )
        agent.smartcall_agent_province_ids = foggia
        cls.product = cls.env["product.product"].create(
            {"name": "Fibra Tour", "list_price": 29.90, "sale_ok": True}
        )
        Campaign = cls.env["smartcall.campaign"]
        values = {
            "mode": "automatic",
            "state": "running",
            **always_open(cls.env),
            "operator_ids": [(6, 0, cls.operator.ids)],
            "script_html": "<p>Buongiorno {{name}}</p>",
        }
        cls.full = Campaign.create(dict(values, name="Tour Workflow"))
        cls.no_agenda = Campaign.create(
            dict(
                values,
                name="Tour Senza Agenda",
                workflow_step_ids=[
                    Command.create({"step": "script", "sequence": 1}),
                    Command.create({"step": "cart", "sequence": 2}),
                    Command.create({"step": "outcome", "sequence": 3}),
                ],
            )
        )

    def _contact(self, campaign, name, phone):
        partner = self.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "country_id": self.env.ref("base.it").id,
                "state_id": self.env["res.country.state"]
                .search([("country_id.code", "=", "IT"), ("code", "=", "FG")])
                .id,
                "street": "Via Roma 2",
                "zip": "71036",
                "city": "Lucera",
                "phone": phone,
            }
        )
        return self.env["smartcall.campaign.contact"].create(
            {"campaign_id": campaign.id, "partner_id": partner.id, "state": "queued"}
        )

    def test_step_bar_and_keyboard(self):
        self.no_agenda.operator_ids = False
        contact = self._contact(self.full, "Tour Workflow Srl", "0881 543101")
        self.start_tour(
            "/odoo/smartcall_operator_console",
            "smartcall_workflow_steps_tour",
            login="sc_tour_workflow",
        )
        call = contact.call_ids
        self.assertEqual(call.outcome_id.code, "VEND")
        self.assertEqual(
            call.sale_order_id.order_line.product_id,
            self.product,
            "the cart filled on the Cart step became the contract",
        )
        self.assertFalse(
            self.env["calendar.event"].search([("campaign_contact_id", "=", contact.id)])
        )

    def test_campaign_without_agenda_step(self):
        self.full.operator_ids = False
        contact = self._contact(self.no_agenda, "Tour Senza Agenda Srl", "0881 543102")
        self.start_tour(
            "/odoo/smartcall_operator_console",
            "smartcall_workflow_no_agenda_tour",
            login="sc_tour_workflow",
        )
        self.assertEqual(contact.call_ids.outcome_id.code, "NI")
