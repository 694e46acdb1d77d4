#!/usr/bin/env python3
# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=print-used
"""Benchmark of the inbound caller look-up (issue 17), not a test: prints figures.

Builds, in a throwaway database with smartcall_inbound, --partners customers (default
1,000,000; one in five a contact person of the company before it) with 1.5 numbers each on
average (every customer a phone, every other one a mobile too), stored in mixed formats the
way users type them ("+39 02 1234 5678", "02-12345678", "0039 ...", "(02) ..."), then starts
a real Odoo server (--workers) and sends, over HTTP JSON-RPC, --lookups (default 10,000)
numbers of existing customers, each formatted at random (+39, 0039, national, spaces, dashes,
dots, parentheses, tel: URI), to:

* Smartcall: `smartcall.call.smartcall_inbound_lookup(number)` (the phone bar's look-up);
* Odoo stock: `res.partner.search_read([("phone_mobile_search", "ilike", number)])` (sms's
  "Phone/Mobile" search, what the contact list does), on the same data in the same run.

Beside them, the floor of the HTTP round trip: `res.users.context_get`, a call_kw that looks
nothing up (its hit rate is meaningless, 0%).

A look-up "hits" when the customer the number was taken from is among the answers; the
"exact" rate counts answers that are exactly that customer. Prints hit rate and p50/p99/max
of the HTTP round trip for both, then the same look-ups timed inside one Odoo process
(no HTTP) for Smartcall.

Usage:
  python3 bench/bench_caller_lookup.py                       # 1,000,000 partners
  python3 bench/bench_caller_lookup.py --partners 100000 --lookups 2000
Options: --db NAME (default sc_inbound_bench), --reuse (keep the data of a --keep run),
--keep, --port 8235, --workers 2, --stock-lookups N (default: all; the stock search is slow),
--template DB (copy an installed database instead of installing one).
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time
import urllib.request

from _common import ADDONS, install_database, percentile, psql, psql_rows, required_columns

FORMATTERS = [
    lambda cc, n: f"+{cc}{n}",
    lambda cc, n: f"+{cc} {n[:2]} {n[2:6]} {n[6:]}",
    lambda cc, n: f"00{cc}{n}",
    lambda cc, n: f"00{cc} {n[:3]} {n[3:]}",
    lambda cc, n: n,
    lambda cc, n: f"{n[:2]} {n[2:6]} {n[6:]}",
    lambda cc, n: f"{n[:3]}-{n[3:6]}-{n[6:]}",
    lambda cc, n: f"{n[:3]}.{n[3:6]}.{n[6:]}",
    lambda cc, n: f"({n[:2]}) {n[2:]}",
    lambda cc, n: f"+{cc} ({n[:3]}) {n[3:6]}-{n[6:]}",
    lambda cc, n: f"tel:+{cc}-{n[:3]}-{n[3:]}",
    lambda cc, n: f" {n[:4]} {n[4:]} ",
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="sc_inbound_bench")
    parser.add_argument("--addons-path", default=ADDONS)
    parser.add_argument("--partners", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=10_000)
    parser.add_argument("--stock-lookups", type=int, default=0)
    parser.add_argument("--port", type=int, default=8235)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument(
        "--template", help="copy this database (smartcall_inbound installed) instead of installing"
    )
    parser.add_argument("--keep", action="store_true")
    return parser.parse_args()


def build_partners(db, n):
    """`n` partners with bulk SQL. Numbers (national significant part, Italy):
    phone 02 + 8 digits (Milan landline), mobile 347 + 7 digits for every other partner.
    The stored columns are written as users type them; the E.164 store: see fill_store."""
    t0 = time.time()
    given = {
        "name",
        "complete_name",
        "active",
        "type",
        "is_company",
        "parent_id",
        "phone",
        "mobile",
        "country_id",
        "commercial_partner_id",
        "create_uid",
        "write_uid",
        "create_date",
        "write_date",
    }
    extra = required_columns(db, "res_partner", given)
    extra_cols = "".join(f", {col}" for col in extra)
    extra_vals = "".join(f", proto.{col}" for col in extra)
    psql(
        db,
        f"""INSERT INTO res_partner (name, complete_name, active, type, is_company, phone,
                                     mobile, country_id, create_uid, write_uid, create_date,
                                     write_date{extra_cols})
            SELECT 'Bench caller ' || g, 'Bench caller ' || g, TRUE, 'contact', g % 5 <> 0,
                   CASE g % 4
                        WHEN 0 THEN '+39 02 ' || lpad(g::text, 8, '0')
                        WHEN 1 THEN '02-' || lpad(g::text, 8, '0')
                        WHEN 2 THEN '0039 02' || lpad(g::text, 8, '0')
                        ELSE '(02) ' || lpad(g::text, 8, '0') END,
                   CASE WHEN g % 2 = 0 THEN
                        CASE g % 3 WHEN 0 THEN '347' || lpad(g::text, 7, '0')
                                   WHEN 1 THEN '+39 347 ' || lpad(g::text, 7, '0')
                                   ELSE '347-' || lpad(g::text, 7, '0') END END,
                   (SELECT id FROM res_country WHERE code = 'IT'),
                   1, 1, now(), now(){extra_vals}
              FROM generate_series(1, {n}) g,
                   (SELECT * FROM res_partner ORDER BY id LIMIT 1) proto""",
    )
    # One in five is a contact person of the company just before it.
    psql(
        db,
        """UPDATE res_partner p SET parent_id = p.id - 1, commercial_partner_id = p.id - 1
            WHERE p.name LIKE 'Bench caller %' AND NOT p.is_company""",
    )
    psql(
        db,
        """UPDATE res_partner SET commercial_partner_id = id
            WHERE name LIKE 'Bench caller %' AND commercial_partner_id IS NULL""",
    )
    print(f"{n:,} partners inserted in {time.time() - t0:.1f}s")


def fill_store(db, addons_path):
    """Fill the E.164 store (smartcall_phone_e164 / smartcall_mobile_e164) with SQL, from the
    numbers' known national part, then check on 2,000 random partners that Odoo's own
    compute (``_smartcall_normalize_phone``) gives the same values."""
    t0 = time.time()
    psql(
        db,
        """UPDATE res_partner
              SET smartcall_phone_e164 = '+39' || regexp_replace(
                      regexp_replace(phone, '^(\\+39|0039)', ''), '[^0-9]', '', 'g'),
                  smartcall_mobile_e164 = CASE WHEN mobile IS NOT NULL THEN '+39' ||
                      regexp_replace(regexp_replace(mobile, '^\\+39', ''), '[^0-9]', '', 'g')
                      END
            WHERE name LIKE 'Bench caller %'""",
    )
    psql(db, "VACUUM ANALYZE res_partner")
    script = """
Partner = env["res.partner"]
import random
ids = Partner.search([("name", "=like", "Bench caller %")]).ids
sample = Partner.browse(random.Random(1).sample(ids, min(2000, len(ids))))
bad = [p.id for p in sample
       if p.smartcall_phone_e164 != Partner._smartcall_normalize_phone(p.phone, p.country_id)
       or (p.smartcall_mobile_e164 or False)
          != Partner._smartcall_normalize_phone(p.mobile, p.country_id)]
print("STORE-CHECK", len(sample), len(bad))
"""
    out = subprocess.run(
        [
            "odoo",
            "shell",
            "-d",
            db,
            f"--addons-path={addons_path}",
            "--no-http",
            "--log-level=warn",
        ],
        input=script,
        text=True,
        check=True,
        capture_output=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("STORE-CHECK"))
    _tag, checked, bad = line.split()
    if int(bad):
        sys.exit(f"{bad} of {checked} stored numbers differ from Odoo's normalisation")
    print(f"E.164 store filled in {time.time() - t0:.1f}s ({checked} checked against the ORM)")


def sample_numbers(db, lookups, rng):
    """(partner id, number) pairs: a stored number of a customer picked at random, formatted
    at random."""
    rows = psql_rows(
        db,
        f"""SELECT id, regexp_replace(phone, '^(\\+39|0039)', ''),
                   regexp_replace(coalesce(mobile, ''), '^\\+39', '')
              FROM res_partner WHERE name LIKE 'Bench caller %'
             ORDER BY random() LIMIT {lookups}""",
    )
    samples = []
    for pid, phone, mobile in rows:
        raw = mobile if mobile and rng.random() < 0.5 else phone
        national = "".join(ch for ch in raw if ch.isdigit())
        samples.append((int(pid), rng.choice(FORMATTERS)("39", national)))
    return samples


class Client:
    def __init__(self, port, db):
        self.url = f"http://127.0.0.1:{port}"
        self.db = db
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())

    def post(self, path, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode()
        request = urllib.request.Request(
            self.url + path, body, {"Content-Type": "application/json"}
        )
        with self.opener.open(request, timeout=60) as response:
            answer = json.loads(response.read())
        if answer.get("error"):
            raise RuntimeError(answer["error"]["data"]["message"])
        return answer["result"]

    def login(self):
        self.post(
            "/web/session/authenticate", {"db": self.db, "login": "admin", "password": "admin"}
        )

    def call(self, model, method, args, kwargs=None):
        return self.post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )


def start_server(args):
    log = open(f"/tmp/{args.db}.log", "w")  # noqa: SIM115 - closed with the server
    server = subprocess.Popen(
        [
            "odoo",
            "-d",
            args.db,
            f"--addons-path={args.addons_path}",
            f"--http-port={args.port}",
            f"--workers={args.workers}",
            "--max-cron-threads=0",
            "--limit-time-real=600",
            "--limit-time-cpu=600",
            "--log-level=warn",
            f"--db-filter=^{args.db}$",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{args.port}/web/login", timeout=5)
            return server, log
        except OSError:
            time.sleep(1)
    server.terminate()
    sys.exit(f"Odoo did not answer on port {args.port}: see /tmp/{args.db}.log")


def run(samples, lookup):
    latencies, hits, exact = [], 0, 0
    for pid, number in samples:
        t0 = time.perf_counter()
        found = lookup(number)
        latencies.append((time.perf_counter() - t0) * 1000.0)
        hits += pid in found
        exact += found == [pid]
    return latencies, hits, exact


def report(name, samples, latencies, hits, exact):
    n = len(samples)
    print(
        f"{name:<40} n={n:>6}  hit {100.0 * hits / n:6.2f}%  exact {100.0 * exact / n:6.2f}%  "
        f"p50 {percentile(latencies, 50):7.2f} ms  p99 {percentile(latencies, 99):7.2f} ms  "
        f"max {max(latencies):8.2f} ms"
    )


def in_process(args, samples):
    """The same look-ups inside one Odoo process: the look-up alone, no HTTP."""
    script = f"""
import json, time
samples = json.loads({json.dumps(json.dumps(samples))})
Partner = env["res.partner"]
lat, hits = [], 0
for pid, number in samples:
    t0 = time.perf_counter()
    found = Partner._smartcall_find_by_phone(number).ids
    lat.append((time.perf_counter() - t0) * 1000.0)
    env.invalidate_all()
    hits += pid in found
lat.sort()
print("RESULT", json.dumps({{"hits": hits, "lat": lat}}))
"""
    out = subprocess.run(
        [
            "odoo",
            "shell",
            "-d",
            args.db,
            f"--addons-path={args.addons_path}",
            "--no-http",
            "--log-level=warn",
        ],
        input=script,
        text=True,
        check=True,
        capture_output=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    result = json.loads(line[len("RESULT ") :])
    return result["lat"], result["hits"]


def main():
    args = parse_args()
    rng = random.Random(args.seed)
    if not args.reuse:
        if args.template:
            subprocess.run(["dropdb", "--if-exists", args.db], check=True)
            subprocess.run(["createdb", "-T", args.template, args.db], check=True)
        else:
            install_database(args.db, args.addons_path, "smartcall_inbound")
        build_partners(args.db, args.partners)
        fill_store(args.db, args.addons_path)
    samples = sample_numbers(args.db, args.lookups, rng)
    server, log = start_server(args)
    try:
        client = Client(args.port, args.db)
        client.login()
        ours = lambda number: [  # noqa: E731
            r["id"] for r in client.call("smartcall.call", "smartcall_inbound_lookup", [number])
        ]
        stock = lambda number: [  # noqa: E731
            r["id"]
            for r in client.call(
                "res.partner",
                "search_read",
                [[("phone_mobile_search", "ilike", number)]],
                {"fields": ["id"], "limit": 20},
            )
        ]
        # the floor of any call_kw on this machine: session, registry, user, JSON (no look-up)
        floor = lambda number: (client.call("res.users", "context_get", []), [])[1]  # noqa: E731
        run(samples[:200], ours)  # warm-up: workers, caches
        run(samples[:200], floor)
        print(
            f"\n{args.partners:,} partners, {args.lookups:,} look-ups, "
            f"{args.workers} workers, HTTP JSON-RPC round trip:"
        )
        report("Smartcall smartcall_inbound_lookup", samples, *run(samples, ours))
        report("JSON-RPC floor (res.users.context_get)", samples, *run(samples, floor))
        stock_samples = samples[: args.stock_lookups or len(samples)]
        run(stock_samples[:50], stock)
        report("Odoo phone_mobile_search ilike", stock_samples, *run(stock_samples, stock))
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()
    lat, hits = in_process(args, samples)
    n = len(samples)
    print(
        f"{'Smartcall look-up in process (no HTTP)':<40} n={n:>6}  hit "
        f"{100.0 * hits / n:6.2f}%                  p50 {percentile(lat, 50):7.2f} ms  "
        f"p99 {percentile(lat, 99):7.2f} ms  max {max(lat):8.2f} ms"
    )
    if not args.keep:
        subprocess.run(["dropdb", "--if-exists", args.db], check=False)


if __name__ == "__main__":
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    main()
