# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import SmartcallAgendaCommon


@tagged("post_install", "-at_install")
class TestBackofficeAppointments(SmartcallAgendaCommon):
    """Seed 004, "Backoffice - Appuntamenti": the back office's list and calendar by state,
    where it gives an appointment to another field agent; only the back office (supervisors,
    managers) creates appointments outside the console, reassigns or deletes them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Bar Centrale", "state_id": cls.foggia.id}
        )
        cls.appointment = cls._appointment(cls.agent_1, "2026-03-11 09:00")
        # agent 2 is busy at 09:30, free at 12:00
        cls.busy = cls._appointment(cls.agent_2, "2026-03-11 09:30", name="Agent 2 busy")
        cls.menu = cls.env.ref("smartcall_agenda.menu_backoffice_appointments")
        cls.action = cls.env.ref("smartcall_agenda.smartcall_backoffice_appointment_action")

    @classmethod
    def _appointment(cls, agent, local_start, **values):
        return cls.env["calendar.event"]._create_appointment(
            {
                "name": "Appointment: Bar Centrale",
                "agent_id": agent.id,
                "customer_id": cls.customer.id,
                "booking_operator_id": cls.operator_1.id,
                "start": cls._utc(local_start),
                "booking_state": "booked",
                "bo_state_id": cls.env.ref("smartcall_agenda.appointment_state_booked").id,
                **values,
            }
        )

    def _new_values(self, local_start="2026-03-12 15:00"):
        return {
            "name": "Created here",
            "agent_id": self.agent_bari.id,
            "start": self._utc(local_start),
            "stop": self._utc(local_start.replace("15:00", "16:00")),
        }

    def _wizard(self, user, agent, event=None):
        return (
            self.env["smartcall.appointment.reassign"]
            .with_user(user)
            .create({"event_id": (event or self.appointment).id, "agent_id": agent.id})
        )

    # The entry point ---------------------------------------------------------------
    def test_menu_is_for_the_back_office_only(self):
        Menu = self.env["ir.ui.menu"]
        for user in (self.supervisor, self.manager):
            self.assertIn(self.menu.id, Menu.with_user(user)._visible_menu_ids(), user.name)
        for user in (self.operator_1, self.agent_1):
            self.assertNotIn(self.menu.id, Menu.with_user(user)._visible_menu_ids(), user.name)

    def test_list_and_calendar_grouped_and_coloured_by_state(self):
        self.assertEqual(self.action.view_mode.split(","), ["list", "calendar", "form"])
        self.assertIn("'search_default_group_state': 1", self.action.context)
        views = self.Event.with_user(self.supervisor).get_views(
            [(view.view_id.id, view.view_mode) for view in self.action.view_ids]
        )["views"]
        calendar = views["calendar"]["arch"]
        self.assertIn('color="bo_state_color"', calendar)
        # the colour is the state's own, so the legend and the events agree
        self.assertEqual(self.Event._fields["bo_state_color"].related, "bo_state_id.color")
        groups = self.Event.with_user(self.supervisor).read_group(
            [("id", "in", (self.appointment | self.busy).ids)], ["bo_state_id"], ["bo_state_id"]
        )
        booked = self.env.ref("smartcall_agenda.appointment_state_booked")
        self.assertEqual(
            [(g["bo_state_id"][0], g["bo_state_id_count"]) for g in groups], [(booked.id, 2)]
        )

    # Reassigning ---------------------------------------------------------------------
    def test_supervisor_reassigns_the_agent_and_both_agents_are_told(self):
        self.appointment.write(
            {"start": self._utc("2026-03-11 12:00"), "stop": self._utc("2026-03-11 13:00")}
        )
        wizard = self._wizard(self.supervisor, self.agent_2)
        self.assertTrue(wizard.agent_is_free)
        wizard.reason = "Agente 1 in ferie"
        wizard.action_reassign()
        event = self.appointment
        self.assertEqual(event.agent_id, self.agent_2)
        self.assertEqual(event.user_id, self.agent_2)
        self.assertIn(self.agent_2.partner_id, event.partner_ids)
        self.assertNotIn(self.agent_1.partner_id, event.partner_ids)
        self.assertEqual(event.attendee_ids.partner_id, self.agent_2.partner_id)
        message = event.message_ids.filtered(lambda m: "Agente 1 in ferie" in (m.body or ""))
        self.assertEqual(len(message), 1)
        self.assertIn("from Agente 1 to Agente 2", message.body)
        notified = message.notification_ids.res_partner_id
        self.assertIn(self.agent_1.partner_id, notified)
        self.assertIn(self.agent_2.partner_id, notified)
        # the record rules follow: the new agent sees it, the old one no more
        self.assertEqual(self.Event.with_user(self.agent_2).search([("id", "=", event.id)]), event)
        with self.assertRaises(AccessError):
            event.with_user(self.agent_1).read(["name"])

    def test_manager_reassigns_too(self):
        self._wizard(self.manager, self.agent_bari).action_reassign()
        self.assertEqual(self.appointment.agent_id, self.agent_bari)

    def test_reassign_checks_the_new_agents_spacing(self):
        wizard = self._wizard(self.supervisor, self.agent_2)
        self.assertFalse(wizard.agent_is_free, "agent 2 has an appointment at 09:30")
        with self.assertRaisesRegex(ValidationError, "Agente 2 already has an appointment less"):
            wizard.action_reassign()
        self.assertEqual(self.appointment.agent_id, self.agent_1)
        self.assertEqual(self.busy.agent_id, self.agent_2)

    def test_reassign_tells_when_the_agent_does_not_serve_the_area(self):
        self.assertFalse(self._wizard(self.supervisor, self.agent_bari).serves_area)
        self.assertTrue(self._wizard(self.supervisor, self.agent_2).serves_area)

    def test_reassign_to_the_same_agent_is_refused(self):
        with self.assertRaisesRegex(UserError, "already has this appointment"):
            self._wizard(self.supervisor, self.agent_1).action_reassign()

    def test_operator_cannot_reassign(self):
        with self.assertRaises(AccessError):
            self._wizard(self.operator_1, self.agent_bari)
        with self.assertRaises(AccessError):
            self.appointment.with_user(self.operator_1).write({"agent_id": self.agent_bari.id})
        with self.assertRaises(AccessError):
            self.appointment.with_user(self.operator_1)._reassign_agent(self.agent_bari)
        with self.assertRaises(AccessError):
            self.appointment.with_user(self.operator_1).action_open_reassign()
        self.assertEqual(self.appointment.agent_id, self.agent_1)

    def test_field_agent_cannot_reassign_their_appointment(self):
        with self.assertRaises(AccessError):
            self._wizard(self.agent_1, self.agent_bari)
        with self.assertRaises(AccessError):
            self.appointment.with_user(self.agent_1).write({"agent_id": self.agent_bari.id})
        self.assertEqual(self.appointment.agent_id, self.agent_1)

    # create / write / unlink over the ORM, per role ---------------------------------
    def test_create_outside_the_console_is_for_the_back_office(self):
        for user in (self.operator_1, self.agent_bari):
            with self.assertRaises(AccessError, msg=user.name):
                self.Event.with_user(user).create(self._new_values())
        for index, user in enumerate((self.supervisor, self.manager)):
            event = self.Event.with_user(user).create(
                self._new_values(f"2026-03-1{2 + index} 15:00")
            )
            self.assertEqual(event.agent_id, self.agent_bari)
        # an ordinary event (no field agent) stays free for everyone
        plain = self.Event.with_user(self.operator_1).create(
            {
                "name": "Team meeting",
                "start": self._utc("2026-03-12 08:00"),
                "stop": self._utc("2026-03-12 08:30"),
            }
        )
        self.assertFalse(plain.agent_id)

    def test_back_office_create_keeps_the_spacing(self):
        with self.assertRaisesRegex(ValidationError, "less than 60 minutes"):
            self.Event.with_user(self.supervisor).create(
                dict(
                    self._new_values(),
                    agent_id=self.agent_1.id,
                    start=self._utc("2026-03-11 09:30"),
                    stop=self._utc("2026-03-11 10:30"),
                )
            )

    def test_write_other_fields_stays_open_to_operators_and_own_agent(self):
        self.appointment.with_user(self.operator_1).write({"agent_note": "Citofono 3"})
        self.appointment.with_user(self.agent_1).write({"agent_note": "Visto"})
        self.assertEqual(self.appointment.agent_note, "Visto")

    def test_unlink_is_for_the_back_office(self):
        for user in (self.operator_1, self.agent_1):
            with self.assertRaises(AccessError, msg=user.name):
                self.appointment.with_user(user).unlink()
        self.assertTrue(self.appointment.exists())
        self.busy.with_user(self.manager).unlink()
        self.appointment.with_user(self.supervisor).unlink()
        self.assertFalse((self.appointment | self.busy).exists())

    def test_wizard_is_for_the_back_office(self):
        Reassign = self.env["smartcall.appointment.reassign"]
        for user in (self.operator_1, self.agent_1):
            with self.assertRaises(AccessError, msg=user.name):
                Reassign.with_user(user).check_access("create")
        wizard = self._wizard(self.supervisor, self.agent_bari)
        wizard.write({"reason": "x"})
        wizard.unlink()
        self.assertFalse(wizard.exists())
