"""A protocol-level AMI peer for the tests: a real TCP server on 127.0.0.1 speaking AMI
(banner, Login, Response/ActionID, list actions, events), in its own thread and event loop.

It answers like Asterisk 22 does for the actions Smartcall sends, records every action it
receives, lets a test push events, and can misbehave on purpose: refuse the login, stay
silent (no banner, or no answers after login), send a malformed or a truncated frame, or
drop the connection.
"""

import asyncio
import threading
import time

BANNER = b"Asterisk Call Manager/11.0.0\r\n"


def frame(**fields):
    """Bytes of one AMI message; a list value gives repeated lines."""
    lines = []
    for key, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            lines.append(f"{key}: {item}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


class AmiPeer:
    def __init__(self, username="smartcall", secret="s3cret"):
        self.username = username
        self.secret = secret
        self.silent_banner = False  # accept TCP, never send the banner
        self.silent_after_login = False  # stop answering once logged in
        self.banner = BANNER
        self.channels = []  # CoreShowChannel events (dicts) answered to CoreShowChannels
        self.actions = []  # every action received: dicts
        self.logins = 0
        self._logged_in = False
        self._logged_in = False
        self.refuse_actions = {}  # action name -> error message
        self.on_action = None  # callable(peer, action_dict) run after the answer
        self._writers = []
        self._loop = None
        self._server = None
        self._thread = None
        self.port = None
        self._ready = threading.Event()

    # ------------------------------------------------------------------ lifecycle
    def start(self):
        self._thread = threading.Thread(target=self._run, daemon=True, name="ami-peer")
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the AMI peer did not start")
        return self

    def _run(self):
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", 0)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        self._loop.close()

    def stop(self):
        if self._loop is None:
            return

        async def shutdown():
            self._server.close()
            for writer in list(self._writers):
                writer.close()
            await self._server.wait_closed()

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # ------------------------------------------------------------------ test controls
    def _call(self, coro_fn):
        return asyncio.run_coroutine_threadsafe(coro_fn(), self._loop).result(5)

    def send_raw(self, data):
        """Bytes to every connected client (an event, a broken frame...)."""
        if threading.current_thread() is self._thread:  # from on_action, in the peer's loop
            for writer in list(self._writers):
                writer.write(data)
            return

        async def send():
            for writer in list(self._writers):
                writer.write(data)
                await writer.drain()

        self._call(send)

    def send_event(self, **fields):
        self.send_raw(frame(**fields))

    def drop_clients(self):
        """Close every client connection (the PBX went away mid-call)."""

        async def drop():
            for writer in list(self._writers):
                writer.close()
            self._writers.clear()

        self._call(drop)

    @property
    def client_count(self):
        return len(self._writers)

    def wait_for(self, predicate, timeout=10, message="condition"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.02)
        raise AssertionError(f"AMI peer: timed out waiting for {message}")

    def actions_named(self, name):
        return [a for a in self.actions if a.get("Action", "").lower() == name.lower()]

    # ------------------------------------------------------------------ protocol
    async def _handle(self, reader, writer):
        self._writers.append(writer)
        self._logged_in = False
        try:
            if self.silent_banner:
                await reader.read()  # never greet
                return
            writer.write(self.banner)
            await writer.drain()
            while True:
                action = await self._read_action(reader)
                if action is None:
                    return
                self.actions.append(action)
                if self.silent_after_login and self._logged_in:
                    continue
                keep = self._answer(writer, action)
                await writer.drain()
                if not keep:
                    return
                if self.on_action is not None:
                    self.on_action(self, action)
        except (ConnectionError, OSError):
            return
        finally:
            if writer in self._writers:
                self._writers.remove(writer)
            writer.close()

    @staticmethod
    async def _read_action(reader):
        lines = []
        while True:
            raw = await reader.readline()
            if not raw:
                return None
            line = raw.decode().rstrip("\r\n")
            if not line:
                if lines:
                    break
                continue
            lines.append(line)
        action = {}
        for line in lines:
            key, _sep, value = line.partition(":")
            action.setdefault(key.strip(), value.strip())
        return action

    def _answer(self, writer, action):
        """Write the answer to `action`; False when the connection ends (Logoff)."""
        name = action.get("Action", "").lower()
        aid = action.get("ActionID", "")
        if name == "login":
            self._answer_login(writer, action)
        elif not self._logged_in:
            writer.write(frame(Response="Error", ActionID=aid, Message="Permission denied"))
        elif name == "logoff":
            writer.write(frame(Response="Goodbye", ActionID=aid, Message="Thanks."))
            return False
        elif action.get("Action") in self.refuse_actions:
            message = self.refuse_actions[action["Action"]]
            writer.write(frame(Response="Error", ActionID=aid, Message=message))
        elif name == "coreshowchannels":
            self._answer_channels(writer, aid)
        elif name == "ping":
            stamp = f"{time.time():.6f}"
            writer.write(frame(Response="Success", ActionID=aid, Ping="Pong", Timestamp=stamp))
        elif name == "originate":
            message = "Originate successfully queued"
            writer.write(frame(Response="Success", ActionID=aid, Message=message))
        else:
            message = f"{action.get('Action')} done"
            writer.write(frame(Response="Success", ActionID=aid, Message=message))
        return True

    def _answer_login(self, writer, action):
        aid = action.get("ActionID", "")
        self.logins += 1
        if action.get("Username") == self.username and action.get("Secret") == self.secret:
            self._logged_in = True
            writer.write(frame(Response="Success", ActionID=aid, Message="Authentication accepted"))
            writer.write(frame(Event="FullyBooted", Privilege="system,all", Status="Fully Booted"))
        else:
            writer.write(frame(Response="Error", ActionID=aid, Message="Authentication failed"))

    def _answer_channels(self, writer, aid):
        writer.write(
            frame(Response="Success", ActionID=aid, EventList="start", Message="Channels follow")
        )
        for channel in self.channels:
            writer.write(frame(Event="CoreShowChannel", ActionID=aid, **channel))
        writer.write(
            frame(
                Event="CoreShowChannelsComplete",
                ActionID=aid,
                EventList="Complete",
                ListItems=str(len(self.channels)),
            )
        )
