"""SIGKILL of the Odoo server in the middle of CONFERMA ESITO, at each step of the wrap-up.

Issue 9, "Crashes": afterwards the contact, the call, the notes, the callback and the order
are all as before the confirmation or all as after it.

A real ``odoo`` server (tests/tooling) is started with SMARTCALL_TEST_PAUSE_AT_STEP=<step>:
``_confirm_outcome`` then flushes its writes at that step, touches a marker file and sleeps
(``_wrapup_checkpoint``, inert without the variable). The test checks that the server really
is inside the transaction with the step's writes in the database (its backend is "idle in
transaction" and holds the row locks), kills it with SIGKILL and reads the database with
psycopg2: everything must be exactly as before the confirmation, ``write_date`` included.
The operator then retries on a NEW server (the next step's, so every crash is followed by a
restart and a retry of the same confirmation), and after the last step a server without the
pause confirms for good: everything must be as after. One more test kills the server after
the commit but before the answer reached the operator: all as after, and the operator's
retry is refused without saving anything twice.
"""

import os
import threading
from datetime import datetime, timedelta

import psycopg2
import psycopg2.errors
import pytest
import pytz

from .tooling import (
    ADMIN,
    OPERATORS,
    PASSWORD,
    RpcClient,
    RpcConnectionLost,
    RpcError,
    crash_run,
    fetch_all,
    fetch_one,
    wait_until,
)
from .tooling.pytest_fixtures import load_registry  # noqa: F401 (no Odoo registry needed)

DB = "sc_crash_wrapup"
PAUSE_STEP_ENV = "SMARTCALL_TEST_PAUSE_AT_STEP"
PAUSE_MARKER_ENV = "SMARTCALL_TEST_PAUSE_MARKER"
CALLBACK_STEPS = ("validated", "call_closed", "effect_applied", "session_updated")
SALE_STEPS = (
    "validated",
    "call_closed",
    "effect_applied",
    "sale_order_created",
    "session_updated",
)
DNC_STEPS = ("validated", "call_closed", "effect_applied", "session_updated")


@pytest.fixture(scope="module")
def wrapup():
    run = crash_run()
    run.new_database(DB)
    ids = {
        "outcome": {
            row["code"]: row["id"]
            for row in fetch_all(run.cluster, DB, "SELECT id, code FROM smartcall_outcome")
        },
        "campaign": {
            row["mode"]: row["id"]
            for row in fetch_all(run.cluster, DB, "SELECT id, mode FROM smartcall_campaign")
        },
        "product": fetch_one(
            run.cluster,
            DB,
            """SELECT p.id FROM product_product p JOIN product_template t
                   ON t.id = p.product_tmpl_id WHERE t.name->>'en_US' = 'Fibre 1 Gbps'""",
        )["id"],
    }
    yield run, ids
    run.cluster.drop_database(DB)


# ----------------------------------------------------------------------------------------
# Reading the database
# ----------------------------------------------------------------------------------------
def contact_row(run, name):
    return fetch_one(
        run.cluster,
        DB,
        """SELECT c.id, c.partner_id, p.smartcall_phone_e164 AS phone_e164
             FROM smartcall_campaign_contact c
             JOIN res_partner p ON p.id = c.partner_id
            WHERE p.name = %s AND c.campaign_id = (
                  SELECT id FROM smartcall_campaign WHERE mode = 'manual')""",
        (name,),
    )


def snapshot(run, partner_id, login):
    """Everything a confirmation may touch for this customer and operator, committed."""
    cluster = run.cluster
    uid = fetch_one(cluster, DB, "SELECT id FROM res_users WHERE login = %s", (login,))["id"]
    session = fetch_one(
        cluster,
        DB,
        """SELECT id, state, current_contact_id, last_outcome_id, campaign_id, write_date
             FROM smartcall_operator_session WHERE user_id = %s AND state != 'closed'""",
        (uid,),
    )
    numbers = [
        row["phone_e164"]
        for row in fetch_all(
            cluster,
            DB,
            """SELECT p.smartcall_phone_e164 AS phone_e164 FROM smartcall_campaign_contact c
                 JOIN res_partner p ON p.id = c.partner_id WHERE c.partner_id = %s""",
            (partner_id,),
        )
    ]
    return {
        "contacts": fetch_all(
            cluster,
            DB,
            """SELECT id, campaign_id, state, operator_id, claimed_at, attempt_count,
                      queue_priority, next_call_at, callback_owner_id, callback_note,
                      excluded_reason, postponed_to_next_plan, last_outcome_id, write_date
                 FROM smartcall_campaign_contact WHERE partner_id = %s ORDER BY id""",
            (partner_id,),
        ),
        "calls": fetch_all(
            cluster,
            DB,
            """SELECT id, contact_id, user_id, state, outcome_id, notes, number, callback_at,
                      is_private_callback, sale_order_id, ended_at, write_date
                 FROM smartcall_call WHERE partner_id = %s ORDER BY id""",
            (partner_id,),
        ),
        "orders": fetch_all(
            cluster,
            DB,
            """SELECT o.id, o.state, o.smartcall_protocol, o.smartcall_call_id, o.note,
                      l.product_id, l.product_uom_qty, l.price_unit, l.discount
                 FROM sale_order o LEFT JOIN sale_order_line l ON l.order_id = o.id
                WHERE o.partner_id = %s ORDER BY o.id, l.id""",
            (partner_id,),
        ),
        "blacklist": fetch_all(
            cluster,
            DB,
            "SELECT number, active, write_date FROM phone_blacklist WHERE number = ANY(%s)",
            (numbers,),
        ),
        "session": session,
        "intervals": session
        and fetch_all(
            cluster,
            DB,
            """SELECT id, state, started_at, ended_at FROM smartcall_operator_session_interval
                WHERE session_id = %s ORDER BY id""",
            (session["id"],),
        ),
        "uid": uid,
    }


def assert_same(after_kill, before, step):
    for key in before:
        assert after_kill[key] == before[key], (
            f"SIGKILL at step {step!r} left {key} changed (must be all as before):\n"
            f"before: {before[key]}\nafter:  {after_kill[key]}"
        )


# ----------------------------------------------------------------------------------------
# Servers, the operator and the crash
# ----------------------------------------------------------------------------------------
def start_server(run, step=None):
    extra = {}
    if step:
        marker = os.path.join(run.run_dir, f"pause-{step}-{os.getpid()}-{threading.get_ident()}")
        if os.path.exists(marker):
            os.unlink(marker)
        extra = {PAUSE_STEP_ENV: step, PAUSE_MARKER_ENV: marker}
    server = run.odoo.server(DB, extra_env=extra, name=f"pause-{step or 'none'}")
    server.marker = extra.get(PAUSE_MARKER_ENV)
    return server.start()


def hold_for_wrapup(operator, campaign_id, contact_id, number):
    """The operator picks the contact, dials and hangs up: the outcome page is open."""
    operator.console("start", campaign_id)
    state = operator.console("pick_contact", contact_id)
    assert state["contact"]["id"] == contact_id
    operator.console("dial", contact_id, number)
    state = operator.console("hangup", contact_id)
    assert state["session"]["state"] == "wrap_up"


def backend_of(run, server):
    return fetch_one(
        run.cluster,
        DB,
        "SELECT pid, state FROM pg_stat_activity WHERE application_name = %s AND state != 'idle'",
        (f"odoo-{server.proc.pid}",),
    )


def assert_row_locked(run, table, row_id, step):
    """Another connection cannot lock the row: the paused transaction wrote it."""
    cnx = run.cluster.connect(DB, autocommit=False)
    try:
        with cnx.cursor() as cr, pytest.raises(psycopg2.errors.LockNotAvailable):
            cr.execute(f"SELECT id FROM {table} WHERE id = %s FOR UPDATE NOWAIT", (row_id,))
    except BaseException as error:
        raise AssertionError(
            f"at step {step!r} the {table} row {row_id} should be written (locked) by the "
            "open transaction of the paused server"
        ) from error
    finally:
        cnx.rollback()
        cnx.close()


def confirm_and_kill(run, server, operator, contact_id, values, step, call_id):
    """Confirm on `server`, which stops at `step`; SIGKILL it there. Returns what the
    operator's RPC got (never an answer: the connection is cut)."""
    answer = {}

    def confirm():
        try:
            answer["result"] = operator.console("confirm_outcome", contact_id, values, timeout=300)
        except Exception as error:  # noqa: BLE001 (recorded and asserted below)
            answer["error"] = error

    thread = threading.Thread(target=confirm, daemon=True)
    thread.start()
    wait_until(
        lambda: (os.path.exists(server.marker) or not server.alive or not thread.is_alive()),
        60,
        message=f"the server to stop at {step}",
    )
    assert os.path.exists(
        server.marker
    ), f"the server did not stop at {step}: {answer}\n{server.log_tail()}"
    backend = backend_of(run, server)
    if step == "committed":
        assert not backend or backend["state"] != "idle in transaction", backend
    else:
        assert (
            backend and backend["state"] == "idle in transaction"
        ), f"at {step} the server should be inside the confirmation's transaction: {backend}"
        if step != "validated":
            assert_row_locked(run, "smartcall_call", call_id, step)
    server.kill()
    thread.join(30)
    assert not thread.is_alive(), "the operator's RPC hangs after the server died"
    assert isinstance(answer.get("error"), RpcConnectionLost), answer
    # the killed server's database connection goes away (its transaction is rolled back)
    wait_until(lambda: not backend_of(run, server), 15, message="the dead server's backend")


def crash_at_each_step(run, login, contact_name, campaign_id, values, steps, prepare=None):
    """Kill at each step in turn, each retry on a restarted server; then confirm for good.
    Returns the contact, the before and after snapshots, the last console state and the
    operator. `prepare(server)` runs first, on the first server."""
    contact = contact_row(run, contact_name)
    server = start_server(run, steps[0])
    try:
        if prepare:
            prepare(server)
        operator = RpcClient(server.url, DB).authenticate(login, PASSWORD)
        hold_for_wrapup(operator, campaign_id, contact["id"], contact["phone_e164"])
        before = snapshot(run, contact["partner_id"], login)
        held = [c for c in before["contacts"] if c["id"] == contact["id"]][0]
        assert held["state"] == "in_call" and held["operator_id"] == before["uid"]
        drafts = [c for c in before["calls"] if c["state"] == "draft"]
        assert len(drafts) == 1, before["calls"]
        assert before["session"]["state"] == "wrap_up"
        for index, step in enumerate(steps):
            if index:
                server = start_server(run, step)
                operator = operator.on(server.url)  # same login session, new server
            confirm_and_kill(run, server, operator, contact["id"], values, step, drafts[0]["id"])
            assert_same(snapshot(run, contact["partner_id"], login), before, step)
        server = start_server(run)
        operator = operator.on(server.url)
        state = operator.console("confirm_outcome", contact["id"], values)
        after = snapshot(run, contact["partner_id"], login)
        return contact, before, after, state, operator
    finally:
        server.stop()


def tomorrow_rome():
    tz = pytz.timezone("Europe/Rome")
    return (datetime.now(pytz.utc).astimezone(tz) + timedelta(days=1)).date()


# ----------------------------------------------------------------------------------------
# Tests
# ----------------------------------------------------------------------------------------
def test_kill_at_each_step_of_a_private_callback(wrapup):
    run, ids = wrapup
    day = tomorrow_rome()
    values = {
        "outcome_id": ids["outcome"]["CALLBK"],
        "notes": "Wants the offer by e-mail first",
        "callback": {
            "private": True,
            "date": day.isoformat(),
            "time": "10:30",
            "note": "Owner",
        },
        "cart": None,
    }
    contact, before, after, state, _op = crash_at_each_step(
        run,
        OPERATORS[0],
        "Crash Customer 01",
        ids["campaign"]["manual"],
        values,
        CALLBACK_STEPS,
    )
    when = (
        pytz.timezone("Europe/Rome")
        .localize(datetime.combine(day, datetime.min.time()).replace(hour=10, minute=30))
        .astimezone(pytz.utc)
        .replace(tzinfo=None)
    )
    row = after["contacts"][0]
    assert (row["state"], row["operator_id"], row["callback_owner_id"]) == (
        "callback",
        None,
        after["uid"],
    )
    assert row["next_call_at"] == when and row["callback_note"] == "Owner"
    assert row["last_outcome_id"] == ids["outcome"]["CALLBK"]
    assert row["attempt_count"] == before["contacts"][0]["attempt_count"]
    [call] = after["calls"]
    assert call["id"] == before["calls"][0]["id"]
    assert (call["state"], call["outcome_id"], call["notes"]) == (
        "done",
        ids["outcome"]["CALLBK"],
        "Wants the offer by e-mail first",
    )
    assert call["callback_at"] == when and call["is_private_callback"] is True
    assert after["orders"] == [] and after["blacklist"] == []
    assert after["session"]["state"] == "ready" and not after["session"]["current_contact_id"]
    assert after["session"]["last_outcome_id"] == ids["outcome"]["CALLBK"]
    assert state["contact"] is None


def test_kill_at_each_step_of_a_sale(wrapup):
    run, ids = wrapup
    values = {
        "outcome_id": ids["outcome"]["VEND"],
        "notes": "Signed on the phone",
        "callback": None,
        "cart": [
            {
                "product_id": ids["product"],
                "quantity": 2,
                "price_unit": 25.0,
                "discount": 10,
            }
        ],
    }
    contact, before, after, _state, _op = crash_at_each_step(
        run,
        OPERATORS[1],
        "Crash Customer 02",
        ids["campaign"]["manual"],
        values,
        SALE_STEPS,
    )
    assert before["orders"] == []
    assert after["contacts"][0]["state"] == "done"
    [call] = after["calls"]
    assert (call["state"], call["outcome_id"], call["notes"]) == (
        "done",
        ids["outcome"]["VEND"],
        "Signed on the phone",
    )
    [order] = after["orders"]  # one order, one line: nothing from the killed attempts
    assert order["state"] == "sale" and order["smartcall_protocol"]
    assert order["smartcall_call_id"] == call["id"] and call["sale_order_id"] == order["id"]
    assert (order["product_id"], order["product_uom_qty"], order["price_unit"]) == (
        ids["product"],
        2.0,
        25.0,
    )
    assert order["discount"] == 10.0


def test_kill_at_each_step_of_dnc(wrapup):
    run, ids = wrapup
    contact = contact_row(run, "Crash Customer 03")

    def queue_in_other_campaign(server):
        """The same customer is also queued in the automatic campaign: DNC takes it out."""
        admin = RpcClient(server.url, DB).authenticate(*ADMIN)
        other = admin.call(
            "smartcall.campaign.contact",
            "create",
            {
                "campaign_id": ids["campaign"]["automatic"],
                "partner_id": contact["partner_id"],
            },
        )
        admin.call("smartcall.campaign.contact", "write", [other], {"state": "queued"})

    values = {
        "outcome_id": ids["outcome"]["DNC"],
        "notes": "Never call again",
        "cart": None,
    }
    contact, before, after, _state, _op = crash_at_each_step(
        run,
        OPERATORS[2],
        "Crash Customer 03",
        ids["campaign"]["manual"],
        values,
        DNC_STEPS,
        prepare=queue_in_other_campaign,
    )
    assert before["blacklist"] == []
    assert [c["state"] for c in before["contacts"]] == ["in_call", "queued"]
    assert [c["state"] for c in after["contacts"]] == ["excluded", "excluded"]
    assert [(b["number"], b["active"]) for b in after["blacklist"]] == [
        (contact["phone_e164"], True)
    ]
    [call] = after["calls"]
    assert (call["state"], call["outcome_id"]) == ("done", ids["outcome"]["DNC"])


def test_kill_after_commit_before_the_answer(wrapup):
    """The server dies after COMMIT, before the operator got the answer: all as after, and
    the operator's retry (on a restarted server) is refused without saving anything twice."""
    run, ids = wrapup
    values = {
        "outcome_id": ids["outcome"]["VEND"],
        "notes": "Signed, then the server died",
        "callback": None,
        "cart": [{"product_id": ids["product"], "quantity": 1, "price_unit": 29.9}],
    }
    contact = contact_row(run, "Crash Customer 04")
    login = OPERATORS[3]
    server = start_server(run, "committed")
    try:
        operator = RpcClient(server.url, DB).authenticate(login, PASSWORD)
        hold_for_wrapup(operator, ids["campaign"]["manual"], contact["id"], contact["phone_e164"])
        before = snapshot(run, contact["partner_id"], login)
        draft = [c for c in before["calls"] if c["state"] == "draft"][0]
        confirm_and_kill(run, server, operator, contact["id"], values, "committed", draft["id"])
        after = snapshot(run, contact["partner_id"], login)
        server = start_server(run)
        operator = operator.on(server.url)
        with pytest.raises(RpcError) as refused:
            operator.console("confirm_outcome", contact["id"], values)
        assert refused.value.name == "odoo.exceptions.UserError"
        assert "not holding" in refused.value.message
        state = operator.console("get_console_state")
    finally:
        server.stop()
    assert snapshot(run, contact["partner_id"], login) == after
    assert after["contacts"][0]["state"] == "done"
    [call] = after["calls"]
    assert call["state"] == "done" and call["notes"] == "Signed, then the server died"
    assert len(after["orders"]) == 1 and after["orders"][0]["state"] == "sale"
    assert after["orders"][0]["smartcall_protocol"]
    assert state["contact"] is None and state["session"]["state"] == "ready"
