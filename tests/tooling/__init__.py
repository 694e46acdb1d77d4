"""Crash-test tooling (tests/test_crash_*.py): a throwaway PostgreSQL cluster, a template
database, real Odoo server processes and a JSON-RPC client. Not tests, plain helpers; the
tests using them talk to their own servers over HTTP and read their own databases with
psycopg2, so they need neither pytest-odoo's database nor its registry."""

from .odoo_server import OdooEnv, OdooError, OdooServer
from .pgcluster import ClusterError, PgCluster
from .rpc import RpcClient, RpcConnectionLost, RpcError
from .dbcheck import fetch_all, fetch_one, wait_until
from .session import ADMIN, OPERATORS, PASSWORD, CrashRun, crash_run

__all__ = [
    "ADMIN",
    "OPERATORS",
    "PASSWORD",
    "ClusterError",
    "CrashRun",
    "OdooEnv",
    "OdooError",
    "OdooServer",
    "PgCluster",
    "RpcClient",
    "RpcConnectionLost",
    "RpcError",
    "crash_run",
    "fetch_all",
    "fetch_one",
    "wait_until",
]
