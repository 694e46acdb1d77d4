"""Stopping a server's transaction from outside: the test holds, on a connection of its own, a
PostgreSQL lock that the server's next statement needs, and watches the server's backend wait
for it (pg_stat_activity, pg_locks). Nothing in the addons knows about it."""

from .dbcheck import fetch_all, fetch_one, wait_until


class LockHolder:
    """An open transaction of the test's own holding the locks taken by `statements` (e.g.
    ``LOCK TABLE x IN EXCLUSIVE MODE`` or ``SELECT ... FOR UPDATE``) until ``release()``."""

    def __init__(self, cluster, db, statements):
        self.cnx = cluster.connect(db, autocommit=False)
        with self.cnx.cursor() as cr:
            cr.execute("SET lock_timeout = '10s'")
            for sql, params in statements:
                cr.execute(sql, params)
            cr.execute("SELECT pg_backend_pid()")
            self.pid = cr.fetchone()[0]

    def release(self):
        if self.cnx.closed:
            return
        self.cnx.rollback()
        self.cnx.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()


def server_backends(cluster, db, server):
    """The database connections of `server` (Odoo names them ``odoo-<pid>``)."""
    return fetch_all(
        cluster,
        db,
        """SELECT pid, state, wait_event_type, query, backend_xid
             FROM pg_stat_activity WHERE application_name = %s""",
        (f"odoo-{server.proc.pid}",),
    )


def blocked_backend(cluster, db, server, holder):
    """The backend of `server` waiting for a lock that `holder` holds, or None."""
    return fetch_one(
        cluster,
        db,
        """SELECT pid, query, backend_xid FROM pg_stat_activity
            WHERE application_name = %s AND wait_event_type = 'Lock'
              AND %s = ANY(pg_blocking_pids(pid))""",
        (f"odoo-{server.proc.pid}", holder.pid),
    )


def wait_blocked(cluster, db, server, holder, timeout=60, message="the server to block"):
    return wait_until(
        lambda: blocked_backend(cluster, db, server, holder) or not server.alive,
        timeout,
        message=message,
    )


def written_tables(cluster, db, pid):
    """The tables the open transaction of backend `pid` has written so far: INSERT, UPDATE and
    DELETE take a RowExclusiveLock on the table, kept until the transaction ends."""
    return {
        row["relname"]
        for row in fetch_all(
            cluster,
            db,
            """SELECT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                WHERE l.pid = %s AND l.granted AND l.mode = 'RowExclusiveLock'
                  AND c.relkind IN ('r', 'p')""",
            (pid,),
        )
    }
