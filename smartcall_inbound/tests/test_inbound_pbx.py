# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SmartcallInboundCommon


@tagged("post_install", "-at_install")
class TestInboundPbx(SmartcallInboundCommon):
    """A real PBX ring (smartcall_voip's AMI events) reaches the phone bar, and the phone
    bar's hang-up goes to the PBX's client when the call came through the PBX."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pbx = cls.env["smartcall.pbx"].create(
            {
                "name": "Asterisk Roma",
                "host": "127.0.0.1",
                "port": 5038,
                "ami_user": "smartcall",
                "ami_secret": "s3cret",
            }
        )
        cls.operator_1.write({"pbx_id": cls.pbx.id, "pbx_extension": "PJSIP/301"})
        cls.pbx._ami_set_state("connected", "Asterisk Call Manager/11.0.0", "test:1")

    def setUp(self):
        super().setUp()
        # what smartcall_voip queues for its AMI client: NOTIFYs on its channel
        self.commands = []
        execute = type(self.env.cr).execute
        test = self

        def spy(cr, query, params=None, log_exceptions=True):
            if isinstance(query, str) and query.startswith("SELECT pg_notify(") and params:
                test.commands.append(json.loads(params[1]))
            return execute(cr, query, params, log_exceptions)

        self.patch(type(self.env.cr), "execute", spy)
        self.env["bus.bus"].sudo().search([]).unlink()

    def _pbx_events(self, *events, at=None):
        """AMI events of the ringing call as Asterisk 22 sends them (see the real-PBX test
        tests/test_inbound_asterisk.py): the caller's channel 1700.1 (PJSIP/trunk) dials the
        operator's 1700.2 (PJSIP/301). `at`: seconds from now when the events arrive."""
        received = time.time() + (at or 0)
        return self.pbx._ami_apply_events([dict(event, _received=received) for event in events])

    def _dial_end(self, status):
        return {
            "Event": "DialEnd",
            "Channel": "PJSIP/trunk-00000009",
            "Uniqueid": "1700.1",
            "Linkedid": "1700.1",
            "DestChannel": "PJSIP/301-0000000a",
            "DestUniqueid": "1700.2",
            "DestLinkedid": "1700.1",
            "DialStatus": status,
        }

    def _hangups(self, cause="16", cause_txt="Normal Clearing"):
        """The caller's leg, then the operator's (whose channel ends with it)."""
        return [
            {
                "Event": "Hangup",
                "Channel": "PJSIP/trunk-00000009",
                "Uniqueid": "1700.1",
                "Linkedid": "1700.1",
                "Cause": cause,
                "Cause-txt": cause_txt,
            },
            {
                "Event": "Hangup",
                "Channel": "PJSIP/301-0000000a",
                "Uniqueid": "1700.2",
                "Linkedid": "1700.1",
                "Cause": cause,
                "Cause-txt": cause_txt,
            },
        ]

    def _pbx_ring(self, caller="02 1234 5678", unique_id="1700.2"):
        self.pbx._ami_apply_events(
            [
                {
                    "Event": "DialBegin",
                    "Linkedid": "1700.1",
                    "Uniqueid": "1700.1",
                    "CallerIDNum": caller,
                    "DestChannel": "PJSIP/301-0000000a",
                    "DestUniqueid": unique_id,
                    "DestExten": "0612345678",
                    "_received": time.time(),
                }
            ]
        )
        return self.Call.search([("inbound_unique_id", "=", unique_id)])

    def test_pbx_ring_opens_the_inbound_call_and_rings_the_phone_bar(self):
        call = self._pbx_ring()
        self.assertEqual(len(call), 1)
        self.assertEqual(call.direction, "in")
        self.assertEqual(call.user_id, self.operator_1)
        self.assertEqual(call.campaign_id, self.inbound)
        self.assertEqual(call.partner_id, self.rossi)
        self.assertEqual(call.inbound_portfolio_holder_id, self.operator_2)
        self.assertEqual(call.pbx_id, self.pbx)
        self.assertEqual(call.pbx_channel_id, "1700.2")
        self.assertEqual(call.pbx_state, "ringing")
        payloads = self._bus_payloads("smartcall_inbound/ringing", self.operator_1)
        self.assertEqual(len(payloads), 1)
        self.assertEqual(payloads[0]["call_id"], call.id)
        self.assertEqual(payloads[0]["partner_name"], "Rossi Srl")
        self.assertEqual(payloads[0]["holder_name"], self.operator_2.name)

    def test_pbx_ring_of_an_unknown_extension_opens_nothing(self):
        before = self.Call.search_count([("direction", "=", "in")])
        self.pbx._ami_apply_events(
            [
                {
                    "Event": "DialBegin",
                    "Uniqueid": "1700.5",
                    "CallerIDNum": "02 1234 5678",
                    "DestChannel": "PJSIP/999-0000000b",
                    "DestUniqueid": "1700.6",
                    "DestExten": "0612345678",
                }
            ]
        )
        self.assertEqual(self.Call.search_count([("direction", "=", "in")]), before)
        self.assertFalse(self._bus_payloads("smartcall_inbound/ringing", self.operator_1))

    def test_hang_up_of_a_pbx_call_queues_the_hangup_for_the_ami_client(self):
        call = self._pbx_ring()
        call.with_user(self.operator_1).action_accept_inbound()
        self.assertEqual(call.pbx_state, "answered")
        self.commands.clear()
        call.with_user(self.operator_1).action_hangup_inbound()
        self.assertEqual(
            self.commands,
            [
                {
                    "pbx_id": self.pbx.id,
                    "action": "Hangup",
                    "fields": {"Channel": "1700.2", "Cause": 16},
                    "ref": f"call:{call.id}",
                }
            ],
        )
        self.assertEqual(call.pbx_state, "ended")
        self.assertTrue(call.ended_at)
        self.assertEqual(call.state, "draft")
        updates = self._bus_payloads("smartcall_inbound/updated", self.operator_1)
        self.assertTrue(updates[-1]["ended"])

    def test_hang_up_without_a_pbx_sends_nothing_to_the_pbx(self):
        call = self._ring(self.operator_1, "0212345678", unique_id="1700000000.9")
        call.with_user(self.operator_1).action_accept_inbound()
        self.commands.clear()
        call.with_user(self.operator_1).action_hangup_inbound()
        self.assertEqual(self.commands, [])
        self.assertFalse(call.pbx_state)
        self.assertTrue(call.ended_at)
        self.assertEqual(call.state, "draft")

    def test_caller_giving_up_while_it_rings_makes_a_missed_call(self):
        call = self._pbx_ring()
        self._pbx_events(
            self._dial_end("CANCEL"), *self._hangups("127", "Interworking, unspecified"), at=3
        )
        self.assertEqual(call.state, "missed")
        self.assertEqual(call.pbx_state, "failed")
        self.assertEqual(call.dial_status, "CANCEL")
        self.assertFalse(call.answered_at)
        self.assertTrue(call.ended_at)
        self.assertGreaterEqual(call.ring_duration, 2)
        self.assertEqual(call.talk_duration, 0)
        closed = self._bus_payloads("smartcall_inbound/closed", self.operator_1)
        self.assertEqual(len(closed), 1)
        self.assertEqual(closed[0]["call_id"], call.id)
        self.assertTrue(closed[0]["missed"])
        self.assertEqual(closed[0]["partner_name"], "Rossi Srl")
        self.assertFalse(self._bus_payloads("smartcall_inbound/updated", self.operator_1))
        self.assertFalse(self._bus_payloads("smartcall_voip/call", self.operator_1))
        bar = self.Call.with_user(self.operator_1).smartcall_inbound_phone_bar_state()
        self.assertEqual(bar["state"], "available")
        self.assertFalse(bar["call"])

    def test_caller_hanging_up_after_the_answer_ends_the_call_with_durations(self):
        call = self._pbx_ring()
        self._pbx_events(self._dial_end("ANSWER"), at=2)
        self.assertEqual(call.pbx_state, "answered")
        self.assertTrue(call.answered_at)
        self.assertEqual(
            self.Call.with_user(self.operator_1).smartcall_inbound_phone_bar_state()["state"],
            "in_call",
        )
        self._pbx_events(*self._hangups(), at=12)
        self.assertEqual(call.pbx_state, "ended")
        self.assertEqual(call.state, "draft", "the operator still closes the form")
        self.assertEqual(call.hangup_cause, 16)
        self.assertAlmostEqual(call.ring_duration, 2, delta=1)
        self.assertAlmostEqual(call.talk_duration, 10, delta=1)
        updates = self._bus_payloads("smartcall_inbound/updated", self.operator_1)
        self.assertEqual(
            [(u["answered"], u["ended"]) for u in updates], [(True, False), (True, True)]
        )
        self.assertFalse(self._bus_payloads("smartcall_inbound/closed", self.operator_1))

    def test_ring_and_hang_up_in_one_batch_of_events(self):
        """The AMI client may read the ring and its end in the same batch."""
        self.pbx._ami_apply_events(
            [
                {
                    "Event": "DialBegin",
                    "Channel": "PJSIP/trunk-00000009",
                    "Uniqueid": "1700.1",
                    "Linkedid": "1700.1",
                    "CallerIDNum": "02 1234 5678",
                    "DestChannel": "PJSIP/301-0000000a",
                    "DestUniqueid": "1700.2",
                    "DestExten": "0612345678",
                    "_received": time.time(),
                },
                dict(self._dial_end("CANCEL"), _received=time.time()),
                *[dict(event, _received=time.time()) for event in self._hangups()],
            ]
        )
        call = self.Call.search([("inbound_unique_id", "=", "1700.2")])
        self.assertEqual(len(call), 1)
        self.assertEqual((call.state, call.pbx_state), ("missed", "failed"))
        self.assertEqual(len(self._bus_payloads("smartcall_inbound/ringing", self.operator_1)), 1)
        self.assertEqual(len(self._bus_payloads("smartcall_inbound/closed", self.operator_1)), 1)

    def test_events_after_the_end_record_nothing_again(self):
        call = self._pbx_ring()
        self._pbx_events(self._dial_end("ANSWER"), at=1)
        self._pbx_events(*self._hangups(), at=5)
        ended_at = call.ended_at
        self.env.cr.precommit.run()  # the bus writes the pushes so far
        self.env["bus.bus"].sudo().search([]).unlink()
        self._pbx_events(*self._hangups("127", "Interworking"), self._dial_end("ANSWER"), at=9)
        self.assertEqual(call.ended_at, ended_at)
        self.assertEqual(call.hangup_cause, 16)
        self.assertEqual(call.pbx_state, "ended")
        self.env.cr.precommit.run()
        self.assertFalse(self.env["bus.bus"].sudo().search([]))

    def test_phone_bar_hang_up_after_the_caller_hung_up_sends_nothing_to_the_pbx(self):
        call = self._pbx_ring()
        self._pbx_events(self._dial_end("ANSWER"), at=1)
        self._pbx_events(*self._hangups(), at=5)
        ended_at = call.ended_at
        self.commands.clear()
        call.with_user(self.operator_1).action_hangup_inbound()
        self.assertEqual(self.commands, [])
        self.assertEqual(call.ended_at, ended_at)
        self.assertEqual((call.state, call.pbx_state), ("draft", "ended"))

    def test_operator_declining_the_ring_makes_a_missed_call(self):
        call = self._pbx_ring()
        call.with_user(self.operator_1).action_hangup_inbound()
        self.assertEqual(self.commands[-1]["action"], "Hangup")
        self.assertEqual((call.state, call.pbx_state), ("missed", "failed"))
        self.assertTrue(self._bus_payloads("smartcall_inbound/closed", self.operator_1))
        with self.assertRaisesRegex(UserError, "already closed"):
            call.with_user(self.operator_1).action_accept_inbound()
