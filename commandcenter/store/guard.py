"""The guard: ends a console session that holds up the others.

Every event-writing transaction holds the event counter's row lock until it ends (dense event
ids, db/sql/0001_events.sql), and a login can SET away any timeout. So one console leaving a
transaction open after an action would stop every other console's work. The rule of what to
end lives in SQL (`cc.guard()`, db/sql/0004_guard.sql); this module only calls it, once a
second, on its own connection. The embedded server's owner processes (hall, wall) run one;
for another server `commandcenter db guard` is the service the administrator runs.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import psycopg

log = logging.getLogger(__name__)

APPLICATION_NAME = "commandcenter-guard"   # what cc.security_check() looks for


@dataclass(frozen=True)
class EndedSession:
    pid: int | None          # None: no session was ended, the login's settings were put back
    login: str
    why: str


def guard_once(conn: psycopg.Connection) -> list[EndedSession]:
    """One round on an autocommit connection: the sessions ended (already in cc.audit_log)."""
    return [EndedSession(*row) for row in conn.execute("SELECT * FROM cc.guard()").fetchall()]


def run_guard(dsn: str, stop: threading.Event, interval: float = 1.0) -> None:
    """Call cc.guard() every `interval` seconds until `stop` is set; reconnect after a loss."""
    conn: psycopg.Connection | None = None
    while not stop.is_set():
        try:
            if conn is None or conn.closed:
                # a round never hangs: cc.guard() sets its own lock_timeout; these are the backstop
                conn = psycopg.connect(dsn, autocommit=True, connect_timeout=5, application_name=APPLICATION_NAME,
                                       options="-c statement_timeout=10s -c lock_timeout=2s")
            for ended in guard_once(conn):
                if ended.pid is None:
                    log.warning("%s: %s", ended.login, ended.why)
                else:
                    log.warning("ended session %s of %s: %s", ended.pid, ended.login, ended.why)
        except psycopg.Error as exc:
            log.info("guard round failed (%s); trying again", str(exc).strip().splitlines()[0] if str(exc) else exc)
            if conn is not None:
                conn.close()
            conn = None
        stop.wait(interval)
    if conn is not None:
        conn.close()


def start_guard(dsn: str, stop: threading.Event, interval: float = 1.0) -> threading.Thread:
    thread = threading.Thread(target=run_guard, args=(dsn, stop, interval), name="cc-guard", daemon=True)
    thread.start()
    return thread
