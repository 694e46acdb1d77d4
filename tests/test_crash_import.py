"""An import job killed in the middle (issue 18): SIGKILL of the Odoo server running the
import cron, then a new server: the job goes on from its last committed batch and ends with
nothing doubled; importing the same file again changes nothing.

A real Odoo server (tests/tooling) with one cron thread runs the jobs; the test uploads over
JSON-RPC as a user would, reads the database with its own connection, and kills the server
once at least one batch is committed and more remain.
"""

import base64
import logging

import pytest

from .tooling import ADMIN, RpcClient, crash_run, fetch_all, fetch_one, wait_until
from .tooling.pytest_fixtures import load_registry  # noqa: F401 (no Odoo registry needed)

_logger = logging.getLogger(__name__)

DB = "sc_crash_import"
BATCH = 500
ROWS = 4000  # contact rows; every 20th has a bad number
NUMBERS = 40000  # do-not-call numbers
SERVER_ARGS = ("--max-cron-threads=1",)
DONE_TIMEOUT = 300


@pytest.fixture(scope="module")
def office():
    run = crash_run()
    run.new_database(DB)
    # Small batches, so that the kill falls between two of them with more to come.
    with run.cluster.connect(DB) as conn, conn.cursor() as cr:
        cr.execute(
            """INSERT INTO ir_config_parameter (key, value)
               VALUES ('smartcall_campaign.import_batch_size', %s)""",
            [str(BATCH)],
        )
    try:
        yield run
    finally:
        run.cluster.drop_database(DB)


def contacts_file():
    lines = ["Ragione sociale;Partita IVA;Telefono;Comune;Provincia"]
    for index in range(ROWS):
        phone = "12" if index % 20 == 7 else f"0881 {500000 + index}"
        lines.append(f"Kill Customer {index:05d};IT{index:011d};{phone};Foggia;FG")
    return "\n".join(lines) + "\n"


def dnc_file():
    # the first 1000 contacts' numbers, then other numbers; E.164 and national forms
    lines = ["numero"]
    for index in range(NUMBERS):
        if index < 1000:
            lines.append(f"+39 0881 {500000 + index}")
        else:
            lines.append(f"+39347{index:07d}")
    return "\n".join(lines) + "\n"


def start_import(server, model, content, **values):
    admin = RpcClient(server.url, DB, timeout=120).authenticate(*ADMIN)
    wizard = admin.call(
        model,
        "create",
        {"file": base64.b64encode(content.encode()).decode(), "filename": "list.csv", **values},
    )
    action = admin.call(model, "action_import", [wizard])
    return action["res_id"]


def job_row(run, job_id):
    return fetch_one(
        run.cluster,
        DB,
        """SELECT state, line_number, line_total, COALESCE(created_count, 0) AS created_count,
                  COALESCE(existing_count, 0) AS existing_count,
                  COALESCE(excluded_count, 0) AS excluded_count,
                  COALESCE(error_count, 0) AS error_count
             FROM smartcall_import_job WHERE id = %s""",
        [job_id],
    )


def kill_mid_job(run, job_id, server):
    """Kill the server once a batch is committed and the job is not finished."""
    wait_until(
        lambda: job_row(run, job_id)["created_count"] > 0,
        timeout=DONE_TIMEOUT,
        message="a first batch committed",
    )
    server.kill()
    row = job_row(run, job_id)
    assert row["state"] == "running", row
    assert row["line_number"] < row["line_total"], f"the job ended before the kill: {row}"
    return row


def run_to_the_end(run, job_id):
    with run.odoo.server(DB, name="restarted", extra_args=SERVER_ARGS) as _server:
        wait_until(
            lambda: job_row(run, job_id)["state"] == "done",
            timeout=DONE_TIMEOUT,
            message="the job done after the restart",
        )
    return job_row(run, job_id)


def assert_errors_once(run, job_id, expected):
    rows = fetch_all(
        run.cluster,
        DB,
        """SELECT line, count(*) AS n FROM smartcall_import_job_error
            WHERE job_id = %s GROUP BY line""",
        [job_id],
    )
    assert len(rows) == expected, rows[:5]
    assert all(row["n"] == 1 for row in rows), [row for row in rows if row["n"] > 1][:5]


def test_contact_import_killed_resumes_without_doubles(office):
    run = office
    campaign_id = fetch_one(
        run.cluster, DB, "SELECT id FROM smartcall_campaign WHERE mode = 'manual'"
    )["id"]
    bad = len([i for i in range(ROWS) if i % 20 == 7])
    good = ROWS - bad
    server = run.odoo.server(DB, name="killed", extra_args=SERVER_ARGS).start()
    try:
        job_id = start_import(
            server, "smartcall.contact.import", contacts_file(), campaign_id=campaign_id
        )
        at_kill = kill_mid_job(run, job_id, server)
    finally:
        server.stop()
    # what was committed before the kill is consistent: one partner and one contact per
    # customer counted as imported
    partners = fetch_one(
        run.cluster, DB, "SELECT count(*) AS n FROM res_partner WHERE name LIKE 'Kill Customer %%'"
    )["n"]
    assert partners == at_kill["created_count"], (partners, at_kill)

    row = run_to_the_end(run, job_id)
    assert (row["created_count"], row["existing_count"], row["error_count"]) == (good, 0, bad)
    doubles = fetch_all(
        run.cluster,
        DB,
        """SELECT name, count(*) FROM res_partner WHERE name LIKE 'Kill Customer %%'
            GROUP BY name HAVING count(*) > 1""",
    )
    assert not doubles, doubles[:5]
    counts = fetch_one(
        run.cluster,
        DB,
        """SELECT (SELECT count(*) FROM res_partner WHERE name LIKE 'Kill Customer %%') AS partners,
                  (SELECT count(*) FROM smartcall_campaign_contact c
                     JOIN res_partner p ON p.id = c.partner_id
                    WHERE p.name LIKE 'Kill Customer %%' AND c.campaign_id = %s) AS contacts,
                  (SELECT max(id) FROM res_partner) AS max_partner""",
        [campaign_id],
    )
    assert (counts["partners"], counts["contacts"]) == (good, good), counts
    assert_errors_once(run, job_id, bad)

    # the same file again: nothing new
    with run.odoo.server(DB, name="again", extra_args=SERVER_ARGS) as server:
        again = start_import(
            server, "smartcall.contact.import", contacts_file(), campaign_id=campaign_id
        )
        wait_until(
            lambda: job_row(run, again)["state"] == "done",
            timeout=DONE_TIMEOUT,
            message="the second import done",
        )
    row = job_row(run, again)
    assert (row["created_count"], row["existing_count"], row["error_count"]) == (0, good, bad)
    after = fetch_one(run.cluster, DB, "SELECT max(id) AS max_partner FROM res_partner")
    assert after["max_partner"] == counts["max_partner"], "no partner created"


def test_dnc_import_killed_resumes_without_doubles(office):
    run = office
    server = run.odoo.server(DB, name="dnc-killed", extra_args=SERVER_ARGS).start()
    try:
        job_id = start_import(server, "smartcall.dnc.import", dnc_file())
        at_kill = kill_mid_job(run, job_id, server)
    finally:
        server.stop()
    listed = fetch_one(run.cluster, DB, "SELECT count(*) AS n FROM phone_blacklist")["n"]
    assert listed == at_kill["created_count"], (listed, at_kill)

    row = run_to_the_end(run, job_id)
    assert (row["created_count"], row["existing_count"], row["error_count"]) == (NUMBERS, 0, 0)
    listed = fetch_one(run.cluster, DB, "SELECT count(*) AS n FROM phone_blacklist")["n"]
    assert listed == NUMBERS
    excluded = fetch_one(
        run.cluster,
        DB,
        """SELECT count(*) AS n FROM smartcall_campaign_contact c
             JOIN res_partner p ON p.id = c.partner_id
            WHERE p.name LIKE 'Kill Customer %%' AND c.state = 'excluded'""",
    )["n"]
    # the kill customers whose number is in the file (the first 1000, less the bad ones)
    expected = len([i for i in range(1000) if i % 20 != 7])
    assert excluded == expected
    assert row["excluded_count"] == expected

    with run.odoo.server(DB, name="dnc-again", extra_args=SERVER_ARGS) as server:
        again = start_import(server, "smartcall.dnc.import", dnc_file())
        wait_until(
            lambda: job_row(run, again)["state"] == "done",
            timeout=DONE_TIMEOUT,
            message="the second do-not-call import done",
        )
    row = job_row(run, again)
    assert (row["created_count"], row["existing_count"], row["excluded_count"]) == (0, NUMBERS, 0)
    assert fetch_one(run.cluster, DB, "SELECT count(*) AS n FROM phone_blacklist")["n"] == NUMBERS
