"""One live data model per process: every view on every screen reads the same rows, so a
view on the second monitor can never lag behind the first. The change feed runs in its own
thread; its snapshots and batches arrive here as queued signals and are applied on the GUI
thread, newest version wins (a batch applied twice changes nothing)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from operator import attrgetter

from PySide6.QtCore import QObject, Signal

from ..domain.board_columns import BoardColumns
from ..domain.cases import BoardRow, Snapshot
from ..domain.display import Display
from ..domain.reference import Reference
from ..store.listener import Batch, ChangeFeed, FeedState


class LiveData(QObject):
    snapshot_loaded = Signal()
    rows_changed = Signal(list, list)   # new rows, the versions they replace (None for new cases)
    batch_applied = Signal(object)      # the Batch just applied (timings for benchmarks and diagnostics)
    events_applied = Signal(list)       # CaseEvent list, in id order
    state_changed = Signal(object)      # FeedState

    _snapshot = Signal(object)
    _batch = Signal(object)
    _state = Signal(object)
    _beat = Signal()

    def __init__(self, dsn: str, reference: Reference, parent: QObject | None = None,
                 display: Display | None = None) -> None:
        super().__init__(parent)
        self.dsn = dsn
        self.reference = reference
        #: the session's language and time zone, for every view of these rows
        self.display = display or Display.of("zh_CN", reference.tz)
        self.rows: dict[int, BoardRow] = {}
        #: the snapshot's rows as board columns, while no change has been applied since
        self.columns: BoardColumns | None = None
        self.cursor = 0
        self.loaded = False
        self.state = FeedState(False, "connecting")
        self.last_event_at: datetime | None = None     # time of the newest applied event
        self.last_event_id: int | None = None          # … and its id (the cursor may be past it)
        self.last_contact: datetime | None = None      # last time the server answered
        self.applied_events = 0
        self._snapshot.connect(self._on_snapshot)
        self._batch.connect(self._on_batch)
        self._state.connect(self._on_state)
        self._beat.connect(self._on_beat)
        self._feed = ChangeFeed(dsn, self._snapshot.emit, self._batch.emit, self._state.emit, self._beat.emit)
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._feed.run, name="cc-change-feed", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._feed.stop()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def live(self) -> bool:
        return self.state.live

    # ------------------------------------------------------------ GUI thread
    def _touch(self) -> None:
        self.last_contact = datetime.now(UTC)

    def _on_beat(self) -> None:
        self._touch()

    def _on_state(self, state: FeedState) -> None:
        self.state = state
        if state.live:
            self._touch()
        self.state_changed.emit(state)

    def _on_snapshot(self, snap: Snapshot) -> None:
        self._touch()
        self.rows = dict(zip(map(attrgetter("id"), snap.rows), snap.rows))
        self.columns = snap.columns
        self.cursor = snap.cursor
        self.loaded = True
        if snap.last_event is not None:
            self.last_event_id, self.last_event_at = snap.last_event
        self.snapshot_loaded.emit()

    def _on_batch(self, batch: Batch) -> None:
        self._touch()
        if batch.cursor <= self.cursor and not batch.rows:
            return
        new, old = [], []
        for row in batch.rows:
            held = self.rows.get(row.id)
            if held is not None and held.version >= row.version:
                continue            # already applied
            self.rows[row.id] = row
            new.append(row)
            old.append(held)
        events = [e for e in batch.events if e.id > self.cursor]
        self.cursor = max(self.cursor, batch.cursor)
        if events:
            self.last_event_id, self.last_event_at = events[-1].id, events[-1].at
            self.applied_events += len(events)
        if new:
            self.columns = None
            self.rows_changed.emit(new, old)
        if events:
            self.events_applied.emit(events)
        self.batch_applied.emit(batch)
