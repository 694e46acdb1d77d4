# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=print-used
"""AMI events turned into call updates on a real Asterisk (issue 15): how many events per
second the PBX client of a real Odoo server turns into ``smartcall.call`` updates, and the
lag from each event to the commit of its update. Targets: >= 500 events/s, p99 < 200 ms.

    python3 bench/bench_voip_events.py [--rate 30] [--seconds 60] [--profile FILE]

It needs ``asterisk`` and ``sipp`` (see tests/tooling/asterisk_rig.py) and starts, as the
real-PBX tests do, its own Asterisk, PostgreSQL cluster and Odoo server (smartcall_voip).
Before the server starts (so that nothing writes the database beside the PBX client), it
prepares RATE x SECONDS customer calls (``pbx_channel_id`` given, not dialled yet) and
adds a deferred trigger that stamps the commit time of every change of a call's
``pbx_state``. Then, RATE times a second, it dials one call as ``smartcall.call._pbx_dial``
does (the call goes to ``dialing`` and an Originate is queued for the PBX client with a
NOTIFY, in one transaction): Local/<number>@smartcall-bench-out dials a Local channel of
smartcall-bench-answer, which rings 0.5 s, answers and hangs up 2 s later. The PBX client
receives every AMI event of those channels and turns them into updates (ringing, answered,
ended); the bench follows the same events on an AMI connection of its own.

Figures:

* events/s: the AMI events of the calls that the client handles (the ones it reads,
  ``ami_service.EVENTS``), over the time from the first event to the last commit;
* lag: Asterisk's timestamp of the event (``timestampevents``) to the commit of the update
  it caused, both on this machine's clock: ringing from DialBegin, answered from DialEnd,
  the final state from the customer leg's Hangup. Updates an event and a later one folded
  into the same transaction are counted once, at the later state;
* the client's own figures (its log line every 10 s: arrival in Odoo to commit).

It prints the figures and whether the targets are met; it asserts nothing.
"""

import argparse
import asyncio
import importlib
import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from contextlib import closing

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
sys.path[:0] = [BENCH, REPO]

from _common import percentile  # noqa: E402

from tests.tooling import fetch_one, wait_until  # noqa: E402
from tests.tooling.asterisk_rig import (  # noqa: E402
    AMI_SECRET,
    AMI_USER,
    AsteriskRig,
    why_not_available,
)
from tests.tooling.voip_session import OPERATORS, voip_run  # noqa: E402

DB = "sc_voip_bench"
ORIGINATE_CONTEXT = "smartcall-bench-out"  # tests/tooling/asterisk_rig.py's dialplan
LOCAL2_SUFFIX = "-L2"  # smartcall_voip/models/smartcall_call.py: the second Local half
TARGET_RATE = 500
TARGET_P99_MS = 200
FINAL_STATES = ("ended", "failed")
STATS_RE = re.compile(r"PBX \d+ AMI events: .*")


def tree_cpu_seconds(root_pid):
    """CPU time (user + system) of `root_pid` and its descendants, from /proc."""
    parents, times = {}, {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(name)] = int(fields[1])
        times[int(name)] = int(fields[11]) + int(fields[12])
    tree, added = {root_pid}, True
    while added:
        children = {pid for pid, ppid in parents.items() if ppid in tree} - tree
        tree |= children
        added = bool(children)
    return sum(times.get(pid, 0) for pid in tree) / os.sysconf("SC_CLK_TCK")


def postmaster_pid(cluster):
    with open(os.path.join(cluster.data_dir, "postmaster.pid"), encoding="ascii") as handle:
        return int(handle.readline())


def load_voip_lib():
    """smartcall_voip/lib (plain Python) as a package of its own: the AMI client's protocol
    module and its service module, without Odoo's addons path."""
    folder = os.path.join(REPO, "smartcall_voip", "lib")
    spec = importlib.util.spec_from_file_location(
        "smartcall_voip_lib",
        os.path.join(folder, "__init__.py"),
        submodule_search_locations=[folder],
    )
    package = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = package
    spec.loader.exec_module(package)
    return (
        importlib.import_module(f"{spec.name}.ami_protocol"),
        importlib.import_module(f"{spec.name}.ami_service"),
    )


ami_protocol, ami_service = load_voip_lib()

SETUP_SCRIPT = """
import json
env = env(context=dict(env.context, tracking_disable=True))
pbx = env["smartcall.pbx"].browse({pbx_id})
user = env["res.users"].search([("login", "=", {login!r})])
contacts = env["smartcall.campaign.contact"].search([], order="id")
now = odoo.fields.Datetime.now()
calls = env["smartcall.call"].create([
    {{
        "contact_id": contacts[i % len(contacts)].id,
        "campaign_id": contacts[i % len(contacts)].campaign_id.id,
        "partner_id": contacts[i % len(contacts)].partner_id.id,
        "user_id": user.id,
        "number": "+390881%06d" % i,
        "direction": "out",
        "started_at": now,
    }}
    for i in range({calls})
])
prefix = pbx._ami_prefix()
env.cr.execute(
    "UPDATE smartcall_call SET pbx_id = %s, pbx_channel_id = %s || 'c' || id || 'n1',"
    " dial_count = 1 WHERE id = ANY(%s)",
    (pbx.id, prefix, calls.ids),
)
env.cr.commit()
print("BENCH-OK", prefix, json.dumps(calls.ids))
"""

# Bench only (its throwaway database): the commit time of each change of a call's line
# state. A deferred constraint trigger runs at COMMIT, so clock_timestamp() is the commit.
COMMIT_STAMP_SQL = """
CREATE TABLE bench_voip_commit (call_id integer, pbx_state varchar, committed_at float8);
CREATE FUNCTION bench_voip_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO bench_voip_commit
         VALUES (NEW.id, NEW.pbx_state, extract(epoch FROM clock_timestamp()));
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER bench_voip_commit AFTER UPDATE OF pbx_state ON smartcall_call
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (NEW.pbx_state IS DISTINCT FROM OLD.pbx_state AND NEW.pbx_state <> 'dialing')
    EXECUTE FUNCTION bench_voip_commit();
"""


class EventLog:
    """The AMI events of the bench's calls, as the PBX client sees them (same stream)."""

    def __init__(self, prefix):
        self.prefix = prefix
        self.count = 0
        self.first = None
        self.last = None
        self.calls = {}  # pbx_channel_id -> {"ringing": ts, "answered": ts, "final": ts, ...}

    def on_event(self, message):
        name = message.get("Event")
        if name not in ami_service.EVENTS:
            return
        # the key smartcall.pbx._ami_target reads first
        key = next(
            (
                message[field]
                for field in ("Linkedid", "DestLinkedid", "Uniqueid")
                if (message.get(field) or "").startswith(self.prefix)
            ),
            None,
        )
        if key is None:
            return
        stamp = float(message.get("Timestamp") or time.time())
        self.count += 1
        self.first = stamp if self.first is None else min(self.first, stamp)
        self.last = stamp if self.last is None else max(self.last, stamp)
        uid = key.removesuffix(LOCAL2_SUFFIX)
        call = self.calls.setdefault(uid, {})
        own_dial = message.get("DestUniqueid") == uid  # the Originate's dial of its channel
        if name == "DialBegin" and not own_dial:
            call.setdefault("ringing", stamp)
            call.setdefault("customer", message.get("DestChannel"))
        elif name == "DialEnd" and not own_dial and message.get("DialStatus") == "ANSWER":
            call.setdefault("answered", stamp)
        elif name == "Hangup" and (
            message.get("Channel") == call.get("customer") or message.get("Uniqueid") == uid
        ):
            call.setdefault("final", stamp)


def originate_payload(pbx_id, call_id, uid, dial_number):
    """The NOTIFY smartcall.pbx._send_command queues for smartcall.call._pbx_dial, with the
    bench's answering dialplan and a Wait instead of the operator's conference room."""
    return json.dumps(
        {
            "pbx_id": pbx_id,
            "action": "Originate",
            "fields": {
                "Channel": f"Local/{dial_number}@{ORIGINATE_CONTEXT}/n",
                "Application": "Wait",
                "Data": "30",
                "Async": "true",
                "Timeout": 30000,
                "ChannelId": uid,
                "OtherChannelId": uid + LOCAL2_SUFFIX,
                "Variable": [f"SMARTCALL_CALL={call_id}"],
            },
            "ref": f"call:{call_id}",
        }
    )


async def dial_calls(cluster, pbx_id, prefix, call_ids, rate):
    """Dial `call_ids` at `rate` a second, as smartcall.call._pbx_dial does."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    sent = 0
    with closing(cluster.connect(DB, autocommit=False)) as cnx:
        while sent < len(call_ids):
            due = min(len(call_ids), int((loop.time() - started) * rate) + 1)
            batch = call_ids[sent:due]
            if batch:
                with cnx.cursor() as cr:
                    cr.execute(
                        "UPDATE smartcall_call SET pbx_state = 'dialing',"
                        " dialed_at = now() AT TIME ZONE 'UTC' WHERE id = ANY(%s)",
                        (batch,),
                    )
                    for call_id in batch:
                        payload = originate_payload(
                            pbx_id, call_id, f"{prefix}c{call_id}n1", "0881%06d" % call_id
                        )
                        cr.execute(
                            "SELECT pg_notify(%s, %s)", (ami_service.NOTIFY_CHANNEL, payload)
                        )
                cnx.commit()
                sent = due
            await asyncio.sleep(0.02)
    return loop.time() - started


def final_count(cluster, call_ids):
    return fetch_one(
        cluster,
        DB,
        "SELECT count(*) AS n FROM smartcall_call WHERE id = ANY(%s) AND pbx_state IN %s",
        (call_ids, FINAL_STATES),
    )["n"]


async def measure(run, rig, pbx_id, prefix, call_ids, rate, pids, profile=None):
    """Dial every call, wait for all to end; returns the events seen, how long the dialling
    took and the CPU seconds each process used meanwhile ({name: s}, with "wall")."""
    log = EventLog(prefix)
    ami = ami_protocol.AmiConnection("127.0.0.1", rig.ami_port, on_event=log.on_event)
    await ami.connect()
    await ami.login(AMI_USER, AMI_SECRET)
    # only the events the PBX client reads: less for this process to parse
    await ami.action(
        "Filter",
        Operation="Add",
        Filter="^Event: ({})[[:space:]]".format("|".join(sorted(ami_service.EVENTS))),
    )
    spy = None
    if profile:  # sampling profile of the Odoo server (all its threads) while dialling
        spy = subprocess.Popen(
            ["py-spy", "record", "--pid", str(pids["odoo"]), "--threads", "--rate", "200"]
            + ["--duration", str(int(len(call_ids) / rate)), "--format", "raw", "-o", profile],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
    cpu = {name: tree_cpu_seconds(pid) for name, pid in pids.items()}
    cpu["bench"] = sum(os.times()[:2])
    cpu["wall"] = time.monotonic()
    dialling = await dial_calls(run.cluster, pbx_id, prefix, call_ids, rate)
    deadline = time.monotonic() + 90
    while final_count(run.cluster, call_ids) < len(call_ids) and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
    await asyncio.sleep(1)  # the last events (the Local halves' hang-ups)
    cpu = {name: tree_cpu_seconds(pid) - cpu[name] for name, pid in pids.items()} | {
        "bench": sum(os.times()[:2]) - cpu["bench"],
        "wall": time.monotonic() - cpu["wall"],
    }
    await ami.logoff()
    if spy is not None:
        spy.wait(timeout=120)
    return log, dialling, cpu


def lags_ms(log, commits):
    """{state: [lag ms]} of each committed update from the event that caused it."""
    source = {"ringing": "ringing", "answered": "answered", "ended": "final", "failed": "final"}
    lags = {}
    unmatched = 0
    for row in commits:
        event_at = log.calls.get(row["uid"], {}).get(source.get(row["pbx_state"], ""))
        if event_at is None:
            unmatched += 1
            continue
        lags.setdefault(row["pbx_state"], []).append((row["committed_at"] - event_at) * 1000)
    return lags, unmatched


def line(label, values):
    return (
        f"  {label:<10} n {len(values):6d}   p50 {percentile(values, 50):7.1f} ms"
        f"   p95 {percentile(values, 95):7.1f} ms   p99 {percentile(values, 99):7.1f} ms"
        f"   max {max(values):7.1f} ms"
    )


def report(args, run, server, log, dialling, cpu, prefix, call_ids):
    commits = [
        {"call_id": call_id, "pbx_state": state, "committed_at": at, "uid": f"{prefix}c{call_id}n1"}
        for call_id, state, at in run.cluster.execute(
            "SELECT call_id, pbx_state, committed_at FROM bench_voip_commit", dbname=DB
        )
    ]
    states = dict(
        run.cluster.execute(
            "SELECT pbx_state, count(*) FROM smartcall_call WHERE id = ANY(%s) GROUP BY 1",
            (call_ids,),
            dbname=DB,
        )
    )
    lags, unmatched = lags_ms(log, commits)
    every = [lag for values in lags.values() for lag in values]
    window = max(row["committed_at"] for row in commits) - log.first if commits else 0
    rate = log.count / window if window else 0.0
    print(
        f"\n=== {len(call_ids)} calls dialled at {args.rate:g}/s in {dialling:.1f} s "
        f"(Local channels, ring 0.5 s, talk 2 s); load average {os.getloadavg()[0]:.1f}"
    )
    print(f"calls by final line state: {states}")
    offered = log.count / (log.last - log.first) if log.count > 1 else 0.0
    print(
        f"AMI events of the calls handled by the PBX client: {log.count} "
        f"({log.count / len(call_ids):.1f} a call), raised by Asterisk at {offered:.0f}/s; "
        f"first event to last commit {window:.1f} s: {rate:.0f} events/s turned into updates"
    )
    print(
        f"call updates committed: {len(commits)} ({len(commits) / window if window else 0:.0f}/s);"
        f" without a matching event: {unmatched}"
    )
    print("lag from the AMI event (Asterisk's timestamp) to the commit of its update:")
    for state in ("ringing", "answered", "ended", "failed"):
        if lags.get(state):
            print(line(state, lags[state]))
    if every:
        print(line("all", every))
    print(
        f"CPU seconds over {cpu['wall']:.1f} s (2 cores: {2 * cpu['wall']:.0f} s available): "
        + ", ".join(f"{name} {value:.1f}" for name, value in cpu.items() if name != "wall")
    )
    print("the PBX client's own log (arrival in Odoo to commit, every 10 s):")
    with open(server.log_file, encoding="utf-8", errors="replace") as handle:
        for found in STATS_RE.findall(handle.read()):
            print(f"  {found}")
    p99 = percentile(every, 99) if every else float("inf")
    print("targets:")
    print(f"  {'met' if rate >= TARGET_RATE else 'NOT met':<8} >= {TARGET_RATE} events/s")
    print(f"  {'met' if p99 < TARGET_P99_MS else 'NOT met':<8} p99 lag < {TARGET_P99_MS} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=30, help="calls dialled a second")
    parser.add_argument("--seconds", type=float, default=60, help="how long to dial")
    parser.add_argument(
        "--profile", metavar="FILE", help="py-spy's profile of the Odoo server while dialling"
    )
    args = parser.parse_args()
    missing = why_not_available()
    if missing:
        sys.exit(f"The VoIP events bench needs a real Asterisk: {missing}.")
    started = time.time()
    run = voip_run()
    print(f"cluster and template database ready in {time.time() - started:.0f} s")
    rig = AsteriskRig()
    try:
        rig.start()
        run.new_database(DB, rig.ami_port, AMI_SECRET)
        out = run.odoo.shell(
            DB,
            SETUP_SCRIPT.format(
                pbx_id=run.pbx_id,
                login=OPERATORS[0][0],
                calls=int(args.rate * args.seconds),
            ),
        )
        if "BENCH-OK" not in out:
            sys.exit(f"The bench's calls were not created:\n{out[-3000:]}")
        prefix, ids = out.split("BENCH-OK", 1)[1].split(None, 1)
        call_ids = json.loads(ids.splitlines()[0])
        run.cluster.execute(COMMIT_STAMP_SQL, dbname=DB)
        print(f"{len(call_ids)} calls prepared; starting Odoo")
        server = run.server(DB, name="bench").start()
        try:
            wait_until(
                lambda: fetch_one(
                    run.cluster,
                    DB,
                    "SELECT 1 FROM smartcall_pbx WHERE connection_state = 'connected'",
                ),
                60,
                message="the PBX client connected",
            )
            time.sleep(2)  # its reconciliation after the login
            pids = {
                "asterisk": rig.procs["asterisk"].pid,
                "odoo": server.proc.pid,
                "postgres": postmaster_pid(run.cluster),
            }
            log, dialling, cpu = asyncio.run(
                measure(run, rig, run.pbx_id, prefix, call_ids, args.rate, pids, args.profile)
            )
            report(args, run, server, log, dialling, cpu, prefix, call_ids)
        finally:
            server.stop()
            run.cluster.drop_database(DB)
    finally:
        rig.cleanup()


if __name__ == "__main__":
    main()
