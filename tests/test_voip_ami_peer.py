"""The AMI client inside a real Odoo server, against a protocol-level AMI peer (issue 15).

A real Odoo server (tests/tooling) runs the PBX client as in production; the peer
(smartcall_voip/tests/ami_peer.py) is a TCP server on 127.0.0.1 speaking AMI. Operators
drive the console over JSON-RPC; the database is read with psycopg2. What a real PBX rarely
does on demand is done here: refused login, silence, malformed and truncated frames, a
drop mid-call, and two Odoo servers competing for the one AMI connection.
"""

import time

import pytest

from .tooling import RpcClient, fetch_all, fetch_one, wait_until
from .tooling.pytest_fixtures import load_registry  # noqa: F401 (no Odoo registry needed)
from .tooling.voip_session import OPERATORS, PASSWORD, load_ami_peer, voip_run

AmiPeer = load_ami_peer()

OP1 = OPERATORS[0][0]


class PbxScript:
    """Plays the PBX's side of the calls Odoo originates (events as Asterisk 22 sends)."""

    def __init__(self, peer):
        self.peer = peer
        self.peer.on_action = self.on_action
        self.counter = 0
        self.customer = {}  # originate ChannelId -> customer channel name

    def on_action(self, peer, action):
        if action.get("Action") != "Originate":
            return
        uid = action["ChannelId"]
        if action["Channel"].startswith("PJSIP/"):  # the operator's line: answered
            channel = f"{action['Channel']}-0000{self.counter:04d}"
            self.counter += 1
            peer.send_event(
                Event="Newchannel", Channel=channel, Uniqueid=uid, Linkedid=uid, ChannelState="0"
            )
            peer.send_event(
                Event="DialBegin", DestChannel=channel, DestUniqueid=uid, DestLinkedid=uid
            )
            peer.send_event(
                Event="Newstate",
                Channel=channel,
                Uniqueid=uid,
                Linkedid=uid,
                ChannelState="6",
                ChannelStateDesc="Up",
            )
            peer.send_event(
                Event="DialEnd",
                DestChannel=channel,
                DestUniqueid=uid,
                DestLinkedid=uid,
                DialStatus="ANSWER",
            )
            peer.send_event(
                Event="OriginateResponse",
                ActionID=action["ActionID"],
                Response="Success",
                Channel=channel,
                Uniqueid=uid,
                Reason="4",
            )
        else:  # a customer: the carrier starts ringing
            self.counter += 1
            local2 = f"{uid}-L2"
            customer = f"PJSIP/customers-0000{self.counter:04d}"
            self.customer[uid] = customer
            peer.send_event(
                Event="Newchannel", Channel=action["Channel"] + ";1", Uniqueid=uid, Linkedid=uid
            )
            peer.send_event(
                Event="DialBegin",
                Channel=action["Channel"] + ";2",
                Uniqueid=local2,
                Linkedid=uid,
                DestChannel=customer,
                DestUniqueid=f"cust-{self.counter}",
                DestLinkedid=uid,
            )

    def answer(self, uid):
        self.peer.send_event(
            Event="DialEnd",
            Uniqueid=f"{uid}-L2",
            Linkedid=uid,
            DestChannel=self.customer[uid],
            DestLinkedid=uid,
            DialStatus="ANSWER",
        )

    def hangup_customer(self, uid, cause="16", text="Normal Clearing"):
        self.peer.send_event(
            Event="Hangup",
            Channel=self.customer[uid],
            Uniqueid="cust",
            Linkedid=uid,
            Cause=cause,
            **{"Cause-txt": text},
        )
        self.peer.send_event(
            Event="Hangup",
            Channel="Local/x;1",
            Uniqueid=uid,
            Linkedid=uid,
            Cause="16",
            **{"Cause-txt": "Normal Clearing"},
        )


@pytest.fixture(scope="module")
def pbx_world():
    run = voip_run()
    peer = AmiPeer(secret="smartcall-secret").start()
    script = PbxScript(peer)
    db = run.new_database("sc_voip_peer", peer.port)
    server = run.server(db, name="peer").start()
    try:
        yield run, db, server, peer, script
    finally:
        server.stop()
        peer.stop()
        run.cluster.drop_database(db)


def sql(run, db, query, params=None):
    return fetch_all(run.cluster, db, query, params)


def one(run, db, query, params=None):
    return fetch_one(run.cluster, db, query, params)


def operator(server, db, login=OP1):
    return RpcClient(server.url, db).authenticate(login, PASSWORD)


def wait_connected(run, db, timeout=20):
    return wait_until(
        lambda: one(run, db, "SELECT * FROM smartcall_pbx WHERE connection_state = 'connected'"),
        timeout,
        message="the PBX connected",
    )


def test_client_logs_in_and_operator_line_opens(pbx_world):
    run, db, server, peer, _script = pbx_world
    pbx = wait_connected(run, db)
    assert pbx["connection_message"] == "Asterisk Call Manager/11.0.0"
    assert peer.actions_named("Login")[0]["Username"] == "smartcall"
    assert peer.actions_named("CoreShowChannels"), "reconciled after login"
    op = operator(server, db)
    state = op.console("start", run.campaign_id)
    assert state["voip"]["line"]["state"] in ("calling", "up")
    originate = (
        peer.wait_for(lambda: peer.actions_named("Originate"), message="line originate")
        and peer.actions_named("Originate")[0]
    )
    assert originate["Channel"] == "PJSIP/201"
    assert originate["Context"] == "smartcall-operator"
    line = wait_until(
        lambda: one(run, db, "SELECT * FROM smartcall_pbx_line WHERE state = 'up'"),
        10,
        message="line up",
    )
    assert originate["ChannelId"] == line["unique_id"]
    assert originate["Exten"] == line["room"]
    # Start again (after a pause): the softphone is not rung twice
    op.console("start", run.campaign_id)
    time.sleep(0.5)
    assert len(peer.actions_named("Originate")) == 1


def _pick_and_dial(run, db, op, name, kind="phone"):
    contact = one(
        run,
        db,
        "SELECT c.id, p.smartcall_phone_e164 AS phone_e164, p.smartcall_mobile_e164 AS mobile_e164"
        " FROM smartcall_campaign_contact c"
        " JOIN res_partner p ON p.id = c.partner_id WHERE p.name = %s",
        (name,),
    )
    op.console("pick_contact", contact["id"])
    number = contact["phone_e164"] if kind == "phone" else contact["mobile_e164"]
    return contact, number


def test_click_to_dial_answered_and_hung_up(pbx_world):
    run, db, server, peer, script = pbx_world
    op = operator(server, db)
    wait_until(lambda: one(run, db, "SELECT 1 FROM smartcall_pbx_line WHERE state = 'up'"), 10)
    before = len(peer.actions_named("Originate"))
    contact, number = _pick_and_dial(run, db, op, "Voip Customer 03")
    result = op.console("dial", contact["id"], number)
    assert result["mode"] == "pbx" and result["call"]["state"] == "dialing"
    peer.wait_for(
        lambda: len(peer.actions_named("Originate")) > before, message="customer originate"
    )
    originate = peer.actions_named("Originate")[-1]
    line = one(run, db, "SELECT * FROM smartcall_pbx_line WHERE state = 'up'")
    assert originate["Channel"] == "Local/0881550003@smartcall-out/n"
    assert originate["Application"] == "ConfBridge"
    assert originate["Data"].split(",")[0] == line["room"]
    uid = originate["ChannelId"]
    call = wait_until(
        lambda: one(
            run,
            db,
            "SELECT * FROM smartcall_call WHERE pbx_channel_id = %s AND pbx_state = 'ringing'",
            (uid,),
        ),
        5,
        message="ringing",
    )
    time.sleep(1.1)
    script.answer(uid)
    wait_until(
        lambda: one(
            run,
            db,
            "SELECT 1 FROM smartcall_call WHERE id = %s AND answered_at IS NOT NULL",
            (call["id"],),
        ),
        5,
    )
    # the console sees it: answered, talk time counted from the answer
    state = op.console("get_console_state")
    assert state["voip"]["call"]["state"] == "answered"
    op.console("send_dtmf", contact["id"], "12#")
    peer.wait_for(lambda: len(peer.actions_named("PlayDTMF")) == 3, message="DTMF")
    assert [a["Digit"] for a in peer.actions_named("PlayDTMF")] == ["1", "2", "#"]
    assert {a["Channel"] for a in peer.actions_named("PlayDTMF")} == {script.customer[uid]}
    time.sleep(1.1)
    op.console("hangup", contact["id"])
    peer.wait_for(lambda: peer.actions_named("Hangup"), message="hangup")
    assert peer.actions_named("Hangup")[-1]["Channel"] == script.customer[uid]
    script.hangup_customer(uid)
    done = wait_until(
        lambda: one(
            run,
            db,
            "SELECT * FROM smartcall_call WHERE id = %s AND pbx_state = 'ended'",
            (call["id"],),
        ),
        5,
    )
    assert done["hangup_cause"] == 16 and done["hangup_cause_text"] == "Normal Clearing"
    assert done["ring_duration"] >= 1 and done["talk_duration"] >= 1
    assert done["state"] == "draft", "the outcome page comes next"
    pushes = sql(
        run, db, "SELECT message FROM bus_bus WHERE message LIKE %s", ("%smartcall_voip/call%",)
    )
    assert any('"answered"' in p["message"] for p in pushes)
    assert any('"ended"' in p["message"] for p in pushes)
    # the operator's line stayed up
    assert (
        one(run, db, "SELECT state FROM smartcall_pbx_line WHERE id = %s", (line["id"],))["state"]
        == "up"
    )
    outcome = one(run, db, "SELECT id FROM smartcall_outcome WHERE code = 'NI'")
    op.console("confirm_outcome", contact["id"], {"outcome_id": outcome["id"], "notes": "ok"})


def test_inbound_ring_reaches_the_operator(pbx_world):
    run, db, _server, peer, _script = pbx_world
    wait_connected(run, db)
    peer.send_event(
        Event="DialBegin",
        Channel="PJSIP/customers-00000999",
        Uniqueid="1700000000.99",
        Linkedid="1700000000.99",
        CallerIDNum="0881123456",
        DestChannel="PJSIP/201-00000998",
        DestUniqueid="1700000000.100",
        DestLinkedid="1700000000.99",
        DestExten="201",
    )
    push = wait_until(
        lambda: one(
            run,
            db,
            "SELECT message FROM bus_bus WHERE message LIKE %s",
            ("%smartcall_voip/inbound_ring%",),
        ),
        5,
        message="inbound ring push",
    )
    assert "+390881123456" in push["message"]
    assert "1700000000.100" in push["message"]


def test_drop_mid_call_reconnects_and_closes_the_call(pbx_world):
    run, db, server, peer, script = pbx_world
    op = operator(server, db)
    wait_until(lambda: one(run, db, "SELECT 1 FROM smartcall_pbx_line WHERE state = 'up'"), 10)
    contact, number = _pick_and_dial(run, db, op, "Voip Customer 04")
    op.console("dial", contact["id"], number)
    peer.wait_for(
        lambda: peer.actions_named("Originate")[-1]["Channel"].startswith("Local/0881550004")
    )
    uid = peer.actions_named("Originate")[-1]["ChannelId"]
    script.answer(uid)
    call = wait_until(
        lambda: one(
            run,
            db,
            "SELECT * FROM smartcall_call WHERE pbx_channel_id = %s AND pbx_state = 'answered'",
            (uid,),
        ),
        5,
    )
    logins = peer.logins
    # the PBX goes away; when it is back, the customer's channel is gone, the line is still up
    line = one(run, db, "SELECT * FROM smartcall_pbx_line WHERE state = 'up'")
    peer.channels = [
        {
            "Channel": "PJSIP/201-00000001",
            "Uniqueid": line["unique_id"],
            "Linkedid": line["unique_id"],
            "ChannelState": "6",
        }
    ]
    slowest = 0.0
    peer.drop_clients()
    deadline = time.monotonic() + 15
    while peer.logins == logins and time.monotonic() < deadline:
        started = time.monotonic()
        op.console("heartbeat")
        slowest = max(slowest, time.monotonic() - started)
        time.sleep(0.1)
    assert peer.logins == logins + 1, "reconnected"
    closed = wait_until(
        lambda: one(
            run,
            db,
            "SELECT * FROM smartcall_call WHERE id = %s AND pbx_state = 'ended'",
            (call["id"],),
        ),
        10,
    )
    assert closed["ended_at"] is not None
    assert "not connected" in closed["hangup_cause_text"]
    assert (
        one(run, db, "SELECT state FROM smartcall_pbx_line WHERE id = %s", (line["id"],))["state"]
        == "up"
    )
    assert slowest < 1.0, f"Odoo answered in {slowest:.2f} s during the outage"
    # a late Hangup of the customer's leg does not record the call twice
    script.hangup_customer(uid)
    time.sleep(0.5)
    again = one(run, db, "SELECT * FROM smartcall_call WHERE id = %s", (call["id"],))
    assert again["ended_at"] == closed["ended_at"]
    assert len(sql(run, db, "SELECT id FROM smartcall_call WHERE pbx_channel_id = %s", (uid,))) == 1
    outcome = one(run, db, "SELECT id FROM smartcall_outcome WHERE code = 'NI'")
    op.console("confirm_outcome", contact["id"], {"outcome_id": outcome["id"], "notes": ""})


def test_line_drop_reported_and_called_back(pbx_world):
    run, db, server, peer, _script = pbx_world
    op = operator(server, db)
    line = wait_until(
        lambda: one(run, db, "SELECT * FROM smartcall_pbx_line WHERE state = 'up'"), 10
    )
    peer.send_event(
        Event="Hangup",
        Channel="PJSIP/201-00000001",
        Uniqueid=line["unique_id"],
        Linkedid=line["unique_id"],
        Cause="16",
        **{"Cause-txt": "Normal Clearing"},
    )
    wait_until(
        lambda: one(
            run,
            db,
            "SELECT 1 FROM smartcall_pbx_line WHERE id = %s AND state = 'down'",
            (line["id"],),
        ),
        5,
    )
    push = sql(
        run,
        db,
        "SELECT message FROM bus_bus WHERE message LIKE %s ORDER BY id DESC LIMIT 1",
        ("%smartcall_voip/line%",),
    )
    assert '"down"' in push[0]["message"]
    assert op.console("get_console_state")["voip"]["line"]["state"] == "down"
    count = len(peer.actions_named("Originate"))
    op.console("call_my_phone")
    peer.wait_for(lambda: len(peer.actions_named("Originate")) == count + 1)
    assert peer.actions_named("Originate")[-1]["Channel"] == "PJSIP/201"
    wait_until(lambda: one(run, db, "SELECT 1 FROM smartcall_pbx_line WHERE state = 'up'"), 5)


def test_logout_ends_the_line(pbx_world):
    run, db, server, peer, _script = pbx_world
    op = operator(server, db)
    line = wait_until(
        lambda: one(run, db, "SELECT * FROM smartcall_pbx_line WHERE state = 'up'"), 10
    )
    op.console("logout")
    peer.wait_for(
        lambda: any(a.get("Channel") == line["unique_id"] for a in peer.actions_named("Hangup"))
    )


def test_silent_and_broken_peer_reconnects(pbx_world):
    run, db, _server, peer, _script = pbx_world
    wait_connected(run, db)
    for breakage in ("silent", "malformed", "truncated"):
        logins = peer.logins
        if breakage == "silent":
            peer.silent_after_login = True  # pings go unanswered: keep-alive 1 s
            peer.wait_for(
                lambda n=logins: peer.logins > n, timeout=15, message="reconnect after silence"
            )
            peer.silent_after_login = False
            logins = peer.logins
            peer.drop_clients()
        elif breakage == "malformed":
            peer.send_raw(b"Event: Newchannel\r\nnot an ami line\r\n\r\n")
        else:
            peer.send_raw(b"Event: Hangup\r\nChannel: PJSIP/cust")
            peer.drop_clients()
        peer.wait_for(
            lambda n=logins: peer.logins > n, timeout=15, message=f"reconnect after {breakage}"
        )
        wait_connected(run, db)


def test_refused_login_retries_with_back_off(pbx_world):
    run, db, _server, peer, _script = pbx_world
    wait_connected(run, db)
    logins = peer.logins
    peer.secret = "changed"
    peer.drop_clients()
    pbx = wait_until(
        lambda: one(
            run,
            db,
            "SELECT * FROM smartcall_pbx WHERE connection_state = 'disconnected'"
            " AND connection_message LIKE %s",
            ("%refused the AMI login%",),
        ),
        10,
    )
    assert "Authentication failed" in pbx["connection_message"]
    time.sleep(4)
    attempts = peer.logins - logins
    assert 2 <= attempts <= 4, f"{attempts} logins in ~4 s: back-off 1, 2, 4... s"
    peer.secret = "smartcall-secret"
    wait_connected(run, db, timeout=20)


def test_one_client_across_two_servers(pbx_world):
    run, db, server, peer, _script = pbx_world
    wait_connected(run, db)
    holder = one(run, db, "SELECT connection_holder FROM smartcall_pbx")["connection_holder"]
    second = run.server(db, name="second").start()
    try:
        time.sleep(3)
        assert peer.client_count == 1, "the second server stands by"
        assert (
            one(run, db, "SELECT connection_holder FROM smartcall_pbx")["connection_holder"]
            == holder
        )
        server.kill()  # the holder dies: PostgreSQL frees its lock, the other takes over
        wait_until(
            lambda: one(
                run,
                db,
                "SELECT 1 FROM smartcall_pbx WHERE connection_state = 'connected'"
                " AND connection_holder != %s",
                (holder,),
            ),
            20,
            message="take-over",
        )
        time.sleep(1)
        assert peer.client_count == 1
    finally:
        second.stop()
        server.start()


def test_client_runs_in_a_prefork_worker_not_in_the_master():
    """Odoo as a floor runs it (``--workers``, ``-d``: the master loads the registry before
    forking): the AMI client runs in a worker, never in the master, whose database
    connections every fork would copy into a worker (two processes on one PostgreSQL session:
    "DISCARD ALL cannot run inside a transaction block", aborted transactions)."""
    run = voip_run()
    peer = AmiPeer(secret="smartcall-secret").start()
    db = run.new_database("sc_voip_prefork", peer.port)
    server = run.server(db, name="prefork", workers=2).start()
    try:
        wait_connected(run, db, timeout=30)
        holder = one(run, db, "SELECT connection_holder FROM smartcall_pbx")["connection_holder"]
        assert not holder.endswith(f":{server.proc.pid}"), f"the master {holder} holds the PBX"
        assert peer.client_count == 1
        # requests spread over the workers while the client's threads use the database
        op = operator(server, db)
        for _ in range(40):
            op.console("get_console_state")
        log = server.log_tail(chars=400_000)
        for broken in ("DISCARD ALL", "InFailedSqlTransaction", "closed the connection"):
            assert broken not in log, log[-3000:]
    finally:
        server.stop()
        peer.stop()
        run.cluster.drop_database(db)
