"""Headless Chromium driven over the DevTools protocol, for browser tests against the real Odoo
servers that the tests start themselves (tests/tooling/odoo_server.py).

Odoo's own tours run inside pytest-odoo's HTTP server, where the test cursor never commits, so
Odoo's bus never sends its PostgreSQL NOTIFY and a page only gets bus notifications when its
websocket (re)subscribes. What an operator sees *pushed* (a contact queued by a supervisor, a
PBX event) is only proven on a real server: these tests open its pages in Chromium, act like the
user (clicks, form input) and read the page, while their own code acts as the other people
(a supervisor over JSON-RPC) or the PBX (a real Asterisk).

``Browser`` keeps every DevTools event it receives: the tests read page errors and, with
``WebAudio.enable``, the audio contexts a page creates (the console's "call closed" tone).
"""

import base64
import contextlib
import itertools
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time

import requests
import websocket

from .procs import RUNS_ROOT, kill_group, register_pid, unregister_pid

SCREENSHOTS_DIR = os.path.join(RUNS_ROOT, "screenshots")

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class BrowserError(AssertionError):
    """A page did not reach the expected state, or the browser failed."""


def find_chromium():
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    raise BrowserError(
        "No Chromium found on PATH: the browser tests need it (tools/run-tests.sh installs it)."
    )


class Browser:
    """One headless Chromium with one page, in its own process group; registered in `run_dir`
    (tests/tooling/procs.py) so that a run killed before its teardown does not leave it behind.
    Screenshots go to `SCREENSHOTS_DIR`, kept after the run."""

    def __init__(self, run_dir, width=1366, height=900):
        self.run_dir = run_dir
        self.profile = tempfile.mkdtemp(prefix="sc-chromium-")
        self.artifacts_dir = SCREENSHOTS_DIR
        self.events = []
        self._responses = {}
        self._ids = itertools.count(1)
        self._cond = threading.Condition()
        self.proc = subprocess.Popen(
            [
                find_chromium(),
                "--headless=new",
                "--no-sandbox",  # the tests run as root
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--autoplay-policy=no-user-gesture-required",
                "--remote-debugging-port=0",
                "--remote-allow-origins=*",
                f"--user-data-dir={self.profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(self.profile, "chromium.log"), "w"),  # noqa: SIM115
            start_new_session=True,
        )
        register_pid(run_dir, self.proc.pid)
        try:
            self._connect(width, height)
        except BaseException:
            self.close()
            raise

    def _connect(self, width, height):
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.monotonic() + 30
        while not os.path.exists(port_file):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise BrowserError(f"Chromium did not start:\n{self._log_tail()}")
            time.sleep(0.1)
        time.sleep(0.1)  # the file is written in two steps
        with open(port_file, encoding="ascii") as handle:
            port = int(handle.readline())
        targets = requests.get(f"http://127.0.0.1:{port}/json/list", timeout=10).json()
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30)
        self._reader = threading.Thread(target=self._read, name="chromium-devtools", daemon=True)
        self._reader.start()
        for domain in ("Page", "Runtime", "Network"):
            self.send(f"{domain}.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def _read(self):
        while True:
            try:
                message = json.loads(self.ws.recv())
            except Exception:  # the browser is closed: no more messages
                with self._cond:
                    self._responses[None] = {"error": {"message": "browser closed"}}
                    self._cond.notify_all()
                return
            with self._cond:
                if "id" in message:
                    self._responses[message["id"]] = message
                else:
                    self.events.append(message)
                self._cond.notify_all()

    def _log_tail(self):
        try:
            with open(os.path.join(self.profile, "chromium.log"), encoding="utf-8") as log:
                return log.read()[-3000:]
        except OSError:
            return "(no log)"

    def send(self, method, timeout=60, **params):
        """A DevTools command; its result, or BrowserError."""
        request_id = next(self._ids)
        self.ws.send(json.dumps({"id": request_id, "method": method, "params": params}))
        deadline = time.monotonic() + timeout
        with self._cond:
            while request_id not in self._responses:
                if None in self._responses:
                    raise BrowserError(f"{method}: the browser is closed")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise BrowserError(f"{method}: no answer from Chromium in {timeout} s")
                self._cond.wait(remaining)
            response = self._responses.pop(request_id)
        if "error" in response:
            raise BrowserError(f"{method}: {response['error']}")
        return response.get("result", {})

    def set_cookies(self, url, cookies):
        """The cookies of a `requests` session (e.g. an authenticated RpcClient's), for `url`."""
        for cookie in cookies:
            self.send("Network.setCookie", name=cookie.name, value=cookie.value, url=url)

    def goto(self, url, timeout=120):
        self.send("Page.navigate", url=url)
        self.wait_for("document.readyState === 'complete'", timeout, f"the page {url} loaded")

    def evaluate(self, expression):
        """The value of a JavaScript expression in the page (promises are awaited)."""
        result = self.send(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError(f"JavaScript error in {expression!r}: {text}")
        return result["result"].get("value")

    def wait_for(self, expression, timeout, message):
        """Poll `expression` every 100 ms until it is truthy; its value. On a time-out, a
        screenshot is saved and BrowserError names what was awaited and the page's errors."""
        deadline = time.monotonic() + timeout
        # an element found counts as true (by value, Chromium would send it as {})
        probe = f"(v => v instanceof Node ? true : v)({expression})"
        while True:
            value = self.evaluate(probe)
            if value:
                return value
            if time.monotonic() > deadline:
                shot = self.screenshot(f"timeout-{time.time_ns()}.png")
                raise BrowserError(
                    f"Waited {timeout} s for {message} ({expression}).\n"
                    f"Screenshot: {shot}\nPage errors: {self.page_errors()}\n"
                    f"Last requests: {self.requests_made()[-12:]}"
                )
            time.sleep(0.1)

    @staticmethod
    def text_of(selector):
        """A JavaScript expression: the text of the first element matching `selector`, or ''."""
        return f"((document.querySelector({json.dumps(selector)}) || {{}}).textContent || '')"

    def wait_text(self, selector, text, timeout, message=None):
        """Wait until an element matching `selector` shows `text`; its whole text."""
        return self.wait_for(
            f"[...document.querySelectorAll({json.dumps(selector)})]"
            f".map(e => e.textContent).find(t => t.includes({json.dumps(text)}))",
            timeout,
            message or f"{selector} showing {text!r}",
        )

    def click(self, selector, timeout=30):
        """Wait for an enabled element matching `selector` and click it as a user would."""
        self.wait_for(
            f"(e => e && !e.disabled)(document.querySelector({json.dumps(selector)}))",
            timeout,
            f"{selector} to click",
        )
        self.evaluate(f"document.querySelector({json.dumps(selector)}).click()")

    def select_label(self, selector, label, timeout=30):
        """Choose the option whose label starts with `label` in the <select> matching
        `selector` (a console's campaign option also shows its queue, "Name (12)")."""
        self.wait_for(
            f"[...(document.querySelector({json.dumps(selector)}) || {{options: []}}).options]"
            f".some(o => o.textContent.trim().startsWith({json.dumps(label)}))",
            timeout,
            f"option {label!r} in {selector}",
        )
        self.evaluate(
            f"""(() => {{
                const select = document.querySelector({json.dumps(selector)});
                const option = [...select.options].find(
                    o => o.textContent.trim().startsWith({json.dumps(label)}));
                select.value = option.value;
                select.dispatchEvent(new Event("input", {{bubbles: true}}));
                select.dispatchEvent(new Event("change", {{bubbles: true}}));
            }})()"""
        )

    def event_params(self, method):
        with self._cond:
            return [event.get("params", {}) for event in self.events if event["method"] == method]

    def page_errors(self):
        """Uncaught exceptions and console errors the page reported so far."""
        errors = [
            e.get("exceptionDetails", {}).get("exception", {}).get("description", "")
            for e in self.event_params("Runtime.exceptionThrown")
        ]
        errors += [
            " ".join(str(arg.get("value", arg.get("description", ""))) for arg in e["args"])
            for e in self.event_params("Runtime.consoleAPICalled")
            if e.get("type") == "error"
        ]
        return errors

    def requests_made(self):
        """The URLs the page requested so far, in order, with the JSON-RPC method names."""
        return [
            e["request"]["url"].split("/", 3)[-1]
            for e in self.event_params("Network.requestWillBeSent")
            if "/web/dataset/call_kw" in e["request"]["url"] or "/websocket" in e["request"]["url"]
        ]

    def screenshot(self, name):
        """A PNG of the page in the artifacts folder; its path."""
        os.makedirs(self.artifacts_dir, exist_ok=True)
        path = os.path.join(self.artifacts_dir, name)
        data = self.send("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as image:
            image.write(base64.b64decode(data))
        return path

    def close(self):
        ws = getattr(self, "ws", None)
        if ws is not None:
            with contextlib.suppress(OSError):  # the browser already went away
                ws.close()
        if self.proc.poll() is None:
            kill_group(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)
        unregister_pid(self.run_dir, self.proc.pid)
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def start_console(page, server_url, campaign):
    """Open the operator console of the page's user, choose `campaign` and press Start.

    The console ignores Start while it is busy: its first bus connection refreshes the state
    just after the page loads, and for those few milliseconds the button is disabled. A click
    that lands then is lost, as it would be for a person, who clicks again: so does this, at
    most three times, each after the previous one had 5 s to start the session."""
    page.goto(f"{server_url}/odoo/smartcall_operator_console")
    page.wait_for("document.querySelector('.o_sc_console .o_sc_welcome')", 180, "the console")
    page.select_label(".o_sc_campaign_select", campaign)
    started = "!document.querySelector('.o_sc_topbar .o_sc_start')"
    for attempt in range(3):
        page.click(".o_sc_topbar .o_sc_start")
        try:
            return page.wait_for(started, 5, "the session started")
        except BrowserError:
            if attempt == 2:
                raise
    return None
