from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import VoipCase


@tagged("post_install", "-at_install")
class TestPbxConfig(VoipCase):
    """The PBX form: validation, the AMI secret's readers, operators' extensions."""

    def test_several_pbxs_allowed(self):
        other = self.pbx.copy({"name": "Asterisk Bari"})
        self.assertEqual(self.env["smartcall.pbx"].search_count([]), 2)
        self.assertFalse(other.sudo().ami_secret, "the secret is not copied")

    def test_port_and_contexts_validated(self):
        for values, message in (
            ({"port": 0}, "AMI port must be between 1 and 65535"),
            ({"port": 70000}, "AMI port must be between 1 and 65535"),
            ({"ring_timeout": 1}, "ring timeout must be between 5 and 180 seconds"),
            ({"originate_context": "bad context"}, "bad context is not a dialplan context"),
            ({"operator_context": "x;y"}, "x;y is not a dialplan context"),
            ({"outbound_prefix": "9a"}, "outbound prefix may hold only"),
            ({"host": "evil\r\nAction: Command"}, "must be written on one line"),
        ):
            # each refusal is rolled back, so the next value meets a valid record
            with (
                self.subTest(values=values),
                self.assertRaisesRegex(ValidationError, message),
                self.env.cr.savepoint(),
            ):
                self.pbx.write(values)

    def test_secret_readable_by_pbx_admin_only(self):
        self.assertEqual(self.pbx.with_user(self.pbx_admin).ami_secret, "s3cret")
        for user in (self.manager, self.operator):
            with self.subTest(user=user.login):
                pbx = self.pbx.with_user(user)
                self.assertEqual(pbx.read(["name"])[0]["name"], "Asterisk Foggia")
                with self.assertRaises(AccessError):
                    pbx.read(["ami_secret"])
                self.assertNotIn("ami_secret", pbx.fields_get())

    def test_secret_not_searchable_by_others(self):
        with self.assertRaises(AccessError):
            self.env["smartcall.pbx"].with_user(self.manager).search(
                [("ami_secret", "=", "s3cret")]
            )

    def test_only_pbx_admin_writes_creates_unlinks(self):
        for user in (self.manager, self.operator):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.pbx.with_user(user).write({"host": "10.0.0.1"})
                with self.assertRaises(AccessError):
                    self.env["smartcall.pbx"].with_user(user).create(
                        {"name": "x", "host": "h", "ami_user": "u"}
                    )
                with self.assertRaises(AccessError):
                    self.pbx.with_user(user).unlink()
        admin_pbx = self.pbx.with_user(self.pbx_admin)
        admin_pbx.write({"ami_secret": "new"})
        self.assertEqual(admin_pbx.ami_secret, "new")

    def test_operator_cannot_change_own_extension(self):
        with self.assertRaises(AccessError):
            self.operator.with_user(self.operator).write({"pbx_extension": "PJSIP/999"})

    def test_extension_needs_channel_syntax_and_pbx(self):
        not_a_channel = "is not an Asterisk channel"
        for values, message in (
            ({"pbx_extension": "201"}, not_a_channel),
            ({"pbx_extension": "PJSIP/201,evil"}, not_a_channel),
            ({"pbx_extension": "PJSIP/"}, not_a_channel),
            ({"pbx_id": False}, "both a PBX and an extension, or neither"),
        ):
            with (
                self.subTest(values=values),
                self.assertRaisesRegex(ValidationError, message),
                self.env.cr.savepoint(),
            ):
                self.operator.write(values)

    def test_extension_unique_per_pbx(self):
        with self.assertRaisesRegex(ValidationError, "PJSIP/201 is already .* on this PBX"):
            self.manager.write({"pbx_id": self.pbx.id, "pbx_extension": "PJSIP/201"})
        other = self.pbx.copy({"name": "Asterisk Bari"})
        self.manager.write({"pbx_id": other.id, "pbx_extension": "PJSIP/201"})
        self.assertEqual(self.manager.pbx_extension, "PJSIP/201")

    def test_dial_number_follows_pbx_settings(self):
        self.assertEqual(self.pbx._get_dial_number("+390881123456"), "0881123456")
        self.pbx.write({"dial_format": "international", "outbound_prefix": "9"})
        self.assertEqual(self.pbx._get_dial_number("+390881123456"), "900390881123456")
        with self.assertRaisesRegex(UserError, "0881123456 cannot be dialled: it is not a valid"):
            self.pbx._get_dial_number("0881123456")

    def test_do_not_call_refused_by_the_one_check(self):
        self.assertTrue(self.env["smartcall.pbx"]._check_dialable("+390881123456"))
        self.env["phone.blacklist"].sudo()._add(["+390881123456"])
        with self.assertRaisesRegex(UserError, "do-not-call"):
            self.env["smartcall.pbx"]._check_dialable("+390881123456")
        self.env["phone.blacklist"].sudo()._remove(["+390881123456"])
        self.assertTrue(self.env["smartcall.pbx"]._check_dialable("+390881123456"))

    def test_command_refused_when_not_connected(self):
        with self.assertRaisesRegex(UserError, "not connected"):
            self.pbx._check_connected()
