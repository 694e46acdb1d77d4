from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestInboundMenu(TransactionCase):
    """Operators look callers up from Call Center > Operations; field agents do not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.menu = cls.env.ref("smartcall_inbound.menu_caller_lookup")
        cls.operator = new_test_user(
            cls.env, "sc_inbound_operator", groups="smartcall_campaign.group_operator"
        )
        cls.agent = new_test_user(
            cls.env, "sc_inbound_agent", groups="smartcall_campaign.group_field_agent"
        )

    def _visible(self, user):
        return self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()

    def test_caller_lookup_is_an_operations_entry(self):
        self.assertEqual(self.menu.parent_id, self.env.ref("smartcall_campaign.menu_operations"))

    def test_operator_sees_caller_lookup(self):
        self.assertIn(self.menu.id, self._visible(self.operator))

    def test_field_agent_does_not_see_caller_lookup(self):
        self.assertNotIn(self.menu.id, self._visible(self.agent))
