# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import SmartcallAgendaCommon


@tagged("post_install", "-at_install")
class TestFieldAgent(SmartcallAgendaCommon):
    """The field agent's side: only their own appointments and customers; the outcome dialog
    (state, characteristics, reschedule date)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reason = cls.env["smartcall.appointment.characteristic"].create({"name": "Motivo"})
        cls.ko_reschedule = cls.env["smartcall.appointment.state"].create(
            {
                "name": "KO rifissa",
                "is_ko": True,
                "is_reschedule": True,
                "mandatory_characteristic_ids": [(6, 0, cls.reason.ids)],
            }
        )
        cls.customer_1 = cls.env["res.partner"].create({"name": "Cliente Agente 1"})
        cls.customer_2 = cls.env["res.partner"].create({"name": "Cliente Agente 2"})
        cls.mine = cls.Event._create_appointment(
            {
                "name": "Mine",
                "agent_id": cls.agent_1.id,
                "customer_id": cls.customer_1.id,
                "start": cls._utc("2026-03-11 09:00"),
                "location": "Via Roma 1, 71036 Lucera",
                "booking_state": "booked",
            }
        )
        cls.theirs = cls.Event._create_appointment(
            {
                "name": "Theirs",
                "agent_id": cls.agent_2.id,
                "customer_id": cls.customer_2.id,
                "start": cls._utc("2026-03-11 09:00"),
                "booking_state": "booked",
            }
        )

    def test_agent_sees_only_own_appointments(self):
        events = self.Event.with_user(self.agent_1).search([("agent_id", "!=", False)])
        self.assertEqual(events, self.mine)
        with self.assertRaises(AccessError):
            self.theirs.with_user(self.agent_1).read(["name"])

    def test_agent_sees_only_own_customers(self):
        Partner = self.env["res.partner"].with_user(self.agent_1)
        self.assertEqual(
            Partner.search([("id", "in", (self.customer_1 | self.customer_2).ids)]),
            self.customer_1,
        )
        with self.assertRaises(AccessError):
            self.customer_2.with_user(self.agent_1).read(["name"])

    def test_agent_cannot_write_a_colleagues_appointment(self):
        with self.assertRaises(AccessError):
            self.theirs.with_user(self.agent_1).write({"agent_note": "x"})

    def test_operator_still_sees_every_appointment(self):
        events = self.Event.with_user(self.operator_1).search([("agent_id", "!=", False)])
        self.assertEqual(events, self.mine | self.theirs)

    def test_map_link_of_the_address(self):
        self.assertEqual(
            self.mine.map_url,
            "https://www.google.com/maps/search/?api=1&query=Via+Roma+1%2C+71036+Lucera",
        )

    def test_outcome_dialog_sets_state_characteristics_and_reschedule_date(self):
        action = self.mine.with_user(self.agent_1).action_open_outcome()
        wizard = Form(
            self.env[action["res_model"]].with_user(self.agent_1).with_context(**action["context"])
        )
        wizard.bo_state_id = self.ko_reschedule
        self.assertEqual(len(wizard.line_ids), 1)
        with wizard.line_ids.edit(0) as line:
            line.value = "Cliente assente"
        wizard.reschedule_date = self._utc("2026-03-13 15:00")
        wizard.save().action_confirm()
        self.assertEqual(self.mine.bo_state_id, self.ko_reschedule)
        self.assertEqual(self.mine.reschedule_date, self._utc("2026-03-13 15:00"))
        self.assertEqual(self.mine.answer_ids.value, "Cliente assente")

    def test_outcome_dialog_refuses_a_missing_mandatory_characteristic(self):
        wizard = (
            self.env["smartcall.appointment.outcome"]
            .with_user(self.agent_1)
            .create(
                {
                    "event_id": self.mine.id,
                    "bo_state_id": self.ko_reschedule.id,
                    "reschedule_date": self._utc("2026-03-13 15:00"),
                }
            )
        )
        with self.assertRaisesRegex(UserError, "needs these characteristics: Motivo"):
            wizard.action_confirm()
