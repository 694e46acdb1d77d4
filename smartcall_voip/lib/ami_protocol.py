# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A small asyncio client of the Asterisk Manager Interface (AMI), standard library only.

AMI is a line protocol over TCP (optionally TLS): the server greets with one banner line
(``Asterisk Call Manager/11.0.0``), then both sides exchange messages made of ``Key: Value``
lines ended by an empty line. The client sends actions (``Action: Originate``) with an
``ActionID``; the server answers each with a message carrying ``Response`` and the same
``ActionID``, and sends ``Event`` messages at any time. List actions (``CoreShowChannels``)
answer ``Response: Success`` with ``EventList: start``, then events carrying the ActionID, and
a final ``...Complete`` event with ``EventList: Complete``.

Why our own module: the asyncio AMI libraries on PyPI are either unmaintained (panoramisk's
last release is from 2021) or tiny one-person projects; the protocol needed here (banner,
login, actions with ActionID, list actions, events, ping) fits in this file and is tested
against a protocol-level peer, byte for byte, including the broken cases (refused login,
silent peer, malformed and truncated frames, a peer that drops mid-call).
"""

import asyncio
import itertools
import logging
import ssl as ssl_module

_logger = logging.getLogger(__name__)

BANNER_PREFIX = "Asterisk Call Manager/"
# A message bigger than this is not AMI (a runaway peer): the connection is dropped.
MAX_MESSAGE_BYTES = 256 * 1024
MAX_LINE_BYTES = 64 * 1024


class AmiError(Exception):
    """Any AMI failure; the message is one sentence for the administrator."""


class AmiConnectionError(AmiError):
    """The PBX could not be reached, or the connection was lost."""


class AmiLoginError(AmiError):
    """The PBX refused the AMI user or secret."""


class AmiProtocolError(AmiError):
    """The peer sent something that is not AMI."""


class AmiTimeout(AmiError):
    """The peer did not answer in time."""


class AmiActionError(AmiError):
    """The PBX answered ``Response: Error`` to an action."""

    def __init__(self, message, response=None):
        super().__init__(message)
        self.response = response or {}


class AmiMessage(dict):
    """One AMI message: ``msg["Event"]`` is the first value of a key; ``msg.getall(key)``
    returns every value of a repeated key (``ChanVariable``, ``Output``)."""

    def __init__(self, pairs=()):
        super().__init__()
        self.pairs = list(pairs)
        for key, value in self.pairs:
            self.setdefault(key, value)
        self.events = []

    def getall(self, key):
        return [value for k, value in self.pairs if k == key]

    @property
    def is_event(self):
        return "Event" in self

    @property
    def is_response(self):
        return "Response" in self


def _check_value(key, value):
    text = str(value)
    if "\r" in text or "\n" in text:
        raise ValueError(f"AMI field {key} must be one line")
    return text


def encode_action(name, action_id, fields=None):
    """The bytes of one action. A list value is sent as repeated lines (``Variable``)."""
    lines = [f"Action: {_check_value('Action', name)}", f"ActionID: {action_id}"]
    for key, value in (fields or {}).items():
        if value is None:
            continue
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            lines.append(f"{key}: {_check_value(key, item)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


def parse_message(lines):
    """An AmiMessage from the decoded lines of one message (without the empty line). A line
    without ``:`` is not AMI: AmiProtocolError."""
    pairs = []
    for line in lines:
        key, sep, value = line.partition(":")
        if not sep or not key.strip() or " " in key.strip():
            raise AmiProtocolError(f"Malformed AMI line: {line[:80]!r}")
        pairs.append((key.strip(), value.strip()))
    return AmiMessage(pairs)


class AmiConnection:
    """One AMI session. ``connect()`` reads the banner, ``login()`` authenticates, then
    ``action()`` sends actions and every event is given to ``on_event`` (a plain callable,
    called in the event loop, in the order of the stream). ``closed`` is a future resolved
    (with the reason, an AmiError) when the connection ends."""

    def __init__(self, host, port, use_tls=False, timeout=5.0, on_event=None):
        self.host = host
        self.port = int(port)
        self.use_tls = use_tls
        self.timeout = timeout
        self.on_event = on_event
        self.banner = None
        self._reader = None
        self._writer = None
        self._read_task = None
        self._pending = {}
        self._ids = itertools.count(1)
        self.closed = None

    # ------------------------------------------------------------------ connection
    async def connect(self):
        loop = asyncio.get_running_loop()
        self.closed = loop.create_future()
        ssl_context = None
        if self.use_tls:
            ssl_context = ssl_module.create_default_context()
        try:
            self._reader, self._writer = await asyncio.wait_for(
                asyncio.open_connection(
                    self.host, self.port, ssl=ssl_context, limit=MAX_LINE_BYTES
                ),
                self.timeout,
            )
        except TimeoutError as error:
            raise AmiTimeout(
                f"No answer from {self.host}:{self.port} within {self.timeout:g} s."
            ) from error
        except ssl_module.SSLError as error:
            raise AmiConnectionError(
                f"TLS failed with {self.host}:{self.port}: {error.reason or error}."
            ) from error
        except OSError as error:
            raise AmiConnectionError(
                f"Cannot connect to {self.host}:{self.port}: {error.strerror or error}."
            ) from error
        try:
            raw = await asyncio.wait_for(self._reader.readline(), self.timeout)
        except TimeoutError as error:
            await self.close()
            raise AmiTimeout(
                f"{self.host}:{self.port} accepted the connection but sent no AMI banner."
            ) from error
        except (OSError, ValueError) as error:
            await self.close()
            raise AmiProtocolError(f"Unreadable banner from {self.host}:{self.port}.") from error
        banner = raw.decode("utf-8", "replace").strip()
        if not banner.startswith(BANNER_PREFIX):
            await self.close()
            if not raw:
                raise AmiConnectionError(
                    f"{self.host}:{self.port} closed the connection before the AMI banner."
                )
            raise AmiProtocolError(
                f"{self.host}:{self.port} is not an Asterisk Manager Interface "
                f"(it said {banner[:60]!r})."
            )
        self.banner = banner
        self._read_task = asyncio.ensure_future(self._read_loop())
        return banner

    async def close(self, reason=None):
        if (
            self._read_task
            and not self._read_task.done()
            and self._read_task is not asyncio.current_task()
        ):
            self._read_task.cancel()
        if self._writer is not None:
            self._writer.close()
            try:
                await asyncio.wait_for(self._writer.wait_closed(), 1)
            except (OSError, TimeoutError, ssl_module.SSLError) as error:
                _logger.debug("AMI connection already gone: %s", error)
            self._writer = None
        self._fail_all(reason or AmiConnectionError("The AMI connection was closed."))

    def _fail_all(self, error):
        for future in self._pending.values():
            if not future.done():
                future.set_exception(error)
        self._pending.clear()
        if self.closed is not None and not self.closed.done():
            self.closed.set_result(error)

    @property
    def is_open(self):
        return self.closed is not None and not self.closed.done()

    # ------------------------------------------------------------------ reading
    async def _read_message(self):
        lines = []
        size = 0
        while True:
            try:
                raw = await self._reader.readline()
            except ValueError as error:  # line over MAX_LINE_BYTES
                raise AmiProtocolError("An AMI line is too long.") from error
            if not raw:
                if lines:
                    raise AmiProtocolError(
                        "The PBX closed the connection in the middle of a message."
                    )
                raise AmiConnectionError("The PBX closed the AMI connection.")
            if not raw.endswith(b"\n"):
                raise AmiProtocolError("The PBX closed the connection in the middle of a message.")
            size += len(raw)
            if size > MAX_MESSAGE_BYTES:
                raise AmiProtocolError("An AMI message is too big.")
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if line == "":
                if lines:
                    return parse_message(lines)
                continue
            lines.append(line)

    async def _read_loop(self):
        try:
            while True:
                message = await self._read_message()
                self._dispatch(message)
        except asyncio.CancelledError:
            self._fail_all(AmiConnectionError("The AMI connection was closed."))
            raise
        except AmiError as error:
            await self.close(error)
        except OSError as error:
            await self.close(AmiConnectionError(f"The AMI connection broke: {error}."))

    def _dispatch(self, message):
        action_id = message.get("ActionID")
        future = self._pending.get(action_id) if action_id else None
        if future is not None and not future.done():
            response = getattr(future, "response", None)
            if message.is_response and response is None:
                if message.get("EventList", "").lower() == "start":
                    future.response = message  # a list follows: wait for its end
                else:
                    self._pending.pop(action_id)
                    future.set_result(message)
                return
            if response is not None and message.is_event:
                if message.get("EventList", "").lower() == "complete":
                    self._pending.pop(action_id)
                    future.set_result(response)
                else:
                    response.events.append(message)
                return
        if message.is_event and self.on_event is not None:
            self.on_event(message)

    # ------------------------------------------------------------------ actions
    async def send(self, name, **fields):
        """Send an action without waiting for its response; returns its ActionID."""
        if not self.is_open:
            raise AmiConnectionError("The AMI connection is closed.")
        action_id = f"sc-{next(self._ids)}"
        self._writer.write(encode_action(name, action_id, fields))
        await self._writer.drain()
        return action_id

    async def action(self, name, timeout=None, check=True, **fields):
        """Send an action and return its response (for list actions, with ``.events``).
        ``Response: Error`` raises AmiActionError when `check`."""
        if not self.is_open:
            raise AmiConnectionError("The AMI connection is closed.")
        action_id = f"sc-{next(self._ids)}"
        future = asyncio.get_running_loop().create_future()
        future.response = None
        self._pending[action_id] = future
        try:
            self._writer.write(encode_action(name, action_id, fields))
            await self._writer.drain()
        except OSError as error:
            self._pending.pop(action_id, None)
            raise AmiConnectionError(f"The AMI connection broke: {error}.") from error
        try:
            response = await asyncio.wait_for(future, timeout or self.timeout)
        except TimeoutError as error:
            self._pending.pop(action_id, None)
            raise AmiTimeout(
                f"The PBX did not answer the {name} action within {timeout or self.timeout:g} s."
            ) from error
        if check and response.get("Response", "").lower() == "error":
            raise AmiActionError(
                f"The PBX refused {name}: {response.get('Message') or 'no reason given'}.",
                response,
            )
        return response

    async def login(self, username, secret, events=True):
        """``events``: True (all the events the user may read), False (none) or AMI's
        comma-separated event classes (e.g. ``"call"``)."""
        if isinstance(events, bool):
            events = "on" if events else "off"
        try:
            return await self.action("Login", Username=username, Secret=secret, Events=events)
        except AmiActionError as error:
            message = error.response.get("Message") or "Authentication failed"
            raise AmiLoginError(
                f"The PBX refused the AMI login of {username!r}: {message}."
            ) from error

    async def ping(self, timeout=None):
        return await self.action("Ping", timeout=timeout)

    async def logoff(self):
        try:
            await self.action("Logoff", timeout=2, check=False)
        except AmiError as error:  # Logoff answers "Goodbye" and closes: any ending is fine
            _logger.debug("AMI logoff: %s", error)
        await self.close()


async def test_connection(host, port, username, secret, use_tls=False, timeout=5.0):
    """Connect, log in and log off: the banner on success, AmiError otherwise."""
    connection = AmiConnection(host, port, use_tls=use_tls, timeout=timeout)
    banner = await connection.connect()
    try:
        await connection.login(username, secret, events=False)
    finally:
        await connection.logoff()
    return banner
