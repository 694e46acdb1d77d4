"""A tiny JSON-RPC client, as the web client talks to Odoo: a cookie session, call_kw."""

import itertools

import requests


class RpcError(Exception):
    """The server answered with a JSON-RPC error (``data`` holds Odoo's error details)."""

    def __init__(self, error):
        self.error = error
        self.data = error.get("data") or {}
        self.name = self.data.get("name", "")
        self.message = self.data.get("message") or error.get("message", "")
        super().__init__(f"{self.name}: {self.message}")


class RpcConnectionLost(Exception):
    """No JSON-RPC answer: the network failed, or the server answered something that is not
    JSON (e.g. its 404 page while the database is unreachable), or 502. The web client's
    rpc() raises ConnectionLostError in exactly these cases, and the operator console then
    shows its one line "Connection to the server lost, retrying..." (console_model.js)."""

    def __init__(self, message, status=None):
        self.status = status
        super().__init__(message)


class RpcClient:
    _ids = itertools.count(1)

    def __init__(self, base_url, db, timeout=30):
        self.base_url = base_url
        self.db = db
        self.timeout = timeout
        self.http = requests.Session()
        self.uid = None

    def _post(self, path, params, timeout=None):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": next(self._ids),
            "params": params,
        }
        try:
            response = self.http.post(
                self.base_url + path, json=payload, timeout=timeout or self.timeout
            )
        except requests.Timeout:
            raise
        except requests.ConnectionError as error:
            raise RpcConnectionLost(f"no answer from {self.base_url}: {error}") from error
        if response.status_code == 502:
            raise RpcConnectionLost("502 from the server", status=502)
        try:
            body = response.json()
        except ValueError as error:
            raise RpcConnectionLost(
                f"not a JSON-RPC answer (HTTP {response.status_code})",
                status=response.status_code,
            ) from error
        if body.get("error"):
            raise RpcError(body["error"])
        return body.get("result")

    def authenticate(self, login, password):
        result = self._post(
            "/web/session/authenticate",
            {"db": self.db, "login": login, "password": password},
        )
        self.uid = result["uid"]
        return self

    def call(self, model, method, *args, timeout=None, **kwargs):
        return self._post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            timeout=timeout,
        )

    def console(self, method, *args, timeout=None, **kwargs):
        """``orm.call("smartcall.console", method, args)`` as the OWL console does."""
        return self.call("smartcall.console", method, *args, timeout=timeout, **kwargs)

    def on(self, base_url):
        """The same login session (same cookie) talking to another server of the run."""
        other = RpcClient(base_url, self.db, self.timeout)
        other.http.cookies.update(self.http.cookies)
        other.uid = self.uid
        return other
