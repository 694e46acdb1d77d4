from odoo.tests import TransactionCase, new_test_user


class VoipCase(TransactionCase):
    """A PBX, an operator with extension PJSIP/201 on it, a manager and a PBX admin."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.pbx = cls.env["smartcall.pbx"].create(
            {
                "name": "Asterisk Foggia",
                "host": "127.0.0.1",
                "port": 5038,
                "ami_user": "smartcall",
                "ami_secret": "s3cret",
            }
        )
        cls.operator = new_test_user(
            cls.env, "sc_voip_op", groups="smartcall_campaign.group_operator", tz="Europe/Rome"
        )
        cls.operator.write({"pbx_id": cls.pbx.id, "pbx_extension": "PJSIP/201"})
        cls.manager = new_test_user(
            cls.env, "sc_voip_mgr", groups="smartcall_campaign.group_manager"
        )
        cls.pbx_admin = new_test_user(
            cls.env, "sc_voip_admin", groups="smartcall_voip.group_pbx_admin"
        )
