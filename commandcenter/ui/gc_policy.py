"""The process's garbage-collector policy, applied by whoever holds the process's data (the
session, a bench), not by a view model."""

from __future__ import annotations

import gc

from .live import LiveData


def freeze_long_lived() -> None:
    """A loaded snapshot lives as long as the console: move it out of the cyclic collector's
    reach, whose full passes over 100,000 rows stalled the GUI loop for ~30 ms (measured)."""
    gc.collect()
    gc.freeze()


def keep_snapshots_out_of_gc(live: LiveData) -> None:
    live.snapshot_loaded.connect(freeze_long_lived)
