# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=invalid-commit
"""The operator presses Accept while the PBX client writes the same call (the phone answered,
then the caller hung up), in two real PostgreSQL transactions (a test cursor shares one
transaction and could not show the race): the PBX client's transaction meets the operator's
update, is run again, and the call still reaches its final state, once."""

import threading
import time
import uuid

from odoo import SUPERUSER_ID, api, fields
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, tagged

from odoo.addons.smartcall_voip.lib import ami_service


@tagged("post_install", "-at_install", "-standard", "smartcall_concurrency")
class TestInboundPbxRace(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dbname = cls.env.cr.dbname
        cls.tag = uuid.uuid4().hex[:8]
        with db_connect(cls.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            pbx = env["smartcall.pbx"].create(
                {"name": f"Race PBX {cls.tag}", "ami_user": "smartcall", "ami_secret": "x"}
            )
            operator = env["res.users"].create(
                {
                    "name": f"Race operator {cls.tag}",
                    "login": f"sc_inbound_race_{cls.tag}",
                    "groups_id": [(6, 0, env.ref("smartcall_campaign.group_operator").ids)],
                    "pbx_id": pbx.id,
                    "pbx_extension": "PJSIP/391",
                }
            )
            call = env["smartcall.call"].create(
                {
                    "direction": "in",
                    "user_id": operator.id,
                    "number": "+390212345678",
                    "started_at": fields.Datetime.now(),
                    "inbound_unique_id": f"race{cls.tag}.2",
                    "pbx_id": pbx.id,
                    "pbx_channel_id": f"race{cls.tag}.2",
                    "pbx_state": "ringing",
                }
            )
            cr.commit()
            cls.pbx_id, cls.operator_id, cls.call_id = pbx.id, operator.id, call.id

    @classmethod
    def tearDownClass(cls):
        with db_connect(cls.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            env["smartcall.call"].browse(cls.call_id).unlink()
            user = env["res.users"].browse(cls.operator_id)
            partner = user.partner_id
            env["bus.bus"].search([("channel", "like", f'"res.partner", {partner.id}]')]).unlink()
            user.unlink()
            partner.unlink()
            env["smartcall.pbx"].browse(cls.pbx_id).unlink()
            cr.commit()
        super().tearDownClass()

    def _events(self, env):
        """The phone answers, then the caller hangs up (as Asterisk 22 sends them)."""
        channel = f"race{self.tag}.2"
        now = time.time()
        return (
            env["smartcall.pbx"]
            .browse(self.pbx_id)
            ._ami_apply_events(
                [
                    {
                        "Event": "DialEnd",
                        "Uniqueid": f"race{self.tag}.1",
                        "DestUniqueid": channel,
                        "DialStatus": "ANSWER",
                        "_received": now,
                    },
                    {
                        "Event": "Hangup",
                        "Uniqueid": f"race{self.tag}.1",
                        "Linkedid": f"race{self.tag}.1",
                        "Cause": "16",
                        "_received": now + 2,
                    },
                    {
                        "Event": "Hangup",
                        "Uniqueid": channel,
                        "Linkedid": f"race{self.tag}.1",
                        "Cause": "16",
                        "Cause-txt": "Normal Clearing",
                        "_received": now + 2,
                    },
                ]
            )
        )

    def _waiting_on_a_lock(self):
        with db_connect(self.dbname).cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s"
                " AND wait_event_type = 'Lock'",
                (self.dbname,),
            )
            return cr.fetchone()[0]

    def test_accept_during_the_pbx_events_still_ends_the_call_once(self):
        errors = []
        with db_connect(self.dbname).cursor() as operator_cr:
            env = api.Environment(operator_cr, self.operator_id, {})
            env["smartcall.call"].browse(self.call_id).action_accept_inbound()
            env.flush_all()  # the call's row is now locked by the operator's transaction

            def pbx_client():
                try:
                    ami_service._with_env(self.dbname, self._events)
                except Exception as error:  # noqa: BLE001 - reported by the test
                    errors.append(error)

            thread = threading.Thread(target=pbx_client)
            thread.start()
            deadline = time.monotonic() + 10
            while not self._waiting_on_a_lock() and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertTrue(thread.is_alive(), "the PBX client waits for the operator's update")
            operator_cr.commit()
        thread.join(30)
        self.assertFalse(thread.is_alive())
        self.assertEqual(errors, [])
        with db_connect(self.dbname).cursor() as cr:
            cr.execute(
                "SELECT pbx_state, state, answered_at, ended_at, hangup_cause"
                " FROM smartcall_call WHERE id = %s",
                (self.call_id,),
            )
            pbx_state, state, answered_at, ended_at, cause = cr.fetchone()
            cr.execute(
                "SELECT count(*) FROM smartcall_call WHERE inbound_unique_id = %s",
                (f"race{self.tag}.2",),
            )
            count = cr.fetchone()[0]
        self.assertEqual((pbx_state, state, cause, count), ("ended", "draft", 16, 1))
        self.assertTrue(answered_at and ended_at and ended_at >= answered_at)
