"""PostgreSQL restarted while operators work (issue 9, "Crashes").

Two operators (two JSON-RPC login sessions, as two browsers) work on the automatic campaign
of a real Odoo server (tests/tooling) whose database cluster is the test's own.

* ``pg_ctl restart -m fast`` while both consoles keep calling heartbeat and
  get_console_state: no call hangs more than a few seconds, every failure is one the web
  client reports as a lost connection (the console then shows its one line "Connection to
  the server lost, retrying..."), and both operators resume with the same login session.
* PostgreSQL down for a while (``pg_ctl stop -m fast`` ... ``start``): every RPC fails at
  once (no hang) as a lost connection; when it is back both resume (same session, same held
  contact), outcome their contact, get the next one, and SQL shows no contact held twice.
"""

import logging
import threading
import time

import pytest

from .tooling import (
    OPERATORS,
    PASSWORD,
    RpcClient,
    RpcConnectionLost,
    RpcError,
    crash_run,
    fetch_all,
    wait_until,
)
from .tooling.pytest_fixtures import load_registry  # noqa: F401 (no Odoo registry needed)

_logger = logging.getLogger(__name__)

DB = "sc_crash_dbrestart"
MAX_FAIL_SECONDS = 5.0
RESUME_SECONDS = 20
# What a JSON-RPC call in flight gets when PostgreSQL cuts its connection.
DB_CONNECTION_ERRORS = ("psycopg2.OperationalError", "psycopg2.InterfaceError")


@pytest.fixture(scope="module")
def office():
    run = crash_run()
    run.new_database(DB)
    server = run.odoo.server(DB, name="office").start()
    try:
        automatic = fetch_all(
            run.cluster,
            DB,
            "SELECT id FROM smartcall_campaign WHERE mode = 'automatic'",
        )[0]["id"]
        operators = []
        for login in OPERATORS[:2]:
            operator = RpcClient(server.url, DB, timeout=30).authenticate(login, PASSWORD)
            state = operator.console("start", automatic)
            assert state["contact"], f"{login} got no contact"
            operators.append(operator)
        yield run, server, operators
    finally:
        if not run.cluster.started:
            run.cluster._pg_ctl_start()
        server.stop()
        run.cluster.drop_database(DB)


def assert_no_double_hold(run):
    """Each in_call contact has one operator, each operator holds at most one contact, and
    the open sessions point at the contacts their operator holds."""
    held = fetch_all(
        run.cluster,
        DB,
        "SELECT id, operator_id FROM smartcall_campaign_contact WHERE state = 'in_call'",
    )
    assert all(row["operator_id"] for row in held), held
    operators = [row["operator_id"] for row in held]
    assert len(operators) == len(set(operators)), f"an operator holds two contacts: {held}"
    sessions = fetch_all(
        run.cluster,
        DB,
        """SELECT user_id, current_contact_id FROM smartcall_operator_session
            WHERE state != 'closed' AND current_contact_id IS NOT NULL""",
    )
    pointed = [row["current_contact_id"] for row in sessions]
    assert len(pointed) == len(set(pointed)), f"two sessions on one contact: {sessions}"
    by_contact = {row["id"]: row["operator_id"] for row in held}
    for row in sessions:
        assert by_contact.get(row["current_contact_id"]) == row["user_id"], (
            sessions,
            held,
        )
    drafts = fetch_all(
        run.cluster,
        DB,
        """SELECT contact_id, count(*) AS n FROM smartcall_call WHERE state = 'draft'
            GROUP BY contact_id HAVING count(*) > 1""",
    )
    assert drafts == [], f"a contact has two calls in progress: {drafts}"
    return held


def timed(operator, method, *args):
    """(kind, seconds, result): kind is ok, lost (the console's offline line) or error
    (shown to the operator as an error message)."""
    start = time.monotonic()
    try:
        result = operator.console(method, *args, timeout=30)
        kind = "ok"
    except RpcConnectionLost as error:
        result, kind = error, "lost"
    except RpcError as error:
        result, kind = error, "error"
    return kind, time.monotonic() - start, result


def resume(operator, contact_id):
    """The console's retry loop: get_console_state until it answers (same login session)."""

    def answered():
        kind, _seconds, result = timed(operator, "get_console_state")
        return result if kind == "ok" else None

    state = wait_until(answered, RESUME_SECONDS, interval=0.5, message="the console to resume")
    assert state["contact"] and state["contact"]["id"] == contact_id, state
    assert operator.console("heartbeat") == {"ok": True}
    return state


def test_restart_while_consoles_poll(office):
    run, _server, operators = office
    contacts = [op.console("get_console_state")["contact"]["id"] for op in operators]
    results, stop = [], threading.Event()

    def console_loop(operator):
        while not stop.is_set():
            for method in ("heartbeat", "get_console_state"):
                kind, seconds, result = timed(operator, method)
                results.append((method, kind, seconds, result))

    threads = [threading.Thread(target=console_loop, args=(op,), daemon=True) for op in operators]
    for thread in threads:
        thread.start()
    time.sleep(1)
    run.cluster.restart(mode="fast")
    time.sleep(2)
    stop.set()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads), "a console call hangs"
    kinds = {kind: sum(1 for r in results if r[1] == kind) for kind in ("ok", "lost", "error")}
    messages = sorted({f"{r[3].name}: {r[3].message[:80]!r}" for r in results if r[1] == "error"})
    _logger.info("console calls during pg_ctl restart -m fast: %s %s", kinds, messages)
    slow = [r for r in results if r[2] > MAX_FAIL_SECONDS]
    assert not slow, f"calls took more than {MAX_FAIL_SECONDS} s: {slow}"
    # A call in flight when PostgreSQL cuts the connections comes back as a JSON-RPC error
    # naming the database driver's error: the console must show those as the lost
    # connection too (console_model.js). Anything else would be a bug of ours.
    errors = [r for r in results if r[1] == "error"]
    not_db = [r for r in errors if r[3].name not in DB_CONNECTION_ERRORS]
    assert not not_db, f"server errors that are not a lost database connection: {not_db}"
    for operator, contact_id in zip(operators, contacts, strict=True):
        resume(operator, contact_id)
    assert len(assert_no_double_hold(run)) == 2


def test_outage_fails_fast_then_operators_resume(office):
    run, _server, operators = office
    contacts = [op.console("get_console_state")["contact"]["id"] for op in operators]
    uids = [op.uid for op in operators]
    run.cluster.stop(mode="fast")
    try:
        for operator in operators:
            for method in ("heartbeat", "get_console_state", "next_contact"):
                kind, seconds, result = timed(operator, method)
                assert kind == "lost", (method, kind, result)
                assert seconds < MAX_FAIL_SECONDS, (method, seconds)
    finally:
        run.cluster._pg_ctl_start()
    states = [
        resume(operator, contact_id)
        for operator, contact_id in zip(operators, contacts, strict=True)
    ]
    assert [op.uid for op in operators] == uids  # no new login
    assert all(state["session"]["state"] == "in_call" for state in states)
    assert_no_double_hold(run)

    # back to work: outcome the contact, the automatic campaign hands out the next one
    outcome = fetch_all(run.cluster, DB, "SELECT id FROM smartcall_outcome WHERE code = 'NI'")[0][
        "id"
    ]
    new_contacts = []
    for operator, contact_id in zip(operators, contacts, strict=True):
        operator.console("hangup", contact_id)
        state = operator.console(
            "confirm_outcome",
            contact_id,
            {"outcome_id": outcome, "notes": "After the outage"},
        )
        assert state["contact"] and state["contact"]["id"] not in contacts
        new_contacts.append(state["contact"]["id"])
    assert len(set(new_contacts)) == 2
    held = assert_no_double_hold(run)
    assert sorted(row["id"] for row in held) == sorted(new_contacts)
    done = fetch_all(
        run.cluster,
        DB,
        "SELECT id, state FROM smartcall_campaign_contact WHERE id = ANY(%s)",
        (contacts,),
    )
    assert {row["state"] for row in done} == {"done"}
