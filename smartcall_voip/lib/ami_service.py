# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The long-running AMI client of each PBX (DESIGN: "one AMI connection per PBX in a
long-running process ... exactly one across all servers").

Every Odoo server process (threaded, or each prefork worker, never the prefork master nor
the websocket process: see ``start_supervisor_in_server``) runs one ``PbxRunner`` thread
per active PBX. A runner first takes the PBX's PostgreSQL
advisory lock on a connection of its own; only the holder talks to the PBX, the others
stand by and retry every few seconds, so when the holder's process dies PostgreSQL
releases the lock and a standby takes over. The holder:

- connects and logs in, with back-off on failure (1 s doubling up to 30 s);
- pings the PBX every 10 s and reconnects when it does not answer;
- after each login, lists the PBX's channels (CoreShowChannels) and reconciles the calls
  and operators' lines it was tracking (what ended while it was away is closed);
- LISTENs on ``smartcall_voip_pbx`` for the actions the HTTP workers queue
  (``smartcall.pbx._send_command``: a NOTIFY sent at commit) and sends them;
- turns the AMI events of Smartcall's channels into updates of the database, batched: all
  the events received while the previous batch was being written go in one transaction.

Nothing here runs inside an HTTP request.
"""

import asyncio
import json
import logging
import os
import random
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import psycopg2.extensions

from .ami_protocol import AmiConnection, AmiError

_logger = logging.getLogger(__name__)

LOCK_CLASS = 0x5C0F  # first key of the per-PBX advisory lock (second key: the PBX id)
NOTIFY_CHANNEL = "smartcall_voip_pbx"
STANDBY_RETRY = 2.0
SUPERVISE_EVERY = 10.0
PING_EVERY = 10.0
BACKOFF_MAX = 30.0
STATS_EVERY = 10.0
# Events the database side looks at; the rest (VarSet, Newexten, RTCP...) is dropped here.
EVENTS = {
    "Newchannel",
    "Newstate",
    "DialBegin",
    "DialEnd",
    "Hangup",
    "OriginateResponse",
    "BridgeEnter",
    "ConfbridgeJoin",
    "ConfbridgeLeave",
    "MixMonitorStart",
}
# AMI's class of every event above: Asterisk sends only these, not the dialplan's VarSet and
# Newexten, most of a call's events, which the client would read for nothing.
EVENT_CLASSES = "call"

_RUNNERS = {}
_SUPERVISORS = {}
_GUARD = threading.Lock()
# databases whose supervisor each prefork worker starts after its fork
_START_AFTER_FORK = set()


def holder_name():
    return f"{socket.gethostname()}:{os.getpid()}"


def _connection_info(dbname):
    import odoo.sql_db

    _db, info = odoo.sql_db.connection_info_for(dbname)
    return info


def _with_env(dbname, fn):
    """Run fn(env) in a transaction of its own (committed on success). A transaction that
    meets a concurrent update of the same rows (e.g. the operator's Accept while the PBX says
    the phone answered) is run again from the start, as Odoo retries an RPC: otherwise the
    batch of events it held would be lost and its calls never reach their final state."""
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry
    from odoo.service.model import (
        MAX_TRIES_ON_CONCURRENCY_FAILURE,
        PG_CONCURRENCY_EXCEPTIONS_TO_RETRY,
    )

    registry = Registry(dbname)
    for tryno in range(1, MAX_TRIES_ON_CONCURRENCY_FAILURE + 1):
        try:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                return fn(env)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY as error:
            if tryno == MAX_TRIES_ON_CONCURRENCY_FAILURE:
                raise
            _logger.info("%s, retrying the PBX client's transaction (%d)", error.pgcode, tryno)
            time.sleep(random.uniform(0.0, 0.1 * 2**tryno))


def start_supervisor_in_server(dbname):
    """Start this database's PBX clients in the processes of a running Odoo server that serve
    HTTP requests or crons: in the threaded server itself, in each prefork worker, never in
    the websocket (gevent) process.

    Odoo with ``--workers`` and ``-d`` loads the database's registry in its master process
    before forking the workers, and empties its connection pool before the first fork so that
    no worker shares a connection with it. A thread started there would open connections
    again, and every later fork would copy them into a worker: two processes on one
    PostgreSQL session, which breaks the requests of both. So the master only notes the
    database, and each worker starts its own supervisor right after its fork."""
    from odoo.service import server as odoo_server

    server = odoo_server.server
    if isinstance(server, odoo_server.GeventServer):
        return None
    if isinstance(server, odoo_server.PreforkServer) and not server.generation:
        # the master, before its first fork (a worker is forked after generation += 1)
        with _GUARD:
            if not _START_AFTER_FORK:
                os.register_at_fork(after_in_child=_start_after_fork)
            _START_AFTER_FORK.add(dbname)
        return None
    return start_supervisor(dbname)


def _start_after_fork():
    """In a worker just forked from the prefork master (see `start_supervisor_in_server`)."""
    for dbname in sorted(_START_AFTER_FORK):
        start_supervisor(dbname)


def start_supervisor(dbname):
    """Idempotent: one supervisor thread per database in this process."""
    with _GUARD:
        supervisor = _SUPERVISORS.get(dbname)
        if supervisor and supervisor.is_alive():
            return supervisor
        supervisor = Supervisor(dbname)
        _SUPERVISORS[dbname] = supervisor
        supervisor.start()
        return supervisor


class Supervisor(threading.Thread):
    """Starts a runner for each active PBX of the database (every 10 s)."""

    def __init__(self, dbname):
        super().__init__(name=f"smartcall-pbx-supervisor-{dbname}", daemon=True)
        self.dbname = dbname
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.is_set():
            try:
                pbx_ids = _with_env(self.dbname, lambda env: env["smartcall.pbx"].search([]).ids)
                for pbx_id in pbx_ids:
                    ensure_runner(self.dbname, pbx_id)
            except Exception:  # a database being dropped or upgraded: try again later
                _logger.warning(
                    "PBX supervisor of %s: cannot list PBXs", self.dbname, exc_info=True
                )
            self.stopping.wait(SUPERVISE_EVERY)


def ensure_runner(dbname, pbx_id):
    with _GUARD:
        runner = _RUNNERS.get((dbname, pbx_id))
        if runner and runner.is_alive():
            return runner
        runner = PbxRunner(dbname, pbx_id)
        _RUNNERS[(dbname, pbx_id)] = runner
        runner.start()
        return runner


class PbxRunner(threading.Thread):
    def __init__(self, dbname, pbx_id):
        super().__init__(name=f"smartcall-pbx-{dbname}-{pbx_id}", daemon=True)
        self.dbname = dbname
        self.pbx_id = pbx_id
        self.stopping = threading.Event()
        self.holding = False
        self._executor = None
        self._events = []
        self._events_ready = None
        self._commands = None
        self._refs = {}
        self._ami = None
        self._reload = None
        self._logged_in = False
        self.stats = {"events": 0, "batches": 0, "lags": [], "since": time.time()}

    # ------------------------------------------------------------------ lock
    def run(self):
        while not self.stopping.is_set():
            conn = None
            try:
                conn = psycopg2.connect(**_connection_info(self.dbname))
                conn.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
                with conn.cursor() as cur:
                    cur.execute("SELECT pg_try_advisory_lock(%s, %s)", (LOCK_CLASS, self.pbx_id))
                    got = cur.fetchone()[0]
                if not got:
                    conn.close()
                    conn = None
                    self.stopping.wait(STANDBY_RETRY)
                    continue
                self.holding = True
                _logger.info(
                    "PBX %s of %s: this process holds its AMI connection", self.pbx_id, self.dbname
                )
                keep = asyncio.run(self._serve(conn))
                if not keep:
                    return
            except Exception:
                _logger.warning(
                    "PBX %s of %s: runner error", self.pbx_id, self.dbname, exc_info=True
                )
                self.stopping.wait(STANDBY_RETRY)
            finally:
                self.holding = False
                if conn is not None and not conn.closed:
                    conn.close()  # releases the advisory lock

    # ------------------------------------------------------------------ database
    async def _db(self, method, *args):
        """Call ``smartcall.pbx(<id>).<method>(*args)`` in a transaction of its own, in the
        runner's one database thread (in order)."""
        pbx_id = self.pbx_id

        def call(env):
            pbx = env["smartcall.pbx"].with_context(active_test=False).browse(pbx_id).exists()
            if not pbx:
                return None
            return getattr(pbx, method)(*args)

        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, _with_env, self.dbname, call)

    # ------------------------------------------------------------------ serving
    async def _serve(self, conn):
        """Hold the PBX while this process has the lock. False: the PBX is gone."""
        loop = asyncio.get_running_loop()
        self._executor = ThreadPoolExecutor(1, thread_name_prefix=f"smartcall-pbx-db-{self.pbx_id}")
        self._commands = asyncio.Queue()
        self._events_ready = asyncio.Event()
        self._reload = asyncio.Event()
        lock_lost = loop.create_future()
        with conn.cursor() as cur:
            cur.execute(f"LISTEN {NOTIFY_CHANNEL}")

        def on_notify():
            try:
                conn.poll()
            except psycopg2.Error as error:
                if not lock_lost.done():
                    lock_lost.set_result(error)
                loop.remove_reader(conn.fileno())
                return
            while conn.notifies:
                notify = conn.notifies.pop(0)
                try:
                    payload = json.loads(notify.payload)
                except ValueError:
                    continue
                if payload.get("pbx_id") != self.pbx_id:
                    continue
                if payload.get("action") == "__reload__":
                    self._reload.set()
                else:
                    self._commands.put_nowait(payload)

        loop.add_reader(conn.fileno(), on_notify)
        writer = asyncio.ensure_future(self._write_loop())
        backoff = 1.0
        try:
            while not self.stopping.is_set() and not lock_lost.done():
                config = await self._db("_ami_get_config")
                if not config:
                    return False
                self._reload.clear()
                self._logged_in = False
                reason = await self._session(config, lock_lost)
                if reason is None:  # reload asked: reconnect at once
                    backoff = 1.0
                    continue
                if self._logged_in:  # a session that worked: the back-off starts over
                    backoff = 1.0
                await self._db("_ami_set_state", "disconnected", str(reason), holder_name())
                waited = asyncio.ensure_future(asyncio.sleep(backoff))
                await asyncio.wait([waited, lock_lost], return_when=asyncio.FIRST_COMPLETED)
                waited.cancel()
                backoff = min(backoff * 2, BACKOFF_MAX)
            return True
        finally:
            if not conn.closed:
                loop.remove_reader(conn.fileno())
            writer.cancel()
            if self._events:
                try:
                    await self._flush_events()
                except Exception:
                    _logger.warning("PBX %s: events lost at shutdown", self.pbx_id, exc_info=True)
            self._executor.shutdown(wait=False)

    async def _session(self, config, lock_lost):
        """One AMI connection: returns the reason it ended (None when a reload was asked)."""
        ami = AmiConnection(
            config["host"],
            config["port"],
            use_tls=config["use_tls"],
            timeout=config.get("timeout", 5.0),
            on_event=self._on_event,
        )
        self._ami = ami
        try:
            await ami.connect()
            await ami.login(config["user"], config["secret"], events=EVENT_CLASSES)
            self._logged_in = True
            listing = await ami.action("CoreShowChannels", timeout=15)
            await self._flush_events()
            await self._db("_ami_set_state", "connected", ami.banner, holder_name())
            await self._run_commands(
                ami, await self._db("_ami_reconcile", [dict(e) for e in listing.events])
            )
            pinger = asyncio.ensure_future(
                self._ping_loop(ami, config.get("ping_every", PING_EVERY))
            )
            sender = asyncio.ensure_future(self._command_loop(ami))
            reload_wait = asyncio.ensure_future(self._reload.wait())
            try:
                done, _pending = await asyncio.wait(
                    [ami.closed, pinger, sender, reload_wait, lock_lost],
                    return_when=asyncio.FIRST_COMPLETED,
                )
            finally:
                for task in (pinger, sender, reload_wait):
                    task.cancel()
            if reload_wait in done and not ami.closed.done():
                await ami.logoff()
                return None
            if lock_lost.done():
                return "the database connection was lost"
            if ami.closed.done():
                return ami.closed.result()
            for task in done:
                if task.exception():
                    return task.exception()
            return "the connection ended"
        except AmiError as error:
            return error
        finally:
            self._ami = None
            if ami.is_open:
                await ami.close()

    async def _ping_loop(self, ami, every):
        while True:
            await asyncio.sleep(every)
            await ami.ping(timeout=min(5, every * 2))

    async def _command_loop(self, ami):
        while True:
            command = await self._commands.get()
            await self._run_commands(ami, [command])

    async def _run_commands(self, ami, commands):
        for command in commands or []:
            action = command.get("action")
            fields = dict(command.get("fields") or {})
            ref = command.get("ref") or ""
            try:
                if action == "Originate":
                    # OriginateResponse carries this ActionID: remember whose call it is
                    action_id = await ami.send(action, **fields)
                    self._refs[action_id] = ref
                    continue
                await ami.action(action, **fields)
            except AmiError as error:
                _logger.info("PBX %s: %s %s failed: %s", self.pbx_id, action, ref, error)
                if ref:
                    follow_up = await self._db("_ami_command_failed", ref, action, str(error))
                    if follow_up:
                        await self._run_commands(ami, follow_up)

    # ------------------------------------------------------------------ events
    def _record_stats(self, batch, now):
        """Every STATS_EVERY s, one log line: events turned into updates and the lag from
        their arrival to the commit of their update (bench/bench_voip_events.py reads it)."""
        stats = self.stats
        stats["events"] += len(batch)
        stats["batches"] += 1
        stats["lags"].extend(now - event["_received"] for event in batch)
        elapsed = now - stats["since"]
        if elapsed < STATS_EVERY:
            return
        lags = sorted(stats["lags"])
        _logger.info(
            "PBX %s AMI events: %d in %.1f s (%.0f/s), %d transactions, "
            "lag to commit p50 %.1f ms p99 %.1f ms max %.1f ms",
            self.pbx_id,
            stats["events"],
            elapsed,
            stats["events"] / elapsed,
            stats["batches"],
            lags[len(lags) // 2] * 1000,
            lags[min(len(lags) - 1, int(len(lags) * 0.99))] * 1000,
            lags[-1] * 1000,
        )
        self.stats = {"events": 0, "batches": 0, "lags": [], "since": now}

    def _on_event(self, message):
        if message.get("Event") not in EVENTS:
            return
        event = dict(message)
        event["_received"] = time.time()
        if event["Event"] == "OriginateResponse":
            event["_ref"] = self._refs.pop(event.get("ActionID", ""), "")
        self._events.append(event)
        self._events_ready.set()

    async def _write_loop(self):
        while True:
            await self._events_ready.wait()
            try:
                await self._flush_events()
            except Exception:
                _logger.warning("PBX %s: writing events failed", self.pbx_id, exc_info=True)
                await asyncio.sleep(1)

    async def _flush_events(self):
        self._events_ready.clear()
        batch, self._events = self._events, []
        if not batch:
            return
        commands = await self._db("_ami_apply_events", batch)
        now = time.time()
        self._record_stats(batch, now)
        if commands and self._ami is not None and self._ami.is_open:
            await self._run_commands(self._ami, commands)
