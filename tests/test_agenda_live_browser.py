"""The operators' agendas are live (issue 14): a slot a colleague holds disappears from every
open agenda without a refresh, in Chromium against a real Odoo server.

A copy of the crash tests' template gets smartcall_agenda and a field agent serving the
province of the automatic campaign's customers. Two operators work the console in two
browsers; each has a customer in hand and the agent's agenda open on the same day. The
first registers the 10:00 appointment: the second operator's agenda loses 10:00 (and the
slots closer to it than the agent's spacing) through the bus, without pressing the agenda's
refresh button, while the slots further away stay.
"""

import logging
import time

import pytest

from .tooling import OPERATORS, PASSWORD, RpcClient, crash_run, fetch_all
from .tooling.browser import Browser, start_console
from .tooling.pytest_fixtures import load_registry  # noqa: F401 (no Odoo registry needed)

_logger = logging.getLogger(__name__)

DB = "sc_crash_agenda_browser"
CAMPAIGN = "Crash automatic"
AGENT = "Agente Live"

AGENDA_FIXTURES = f"""
env = env(context=dict(env.context, tracking_disable=True))
foggia = env["res.country.state"].search(
    [("country_id.code", "=", "IT"), ("code", "=", "FG")], limit=1
)
agent = env["res.users"].create({{
    "name": {AGENT!r}, "login": "sc_live_agent", "password": {PASSWORD!r},
    "tz": "Europe/Rome",
    "groups_id": [(6, 0, [env.ref("smartcall_campaign.group_field_agent").id])],
}})
agent.smartcall_agent_province_ids = foggia
campaign = env["smartcall.campaign"].search([("name", "=", {CAMPAIGN!r})])
campaign.contact_ids.partner_id.write(
    {{"state_id": foggia.id, "street": "Via Roma 1", "zip": "71121"}}
)
env.cr.commit()
print("AGENDA-OK", agent.id)
"""

# the next working day after the form's first allowed date, as the appointment tour does
NEXT_WORKING_DAY = """(() => {
    const input = document.querySelector(".o_sc_appt_date");
    const day = new Date(`${input.getAttribute("min")}T12:00:00Z`);
    do {
        day.setUTCDate(day.getUTCDate() + 1);
    } while ([0, 6].includes(day.getUTCDay()));
    input.value = day.toISOString().slice(0, 10);
    input.dispatchEvent(new Event("change", {bubbles: true}));
    return input.value;
})()"""


@pytest.fixture(scope="module")
def floor():
    run = crash_run()
    run.new_database(DB)
    try:
        run.odoo.run_once(DB, "-i", "smartcall_agenda", "--stop-after-init", "--log-level=warn")
        out = run.odoo.shell(DB, AGENDA_FIXTURES)
        assert "AGENDA-OK" in out, out[-3000:]
        server = run.odoo.server(DB, name="agenda-browser").start()
        try:
            yield run, server
        finally:
            server.stop()
    finally:
        run.cluster.drop_database(DB)


def open_agenda(page, server, login):
    operator = RpcClient(server.url, DB).authenticate(login, PASSWORD)
    page.set_cookies(server.url, operator.http.cookies)
    start_console(page, server.url, CAMPAIGN)
    page.wait_for(Browser.text_of(".o_sc_customer_name"), 30, f"{login}'s customer")
    page.click(".o_sc_appointment")
    page.wait_for("document.querySelector('.o_sc_appt_register')", 30, "the appointment form")
    page.select_label(".o_sc_appt_agent", AGENT)
    day = page.evaluate(NEXT_WORKING_DAY)
    page.wait_for(
        "document.querySelector(\".o_sc_appt_slot[data-time='10:00']\")", 30, "the 10:00 slot"
    )
    return day


def slots(page):
    return page.evaluate(
        "[...document.querySelectorAll('.o_sc_appt_slot')].map(s => s.dataset.time)"
    )


def test_a_slot_held_by_a_colleague_leaves_the_open_agenda(floor):
    run, server = floor
    with Browser(run.run_dir) as first, Browser(run.run_dir) as second:
        day = open_agenda(first, server, OPERATORS[0])
        assert open_agenda(second, server, OPERATORS[1]) == day
        before = slots(second)
        assert {"09:00", "09:30", "10:00", "10:30", "11:00"} <= set(before), before
        agenda_calls = len([u for u in second.requests_made() if "agenda" in u])

        first.click(".o_sc_appt_slot[data-time='10:00']")
        first.wait_for(
            "document.querySelector(\".o_sc_appt_slot.btn-primary[data-time='10:00']\")",
            10,
            "the 10:00 slot chosen",
        )
        first.click(".o_sc_appt_register")
        first.wait_for("document.querySelector('.o_sc_appointment_ok')", 30, "the booking")
        registered_at = time.monotonic()
        second.wait_for(
            "!document.querySelector(\".o_sc_appt_slot[data-time='10:00']\")",
            10,
            "10:00 gone from the colleague's agenda",
        )
        gone_after = time.monotonic() - registered_at
        after = slots(second)
        second.screenshot("agenda-live-slot-removed.png")
        assert first.page_errors() == [] and second.page_errors() == []

    # within the agent's spacing (60 minutes by default) of 10:00 nothing is offered
    assert not [t for t in after if "09:01" <= t <= "10:59"], after
    assert {"09:00", "11:00"} <= set(after), after
    # the agenda was read again because of the push, not because of the refresh button
    assert len([u for u in second.requests_made() if "agenda" in u]) > agenda_calls
    held = fetch_all(
        run.cluster,
        DB,
        "SELECT e.booking_state, u.login FROM calendar_event e"
        " JOIN res_users u ON u.id = e.booking_operator_id"
        " WHERE e.booking_state IS NOT NULL",
    )
    assert held == [{"booking_state": "held", "login": OPERATORS[0]}], held
    _logger.info("slot held to slot gone from the colleague's agenda: %.2f s", gone_after)
