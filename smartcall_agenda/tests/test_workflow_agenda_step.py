# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SmartcallAgendaCommon


@tagged("post_install", "-at_install")
class TestWorkflowAgendaStep(SmartcallAgendaCommon):
    """Seed 001 (WORKFLOW della campagna) and seed 004 ("Step Agenda"): a campaign whose
    workflow has no Agenda step books no appointment, whatever the client sends."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.no_agenda = cls.campaign.copy({"name": "No agenda", "registro_checked_on": False})
        cls.no_agenda.write(
            {
                "registro_checked_on": cls.campaign.registro_checked_on,
                "operator_ids": [(6, 0, cls.campaign.operator_ids.ids)],
            }
        )
        cls.no_agenda.workflow_step_ids.filtered(lambda s: s.step == "agenda").unlink()
        cls.no_agenda.action_start()

    def test_console_shows_no_agenda_step(self):
        contact = self._make_contact("Senza Agenda Srl", campaign=self.no_agenda)
        state = self._hold(self.operator_1, contact)
        keys = [step["key"] for step in state["contact"]["campaign"]["workflow"]]
        self.assertEqual(keys, ["script", "cart", "outcome"])

    def test_register_appointment_refused(self):
        contact = self._make_contact("Senza Agenda Srl", campaign=self.no_agenda)
        self._hold(self.operator_1, contact)
        with self.assertRaisesRegex(UserError, "has no Agenda step in its workflow"):
            self._console(self.operator_1).register_appointment(contact.id)
        with self.assertRaisesRegex(UserError, "has no Agenda step in its workflow"):
            self._console(self.operator_1).get_appointment_form(contact.id)

    def test_booking_refused_and_nothing_held(self):
        contact = self._make_contact("Senza Agenda Srl", campaign=self.no_agenda)
        self._hold(self.operator_1, contact)
        with self.assertRaisesRegex(UserError, "appointments cannot be booked in it"):
            self._book(self.operator_1, contact)
        self.assertFalse(self.Event.search([("campaign_contact_id", "=", contact.id)]))

    def test_salea_refused_with_a_clear_message(self):
        contact = self._make_contact("Senza Agenda Srl", campaign=self.no_agenda)
        self._hold(self.operator_1, contact)
        with self.assertRaisesRegex(UserError, "No agenda has no Agenda step"):
            self._confirm(self.operator_1, contact, "SALEA")
        self.assertEqual(contact.state, "in_call", "nothing saved: the contact is still held")

    def test_outcome_page_offers_no_appointment_outcome(self):
        contact = self._make_contact("Senza Agenda Srl", campaign=self.no_agenda)
        self._hold(self.operator_1, contact)
        page = self._console(self.operator_1).get_outcome_page(contact.id)
        types = {outcome["type"] for outcome in page["outcomes"]}
        self.assertNotIn("T", types)
        self.assertIn("C", types, "the Cart step is still there")

    def test_campaign_with_the_agenda_step_still_books(self):
        contact = self._make_contact("Con Agenda Srl")
        self._hold(self.operator_1, contact)
        self._book(self.operator_1, contact)
        self._confirm(self.operator_1, contact, "SALEA")
        event = self.Event.search([("campaign_contact_id", "=", contact.id)])
        self.assertEqual(event.booking_state, "booked")
