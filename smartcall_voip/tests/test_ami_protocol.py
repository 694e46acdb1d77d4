import asyncio

from odoo.tests import BaseCase

from odoo.addons.smartcall_voip.lib.ami_protocol import (
    AmiActionError,
    AmiConnection,
    AmiConnectionError,
    AmiLoginError,
    AmiProtocolError,
    AmiTimeout,
    encode_action,
    parse_message,
)

from .ami_peer import AmiPeer, frame


class TestAmiProtocol(BaseCase):
    """The AMI module against a protocol-level peer on 127.0.0.1 (real TCP, real framing)."""

    def setUp(self):
        super().setUp()
        self.peer = AmiPeer(secret="s3cret").start()
        self.addCleanup(self.peer.stop)
        self.events = []

    def run_async(self, coro):
        return asyncio.run(asyncio.wait_for(coro, 20))

    async def _logged_in(self, timeout=2.0):
        ami = AmiConnection(
            "127.0.0.1", self.peer.port, timeout=timeout, on_event=self.events.append
        )
        await ami.connect()
        await ami.login("smartcall", "s3cret")
        return ami

    def test_encode_and_parse(self):
        data = encode_action(
            "Originate", "sc-1", {"Channel": "PJSIP/201", "Variable": ["A=1", "B=2"], "X": None}
        )
        self.assertEqual(
            data,
            b"Action: Originate\r\nActionID: sc-1\r\nChannel: PJSIP/201\r\n"
            b"Variable: A=1\r\nVariable: B=2\r\n\r\n",
        )
        with self.assertRaises(ValueError):
            encode_action("Originate", "sc-2", {"Channel": "PJSIP/201\r\nAction: Command"})
        message = parse_message(
            [
                "Event: Hangup",
                "Cause-txt: Normal Clearing",
                "ChanVariable: a=1",
                "ChanVariable: b=2",
            ]
        )
        self.assertEqual(message["Cause-txt"], "Normal Clearing")
        self.assertEqual(message.getall("ChanVariable"), ["a=1", "b=2"])
        with self.assertRaises(AmiProtocolError):
            parse_message(["this is not ami"])

    def test_banner_login_and_action(self):
        async def scenario():
            ami = await self._logged_in()
            pong = await ami.ping()
            await ami.logoff()
            return ami.banner, pong

        banner, pong = self.run_async(scenario())
        self.assertEqual(banner, "Asterisk Call Manager/11.0.0")
        self.assertEqual(pong["Ping"], "Pong")
        login = self.peer.actions_named("Login")[0]
        self.assertEqual(login["Username"], "smartcall")
        self.assertTrue(login["ActionID"])
        self.assertEqual(self.peer.actions_named("Ping")[0]["ActionID"], pong["ActionID"])
        self.assertEqual([e["Event"] for e in self.events], ["FullyBooted"])

    def test_refused_login(self):
        async def scenario():
            ami = AmiConnection("127.0.0.1", self.peer.port, timeout=2)
            await ami.connect()
            await ami.login("smartcall", "wrong")

        with self.assertRaisesRegex(
            AmiLoginError, "refused the AMI login of 'smartcall': Authentication failed"
        ):
            self.run_async(scenario())

    def test_action_error_response(self):
        self.peer.refuse_actions["Originate"] = "Extension does not exist."

        async def scenario():
            ami = await self._logged_in()
            try:
                await ami.action("Originate", Channel="PJSIP/999")
            finally:
                await ami.close()

        with self.assertRaisesRegex(AmiActionError, "refused Originate: Extension does not exist"):
            self.run_async(scenario())

    def test_peer_silent_before_banner(self):
        self.peer.silent_banner = True

        async def scenario():
            await AmiConnection("127.0.0.1", self.peer.port, timeout=0.5).connect()

        with self.assertRaisesRegex(AmiTimeout, "sent no AMI banner"):
            self.run_async(scenario())

    def test_peer_stops_answering(self):
        async def scenario():
            ami = await self._logged_in(timeout=0.5)
            self.peer.silent_after_login = True
            try:
                await ami.ping()
            finally:
                await ami.close()

        with self.assertRaisesRegex(AmiTimeout, "did not answer the Ping action within 0.5 s"):
            self.run_async(scenario())

    def test_list_action_collects_its_events(self):
        self.peer.channels = [
            {
                "Channel": "PJSIP/201-00000001",
                "Uniqueid": "u1",
                "Linkedid": "u1",
                "ChannelState": "6",
            },
            {
                "Channel": "PJSIP/customers-00000002",
                "Uniqueid": "u2",
                "Linkedid": "u1",
                "ChannelState": "5",
            },
        ]

        async def scenario():
            ami = await self._logged_in()
            listing = await ami.action("CoreShowChannels")
            await ami.close()
            return listing

        listing = self.run_async(scenario())
        self.assertEqual(listing["EventList"], "start")
        self.assertEqual(
            [e["Channel"] for e in listing.events],
            ["PJSIP/201-00000001", "PJSIP/customers-00000002"],
        )
        self.assertNotIn(
            "CoreShowChannel", [e["Event"] for e in self.events], "list items are not loose events"
        )

    def test_events_in_stream_order(self):
        async def scenario():
            ami = await self._logged_in()
            self.peer.send_raw(
                frame(Event="Newchannel", Uniqueid="a")
                + frame(Event="Hangup", Uniqueid="a", Cause="16")
            )
            await asyncio.sleep(0.3)
            await ami.close()

        self.run_async(scenario())
        self.assertEqual([e["Event"] for e in self.events], ["FullyBooted", "Newchannel", "Hangup"])
        self.assertEqual(self.events[-1]["Cause"], "16")

    def _closed_reason(self, data, drop=False):
        async def scenario():
            ami = await self._logged_in()
            self.peer.send_raw(data)
            if drop:
                await asyncio.sleep(0.1)
                self.peer.drop_clients()
            reason = await asyncio.wait_for(ami.closed, 5)
            with self.assertRaisesRegex(AmiConnectionError, "connection is closed"):
                await ami.ping()  # nothing more is sent on a broken stream
            return reason

        return self.run_async(scenario())

    def test_malformed_frame_closes_the_connection(self):
        reason = self._closed_reason(b"Event: Hangup\r\nthis line has no colon\r\n\r\n")
        self.assertIsInstance(reason, AmiProtocolError)
        self.assertIn("Malformed AMI line", str(reason))

    def test_truncated_frame(self):
        reason = self._closed_reason(b"Event: Hangup\r\nChannel: PJSIP/cust", drop=True)
        self.assertIsInstance(reason, AmiProtocolError)
        self.assertIn("in the middle of a message", str(reason))

    def test_peer_drops_mid_call(self):
        async def scenario():
            ami = await self._logged_in()
            self.peer.silent_after_login = True  # the Originate gets no answer...
            pending = asyncio.ensure_future(ami.action("Originate", Channel="PJSIP/201", timeout=5))
            await asyncio.sleep(0.2)
            self.peer.drop_clients()  # ...the PBX goes away with it pending
            reason = await asyncio.wait_for(ami.closed, 5)
            with self.assertRaises(AmiConnectionError):
                await pending
            return reason

        reason = self.run_async(scenario())
        self.assertIsInstance(reason, AmiConnectionError)
        self.assertIn("closed the AMI connection", str(reason))

    def test_oversized_line_is_refused(self):
        reason = self._closed_reason(b"Event: " + b"x" * 70000 + b"\r\n\r\n")
        self.assertIsInstance(reason, AmiProtocolError)
