"""The console is pushed, not polled (issue 12, item 2), in Chromium against a real Odoo server.

pytest-odoo's tours cannot show it: their test cursor never commits, so Odoo's bus never sends
its NOTIFY. Here a real Odoo (threaded, as ``odoo`` runs by default) serves a copy of the crash
tests' template; an operator works the console in headless Chromium while this test acts as
their supervisor over JSON-RPC.

- The operator starts the automatic campaign with nothing queued: the console waits, live
  (no "Live updates off" banner, no polling).
- The websocket goes down (the browser's ``offline`` event stops Odoo's bus worker): the
  console says it checks for contacts every 15 s; back ``online``, it is live again.
- The supervisor builds the work plan, which queues the campaign's new contacts: the
  operator's console shows one of them in their hands within 10 s. While live the console does
  not poll (its fallback polls every 15 s), so only the bus push can bring it that soon.
"""

import logging
import time

import pytest

from .tooling import ADMIN, OPERATORS, PASSWORD, RpcClient, crash_run, fetch_one
from .tooling.browser import Browser, start_console
from .tooling.pytest_fixtures import load_registry  # noqa: F401 (no Odoo registry needed)

_logger = logging.getLogger(__name__)

DB = "sc_crash_push_browser"
CAMPAIGN = "Crash automatic"
OPERATOR = OPERATORS[0]


@pytest.fixture(scope="module")
def floor():
    run = crash_run()
    run.new_database(DB)
    # Nothing queued: the campaign's contacts are new, waiting for the next work plan, and
    # the campaign was checked against the Registro delle Opposizioni today.
    run.cluster.execute(
        "UPDATE smartcall_campaign_contact c SET state = 'new' FROM smartcall_campaign k"
        " WHERE k.id = c.campaign_id AND k.name = %s",
        (CAMPAIGN,),
        dbname=DB,
    )
    run.cluster.execute(
        "UPDATE smartcall_campaign SET registro_checked_on = current_date WHERE name = %s",
        (CAMPAIGN,),
        dbname=DB,
    )
    server = run.odoo.server(DB, name="push-browser").start()
    try:
        yield run, server
    finally:
        server.stop()
        run.cluster.drop_database(DB)


def test_the_idle_console_gets_the_work_plan_contact_pushed(floor):
    run, server = floor
    operator = RpcClient(server.url, DB).authenticate(OPERATOR, PASSWORD)
    supervisor = RpcClient(server.url, DB).authenticate(*ADMIN)
    with Browser(run.run_dir) as page:
        page.set_cookies(server.url, operator.http.cookies)
        start_console(page, server.url, CAMPAIGN)
        page.wait_for(
            "document.querySelector('.o_sc_console .o_sc_waiting')"
            " && !document.querySelector('.o_sc_polling')",
            30,
            "the idle console, live",
        )

        page.evaluate("window.dispatchEvent(new Event('offline'))")
        page.wait_text(".o_sc_polling", "every 15 s", 10, "the polling banner")
        page.evaluate("window.dispatchEvent(new Event('online'))")
        page.wait_for("!document.querySelector('.o_sc_polling')", 30, "the console live again")
        assert page.evaluate("!!document.querySelector('.o_sc_waiting')")
        # the live console waits for the push, it does not poll: give it time to settle
        time.sleep(2)
        assert page.evaluate("!document.querySelector('.o_sc_customer_name')")

        campaign_id = supervisor.call(
            "smartcall.campaign", "search", [("name", "=", CAMPAIGN)], limit=1
        )[0]
        supervisor.call("smartcall.campaign", "action_build_work_plan", [campaign_id])
        pushed_at = time.monotonic()
        name = page.wait_for(
            "(document.querySelector('.o_sc_customer_name') || {}).textContent",
            10,
            "the work plan's contact in the operator's console",
        )
        shown_after = time.monotonic() - pushed_at
        page.screenshot("console-push.png")
        assert page.page_errors() == []

    held = fetch_one(
        run.cluster,
        DB,
        "SELECT p.name FROM smartcall_operator_session s"
        " JOIN res_users u ON u.id = s.user_id"
        " JOIN smartcall_campaign_contact c ON c.id = s.current_contact_id"
        " JOIN res_partner p ON p.id = c.partner_id"
        " WHERE u.login = %s AND s.state != 'closed'",
        (OPERATOR,),
    )
    assert held and held["name"] in name, (held, name)
    _logger.info("work plan to contact on screen: %.2f s", shown_after)
