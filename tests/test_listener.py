"""The change feed without Qt: coalescing, resync after a gap, nothing applied twice."""

from __future__ import annotations

import threading
import time

import psycopg

from commandcenter.store.commands import Workflow
from commandcenter.store.listener import APPLICATION_NAME, Batch, ChangeFeed, FeedState

from .helpers import grid_point


class Recorder:
    def __init__(self, dsn: str) -> None:
        self.batches: list[Batch] = []
        self.snapshots = 0
        self.states: list[FeedState] = []
        self.feed = ChangeFeed(dsn, self._snap, self.batches.append, self.states.append)
        self.thread = threading.Thread(target=self.feed.run, daemon=True)

    def _snap(self, _s) -> None:  # noqa: ANN001
        self.snapshots += 1

    def __enter__(self) -> Recorder:
        self.thread.start()
        self.wait(lambda: self.snapshots == 1 and self.states and self.states[-1].live)
        return self

    def __exit__(self, *exc: object) -> None:
        self.feed.stop()
        self.thread.join(timeout=10)

    @staticmethod
    def wait(predicate, timeout: float = 15.0) -> None:  # noqa: ANN001
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if predicate():
                return
            time.sleep(0.02)
        raise AssertionError("timed out")

    def event_ids(self) -> list[int]:
        return [e.id for b in self.batches for e in b.events]


def _report_many(dsn: str, n: int, one_transaction: bool = False) -> list[int]:
    with psycopg.connect(dsn) as conn:
        gid, lon, lat = grid_point(conn)
        wf = Workflow(conn)
        return [wf.report("patrol", "010201", f"feed {i}", lon, lat, grid_id=gid) for i in range(n)]


def test_a_burst_is_coalesced_into_few_batches_and_every_event_arrives_once(db) -> None:  # noqa: ANN001
    with Recorder(db.dsn) as rec:
        start = rec.feed.cursor
        ids = _report_many(db.dsn, 120)
        rec.wait(lambda: {r.id for b in rec.batches for r in b.rows} >= set(ids))
        events = rec.event_ids()
        assert len(events) == len(set(events)) == 120           # once each
        assert events == sorted(events) and events[0] == start + 1  # in order, from the cursor
        assert len(rec.batches) < 120                             # woken per burst, not per commit


def test_a_lost_connection_is_resynced_from_the_cursor(db) -> None:  # noqa: ANN001
    with Recorder(db.dsn) as rec:
        before = rec.feed.cursor
        with db.connect(autocommit=True) as admin:
            # cut the feed's connection and keep it out while others commit
            n = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                              "WHERE application_name = %s", (APPLICATION_NAME,)).fetchone()[0]
            assert n == 1
        ids = _report_many(db.dsn, 30)
        rec.wait(lambda: {r.id for b in rec.batches for r in b.rows} >= set(ids), timeout=30)
        events = rec.event_ids()
        assert len(events) == len(set(events))
        assert events[0] == before + 1 and len(events) == 30
        assert [s.live for s in rec.states][-2:] == [False, True]   # it said so, and came back


def test_a_doorbell_that_never_rang_is_caught_by_the_heartbeat(db) -> None:  # noqa: ANN001
    """Events committed while nobody listened (here: a fresh feed started from an old cursor)
    are found by the horizon check even though no NOTIFY arrives for them."""
    ids = _report_many(db.dsn, 5)
    rec = Recorder(db.dsn)
    with psycopg.connect(db.dsn) as conn:
        horizon = conn.execute("SELECT cc.event_horizon()").fetchone()[0]
    rec.feed.cursor = horizon - 5       # as if this console had applied up to before the five
    rec.feed.replay_limit = 10
    rec.thread.start()
    try:
        rec.wait(lambda: {r.id for b in rec.batches for r in b.rows} >= set(ids))
        assert rec.snapshots == 0 and len(rec.event_ids()) == 5
    finally:
        rec.feed.stop()
        rec.thread.join(timeout=10)
