"""The bus in multi-process mode (issue 12, item 4): Odoo started with ``--workers`` keeps its
websocket (gevent) worker alive, and a message sent on the bus reaches a websocket client.

On a real Odoo server with 2 HTTP workers and the gevent worker (tests/tooling): an operator of
the automatic campaign logs in over HTTP, opens a websocket on the gevent port with their
session cookie (as the web client's bus worker does) and subscribes; the supervisor stops and
restarts the campaign over JSON-RPC. The operator's websocket receives the console push
``smartcall.console/queue`` (reason "campaign") for that campaign each time, and the gevent
worker never died (no respawn, no DistributionNotFound in the log).
"""

import json
import os
import re
import time

import pytest
import requests
import websocket

from .tooling import ADMIN, OPERATORS, PASSWORD, RpcClient, crash_run, fetch_one
from .tooling.odoo_server import ADDONS_PATH
from .tooling.pytest_fixtures import load_registry  # noqa: F401 (no Odoo registry needed)

DB = "sc_crash_ws"


@pytest.fixture(scope="module")
def floor():
    run = crash_run()
    run.new_database(DB)
    server = run.odoo.server(DB, name="workers", workers=2).start()
    try:
        yield run, server
    finally:
        server.stop()
        run.cluster.drop_database(DB)


def bus_version():
    """The websocket protocol version of the installed bus addon (an outdated client is
    disconnected), read from its source: the test process has no Odoo registry."""
    for path in ADDONS_PATH.split(","):
        source = os.path.join(path, "bus", "websocket.py")
        if os.path.isfile(source):
            with open(source, encoding="utf-8") as code:
                return re.search(r'_VERSION = "([^"]+)"', code.read()).group(1)
    raise RuntimeError("The bus addon was not found in the addons path.")


def open_websocket(server, rpc, last=0):
    """A websocket as the web client's bus worker opens it: session cookie, same origin, and
    the id of the last notification the client has (older ones are sent again)."""
    origin = f"http://127.0.0.1:{server.gevent_port}"
    cookie = "; ".join(f"{k}={v}" for k, v in rpc.http.cookies.items())
    ws = websocket.create_connection(
        f"{server.ws_url}?version={bus_version()}",
        header=[f"Cookie: {cookie}"],
        origin=origin,
        timeout=5,
    )
    ws.send(json.dumps({"event_name": "subscribe", "data": {"channels": [], "last": last}}))
    return ws


def receive(ws, notification_type, timeout):
    """The payloads of `notification_type` notifications received within `timeout` s, stopping
    at the first one."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ws.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            frame = ws.recv()
        except websocket.WebSocketTimeoutException:
            break
        for notification in json.loads(frame):
            message = notification["message"]
            if message["type"] == notification_type:
                return message["payload"]
    return None


def test_bus_message_reaches_websocket_client_with_workers(floor):
    run, server = floor
    # the gevent worker answers on its own port
    health = requests.get(f"http://127.0.0.1:{server.gevent_port}/websocket/health", timeout=10)
    assert health.status_code == 200
    assert health.json() == {"status": "pass"}

    campaign = fetch_one(
        run.cluster, DB, "SELECT id FROM smartcall_campaign WHERE mode = 'automatic'"
    )
    operator = RpcClient(server.url, DB).authenticate(OPERATORS[0], PASSWORD)
    admin = RpcClient(server.url, DB).authenticate(*ADMIN)
    ws = open_websocket(server, operator)
    try:
        # the subscription is handled asynchronously: let it land before sending
        time.sleep(1)
        for action in ("action_pause", "action_start"):
            admin.call("smartcall.campaign", action, [campaign["id"]])
            payload = receive(ws, "smartcall.console/queue", timeout=10)
            assert payload == {
                "campaign_id": campaign["id"],
                "reason": "campaign",
                "due_at": False,
            }, f"no console push after {action}"
    finally:
        ws.close()

    # a message for another user's campaign does not reach this operator: a campaign they
    # are not assigned to stays silent
    other = admin.call("smartcall.campaign", "create", {"name": "Not theirs", "mode": "automatic"})
    last = fetch_one(run.cluster, DB, "SELECT COALESCE(max(id), 0) AS id FROM bus_bus")["id"]
    ws = open_websocket(server, operator, last=last)
    try:
        time.sleep(1)
        admin.call("smartcall.campaign", "action_start", [other])
        assert receive(ws, "smartcall.console/queue", timeout=3) is None
    finally:
        ws.close()

    log = server.log_tail(chars=200_000)
    assert "DistributionNotFound" not in log, log[-3000:]
    # started once and never respawned
    assert log.count("Evented Service (longpolling) running") == 1, log[-3000:]
    assert server.alive
