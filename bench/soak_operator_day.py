#!/usr/bin/env python3
# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=invalid-commit,print-used
"""Soak benchmark of an operator's day (issue 9, "Soak"), not a test: prints figures.

100 simulated operators work a 1,000,000-contact campaign for --minutes (default 10). Each
operator loops:

1. claim the next contact (`smartcall.campaign._claim_next_contact`, one transaction);
2. "talk" for a random time (exponential, mean --talk-ms; 0 = back-to-back);
3. confirm an outcome (`smartcall.campaign.contact._confirm_outcome`, one transaction), mixed
   per --mix: NI (close), CALLBK (public callback today, a few minutes ahead: it comes back
   in the queue with priority 30 and is claimed again during the run), CBPROS (next work
   plan) and a few VEND (a confirmed contract with a one-line cart).

Every transaction goes through Odoo's own `odoo.service.model.retrying` (the RPC layer's
retry on serialization failures / deadlocks / lock timeouts: up to 5 tries, sleeping
uniform(0, 2**try) s), and its retries are counted from its log lines.

Connections: PostgreSQL allows max_connections=100 here and other sessions use some, so the
100 operators are threads of this script whose requests are served, like Odoo's prefork
workers, by a pool of --workers processes, each with its own real PostgreSQL connection.
"claim latency" is the transaction in the worker (retries and their sleeps included);
"request" adds the wait for a free worker.

Then the SAME workload runs with a naive claim: the same tiers, found with the ORM
`search(domain, order=..., limit=1)` and taken with `write()` (no SKIP LOCKED; concurrent
operators reading the same first row collide on the write and are retried by `retrying`).
Both variants start from the same template database (`createdb -T`).

Checks printed per variant:
* double assignments (must be 0): from the per-claim log (a contact handed to an operator
  before the previous holder's confirmation) and in the database (two smartcall.call
  attempts of one contact overlapping in time; attempt_count different from the attempts);
* contacts lost (must be 0): every claimed contact is in the state its last outcome leads to
  (NI/VEND done, CALLBK queued priority 30, CBPROS new), none in_call without an operator,
  and the counts add up (states, attempt_count, smartcall.call rows);
* PostgreSQL after the run: pg_stat_user_tables (n_live_tup, n_dead_tup, updates, HOT
  updates, autovacuums), table / index sizes, and pgstattuple when the extension exists.

Usage:
  python3 bench/soak_operator_day.py                 # 10 minutes per variant
  python3 bench/soak_operator_day.py --minutes 2     # shorter
Options: --operators 100, --workers 16, --talk-ms 50, --mix NI:55,CALLBK:20,CBPROS:20,VEND:5,
--contacts 1000000, --template sc_soak_tpl (built once, reused; --rebuild), --db-prefix
sc_soak, --variants skip_locked,naive, --keep (keep the run databases), --build-only.
"""

import argparse
import itertools
import logging
import multiprocessing
import os
import queue
import random
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from functools import partial

from _common import (
    ADDONS,
    bulk_contacts,
    create_operators_and_campaign,
    install_database,
    percentile,
    psql,
)

CAMPAIGN_NAME = "Soak"
TZ = "Europe/Rome"
TABLES = ("smartcall_campaign_contact", "smartcall_call")
QUEUE_INDEX = "smartcall_campaign_contact_queue_idx"
# Final contact state each outcome leads to (seed 000/003 rules, see _wrapup_apply_effect).
EXPECTED_STATE = {"NI": "done", "VEND": "done", "CALLBK": "queued", "CBPROS": "new"}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="duration of each variant")
    parser.add_argument("--operators", type=int, default=100)
    parser.add_argument("--workers", type=int, default=16, help="worker processes (connections)")
    parser.add_argument("--talk-ms", type=float, default=50.0, help="mean simulated talk time")
    parser.add_argument("--mix", default="NI:55,CALLBK:20,CBPROS:20,VEND:5")
    parser.add_argument(
        "--callback-minutes",
        default="1,4",
        help="public callbacks are set this many minutes ahead (min,max)",
    )
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--template", default="sc_soak_tpl")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the template")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--db-prefix", default="sc_soak")
    parser.add_argument("--variants", default="skip_locked,naive")
    parser.add_argument("--keep", action="store_true", help="keep the run databases")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--addons-path", default=ADDONS)
    args = parser.parse_args()
    args.mix = [
        (code, float(weight)) for code, weight in (p.split(":") for p in args.mix.split(","))
    ]
    unknown = {code for code, _w in args.mix} - set(EXPECTED_STATE)
    if unknown:
        parser.error(f"unknown outcome codes in --mix: {sorted(unknown)}")
    args.callback_minutes = tuple(float(x) for x in args.callback_minutes.split(","))
    args.variants = args.variants.split(",")
    return args


# ----------------------------------------------------------------------
# Databases
# ----------------------------------------------------------------------
def database_exists(db):
    out = subprocess.run(
        [
            "psql",
            "-Atq",
            "-d",
            "postgres",
            "-c",
            f"SELECT 1 FROM pg_database WHERE datname = '{db}'",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.strip() == "1"


def build_template(args):
    """smartcall_outcomes installed, operators, the campaign, products, 1M contacts."""
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    install_database(args.template, args.addons_path, "smartcall_outcomes")
    registry = Registry(args.template)
    with registry.cursor() as cr:
        env = api.Environment(
            cr, SUPERUSER_ID, {"tracking_disable": True, "no_reset_password": True}
        )
        _user_ids, campaign_id = create_operators_and_campaign(
            env, args.operators, name=CAMPAIGN_NAME, tz=TZ
        )
        env["product.product"].create(
            [
                {"name": f"Soak offer {i}", "list_price": price, "type": "service"}
                for i, price in enumerate((19.9, 29.9, 39.9))
            ]
        )
        cr.commit()
    Registry.delete(args.template)
    odoo.sql_db.close_all()
    bulk_contacts(args.template, campaign_id, args.contacts)
    try:
        psql(args.template, "CREATE EXTENSION IF NOT EXISTS pgstattuple")
    except subprocess.CalledProcessError:
        print("pgstattuple not available: bloat from pg_stat_user_tables and sizes only")


def load_fixture(cr, operators):
    cr.execute(
        "SELECT id FROM smartcall_campaign WHERE name = %s ORDER BY id LIMIT 1", [CAMPAIGN_NAME]
    )
    campaign_id = cr.fetchone()[0]
    cr.execute(
        """SELECT user_id FROM smartcall_campaign_operator_rel WHERE campaign_id = %s
            ORDER BY user_id LIMIT %s""",
        [campaign_id, operators],
    )
    user_ids = [r[0] for r in cr.fetchall()]
    cr.execute(
        """SELECT pp.id FROM product_product pp JOIN product_template pt
                ON pt.id = pp.product_tmpl_id
            WHERE pt.name->>'en_US' LIKE 'Soak offer %' ORDER BY pp.id"""
    )
    product_ids = [r[0] for r in cr.fetchall()]
    cr.execute(
        "SELECT code, id FROM smartcall_outcome WHERE code = ANY(%s)", [list(EXPECTED_STATE)]
    )
    outcomes = dict(cr.fetchall())
    return {
        "campaign_id": campaign_id,
        "user_ids": user_ids,
        "product_ids": product_ids,
        "outcomes": outcomes,
    }


def db_snapshot(cr, campaign_id, with_bloat=False):
    """Contact states, attempts, calls and PostgreSQL's table statistics."""
    snap = {}
    cr.execute(
        """SELECT state, count(*) FROM smartcall_campaign_contact WHERE campaign_id = %s
            GROUP BY state""",
        [campaign_id],
    )
    snap["states"] = dict(cr.fetchall())
    cr.execute(
        """SELECT COALESCE(sum(attempt_count), 0),
                  count(*) FILTER (WHERE state = 'in_call'),
                  count(*) FILTER (WHERE state = 'in_call' AND operator_id IS NULL),
                  count(*) FILTER (WHERE state <> 'in_call' AND operator_id IS NOT NULL)
             FROM smartcall_campaign_contact WHERE campaign_id = %s""",
        [campaign_id],
    )
    snap["attempts"], snap["in_call"], snap["in_call_no_operator"], snap["operator_not_in_call"] = (
        cr.fetchone()
    )
    cr.execute(
        "SELECT state, count(*) FROM smartcall_call WHERE campaign_id = %s GROUP BY state",
        [campaign_id],
    )
    snap["calls"] = dict(cr.fetchall())
    cr.execute("SELECT pg_stat_clear_snapshot()")
    cr.execute(
        """SELECT s.relname, s.n_live_tup, s.n_dead_tup, s.n_tup_ins, s.n_tup_upd,
                  s.n_tup_hot_upd, s.autovacuum_count, s.autoanalyze_count,
                  pg_relation_size(s.relid), pg_indexes_size(s.relid),
                  pg_total_relation_size(s.relid)
             FROM pg_stat_user_tables s WHERE s.relname = ANY(%s)""",
        [list(TABLES)],
    )
    snap["tables"] = {
        row[0]: dict(
            zip(
                (
                    "live",
                    "dead",
                    "ins",
                    "upd",
                    "hot_upd",
                    "autovacuum",
                    "autoanalyze",
                    "table_bytes",
                    "index_bytes",
                    "total_bytes",
                ),
                row[1:],
                strict=True,
            )
        )
        for row in cr.fetchall()
    }
    cr.execute("SELECT pg_relation_size(%s::regclass)", [QUEUE_INDEX])
    snap["queue_index_bytes"] = cr.fetchone()[0]
    snap["pgstattuple"] = {}
    if with_bloat:
        cr.execute("SELECT 1 FROM pg_extension WHERE extname = 'pgstattuple'")
        if cr.fetchone():
            for table in TABLES:
                cr.execute(
                    """SELECT table_len, tuple_count, dead_tuple_count, dead_tuple_percent,
                              free_percent FROM pgstattuple(%s::regclass)""",
                    [table],
                )
                snap["pgstattuple"][table] = cr.fetchone()
            cr.execute(
                "SELECT avg_leaf_density, leaf_fragmentation FROM pgstatindex(%s::regclass)",
                [QUEUE_INDEX],
            )
            snap["pgstattuple"][QUEUE_INDEX] = cr.fetchone()
    return snap


# ----------------------------------------------------------------------
# The two claims
# ----------------------------------------------------------------------
def naive_claim(campaign, user):
    """The claim written without SKIP LOCKED: the same checks and tiers (due public callbacks,
    due retries, new; no blacklisted number), each found with an ORM `search(limit=1)` on the
    same index order, then taken with `write()`. Two operators reading the same first row both
    write it: the second waits for the first's row lock, then gets a serialization failure
    (REPEATABLE READ) that Odoo's `retrying` turns into a retry after a random sleep."""
    from odoo import fields
    from odoo.tools import SQL

    campaign._check_can_claim(user)
    held = campaign._get_held_contact(user)
    if held:
        return held
    Contact = campaign.env["smartcall.campaign.contact"]
    if not campaign._is_within_work_hours():
        return Contact
    now = fields.Datetime.now()
    blacklisted = SQL("(SELECT number FROM phone_blacklist WHERE active)")
    base = [
        ("campaign_id", "=", campaign.id),
        ("state", "=", "queued"),
        "|",
        ("partner_id.smartcall_phone_e164", "=", False),
        ("partner_id.smartcall_phone_e164", "not in", blacklisted),
        "|",
        ("partner_id.smartcall_mobile_e164", "=", False),
        ("partner_id.smartcall_mobile_e164", "not in", blacklisted),
    ]
    due = ["|", ("next_call_at", "=", False), ("next_call_at", "<=", now)]
    for priority, when in ((30, [("next_call_at", "<=", now)]), (20, due), (10, due)):
        contact = Contact.search(
            base + [("queue_priority", "=", priority)] + when,
            order="next_call_at asc nulls first, id",
            limit=1,
        )
        if contact:
            break
    else:
        return Contact
    contact.write(
        {
            "state": "in_call",
            "operator_id": user.id,
            "claimed_at": now,
            "attempt_count": contact.attempt_count + 1,
        }
    )
    contact._ensure_open_call(user)  # as smartcall_outcomes' _claim_next_contact does
    return contact


def do_claim(env, variant, campaign_id):
    campaign = env["smartcall.campaign"].browse(campaign_id)
    if variant == "naive":
        contact = naive_claim(campaign, env.user)
    else:
        contact = campaign._claim_next_contact(env.user)
    return contact.id, time.time()


def outcome_values(code, fixture, rng, callback_minutes):
    """The outcome page's values for `code`; returns (code actually used, values)."""
    import pytz

    outcomes = fixture["outcomes"]
    if code == "CALLBK":
        tz = pytz.timezone(TZ)
        local_now = datetime.now(tz)
        when = (local_now + timedelta(minutes=rng.uniform(*callback_minutes))).replace(
            second=0, microsecond=0
        )
        if when.date() == local_now.date() and when > local_now:
            return code, {
                "outcome_id": outcomes["CALLBK"],
                "notes": "Call back in a few minutes",
                "callback": {
                    "private": False,
                    "date": when.strftime("%Y-%m-%d"),
                    "time": when.strftime("%H:%M"),
                    "note": "",
                },
            }
        code = "CBPROS"  # too close to midnight for a public callback today
    if code == "VEND":
        return code, {
            "outcome_id": outcomes["VEND"],
            "notes": "Sold on line",
            "cart": [{"product_id": rng.choice(fixture["product_ids"]), "quantity": 1}],
        }
    return code, {"outcome_id": outcomes[code], "notes": f"Soak {code}"}


def do_confirm(env, contact_id, code, fixture, rng, callback_minutes):
    used, values = outcome_values(code, fixture, rng, callback_minutes)
    env["smartcall.campaign.contact"].browse(contact_id)._confirm_outcome(values)
    return used, time.time()


class RetryCounter(logging.Handler):
    """Counts the retries of odoo.service.model.retrying from its log lines."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.retries = self.exhausted = 0

    def emit(self, record):
        message = record.getMessage()
        if "tries left" in message:
            self.retries += 1
        elif "maximum number of tries" in message:
            self.exhausted += 1


def worker_main(db, variant, fixture, callback_minutes, seed, request_queue, results):
    """One "Odoo worker": its own connection; each request is one transaction run through
    Odoo's `retrying` (rollback + random sleep + retry on serialization failures)."""
    from odoo import api
    from odoo.service.model import retrying
    from odoo.sql_db import db_connect

    counter = RetryCounter()
    logger = logging.getLogger("odoo.service.model")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger.addHandler(counter)
    # The serialization failures are counted and retried: not worth a "bad query" log each.
    logging.getLogger("odoo.sql_db").addFilter(
        lambda record: "could not serialize access" not in record.getMessage()
    )
    rng = random.Random(seed)
    cr = db_connect(db).cursor()
    try:
        while True:
            request = request_queue.get()
            if request is None:
                return
            kind, op, uid, contact_id, code, submitted = request
            counter.retries = counter.exhausted = 0
            started = time.time()
            env = api.Environment(cr, uid, {})
            used, done_at, error = None, None, None
            try:
                if kind == "claim":
                    contact_id, done_at = retrying(
                        partial(do_claim, env, variant, fixture["campaign_id"]), env
                    )
                else:
                    used, done_at = retrying(
                        partial(do_confirm, env, contact_id, code, fixture, rng, callback_minutes),
                        env,
                    )
            except Exception as exc:  # noqa: BLE001 - reported to the operator, counted
                cr.rollback()
                env.reset()
                error = f"{type(exc).__name__}: {exc}"[:300]
            results.put(
                (
                    kind,
                    op,
                    contact_id,
                    used,
                    submitted,
                    started,
                    done_at,
                    time.time(),
                    counter.retries,
                    counter.exhausted,
                    error,
                )
            )
    finally:
        cr.close()


# ----------------------------------------------------------------------
# One variant
# ----------------------------------------------------------------------
def other_connections(cr, db):
    cr.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
        " AND datname IS DISTINCT FROM %s",
        [db],
    )
    return cr.fetchone()[0]


def run_variant(args, variant):
    import odoo
    from odoo.modules.registry import Registry
    from odoo.sql_db import db_connect

    db = f"{args.db_prefix}_{variant}"
    subprocess.run(["dropdb", "--if-exists", db], check=True)
    t0 = time.time()
    subprocess.run(["createdb", "-T", args.template, db], check=True)
    # A copied database starts with empty statistics: ANALYZE gives n_live_tup its base.
    psql(db, "ANALYZE smartcall_campaign_contact, smartcall_call, res_partner")
    # Same start for every variant: the queue's table and index in shared buffers.
    try:
        psql(
            db,
            f"""CREATE EXTENSION IF NOT EXISTS pg_prewarm;
                DO $$ BEGIN PERFORM pg_prewarm('smartcall_campaign_contact');
                            PERFORM pg_prewarm('{QUEUE_INDEX}'); END $$""",
        )
    except subprocess.CalledProcessError:
        print("pg_prewarm not available: the first variant may start with colder caches")
    print(f"\n=== {variant}: database {db} copied from {args.template} in {time.time() - t0:.1f}s")
    Registry(db)
    with db_connect(db).cursor() as cr:
        fixture = load_fixture(cr, args.operators)
        before = db_snapshot(cr, fixture["campaign_id"])
        others_before = other_connections(cr, db)
        cr.execute("SHOW max_connections")
        max_connections = cr.fetchone()[0]
    odoo.sql_db.close_all()  # no connection may cross the fork

    ctx = multiprocessing.get_context("fork")
    request_queue, results = ctx.Queue(), ctx.Queue()
    workers = [
        ctx.Process(
            target=worker_main,
            args=(
                db,
                variant,
                fixture,
                args.callback_minutes,
                args.seed * 1000 + i,
                request_queue,
                results,
            ),
        )
        for i in range(args.workers)
    ]
    for worker in workers:
        worker.start()
    load_start = os.getloadavg()
    print(
        f"{len(fixture['user_ids'])} operators (threads) served by a pool of {args.workers} worker "
        f"processes, each with its own PostgreSQL connection, like Odoo's prefork workers "
        f"(max_connections {max_connections}, {others_before} connections used by other sessions "
        f"at start); load average {load_start[0]:.2f} {load_start[1]:.2f} {load_start[2]:.2f} "
        f"on {os.cpu_count()} cores"
    )

    log, holds, loads, elapsed = drive_operators(args, fixture, request_queue, results, workers)
    duration = args.minutes * 60.0
    load_end = os.getloadavg()
    time.sleep(1.5)  # let the exited backends' statistics reach pg_stat_user_tables

    with db_connect(db).cursor() as cr:
        after = db_snapshot(cr, fixture["campaign_id"], with_bloat=True)
        figures = compute_figures(
            cr, fixture, variant, log, holds, before, after, duration, elapsed
        )
    figures.update(
        load_start=load_start,
        load_end=load_end,
        load_during=(min(loads), sum(loads) / len(loads), max(loads)) if loads else None,
        others=others_before,
    )
    Registry.delete(db)
    odoo.sql_db.close_all()
    if not args.keep:
        subprocess.run(["dropdb", "--if-exists", db], check=True)
    return figures


def operator_loop(args, op, call, stop_at, holds):
    """One operator until `stop_at`: claim, talk, confirm; every claim is appended to `holds`
    as [contact, operator, claimed at, released at (None while held), outcome]."""
    rng = random.Random(args.seed * 7919 + op)
    codes, weights = zip(*args.mix, strict=True)
    time.sleep(rng.uniform(0, 1.0))  # operators do not all start on the same tick
    held = None
    while time.time() < stop_at:
        result = call("claim")
        if result[10]:
            time.sleep(0.1)  # an error shown to the operator (e.g. retries exhausted)
            continue  # ... who asks again
        contact_id = result[2]
        if not contact_id:
            time.sleep(1.0)  # queue empty
            continue
        if held and held[0] == contact_id:
            hold = held  # the contact this operator still held (a failed confirmation)
        else:
            hold = [contact_id, op, result[6], None, None]
            holds.append(hold)
        held = hold
        if args.talk_ms:
            time.sleep(rng.expovariate(1000.0 / args.talk_ms))
        code = rng.choices(codes, weights)[0]
        for _try in range(3):
            result = call("confirm", contact_id, code)
            if not result[10]:
                hold[3], hold[4] = result[6], result[3]
                held = None
                break
            code = "NI"  # e.g. a contract that failed: close the call as not interested


def drive_operators(args, fixture, request_queue, results, workers):
    """The operators (threads) for --minutes, then the workers are stopped. Returns the
    results log, the holds (one per claim), the load samples and the elapsed time."""
    inbox = [queue.Queue() for _uid in fixture["user_ids"]]
    log = []  # every result, in arrival order
    holds = []  # per claim: [contact, op, claim_done, release_done or None, outcome]
    loads = []
    duration = args.minutes * 60.0
    t_start = time.time()
    stop_at = t_start + duration
    done = threading.Event()

    def dispatcher():
        while not done.is_set():
            try:
                result = results.get(timeout=0.2)
            except queue.Empty:
                continue
            log.append(result)
            inbox[result[1]].put(result)

    def sampler():
        while not done.wait(5.0):
            loads.append(os.getloadavg()[0])

    def operator(op, uid):
        def call(kind, contact_id=None, code=None):
            request_queue.put((kind, op, uid, contact_id, code, time.time()))
            return inbox[op].get()

        operator_loop(args, op, call, stop_at, holds)

    threads = [
        threading.Thread(target=dispatcher, daemon=True),
        threading.Thread(target=sampler, daemon=True),
    ]
    for thread in threads:
        thread.start()
    operators = [
        threading.Thread(target=operator, args=(op, uid))
        for op, uid in enumerate(fixture["user_ids"])
    ]
    for thread in operators:
        thread.start()
    for thread in operators:
        thread.join()
    elapsed = time.time() - t_start
    for _worker in workers:
        request_queue.put(None)
    for worker in workers:
        worker.join()
    while True:  # the last results
        try:
            result = results.get(timeout=0.5)
        except queue.Empty:
            break
        log.append(result)
    done.set()
    for thread in threads:
        thread.join()
    return log, holds, loads, elapsed


def compute_figures(cr, fixture, variant, log, holds, before, after, duration, elapsed):
    t_start = min((r[4] for r in log), default=0.0)
    in_window = t_start + duration
    claims = [r for r in log if r[0] == "claim"]
    confirms = [r for r in log if r[0] == "confirm"]
    ok_claims = [r for r in claims if not r[10] and r[2]]
    ok_confirms = [r for r in confirms if not r[10]]
    f = {"variant": variant, "duration": duration, "elapsed": elapsed}
    f["claims"] = len(ok_claims)
    f["confirms"] = len(ok_confirms)
    f["claims_s"] = sum(1 for r in ok_claims if r[7] <= in_window) / duration
    f["confirms_s"] = sum(1 for r in ok_confirms if r[7] <= in_window) / duration
    for name, rows in (("claim", ok_claims), ("confirm", ok_confirms)):
        tx = [(r[7] - r[5]) * 1000 for r in rows]
        req = [(r[7] - r[4]) * 1000 for r in rows]
        f[f"{name}_p50"], f[f"{name}_p99"] = percentile(tx, 50), percentile(tx, 99)
        f[f"{name}_max"] = max(tx, default=float("nan"))
        f[f"{name}_req_p50"], f[f"{name}_req_p99"] = percentile(req, 50), percentile(req, 99)
    f["claim_retries"] = sum(r[8] for r in claims)
    f["confirm_retries"] = sum(r[8] for r in confirms)
    f["claim_errors"] = sum(1 for r in claims if r[10])
    f["confirm_errors"] = sum(1 for r in confirms if r[10])
    f["exhausted"] = sum(r[9] for r in log)
    f["errors_sample"] = Counter(r[10].split(":")[0] for r in log if r[10]).most_common(3)
    f["first_error"] = next((r[10] for r in log if r[10]), None)
    f["outcomes"] = Counter(h[4] for h in holds if h[4])

    # Double assignments, from the per-claim log: a contact handed out again before the
    # previous holder's confirmation (its release time; never released = still held).
    by_contact = defaultdict(list)
    for hold in holds:
        by_contact[hold[0]].append(hold)
    log_doubles = 0
    for contact_holds in by_contact.values():
        contact_holds.sort(key=lambda h: h[2])
        for prev, nxt in itertools.pairwise(contact_holds):
            if prev[3] is None or nxt[2] < prev[3]:
                log_doubles += 1
    f["log_doubles"] = log_doubles
    f["reclaimed"] = sum(len(h) - 1 for h in by_contact.values())

    # ... and in the database: two call attempts of one contact overlapping in time, or a
    # contact whose attempt_count differs from its number of call attempts.
    cid = fixture["campaign_id"]
    cr.execute(
        """SELECT count(*) FROM smartcall_call a JOIN smartcall_call b
                ON b.contact_id = a.contact_id AND b.id > a.id
            WHERE a.campaign_id = %s
              AND b.started_at < COALESCE(a.ended_at, 'infinity')
              AND a.started_at < COALESCE(b.ended_at, 'infinity')""",
        [cid],
    )
    f["db_doubles"] = cr.fetchone()[0]
    cr.execute(
        """SELECT count(*) FROM smartcall_campaign_contact c
             LEFT JOIN (SELECT contact_id, count(*) AS n FROM smartcall_call
                         WHERE campaign_id = %s GROUP BY contact_id) k ON k.contact_id = c.id
            WHERE c.campaign_id = %s AND c.attempt_count <> COALESCE(k.n, 0)""",
        [cid, cid],
    )
    f["attempt_mismatch"] = cr.fetchone()[0]
    cr.execute(
        """SELECT count(*) FROM smartcall_call k JOIN smartcall_campaign_contact c
                ON c.id = k.contact_id
             JOIN res_partner p ON p.id = c.partner_id
             JOIN phone_blacklist bl ON bl.active
                  AND bl.number IN (p.smartcall_phone_e164, p.smartcall_mobile_e164)
            WHERE k.campaign_id = %s""",
        [cid],
    )
    f["blacklisted_claimed"] = cr.fetchone()[0]

    # Contacts lost: each claimed contact is where its last outcome sends it, and the counts
    # add up (states, attempts, call rows).
    last = {}
    for contact_id, contact_holds in by_contact.items():
        final = contact_holds[-1]
        last[contact_id] = EXPECTED_STATE[final[4]] if final[3] is not None else "in_call"
    cr.execute("SELECT id, state FROM smartcall_campaign_contact WHERE id = ANY(%s)", [list(last)])
    actual = dict(cr.fetchall())
    f["wrong_state"] = sum(1 for c, state in last.items() if actual.get(c) != state)
    expected_states = Counter(before["states"])
    for state in last.values():
        expected_states["queued"] -= 1  # every claimable contact started queued
        expected_states[state] += 1
    expected_states = {k: v for k, v in expected_states.items() if v}
    f["states_before"], f["states_after"] = before["states"], after["states"]
    f["states_add_up"] = expected_states == after["states"]
    f["attempts_delta"] = after["attempts"] - before["attempts"]
    f["attempts_add_up"] = f["attempts_delta"] == len(holds)
    calls_after = sum(after["calls"].values()) - sum(before["calls"].values())
    f["calls_new"], f["calls_by_state"] = calls_after, after["calls"]
    released = sum(1 for h in holds if h[3] is not None)
    f["calls_add_up"] = (
        calls_after == len(holds)
        and after["calls"].get("done", 0) - before["calls"].get("done", 0) == released
    )
    f["in_call"] = after["in_call"]
    f["in_call_no_operator"] = after["in_call_no_operator"]
    f["operator_not_in_call"] = after["operator_not_in_call"]
    f["held_at_end"] = len(holds) - released
    f["lost"] = f["wrong_state"] + after["in_call_no_operator"]
    f["add_up"] = f["states_add_up"] and f["attempts_add_up"] and f["calls_add_up"]
    f["before"], f["after"] = before, after
    return f


# ----------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------
def mb(value):
    return f"{value / 1048576:.1f} MB"


def print_variant(f):
    print(f"\n--- {f['variant']} ---")
    print(
        f"duration {f['duration']:.0f}s (last operator done after {f['elapsed']:.1f}s); "
        f"load average at start {f['load_start'][0]:.2f}, end {f['load_end'][0]:.2f}"
        + (
            f", during min/mean/max {f['load_during'][0]:.2f}/{f['load_during'][1]:.2f}/"
            f"{f['load_during'][2]:.2f}"
            if f["load_during"]
            else ""
        )
    )
    print(
        f"claims {f['claims']:,} ({f['claims_s']:.1f}/s)  confirmations {f['confirms']:,} "
        f"({f['confirms_s']:.1f}/s)  outcomes {dict(f['outcomes'])}"
    )
    for name in ("claim", "confirm"):
        print(
            f"{name:8s} transaction p50 {f[name + '_p50']:8.1f} ms  "
            f"p99 {f[name + '_p99']:8.1f} ms  max {f[name + '_max']:8.1f} ms | "
            f"request (+ pool wait) p50 {f[name + '_req_p50']:8.1f} ms  "
            f"p99 {f[name + '_req_p99']:8.1f} ms"
        )
    print(
        f"serialization retries (Odoo retrying): claim {f['claim_retries']}, confirm "
        f"{f['confirm_retries']}; requests failed after 5 tries: {f['exhausted']}; "
        f"errors shown to operators: claim {f['claim_errors']}, confirm {f['confirm_errors']} "
        f"{f['errors_sample'] or ''}"
    )
    if f["first_error"]:
        print(f"  first error: {f['first_error']}")
    print(
        f"double assignments: {f['log_doubles']} (per-claim log), {f['db_doubles']} (overlapping "
        f"call attempts in the database), attempt_count != attempts: {f['attempt_mismatch']}; "
        f"contacts claimed again after a public callback: {f['reclaimed']}; blacklisted numbers "
        f"handed out: {f['blacklisted_claimed']}"
    )
    print(
        f"contacts lost: {f['lost']} (wrong final state {f['wrong_state']}, in_call without "
        f"operator {f['in_call_no_operator']}, operator set but not in_call "
        f"{f['operator_not_in_call']}, still held at the end {f['held_at_end']}); states add up: "
        f"{f['states_add_up']}, attempt_count +{f['attempts_delta']} = claims: "
        f"{f['attempts_add_up']}, call rows +{f['calls_new']} = claims: {f['calls_add_up']}"
    )
    print(f"  contact states before {dict(sorted(f['states_before'].items()))}")
    print(f"  contact states after  {dict(sorted(f['states_after'].items()))}")
    for table in TABLES:
        b, a = f["before"]["tables"].get(table, {}), f["after"]["tables"].get(table, {})
        if not a:
            continue
        print(
            f"  {table}: n_live_tup {a['live']:,}, n_dead_tup {a['dead']:,} "
            f"({100.0 * a['dead'] / max(1, a['live'] + a['dead']):.1f}%), updates {a['upd']:,} "
            f"(HOT {a['hot_upd']:,}), inserts {a['ins']:,}, autovacuums {a['autovacuum']}; "
            f"table {mb(b.get('table_bytes', 0))} -> {mb(a['table_bytes'])}, indexes "
            f"{mb(b.get('index_bytes', 0))} -> {mb(a['index_bytes'])}"
        )
    print(
        f"  {QUEUE_INDEX}: {mb(f['before']['queue_index_bytes'])} -> "
        f"{mb(f['after']['queue_index_bytes'])}"
    )
    for name, row in f["after"]["pgstattuple"].items():
        if name == QUEUE_INDEX:
            print(f"  pgstatindex {name}: leaf density {row[0]:.1f}%, fragmentation {row[1]:.1f}%")
        else:
            print(
                f"  pgstattuple {name}: {mb(row[0])}, {row[1]:,} live, {row[2]:,} dead "
                f"({row[3]:.1f}%), free {row[4]:.1f}%"
            )


def print_side_by_side(results):
    if len(results) != 2:
        return
    a, b = results
    rows = [
        ("claims/s", "claims_s", "{:.1f}", True),
        ("confirmations/s", "confirms_s", "{:.1f}", True),
        ("claim p50 ms", "claim_p50", "{:.1f}", False),
        ("claim p99 ms", "claim_p99", "{:.1f}", False),
        ("claim request p99 ms", "claim_req_p99", "{:.1f}", False),
        ("confirm p50 ms", "confirm_p50", "{:.1f}", False),
        ("confirm p99 ms", "confirm_p99", "{:.1f}", False),
        ("serialization retries (claim)", "claim_retries", "{}", False),
        ("serialization retries (confirm)", "confirm_retries", "{}", False),
        ("failed after 5 tries", "exhausted", "{}", False),
        ("double assignments (log)", "log_doubles", "{}", False),
        ("double assignments (db)", "db_doubles", "{}", False),
        ("contacts lost", "lost", "{}", False),
        ("counts add up", "add_up", "{}", False),
    ]

    def dead(f, table):
        return f["after"]["tables"].get(table, {}).get("dead", 0)

    print(f"\n=== side by side ({a['duration'] / 60:.1f} min each) ===")
    print(f"{'':34s}{a['variant']:>14s}{b['variant']:>14s}{'ratio':>10s}")
    for label, key, fmt, _higher_better in rows:
        va, vb = a[key], b[key]
        if isinstance(va, bool):
            ratio = ""
        else:
            ratio = f"{va / vb:.2f}x" if vb else ("-" if not va else "inf")
        print(f"{label:34s}{fmt.format(va):>14s}{fmt.format(vb):>14s}{ratio:>10s}")
    for table in TABLES:
        va, vb = dead(a, table), dead(b, table)
        ratio = f"{va / vb:.2f}x" if vb else "-"
        print(f"{'n_dead_tup ' + table:34s}{va:>14,}{vb:>14,}{ratio:>10s}")
    print("(ratio = first / second column)")


def main():
    args = parse_args()
    import odoo
    from odoo.tools import config

    config.parse_config(["--addons-path", args.addons_path, "--log-level=warn"])
    if args.rebuild or not database_exists(args.template):
        t0 = time.time()
        build_template(args)
        print(f"template {args.template} built in {time.time() - t0:.1f}s")
    else:
        print(f"reusing template {args.template} (--rebuild to build it again)")
    if args.build_only:
        return 0
    print(
        f"soak: {args.operators} operators, {args.minutes:g} min per variant, talk time mean "
        f"{args.talk_ms:g} ms, outcome mix {args.mix}, {os.cpu_count()} cores, load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    results = []
    for variant in args.variants:
        figures = run_variant(args, variant)
        print_variant(figures)
        results.append(figures)
        odoo.sql_db.close_all()
    print_side_by_side(results)
    failed = any(
        f["log_doubles"] or f["db_doubles"] or f["lost"] or not f["add_up"] for f in results
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
