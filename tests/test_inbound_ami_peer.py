"""Inbound calls through the AMI client of a real Odoo server, against the protocol-level
AMI peer (smartcall_voip/tests/ami_peer.py): the fast companion of
tests/test_inbound_asterisk.py, run also where Asterisk is not installed. The peer sends
the events a real Asterisk 22 sends for a call from the trunk to an operator's extension
(captured in tests/test_inbound_asterisk.py's runs), in one burst as Asterisk does; the
database is read with psycopg2, the phone bar is driven over JSON-RPC as the operator.
"""

import json
import time

import pytest

from .tooling import RpcClient, RpcError, fetch_all, fetch_one, wait_until
from .tooling.pytest_fixtures import load_registry  # noqa: F401 (no Odoo registry needed)
from .tooling.voip_session import (
    INBOUND_CUSTOMER,
    INBOUND_OPERATOR,
    OPERATORS,
    PASSWORD,
    load_ami_peer,
    voip_run,
)

AmiPeer = load_ami_peer()
DB = "sc_voip_inbound_peer"
AWAY = INBOUND_OPERATOR[0]  # PJSIP/203
ANSWERING = OPERATORS[1][0]  # PJSIP/202


@pytest.fixture(scope="module")
def world():
    run = voip_run()
    template = run.inbound_template()
    peer = AmiPeer(secret="smartcall-secret").start()
    run.new_database(DB, peer.port, template=template)
    server = run.server(DB, name="inbound-peer").start()
    try:
        wait_until(
            lambda: one(run, "SELECT 1 FROM smartcall_pbx WHERE connection_state = 'connected'"),
            20,
            message="the PBX connected",
        )
        yield run, server, peer
    finally:
        server.stop()
        peer.stop()
        run.cluster.drop_database(DB)


def one(run, query, params=None):
    return fetch_one(run.cluster, DB, query, params)


def call_of(run, unique_id):
    return one(run, "SELECT * FROM smartcall_call WHERE inbound_unique_id = %s", (unique_id,))


def pushes(run, login, event, call_id):
    partner = one(run, "SELECT partner_id FROM res_users WHERE login = %s", (login,))
    channel = [DB, "res.partner", partner["partner_id"]]
    rows = fetch_all(run.cluster, DB, "SELECT channel, message FROM bus_bus ORDER BY id")
    messages = [json.loads(row["message"]) for row in rows if json.loads(row["channel"]) == channel]
    return [
        m["payload"] for m in messages if m["type"] == event and m["payload"]["call_id"] == call_id
    ]


def ring(peer, extension, caller, operator):
    """DialBegin of the trunk's channel `caller` to the operator's channel `operator`."""
    peer.send_event(
        Event="DialBegin",
        Channel=f"PJSIP/caller-{caller}",
        Uniqueid=caller,
        Linkedid=caller,
        CallerIDNum="0881123456",
        DestChannel=f"PJSIP/{extension}-{operator}",
        DestUniqueid=operator,
        DestLinkedid=caller,
        DestExten=extension,
        Exten=extension,
    )


def dial_end(peer, extension, caller, operator, status):
    peer.send_event(
        Event="DialEnd",
        Channel=f"PJSIP/caller-{caller}",
        Uniqueid=caller,
        Linkedid=caller,
        DestChannel=f"PJSIP/{extension}-{operator}",
        DestUniqueid=operator,
        DestLinkedid=caller,
        DialStatus=status,
    )


def hangups(peer, extension, caller, operator, cause="16", text="Normal Clearing"):
    for channel, unique_id in ((f"caller-{caller}", caller), (f"{extension}-{operator}", operator)):
        peer.send_event(
            Event="Hangup",
            Channel=f"PJSIP/{channel}",
            Uniqueid=unique_id,
            Linkedid=caller,
            Cause=cause,
            **{"Cause-txt": text},
        )


def test_ring_and_caller_giving_up_in_one_burst_leave_a_missed_call(world):
    run, server, peer = world
    caller, operator = "1800000001.10", "1800000001.11"
    ring(peer, "203", caller, operator)
    dial_end(peer, "203", caller, operator, "CANCEL")
    hangups(peer, "203", caller, operator, "127", "Interworking, unspecified")
    call = wait_until(
        lambda: (lambda c: c if c and c["state"] == "missed" else None)(call_of(run, operator)),
        15,
        message="missed call",
    )
    assert (call["pbx_state"], call["dial_status"]) == ("failed", "CANCEL")
    assert call["answered_at"] is None and call["ended_at"] is not None
    assert len(pushes(run, AWAY, "smartcall_inbound/ringing", call["id"])) == 1
    closed = pushes(run, AWAY, "smartcall_inbound/closed", call["id"])
    assert len(closed) == 1 and closed[0]["missed"]
    assert closed[0]["partner_name"] == INBOUND_CUSTOMER
    client = RpcClient(server.url, DB).authenticate(AWAY, PASSWORD)
    assert client.call("smartcall.call", "smartcall_inbound_phone_bar_state")["state"] == (
        "available"
    )
    with pytest.raises(RpcError):
        client.call("smartcall.call", "action_accept_inbound", [call["id"]])


def test_operator_hanging_up_first_sends_one_hangup_and_ends_the_call_once(world):
    run, server, peer = world
    caller, operator = "1800000002.20", "1800000002.21"
    ring(peer, "202", caller, operator)
    dial_end(peer, "202", caller, operator, "ANSWER")
    answered = wait_until(
        lambda: (lambda c: c if c and c["pbx_state"] == "answered" else None)(
            call_of(run, operator)
        ),
        15,
        message="answered",
    )
    client = RpcClient(server.url, DB).authenticate(ANSWERING, PASSWORD)
    client.call("smartcall.call", "action_accept_inbound", [answered["id"]])
    time.sleep(1.1)  # a talk time of at least a second
    client.call("smartcall.call", "action_hangup_inbound", [answered["id"]])
    peer.wait_for(
        lambda: [a for a in peer.actions_named("Hangup") if a.get("Channel") == operator],
        message="the Hangup action",
    )
    hangup = [a for a in peer.actions_named("Hangup") if a.get("Channel") == operator][0]
    assert hangup["Cause"] == "16"
    ended = call_of(run, operator)
    assert ended["pbx_state"] == "ended" and ended["ended_at"] is not None
    # what Asterisk then reports: both legs hang up; then another call rings, whose call
    # shows that the client has handled the events before it (one connection, in order)
    hangups(peer, "202", caller, operator)
    ring(peer, "201", "1800000003.30", "1800000003.31")
    wait_until(lambda: call_of(run, "1800000003.31"), 15, message="the next ring")
    again = call_of(run, operator)
    assert (again["ended_at"], again["hangup_cause"], again["state"]) == (
        ended["ended_at"],
        ended["hangup_cause"],
        "draft",
    )
    assert again["talk_duration"] >= 1
    assert len([a for a in peer.actions_named("Hangup") if a.get("Channel") == operator]) == 1
    updates = pushes(run, ANSWERING, "smartcall_inbound/updated", answered["id"])
    assert len([u for u in updates if u["ended"]]) == 1, updates
