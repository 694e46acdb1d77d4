# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import SmartcallAgendaCommon


@tagged("post_install", "-at_install")
class TestAppointmentSpacing(SmartcallAgendaCommon):
    """Seed 003, 4.1: appointments of one agent "sempre a 1/1,5 h di distanza"."""

    def _set_spacing(self, minutes):
        self.env["ir.config_parameter"].sudo().set_param(
            "smartcall_agenda.spacing_minutes", minutes
        )

    def test_second_appointment_within_an_hour_is_refused(self):
        self._make_appointment(self.agent_1, "2026-03-11 09:00")
        with self.assertRaisesRegex(ValidationError, "less than 60 minutes"):
            self._make_appointment(self.agent_1, "2026-03-11 09:30")

    def test_appointment_exactly_an_hour_later_is_accepted(self):
        self._make_appointment(self.agent_1, "2026-03-11 09:00")
        later = self._make_appointment(self.agent_1, "2026-03-11 10:00")
        self.assertEqual(later.slot_end, self._utc("2026-03-11 11:00"))

    def test_other_agent_same_time_is_accepted(self):
        self._make_appointment(self.agent_1, "2026-03-11 09:00")
        other = self._make_appointment(self.agent_2, "2026-03-11 09:00")
        self.assertEqual(other.agent_id, self.agent_2)

    def test_spacing_of_90_minutes_refuses_75(self):
        self._set_spacing(90)
        self._make_appointment(self.agent_1, "2026-03-11 09:00")
        with self.assertRaisesRegex(ValidationError, "less than 90 minutes"):
            self._make_appointment(self.agent_1, "2026-03-11 10:15")
        self._make_appointment(self.agent_1, "2026-03-11 10:30")

    def test_spacing_setting_outside_60_90_is_refused(self):
        for value in (30, 120):
            with self.assertRaisesRegex(ValidationError, "between 60 and 90"):
                self.env["res.config.settings"].create(
                    {"smartcall_appointment_spacing_minutes": value}
                )

    def test_moving_an_appointment_next_to_another_is_refused(self):
        self._make_appointment(self.agent_1, "2026-03-11 09:00")
        second = self._make_appointment(self.agent_1, "2026-03-11 11:00")
        with self.assertRaisesRegex(ValidationError, "less than 60 minutes"):
            second.write({"start": self._utc("2026-03-11 09:45")})

    def test_free_slots_leave_out_the_hour_around_an_appointment(self):
        self._make_appointment(self.agent_1, "2026-03-11 10:00")
        day = self.Event._get_agent_free_slots(
            self.agent_1, day=self._utc("2026-03-11 12:00").date()
        )
        local = {self.Event._format_local(start, self.agent_1)[-5:] for start in day}
        self.assertNotIn("09:30", local)
        self.assertNotIn("10:00", local)
        self.assertNotIn("10:30", local)
        self.assertIn("09:00", local)
        self.assertIn("11:00", local)

    def test_free_slots_follow_the_agents_working_hours(self):
        """Standard 40-hour calendar: 08-12 and 13-17 on weekdays, nothing on Sunday."""
        wednesday = self.Event._get_agent_free_slots(
            self.agent_1, day=self._utc("2026-03-11 12:00").date()
        )
        local = [self.Event._format_local(start, self.agent_1)[-5:] for start in wednesday]
        self.assertEqual(local[0], "08:00")
        self.assertIn("11:00", local)
        self.assertNotIn("11:30", local)
        self.assertEqual(local[-1], "16:00")
        sunday = self.Event._get_agent_free_slots(
            self.agent_1, day=self._utc("2026-03-15 12:00").date()
        )
        self.assertEqual(sunday, [])

    def test_replaced_appointment_frees_its_slot(self):
        old = self._make_appointment(self.agent_1, "2026-03-11 09:00")
        self._make_appointment(self.agent_1, "2026-03-12 09:00", replaced_appointment_id=old.id)
        self.assertTrue(old.is_replaced)
        self.assertFalse(old.slot_end)
        self._make_appointment(self.agent_1, "2026-03-11 09:30")

    def test_only_field_agents_get_appointments(self):
        with self.assertRaisesRegex(ValidationError, "not a field agent"):
            self._make_appointment(self.operator_1, "2026-03-11 09:00")
