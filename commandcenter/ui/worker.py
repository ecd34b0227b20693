"""Database work off the GUI thread. One thread, one connection, a queue of jobs; results
come back to the GUI thread as queued signals. Jobs that share a key are coalesced: only the
newest one runs (clicking through twenty cases loads one detail, not twenty)."""

from __future__ import annotations

import itertools
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg
from PySide6.QtCore import QObject, Signal

from ..store.database import connect_console
from ..store.errors import DatabaseUnavailable, from_psycopg

log = logging.getLogger(__name__)


@dataclass
class _Job:
    seq: int
    fn: Callable[[psycopg.Connection], Any]
    on_result: Callable[[Any], None] | None
    on_error: Callable[[Exception], None] | None
    key: str | None
    retry: bool


class DbWorker(QObject):
    finished = Signal(object, object, object)   # job, result, error
    busy_changed = Signal(bool)

    def __init__(self, dsn: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dsn = dsn
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._latest: dict[str, int] = {}
        self._seq = itertools.count(1)
        self._conn: psycopg.Connection | None = None
        self.pending = 0
        self.finished.connect(self._deliver)
        self._thread = threading.Thread(target=self._run, name="cc-db-worker", daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[[psycopg.Connection], Any], on_result: Callable[[Any], None] | None = None,
               on_error: Callable[[Exception], None] | None = None, *, key: str | None = None,
               retry: bool = True) -> None:
        """Run fn(conn) on the worker. `retry=False` for writes: a write whose connection broke
        is reported, never silently re-sent (it may or may not have committed)."""
        job = _Job(next(self._seq), fn, on_result, on_error, key, retry)
        if key is not None:
            self._latest[key] = job.seq
        self.pending += 1
        if self.pending == 1:
            self.busy_changed.emit(True)
        self._queue.put(job)

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=5)

    # ------------------------------------------------------------ worker thread
    def _connection(self) -> psycopg.Connection:
        if self._conn is None or self._conn.closed:
            try:
                self._conn = connect_console(self.dsn, "commandcenter-worker")
            except psycopg.OperationalError as exc:
                raise DatabaseUnavailable(f"cannot reach the database: {str(exc).strip().splitlines()[0]}") from exc
        return self._conn

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                break
            if job.key is not None and self._latest.get(job.key) != job.seq:
                self.finished.emit(job, None, _Superseded())
                continue
            attempts = 2 if job.retry else 1
            for attempt in range(attempts):
                try:
                    conn = self._connection()
                    result = job.fn(conn)
                    if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                        conn.rollback()
                    self.finished.emit(job, result, None)
                    break
                except psycopg.OperationalError as exc:
                    self._drop()
                    if attempt + 1 == attempts:
                        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                        self.finished.emit(job, None, DatabaseUnavailable(
                            f"the database connection was lost: {first}. Nothing was changed if this was an "
                            f"action; check the case and try again when the connection is back."))
                except Exception as exc:  # noqa: BLE001 - delivered to the caller
                    if isinstance(exc, psycopg.Error):
                        exc = from_psycopg(exc) or exc
                        try:
                            if self._conn is not None and not self._conn.closed:
                                self._conn.rollback()
                        except psycopg.Error:
                            self._drop()
                    self.finished.emit(job, None, exc)
                    break
        self._drop()

    def _drop(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # noqa: BLE001
                pass
            self._conn = None

    # ------------------------------------------------------------ GUI thread
    def _deliver(self, job: _Job, result: Any, error: Exception | None) -> None:
        self.pending -= 1
        if self.pending == 0:
            self.busy_changed.emit(False)
        if isinstance(error, _Superseded):
            return
        if error is not None:
            if job.on_error is not None:
                job.on_error(error)
            else:
                log.error("database job failed: %s", error)
            return
        if job.on_result is not None:
            job.on_result(result)


class _Superseded(Exception):
    """A newer job with the same key replaced this one."""
