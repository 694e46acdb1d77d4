from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestAgendaMenu(TransactionCase):
    """Field agents and operators reach the appointments from the Call Center menu."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.menu = cls.env.ref("smartcall_agenda.menu_appointments")
        cls.agent = new_test_user(
            cls.env, "sc_agenda_agent", groups="smartcall_campaign.group_field_agent"
        )
        cls.operator = new_test_user(
            cls.env, "sc_agenda_operator", groups="smartcall_campaign.group_operator"
        )
        cls.plain = new_test_user(cls.env, "sc_agenda_plain", groups="base.group_user")

    def _visible(self, user):
        return self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()

    def test_appointments_menu_opens_the_calendar(self):
        self.assertEqual(self.menu.parent_id, self.env.ref("smartcall_campaign.menu_root"))
        self.assertEqual(self.menu.action.res_model, "calendar.event")

    def test_field_agent_sees_appointments(self):
        self.assertIn(self.menu.id, self._visible(self.agent))

    def test_operator_sees_appointments(self):
        self.assertIn(self.menu.id, self._visible(self.operator))

    def test_user_without_call_center_role_does_not_see_appointments(self):
        self.assertNotIn(self.menu.id, self._visible(self.plain))
