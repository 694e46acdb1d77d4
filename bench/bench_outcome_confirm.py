#!/usr/bin/env python3
# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=invalid-commit,print-used
"""Benchmark of the outcome confirmation (CONFERMA ESITO), not a test.

In a throwaway copy of an installed database, --operators operators each work their share of
--confirmations contacts: claim the next contact (one transaction), "talk" for a random time
(exponential, mean --think-ms; 0 = back-to-back, a saturation test), then confirm the outcome
through the console API (smartcall.console.confirm_outcome, one transaction): every other
confirmation is a CALLBK callback (private, tomorrow), the others a VEND contract (a confirmed
sale.order with its protocol number, taken from a standard ir.sequence in the same transaction:
see smartcall_outcomes sale_order.py).

Operators are forked processes (the default, like Odoo's prefork workers: no shared GIL) or
threads (--threads); each one has its own real PostgreSQL connection. Latency = the confirm
transaction from the Environment to the commit, including the retries of a serialization
failure (retried at once with a small jitter; Odoo's RPC layer would do the same, sleeping
longer). Prints p50/p95/p99/max, throughput and retries, then checks that every contract has a
protocol number and that the numbers are unique (gaps are counted, not a failure: a retried
confirmation leaves its number unused).

A 1-operator baseline (--baseline confirmations, 0 = none) runs first on its own campaign in
the same database, for a ratio that does not depend on how fast and busy this machine is.

Usage:
  python3 bench/bench_outcome_confirm.py --template sc_out_1
Options: --db (default sc_out_bench, recreated from --template), --operators 20,
--confirmations 10000, --baseline 500, --think-ms 0, --threads, --keep.
"""

import argparse
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import threading
import time

import _common

ADDONS = _common.ADDONS


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="sc_out_bench")
    parser.add_argument("--template", default="sc_out_1", help="installed database to copy")
    parser.add_argument("--addons-path", default=ADDONS)
    parser.add_argument("--operators", type=int, default=20)
    parser.add_argument("--confirmations", type=int, default=10_000)
    parser.add_argument(
        "--baseline", type=int, default=500, help="confirmations of the 1-operator run first"
    )
    parser.add_argument("--think-ms", type=float, default=0.0)
    parser.add_argument("--threads", action="store_true", help="operators as threads")
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    return parser.parse_args()


def build_fixture(registry, operators, confirmations, tag):
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        group = env.ref("smartcall_campaign.group_operator")
        users = env["res.users"].create(
            [
                {
                    "name": f"Bench operator {tag} {i}",
                    "login": f"bench_op_{tag}_{i}",
                    "groups_id": [(6, 0, group.ids)],
                    "tz": "Europe/Rome",
                }
                for i in range(operators)
            ]
        )
        campaign = env["smartcall.campaign"].create(
            {
                "name": f"Outcome bench {tag}",
                "mode": "manual",
                "operator_ids": [(6, 0, users.ids)],
                "resource_calendar_id": env.ref(
                    "smartcall_campaign.resource_calendar_always_open"
                ).id,
                "tz": "Europe/Rome",
            }
        )
        campaign.action_start()
        products = env["product.product"].create(
            [{"name": f"Bench offer {i}", "list_price": 10.0 + i} for i in range(5)]
        )
        italy = env.ref("base.it")
        batch = 1000
        for start in range(0, confirmations, batch):
            partners = env["res.partner"].create(
                [
                    {
                        "name": f"Bench customer {tag} {i}",
                        "phone": f"0881 {i + 100000 + (500000 if tag == 'base' else 0)}",
                        "country_id": italy.id,
                    }
                    for i in range(start, min(start + batch, confirmations))
                ]
            )
            env["smartcall.campaign.contact"].create(
                [
                    {"campaign_id": campaign.id, "partner_id": p.id, "state": "queued"}
                    for p in partners
                ]
            )
            env.invalidate_all()
        outcomes = {
            code: env["smartcall.outcome"].search([("code", "=", code)]).id
            for code in ("CALLBK", "VEND")
        }
        cr.commit()
        return users.ids, campaign.id, products.ids, outcomes


def operator_loop(dbname, user_id, campaign_id, product_ids, outcomes, count, think_ms, seed):
    """One operator: claim, talk, confirm; returns (latencies ms, retries, errors)."""
    from psycopg2 import errors as pg_errors

    from odoo import api
    from odoo.sql_db import db_connect

    retryable = (
        pg_errors.SerializationFailure,
        pg_errors.LockNotAvailable,
        pg_errors.DeadlockDetected,
    )
    rng = random.Random(seed)
    tomorrow = time.strftime("%Y-%m-%d", time.localtime(time.time() + 86400))
    latencies, retries, errors = [], 0, []

    def transaction(func):
        nonlocal retries
        for _try in range(50):
            with db_connect(dbname).cursor() as cr:
                try:
                    result = func(api.Environment(cr, user_id, {}))
                    cr.commit()
                    return result
                except retryable:
                    cr.rollback()
                    retries += 1
            time.sleep(rng.uniform(0, 0.01))
        raise RuntimeError("too many retries")

    def claim(env):
        campaign = env["smartcall.campaign"].browse(campaign_id)
        return campaign._claim_next_contact(env.user).id

    for index in range(count):
        try:
            contact_id = transaction(claim)
            if not contact_id:
                break
            if think_ms:
                time.sleep(rng.expovariate(1000.0 / think_ms))
            if index % 2:
                values = {
                    "outcome_id": outcomes["VEND"],
                    "notes": "Sold on line",
                    "cart": [
                        {
                            "product_id": pid,
                            "quantity": rng.randint(1, 3),
                            "discount": 5.0,
                        }
                        for pid in rng.sample(product_ids, 2)
                    ],
                }
            else:
                values = {
                    "outcome_id": outcomes["CALLBK"],
                    "notes": "Call back tomorrow",
                    "callback": {
                        "private": True,
                        "date": tomorrow,
                        "time": "10:30",
                        "note": "",
                    },
                }
            started = time.perf_counter()
            transaction(
                lambda env, cid=contact_id, vals=values: env["smartcall.console"].confirm_outcome(
                    cid, vals
                )
            )
            latencies.append(((time.perf_counter() - started) * 1000.0, bool(index % 2)))
        except Exception as error:  # noqa: BLE001 - counted and printed
            errors.append(repr(error)[:200])
    return latencies, retries, errors


def _process_entry(result_queue, *args):
    import odoo.sql_db

    odoo.sql_db.close_all()  # never share the parent's connections after fork
    result_queue.put(operator_loop(*args))


def percentile(values, pct):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, round(pct / 100.0 * (len(ordered) - 1)))
    return ordered[index]


def run_phase(args, registry, label, operators, confirmations):
    """One run: `operators` operators confirm `confirmations` contacts of their own campaign.
    Returns the summary figures (and prints them)."""
    import odoo

    t0 = time.time()
    user_ids, campaign_id, product_ids, outcomes = build_fixture(
        registry, operators, confirmations, label
    )
    print(f"\n== {label}: {confirmations} confirmations, {operators} operator(s)")
    print(f"fixture built in {time.time() - t0:.1f}s")
    share = [confirmations // operators] * operators
    for i in range(confirmations % operators):
        share[i] += 1
    jobs = [
        (args.db, uid, campaign_id, product_ids, outcomes, n, args.think_ms, i)
        for i, (uid, n) in enumerate(zip(user_ids, share, strict=True))
    ]
    results = []
    started = time.time()
    if args.threads:
        lock = threading.Lock()

        def run(job):
            res = operator_loop(*job)
            with lock:
                results.append(res)

        threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    else:
        odoo.sql_db.close_all()
        ctx = multiprocessing.get_context("fork")
        result_queue = ctx.Queue()
        procs = [ctx.Process(target=_process_entry, args=(result_queue, *job)) for job in jobs]
        for proc in procs:
            proc.start()
        for _proc in procs:
            results.append(result_queue.get())
        for proc in procs:
            proc.join()
    elapsed = time.time() - started
    samples = [sample for res in results for sample in res[0]]
    latencies = [lat for lat, _is_order in samples]
    retries = sum(res[1] for res in results)
    errors = [err for res in results for err in res[2]]
    summary = {"label": label, "errors": len(errors), "retries": retries}
    print(f"mode: {'threads' if args.threads else 'processes'}, think time mean {args.think_ms} ms")
    print(
        f"confirmations: {len(latencies)} in {elapsed:.1f}s = {len(latencies) / elapsed:.1f}/s, "
        f"retries {retries}, errors {len(errors)}"
    )
    for err in errors[:5]:
        print("  error:", err)
    if latencies:
        summary.update(p50=percentile(latencies, 50), p99=percentile(latencies, 99))
        print(
            f"confirm latency ms: p50 {percentile(latencies, 50):.1f}  "
            f"p95 {percentile(latencies, 95):.1f}  p99 {percentile(latencies, 99):.1f}  "
            f"max {max(latencies):.1f}  mean {statistics.mean(latencies):.1f}"
        )
        for part_label, wanted in (("callbacks", False), ("contracts", True)):
            part = [lat for lat, is_order in samples if is_order == wanted]
            if part:
                summary[part_label] = (percentile(part, 50), percentile(part, 99))
                print(
                    f"  {part_label}: {len(part)}, p50 {percentile(part, 50):.1f}  "
                    f"p99 {percentile(part, 99):.1f}"
                )
        print(
            "target p99 < 100 ms:",
            "OK" if percentile(latencies, 99) < 100 else "MISSED",
        )
    with registry.cursor() as cr:
        cr.execute(
            """SELECT count(*), count(DISTINCT smartcall_protocol),
                      min(substring(smartcall_protocol from '[0-9]+$')::int),
                      max(substring(smartcall_protocol from '[0-9]+$')::int),
                      count(*) FILTER (WHERE smartcall_protocol IS NULL)
                 FROM sale_order WHERE smartcall_campaign_id = %s AND state = 'sale'""",
            [campaign_id],
        )
        count, distinct, low, high, missing = cr.fetchone()
        gaps = 0 if not count else high - low + 1 - distinct
        print(
            f"contracts: {count}, distinct protocols {distinct}, range {low}..{high}, "
            f"unused numbers in the range: {gaps}, without a number: {missing}"
        )
        cr.execute(
            "SELECT state, count(*) FROM smartcall_campaign_contact WHERE campaign_id = %s"
            " GROUP BY state ORDER BY state",
            [campaign_id],
        )
        print("contacts by state:", dict(cr.fetchall()))
    summary["ok"] = not errors and distinct == count and not missing
    return summary


def main():
    args = parse_args()
    subprocess.run(["dropdb", "--if-exists", args.db], check=True)
    subprocess.run(["createdb", "-T", args.template, args.db], check=True)
    import odoo
    from odoo.tools import config

    config.parse_config(["--addons-path", args.addons_path, "-d", args.db, "--log-level=warn"])
    from odoo.modules.registry import Registry

    registry = Registry(args.db)
    print(f"cpus: {os.cpu_count()}, load average: {os.getloadavg()}")
    summaries = []
    if args.baseline:
        summaries.append(run_phase(args, registry, "base", 1, args.baseline))
    summaries.append(run_phase(args, registry, "main", args.operators, args.confirmations))
    if len(summaries) == 2 and "p99" in summaries[0] and "p99" in summaries[1]:
        base, main_ = summaries
        print(
            f"\nratio {args.operators} operators / 1 operator: "
            f"p50 x{main_['p50'] / base['p50']:.2f}, p99 x{main_['p99'] / base['p99']:.2f}"
        )
    print(f"load average at the end: {os.getloadavg()}")
    registry.delete(args.db)
    odoo.sql_db.close_all()
    if not args.keep:
        subprocess.run(["dropdb", args.db], check=True)
    return 0 if all(summary["ok"] for summary in summaries) else 1


if __name__ == "__main__":
    sys.exit(main())
