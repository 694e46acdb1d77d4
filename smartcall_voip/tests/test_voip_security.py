from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestVoipSecurity(TransactionCase):
    """Telephony Administrators (PBX connections, AMI secrets) are system admins."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pbx_admin_group = cls.env.ref("smartcall_voip.group_pbx_admin")
        cls.pbx_admin = new_test_user(
            cls.env, "sc_pbx_admin", groups="smartcall_voip.group_pbx_admin"
        )
        cls.manager = new_test_user(
            cls.env, "sc_voip_manager", groups="smartcall_campaign.group_manager"
        )

    def test_telephony_administrator_is_a_settings_administrator(self):
        self.assertTrue(self.pbx_admin.has_group("base.group_system"))

    def test_call_center_manager_is_not_telephony_administrator(self):
        self.assertFalse(self.manager.has_group("smartcall_voip.group_pbx_admin"))
        self.assertFalse(self.manager.has_group("base.group_system"))

    def test_administrator_is_telephony_administrator(self):
        self.assertIn(self.env.ref("base.user_admin"), self.pbx_admin_group.users)
