#!/usr/bin/env python3
# Copyright 2026 Smartcall
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=print-used
"""Benchmark of the agenda (seed 003, 4.1-4.2), not a test.

A copy of an installed database (--template) gets --agents field agents serving one province
and --operators operators on an automatic campaign of customers of that province. An Odoo
server with --workers runs on --port; every operator is a process talking JSON-RPC over HTTP
(/web/session/authenticate, /web/dataset/call_kw), as the console does: Start (the first
contact is held), then --bookings times: the agenda of a random agent for one day
(get_agent_agenda, timed), the same agent's 14 coming days (14 calls, timed together), a
booking of a random free slot (book_appointment, timed; a slot taken meanwhile is a clear
refusal, counted), Hang up and CONFERMA ESITO with SALEA (the next contact is held). All
operators book at once on the same agents. Prints p50/p99 of each timing and, from the
database, the number of double bookings (two appointments of one agent closer than the
spacing): it must be 0.

Usage:
  python3 bench/bench_agenda.py --template sc_agenda_tpl
Options: --db (default sc_agenda_bench, recreated), --port 8216, --workers 4, --agents 50,
--operators 20, --bookings 10, --keep.
"""

import argparse
import json
import multiprocessing
import os
import random
import subprocess
import sys
import time
import urllib.request
from datetime import date, timedelta
from http.cookiejar import CookieJar

import _common

SETUP = """
env = env(context={"tracking_disable": True})
italy = env.ref("base.it")
fg = env["res.country.state"].search([("country_id", "=", italy.id), ("code", "=", "FG")])
agents = env["res.users"].create([
    {"name": f"Bench agent {i}", "login": f"bench_agent_{i}", "tz": "Europe/Rome",
     "groups_id": [(6, 0, env.ref("smartcall_campaign.group_field_agent").ids)],
     "smartcall_agent_province_ids": [(6, 0, fg.ids)]}
    for i in range(AGENTS)])
group = env.ref("smartcall_campaign.group_operator")
operators = env["res.users"].create([
    {"name": f"Bench operator {i}", "login": f"bench_op_{i}", "password": f"bench_op_{i}",
     "tz": "Europe/Rome", "groups_id": [(6, 0, group.ids)]}
    for i in range(OPERATORS)])
campaign = env["smartcall.campaign"].create({
    "name": "Bench agenda", "mode": "automatic", "state": "running",
    "operator_ids": [(6, 0, operators.ids)],
    "resource_calendar_id": env.ref("smartcall_campaign.resource_calendar_always_open").id,
    "tz": "Europe/Rome"})
partners = env["res.partner"].create([
    {"name": f"Bench customer {i}", "phone": f"0881 6{i:05d}", "street": "Via Roma 1",
     "city": "Lucera", "zip": "71036", "country_id": italy.id, "state_id": fg.id}
    for i in range(CONTACTS)])
env["smartcall.campaign.contact"].create([
    {"campaign_id": campaign.id, "partner_id": p.id, "state": "queued"} for p in partners])
env.cr.commit()
print("SETUP", json.dumps({"agents": agents.ids, "campaign": campaign.id}))
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="sc_agenda_bench")
    parser.add_argument("--template", required=True, help="installed database to copy")
    parser.add_argument("--addons-path", default=_common.ADDONS)
    parser.add_argument("--port", type=int, default=8216)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument("--operators", type=int, default=20)
    parser.add_argument("--bookings", type=int, default=10, help="per operator")
    parser.add_argument("--keep", action="store_true")
    return parser.parse_args()


class Client:
    def __init__(self, url, db, login):
        self.url = url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.rpc("/web/session/authenticate", {"db": db, "login": login, "password": login})

    def rpc(self, path, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode()
        request = urllib.request.Request(
            self.url + path, body, {"Content-Type": "application/json"}
        )
        with self.opener.open(request, timeout=120) as response:
            reply = json.loads(response.read())
        if reply.get("error"):
            raise RuntimeError(reply["error"]["data"]["message"])
        return reply["result"]

    def console(self, method, *args):
        return self.rpc(
            "/web/dataset/call_kw",
            {"model": "smartcall.console", "method": method, "args": list(args), "kwargs": {}},
        )


def operator(index, args, agents, queue):
    random.seed(index)
    client = Client(f"http://127.0.0.1:{args.port}", args.db, f"bench_op_{index}")
    state = client.console("get_console_state")
    campaign = state["campaigns"][0]["id"]
    state = client.console("start", campaign)
    timings = {"agenda_day": [], "agenda_14_days": [], "booking": [], "refused": 0}
    today = date.today()
    for _i in range(args.bookings):
        contact = state["contact"]
        if not contact:
            break
        agent = random.choice(agents)
        day = today + timedelta(days=random.randint(1, 14))
        t0 = time.perf_counter()
        agenda = client.console("get_agent_agenda", contact["id"], agent, day.isoformat())
        timings["agenda_day"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for offset in range(1, 15):
            client.console(
                "get_agent_agenda", contact["id"], agent, (today + timedelta(offset)).isoformat()
            )
        timings["agenda_14_days"].append(time.perf_counter() - t0)
        free = [slot["time"] for slot in agenda["slots"] if slot["free"]]
        if not free:
            continue
        values = {
            "agent_id": agent,
            "date": day.isoformat(),
            "time": random.choice(free),
            "street": "Via Roma 1",
            "city": "Lucera",
        }
        t0 = time.perf_counter()
        try:
            client.console("book_appointment", contact["id"], values)
        except RuntimeError:
            timings["refused"] += 1
            continue
        finally:
            timings["booking"].append(time.perf_counter() - t0)
        client.console("hangup", contact["id"])
        page = client.console("get_outcome_page", contact["id"])
        salea = next(o["id"] for o in page["outcomes"] if o["code"] == "SALEA")
        state = client.console("confirm_outcome", contact["id"], {"outcome_id": salea})
    queue.put(timings)


def main():
    args = parse_args()
    subprocess.run(["dropdb", "--if-exists", args.db], check=True)
    subprocess.run(["createdb", "-T", args.template, args.db], check=True)
    script = (
        SETUP.replace("AGENTS", str(args.agents))
        .replace("OPERATORS", str(args.operators))
        .replace("CONTACTS", str(args.operators * (args.bookings + 2)))
    )
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
        input="import json\n" + script,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    setup = json.loads(out.split("SETUP ", 1)[1].splitlines()[0])
    server = subprocess.Popen(
        [
            "odoo",
            "-d",
            args.db,
            f"--addons-path={args.addons_path}",
            f"--http-port={args.port}",
            f"--workers={args.workers}",
            "--max-cron-threads=0",
            "--log-level=warn",
            "--limit-time-real=600",
            "--limit-time-cpu=600",
            f"--db-filter=^{args.db}$",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _try in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{args.port}/web/login", timeout=5)
                break
            except OSError:
                time.sleep(1)
        queue = multiprocessing.Queue()
        processes = [
            multiprocessing.Process(target=operator, args=(i, args, setup["agents"], queue))
            for i in range(args.operators)
        ]
        t0 = time.time()
        for process in processes:
            process.start()
        results = [queue.get(timeout=1800) for _p in processes]
        for process in processes:
            process.join()
        elapsed = time.time() - t0
    finally:
        server.terminate()
        server.wait(timeout=60)
    print(
        f"{args.operators} operators, {args.agents} agents, {args.workers} workers, "
        f"{elapsed:.1f}s"
    )
    for key in ("agenda_day", "agenda_14_days", "booking"):
        values = [v for r in results for v in r[key]]
        if values:
            print(
                f"{key:15s} n={len(values):4d} p50={_common.percentile(values, 50) * 1000:7.1f} ms"
                f"  p99={_common.percentile(values, 99) * 1000:7.1f} ms"
            )
    print("refused bookings (slot taken meanwhile):", sum(r["refused"] for r in results))
    rows = _common.psql_rows(
        args.db,
        """SELECT count(*) FROM calendar_event a JOIN calendar_event b
             ON a.agent_id = b.agent_id AND a.id < b.id
            AND a.slot_end IS NOT NULL AND b.slot_end IS NOT NULL
            AND abs(extract(epoch FROM a.start - b.start)) < 60 * 60""",
    )
    booked = _common.psql_rows(
        args.db, "SELECT count(*) FROM calendar_event WHERE booking_state = 'booked'"
    )
    print("appointments booked:", booked[0][0])
    print("double bookings (must be 0):", rows[0][0])
    if not args.keep:
        subprocess.run(["dropdb", "--if-exists", args.db], check=False)
    return 0 if rows[0][0] == "0" else 1


if __name__ == "__main__":
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
