import json
import time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import VoipCase


@tagged("post_install", "-at_install")
class TestPbxEvents(VoipCase):
    """The AMI client's database side: the console's actions become AMI commands (NOTIFY at
    commit), and the PBX's events (as Asterisk 22 sends them, see the real-PBX tests) become
    call and line updates pushed over the bus."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("smartcall_campaign.default_region", "IT")
        cls.campaign = cls.env["smartcall.campaign"].create(
            {
                "name": "Voip events",
                "mode": "manual",
                "operator_ids": [(6, 0, cls.operator.ids)],
                "resource_calendar_id": cls.env.ref(
                    "smartcall_campaign.resource_calendar_always_open"
                ).id,
                "tz": "Europe/Rome",
            }
        )
        italy = cls.env.ref("base.it")
        cls.partner = cls.env["res.partner"].create(
            {
                "name": "Events Customer",
                "country_id": italy.id,
                "phone": "+39 0881 123456",
                "mobile": "+39 333 1234567",
            }
        )
        cls.contact = cls.env["smartcall.campaign.contact"].create(
            {"campaign_id": cls.campaign.id, "partner_id": cls.partner.id}
        )
        cls.contact.write({"state": "queued"})
        cls.campaign.action_start()
        cls.pbx._ami_set_state("connected", "Asterisk Call Manager/11.0.0", "test:1")

    def setUp(self):
        super().setUp()
        self.commands = []
        execute = type(self.env.cr).execute
        test = self

        def spy(cr, query, params=None, log_exceptions=True):
            if isinstance(query, str) and query.startswith("SELECT pg_notify(") and params:
                test.commands.append(json.loads(params[1]))
            return execute(cr, query, params, log_exceptions)

        self.patch(type(self.env.cr), "execute", spy)
        self.console = self.env["smartcall.console"].with_user(self.operator)

    def events(self, *events):
        return self.pbx._ami_apply_events([dict(event, _received=time.time()) for event in events])

    def bus_types(self):
        self.env.cr.precommit.run()
        return [
            json.loads(message)["type"]
            for message in self.env["bus.bus"].sudo().search([]).mapped("message")
        ]

    def open_line(self):
        self.console.start(self.campaign.id)
        line = self.env["smartcall.pbx.line"]._get_current(self.operator)
        originate = self.commands[-1]
        self.assertEqual(originate["action"], "Originate")
        self.assertEqual(originate["fields"]["Channel"], "PJSIP/201")
        self.assertEqual(originate["fields"]["ChannelId"], line.unique_id)
        self.events({"Event": "Newstate", "Uniqueid": line.unique_id, "ChannelState": "6"})
        self.assertEqual(line.state, "up")
        return line

    def dial(self, number=None):
        self.console.pick_contact(self.contact.id)
        number = number or self.contact.phone_e164
        result = self.console.dial(self.contact.id, number)
        self.assertEqual(result["mode"], "pbx")
        return self.commands[-1]["fields"]["ChannelId"], self.contact._get_open_call(self.operator)

    def test_start_rings_the_line_once(self):
        line = self.open_line()
        self.console.start(self.campaign.id)
        self.assertEqual(len([c for c in self.commands if c["action"] == "Originate"]), 1)
        self.assertIn("smartcall_voip/line", self.bus_types())
        self.assertEqual(self.console.get_console_state()["voip"]["line"]["id"], line.id)

    def test_dial_refused_without_open_line(self):
        self.console.start(self.campaign.id)  # rung, not answered yet
        self.console.pick_contact(self.contact.id)
        with self.assertRaisesRegex(UserError, "softphone is not connected"):
            self.console.dial(self.contact.id, self.contact.phone_e164)

    def test_answered_call_then_hang_up(self):
        line = self.open_line()
        uid, call = self.dial()
        fields = self.commands[-1]["fields"]
        self.assertEqual(fields["Channel"], "Local/0881123456@smartcall-out/n")
        self.assertEqual(fields["Data"].split(",")[0], line.room)
        self.assertEqual(call.pbx_state, "dialing")
        self.events(
            {
                "Event": "DialBegin",
                "DestChannel": "Local/0881123456@smartcall-out-1;1",
                "DestUniqueid": uid,
            },
            {
                "Event": "DialBegin",
                "Uniqueid": uid + "-L2",
                "Linkedid": uid,
                "DestChannel": "PJSIP/carrier-1",
                "DestLinkedid": uid,
            },
        )
        self.assertEqual((call.pbx_state, call.customer_channel), ("ringing", "PJSIP/carrier-1"))
        self.events(
            {
                "Event": "DialEnd",
                "Linkedid": uid,
                "DestChannel": "PJSIP/carrier-1",
                "DialStatus": "ANSWER",
            }
        )
        self.assertEqual(call.pbx_state, "answered")
        self.assertTrue(call.answered_at)
        self.console.send_dtmf(self.contact.id, "1#")
        self.assertEqual(
            [
                (c["action"], c["fields"]["Digit"], c["fields"]["Channel"])
                for c in self.commands[-2:]
            ],
            [("PlayDTMF", "1", "PJSIP/carrier-1"), ("PlayDTMF", "#", "PJSIP/carrier-1")],
        )
        state = self.console.hangup(self.contact.id)
        self.assertEqual(state["session"]["state"], "wrap_up")
        self.assertEqual(self.commands[-1]["action"], "Hangup")
        self.assertEqual(self.commands[-1]["fields"]["Channel"], "PJSIP/carrier-1")
        self.events(
            {
                "Event": "Hangup",
                "Channel": "PJSIP/carrier-1",
                "Linkedid": uid,
                "Uniqueid": "x",
                "Cause": "16",
                "Cause-txt": "Normal Clearing",
            },
            {
                "Event": "Hangup",
                "Channel": "Local/x;1",
                "Linkedid": uid,
                "Uniqueid": uid,
                "Cause": "16",
            },
        )
        self.assertEqual(
            (call.pbx_state, call.hangup_cause, call.hangup_cause_text),
            ("ended", 16, "Normal Clearing"),
        )
        self.assertTrue(call.ended_at)
        self.assertEqual(line.state, "up", "the operator's line stays open")
        self.assertIn("smartcall_voip/call", self.bus_types())

    def test_customer_reached_through_a_local_channel(self):
        """A dialplan that routes the customer through a Local channel (a routing context, the
        benchmark's answering context): that dial is the customer's, only the Originate's own
        dial of its Local channel is not."""
        self.open_line()
        uid, call = self.dial()
        customer = "Local/0881123456@route-out-00000002;1"
        self.events(
            {
                "Event": "DialBegin",
                "DestChannel": "Local/0881123456@smartcall-out-00000001;1",
                "DestUniqueid": uid,
                "DestLinkedid": uid,
            },
        )
        self.assertEqual((call.pbx_state, call.customer_channel), ("dialing", False))
        self.events(
            {
                "Event": "DialBegin",
                "Channel": "Local/0881123456@smartcall-out-00000001;2",
                "Uniqueid": uid + "-L2",
                "Linkedid": uid,
                "DestChannel": customer,
                "DestUniqueid": "1733600000.12",
                "DestLinkedid": uid,
            },
            {
                "Event": "DialEnd",
                "Channel": "Local/0881123456@smartcall-out-00000001;2",
                "Uniqueid": uid + "-L2",
                "Linkedid": uid,
                "DestChannel": customer,
                "DestUniqueid": "1733600000.12",
                "DialStatus": "ANSWER",
            },
            {
                "Event": "DialEnd",
                "DestChannel": "Local/0881123456@smartcall-out-00000001;1",
                "DestUniqueid": uid,
                "DestLinkedid": uid,
                "DialStatus": "ANSWER",
            },
        )
        self.assertEqual((call.pbx_state, call.customer_channel), ("answered", customer))
        self.events(
            {
                "Event": "Hangup",
                "Channel": customer,
                "Uniqueid": "1733600000.12",
                "Linkedid": uid,
                "Cause": "16",
                "Cause-txt": "Normal Clearing",
            }
        )
        self.assertEqual((call.pbx_state, call.hangup_cause), ("ended", 16))

    def test_busy_customer(self):
        self.open_line()
        uid, call = self.dial()
        self.events(
            {
                "Event": "DialBegin",
                "Linkedid": uid,
                "DestChannel": "PJSIP/carrier-2",
                "DestLinkedid": uid,
            },
            {
                "Event": "DialEnd",
                "Linkedid": uid,
                "DestChannel": "PJSIP/carrier-2",
                "DialStatus": "BUSY",
            },
            {
                "Event": "Hangup",
                "Channel": "PJSIP/carrier-2",
                "Linkedid": uid,
                "Uniqueid": "y",
                "Cause": "17",
                "Cause-txt": "User busy",
            },
            {
                "Event": "OriginateResponse",
                "Response": "Failure",
                "Reason": "0",
                "Uniqueid": uid,
                "_ref": f"call:{call.id}",
            },
        )
        self.assertEqual(
            (call.pbx_state, call.dial_status, call.hangup_cause), ("failed", "BUSY", 17)
        )
        self.assertFalse(call.answered_at)
        self.assertEqual(call.talk_duration, 0)

    def test_recall_mobile_dials_the_mobile(self):
        self.open_line()
        uid, call = self.dial()
        self.events(
            {
                "Event": "Hangup",
                "Channel": "Local/x;1",
                "Linkedid": uid,
                "Uniqueid": uid,
                "Cause": "16",
            }
        )
        self.console.dial(self.contact.id, self.contact.mobile_e164)
        fields = self.commands[-1]["fields"]
        self.assertEqual(fields["Channel"], "Local/3331234567@smartcall-out/n")
        self.assertNotEqual(fields["ChannelId"], uid)
        self.assertEqual(
            (call.number, call.pbx_state, call.dial_count), ("+393331234567", "dialing", 2)
        )

    def test_do_not_call_refused_before_originate(self):
        self.open_line()
        self.console.pick_contact(self.contact.id)
        self.env["phone.blacklist"].sudo()._add([self.contact.mobile_e164])
        before = len(self.commands)
        with self.assertRaisesRegex(UserError, "do-not-call"):
            self.console.dial(self.contact.id, self.contact.mobile_e164)
        call = self.contact._get_open_call(self.operator)
        with self.assertRaisesRegex(UserError, "do-not-call"):
            call._pbx_dial(
                self.contact.mobile_e164, self.env["smartcall.pbx.line"]._get_current(self.operator)
            )
        self.assertFalse([c for c in self.commands[before:] if c["action"] == "Originate"])

    def test_reconcile_closes_what_ended_while_away(self):
        line = self.open_line()
        uid, call = self.dial()
        self.events(
            {
                "Event": "DialEnd",
                "Linkedid": uid,
                "DestChannel": "PJSIP/carrier-3",
                "DialStatus": "ANSWER",
            }
        )
        self.pbx._ami_reconcile(
            [
                {
                    "Channel": "PJSIP/201-1",
                    "Uniqueid": line.unique_id,
                    "Linkedid": line.unique_id,
                    "ChannelState": "6",
                }
            ]
        )
        self.assertEqual(call.pbx_state, "ended")
        self.assertIn("not connected", call.hangup_cause_text)
        ended_at = call.ended_at
        self.events(
            {
                "Event": "Hangup",
                "Channel": "PJSIP/carrier-3",
                "Linkedid": uid,
                "Uniqueid": "z",
                "Cause": "16",
                "Cause-txt": "Normal Clearing",
            }
        )
        self.assertEqual(call.ended_at, ended_at, "not recorded twice")
        self.assertEqual(line.state, "up")
        self.pbx._ami_reconcile([])
        self.assertEqual(line.state, "down")

    def test_line_drop_and_call_back(self):
        line = self.open_line()
        self.events(
            {
                "Event": "Hangup",
                "Uniqueid": line.unique_id,
                "Linkedid": line.unique_id,
                "Cause": "16",
                "Cause-txt": "Normal Clearing",
            }
        )
        self.assertEqual(line.state, "down")
        state = self.console.get_console_state()
        self.assertEqual(state["voip"]["line"]["state"], "down")
        self.console.call_my_phone()
        self.assertEqual(
            self.env["smartcall.pbx.line"]._get_current(self.operator).state, "calling"
        )

    def test_logout_hangs_up_the_line(self):
        line = self.open_line()
        self.console.logout()
        self.assertEqual(self.commands[-1]["action"], "Hangup")
        self.assertEqual(self.commands[-1]["fields"]["Channel"], line.unique_id)

    def test_inbound_ring_hook(self):
        self.events(
            {
                "Event": "DialBegin",
                "Linkedid": "1700.1",
                "Uniqueid": "1700.1",
                "CallerIDNum": "0881 123456",
                "DestChannel": "PJSIP/201-00000009",
                "DestUniqueid": "1700.2",
                "DestExten": "201",
            },
        )
        self.env.cr.precommit.run()
        messages = [json.loads(m) for m in self.env["bus.bus"].sudo().search([]).mapped("message")]
        rings = [m["payload"] for m in messages if m["type"] == "smartcall_voip/inbound_ring"]
        self.assertEqual(len(rings), 1)
        self.assertEqual(rings[0]["caller_number"], "+390881123456")
        self.assertEqual(rings[0]["unique_id"], "1700.2")

    def test_not_connected_pbx_refuses_calls_but_start_works(self):
        self.pbx._ami_set_state("disconnected", "Cannot connect", "test:1")
        state = self.console.start(self.campaign.id)
        self.assertEqual(state["session"]["state"], "ready")
        self.assertIn("not connected", state["voip"]["line"]["reason"])
        self.assertFalse(state["voip"]["pbx"]["connected"])
