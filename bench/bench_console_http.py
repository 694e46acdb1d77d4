#!/usr/bin/env python3
# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=print-used
"""The operator console at floor scale, over HTTP JSON-RPC (issue 12, item 3), not a test.

A real Odoo server in multi-process mode (``--workers``, the websocket worker on
``--gevent-port``, one cron thread) serves simulated operators that call
``/web/dataset/call_kw/smartcall.console/<method>`` with their own session cookie, exactly as
the OWL console does. Each operator (a thread of one of --clients client processes):

1. logs in (``/web/session/authenticate``), ``get_console_state``, ``start(campaign)``: the
   automatic campaign proposes the first contact;
2. talks for an exponential time (mean --talk-s; 0 = saturation: back to back), sending the
   console's ``heartbeat`` every 30 s meanwhile;
3. ``hangup``, ``get_outcome_page``, ``confirm_outcome`` (which claims the next contact in the
   same request), then ``get_console_state`` (what a console reload costs); the outcomes mix
   NI (close), CALLBK (public callback a few minutes ahead: back in the queue), CBPROS and VEND
   (a contract with a one-line cart), as bench/soak_operator_day.py does;
4. when nothing is proposed, ``next_contact`` after a second.

Printed per run: p50/p95/p99/max per console call, calls and errors, outcomes per minute,
double assignments (client side: a contact proposed to an operator while another still held
it; server side: two calls of one contact overlapping in time) and lost contacts; then the
two campaign sizes side by side with the p99 ratio.

The databases: a template per size (``<base>`` copied, then operators, a running automatic
campaign open around the clock, products and the contacts in bulk SQL by
bench/_common.bulk_contacts), built once and reused; each run works on a fresh copy.

Usage:
  python3 bench/bench_console_http.py --base-db sc_scale --sizes 10000,1000000 --minutes 10
  python3 bench/bench_console_http.py --build-only ...
"""

import argparse
import json
import math
import multiprocessing
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from datetime import datetime, timedelta

import requests
from _common import ADDONS, bulk_contacts, percentile, psql, psql_rows

TZ = "Europe/Rome"
CAMPAIGN = "Floor"
PASSWORD = "bench"
METHODS = (
    "start",
    "get_console_state",
    "hangup",
    "get_outcome_page",
    "confirm_outcome",
    "next_contact",
    "heartbeat",
    "list_my_callbacks",
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base-db", required=True, help="a database with the addons installed")
    parser.add_argument("--sizes", default="10000,1000000", help="contacts per campaign")
    parser.add_argument("--operators", type=int, default=100)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--saturation-minutes", type=float, default=3.0)
    parser.add_argument("--talk-s", type=float, default=20.0, help="mean talk time")
    parser.add_argument("--workers", type=int, default=4, help="Odoo HTTP workers")
    parser.add_argument("--clients", type=int, default=4, help="client processes")
    parser.add_argument("--port", type=int, default=8204)
    parser.add_argument("--gevent-port", type=int, default=8205)
    parser.add_argument("--db-prefix", default="sc_scale_bench")
    parser.add_argument("--mix", default="NI:55,CALLBK:20,CBPROS:20,VEND:5")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",")]
    args.mix = [(c, float(w)) for c, w in (p.split(":") for p in args.mix.split(","))]
    return args


# ----------------------------------------------------------------------
# Databases
# ----------------------------------------------------------------------
def db_exists(db):
    return bool(psql_rows("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{db}'"))


def build_template(args, size):
    template = f"{args.db_prefix}_tpl_{size}"
    if db_exists(template) and not args.rebuild:
        return template
    t0 = time.time()
    subprocess.run(["dropdb", "--if-exists", template], check=True)
    subprocess.run(["createdb", "-T", args.base_db, template], check=True)
    script = f"""
from passlib.context import CryptContext
env = env(context=dict(env.context, tracking_disable=True, no_reset_password=True))
env["ir.config_parameter"].set_param("password.hashing.rounds", 1000)
group = env.ref("smartcall_campaign.group_operator")
users = env["res.users"].create([{{
    "name": f"Floor operator {{i:03d}}", "login": f"floor_op_{{i:03d}}", "tz": {TZ!r},
    "groups_id": [(6, 0, [group.id, env.ref("base.group_user").id])],
}} for i in range({args.operators})])
# one cheap hash for all (the bench measures the console, not the login)
hashed = CryptContext(["pbkdf2_sha512"]).hash({PASSWORD!r}, rounds=1000)
env.cr.execute("UPDATE res_users SET password = %s WHERE id = ANY(%s)", [hashed, users.ids])
supervisor = env["res.users"].create({{
    "name": "Floor manager", "login": "floor_manager", "tz": {TZ!r},
    "groups_id": [(6, 0, [env.ref("smartcall_campaign.group_manager").id,
                          env.ref("base.group_user").id])],
}})
env.cr.execute("UPDATE res_users SET password = %s WHERE id = %s", [hashed, supervisor.id])
campaign = env["smartcall.campaign"].create({{
    "name": {CAMPAIGN!r}, "mode": "automatic", "operator_ids": [(6, 0, users.ids)],
    "resource_calendar_id": env.ref("smartcall_campaign.resource_calendar_always_open").id,
    "tz": {TZ!r}, "retry_wait_minutes": 60, "max_attempts": 5,
}})
campaign.action_start()
env["product.product"].create([
    {{"name": f"Floor offer {{i}}", "list_price": p, "type": "service", "sale_ok": True}}
    for i, p in enumerate((19.9, 29.9, 39.9))
])
env.cr.commit()
print("CAMPAIGN", campaign.id)
"""
    out = subprocess.run(
        [
            "odoo",
            "shell",
            "-d",
            template,
            f"--addons-path={ADDONS}",
            "--no-http",
            "--log-level=warn",
        ],
        input=script,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    campaign_id = int(out.split("CAMPAIGN")[1].split()[0])
    bulk_contacts(template, campaign_id, size)
    print(f"template {template} ({size:,} contacts) built in {time.time() - t0:.0f}s")
    return template


def fixture(db):
    campaign_id = int(
        psql_rows(db, f"SELECT id FROM smartcall_campaign WHERE name = '{CAMPAIGN}'")[0][0]
    )
    outcomes = dict(
        psql_rows(
            db,
            "SELECT code, id FROM smartcall_outcome WHERE code IN ('NI','CALLBK','CBPROS','VEND')",
        )
    )
    products = [
        int(r[0])
        for r in psql_rows(
            db,
            """SELECT pp.id FROM product_product pp JOIN product_template pt
                   ON pt.id = pp.product_tmpl_id
                WHERE pt.name->>'en_US' LIKE 'Floor offer %' ORDER BY pp.id""",
        )
    ]
    logins = [
        r[0]
        for r in psql_rows(
            db, "SELECT login FROM res_users WHERE login LIKE 'floor_op_%' ORDER BY login"
        )
    ]
    return {
        "campaign_id": campaign_id,
        "outcomes": {k: int(v) for k, v in outcomes.items()},
        "products": products,
        "logins": logins,
    }


# ----------------------------------------------------------------------
# The Odoo server
# ----------------------------------------------------------------------
class Server:
    def __init__(self, args, db):
        self.args = args
        self.db = db
        self.dir = f"/tmp/{args.db_prefix}"
        os.makedirs(self.dir, exist_ok=True)
        self.log = os.path.join(self.dir, f"{db}.log")
        self.proc = None

    def start(self):
        args = self.args
        if os.path.exists(self.log):
            os.remove(self.log)  # the figures count this run's errors only
        cmd = [
            "odoo",
            "-d",
            self.db,
            f"--addons-path={ADDONS}",
            "--db-filter",
            f"^{self.db}$",
            "--http-port",
            str(args.port),
            "--gevent-port",
            str(args.gevent_port),
            "--workers",
            str(args.workers),
            "--max-cron-threads",
            "1",
            "--limit-time-cpu",
            "600",
            "--limit-time-real",
            "1200",
            "--limit-memory-hard",
            "0",
            "--logfile",
            self.log,
            "--log-level",
            "warn",
        ]
        self.proc = subprocess.Popen(cmd, start_new_session=True, stdin=subprocess.DEVNULL)
        deadline = time.time() + 180
        last_error = None
        while time.time() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{args.port}/web/health", timeout=2).ok:
                    return self
            except requests.RequestException as error:
                last_error = error
            if self.proc.poll() is not None:
                raise RuntimeError(f"odoo exited, see {self.log}")
            time.sleep(0.5)
        raise RuntimeError(f"odoo did not answer ({last_error}), see {self.log}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


# ----------------------------------------------------------------------
# Operators
# ----------------------------------------------------------------------
class Console:
    """One operator's browser: a cookie session and the console's call_kw requests."""

    def __init__(self, base_url, db, login, record):
        self.base_url = base_url
        self.db = db
        self.login = login
        self.http = requests.Session()
        # One request per connection, as a reverse proxy talks to Odoo (README, "Running a
        # call-center floor"): a prefork worker serving a kept-alive connection waits for
        # the client's next request (up to 2 s) before it takes another client's.
        self.http.headers["Connection"] = "close"
        self.record = record
        self.ids = 0

    def _post(self, path, params):
        self.ids += 1
        payload = {"jsonrpc": "2.0", "method": "call", "id": self.ids, "params": params}
        response = self.http.post(self.base_url + path, json=payload, timeout=120)
        body = response.json()
        if body.get("error"):
            data = body["error"].get("data") or {}
            raise RuntimeError(f"{data.get('name')}: {data.get('message')}"[:200])
        return body.get("result")

    def authenticate(self):
        return self._post(
            "/web/session/authenticate",
            {"db": self.db, "login": self.login, "password": PASSWORD},
        )

    def call(self, method, *args):
        t0 = time.perf_counter()
        error = None
        try:
            return self._post(
                f"/web/dataset/call_kw/smartcall.console/{method}",
                {"model": "smartcall.console", "method": method, "args": list(args), "kwargs": {}},
            )
        except Exception as exc:  # noqa: BLE001 - counted and reported
            error = f"{type(exc).__name__}: {exc}"[:200]
            return None
        finally:
            self.record(method, time.perf_counter() - t0, error)


def outcome_values(code, fx, rng):
    outcomes = fx["outcomes"]
    if code == "CALLBK":
        import pytz

        local_now = datetime.now(pytz.timezone(TZ))
        when = (local_now + timedelta(minutes=rng.uniform(1, 4))).replace(second=0, microsecond=0)
        if when.date() == local_now.date() and when > local_now:
            return {
                "outcome_id": outcomes["CALLBK"],
                "notes": "Call back in a few minutes",
                "callback": {
                    "private": False,
                    "date": when.strftime("%Y-%m-%d"),
                    "time": when.strftime("%H:%M"),
                    "note": "",
                },
            }
        code = "CBPROS"
    if code == "VEND":
        return {
            "outcome_id": outcomes["VEND"],
            "notes": "Sold on line",
            "cart": [{"product_id": rng.choice(fx["products"]), "quantity": 1}],
        }
    return {"outcome_id": outcomes[code], "notes": f"Floor {code}"}


def operator(base_url, db, login, fx, talk_s, duration, seed, mix, out):
    """One operator for `duration` seconds after their Start; appends (method, seconds,
    error) and holds to `out`."""
    rng = random.Random(seed)
    samples, holds = [], []
    console = Console(base_url, db, login, lambda m, s, e: samples.append((m, s, e)))
    codes, weights = zip(*mix, strict=True)
    time.sleep(rng.uniform(0, 5))
    try:
        console.authenticate()
    except Exception as exc:  # noqa: BLE001
        samples.append(("authenticate", 0.0, str(exc)[:200]))
        out.append((samples, holds))
        return
    console.call("get_console_state")
    state = console.call("start", fx["campaign_id"])
    stop_at = time.time() + duration
    last_beat = time.time()
    while time.time() < stop_at:
        contact = state and state.get("contact")
        if not contact:
            time.sleep(1.0)
            state = console.call("next_contact")
            continue
        cid = contact["id"]
        hold = [cid, login, time.time(), None]
        holds.append(hold)
        talk_end = time.time() + (rng.expovariate(1.0 / talk_s) if talk_s > 0 else 0)
        while time.time() < talk_end:
            if time.time() - last_beat >= 30:
                console.call("heartbeat")
                last_beat = time.time()
            time.sleep(min(1.0, max(0.0, talk_end - time.time())))
        console.call("hangup", cid)
        console.call("get_outcome_page", cid)
        code = rng.choices(codes, weights)[0]
        hold[3] = time.time()  # released when the confirmation leaves
        result = console.call("confirm_outcome", cid, outcome_values(code, fx, rng))
        if result is None:
            # refused: the console shows the error; the operator gives the contact back
            hold[3] = None
            state = console.call("get_console_state")
            if state and state.get("contact") and state["contact"]["id"] == cid:
                hold[3] = time.time()
                console.call("confirm_outcome", cid, outcome_values("NI", fx, rng))
            state = console.call("get_console_state")
            continue
        state = result
        console.call("get_console_state")
        if rng.random() < 0.05:
            console.call("list_my_callbacks")
    out.append((samples, holds))


def client_main(base_url, db, logins, fx, talk_s, duration, seed, mix, queue):
    out = []
    threads = [
        threading.Thread(
            target=operator,
            args=(base_url, db, login, fx, talk_s, duration, seed * 1000 + i, mix, out),
        )
        for i, login in enumerate(logins)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put(out)


# ----------------------------------------------------------------------
# What the supervisor waits for, and how fast a push reaches an idle console
# ----------------------------------------------------------------------
class Rpc(Console):
    """A logged-in user calling any model's method, as the web client does."""

    def call_kw(self, model, method, args, kwargs=None):
        return self._post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )


def timed(function, repeat):
    """Milliseconds of each of `repeat` calls of `function`."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        function()
        times.append((time.perf_counter() - t0) * 1000.0)
    return times


def view_fields(rpc, model, view_type, view_id=False):
    """The fields the web client asks for to show `model`'s `view_type` view."""
    views = rpc.call_kw(model, "get_views", [[[view_id, view_type]]], {})
    arch = views["views"][view_type]["arch"]
    known = views["models"][model]["fields"]
    names = dict.fromkeys(re.findall(r'<field name="(\w+)"', arch))
    return {name: {} for name in names if name in known}


def measure_supervisor(base_url, db, fx, repeat=20):
    """The campaign list, the campaign form and the wall as the manager opens them: the
    web client's own requests (get_views once, then web_search_read / web_read)."""
    rpc = Rpc(base_url, db, "floor_manager", lambda *a: None)
    rpc.authenticate()
    list_spec = view_fields(rpc, "smartcall.campaign", "list")
    wall_view = int(
        psql_rows(
            db,
            """SELECT res_id FROM ir_model_data WHERE module = 'smartcall_outcomes'
                AND name = 'smartcall_supervisor_wall_view_kanban'""",
        )[0][0]
    )
    wall_spec = view_fields(rpc, "smartcall.operator.session", "kanban", wall_view)
    form_spec = view_fields(rpc, "smartcall.campaign", "form")
    figures = {
        "campaign list": timed(
            lambda: rpc.call_kw(
                "smartcall.campaign",
                "web_search_read",
                [],
                {"domain": [], "specification": list_spec, "limit": 80},
            ),
            repeat,
        ),
        "campaign form": timed(
            lambda: rpc.call_kw(
                "smartcall.campaign",
                "web_read",
                [[fx["campaign_id"]]],
                {"specification": form_spec},
            ),
            repeat,
        ),
        "wall": timed(
            lambda: rpc.call_kw(
                "smartcall.operator.session",
                "web_search_read",
                [],
                {"domain": [("state", "!=", "closed")], "specification": wall_spec},
            ),
            repeat,
        ),
    }
    return {
        name: {"n": len(v), "p50": percentile(v, 50), "p99": percentile(v, 99), "max": max(v)}
        for name, v in figures.items()
    }


def bus_version():
    """The websocket protocol version of the installed bus addon (an outdated client is
    disconnected)."""
    for path in ADDONS.split(","):
        source = os.path.join(path, "bus", "websocket.py")
        if os.path.isfile(source):
            with open(source, encoding="utf-8") as code:
                return re.search(r'_VERSION = "([^"]+)"', code.read()).group(1)
    raise RuntimeError("The bus addon was not found in the addons path.")


def measure_push(args, base_url, db, fx, login, repeat=20):
    """An idle operator in the paused automatic campaign; the manager starts it: the time
    from the manager's request to the console push on the operator's websocket, and to the
    contact in the operator's hands (the push, then the console's next_contact)."""
    import websocket  # the bench's own client, as the web client's bus worker

    manager = Rpc(base_url, db, "floor_manager", lambda *a: None)
    manager.authenticate()
    console = Console(base_url, db, login, lambda *a: None)
    console.authenticate()
    cookie = "; ".join(f"{k}={v}" for k, v in console.http.cookies.items())
    ws = websocket.create_connection(
        f"ws://127.0.0.1:{args.gevent_port}/websocket?version={bus_version()}",
        header=[f"Cookie: {cookie}"],
        origin=f"http://127.0.0.1:{args.gevent_port}",
        timeout=10,
    )
    ws.send(json.dumps({"event_name": "subscribe", "data": {"channels": [], "last": 0}}))
    time.sleep(1)
    ws.settimeout(0.2)
    while True:  # what was sent before this measure
        try:
            ws.recv()
        except websocket.WebSocketTimeoutException:
            break
    push_ms, contact_ms, missed = [], [], 0
    campaign = fx["campaign_id"]
    ni = {"outcome_id": fx["outcomes"]["NI"], "notes": "push bench"}
    state = console.call("start", campaign)
    for _ in range(repeat):
        # the campaign pauses while the operator is on a call: the outcome claims nothing
        manager.call_kw("smartcall.campaign", "action_pause", [[campaign]])
        state = console.call("get_console_state")
        if state and state.get("contact"):
            state = console.call("confirm_outcome", state["contact"]["id"], ni)
        if state and state.get("contact"):
            raise RuntimeError("a paused campaign handed out a contact")
        time.sleep(0.5)
        ws.settimeout(0.2)
        while True:  # the pause's own push
            try:
                ws.recv()
            except websocket.WebSocketTimeoutException:
                break
        # from the manager's click: the start's request, its commit, the push
        t0 = time.perf_counter()
        manager.call_kw("smartcall.campaign", "action_start", [[campaign]])
        deadline = t0 + 15
        pushed = None
        while pushed is None and time.perf_counter() < deadline:
            ws.settimeout(max(0.05, deadline - time.perf_counter()))
            try:
                frame = ws.recv()
            except websocket.WebSocketTimeoutException:
                break
            for notification in json.loads(frame):
                message = notification["message"]
                if message["type"] == "smartcall.console/queue" and (
                    message["payload"].get("campaign_id") == campaign
                ):
                    pushed = time.perf_counter()
        if pushed is None:
            missed += 1
            continue
        push_ms.append((pushed - t0) * 1000.0)
        # what the console does on the push
        state = console.call("next_contact")
        if state and state.get("contact"):
            contact_ms.append((time.perf_counter() - t0) * 1000.0)
    ws.close()
    return {
        "push": {
            "n": len(push_ms),
            "p50": percentile(push_ms, 50),
            "p99": percentile(push_ms, 99),
            "max": max(push_ms, default=math.nan),
        },
        "contact in hand": {
            "n": len(contact_ms),
            "p50": percentile(contact_ms, 50),
            "p99": percentile(contact_ms, 99),
            "max": max(contact_ms, default=math.nan),
        },
        "missed": missed,
    }


# ----------------------------------------------------------------------
# One run
# ----------------------------------------------------------------------
def warm_up(base_url, db, logins):
    """Every worker loads the registry on its first request: not part of the figures."""
    t0 = time.time()

    def one(login):
        console = Console(base_url, db, login, lambda *a: None)
        console.authenticate()
        for _ in range(3):
            console.call("get_console_state")

    threads = [threading.Thread(target=one, args=(login,)) for login in logins]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(f"server warmed up in {time.time() - t0:.0f}s")


def db_checks(db, campaign_id, started):
    """Server side: calls of one contact overlapping in time, contacts held by nobody."""
    overlaps = psql_rows(
        db,
        f"""SELECT count(*) FROM (
                SELECT contact_id, started_at, ended_at,
                       lead(started_at) OVER (PARTITION BY contact_id ORDER BY started_at, id)
                           AS next_start
                  FROM smartcall_call WHERE campaign_id = {campaign_id}
                   AND started_at >= '{started}') c
             WHERE next_start < ended_at""",
    )[0][0]
    lost = psql_rows(
        db,
        f"""SELECT count(*) FROM smartcall_campaign_contact
             WHERE campaign_id = {campaign_id} AND state = 'in_call' AND operator_id IS NULL""",
    )[0][0]
    calls = psql_rows(
        db,
        f"""SELECT count(*) FROM smartcall_call
             WHERE campaign_id = {campaign_id} AND started_at >= '{started}'""",
    )[0][0]
    return int(overlaps), int(lost), int(calls)


def client_double_assignments(holds):
    """A contact proposed to an operator while another operator still held it: its claim
    answer arrived after the other's claim and before the other's confirmation was sent."""
    by_contact = defaultdict(list)
    for hold in holds:
        by_contact[hold[0]].append(hold)
    doubles = 0
    for rows in by_contact.values():
        rows.sort(key=lambda h: h[2])
        for prev, nxt in zip(rows, rows[1:], strict=False):
            if nxt[1] != prev[1] and (prev[3] is None or nxt[2] < prev[3]):
                doubles += 1
    return doubles


def run(args, template, size, minutes, talk_s, label):
    db = f"{args.db_prefix}_run"
    subprocess.run(["dropdb", "--if-exists", "--force", db], check=True)
    subprocess.run(["createdb", "-T", template, db], check=True)
    psql(db, "ANALYZE")
    fx = fixture(db)
    logins = fx["logins"][: args.operators]
    server = Server(args, db).start()
    started = datetime.utcnow().strftime("%Y-%m-%d %H:%M:%S")
    base_url = f"http://127.0.0.1:{args.port}"
    warm_up(base_url, db, logins[: args.workers * 2])
    duration = minutes * 60
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    chunks = [logins[i :: args.clients] for i in range(args.clients)]
    load_start = os.getloadavg()
    t0 = time.time()
    procs = [
        ctx.Process(
            target=client_main,
            args=(base_url, db, chunk, fx, talk_s, duration, args.seed + i, args.mix, queue),
        )
        for i, chunk in enumerate(chunks)
    ]
    for proc in procs:
        proc.start()
    results = [queue.get() for _ in procs]
    for proc in procs:
        proc.join()
    elapsed = time.time() - t0
    load_end = os.getloadavg()
    supervisor, push = {}, {}
    if talk_s > 0:
        # a failed extra measure must not lose the run's figures
        try:
            supervisor = measure_supervisor(base_url, db, fx)
            push = measure_push(args, base_url, db, fx, logins[0])
        except Exception as exc:  # noqa: BLE001 - printed with the figures
            supervisor = {"error": {"n": 0, "p50": math.nan, "p99": math.nan, "max": math.nan}}
            print(f"supervisor/push measure failed: {exc}")
    server.stop()
    with open(server.log, encoding="utf-8", errors="replace") as log:
        server_errors = sum(1 for line in log if " ERROR " in line)
    samples, holds = [], []
    for out in results:
        for s, h in out:
            samples.extend(s)
            holds.extend(h)
    overlaps, lost, calls = db_checks(db, fx["campaign_id"], started)
    by_method = defaultdict(list)
    errors = defaultdict(int)
    error_texts = defaultdict(int)
    for method, seconds, error in samples:
        if error:
            errors[method] += 1
            error_texts[error] += 1
        else:
            by_method[method].append(seconds * 1000.0)
    confirmed = len(by_method["confirm_outcome"])
    figures = {
        "label": label,
        "contacts": size,
        "operators": len(logins),
        "minutes": minutes,
        "wall_minutes": round(elapsed / 60.0, 2),
        "talk_s": talk_s,
        "workers": args.workers,
        "methods": {
            m: {
                "n": len(v),
                "errors": errors.get(m, 0),
                "p50": percentile(v, 50),
                "p95": percentile(v, 95),
                "p99": percentile(v, 99),
                "max": max(v) if v else math.nan,
            }
            for m, v in sorted(by_method.items())
        },
        "errors": sum(errors.values()),
        "error_texts": dict(sorted(error_texts.items(), key=lambda kv: -kv[1])[:5]),
        "outcomes_per_min": confirmed / minutes,
        "rpc_per_s": len(samples) / duration,
        "double_client": client_double_assignments(holds),
        "double_db": overlaps,
        "lost": lost,
        "calls": calls,
        "load": (load_start, load_end),
        "server_errors": server_errors,
        "supervisor": supervisor,
        "push": push,
    }
    print_run(figures)
    subprocess.run(["dropdb", "--if-exists", "--force", db], check=True)
    return figures


def print_run(f):
    print(
        f"\n=== {f['label']}: {f['contacts']:,} contacts, {f['operators']} operators, "
        f"talk mean {f['talk_s']} s, {f['minutes']} min, Odoo --workers {f['workers']}"
    )
    print(f"{'call':<20}{'n':>8}{'err':>6}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    for method, m in f["methods"].items():
        print(
            f"{method:<20}{m['n']:>8}{m['errors']:>6}{m['p50']:>10.1f}{m['p95']:>10.1f}"
            f"{m['p99']:>10.1f}{m['max']:>10.1f}"
        )
    print(
        f"outcomes confirmed: {f['outcomes_per_min']:.0f}/min; {f['rpc_per_s']:.1f} console "
        f"calls/s; errors {f['errors']}; double assignments {f['double_client']} (client) "
        f"{f['double_db']} (overlapping calls in the database); contacts lost {f['lost']}; "
        f"load average {f['load'][0][0]:.1f} -> {f['load'][1][0]:.1f} on {os.cpu_count()} cores"
    )
    for text, count in f["error_texts"].items():
        print(f"  {count} x {text}")
    print(f"ERROR lines in the Odoo log: {f['server_errors']}")
    if f["supervisor"]:
        print("after the load, the manager (20 times each, ms):")
        for name, m in f["supervisor"].items():
            print(f"  {name:<18}p50 {m['p50']:>8.1f}  p99 {m['p99']:>8.1f}  max {m['max']:>8.1f}")
    if f["push"]:
        push = f["push"]
        print(
            "idle operator, campaign started by the manager (ms from the manager's request): "
            f"missed pushes {push['missed']}"
        )
        for name in ("push", "contact in hand"):
            m = push[name]
            print(
                f"  {name:<18}n {m['n']:>3}  p50 {m['p50']:>8.1f}  p99 {m['p99']:>8.1f}  "
                f"max {m['max']:>8.1f}"
            )


def print_side_by_side(small, large):
    print(
        f"\n=== p99 (ms) at {small['contacts']:,} vs {large['contacts']:,} contacts "
        f"({large['label']})"
    )
    print(f"{'call':<20}{'small':>10}{'large':>10}{'ratio':>8}")
    for method in METHODS:
        if method in small["methods"] and method in large["methods"]:
            a, b = small["methods"][method]["p99"], large["methods"][method]["p99"]
            print(f"{method:<20}{a:>10.1f}{b:>10.1f}{b / a if a else math.nan:>8.2f}")


def main():
    args = parse_args()
    templates = {size: build_template(args, size) for size in args.sizes}
    if args.build_only:
        return
    all_figures = []
    for size in args.sizes:
        normal = run(args, templates[size], size, args.minutes, args.talk_s, "floor")
        all_figures.append(normal)
        if args.saturation_minutes > 0:
            all_figures.append(
                run(args, templates[size], size, args.saturation_minutes, 0, "saturation")
            )
    by_label = defaultdict(list)
    for f in all_figures:
        by_label[f["label"]].append(f)
    for runs in by_label.values():
        if len(runs) >= 2:
            print_side_by_side(runs[0], runs[-1])
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(all_figures, out, indent=1, default=str)


if __name__ == "__main__":
    sys.exit(main())
