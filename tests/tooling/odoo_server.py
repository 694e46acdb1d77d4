"""Real ``odoo`` processes on the throwaway cluster: one-shot commands and HTTP servers."""

import logging
import os
import signal
import subprocess
import sys
import time

import requests

from .procs import free_port, kill_group, pid_alive, register_pid, run, unregister_pid

_logger = logging.getLogger(__name__)

HTTP_PORTS = range(8090, 8100)
GEVENT_PORTS = range(8290, 8300)
ADDONS_PATH = ",".join(
    (
        os.path.join(os.path.dirname(os.path.dirname(__import__("odoo").__file__)), "addons"),
        os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    )
)
# Variables that would point a child Odoo at another config or database.
_SCRUBBED_ENV = (
    "ODOO_RC",
    "OPENERP_SERVER",
    "PGHOST",
    "PGPORT",
    "PGUSER",
    "PGDATABASE",
    "PGPASSWORD",
)


def odoo_launcher():
    """How to start Odoo: its ``odoo-bin`` (or the ``odoo`` script beside this Python), run by
    this Python. Not ``python -m odoo``: with ``--workers``, Odoo starts its websocket (gevent)
    worker as ``<python> <argv[0]> gevent``, and under ``-m`` argv[0] is odoo/__main__.py,
    which cannot run as a script (the worker dies at start, for ever)."""
    import odoo

    for script in (
        os.path.join(os.path.dirname(odoo.__path__[0]), "odoo-bin"),
        os.path.join(os.path.dirname(sys.executable), "odoo"),
    ):
        if os.path.isfile(script):
            return [sys.executable, script]
    return [sys.executable, "-m", "odoo"]


class OdooError(RuntimeError):
    pass


class OdooEnv:
    """What every Odoo process of a run shares: the cluster, the data dir (filestore and HTTP
    sessions: a session cookie is valid on every server of the run) and a config file."""

    def __init__(self, cluster, run_dir):
        self.cluster = cluster
        self.run_dir = run_dir
        self.data_dir = os.path.join(run_dir, "odoo-data")
        self.log_dir = os.path.join(run_dir, "logs")
        os.makedirs(self.data_dir, exist_ok=True)
        os.makedirs(self.log_dir, exist_ok=True)
        self.config_file = os.path.join(run_dir, "odoo.conf")
        with open(self.config_file, "w", encoding="utf-8") as conf:
            conf.write(
                "[options]\n"
                f"addons_path = {ADDONS_PATH}\n"
                f"data_dir = {self.data_dir}\n"
                f"db_host = {cluster.socket_dir}\n"
                f"db_port = {cluster.port}\n"
                "db_user = root\n"
                "db_password = False\n"
                "without_demo = all\n"
                "max_cron_threads = 0\n"
                "workers = 0\n"
                "list_db = False\n"
                "http_interface = 127.0.0.1\n"
            )

    def child_env(self, extra=None):
        env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED_ENV}
        env.update(extra or {})
        return env

    def odoo_cmd(self, *args):
        return [
            *odoo_launcher(),
            *args[:1],
            "-c",
            self.config_file,
            *args[1:],
        ]

    def run_once(self, db, *args, timeout=600, stdin=None):
        """``odoo -d db <args>`` (e.g. ``-i x --stop-after-init``) or ``odoo shell``; raises with
        the end of the output when it fails."""
        if args and args[0] == "shell":
            cmd = self.odoo_cmd("shell", "-d", db, "--no-http", *args[1:])
        else:
            cmd = [*self.odoo_cmd(), "-d", db, *args]
        proc = run(cmd, timeout=timeout, input=stdin, env=self.child_env(), cwd=self.run_dir)
        if proc.returncode:
            raise OdooError(
                f"{' '.join(cmd[2:])} failed ({proc.returncode}):\n"
                f"{(proc.stdout + proc.stderr)[-4000:]}"
            )
        return proc

    def shell(self, db, script, timeout=900):
        """Run Python `script` in ``odoo shell`` (``env`` is the superuser environment);
        returns stdout. The script commits itself."""
        return self.run_once(db, "shell", stdin=script, timeout=timeout).stdout

    def copy_database(self, template, name):
        self.cluster.drop_database(name)
        self.cluster.create_database(name, template=template)
        source = os.path.join(self.data_dir, "filestore", template)
        target = os.path.join(self.data_dir, "filestore", name)
        if os.path.isdir(source):
            subprocess.run(["cp", "-a", source, target], check=True)

    def server(self, db, **kwargs):
        return OdooServer(self, db, **kwargs)


class OdooServer:
    """``odoo -d db --http-port P --workers=0`` in its own process group, logging to a file.

    With ``workers=N`` (N > 0) it is Odoo in multi-process mode as a floor runs it: N HTTP
    workers and the websocket (gevent) worker on ``gevent_port`` (``ws_url``).

    ``start()`` waits for /web/health; ``kill()`` is SIGKILL (what the crash tests are about);
    ``stop()`` is a clean SIGTERM; the run's teardown kills whatever is left.
    """

    def __init__(
        self, odoo_env, db, extra_env=None, name="server", extra_args=(), ports=None, workers=0
    ):
        self.odoo_env = odoo_env
        self.ports = ports or HTTP_PORTS
        self.db = db
        self.extra_env = dict(extra_env or {})
        self.extra_args = list(extra_args)
        self.workers = workers
        self.port = None
        self.gevent_port = None
        self.proc = None
        self.log_file = os.path.join(odoo_env.log_dir, f"{db}-{name}-{time.time_ns()}.log")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self):
        return f"ws://127.0.0.1:{self.gevent_port}/websocket"

    def start(self, timeout=300):
        self.port = free_port(self.ports)
        workers = []
        if self.workers:
            self.gevent_port = free_port(GEVENT_PORTS)
            workers = [
                "--workers",
                str(self.workers),
                "--gevent-port",
                str(self.gevent_port),
                "--max-cron-threads",
                "0",
            ]
        cmd = [
            *self.odoo_env.odoo_cmd(),
            "-d",
            self.db,
            "--db-filter",
            f"^{self.db}$",
            "--http-port",
            str(self.port),
            "--logfile",
            self.log_file,
            "--log-level",
            "info",
            *self.extra_args,
            *workers,
        ]
        self.proc = subprocess.Popen(
            cmd,
            env=self.odoo_env.child_env(self.extra_env),
            cwd=self.odoo_env.run_dir,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=open(self.log_file + ".stderr", "w"),  # noqa: SIM115 (child keeps it)
            start_new_session=True,
        )
        register_pid(self.odoo_env.run_dir, self.proc.pid)
        deadline = time.monotonic() + timeout
        # with workers, the websocket worker starts on its own: wait for it too
        health = [f"{self.url}/web/health"]
        if self.workers:
            health.append(f"http://127.0.0.1:{self.gevent_port}/websocket/health")
        while True:
            if self.proc.poll() is not None:
                raise OdooError(f"odoo exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                if requests.get(health[0], timeout=2).status_code == 200:
                    health.pop(0)
                if not health:
                    break
            except requests.RequestException as error:
                _logger.debug("odoo not answering yet on %s: %s", self.url, error)
            if time.monotonic() > deadline:
                self.kill()
                raise OdooError(
                    f"odoo did not answer on {self.url} in {timeout} s:\n{self.log_tail()}"
                )
            time.sleep(0.2)
        return self

    def log_tail(self, chars=4000):
        text = ""
        for path in (self.log_file, self.log_file + ".stderr"):
            try:
                with open(path, encoding="utf-8", errors="replace") as log:
                    text += log.read()[-chars:]
            except OSError as error:
                _logger.debug("no log to show in %s: %s", path, error)
        return text

    @property
    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill(self):
        """SIGKILL, no clean-up of any kind (what a crash or the OOM killer does)."""
        if self.proc is None:
            return
        kill_group(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        unregister_pid(self.odoo_env.run_dir, self.proc.pid)

    def stop(self):
        if self.proc is None:
            return
        if self.alive:
            kill_group(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                _logger.debug("odoo (pid %s) ignored SIGTERM; killing it", self.proc.pid)
        kill_group(self.proc.pid, signal.SIGKILL)
        if pid_alive(self.proc.pid):
            self.proc.wait(timeout=30)
        unregister_pid(self.odoo_env.run_dir, self.proc.pid)

    def __enter__(self):
        return self.start() if self.proc is None else self

    def __exit__(self, *exc):
        self.stop()
