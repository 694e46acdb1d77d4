# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import SmartcallAgendaCommon


@tagged("post_install", "-at_install")
class TestRescheduleList(SmartcallAgendaCommon):
    """Seed 004: the operator's "to reschedule" list: the appointments whose back-office state
    brings the customer back to be booked again, for the operator who booked them or who owns
    the recall, until someone re-books them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        State = cls.env["smartcall.appointment.state"]
        cls.visited = cls.env.ref("smartcall_agenda.appointment_state_done")
        cls.ko_recall = State.create(
            {"name": "KO richiamo", "is_ko": True, "list_state": "W", "recall_option": "private"}
        )
        cls.ko_public = State.create(
            {"name": "KO pubblico", "is_ko": True, "list_state": "W", "recall_option": "public"}
        )
        cls.ko_move = State.create(
            {"name": "KO sposta", "is_ko": True, "list_state": "none", "is_reschedule": True}
        )
        cls.ko_at_date = State.create(
            {
                "name": "KO richiamo alla data",
                "is_ko": True,
                "list_state": "W",
                "recall_option": "private",
                "is_reschedule": True,
            }
        )
        cls.rebooked = State.create({"name": "Rifissato"})
        cls.action = cls.env.ref("smartcall_agenda.smartcall_to_reschedule_action")
        cls.menu = cls.env.ref("smartcall_agenda.menu_to_reschedule")

    def _params(self, **values):
        ICP = self.env["ir.config_parameter"].sudo()
        for key, value in values.items():
            ICP.set_param(f"smartcall_agenda.{key}", value)

    def _booked(self, name, time="09:00", operator=None):
        operator = operator or self.operator_1
        contact = self._make_contact(name)
        self._hold(operator, contact)
        self._book(operator, contact, time=time)
        self._confirm(operator, contact, "SALEA")
        return contact, self.Event.search([("campaign_contact_id", "=", contact.id)])

    def _ko(self, event, state, reschedule=None):
        event.with_user(self.agent_1)._set_bo_state(
            state, {}, reschedule_date=reschedule and self._utc(reschedule)
        )

    def _rebook(self, operator, contact, time="11:00", date="2026-03-12"):
        console = self._console(operator)
        console.call_callback(contact.id)
        console.hangup(contact.id)
        self._book(operator, contact, date=date, time=time)
        self._confirm(operator, contact, "SALEA")

    def _list(self, user):
        """What `user` sees in the menu: the action's domain, evaluated for them, searched
        with their rights."""
        domain = safe_eval(self.action.domain, {"uid": user.id})
        return self.Event.with_user(user).search(domain)

    def test_menu_is_in_the_operators_menus(self):
        self.assertEqual(self.menu.parent_id, self.env.ref("smartcall_campaign.menu_operations"))
        Menu = self.env["ir.ui.menu"]
        self.assertIn(self.menu.id, Menu.with_user(self.operator_1)._visible_menu_ids())
        self.assertNotIn(self.menu.id, Menu.with_user(self.agent_1)._visible_menu_ids())

    def test_private_recall_is_in_the_booking_operators_list_only(self):
        _contact, event = self._booked("Bar Centrale")
        self.assertFalse(self._list(self.operator_1), "booked, no outcome yet")
        self._ko(event, self.ko_recall)
        self.assertTrue(event.to_reschedule)
        self.assertEqual(self._list(self.operator_1), event)
        self.assertFalse(self._list(self.operator_2))
        self.assertIn("KO richiamo", event.ko_summary)

    def test_public_recall_stays_in_the_booking_operators_list(self):
        contact, event = self._booked("Bar Centrale")
        self._ko(event, self.ko_public)
        self.assertEqual(contact.state, "queued")
        self.assertEqual(self._list(self.operator_1), event)
        self.assertFalse(self._list(self.operator_2))

    def test_callback_owner_sees_it_too(self):
        contact, event = self._booked("Bar Centrale")
        self._ko(event, self.ko_recall)
        contact.with_user(self.supervisor)._reassign_private_callback(self.operator_2)
        self.assertEqual(self._list(self.operator_2), event)
        self.assertEqual(self._list(self.operator_1), event)

    def test_other_states_are_not_to_reschedule(self):
        _c1, visited = self._booked("Bar Visitato", time="09:00")
        _c2, moved = self._booked("Bar Spostato", time="11:00")
        self._ko(visited, self.visited)
        # mode 3: the scheduled procedure moves it, the operator has nothing to do
        self._ko(moved, self.ko_move, reschedule="2026-03-13 15:00")
        self.assertFalse(self._list(self.operator_1))
        self.assertFalse((visited | moved).filtered("to_reschedule"))
        self.assertEqual(
            self.Event.search([("to_reschedule", "=", False), ("id", "in", (visited | moved).ids)]),
            visited | moved,
        )

    def test_rebooked_on_the_same_card_leaves_the_list(self):
        self._params(cc0036="False", cc0036b=self.rebooked.id)
        contact, event = self._booked("Bar Centrale")
        self._ko(event, self.ko_recall)
        self._rebook(self.operator_1, contact)
        self.assertEqual(event.start, self._utc("2026-03-12 11:00"))
        self.assertFalse(self._list(self.operator_1))
        self.assertFalse(event.to_reschedule)

    def test_rebooked_on_an_unlinked_new_card_leaves_the_list(self):
        self._params(cc0036="True", cc0037="True", cc0036c="False", cc0036d=0)
        contact, event = self._booked("Bar Centrale")
        self._ko(event, self.ko_recall)
        self._rebook(self.operator_1, contact)
        self.assertEqual(event.bo_state_id, self.ko_recall, "the old card keeps its KO")
        self.assertFalse(event.is_replaced)
        self.assertFalse(self._list(self.operator_1))

    def test_mode_5_waits_in_the_list_until_rebooked(self):
        self._params(cc0036="False", cc0036b=0)
        self.env.ref("smartcall_agenda.ir_cron_reschedule_callback").active = True
        contact, event = self._booked("Bar Centrale")
        self._ko(event, self.ko_at_date, reschedule="2026-03-12 16:00")
        self.assertEqual(self._list(self.operator_1), event, "before the procedure")
        self.Event._cron_reschedule_callback()
        self.assertEqual(self._list(self.operator_1), event, "recall set, not re-booked")
        with freeze_time("2026-03-12 15:05:00"):
            self._rebook(self.operator_1, contact, date="2026-03-13", time="09:00")
        self.assertFalse(self._list(self.operator_1))

    def test_field_agent_sees_nothing_of_it(self):
        _contact, event = self._booked("Bar Centrale")
        self._ko(event, self.ko_recall)
        self.assertFalse(self._list(self.agent_1))
