"""`bench realtime`: commit → applied-in-model latency for N consoles while a writer commits
R actions a second through the SQL functions; the bare psycopg NOTIFY round trip measured in
the same run as the floor; missed and doubly applied events; the longest GUI-loop stall.

The consoles are the real client stack up to the table model (ChangeFeed thread → LiveData →
BoardModel) in one Qt process; the writer is another process running the simulator. Both
stamp with CLOCK_MONOTONIC, which Linux shares across processes.
"""

from __future__ import annotations

import bisect
import json
import multiprocessing
import os
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import psycopg

from ..domain.cases import BoardRow
from ..domain.reference import Reference
from ..store import queries
from ..store.database import Database
from ..store.events import CHANNEL
from ..store.listener import Batch
from .harness import BenchResult, peak_rss_mb, percentiles
from .scratch import scratch_database

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication

TARGETS = {"p99_ms": 33.0, "missed": 0, "duplicated": 0, "max_stall_ms": 50.0}


def _writer(dsn: str, rate: float, duration: float, out: str, seed: int) -> None:
    """Child process: the field and the centre at a flat `rate`, every commit stamped."""
    from ..sim.simulator import Simulator

    log: list[tuple[int, int, float]] = []
    with psycopg.connect(dsn) as conn:
        sim = Simulator(conn, seed, on_commit=lambda _a, cid, ver: log.append((cid, ver, time.monotonic())))
        sim.run(rate, duration, day_pattern=False)
    Path(out).write_text(json.dumps({"commits": log, "refused": sim.stats.refused}))


class _Floor(threading.Thread):
    """The bare psycopg NOTIFY round trip: one connection, LISTEN, stamp each notification.

    The doorbell names only its event (issue 9); `cases()` maps those to cases afterwards."""

    def __init__(self, dsn: str) -> None:
        super().__init__(daemon=True)
        self.conn = psycopg.connect(dsn, autocommit=True)
        self.conn.execute(f"LISTEN {CHANNEL}")
        self.seen: list[tuple[int, float]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            for n in self.conn.notifies(timeout=0.2):
                self.seen.append((json.loads(n.payload)["e"], time.monotonic()))
        self.conn.close()

    def cases(self, dsn: str) -> list[tuple[int, float]]:
        """(case id, heard at) of every doorbell, looked up by its event id."""
        with psycopg.connect(dsn) as conn:
            case_of: dict[int, int] = dict(conn.execute(
                "SELECT id, case_id FROM cc.case_event WHERE id = ANY(%s)", ([e for e, _ in self.seen],)).fetchall())
        return [(case_of[e], t) for e, t in self.seen if e in case_of]


def run(db: Database, duration: float = 30.0, rate: float = 200.0, consoles: int = 10, seed: int = 11) -> BenchResult:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from ..ui.application import gui_thread_first
    from ..ui.gc_policy import GuiThreadCollector

    app = QApplication.instance() or QApplication([])
    gui_thread_first()                            # as the hall's application does
    result = BenchResult("realtime", targets=dict(TARGETS))
    with scratch_database(db) as sdb:
        with psycopg.connect(sdb.dsn) as conn:
            ref = queries.reference(conn)

        fleet = [_Console(sdb.dsn, ref) for _ in range(consoles)]
        collector = GuiThreadCollector()          # as a session does: cycles collected on the GUI thread
        collector.start()
        for c in fleet:
            c.live.start()
        _spin(app, lambda: all(c.live.loaded and c.live.live for c in fleet), 60)
        floor = _Floor(sdb.dsn)
        floor.start()

        gaps: list[float] = []
        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            gaps.append((now - last[0]) * 1000)
            last[0] = now

        ticker = QTimer()
        ticker.setInterval(5)
        ticker.timeout.connect(tick)
        out = tempfile.NamedTemporaryFile(suffix=".json", delete=False).name
        ctx = multiprocessing.get_context("spawn")
        writer = ctx.Process(target=_writer, args=(sdb.dsn, rate, duration, out, seed))
        loop = QEventLoop()
        writer.start()
        ticker.start()
        done_at: list[float] = []

        def check() -> None:
            if not writer.is_alive() and not done_at:
                done_at.append(time.monotonic())
            if done_at and time.monotonic() - done_at[0] > 3.0:   # grace for the last commits
                loop.quit()

        poll = QTimer()
        poll.timeout.connect(check)
        poll.start(100)
        loop.exec()
        ticker.stop()
        poll.stop()
        floor.stop.set()
        floor.join(timeout=5)
        for c in fleet:
            c.live.stop()
        collector.stop()
        heard_cases = floor.cases(sdb.dsn)
        log = json.loads(Path(out).read_text())
        os.unlink(out)

    result.figures.update(_figures(fleet, log, heard_cases, gaps, consoles, rate))
    result.notes.append("latency = writer's commit returned → the row applied in each console's BoardModel; "
                        "console capacity = rows applied per second of GUI-thread time in the model")
    return result


class _Console:
    """One console's client stack up to the table model, with the times each row arrived."""

    def __init__(self, dsn: str, ref: Reference) -> None:
        from ..ui.board_model import BoardModel
        from ..ui.gc_policy import keep_snapshots_out_of_gc
        from ..ui.live import LiveData

        self.live = LiveData(dsn, ref)
        keep_snapshots_out_of_gc(self.live)     # as the session does
        self.applied: dict[int, list[tuple[int, float]]] = defaultdict(list)
        self.duplicates = 0
        self.gui_s = 0.0
        self.rows = 0
        self._t0 = 0.0
        self.live.rows_changed.connect(self._before)       # connected before the model …
        self.model = BoardModel(self.live)
        self.live.rows_changed.connect(self._after)        # … and after it
        self.fetch_ms: list[float] = []
        self.handoff_ms: list[float] = []
        self.live.batch_applied.connect(self._batch)

    def _batch(self, b: Batch) -> None:
        now = time.monotonic()
        if b.woke_at:
            self.fetch_ms.append((b.fetched_at - b.woke_at) * 1000)
        self.handoff_ms.append((now - b.fetched_at) * 1000)

    def _before(self, rows: list[BoardRow], _old: list[BoardRow | None]) -> None:
        self._t0 = time.perf_counter()

    def _after(self, rows: list[BoardRow], _old: list[BoardRow | None]) -> None:
        now = time.monotonic()
        self.gui_s += time.perf_counter() - self._t0
        self.rows += len(rows)
        for r in rows:
            held = self.applied[r.id]
            if any(v == r.version for v, _ in held):
                self.duplicates += 1
            held.append((r.version, now))

    def first_at_or_after(self, case_id: int, version: int) -> float | None:
        held = sorted(self.applied.get(case_id, []))
        i = bisect.bisect_left(held, (version, -1.0))
        return held[i][1] if i < len(held) else None


def _figures(fleet: list[_Console], log: dict[str, Any], heard_cases: list[tuple[int, float]], gaps: list[float],
             consoles: int, rate: float) -> dict[str, float]:
    """Latencies per console against the writer's commits, the NOTIFY floor, stalls, capacity."""
    commits = [(int(cid), int(v), float(t)) for cid, v, t in log["commits"]]
    latencies, missed = [], 0
    for c in fleet:
        for cid, v, t in commits:
            at = c.first_at_or_after(cid, v)
            if at is None:
                missed += 1
            else:
                latencies.append((at - t) * 1000)
    # the floor: the n-th notification of a case answers the n-th commit of that case
    by_case: dict[int, list[float]] = defaultdict(list)
    for cid, _v, t in sorted(commits, key=lambda x: x[2]):
        by_case[cid].append(t)
    heard: dict[int, list[float]] = defaultdict(list)
    for cid, t in heard_cases:
        heard[cid].append(t)
    floor_ms = [(h - t) * 1000 for cid, ts in by_case.items() for t, h in zip(ts, heard.get(cid, []))]
    span = (commits[-1][2] - commits[0][2]) if len(commits) > 1 else 1.0
    steady = gaps[20:] if len(gaps) > 40 else gaps
    return {
        "consoles": consoles, "rate_target_per_s": rate, "commits": len(commits),
        "rate_achieved_per_s": round(len(commits) / span, 1), "refused_by_db": log["refused"],
        **percentiles(latencies),
        "floor_p50_ms": percentiles(floor_ms)["p50_ms"], "floor_p99_ms": percentiles(floor_ms)["p99_ms"],
        # doorbells the floor heard and paired with a commit (one per transaction since 0012); its
        # latency can be a hair below zero: the server rings at commit, before the writer hears back
        "floor_heard": len(floor_ms),
        "wake_to_fetched_p99_ms": percentiles([x for c in fleet for x in c.fetch_ms])["p99_ms"],
        "fetched_to_applied_p99_ms": percentiles([x for c in fleet for x in c.handoff_ms])["p99_ms"],
        "missed": missed, "duplicated": sum(c.duplicates for c in fleet),
        "max_stall_ms": round(max(steady) if steady else 0.0, 2),
        "stall_p99_ms": round(float(np.percentile(steady, 99)), 2) if steady else 0.0,
        "console_capacity_events_per_s": round(min(c.rows / c.gui_s for c in fleet if c.gui_s) if any(
            c.gui_s for c in fleet) else 0.0, 0),
        "peak_rss_mb": peak_rss_mb(),
    }


def _spin(app: QCoreApplication, predicate: Callable[[], bool], timeout: float) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end and not predicate():
        app.processEvents()
        time.sleep(0.005)
    if not predicate():
        raise RuntimeError("the consoles did not load within a minute")
