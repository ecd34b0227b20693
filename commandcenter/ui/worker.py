"""Database work off the GUI thread. One thread, one connection, a queue of jobs; the hand-off
itself (answers applied on the GUI thread, stale ones dropped) is `handoff.Handoff`'s, as for
every other task. Jobs that share a key are coalesced: only the newest one runs (clicking
through twenty cases loads one detail, not twenty)."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import psycopg
from PySide6.QtCore import QObject, Signal

from ..store.database import connect_console
from ..store.errors import DatabaseUnavailable, from_psycopg
from .handoff import Handoff, Task

log = logging.getLogger(__name__)

T = TypeVar("T")


class DbWorker(QObject):
    busy_changed = Signal(bool)

    def __init__(self, dsn: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dsn = dsn
        self._queue: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self._conn: psycopg.Connection | None = None
        self.handoff = Handoff(start=self._queue.put, on_busy=self.busy_changed.emit)
        self._thread = threading.Thread(target=self._run, name="cc-db-worker", daemon=True)
        self._thread.start()

    @property
    def pending(self) -> int:
        """Jobs asked for whose answer has not yet come back (tests and screenshots settle on 0)."""
        return self.handoff.pending

    def submit(self, fn: Callable[[psycopg.Connection], T], on_result: Callable[[T], Any] | None = None,
               on_error: Callable[[Exception], Any] | None = None, *, key: str | None = None,
               retry: bool = True, receiver: QObject | None = None) -> Task[T]:
        """Run fn(conn) on the worker. `retry=False` for writes: a write whose connection broke
        is reported, never silently re-sent (it may or may not have committed). `key` and
        `receiver` as in `Handoff.run`."""
        return self.handoff.run(lambda: self._call(fn, retry), on_result, on_error, key=key, receiver=receiver)

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=5)

    # ------------------------------------------------------------ worker thread
    def _run(self) -> None:
        while True:
            run = self._queue.get()
            if run is None:
                break
            run()
        self._drop()

    def _connection(self) -> psycopg.Connection:
        if self._conn is None or self._conn.closed:
            try:
                self._conn = connect_console(self.dsn, "commandcenter-worker")
            except psycopg.OperationalError as exc:
                raise DatabaseUnavailable(f"cannot reach the database: {str(exc).strip().splitlines()[0]}") from exc
        return self._conn

    def _call(self, fn: Callable[[psycopg.Connection], T], retry: bool) -> T:
        """fn(conn) once, or twice for a read whose connection broke; errors in our types."""
        attempts = 2 if retry else 1
        for attempt in range(attempts):
            try:
                conn = self._connection()
                result = fn(conn)
                if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                    conn.rollback()
                return result
            except psycopg.OperationalError as exc:
                self._drop()
                if attempt + 1 == attempts:
                    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                    raise DatabaseUnavailable(
                        f"the database connection was lost: {first}. Nothing was changed if this was an "
                        f"action; check the case and try again when the connection is back.") from exc
            except psycopg.Error as exc:
                self._rollback()
                translated = from_psycopg(exc)
                if translated is None:
                    raise
                raise translated from exc
            except Exception:
                self._rollback()          # the next job must not inherit a half-done transaction
                raise
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _rollback(self) -> None:
        try:
            if self._conn is not None and not self._conn.closed:
                self._conn.rollback()
        except psycopg.Error:
            self._drop()

    def _drop(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # noqa: BLE001
                pass
            self._conn = None
