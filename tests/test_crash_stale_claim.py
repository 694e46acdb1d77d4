"""An operator whose browser vanishes while holding a contact (issue 9, "Crashes").

On a real Odoo server (tests/tooling): the operator claims a contact that already has a call
history, dials it, then nothing more comes from their browser (no heartbeat); another
operator keeps working. With the claim timeout at 1 minute and their last sign of life moved
2 minutes back (SQL: no real waiting), the release cron runs (``ir.cron`` "Run manually" over
JSON-RPC as admin). Checked with psycopg2: the contact is back in the queue with its
attempts and earlier calls untouched and the vanished attempt kept as abandoned; the
operator's session is closed at their last sign of life and their console says so; the
living operator keeps their contact; the contact can be claimed again.
"""

import pytest

from .tooling import (
    ADMIN,
    OPERATORS,
    PASSWORD,
    RpcClient,
    crash_run,
    fetch_all,
    fetch_one,
)
from .tooling.pytest_fixtures import load_registry  # noqa: F401 (no Odoo registry needed)

DB = "sc_crash_stale"


@pytest.fixture(scope="module")
def stale():
    run = crash_run()
    run.new_database(DB)
    server = run.odoo.server(DB, name="stale").start()
    try:
        yield run, server
    finally:
        server.stop()
        run.cluster.drop_database(DB)


def sql(run, query, params=None):
    return fetch_all(run.cluster, DB, query, params)


def one(run, query, params=None):
    return fetch_one(run.cluster, DB, query, params)


def contact_by_name(run, name):
    return one(
        run,
        """SELECT c.*, p.smartcall_phone_e164 AS phone_e164
             FROM smartcall_campaign_contact c JOIN res_partner p ON p.id = c.partner_id
            WHERE p.name = %s""",
        (name,),
    )


def calls_of(run, contact_id):
    return sql(
        run,
        """SELECT id, user_id, state, outcome_id, notes, number, started_at, ended_at
             FROM smartcall_call WHERE contact_id = %s ORDER BY id""",
        (contact_id,),
    )


def test_vanished_operator_contact_back_in_queue(stale):
    run, server = stale
    admin = RpcClient(server.url, DB).authenticate(*ADMIN)
    admin.call(
        "ir.config_parameter",
        "set_param",
        "smartcall_campaign.claim_timeout_minutes",
        "1",
    )
    manual = one(run, "SELECT id FROM smartcall_campaign WHERE mode = 'manual'")["id"]
    outcome_a = one(run, "SELECT id FROM smartcall_outcome WHERE code = 'A'")["id"]
    target = contact_by_name(run, "Crash Customer 05")
    control = contact_by_name(run, "Crash Customer 06")

    # An earlier attempt by another operator: not reached, retry (the call history).
    first = RpcClient(server.url, DB).authenticate(OPERATORS[0], PASSWORD)
    first.console("start", manual)
    first.console("pick_contact", target["id"])
    first.console("hangup", target["id"])
    first.console(
        "confirm_outcome",
        target["id"],
        {"outcome_id": outcome_a, "notes": "No answer at 10"},
    )
    first.console("logout")

    # The operator who will vanish claims it again and dials; a colleague holds another one.
    vanishing = RpcClient(server.url, DB).authenticate(OPERATORS[1], PASSWORD)
    vanishing.console("start", manual)
    state = vanishing.console("pick_contact", target["id"])
    assert state["contact"]["id"] == target["id"]
    vanishing.console("dial", target["id"], target["phone_e164"])
    colleague = RpcClient(server.url, DB).authenticate(OPERATORS[2], PASSWORD)
    colleague.console("start", manual)
    colleague.console("pick_contact", control["id"])

    held = contact_by_name(run, "Crash Customer 05")
    assert (held["state"], held["operator_id"], held["attempt_count"]) == (
        "in_call",
        vanishing.uid,
        2,
    )
    calls_before = calls_of(run, target["id"])
    assert [c["state"] for c in calls_before] == ["done", "draft"]
    session = one(
        run,
        "SELECT * FROM smartcall_operator_session WHERE user_id = %s AND state != 'closed'",
        (vanishing.uid,),
    )
    assert session["state"] == "in_call" and session["current_contact_id"] == target["id"]

    # The browser vanishes: no heartbeat any more. Its whole session is moved 2 minutes
    # into the past in SQL (no real waiting): last sign of life, state intervals, the claim
    # and the call; the colleague's console is alive.
    back = "- interval '2 minutes'"
    last_seen = one(
        run,
        f"""UPDATE smartcall_operator_session
               SET last_seen_at = last_seen_at {back}, started_at = started_at {back}
             WHERE id = %s RETURNING last_seen_at""",
        (session["id"],),
    )["last_seen_at"]
    for query in (
        f"""UPDATE smartcall_operator_session_interval SET started_at = started_at {back},
                   ended_at = ended_at {back} WHERE session_id = %s""",
        f"UPDATE smartcall_campaign_contact SET claimed_at = claimed_at {back} WHERE id = %s",
        f"""UPDATE smartcall_call SET started_at = started_at {back}
             WHERE contact_id = %s AND state = 'draft'""",
    ):
        target_id = session["id"] if "interval" in query else target["id"]
        run.cluster.execute(query, (target_id,), dbname=DB)
    held = contact_by_name(run, "Crash Customer 05")
    calls_before = calls_of(run, target["id"])
    colleague.console("heartbeat")

    # The release cron, run as the scheduler would (ir.cron "Run manually").
    cron = admin.call(
        "ir.model.data",
        "search_read",
        [
            ("module", "=", "smartcall_campaign"),
            ("name", "=", "ir_cron_release_stale_claims"),
        ],
        ["res_id"],
    )[0]["res_id"]
    admin.call("ir.cron", "method_direct_trigger", [cron])

    released = contact_by_name(run, "Crash Customer 05")
    assert released["state"] == "queued"
    assert not released["operator_id"] and not released["claimed_at"]
    # attempts, queue place, last outcome: as the earlier outcome left them
    for field in ("attempt_count", "queue_priority", "next_call_at", "last_outcome_id"):
        assert released[field] == held[field], field
    calls_after = calls_of(run, target["id"])
    assert calls_after[0] == calls_before[0], "the earlier call must not change"
    vanished_call = calls_after[1]
    assert vanished_call["id"] == calls_before[1]["id"]
    assert (
        vanished_call["state"] == "abandoned"
    ), "the vanished attempt stays in the history as abandoned, not as a call in progress"
    assert vanished_call["ended_at"] and not vanished_call["outcome_id"]
    assert vanished_call["number"] == target["phone_e164"]
    assert len(calls_after) == 2

    # The session: closed at the last sign of life, with its open interval.
    closed = one(run, "SELECT * FROM smartcall_operator_session WHERE id = %s", (session["id"],))
    assert closed["state"] == "closed" and not closed["current_contact_id"]
    assert closed["ended_at"] == last_seen
    assert (
        one(
            run,
            """SELECT count(*) AS n FROM smartcall_operator_session_interval
            WHERE session_id = %s AND (ended_at IS NULL OR ended_at > %s)""",
            (session["id"], last_seen),
        )["n"]
        == 0
    )
    # ... and the operator's console, if the browser comes back, shows it: no contact, closed
    state = vanishing.console("get_console_state")
    assert state["session"]["state"] == "closed" and state["contact"] is None
    state = vanishing.console("start", manual)
    assert state["session"]["state"] == "ready" and state["session"]["id"] != session["id"]

    # The living colleague is untouched.
    kept = contact_by_name(run, "Crash Customer 06")
    assert (kept["state"], kept["operator_id"]) == ("in_call", colleague.uid)
    assert (
        one(
            run,
            "SELECT state FROM smartcall_operator_session WHERE user_id = %s AND state != 'closed'",
            (colleague.uid,),
        )["state"]
        == "in_call"
    )

    # The contact is in the queue for real: another operator gets it, a new attempt.
    again = RpcClient(server.url, DB).authenticate(OPERATORS[3], PASSWORD)
    again.console("start", manual)
    state = again.console("pick_contact", target["id"])
    assert state["contact"]["id"] == target["id"]
    reclaimed = contact_by_name(run, "Crash Customer 05")
    assert (reclaimed["operator_id"], reclaimed["attempt_count"]) == (again.uid, 3)
    assert [c["state"] for c in calls_of(run, target["id"])] == [
        "done",
        "abandoned",
        "draft",
    ]
