#!/usr/bin/env python3
# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=print-used
"""Benchmark of the contact and do-not-call imports (issue 18), not a test.

Drives a real Odoo server (``--workers``, one cron worker) over HTTP JSON-RPC as a user
would: uploads the file to the import wizard, starts the import (a background job run by
the cron "Smartcall: run the import jobs"), and polls the job until it is done.

* contacts: --contacts rows (default 100,000) with Italian headers, a tenth of them
  malformed (bad number, unknown province, nothing to recognise the customer by), 10% of
  the customers already in Odoo (half found by VAT, half by normalised number), the rest
  created;
* do-not-call: --dnc numbers (default 1,000,000; the file is written and read streamed),
  1% of them held by campaign contacts, which get excluded in every campaign.

Prints rows/s from the click on Import to the job done, and the peak memory (resident set)
of the server's processes, sampled every 0.2 s, and of the cron worker alone. With
--legacy-ref REF it also measures the row-by-row path of that commit (by default main
before issue 18) on --legacy-contacts / --legacy-dnc rows, in its own database and server,
and prints both side by side.

Usage:
  python3 bench/bench_imports.py                       # 100,000 contacts, 1,000,000 numbers
  python3 bench/bench_imports.py --contacts 20000 --dnc 200000 --legacy-ref 03b9e2c
Options: --db NAME (default sc_imports_bench), --port 8230, --workers 2, --keep.
"""

import argparse
import base64
import os
import shutil
import subprocess
import tempfile
import threading
import time

import psutil
import requests
from _common import REPO, install_database, odoo_addons_path, psql

LEGACY_DEFAULT = "03b9e2c"  # main before issue 18: imports row by row inside the request


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="sc_imports_bench")
    parser.add_argument("--port", type=int, default=8230)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--dnc", type=int, default=1_000_000)
    parser.add_argument("--legacy-ref", default=None, help=f"e.g. {LEGACY_DEFAULT}")
    parser.add_argument("--legacy-contacts", type=int, default=2000)
    parser.add_argument("--legacy-dnc", type=int, default=10000)
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse the database of a --keep run (no install)"
    )
    return parser.parse_args()


# ----------------------------------------------------------------------
# Files (written line by line: never held whole in this process either)
# ----------------------------------------------------------------------
PROVINCES = ["FG", "BA", "Foggia", "BT", "LE", "TA", "BR"]


def write_contacts_file(path, rows, existing):
    """`rows` contact lines; one in ten malformed; the first `existing` customers exist."""
    with open(path, "w", encoding="utf-8") as out:
        out.write("Ragione sociale;Partita IVA;Telefono;Cellulare;Indirizzo;Comune;CAP;Provincia\n")
        for i in range(rows):
            name = f"Cliente Bench {i:07d} Srl"
            vat = f"IT{i:011d}" if i % 2 == 0 else ""
            phone = f"0881 {1000000 + i}"
            mobile = f"347 {2000000 + i}" if i % 3 == 0 else ""
            province = PROVINCES[i % len(PROVINCES)]
            kind = i % 10
            if kind == 9:  # malformed, in three ways
                if i % 30 == 9:
                    phone = "12"
                elif i % 30 == 19:
                    province = "ZZ"
                else:
                    vat = phone = mobile = ""
            out.write(f"{name};{vat};{phone};{mobile};Via Roma {i};Lucera;71036;{province}\n")
    return path


def write_dnc_file(path, numbers):
    """`numbers` lines: E.164 as the Registro answers (a tenth in national form)."""
    with open(path, "w", encoding="utf-8") as out:
        out.write("numero\n")
        for i in range(numbers):
            if i % 10 == 0:
                out.write(f"0881 {1000000 + i}\n")
            else:
                out.write(f"+39 3{(400000000 + i) % 1000000000:09d}\n")
    return path


# ----------------------------------------------------------------------
# Database and server
# ----------------------------------------------------------------------
SETUP_SCRIPT = """
import random
env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
env["ir.config_parameter"].set_param("smartcall_campaign.default_region", "IT")
admin = env.ref("base.user_admin")
manager = env.ref("smartcall_campaign.group_manager")
admin.write({{"password": "admin", "groups_id": [(4, manager.id)]}})
vals = {{"name": "Bench import",
        "resource_calendar_id": env.ref("smartcall_campaign.resource_calendar_always_open").id}}
if "registro_checked_on" in env["smartcall.campaign"]._fields:
    vals["registro_checked_on"] = str(__import__("datetime").date.today())
campaign = env["smartcall.campaign"].create(vals)
campaign.action_start()
italy = env.ref("base.it")
# {existing} customers of the contact file already in Odoo: even ones by VAT, odd ones by number
for start in range(0, {existing}, 2000):
    env["res.partner"].create([
        {{"name": f"Old name {{i}}", "is_company": True, "country_id": italy.id,
          "vat": f"IT{{i:011d}}" if i % 2 == 0 else False,
          "phone": f"+39 0881 {{1000000 + i}}" if i % 2 else False}}
        for i in range(start, min(start + 2000, {existing}))
    ])
    env.cr.commit()
# contacts holding 1% of the do-not-call numbers (every 100th mobile of the file)
other = env["smartcall.campaign"].create(dict(vals, name="Bench other campaign"))
other.action_start()
for start in range(0, {dnc_held}, 2000):
    partners = env["res.partner"].create([
        {{"name": f"Held {{i}}", "country_id": italy.id,
          "mobile": f"+39 3{{(400000000 + i) % 1000000000:09d}}"}}
        for i in range(start, min(start + 2000, {dnc_held}), 1) if i % 10
    ])
    env["smartcall.campaign.contact"].create(
        [{{"campaign_id": other.id, "partner_id": p.id}} for p in partners])
    env.cr.commit()
env.cr.commit()
print("CAMPAIGN", campaign.id)
"""


def odoo_cmd(addons_path):
    # the `odoo` script, not `python -m odoo`: the prefork server starts its gevent
    # (long-polling) worker by re-running its own argv[0], which fails for a module path
    # and is then restarted every second, eating the CPU the benchmark measures.
    return [shutil.which("odoo") or "odoo", f"--addons-path={addons_path}"]


def setup_database(db, addons_path, existing, dnc_held):
    psql("postgres", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    install_database(db, addons_path, "smartcall_outcomes")
    script = SETUP_SCRIPT.format(existing=existing, dnc_held=dnc_held)
    out = subprocess.run(
        [
            *odoo_cmd(addons_path)[:3],
            "shell",
            f"--addons-path={addons_path}",
            "-d",
            db,
            "--no-http",
            "--log-level=warn",
        ],
        input=script,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return int(out.split("CAMPAIGN")[1].split()[0])


class Server:
    def __init__(self, db, addons_path, port, workers):
        self.url = f"http://127.0.0.1:{port}"
        self.log = tempfile.NamedTemporaryFile(prefix=f"{db}-", suffix=".log", delete=False).name
        self.proc = subprocess.Popen(
            [
                *odoo_cmd(addons_path),
                "-d",
                db,
                "--db-filter",
                f"^{db}$",
                "--http-port",
                str(port),
                f"--workers={workers}",
                "--max-cron-threads=1",
                "--limit-time-real=900",
                "--limit-time-cpu=900",
                "--limit-request=100000",
                "--logfile",
                self.log,
                "--log-level=info",
            ],
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if requests.get(f"{self.url}/web/health", timeout=2).ok:
                    return
            except requests.RequestException as error:
                print(f"waiting for the server: {error.__class__.__name__}", flush=True)
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"the server did not start (log: {self.log})")

    def processes(self):
        try:
            parent = psutil.Process(self.proc.pid)
            return [parent, *parent.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def stop(self):
        try:
            os.killpg(self.proc.pid, 15)
            self.proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.proc.pid, 9)


class MemorySampler(threading.Thread):
    """Peak resident memory of the server's processes (sum) and of the largest one."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.server = server
        self.peak_total = self.peak_single = 0
        self.running = True

    def run(self):
        while self.running:
            total = 0
            for proc in self.server.processes():
                try:
                    rss = proc.memory_info().rss
                except psutil.Error:
                    continue
                total += rss
                self.peak_single = max(self.peak_single, rss)
            self.peak_total = max(self.peak_total, total)
            time.sleep(0.2)


class Rpc:
    def __init__(self, url, db):
        self.url, self.http = url, requests.Session()
        self.post("/web/session/authenticate", {"db": db, "login": "admin", "password": "admin"})

    def post(self, path, params, timeout=900):
        body = self.http.post(
            self.url + path,
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=timeout,
        ).json()
        if body.get("error"):
            raise RuntimeError(body["error"]["data"]["message"])
        return body["result"]

    def call(self, model, method, *args, **kwargs):
        return self.post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


def upload(rpc, model, path, values):
    with open(path, "rb") as fileobj:
        content = base64.b64encode(fileobj.read()).decode()
    return rpc.call(
        model, "create", {"file": content, "filename": os.path.basename(path), **values}
    )


def run_job(rpc, model, wizard_id):
    """Import, then follow the job as its form does; seconds from the click to done."""
    t0 = time.time()
    action = rpc.call(model, "action_import", [wizard_id])
    job_id = action["res_id"]
    last_print = 0
    fields = [
        "state",
        "rows_done",
        "rows_left",
        "estimate",
        "created_count",
        "existing_count",
        "excluded_count",
        "error_count",
        "failure_message",
    ]
    while True:
        job = rpc.call("smartcall.import.job", "read", [job_id], fields)[0]
        if job["state"] in ("done", "failed", "cancelled"):
            break
        if time.time() - last_print > 5:
            print(
                f"   {time.time() - t0:6.1f}s  {job['rows_done']:>9,} done  "
                f"{job['rows_left']:>9,} left  {job['estimate'] or ''}",
                flush=True,
            )
            last_print = time.time()
        time.sleep(0.25)
    elapsed = time.time() - t0
    if job["state"] != "done":
        raise RuntimeError(f"job {job_id} {job['state']}: {job['failure_message']}")
    return elapsed, job


def run_legacy(rpc, model, wizard_id):
    t0 = time.time()
    rpc.call(model, "action_import", [wizard_id])
    return time.time() - t0


def mb(value):
    return f"{value / 1024 / 1024:,.0f} MB"


def main():
    args = parse_args()
    addons = odoo_addons_path()
    tmp = tempfile.mkdtemp(prefix="sc_imports_bench_")
    contacts_csv = write_contacts_file(
        os.path.join(tmp, "contatti.csv"), args.contacts, args.contacts // 10
    )
    dnc_csv = write_dnc_file(os.path.join(tmp, "registro.csv"), args.dnc)
    print(
        f"files: {os.path.getsize(contacts_csv) / 1e6:.1f} MB contacts, "
        f"{os.path.getsize(dnc_csv) / 1e6:.1f} MB do-not-call numbers"
    )
    held = max(args.dnc // 100, 10)
    if args.reuse:
        out = subprocess.run(
            [
                "psql",
                "-Atq",
                "-d",
                args.db,
                "-c",
                "SELECT id FROM smartcall_campaign WHERE name = 'Bench import'",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        campaign_id = int(out.split()[0])
    else:
        campaign_id = setup_database(args.db, addons, args.contacts // 10, held)
    results = {}
    server = Server(args.db, addons, args.port, args.workers)
    sampler = MemorySampler(server)
    sampler.start()
    try:
        rpc = Rpc(server.url, args.db)
        print(f"contacts: {args.contacts:,} rows")
        wizard = upload(rpc, "smartcall.contact.import", contacts_csv, {"campaign_id": campaign_id})
        elapsed, job = run_job(rpc, "smartcall.contact.import", wizard)
        results["contacts"] = (args.contacts / elapsed, elapsed, job)
        print(f"dnc: {args.dnc:,} numbers")
        wizard = upload(rpc, "smartcall.dnc.import", dnc_csv, {})
        elapsed, job = run_job(rpc, "smartcall.dnc.import", wizard)
        results["dnc"] = (args.dnc / elapsed, elapsed, job)
    finally:
        sampler.running = False
        sampler.join()
        server.stop()
    legacy = {}
    if args.legacy_ref:
        legacy = run_legacy_bench(args, tmp)
    print()
    print(
        f"{'import':<14}{'rows':>11}{'seconds':>10}{'rows/s':>10}{'row-by-row rows/s':>20}"
        f"  imported / present / excluded / rejected"
    )
    for key, rows in (("contacts", args.contacts), ("dnc", args.dnc)):
        rate, elapsed, job = results[key]
        old = f"{legacy[key]:,.0f}" if key in legacy else "-"
        print(
            f"{key:<14}{rows:>11,}{elapsed:>10.1f}{rate:>10,.0f}{old:>20}  "
            f"{job['created_count']:,} / {job['existing_count']:,} / "
            f"{job['excluded_count']:,} / {job['error_count']:,}"
        )
    print(
        f"peak memory of the server: {mb(sampler.peak_total)} all processes, "
        f"{mb(sampler.peak_single)} largest process (the cron worker runs the jobs)"
    )
    if not args.keep:
        psql("postgres", f"DROP DATABASE IF EXISTS {args.db} WITH (FORCE)")


def run_legacy_bench(args, tmp):
    """Rows/s of the row-by-row wizards of `--legacy-ref`, on their own database."""
    tree = os.path.join(tmp, "legacy")
    subprocess.run(
        ["git", "-C", REPO, "worktree", "add", "--detach", tree, args.legacy_ref],
        check=True,
        capture_output=True,
    )
    db = f"{args.db}_legacy"
    try:
        addons = odoo_addons_path().replace(REPO, tree)
        campaign_id = setup_database(db, addons, args.legacy_contacts // 10, 10)
        contacts_csv = write_contacts_file(
            os.path.join(tmp, "legacy.csv"), args.legacy_contacts, args.legacy_contacts // 10
        )
        dnc_csv = write_dnc_file(os.path.join(tmp, "legacy-dnc.csv"), args.legacy_dnc)
        server = Server(db, addons, args.port + 1, args.workers)
        try:
            rpc = Rpc(server.url, db)
            rates = {}
            wizard = upload(
                rpc, "smartcall.contact.import", contacts_csv, {"campaign_id": campaign_id}
            )
            rates["contacts"] = args.legacy_contacts / run_legacy(
                rpc, "smartcall.contact.import", wizard
            )
            wizard = upload(rpc, "smartcall.dnc.import", dnc_csv, {})
            rates["dnc"] = args.legacy_dnc / run_legacy(rpc, "smartcall.dnc.import", wizard)
            print(
                f"row-by-row ({args.legacy_ref}): {args.legacy_contacts:,} contacts, "
                f"{args.legacy_dnc:,} numbers"
            )
            return rates
        finally:
            server.stop()
    finally:
        if not args.keep:
            psql("postgres", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        subprocess.run(["git", "-C", REPO, "worktree", "remove", "--force", tree], check=False)


if __name__ == "__main__":
    main()
