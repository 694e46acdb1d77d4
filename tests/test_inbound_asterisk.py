"""Inbound calls and the phone bar against a real Asterisk 22 and sipp (issue 17).

Collected only when Asterisk and sipp are installed (see conftest.py: otherwise one line
says why these tests did not run). A real Odoo server with smartcall_inbound runs the PBX
client (tests/tooling/voip_session.py, inbound template); the rig
(tests/tooling/asterisk_rig.py) runs Asterisk and the softphones: 202 answers after 300 ms,
203 rings and never answers. A sipp caller (+39 0881 123456, "Inbound Rossi Srl") dials an
operator's extension through the trunk. The phone bar's push is read from its bus.bus row
(the tour smartcall_inbound_phone_bar_tour shows the same payload in the systray), its
server side over JSON-RPC as the operator, the call with psycopg2.
"""

import json

import pytest

from .tooling import RpcClient, RpcError, fetch_all, fetch_one, wait_until
from .tooling.asterisk_rig import AMI_SECRET, AsteriskRig
from .tooling.browser import Browser
from .tooling.pytest_fixtures import load_registry  # noqa: F401 (no Odoo registry needed)
from .tooling.voip_session import (
    INBOUND_CUSTOMER,
    INBOUND_OPERATOR,
    OPERATORS,
    PASSWORD,
    voip_run,
)

DB = "sc_voip_inbound_asterisk"
HOLDER = OPERATORS[0][0]  # holds the customer in the inbound campaign's portfolio type
ANSWERING = OPERATORS[1][0]  # PJSIP/202: answers after 300 ms
AWAY = INBOUND_OPERATOR[0]  # PJSIP/203: rings, never answers


@pytest.fixture(scope="module")
def world():
    run = voip_run()
    template = run.inbound_template()
    rig = AsteriskRig()
    try:
        rig.start()
        run.new_database(DB, rig.ami_port, AMI_SECRET, template=template)
        server = run.server(DB, name="inbound-asterisk").start()
        try:
            wait_until(
                lambda: one(
                    run, "SELECT 1 FROM smartcall_pbx WHERE connection_state = 'connected'"
                ),
                30,
                message="the PBX client connected",
            )
            yield run, rig, server
        finally:
            server.stop()
            run.cluster.drop_database(DB)
    finally:
        rig.cleanup()


def one(run, query, params=None):
    return fetch_one(run.cluster, DB, query, params)


def partner_of(run, login):
    return one(run, "SELECT partner_id FROM res_users WHERE login = %s", (login,))["partner_id"]


def pushes(run, login, event):
    """Payloads of the bus notifications `event` sent to `login`'s partner channel, the one
    every tab of that user listens to (what the phone bar's service subscribes to)."""
    channel = [DB, "res.partner", partner_of(run, login)]
    rows = fetch_all(run.cluster, DB, "SELECT channel, message FROM bus_bus ORDER BY id")
    return [
        json.loads(row["message"])["payload"]
        for row in rows
        if json.loads(row["channel"]) == channel and json.loads(row["message"])["type"] == event
    ]


def inbound_call(run, login, condition, timeout=20, message="inbound call"):
    query = (
        "SELECT c.*, p.name AS partner_name FROM smartcall_call c"
        " JOIN res_users u ON u.id = c.user_id LEFT JOIN res_partner p ON p.id = c.partner_id"
        " WHERE c.direction = 'in' AND u.login = %s ORDER BY c.id DESC LIMIT 1"
    )
    return wait_until(
        lambda: (lambda c: c if c and condition(c) else None)(one(run, query, (login,))),
        timeout,
        message=message,
    )


def phone_bar(server, login):
    """The phone bar's start-up state, as the operator's browser asks for it."""
    client = RpcClient(server.url, DB).authenticate(login, PASSWORD)
    return client, client.call("smartcall.call", "smartcall_inbound_phone_bar_state")


def test_sipp_caller_dialling_an_extension_rings_the_operators_phone_bar(world):
    run, rig, server = world
    proc = rig.inbound_call("203", give_up_after_ms=6000)
    call = inbound_call(run, AWAY, lambda c: c["pbx_state"] == "ringing", message="ringing")
    assert call["state"] == "draft" and call["answered_at"] is None
    assert call["number"] == "+390881123456"
    assert call["partner_name"] == INBOUND_CUSTOMER
    assert call["inbound_called_number"] == "203"
    assert call["campaign_id"] == run.inbound_campaign_id
    rings = pushes(run, AWAY, "smartcall_inbound/ringing")
    assert [ring["call_id"] for ring in rings] == [call["id"]]
    assert rings[0]["partner_name"] == INBOUND_CUSTOMER
    assert rings[0]["number_display"] == "+39 0881 123456"
    assert rings[0]["holder_name"] == "Operator Op1" and not rings[0]["holder_is_me"]
    assert not pushes(run, HOLDER, "smartcall_inbound/ringing"), "only the rung operator"
    _client, bar = phone_bar(server, AWAY)
    assert bar["state"] == "ringing"
    assert bar["call"]["call_id"] == call["id"]
    assert bar["call"]["partner_name"] == INBOUND_CUSTOMER
    assert rig.invites_to("203") >= 1
    proc.wait(timeout=30)


def test_the_phone_bar_rings_in_the_browser_and_says_the_call_was_missed(world):
    """The operator's phone bar in Chromium: the sipp caller dials their extension, the
    systray shows the call ringing within the ring, with the caller and the portfolio holder;
    the caller gives up, the bar says "Missed call from ..." and is available again."""
    run, rig, server = world
    operator = RpcClient(server.url, DB).authenticate(AWAY, PASSWORD)
    with Browser(run.run_dir) as page:
        page.set_cookies(server.url, operator.http.cookies)
        page.goto(f"{server.url}/odoo")
        page.wait_text(".o_smartcall_phone_bar_available", "Available", 180)
        page.wait_for(
            "odoo.__WOWL_DEBUG__.root.env.services.bus_service.workerState === 'CONNECTED'",
            30,
            "the bus connected",
        )
        proc = rig.inbound_call("203", give_up_after_ms=8000)
        ringing = page.wait_text(".o_smartcall_phone_bar_ringing", "+39 0881 123456", 15)
        assert INBOUND_CUSTOMER in ringing, ringing
        page.wait_text(".o_smartcall_phone_bar_holder", "Operator Op1", 5)
        page.screenshot("phone-bar-ringing.png")
        assert proc.wait(timeout=30) == 0, rig.tail("sipp-caller.stdout")
        page.wait_text(".o_notification", f"Missed call from {INBOUND_CUSTOMER}", 15)
        page.wait_text(".o_smartcall_phone_bar_available", "Available", 15)
        assert page.page_errors() == []
    call = inbound_call(run, AWAY, lambda c: c["state"] == "missed", message="missed")
    assert call["partner_name"] == INBOUND_CUSTOMER


def test_caller_hanging_up_while_it_rings_leaves_a_missed_call(world):
    run, rig, server = world
    before = one(run, "SELECT count(*) AS n FROM smartcall_call WHERE direction = 'in'")["n"]
    proc = rig.inbound_call("203", give_up_after_ms=2000)
    ringing = inbound_call(
        run, AWAY, lambda c: c["id"] and c["pbx_state"] == "ringing" and c["ended_at"] is None
    )
    assert proc.wait(timeout=30) == 0, rig.tail("sipp-caller.stdout")
    assert "CANCEL sip:" in rig.sip_trace("203"), "Asterisk cancelled the operator's ring"
    call = inbound_call(run, AWAY, lambda c: c["state"] == "missed", message="missed")
    assert call["id"] == ringing["id"]
    assert call["pbx_state"] == "failed" and call["dial_status"] == "CANCEL"
    assert call["answered_at"] is None and call["talk_duration"] == 0
    assert call["ended_at"] is not None and call["ring_duration"] >= 1
    after = one(run, "SELECT count(*) AS n FROM smartcall_call WHERE direction = 'in'")["n"]
    assert after == before + 1, "one call, recorded once"
    closed = [
        p for p in pushes(run, AWAY, "smartcall_inbound/closed") if p["call_id"] == call["id"]
    ]
    assert len(closed) == 1 and closed[0]["missed"], closed
    assert closed[0]["partner_name"] == INBOUND_CUSTOMER
    client, bar = phone_bar(server, AWAY)
    assert bar["state"] == "available" and not bar["call"]
    # the phone bar's buttons on the missed call: refused, nothing written
    with pytest.raises(RpcError) as refused:
        client.call("smartcall.call", "action_hangup_inbound", [call["id"]])
    assert "already closed" in refused.value.message
    again = one(run, "SELECT ended_at, state FROM smartcall_call WHERE id = %s", (call["id"],))
    assert (again["ended_at"], again["state"]) == (call["ended_at"], "missed")


def test_caller_hanging_up_after_the_answer_ends_the_call_with_durations(world):
    run, rig, server = world
    proc = rig.inbound_call("202", talk_ms=2500)
    answered = inbound_call(
        run, ANSWERING, lambda c: c["pbx_state"] == "answered", message="answered"
    )
    assert answered["answered_at"] is not None
    assert answered["partner_name"] == INBOUND_CUSTOMER
    assert proc.wait(timeout=30) == 0, rig.tail("sipp-caller.stdout")
    call = inbound_call(run, ANSWERING, lambda c: c["pbx_state"] == "ended", message="hung up")
    assert call["id"] == answered["id"]
    assert call["state"] == "draft", "the operator still fills in and closes the form"
    assert call["hangup_cause"] == 16
    assert call["ended_at"] >= call["answered_at"] >= call["started_at"]
    assert call["talk_duration"] >= 2  # the caller talks 2.5 s
    assert call["ring_duration"] <= 2  # the softphone answers after 0.3 s
    updates = [
        p for p in pushes(run, ANSWERING, "smartcall_inbound/updated") if p["call_id"] == call["id"]
    ]
    assert [(u["answered"], u["ended"]) for u in updates] == [(True, False), (True, True)]
    client, bar = phone_bar(server, ANSWERING)
    assert bar["state"] == "in_call" and bar["call"]["ended"]
    # Hang up on the phone bar after the caller did: nothing changes
    assert client.call("smartcall.call", "action_hangup_inbound", [call["id"]]) is True
    again = one(run, "SELECT * FROM smartcall_call WHERE id = %s", (call["id"],))
    assert (again["ended_at"], again["pbx_state"], again["hangup_cause"]) == (
        call["ended_at"],
        "ended",
        16,
    )
    # and the operator closes the inbound call as usual
    state_ok = one(run, "SELECT id FROM smartcall_inbound_state WHERE code = 'OK'")["id"]
    action = one(
        run, "SELECT id FROM smartcall_inbound_action WHERE name->>'en_US' = 'Voip brochure'"
    )
    group = one(run, "SELECT id FROM smartcall_inbound_group WHERE name->>'en_US' = 'Voip billing'")
    client.call(
        "smartcall.call",
        "write",
        [call["id"]],
        {
            "inbound_state_id": state_ok,
            "inbound_action_id": action["id"],
            "inbound_group_id": group["id"],
            "caller_first_name": "Mario",
            "caller_last_name": "Rossi",
            "privacy_consent": "given",
            "document_type": "id_card",
            "document_number": "CA00000AA",
            "notes": "Called about the invoice",
        },
    )
    client.call("smartcall.call", "action_close_inbound", [call["id"]])
    done = one(run, "SELECT * FROM smartcall_call WHERE id = %s", (call["id"],))
    assert done["state"] == "done"
    assert (done["ended_at"], done["talk_duration"]) == (call["ended_at"], call["talk_duration"])
