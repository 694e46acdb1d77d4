# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SmartcallAgendaCommon


@tagged("post_install", "-at_install")
class TestAppointmentBooking(SmartcallAgendaCommon):
    """Seed 003, 4.2 (Register appointment during the call, then SALEA) and seed 001 (STOP /
    CHIUDI saves no appointment): the slot is held for the call and booked by CONFERMA ESITO."""

    def _held(self, contact):
        return self.Event.search(
            [("campaign_contact_id", "=", contact.id), ("booking_state", "=", "held")]
        )

    def test_console_offers_the_agenda(self):
        contact = self._make_contact("Bar Centrale")
        state = self._hold(self.operator_1, contact)
        self.assertTrue(state["features"]["agenda"])
        action = self._console(self.operator_1).register_appointment(contact.id)
        self.assertEqual(action["tag"], "smartcall_agenda.appointment_form")
        self.assertEqual(action["params"], {"contact_id": contact.id})

    def test_form_prefills_the_customer_and_lists_the_agents_of_the_area(self):
        contact = self._make_contact("Bar Centrale")
        self._hold(self.operator_1, contact)
        form = self._console(self.operator_1).get_appointment_form(contact.id)
        self.assertEqual(form["customer"]["street"], "Via Roma 1")
        self.assertEqual(form["customer"]["city"], "Lucera")
        self.assertEqual(form["customer"]["province"], "FG")
        self.assertEqual(
            [a["name"] for a in form["agents"]], ["Agente 1", "Agente 2"], "not the Bari agent"
        )
        self.assertIsNone(form["held"])

    def test_register_holds_the_slot_for_the_operator(self):
        contact = self._make_contact("Bar Centrale")
        self._hold(self.operator_1, contact)
        result = self._book(self.operator_1, contact)
        self.assertEqual(result["message"], "Appointment registered successfully")
        event = self._held(contact)
        self.assertEqual(len(event), 1)
        self.assertEqual(event.agent_id, self.agent_1)
        self.assertEqual(event.customer_id, contact.partner_id)
        self.assertEqual(event.booking_operator_id, self.operator_1)
        self.assertEqual(event.start, self._utc("2026-03-11 09:00"))
        self.assertEqual(event.location, "Via Roma 1, 71036 Lucera, (FG)")
        self.assertEqual(event.agent_note, "Parlato con il titolare")
        self.assertEqual(event.channel, "Smartcall")
        self.assertEqual(event.call_id, contact._get_open_call(self.operator_1))
        self.assertEqual(event.partner_ids, self.agent_1.partner_id, "customer gets no invite")
        # the slot is taken for everybody: a colleague's agenda no longer offers it
        agenda = self._console(self.operator_2).get_agent_agenda
        other = self._make_contact("Ferramenta Rossi")
        self._hold(self.operator_2, other)
        slots = {s["time"]: s for s in agenda(other.id, self.agent_1.id, "2026-03-11")["slots"]}
        self.assertFalse(slots["09:00"]["free"])
        self.assertFalse(slots["09:30"]["free"])
        self.assertTrue(slots["10:00"]["free"])

    def test_register_notifies_every_operators_agenda(self):
        """The bus message goes to the Operator group's channel, which every operator's
        websocket listens to; it is written at commit (pending until then)."""
        contact = self._make_contact("Bar Centrale")
        self._hold(self.operator_1, contact)
        self._book(self.operator_1, contact)
        group = self.env.ref("smartcall_campaign.group_operator")
        pending = self.env.cr.precommit.data.get("bus.bus.values", [])
        self.assertIn(
            {
                "channel": json.dumps([self.env.cr.dbname, "res.groups", group.id]).replace(
                    " ", ""
                ),
                "message": json.dumps(
                    {"type": "smartcall_agenda/slots", "payload": {"agent_ids": [self.agent_1.id]}}
                ).replace(" ", ""),
            },
            pending,
        )

    def test_registering_again_replaces_the_held_appointment(self):
        contact = self._make_contact("Bar Centrale")
        self._hold(self.operator_1, contact)
        self._book(self.operator_1, contact, time="09:00")
        self._book(self.operator_1, contact, time="09:30")
        self.assertEqual(self._held(contact).start, self._utc("2026-03-11 09:30"))

    def test_salea_confirms_the_held_appointment(self):
        contact = self._make_contact("Bar Centrale")
        self._hold(self.operator_1, contact)
        self._book(self.operator_1, contact)
        event = self._held(contact)
        self._confirm(self.operator_1, contact, "SALEA", notes="Appuntamento fissato")
        self.assertEqual(event.booking_state, "booked")
        self.assertEqual(event.call_id.outcome_id.code, "SALEA")
        self.assertEqual(contact.state, "done")
        self.assertEqual(
            event.bo_state_id, self.env.ref("smartcall_agenda.appointment_state_booked")
        )

    def test_salea_without_registered_appointment_is_refused_naming_what_is_missing(self):
        contact = self._make_contact("Bar Centrale")
        self._hold(self.operator_1, contact)
        with self.assertRaisesRegex(
            UserError, "Bar Centrale has no registered appointment.*Register appointment"
        ):
            self._confirm(self.operator_1, contact, "SALEA")
        self.assertEqual(contact.state, "in_call", "nothing saved")

    def test_salea_with_a_colleagues_appointment_is_refused(self):
        """The appointment held by another operator for the same customer does not count."""
        contact = self._make_contact("Bar Centrale")
        self._hold(self.operator_1, contact)
        self._make_appointment(
            self.agent_1,
            "2026-03-11 15:00",
            campaign_contact_id=contact.id,
            booking_operator_id=self.operator_2.id,
            booking_state="held",
        )
        with self.assertRaisesRegex(UserError, "no registered appointment"):
            self._confirm(self.operator_1, contact, "SALEA")

    def test_stop_releases_the_held_slot(self):
        contact = self._make_contact("Bar Centrale")
        self._hold(self.operator_1, contact)
        self._book(self.operator_1, contact)
        self._console(self.operator_1).stop(contact.id)
        self.assertFalse(self._held(contact))
        self.assertFalse(self.Event.search([("campaign_contact_id", "=", contact.id)]))
        self.assertIn(
            self._utc("2026-03-11 09:00"),
            self.Event._get_agent_free_slots(
                self.agent_1, candidates=[self._utc("2026-03-11 09:00")]
            ),
        )

    def test_other_outcome_releases_the_held_slot(self):
        contact = self._make_contact("Bar Centrale")
        self._hold(self.operator_1, contact)
        self._book(self.operator_1, contact)
        self._confirm(self.operator_1, contact, "NI")
        self.assertFalse(self.Event.search([("campaign_contact_id", "=", contact.id)]))

    def test_stale_claim_cron_releases_the_held_slot(self):
        contact = self._make_contact("Bar Centrale")
        self._hold(self.operator_1, contact)
        self._book(self.operator_1, contact)
        with freeze_time(self._utc("2026-03-10 11:00") + timedelta(hours=1)):
            self.env["smartcall.campaign.contact"]._cron_release_stale_claims()
        self.assertEqual(contact.state, "queued")
        self.assertFalse(self._held(contact))

    def test_logout_releases_the_held_slot(self):
        contact = self._make_contact("Bar Centrale")
        self._hold(self.operator_1, contact)
        self._book(self.operator_1, contact)
        self._console(self.operator_1).logout()
        self.assertFalse(self._held(contact))

    def test_booking_a_taken_slot_is_refused_with_the_reason(self):
        self._make_appointment(self.agent_1, "2026-03-11 09:00")
        contact = self._make_contact("Bar Centrale")
        self._hold(self.operator_1, contact)
        with self.assertRaisesRegex(Exception, "Agente 1 already has an appointment less than 60"):
            self._book(self.operator_1, contact, time="09:30")
        self.assertFalse(self._held(contact))

    def test_booking_in_the_past_is_refused(self):
        contact = self._make_contact("Bar Centrale")
        self._hold(self.operator_1, contact)
        with self.assertRaisesRegex(UserError, "already past"):
            self._book(self.operator_1, contact, date="2026-03-10", time="09:00")

    def test_booking_an_agent_of_another_area_is_refused(self):
        contact = self._make_contact("Bar Centrale")
        self._hold(self.operator_1, contact)
        with self.assertRaisesRegex(UserError, "field agents serving"):
            self._book(self.operator_1, contact, agent=self.agent_bari)

    def test_booking_without_address_is_refused(self):
        contact = self._make_contact("Bar Centrale")
        self._hold(self.operator_1, contact)
        with self.assertRaisesRegex(UserError, "address"):
            self._book(self.operator_1, contact, street="  ")

    def test_booking_a_contact_not_held_is_refused(self):
        contact = self._make_contact("Bar Centrale")
        with self.assertRaisesRegex(UserError, "not holding"):
            self._book(self.operator_1, contact)

    def test_booking_from_a_private_callback(self):
        """Seed 003, 5 "Come registrare un appuntamento da un richiamo privato"."""
        contact = self._make_contact("Bar Centrale")
        self._hold(self.operator_1, contact)
        self._confirm(
            self.operator_1,
            contact,
            "CALLBK",
            callback={"private": True, "date": "2026-03-10", "time": "16:00", "note": "app"},
        )
        console = self._console(self.operator_1)
        self.assertEqual(console.list_my_callbacks()[0]["contact_id"], contact.id)
        console.call_callback(contact.id)
        console.hangup(contact.id)
        self._book(self.operator_1, contact)
        self._confirm(self.operator_1, contact, "SALEA")
        event = self.Event.search([("campaign_contact_id", "=", contact.id)])
        self.assertEqual(event.booking_state, "booked")

    def test_booking_from_the_manual_call_list(self):
        """Seed 003, 5 "Come effettuare una chiamata in manuale"."""
        contact = self._make_contact("Bar Centrale", campaign=self.manual_campaign)
        self._hold(self.operator_1, contact)
        self._book(self.operator_1, contact)
        self._confirm(self.operator_1, contact, "SALEA")
        event = self.Event.search([("campaign_contact_id", "=", contact.id)])
        self.assertEqual(event.booking_state, "booked")
        self.assertEqual(event.campaign_id, self.manual_campaign)

    def test_compose_note_follows_the_standard_note(self):
        note = self._console(self.operator_1).compose_agent_note(
            {
                "note_owner_name": "Mario Rossi",
                "note_offer": "pacchetto business 29 EUR",
                "note_current_carrier": "TIM",
                "note_line_count": 2,
                "note_monthly_spend": "80 EUR",
                "note_invoice_requested": True,
                "note_address_confirmed": True,
                "note_company_confirmed": True,
                "note_landmark": "accanto alla farmacia",
                "note_agent_name_given": True,
                "note_coverage": "FTTC 200",
            }
        )
        self.assertEqual(
            note,
            "Spoke with the owner, Mario Rossi, and proposed pacchetto business 29 EUR. "
            "Currently a customer of TIM with 2 lines, spending 80 EUR a month. "
            "Invoice requested. Address confirmed. Company name confirmed. "
            "Landmark: accanto alla farmacia. Our agent's name was given to the customer. "
            "Coverage: FTTC 200.",
        )

    def test_structured_note_fields_are_stored(self):
        contact = self._make_contact("Bar Centrale")
        self._hold(self.operator_1, contact)
        self._book(
            self.operator_1,
            contact,
            note_values={"note_current_carrier": "TIM", "note_line_count": "3", "bogus": 1},
        )
        event = self._held(contact)
        self.assertEqual(event.note_current_carrier, "TIM")
        self.assertEqual(event.note_line_count, 3)
