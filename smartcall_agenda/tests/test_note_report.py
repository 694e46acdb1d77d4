# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import SmartcallAgendaCommon

REPORT = "smartcall_agenda.report_note_model"


@tagged("post_install", "-at_install")
class TestNoteReport(SmartcallAgendaCommon):
    """Seed 003, 4.3 "SCARICA e STAMPA il modello note": the printable note for the agent of
    an appointment (customer, appointment, the structured fields, the note), and the blank
    model the console prints before the appointment exists."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact = cls._make_contact("Bar Centrale di Lucera")

    def _render(self, user, docids):
        html, kind = self.env["ir.actions.report"].with_user(user)._render_qweb_html(REPORT, docids)
        self.assertEqual(kind, "html")
        return html.decode() if isinstance(html, bytes) else str(html)

    @staticmethod
    def _row(html, label):
        """The text of the table row of `label` (the entities of the check boxes decoded)."""
        html = html.replace("&#9745;", "\u2611").replace("&#9744;", "\u2610")
        html = html.replace("&#39;", "'").replace("&#x27;", "'")
        match = re.search(re.escape(label) + r"\s*</th>(.*?)</tr>", html, re.DOTALL)
        return re.sub(r"<[^>]+>", " ", match.group(1)) if match else ""

    def _book_with_note(self, note="Parlato con il titolare, citofono 3"):
        self._hold(self.operator_1, self.contact)
        self._book(
            self.operator_1,
            self.contact,
            note=note,
            note_values={
                "note_owner_name": "Mario Rossi",
                "note_current_carrier": "Vodafone",
                "note_line_count": 3,
                "note_offer": "Fibra business 1 Gb",
                "note_invoice_requested": True,
                "note_address_confirmed": False,
                "note_coverage": "FTTH",
            },
        )
        return self.Event.search([("campaign_contact_id", "=", self.contact.id)])

    def test_the_console_button_points_to_this_report(self):
        report = self.env["ir.actions.report"]._get_report(REPORT)
        self.assertEqual(report.model, "calendar.event")
        self.assertEqual(report.binding_model_id.model, "calendar.event", "in the Print menu")

    def test_note_of_the_appointment_shows_customer_and_structured_answers(self):
        event = self._book_with_note()
        html = self._render(self.operator_1, event.ids)
        self.assertIn("Via Roma 1", event.location)
        for text in (
            "Bar Centrale di Lucera",
            event.location,
            "Agente 1",
            "11/03/2026 09:00",
            self.operator_1.name,
            "Mario Rossi",
            "Vodafone",
            "Fibra business 1 Gb",
            "FTTH",
            "Parlato con il titolare, citofono 3",
        ):
            self.assertIn(text, html)
        self.assertIn(self.contact.partner_id.phone, html)
        # each structured field on its row, with its answer
        self.assertIn("3", self._row(html, "Number of Lines"))
        self.assertIn("Mario Rossi", self._row(html, "Owner's Name"))
        self.assertIn("\u2611", self._row(html, "Invoice Requested"))
        self.assertIn("Yes", self._row(html, "Invoice Requested"))
        self.assertIn("\u2610", self._row(html, "Address Confirmed"))
        self.assertIn("No", self._row(html, "Address Confirmed"))
        self.assertNotIn("Standard note example", html)

    def test_without_a_written_note_the_standard_note_is_composed(self):
        event = self._book_with_note(note="")
        self.assertFalse(event.agent_note)
        html = self._render(self.operator_1, event.ids)
        self.assertIn("Spoke with the owner, Mario Rossi, and proposed Fibra business 1 Gb.", html)
        self.assertIn("Currently a customer of Vodafone with 3 lines.", html)

    def test_blank_model_before_the_appointment_exists(self):
        for docids in ([], [0]):
            html = self._render(self.operator_1, docids)
            self.assertIn("Note for the agent", html)
            self.assertEqual(self._row(html, "Owner's Name").strip(), "")
            self.assertIn("Standard note example", html)
            self.assertNotIn("Bar Centrale", html)

    def test_field_agent_prints_their_own_appointment_only(self):
        event = self._book_with_note()
        self.assertIn("Mario Rossi", self._render(self.agent_1, event.ids))
        with self.assertRaises(AccessError):
            self._render(self.agent_2, event.ids)
