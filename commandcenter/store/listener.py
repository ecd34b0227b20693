"""The change feed: NOTIFY wakes it, the event table tells it what changed.

One connection per console, owned by one thread. It LISTENs (committed) before it reads the
first snapshot, so a change is either in the snapshot or after its cursor. Each wake-up drains
every pending notification and reads the events after the cursor plus the changed board rows
in one snapshot: a batch. A lost connection is retried with backoff and resynced from the
cursor, so nothing committed meanwhile is missed; applying a batch twice is harmless because
rows carry their version.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import psycopg

from ..domain.cases import BoardRow, Snapshot
from .database import connect_console
from .events import CHANNEL, GENERIC_PLANS, CaseEvent, read_changes
from .queries import board_snapshot
from .rows import scalar

log = logging.getLogger(__name__)

APPLICATION_NAME = "commandcenter-feed"   # how the feed's connection shows in pg_stat_activity


@dataclass(frozen=True)
class Batch:
    events: list[CaseEvent]
    rows: list[BoardRow]          # current state of every case the events touched
    cursor: int                   # resume after this event id
    woke_at: float = 0.0          # time.monotonic() when the doorbell rang (0: no doorbell)
    fetched_at: float = 0.0       # … and when the rows were read


@dataclass(frozen=True)
class FeedState:
    """What the console should tell the operator about its link to the database."""
    live: bool
    message: str = ""
    since: datetime | None = None  # when the link was lost


class ChangeFeed:
    """Blocking, Qt-free: `run()` loops until `stop()`, calling back from its own thread."""

    #: at most one batch per frame: wait this long after a wake-up for more to arrive
    coalesce_s = 0.008
    #: with no notification for this long, ask the server for its horizon (catches a silent
    #: gap and a dead link even where keepalives are slow)
    heartbeat_s = 2.0
    #: a gap longer than this is reloaded as a snapshot rather than replayed
    replay_limit = 5000
    #: events per batch at most: bounds memory and GUI time per batch under a burst
    page_size = 1000

    def __init__(self, dsn: str, on_snapshot: Callable[[Snapshot], None], on_batch: Callable[[Batch], None],
                 on_state: Callable[[FeedState], None], on_heartbeat: Callable[[], None] | None = None) -> None:
        self.dsn = dsn
        self.on_snapshot = on_snapshot
        self.on_batch = on_batch
        self.on_state = on_state
        self.on_heartbeat = on_heartbeat or (lambda: None)
        self.cursor: int | None = None
        self._stop = threading.Event()
        self._woke_at = 0.0
        self._conn: psycopg.Connection | None = None

    def stop(self) -> None:
        self._stop.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def run(self) -> None:
        backoff = 0.5
        lost_at: datetime | None = None
        while not self._stop.is_set():
            try:
                self._connect()
                self._resync()
                self.on_state(FeedState(True))
                lost_at, backoff = None, 0.5
                self._listen_loop()
            except psycopg.OperationalError as exc:
                lost_at = lost_at or datetime.now(UTC)
                first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                log.warning("change feed lost the database: %s", first_line)
                self.on_state(FeedState(False, first_line, lost_at))
                self._close()
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 8.0)
            except Exception:   # a bug: say so, keep the console alive, retry slowly
                log.exception("change feed failed")
                lost_at = lost_at or datetime.now(UTC)
                self.on_state(FeedState(False, "internal error, see log", lost_at))
                self._close()
                self._stop.wait(5.0)
        self._close()

    # ------------------------------------------------------------ steps
    def _connect(self) -> None:
        self._conn = connect_console(self.dsn, APPLICATION_NAME, autocommit=True)
        self._conn.execute(GENERIC_PLANS)         # read_changes planned once, not at every doorbell
        # the rows' times in UTC, as the snapshot's: compared and turned into epochs three times
        # faster than in a zone from the tz database; every view converts them to the district's
        self._conn.execute("SET TimeZone = 'UTC'")
        self._conn.execute(f"LISTEN {CHANNEL}")   # autocommit: the LISTEN is in force before we read

    def _close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # noqa: BLE001 - closing a broken link
                pass
            self._conn = None

    def _resync(self) -> None:
        conn = self._conn
        assert conn is not None
        if self.cursor is not None:
            horizon = scalar(conn, "SELECT cc.event_horizon()")
            if horizon - self.cursor <= self.replay_limit:
                self._read()
                return
        snap = board_snapshot(conn)
        self.cursor = snap.cursor
        self.on_snapshot(snap)

    def _listen_loop(self) -> None:
        conn = self._conn
        assert conn is not None
        last_beat = time.monotonic()
        while not self._stop.is_set():
            woke = False
            for _ in conn.notifies(timeout=0.25, stop_after=1):
                woke = True
            if woke:
                self._woke_at = time.monotonic()
                # coalesce: let a burst land, then drain whatever else arrived
                time.sleep(self.coalesce_s)
                for _ in conn.notifies(timeout=0.0):
                    pass
                self._read()
                last_beat = time.monotonic()
            elif time.monotonic() - last_beat >= self.heartbeat_s:
                horizon = scalar(conn, "SELECT cc.event_horizon()")
                if horizon > (self.cursor or 0):
                    self._read()    # a change we were not told of (or a lost doorbell)
                last_beat = time.monotonic()
                self.on_heartbeat()

    def _read(self) -> None:
        """Read everything after the cursor, page by page (events.read_changes), and hand it
        over as batches."""
        conn = self._conn
        assert conn is not None and self.cursor is not None
        while True:
            after = self.cursor
            changes = read_changes(conn, after, self.page_size)
            if changes.events or changes.cursor != after:
                self.cursor = changes.cursor
                self.on_batch(Batch(changes.events, changes.rows, changes.cursor, self._woke_at, time.monotonic()))
                self._woke_at = 0.0
            if not changes.full:
                return
