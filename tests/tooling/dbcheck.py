"""Reading the test's own database directly (psycopg2), and waiting for conditions."""

import time
from contextlib import closing

import psycopg2.extras


def fetch_all(cluster, db, sql, params=None):
    """Rows as dicts, read on a fresh autocommit connection (sees only committed data)."""
    with (
        closing(cluster.connect(db)) as cnx,
        cnx.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cr,
    ):
        cr.execute(sql, params)
        return [dict(row) for row in cr.fetchall()]


def fetch_one(cluster, db, sql, params=None):
    rows = fetch_all(cluster, db, sql, params)
    return rows[0] if rows else None


def wait_until(predicate, timeout, interval=0.1, message="condition"):
    """Poll `predicate` until it returns a true value (returned) or fail after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout} s waiting for {message}")
        time.sleep(interval)
