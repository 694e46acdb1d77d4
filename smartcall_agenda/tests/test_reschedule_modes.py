# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import SmartcallAgendaCommon


@tagged("post_install", "-at_install")
class TestRescheduleModes(SmartcallAgendaCommon):
    """Seed 004, "Appuntamenti da rifissare": modes 1 to 5, each following the seed's
    sequence: the operator books, the agent sets the KO (with its characteristics), the
    recall or the scheduled procedure, the operator re-books, the agent sees the new
    appointment."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.State = cls.env["smartcall.appointment.state"]
        cls.booked = cls.env.ref("smartcall_agenda.appointment_state_booked")
        cls.reason = cls.env["smartcall.appointment.characteristic"].create({"name": "Motivo"})
        cls.comment = cls.env["smartcall.appointment.characteristic"].create({"name": "Commento"})
        cls.ko_recall = cls.State.create(
            {
                "name": "KO da rifissare",
                "is_ko": True,
                "list_state": "W",
                "recall_option": "private",
                "mandatory_characteristic_ids": [(6, 0, cls.reason.ids)],
                "visible_characteristic_ids": [(6, 0, cls.comment.ids)],
            }
        )
        cls.ko_reschedule = cls.State.create(
            {
                "name": "KO rifissa alla data",
                "is_ko": True,
                "list_state": "none",
                "is_reschedule": True,
                "mandatory_characteristic_ids": [(6, 0, cls.reason.ids)],
            }
        )
        cls.rebooked = cls.State.create({"name": "Rifissato"})

    def _params(self, **values):
        ICP = self.env["ir.config_parameter"].sudo()
        for key, value in values.items():
            ICP.set_param(f"smartcall_agenda.{key}", value)

    def _booked_appointment(self, name="Bar Centrale", time="09:00"):
        contact = self._make_contact(name)
        self._hold(self.operator_1, contact)
        self._book(self.operator_1, contact, time=time)
        self._confirm(self.operator_1, contact, "SALEA")
        event = self.Event.search([("campaign_contact_id", "=", contact.id)])
        self.assertEqual(event.booking_state, "booked")
        return contact, event

    def _agent_ko(self, event, state, reschedule=None, **answers):
        values = {self.reason.id: "Cliente assente"} | {
            self.env["smartcall.appointment.characteristic"].search([("name", "=", k)]).id: v
            for k, v in answers.items()
        }
        event.with_user(self.agent_1)._set_bo_state(
            state, values, reschedule_date=reschedule and self._utc(reschedule)
        )

    def _rebook(self, operator, contact, time="11:00", date="2026-03-12", **values):
        console = self._console(operator)
        if contact.sudo().state == "callback":
            console.call_callback(contact.id)
            console.hangup(contact.id)
        else:
            self._hold(operator, contact)
        form = console.get_appointment_form(contact.id)
        self._book(operator, contact, date=date, time=time, **values)
        self._confirm(operator, contact, "SALEA")
        return form

    def _agent_sees(self, date, time):
        return self.Event.with_user(self.agent_1).search(
            [("agent_id", "=", self.agent_1.id), ("start", "=", self._utc(f"{date} {time}"))]
        )

    # The agent's KO ------------------------------------------------------------
    def test_mandatory_characteristic_left_empty_is_refused_naming_it(self):
        _contact, event = self._booked_appointment()
        with self.assertRaisesRegex(
            UserError, "KO da rifissare needs these characteristics: Motivo"
        ):
            event.with_user(self.agent_1)._set_bo_state(self.ko_recall, {self.comment.id: "x"})
        self.assertEqual(event.bo_state_id, self.booked)

    def test_reschedule_state_needs_the_date(self):
        _contact, event = self._booked_appointment()
        with self.assertRaisesRegex(UserError, "reschedule date"):
            event.with_user(self.agent_1)._set_bo_state(
                self.ko_reschedule, {self.reason.id: "Assente"}
            )

    # Mode 1 ---------------------------------------------------------------------
    def test_mode_1_recall_to_the_operator_same_card(self):
        self._params(cc0036="False", cc0036a="True", cc0036b=self.rebooked.id)
        contact, event = self._booked_appointment()
        self._agent_ko(event, self.ko_recall, Commento="Richiamare dopo le 17")
        # the customer is back in the operator's recalls, with the KO notes
        self.assertEqual(contact.state, "callback")
        self.assertEqual(contact.callback_owner_id, self.operator_1)
        self.assertEqual(contact.reschedule_appointment_id, event)
        callback = self._console(self.operator_1).list_my_callbacks()[0]
        self.assertIn("Motivo: Cliente assente", callback["note"])
        self.assertIn("Commento: Richiamare dopo le 17", callback["note"])
        # the KO freed the agent's 09:00
        self.assertFalse(event.slot_end)
        form = self._rebook(self.operator_1, contact, time="11:00")
        self.assertEqual(form["rebook"]["appointment"]["id"], event.id)
        self.assertFalse(form["rebook"]["new_card_offered"])
        self.assertEqual(
            form["rebook"]["same_card_state"],
            {"state_id": self.rebooked.id, "state_editable": False},
        )
        # same card, new date, state fixed by CC0036B
        self.assertEqual(self.Event.search([("customer_id", "=", contact.partner_id.id)]), event)
        self.assertEqual(event.start, self._utc("2026-03-12 11:00"))
        self.assertEqual(event.bo_state_id, self.rebooked)
        self.assertEqual(event.booking_state, "booked")
        self.assertFalse(contact.reschedule_appointment_id)
        self.assertEqual(self._agent_sees("2026-03-12", "11:00"), event)

    def test_mode_1_cc0036a_updates_the_booking_operator(self):
        self._params(cc0036="False", cc0036a="True", cc0036b=0)
        self.ko_recall.recall_option = "public"
        contact, event = self._booked_appointment()
        self._agent_ko(event, self.ko_recall)
        self.assertEqual(contact.state, "queued")
        self._rebook(self.operator_2, contact, bo_state_id=self.rebooked.id)
        self.assertEqual(event.booking_operator_id, self.operator_2)
        self.assertEqual(event.bo_state_id, self.rebooked, "CC0036B=0: the operator chooses")

    def test_mode_1_without_cc0036a_keeps_the_booking_operator(self):
        self._params(cc0036="False", cc0036a="False", cc0036b=0)
        self.ko_recall.recall_option = "public"
        contact, event = self._booked_appointment()
        self._agent_ko(event, self.ko_recall)
        self._rebook(self.operator_2, contact)
        self.assertEqual(event.booking_operator_id, self.operator_1)

    # Mode 2 ---------------------------------------------------------------------
    def test_mode_2_recall_to_the_operator_new_card(self):
        self._params(cc0036="True", cc0037="True", cc0036c="True", cc0036d=0)
        contact, event = self._booked_appointment()
        self._agent_ko(event, self.ko_recall)
        self._rebook(self.operator_1, contact, time="11:00")
        new = self.Event.search([("replaced_appointment_id", "=", event.id)])
        self.assertEqual(len(new), 1)
        self.assertEqual(new.start, self._utc("2026-03-12 11:00"))
        self.assertEqual(new.bo_state_id, self.booked, "CC0036D=0: the user's default")
        self.assertEqual(event.start, self._utc("2026-03-11 09:00"), "old card kept")
        self.assertTrue(event.is_replaced)
        with self.assertRaisesRegex(UserError, "replaced by a new one"):
            event.with_user(self.operator_1).write({"agent_note": "changed"})
        self.assertEqual(self._agent_sees("2026-03-12", "11:00"), new)

    def test_mode_2_without_cc0036c_keeps_the_cards_unlinked(self):
        self._params(cc0036="True", cc0037="True", cc0036c="False", cc0036d=0)
        contact, event = self._booked_appointment()
        self._agent_ko(event, self.ko_recall)
        self._rebook(self.operator_1, contact)
        cards = self.Event.search([("customer_id", "=", contact.partner_id.id)])
        self.assertEqual(len(cards), 2)
        self.assertFalse(event.is_replaced)

    def test_mode_2_cc0037_no_offers_the_flag_ticked_by_cc0037a(self):
        self._params(cc0036="True", cc0037="False", cc0037a="True", cc0036c="True", cc0036d=0)
        contact, event = self._booked_appointment()
        self._agent_ko(event, self.ko_recall)
        console = self._console(self.operator_1)
        console.call_callback(contact.id)
        rebook = console.get_appointment_form(contact.id)["rebook"]
        self.assertTrue(rebook["new_card_offered"])
        self.assertTrue(rebook["new_card_default"])
        # the operator unticks it: same card
        console.hangup(contact.id)
        self._book(self.operator_1, contact, date="2026-03-12", time="11:00", new_card=False)
        self._confirm(self.operator_1, contact, "SALEA")
        self.assertEqual(self.Event.search([("customer_id", "=", contact.partner_id.id)]), event)
        self.assertEqual(event.start, self._utc("2026-03-12 11:00"))

    # CC0036D ----------------------------------------------------------------------
    def test_cc0036d_existing_id_fixes_the_state_and_disables_the_choice(self):
        self._params(cc0036="True", cc0037="True", cc0036c="True", cc0036d=self.rebooked.id)
        contact, event = self._booked_appointment()
        self._agent_ko(event, self.ko_recall)
        form = self._rebook(self.operator_1, contact, bo_state_id=self.booked.id)
        self.assertEqual(
            form["rebook"]["new_card_state"],
            {"state_id": self.rebooked.id, "state_editable": False},
        )
        new = self.Event.search([("replaced_appointment_id", "=", event.id)])
        self.assertEqual(new.bo_state_id, self.rebooked, "the operator's choice is ignored")

    def test_cc0036d_unknown_id_proposes_the_users_default_choice_enabled(self):
        self.operator_1.smartcall_default_appointment_state_id = self.rebooked
        self._params(cc0036="True", cc0037="True", cc0036c="True", cc0036d=999999)
        contact, event = self._booked_appointment()
        self._agent_ko(event, self.ko_recall)
        form = self._rebook(self.operator_1, contact)
        self.assertEqual(
            form["rebook"]["new_card_state"], {"state_id": self.rebooked.id, "state_editable": True}
        )
        new = self.Event.search([("replaced_appointment_id", "=", event.id)])
        self.assertEqual(new.bo_state_id, self.rebooked)

    def test_cc0036d_zero_leaves_the_choice_enabled_with_the_users_default(self):
        self._params(cc0036="True", cc0037="True", cc0036c="True", cc0036d=0)
        contact, event = self._booked_appointment()
        self._agent_ko(event, self.ko_recall)
        form = self._rebook(self.operator_1, contact, bo_state_id=self.rebooked.id)
        self.assertEqual(
            form["rebook"]["new_card_state"], {"state_id": self.booked.id, "state_editable": True}
        )
        new = self.Event.search([("replaced_appointment_id", "=", event.id)])
        self.assertEqual(new.bo_state_id, self.rebooked, "the operator chose")

    # Mode 3 -------------------------------------------------------------------------
    def test_mode_3_procedure_moves_the_appointment_same_card(self):
        contact, event = self._booked_appointment()
        self._agent_ko(event, self.ko_reschedule, reschedule="2026-03-13 15:00")
        self.assertEqual(contact.state, "done", "no recall to the operator")
        self.Event._cron_reschedule_move(state_id=self.rebooked.id)
        self.assertEqual(event.start, self._utc("2026-03-13 15:00"))
        self.assertEqual(event.bo_state_id, self.rebooked)
        self.assertTrue(event.reschedule_processed)
        self.assertEqual(self.Event.search([("customer_id", "=", contact.partner_id.id)]), event)
        self.assertEqual(self._agent_sees("2026-03-13", "15:00"), event)

    def test_mode_3_date_that_clashes_is_left_with_the_reason(self):
        _contact, event = self._booked_appointment()
        self._make_appointment(self.agent_1, "2026-03-13 15:30")
        self._agent_ko(event, self.ko_reschedule, reschedule="2026-03-13 15:00")
        self.Event._cron_reschedule_move()
        self.assertEqual(event.start, self._utc("2026-03-11 09:00"))
        self.assertFalse(event.reschedule_processed)
        self.assertIn("less than 60 minutes", event.reschedule_error)

    # Mode 4 -------------------------------------------------------------------------
    def test_mode_4_procedure_creates_a_new_appointment(self):
        contact, event = self._booked_appointment()
        self._agent_ko(event, self.ko_reschedule, reschedule="2026-03-13 15:00")
        self.Event._cron_reschedule_new_card()
        new = self.Event.search([("replaced_appointment_id", "=", event.id)])
        self.assertEqual(new.start, self._utc("2026-03-13 15:00"))
        self.assertEqual(new.customer_id, contact.partner_id)
        self.assertEqual(new.agent_note, event.agent_note)
        self.assertEqual(new.bo_state_id, self.booked)
        self.assertTrue(event.is_replaced)
        self.assertEqual(event.start, self._utc("2026-03-11 09:00"))
        self.assertEqual(self._agent_sees("2026-03-13", "15:00"), new)
        self.Event._cron_reschedule_new_card()
        self.assertEqual(self.Event.search_count([("replaced_appointment_id", "=", event.id)]), 1)

    # Mode 5 -------------------------------------------------------------------------
    def test_mode_5_procedure_recalls_the_operator_at_the_agents_date(self):
        self._params(cc0036="False", cc0036b=0)
        cron = self.env.ref("smartcall_agenda.ir_cron_reschedule_callback")
        cron.active = True
        state = self.State.create(
            {
                "name": "KO richiamo alla data",
                "is_ko": True,
                "list_state": "W",
                "recall_option": "private",
                "is_reschedule": True,
            }
        )
        contact, event = self._booked_appointment()
        event.with_user(self.agent_1)._set_bo_state(
            state, {}, reschedule_date=self._utc("2026-03-12 16:00")
        )
        self.assertEqual(contact.state, "done", "no recall before the procedure runs")
        self.Event._cron_reschedule_callback()
        self.assertEqual(contact.state, "callback")
        self.assertEqual(contact.callback_owner_id, self.operator_1)
        self.assertEqual(contact.next_call_at, self._utc("2026-03-12 16:00"))
        with freeze_time("2026-03-12 15:05:00"):
            self._rebook(self.operator_1, contact, date="2026-03-13", time="09:00")
        self.assertEqual(event.start, self._utc("2026-03-13 09:00"), "same card (CC0036=NO)")
        self.assertEqual(self._agent_sees("2026-03-13", "09:00"), event)

    # Scheduled procedures and conflicts -----------------------------------------------
    def test_procedures_are_inactive_crons_with_instructions(self):
        for xmlid in ("move", "new_card", "callback"):
            cron = self.env.ref(f"smartcall_agenda.ir_cron_reschedule_{xmlid}")
            self.assertFalse(cron.active)
            self.assertIn("Seed 004", str(cron.help))

    def test_reschedule_state_with_w_recall_refused_while_mode_3_is_active(self):
        self.env.ref("smartcall_agenda.ir_cron_reschedule_move").active = True
        with self.assertRaisesRegex(ValidationError, "KO da rifissare.*Mode 3"):
            self.ko_recall.is_reschedule = True

    def test_activating_mode_4_with_a_conflicting_state_is_refused(self):
        self.ko_recall.is_reschedule = True  # fine while no mode 3/4 procedure is active
        with self.assertRaisesRegex(ValidationError, "KO da rifissare.*Mode 4"):
            self.env.ref("smartcall_agenda.ir_cron_reschedule_new_card").active = True

    def test_modes_3_and_4_together_are_refused(self):
        self.env.ref("smartcall_agenda.ir_cron_reschedule_move").active = True
        with self.assertRaisesRegex(ValidationError, "activate only one"):
            self.env.ref("smartcall_agenda.ir_cron_reschedule_new_card").active = True

    def test_settings_flag_a_mode_5_state_without_its_procedure(self):
        self.ko_recall.is_reschedule = True
        settings = self.env["res.config.settings"].create({})
        self.assertIn("KO da rifissare", settings.smartcall_reschedule_conflicts)
        self.assertIn("not active", settings.smartcall_reschedule_conflicts)

    def test_settings_carry_the_seed_codes(self):
        fields = self.env["res.config.settings"]._fields
        for code in ("CC0036", "CC0036A", "CC0036B", "CC0036C", "CC0036D", "CC0037", "CC0037A"):
            field = fields[f"smartcall_{code.lower()}"]
            self.assertTrue(field.string.startswith(f"{code} - "), field.string)
