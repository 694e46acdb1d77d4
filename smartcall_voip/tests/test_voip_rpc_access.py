import json

from odoo.tests import HttpCase, new_test_user, tagged

ACCESS_ERROR = "odoo.exceptions.AccessError"


@tagged("post_install", "-at_install")
class TestVoipRpcAccess(HttpCase):
    """The PBX models over JSON-RPC, as each role, through the real HTTP stack: only the
    Telephony Administrators change PBXs or read their AMI secret; nobody writes the lines
    the AMI client keeps; an operator reads only their own line."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pbx = cls.env["smartcall.pbx"].create(
            {
                "name": "RPC PBX",
                "host": "127.0.0.1",
                "ami_user": "smartcall",
                "ami_secret": "s3cret",
            }
        )
        cls.users = {
            "op1": new_test_user(cls.env, "sc_vr_op1", groups="smartcall_campaign.group_operator"),
            "op2": new_test_user(cls.env, "sc_vr_op2", groups="smartcall_campaign.group_operator"),
            "supervisor": new_test_user(
                cls.env, "sc_vr_sup", groups="smartcall_campaign.group_supervisor"
            ),
            "manager": new_test_user(
                cls.env, "sc_vr_mgr", groups="smartcall_campaign.group_manager"
            ),
            "pbx_admin": new_test_user(
                cls.env, "sc_vr_pbx", groups="smartcall_voip.group_pbx_admin"
            ),
        }
        cls.users["op1"].write({"pbx_id": cls.pbx.id, "pbx_extension": "PJSIP/201"})
        cls.users["op2"].write({"pbx_id": cls.pbx.id, "pbx_extension": "PJSIP/202"})
        Line = cls.env["smartcall.pbx.line"]
        cls.line1 = Line.create(
            {"user_id": cls.users["op1"].id, "pbx_id": cls.pbx.id, "extension": "PJSIP/201"}
        )
        cls.line2 = Line.create(
            {"user_id": cls.users["op2"].id, "pbx_id": cls.pbx.id, "extension": "PJSIP/202"}
        )

    def _rpc(self, role, model, method, args=(), kwargs=None):
        user = self.users[role]
        self.authenticate(user.login, user.login)
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "model": model,
                "method": method,
                "args": list(args),
                "kwargs": kwargs or {},
            },
        }
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def assertRefused(self, role, model, method, args=(), kwargs=None):
        response = self._rpc(role, model, method, args, kwargs)
        self.assertNotIn("result", response, f"{model}.{method} allowed to {role}")
        self.assertEqual(response["error"]["data"]["name"], ACCESS_ERROR, response)

    def test_only_pbx_admin_changes_pbxs(self):
        for role in ("op1", "supervisor", "manager"):
            with self.subTest(role=role):
                self.assertRefused(
                    role, "smartcall.pbx", "create", [{"name": "x", "host": "h", "ami_user": "u"}]
                )
                self.assertRefused(
                    role, "smartcall.pbx", "write", [[self.pbx.id], {"host": "10.0.0.9"}]
                )
                self.assertRefused(role, "smartcall.pbx", "unlink", [[self.pbx.id]])
                self.assertRefused(role, "smartcall.pbx", "read", [[self.pbx.id], ["ami_secret"]])
        self.assertEqual(self.pbx.host, "127.0.0.1")
        response = self._rpc("pbx_admin", "smartcall.pbx", "read", [[self.pbx.id], ["ami_secret"]])
        self.assertEqual(response["result"][0]["ami_secret"], "s3cret")

    def test_nobody_but_pbx_admin_writes_lines(self):
        for role in ("op1", "supervisor", "manager"):
            with self.subTest(role=role):
                self.assertRefused(
                    role,
                    "smartcall.pbx.line",
                    "create",
                    [
                        {
                            "user_id": self.users["op1"].id,
                            "pbx_id": self.pbx.id,
                            "extension": "PJSIP/9",
                        }
                    ],
                )
                self.assertRefused(
                    role, "smartcall.pbx.line", "write", [[self.line1.id], {"state": "up"}]
                )
                self.assertRefused(role, "smartcall.pbx.line", "unlink", [[self.line1.id]])
        self.assertEqual(self.line1.state, "calling")

    def test_operator_reads_only_own_line(self):
        response = self._rpc("op1", "smartcall.pbx.line", "read", [[self.line1.id], ["state"]])
        self.assertEqual(response["result"][0]["state"], "calling")
        self.assertRefused("op1", "smartcall.pbx.line", "read", [[self.line2.id], ["state"]])
        response = self._rpc("supervisor", "smartcall.pbx.line", "search_count", [[]])
        self.assertEqual(response["result"], 2)

    def test_operator_cannot_give_himself_an_extension(self):
        self.assertRefused(
            "op1", "res.users", "write", [[self.users["op1"].id], {"pbx_extension": "PJSIP/202"}]
        )
        self.assertEqual(self.users["op1"].pbx_extension, "PJSIP/201")

    def test_calls_pbx_fields_not_writable_by_operators(self):
        call = self.env["smartcall.call"].create(
            {"user_id": self.users["op1"].id, "number": "+390881123456", "pbx_state": "dialing"}
        )
        self.assertRefused("op1", "smartcall.call", "write", [[call.id], {"pbx_state": "ended"}])
        self.assertEqual(call.pbx_state, "dialing")
