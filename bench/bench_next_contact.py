#!/usr/bin/env python3
# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=invalid-commit,print-used
"""Benchmark of "next contact" (smartcall.campaign._claim_next_contact), not a test.

Builds a campaign of N contacts (default 1,000,000) in a throwaway database with bulk SQL,
then simulates concurrent operators asking for their next contact:

* each operator (a thread of this script) asks for a contact, "talks" for a random time
  (exponential, mean --think-ms; 0 = back-to-back, a saturation test), closes it, asks again;
* requests are served, like Odoo's prefork workers, by --workers processes, each with its
  own real PostgreSQL connection and Environment (no GIL shared between them);
* latency = the claim transaction (Environment, _claim_next_contact, commit) and, separately,
  the request latency including the wait for a free worker.

Prints p50/p95/p99/max, throughput, retries (serialization failures retried like Odoo's
RPC layer does) and double assignments (must be 0), checked both from the handed-out ids
and in the database (a contact claimed twice would have attempt_count > 1).

Usage:
  python3 bench/bench_next_contact.py --contacts 100000 --operators 100 --seconds 20
  python3 bench/bench_next_contact.py            # 1,000,000 contacts, 100 operators
Options: --db NAME (default sc_camp_bench, dropped and recreated unless --reuse),
--addons-path, --workers 16, --think-ms 1000, --seconds 30, --keep (keep the database).
"""

import argparse
import multiprocessing
import queue
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter

from _common import (
    ADDONS,
    bulk_contacts,
    create_operators_and_campaign,
    install_database,
    percentile,
    psql,
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="sc_camp_bench")
    parser.add_argument("--addons-path", default=ADDONS)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--operators", type=int, default=100)
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--think-ms", type=float, default=1000.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument(
        "--reuse", action="store_true", help="reuse the database and campaign of a --keep run"
    )
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    return parser.parse_args()


def create_database(args):
    if not args.reuse:
        install_database(args.db, args.addons_path, "smartcall_campaign")


def build_fixture(args, registry):
    """Campaign, operators, contacts (bulk SQL), a do-not-call list; returns ids."""
    from odoo import SUPERUSER_ID, api

    if args.reuse:
        with registry.cursor() as cr:
            cr.execute("SELECT id FROM smartcall_campaign WHERE name = 'Bench' ORDER BY id LIMIT 1")
            row = cr.fetchone()
            if row:
                # Put back what an earlier run handed out, keep the rest of the fixture.
                cr.execute(
                    """UPDATE smartcall_campaign_contact
                          SET state = 'queued', operator_id = NULL, claimed_at = NULL,
                              attempt_count = 0
                        WHERE campaign_id = %s AND attempt_count > 0""",
                    [row[0]],
                )
                cr.execute(
                    """SELECT user_id FROM smartcall_campaign_operator_rel
                        WHERE campaign_id = %s ORDER BY user_id LIMIT %s""",
                    [row[0], args.operators],
                )
                user_ids = [r[0] for r in cr.fetchall()]
                cr.commit()
                psql(args.db, "VACUUM ANALYZE smartcall_campaign_contact")
                print(f"reusing campaign {row[0]} of {args.db}")
                return user_ids, row[0]
    with registry.cursor() as cr:
        env = api.Environment(
            cr, SUPERUSER_ID, {"tracking_disable": True, "no_reset_password": True}
        )
        user_ids, campaign_id = create_operators_and_campaign(env, args.operators)
        cr.commit()
    bulk_contacts(args.db, campaign_id, args.contacts)
    return user_ids, campaign_id


def worker_main(db, campaign_id, request_queue, results):
    """One "Odoo worker": its own connection, one transaction per request."""
    from psycopg2 import errors as pg_errors

    from odoo import api
    from odoo.sql_db import db_connect

    retryable = (pg_errors.SerializationFailure, pg_errors.DeadlockDetected)
    with db_connect(db).cursor() as cr:
        while True:
            request = request_queue.get()
            if request is None:
                return
            uid, previous_id, submitted = request
            started = time.time()
            if previous_id:  # the call is over: close the contact (not measured)
                env = api.Environment(cr, uid, {})
                env["smartcall.campaign.contact"].browse(previous_id)._mark_done()
                cr.commit()
            retries = 0
            while True:
                t0 = time.perf_counter()
                try:
                    env = api.Environment(cr, uid, {})
                    contact = (
                        env["smartcall.campaign"].browse(campaign_id)._claim_next_contact(env.user)
                    )
                    contact_id = contact.id
                    cr.commit()
                    claim_ms = (time.perf_counter() - t0) * 1000
                    break
                except retryable:
                    cr.rollback()
                    retries += 1
                    time.sleep(random.uniform(0, 0.002 * retries))
            results.put(
                (
                    uid,
                    contact_id,
                    claim_ms,
                    (time.time() - submitted) * 1000,
                    (started - submitted) * 1000,
                    retries,
                )
            )


def run(args, user_ids, campaign_id):
    ctx = multiprocessing.get_context("fork")
    request_queue, results = ctx.Queue(), ctx.Queue()
    import odoo.sql_db

    odoo.sql_db.close_all()  # no connection may cross the fork
    workers = [
        ctx.Process(target=worker_main, args=(args.db, campaign_id, request_queue, results))
        for _i in range(args.workers)
    ]
    for worker in workers:
        worker.start()
    inbox = {uid: queue.Queue() for uid in user_ids}
    samples = []
    stop_at = time.time() + args.seconds
    done = threading.Event()

    def dispatcher():
        while not done.is_set() or any(not q.empty() for q in inbox.values()):
            try:
                result = results.get(timeout=0.2)
            except queue.Empty:
                continue
            samples.append(result)
            inbox[result[0]].put(result)

    def operator(uid):
        think = args.think_ms / 1000.0
        time.sleep(random.uniform(0, think))  # operators do not all start on the same tick
        previous = None
        while time.time() < stop_at:
            request_queue.put((uid, previous, time.time()))
            result = inbox[uid].get()
            previous = result[1]
            if not previous:
                return  # queue empty
            if think:
                time.sleep(random.expovariate(1.0 / think))

    dispatch = threading.Thread(target=dispatcher, daemon=True)
    dispatch.start()
    t_start = time.time()
    operators = [threading.Thread(target=operator, args=(uid,)) for uid in user_ids]
    for thread in operators:
        thread.start()
    for thread in operators:
        thread.join()
    elapsed = time.time() - t_start
    for _worker in workers:
        request_queue.put(None)
    for worker in workers:
        worker.join()
    done.set()
    dispatch.join()
    return samples, elapsed


def report(args, samples, elapsed, campaign_id):
    from odoo.sql_db import db_connect

    claimed = [s[1] for s in samples if s[1]]
    claim_ms = [s[2] for s in samples]
    request_ms = [s[3] for s in samples]
    wait_ms = [s[4] for s in samples]
    retries = sum(s[5] for s in samples)
    doubles = sum(count - 1 for count in Counter(claimed).values() if count > 1)
    with db_connect(args.db).cursor() as cr:
        cr.execute(
            """SELECT count(*) FILTER (WHERE attempt_count > 1),
                      count(*) FILTER (WHERE state = 'in_call')
                 FROM smartcall_campaign_contact WHERE campaign_id = %s""",
            [campaign_id],
        )
        db_doubles, in_call = cr.fetchone()
        cr.execute(
            """SELECT count(*) FROM smartcall_campaign_contact c
                 JOIN res_partner p ON p.id = c.partner_id
                 JOIN phone_blacklist bl ON bl.active AND bl.number = p.smartcall_phone_e164
                WHERE c.campaign_id = %s AND c.attempt_count > 0""",
            [campaign_id],
        )
        blacklisted_claimed = cr.fetchone()[0]
    print()
    print(
        f"contacts {args.contacts:,}  operators {args.operators}  workers {args.workers}  "
        f"think {args.think_ms:.0f} ms  duration {elapsed:.1f}s"
    )
    print(
        f"claims {len(samples):,} ({len(samples) / elapsed:.0f}/s), "
        f"serialization retries {retries}"
    )
    print(
        f"claim transaction  p50 {statistics.median(claim_ms):6.2f} ms  "
        f"p95 {percentile(claim_ms, 95):6.2f} ms  p99 {percentile(claim_ms, 99):6.2f} ms  "
        f"max {max(claim_ms):6.2f} ms"
    )
    print(
        f"request (+ wait)   p50 {statistics.median(request_ms):6.2f} ms  "
        f"p95 {percentile(request_ms, 95):6.2f} ms  p99 {percentile(request_ms, 99):6.2f} ms  "
        f"max {max(request_ms):6.2f} ms  (worker wait p99 {percentile(wait_ms, 99):.2f} ms)"
    )
    print(
        f"double assignments: {doubles} (handed-out ids), {db_doubles} (database); "
        f"blacklisted contacts handed out: {blacklisted_claimed}; still in call: {in_call}"
    )
    return doubles + db_doubles + blacklisted_claimed


def main():
    args = parse_args()
    create_database(args)
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(
        [f"--addons-path={args.addons_path}", "-d", args.db, "--log-level=warn"]
    )
    registry = Registry(args.db)
    user_ids, campaign_id = build_fixture(args, registry)
    samples, elapsed = run(args, user_ids, campaign_id)
    failures = report(args, samples, elapsed, campaign_id)
    if not args.keep:
        odoo.sql_db.close_all()
        subprocess.run(["dropdb", "--if-exists", args.db], check=False)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
