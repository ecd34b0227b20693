"""The process's garbage-collector policy, applied by whoever holds the process's data (the
session, a bench), not by a view model."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

from .live import LiveData


def freeze_long_lived() -> None:
    """A loaded snapshot lives as long as the console: move it out of the cyclic collector's
    reach, whose full passes over 100,000 rows stalled the GUI loop for ~30 ms (measured).

    Frozen as it is, without a collection first: that collection walked the new rows and the
    whole start-up heap, 160 ms of the GUI thread at every snapshot (bench board). What it
    would have freed stays: cyclic garbage made since the last collection, measured at 317
    objects at a hall's first snapshot and none a second while the hall runs. Rows are not in
    cycles, so an old snapshot is still freed (by its reference counts) when a new one comes."""
    gc.freeze()


def keep_snapshots_out_of_gc(live: LiveData) -> None:
    live.snapshot_loaded.connect(freeze_long_lived)


#: the young generations every second, everything once a minute (measured on the demo hall:
#: ~1.5 ms and ~7 ms; the snapshot is frozen, so a full pass walks ~10,000 objects)
YOUNG_EVERY_MS = 1000
FULL_EVERY = 60


class GuiThreadCollector(QObject):
    """Python's cyclic collector runs in whichever thread an allocation trips it: in a database
    worker or the change feed's thread as well. A Qt object it frees there is destroyed outside
    the thread it lives in, which Qt does not allow (a segmentation fault was seen once in the
    test suite while a hall was built). While a session is open the automatic collector is off
    and this timer collects on the GUI thread instead; closing the last session turns it back on."""

    open_sessions = 0

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ticks = 0
        self.timer = QTimer(self)
        self.timer.setInterval(YOUNG_EVERY_MS)
        self.timer.timeout.connect(self.collect)
        self.running = False

    def collect(self) -> None:
        self.ticks += 1
        gc.collect(2 if self.ticks % FULL_EVERY == 0 else 1)

    def start(self) -> None:
        if self.running:
            return
        self.running = True
        GuiThreadCollector.open_sessions += 1
        gc.disable()
        self.timer.start()

    def stop(self) -> None:
        if not self.running:
            return
        self.running = False
        self.timer.stop()
        GuiThreadCollector.open_sessions -= 1
        if GuiThreadCollector.open_sessions == 0:
            gc.enable()
