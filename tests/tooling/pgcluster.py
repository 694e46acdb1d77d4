"""A throwaway PostgreSQL 15 cluster for crash tests: its own data directory, port and socket.

The shared cluster of the machine is never touched: the crash tests restart (and may kill)
PostgreSQL, so they get their own. As root, ``initdb`` runs as the ``postgres`` system user
(``runuser``) with ``root`` as the cluster's superuser and trust authentication on the
private socket directory; the other users of the machine cannot reach it (no TCP).
"""

import glob
import logging
import os
import shutil
import subprocess
import time
from contextlib import closing

import psycopg2

from .procs import free_port

_logger = logging.getLogger(__name__)

PG_PORTS = range(55432, 55440)
PG_BIN_CANDIDATES = (
    "/usr/lib/postgresql/15/bin",
    *sorted(glob.glob("/usr/lib/postgresql/*/bin")),
)
SUPERUSER = "root"


class ClusterError(RuntimeError):
    pass


def find_pg_bin():
    """The directory of initdb/pg_ctl; a clear error when PostgreSQL is not installed."""
    env_bin = os.environ.get("SMARTCALL_PG_BIN")
    for candidate in ([env_bin] if env_bin else []) + list(PG_BIN_CANDIDATES):
        if os.access(os.path.join(candidate, "initdb"), os.X_OK) and os.access(
            os.path.join(candidate, "pg_ctl"), os.X_OK
        ):
            return candidate
    raise ClusterError(
        "The crash tests need the PostgreSQL server binaries (initdb, pg_ctl) to start a "
        "throwaway cluster: install postgresql-15 (apt-get install postgresql-15) or set "
        "SMARTCALL_PG_BIN to their directory."
    )


def _as_postgres(args):
    """Run a server binary as the postgres system user (initdb/pg_ctl refuse root)."""
    if os.geteuid() != 0:
        return args
    if not shutil.which("runuser"):
        raise ClusterError("Running as root needs runuser to start PostgreSQL as 'postgres'.")
    return ["runuser", "-u", "postgres", "--", *args]


class PgCluster:
    """``PgCluster(base_dir).start()``; connect with ``.dsn(db)``; ``.restart()``;
    ``.destroy()``."""

    def __init__(self, base_dir, port=None):
        self.bin = find_pg_bin()
        self.base_dir = base_dir
        self.data_dir = os.path.join(base_dir, "pgdata")
        self.socket_dir = base_dir
        self.log_file = os.path.join(base_dir, "postgresql.log")
        self.port = port or free_port(PG_PORTS, host="127.0.0.1")
        self.started = False

    # lifecycle -------------------------------------------------------------
    def _run(self, *args, timeout=60):
        proc = subprocess.run(
            _as_postgres([os.path.join(self.bin, args[0]), *args[1:]]),
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd="/tmp",
            check=False,
        )
        if proc.returncode:
            raise ClusterError(
                f"{args[0]} failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}\n"
                f"server log: {self._log_tail()}"
            )
        return proc

    def _log_tail(self, chars=1500):
        try:
            with open(self.log_file, encoding="utf-8", errors="replace") as log:
                return log.read()[-chars:]
        except OSError:
            return "(no log)"

    def _server_options(self):
        # Unix socket only, in our own directory; fsync off: a throwaway cluster.
        return (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses='' -c fsync=off "
            "-c full_page_writes=off -c synchronous_commit=off -c max_connections=60"
        )

    def start(self):
        os.makedirs(self.base_dir, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.base_dir, "postgres", "postgres")
        self._run(
            "initdb",
            "-D",
            self.data_dir,
            "-U",
            SUPERUSER,
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        self._pg_ctl_start()
        return self

    def _pg_ctl_start(self):
        self._run(
            "pg_ctl",
            "-D",
            self.data_dir,
            "-o",
            self._server_options(),
            "-l",
            self.log_file,
            "-w",
            "-t",
            "30",
            "start",
        )
        self.started = True
        self.wait_ready()

    def stop(self, mode="fast"):
        if self.started:
            self._run("pg_ctl", "-D", self.data_dir, "-m", mode, "-w", "-t", "30", "stop")
            self.started = False

    def restart(self, mode="fast"):
        """``pg_ctl restart -m fast``: every connection is cut, the server comes back."""
        self._run(
            "pg_ctl",
            "-D",
            self.data_dir,
            "-m",
            mode,
            "-o",
            self._server_options(),
            "-l",
            self.log_file,
            "-w",
            "-t",
            "30",
            "restart",
        )
        self.started = True
        self.wait_ready()

    def wait_ready(self, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            try:
                with closing(psycopg2.connect(**self.dsn("postgres"))):
                    return
            except psycopg2.OperationalError:
                if time.monotonic() > deadline:
                    raise ClusterError(f"PostgreSQL did not come up: {self._log_tail()}") from None
                time.sleep(0.1)

    def destroy(self):
        """Stop the server (immediately) and remove its files; safe to call twice."""
        if self.started:
            try:
                self.stop(mode="immediate")
            except (ClusterError, subprocess.TimeoutExpired) as error:
                _logger.debug("PostgreSQL did not stop cleanly, removing it anyway: %s", error)
        shutil.rmtree(self.base_dir, ignore_errors=True)

    # databases -------------------------------------------------------------
    def dsn(self, dbname):
        return {
            "host": self.socket_dir,
            "port": self.port,
            "user": SUPERUSER,
            "dbname": dbname,
        }

    def connect(self, dbname, autocommit=True):
        cnx = psycopg2.connect(**self.dsn(dbname))
        cnx.autocommit = autocommit
        return cnx

    def execute(self, sql, params=None, dbname="postgres"):
        with closing(self.connect(dbname)) as cnx, cnx.cursor() as cr:
            cr.execute(sql, params)
            return cr.fetchall() if cr.description else None

    def create_database(self, name, template=None):
        # FILE_COPY: one checkpoint instead of WAL-logging every page of the template
        sql = f'CREATE DATABASE "{name}"'
        if template:
            sql += f' TEMPLATE "{template}" STRATEGY FILE_COPY'
        self.execute(sql)

    def drop_database(self, name):
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
