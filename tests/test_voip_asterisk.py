"""The whole VoIP path against a real Asterisk 22 and sipp user agents (issue 15).

Collected only when Asterisk and sipp are installed (see conftest.py: otherwise one line
says why these tests did not run). A real Odoo server runs the PBX client; the rig
(tests/tooling/asterisk_rig.py) runs Asterisk with its own configuration on free loopback
ports, two operators' softphones and a carrier; operators drive the console over
JSON-RPC; the database is read with psycopg2 and the carrier's SIP trace is read from sipp.
"""

import contextlib
import time

import pytest

from .tooling import RpcClient, RpcError, fetch_all, fetch_one, wait_until
from .tooling.asterisk_rig import AMI_SECRET, CARRIERS, AsteriskRig
from .tooling.browser import Browser, start_console
from .tooling.pytest_fixtures import load_registry  # noqa: F401 (no Odoo registry needed)
from .tooling.voip_session import OPERATORS, PASSWORD, voip_run

DB = "sc_voip_asterisk"
OP1, OP2 = OPERATORS[0][0], OPERATORS[1][0]


@pytest.fixture(scope="module")
def world():
    run = voip_run()
    rig = AsteriskRig()
    try:
        rig.start()
        run.new_database(DB, rig.ami_port, AMI_SECRET)
        server = run.server(DB, name="asterisk").start()
        try:
            yield run, rig, server
        finally:
            server.stop()
            run.cluster.drop_database(DB)
    finally:
        rig.cleanup()


@pytest.fixture(autouse=True)
def released(world):
    """Each test leaves no call or held contact behind, even when it fails: the module's
    one server and PBX are shared, so a held contact would fail the next test."""
    yield
    run, _rig, server = world
    held = rows(
        run,
        "SELECT u.login, s.current_contact_id FROM smartcall_operator_session s"
        " JOIN res_users u ON u.id = s.user_id"
        " WHERE s.state IN ('in_call', 'wrap_up') AND s.current_contact_id IS NOT NULL",
    )
    for row in held:
        op = login(server, row["login"])
        cid = row["current_contact_id"]
        with contextlib.suppress(RpcError):  # no call in progress
            op.console("hangup", cid)
        with contextlib.suppress(AssertionError):
            wait_call(run, cid, lambda c: c["pbx_state"] in ("ended", "failed"), timeout=20)
        with contextlib.suppress(RpcError):
            op.console("confirm_outcome", cid, {"outcome_id": outcome_id(run, "NI"), "notes": ""})


def one(run, query, params=None):
    return fetch_one(run.cluster, DB, query, params)


def rows(run, query, params=None):
    return fetch_all(run.cluster, DB, query, params)


def login(server, user=OP1):
    return RpcClient(server.url, DB).authenticate(user, PASSWORD)


def contact(run, name):
    return one(
        run,
        "SELECT c.id, p.smartcall_phone_e164 AS phone_e164, p.smartcall_mobile_e164 AS mobile_e164"
        " FROM smartcall_campaign_contact c"
        " JOIN res_partner p ON p.id = c.partner_id WHERE p.name = %s",
        (name,),
    )


def call_of(run, contact_id):
    return one(
        run,
        "SELECT * FROM smartcall_call WHERE contact_id = %s ORDER BY id DESC LIMIT 1",
        (contact_id,),
    )


def wait_call(run, contact_id, condition, timeout=20, message="call state"):
    return wait_until(
        lambda: (lambda c: c if c and condition(c) else None)(call_of(run, contact_id)),
        timeout,
        message=message,
    )


def outcome_id(run, code):
    return one(run, "SELECT id FROM smartcall_outcome WHERE code = %s", (code,))["id"]


def line_up(run, user=OP1):
    return wait_until(
        lambda: one(
            run,
            "SELECT l.* FROM smartcall_pbx_line l JOIN res_users u ON u.id = l.user_id"
            " WHERE u.login = %s AND l.state = 'up'",
            (user,),
        ),
        20,
        message=f"{user}'s line up",
    )


def test_start_rings_the_softphone_once(world):
    run, rig, server = world
    wait_until(
        lambda: one(run, "SELECT 1 FROM smartcall_pbx WHERE connection_state = 'connected'"), 30
    )
    op = login(server)
    op.console("start", run.campaign_id)
    line = line_up(run)
    assert line["answered_at"] is not None
    assert rig.invites_to("201") == 1
    op.console("start", run.campaign_id)
    time.sleep(1)
    assert rig.invites_to("201") == 1, "Start again: no second ring"


def test_click_to_dial_answer_dtmf_hangup(world):
    run, rig, server = world
    op = login(server)
    line = line_up(run)
    target = contact(run, "Voip Customer 03")
    op.console("pick_contact", target["id"])
    op.console("dial", target["id"], target["phone_e164"])
    call = wait_call(run, target["id"], lambda c: c["pbx_state"] == "answered", message="answered")
    assert "INVITE sip:0881550003@" in rig.sip_trace("carrier")
    op.console("send_dtmf", target["id"], "5")
    wait_until(lambda: "Signal=5" in rig.sip_trace("carrier"), 10, message="DTMF at the carrier")
    time.sleep(1.2)
    op.console("hangup", target["id"])
    done = wait_call(run, target["id"], lambda c: c["pbx_state"] == "ended", message="ended")
    assert done["hangup_cause"] == 16, done
    assert done["ring_duration"] >= 1  # the carrier rings 1.5 s
    assert done["talk_duration"] >= 1
    assert done["answered_at"] >= done["dialed_at"]
    wait_until(lambda: "BYE sip:" in rig.sip_trace("carrier"), 10, message="BYE to the carrier")
    assert (
        one(run, "SELECT state FROM smartcall_pbx_line WHERE id = %s", (line["id"],))["state"]
        == "up"
    )
    assert call["id"] == done["id"]
    op.console("confirm_outcome", target["id"], {"outcome_id": outcome_id(run, "NI"), "notes": ""})


def test_several_customer_calls_on_one_line(world):
    run, rig, server = world
    op = login(server)
    line = line_up(run)
    invites = rig.invites_to("201")
    for name in ("Voip Customer 04", "Voip Customer 05"):
        target = contact(run, name)
        op.console("pick_contact", target["id"])
        op.console("dial", target["id"], target["phone_e164"])
        wait_call(run, target["id"], lambda c: c["pbx_state"] == "answered")
        op.console("hangup", target["id"])
        wait_call(run, target["id"], lambda c: c["pbx_state"] == "ended")
        op.console(
            "confirm_outcome", target["id"], {"outcome_id": outcome_id(run, "NI"), "notes": ""}
        )
    assert rig.invites_to("201") == invites, "the softphone was not rung again"
    assert line_up(run)["id"] == line["id"]


def test_recall_fixed_and_mobile_dial_the_right_numbers(world):
    run, rig, server = world
    op = login(server)
    line_up(run)
    target = contact(run, "Voip Customer 01")
    op.console("pick_contact", target["id"])
    for number, dialled in (
        (target["phone_e164"], "0881550001"),
        (target["mobile_e164"], "3335500001"),
    ):
        op.console("dial", target["id"], number)
        wait_call(
            run, target["id"], lambda c, n=number: c["pbx_state"] == "answered" and c["number"] == n
        )
        assert f"INVITE sip:{dialled}@" in rig.sip_trace("carrier")
        op.console("hangup", target["id"])
        wait_call(run, target["id"], lambda c: c["pbx_state"] == "ended")
    op.console("confirm_outcome", target["id"], {"outcome_id": outcome_id(run, "NI"), "notes": ""})


def test_do_not_call_number_is_refused_and_the_carrier_sees_no_invite(world):
    """A number that entered the do-not-call list while the operator held its contact
    (picking a contact already checks the list, so this is how a dial meets one): Richiama
    fisso is refused with the do-not-call message, nothing is originated, and no carrier ever
    sees an INVITE for it; the mobile the customer gives is still dialled."""
    run, rig, server = world
    admin = RpcClient(server.url, DB).authenticate("admin", "admin")
    op = login(server)
    line_up(run)
    target = contact(run, "Voip Customer 07")
    op.console("pick_contact", target["id"])
    admin.call("phone.blacklist", "create", {"number": target["phone_e164"]})
    with pytest.raises(RpcError) as refused:
        op.console("dial", target["id"], target["phone_e164"])
    assert refused.value.name == "odoo.exceptions.UserError", refused.value
    assert "is in the do-not-call list: it cannot be dialled." in refused.value.message
    assert "550007" in refused.value.message
    attempt = call_of(run, target["id"])
    assert (attempt["pbx_state"], attempt["pbx_channel_id"], attempt["dial_count"]) == (
        None,
        None,
        0,
    ), "nothing was originated"
    # Richiama mobile: the customer gives a mobile, which the PBX dials; its INVITE shows
    # the carrier's trace is live, and the PBX's client sends its actions in order, so an
    # Originate of the landline queued by the refused dial would have reached it first.
    op.console("add_mobile", target["id"], "+39 333 550 0077")
    mobile = contact(run, "Voip Customer 07")["mobile_e164"]
    op.console("dial", target["id"], mobile)
    wait_call(run, target["id"], lambda c: c["pbx_state"] == "answered", message="answered")
    assert "INVITE sip:3335500077@" in rig.sip_trace("carrier")
    for carrier in CARRIERS:
        assert "INVITE sip:0881550007@" not in rig.sip_trace(carrier), carrier
    op.console("hangup", target["id"])
    done = wait_call(run, target["id"], lambda c: c["pbx_state"] == "ended", message="ended")
    assert (done["id"], done["number"], done["dial_count"]) == (attempt["id"], mobile, 1)
    op.console("confirm_outcome", target["id"], {"outcome_id": outcome_id(run, "NI"), "notes": ""})


@pytest.mark.parametrize(
    "name,carrier,state,cause",
    [
        ("Voip Busy", "carrier-busy", "failed", 17),
        ("Voip Invalid", "carrier-404", "failed", 1),
    ],
)
def test_busy_and_invalid_numbers(world, name, carrier, state, cause):
    run, rig, server = world
    op = login(server)
    line_up(run)
    target = contact(run, name)
    op.console("pick_contact", target["id"])
    op.console("dial", target["id"], target["phone_e164"])
    done = wait_call(run, target["id"], lambda c: c["pbx_state"] == state, message=state)
    assert rig.invites_to(carrier) >= 1
    assert done["hangup_cause"] == cause, done
    assert done["answered_at"] is None and done["talk_duration"] == 0
    op.console("confirm_outcome", target["id"], {"outcome_id": outcome_id(run, "NI"), "notes": ""})


def test_no_answer_times_out(world):
    run, rig, server = world
    admin = RpcClient(server.url, DB).authenticate("admin", "admin")
    op = login(server)
    line_up(run)
    target = contact(run, "Voip NoAnswer")
    op.console("pick_contact", target["id"])
    op.console("dial", target["id"], target["phone_e164"])
    done = wait_call(
        run, target["id"], lambda c: c["pbx_state"] == "failed", timeout=40, message="no answer"
    )
    assert done["answered_at"] is None
    assert done["ring_duration"] >= 15
    assert "CANCEL sip:" in rig.sip_trace("carrier-noanswer")
    assert admin  # the admin session is only proof the server answered during the ring
    op.console("confirm_outcome", target["id"], {"outcome_id": outcome_id(run, "NI"), "notes": ""})


def test_inbound_call_to_an_operator_reaches_odoo(world):
    run, rig, server = world
    proc = rig.inbound_call("202", talk_ms=1000)
    push = wait_until(
        lambda: one(
            run,
            "SELECT message FROM bus_bus WHERE message LIKE %s",
            ("%smartcall_voip/inbound_ring%",),
        ),
        20,
        message="inbound ring",
    )
    assert "+390881123456" in push["message"]
    partner = one(run, "SELECT partner_id FROM res_users WHERE login = %s", (OP2,))["partner_id"]
    channel_row = one(
        run, "SELECT channel FROM bus_bus WHERE message LIKE %s", ("%smartcall_voip/inbound_ring%",)
    )
    assert (
        f'"res.partner", {partner}' in channel_row["channel"]
        or str(partner) in channel_row["channel"]
    )
    proc.wait(timeout=30)


def test_asterisk_restarted_mid_call(world):
    run, rig, server = world
    op = login(server)
    line_up(run)
    target = contact(run, "Voip Customer 06")
    op.console("pick_contact", target["id"])
    op.console("dial", target["id"], target["phone_e164"])
    call = wait_call(run, target["id"], lambda c: c["pbx_state"] == "answered")
    slowest = 0.0
    rig.stop_asterisk()
    wait_until(
        lambda: one(run, "SELECT 1 FROM smartcall_pbx WHERE connection_state = 'disconnected'"), 20
    )
    for _ in range(10):
        started = time.monotonic()
        op.console("get_console_state")
        slowest = max(slowest, time.monotonic() - started)
        time.sleep(0.2)
    rig.start_asterisk()
    wait_until(
        lambda: one(run, "SELECT 1 FROM smartcall_pbx WHERE connection_state = 'connected'"),
        60,
        message="reconnected",
    )
    done = wait_call(
        run, target["id"], lambda c: c["pbx_state"] in ("ended", "failed"), message="final state"
    )
    assert done["ended_at"] is not None and done["id"] == call["id"]
    assert (
        len(
            rows(
                run,
                "SELECT id FROM smartcall_call WHERE pbx_channel_id = %s",
                (call["pbx_channel_id"],),
            )
        )
        == 1
    )
    assert slowest < 1.0, f"Odoo answered in {slowest:.2f} s while Asterisk was down"
    # the operator's line was lost with Asterisk: the console says so and calls it back
    wait_until(lambda: op.console("get_console_state")["voip"]["line"]["state"] == "down", 10)
    op.console("call_my_phone")
    line_up(run)
    op.console("confirm_outcome", target["id"], {"outcome_id": outcome_id(run, "NI"), "notes": ""})


def test_logout_hangs_up_the_softphone(world):
    run, rig, server = world
    op = login(server)
    line = line_up(run)
    byes = rig.sip_trace("201").count("BYE sip:")
    op.console("logout")
    wait_until(
        lambda: one(
            run, "SELECT 1 FROM smartcall_pbx_line WHERE id = %s AND state = 'down'", (line["id"],)
        ),
        10,
    )
    # sipp's Contact carries no user part: Asterisk sends "BYE sip:127.0.0.1:<port>"
    wait_until(
        lambda: rig.sip_trace("201").count("BYE sip:") > byes, 10, message="BYE to the softphone"
    )


def test_console_voip_panel_in_the_browser(world):
    """The operator's VoIP panel in Chromium (the server pushes every PBX event over the bus):
    Start rings their softphone and the panel shows the line connected; a customer who rings
    for 6 s is shown ringing, then in call with the talk timer counted from the answer; Hang up
    closes the customer's leg, the panel says so and the console plays its tone (a Web Audio
    context, seen through DevTools); when the PBX drops the operator's line the console says so
    at once and "Call my phone" rings the softphone again."""
    run, rig, server = world
    wait_until(
        lambda: one(run, "SELECT 1 FROM smartcall_pbx WHERE connection_state = 'connected'"), 30
    )
    admin = RpcClient(server.url, DB).authenticate("admin", "admin")
    slow = "Voip Customer 12"
    partner_id = admin.call("res.partner", "search", [("name", "=", slow)], limit=1)[0]
    admin.call("res.partner", "write", [partner_id], {"phone": "+39 0881 409001"})
    op = login(server, OP2)
    with Browser(run.run_dir) as page:
        page.send("WebAudio.enable")
        page.set_cookies(server.url, op.http.cookies)
        start_console(page, server.url, "Voip manual")
        page.wait_text(".o_sc_voip_line_up .o_sc_voip_line", "Phone line connected", 30)
        assert rig.invites_to("202") >= 1

        page.wait_for("document.querySelector('.o_sc_picker_search')", 30, "the contact list")
        page.evaluate(
            "(s => { s.value = 'Voip Customer 12'; s.dispatchEvent(new Event('input')); })"
            "(document.querySelector('.o_sc_picker_search'))"
        )
        page.wait_text(".o_sc_picker_row", slow, 10)
        page.evaluate(
            "[...document.querySelectorAll('.o_sc_picker_row')]"
            ".find(r => r.textContent.includes('Voip Customer 12')).click()"
        )
        page.wait_text(".o_sc_customer_name", slow, 20)
        page.click(".o_sc_numbers .o_sc_dial")
        page.wait_text(".o_sc_voip_call_ringing", "Ringing", 10)
        answered = page.wait_text(".o_sc_voip_call_answered", "In call", 20)
        minutes, seconds = map(int, answered.split()[-1].split(":"))
        target = contact(run, slow)
        call = wait_call(run, target["id"], lambda c: c["answered_at"] is not None)
        ring = (call["answered_at"] - call["dialed_at"]).total_seconds()
        assert ring >= 5, call
        # counted from the dial it would show the 6 s of ring at least
        assert minutes * 60 + seconds < ring - 2, (answered, ring)
        # the timer runs: wait until it shows 3 s of talk at least (and more than at first),
        # so that the call has talked for over a second when it is hung up
        talk_shown = minutes * 60 + seconds
        page.wait_for(
            "(m => m && +m[1] * 60 + +m[2] >= "
            f"{max(talk_shown + 1, 3)})(/In call (\\d+):(\\d+)$/.exec("
            f"{Browser.text_of('.o_sc_voip_call_answered')}.trim()))",
            10,
            "the talk timer running",
        )
        assert page.event_params("WebAudio.contextCreated") == []

        page.click(".o_sc_hangup")
        page.wait_text(".o_sc_voip_call_ended", "Call closed after", 20)
        tones = wait_until(
            lambda: page.event_params("WebAudio.contextCreated"), 5, message="the closing tone"
        )
        assert len(tones) == 1, tones
        done = wait_call(run, target["id"], lambda c: c["pbx_state"] == "ended")
        assert done["talk_duration"] >= 1 and done["ring_duration"] >= 5, done

        line = line_up(run, OP2)
        channels = rig.asterisk_cmd("core show channels concise").stdout
        own = next(c.split("!")[0] for c in channels.splitlines() if c.startswith("PJSIP/202-"))
        rig.asterisk_cmd(f"channel request hangup {own}")
        page.wait_text(".o_sc_voip_line_down .o_sc_voip_line", "Phone line closed", 10)
        page.wait_text(".o_notification", "Your phone line was closed", 10)
        page.screenshot("voip-line-dropped.png")
        page.click(".o_sc_voip_call_me")
        page.wait_text(".o_sc_voip_line_up .o_sc_voip_line", "Phone line connected", 30)
        assert line_up(run, OP2)["answered_at"] > line["answered_at"]
        assert page.page_errors() == []
    op.console("confirm_outcome", target["id"], {"outcome_id": outcome_id(run, "NI"), "notes": ""})
