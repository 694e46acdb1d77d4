# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.smartcall_campaign.tests.common import always_open

ACCESS_ERROR = "odoo.exceptions.AccessError"


@tagged("post_install", "-at_install")
class TestInboundRpcAccess(HttpCase):
    """The inbound surface over JSON-RPC, as an operator: their own open inbound call is
    theirs to fill; every other create/write/unlink is refused and changes nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        operator = "smartcall_campaign.group_operator"
        cls.op1 = new_test_user(cls.env, "ia_op1", groups=operator)
        cls.op2 = new_test_user(cls.env, "ia_op2", groups=operator)
        campaign = cls.env["smartcall.campaign"].create(
            {
                "name": "IA Inbound",
                "direction": "in",
                "inbound_number": "+390611111111",
                "operator_ids": [(6, 0, (cls.op1 | cls.op2).ids)],
                **always_open(cls.env),
            }
        )
        campaign.action_start()
        Call = cls.env["smartcall.call"]
        cls.mine = Call._smartcall_inbound_ring(cls.op1, "+390212345670", "+390611111111")
        cls.theirs = Call._smartcall_inbound_ring(cls.op2, "+390212345671", "+390611111111")
        cls.outbound = Call.create(
            {"user_id": cls.op1.id, "direction": "out", "notes": "outbound note"}
        )
        cls.state = cls.env.ref("smartcall_inbound.inbound_state_ok")

    def _rpc(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def _refused(self, model, method, args, kwargs=None):
        with mute_logger("odoo.http"), self.assertRaises(Exception) as caught:
            self._rpc(model, method, args, kwargs)
        self.assertIn(ACCESS_ERROR, str(caught.exception))

    def setUp(self):
        super().setUp()
        self.authenticate("ia_op1", "ia_op1")

    def test_operator_fills_own_open_inbound_call(self):
        self._rpc(
            "smartcall.call",
            "write",
            [[self.mine.id], {"notes": "hello", "inbound_state_id": self.state.id}],
        )
        self.assertEqual(self.mine.notes, "hello")
        self.assertEqual(self.mine.inbound_state_id, self.state)

    def test_operator_cannot_fill_another_operators_inbound_call(self):
        self._refused("smartcall.call", "write", [[self.theirs.id], {"notes": "mine now"}])
        self.assertFalse(self.theirs.notes)

    def test_operator_cannot_write_system_fields_of_own_call(self):
        self._refused("smartcall.call", "write", [[self.mine.id], {"state": "done"}])
        self.assertEqual(self.mine.state, "draft")

    def test_operator_cannot_write_own_outbound_call(self):
        self._refused("smartcall.call", "write", [[self.outbound.id], {"notes": "rewritten"}])
        self.assertEqual(self.outbound.notes, "outbound note")

    def test_operator_cannot_create_or_unlink_calls(self):
        self._refused("smartcall.call", "create", [{"direction": "in"}])
        self._refused("smartcall.call", "unlink", [[self.mine.id]])
        self.assertTrue(self.mine.exists())

    def test_operator_cannot_edit_the_catalogs_or_portfolios(self):
        for model, values in (
            ("smartcall.inbound.state", {"code": "X", "name": "X"}),
            ("smartcall.inbound.action", {"name": "X"}),
            ("smartcall.inbound.group", {"name": "X"}),
            ("smartcall.portfolio.assignment", {"partner_id": self.op1.partner_id.id}),
        ):
            with self.subTest(model=model):
                self._refused(model, "create", [values])
        self._refused("smartcall.inbound.state", "write", [[self.state.id], {"name": "Y"}])
        self.assertEqual(self.state.name, "OK")

    def test_operator_cannot_accept_another_operators_call(self):
        self._refused("smartcall.call", "action_accept_inbound", [[self.theirs.id]])
        self.assertFalse(self.theirs.answered_at)
