"""The demo history played on several connections at once is the history played on one: the
same cases with the same fates through the same workflow functions, only other ids."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import psycopg
import pytest

from commandcenter.demo import history, seed
from commandcenter.store import migrate
from commandcenter.store.database import Database

from .conftest import _fresh_database

TINY = dict(district="东城区", seed=11, cases=160, days=7, communities=20, grids=30,
            until=datetime(2026, 11, 20, 9, 30, tzinfo=UTC))

# A case as the history left it, by what does not depend on the order of ids.
FINGERPRINT = """
    SELECT c.reported_at, c.title, c.lon, c.lat, c.state, c.version, c.urgency, c.tier,
           c.handle_deadline, c.closed_at, c.satisfaction,
           (SELECT array_agg(e.action || '@' || e.at::text || '>' || coalesce(e.to_state, '') ORDER BY e.id)
              FROM cc.case_event e WHERE e.case_id = c.id) AS events
      FROM cc."case" c ORDER BY c.reported_at, c.title"""


def _migrated(pg_server) -> Database:  # noqa: ANN001
    db = Database(pg_server.admin_dsn(_fresh_database(pg_server, None, "lane")))
    migrate.upgrade(db)
    return db


def test_a_history_on_three_lanes_is_the_history_on_one(pg_server, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    one, three = _migrated(pg_server), _migrated(pg_server)
    with one.connect() as conn:
        played_one = seed.seed_demo(conn, **TINY)           # type: ignore[arg-type]
        cases_one = conn.execute(FINGERPRINT).fetchall()
    monkeypatch.setattr(seed, "HISTORY_LANES", 3)
    lanes_seen: set[str] = set()
    with three.connect() as conn:
        def connect() -> psycopg.Connection:
            c = three.connect()
            lanes_seen.add(str(c.info.backend_pid))
            return c
        played_three = seed.seed_demo(conn, **TINY, connect=connect)   # type: ignore[arg-type]
        cases_three = conn.execute(FINGERPRINT).fetchall()
        # the lanes' events interleave by the clock: no event is older than the events before
        # it by more than the lanes' slack
        worst = conn.execute(
            "SELECT coalesce(max(extract(epoch FROM before - at)), 0) FROM "
            "(SELECT at, max(at) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before "
            "FROM cc.case_event) x").fetchone()[0]
    assert len(lanes_seen) == 3
    assert played_three.actions == played_one.actions > 1000
    assert len(cases_three) == len(cases_one) == TINY["cases"]
    assert cases_three == cases_one
    assert worst <= history.LANE_SLACK + 1


def test_a_lane_that_fails_stops_the_others_and_the_error_reaches_the_caller(
        pg_server, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    db = _migrated(pg_server)
    monkeypatch.setattr(seed, "HISTORY_LANES", 2)
    opened: list[psycopg.Connection] = []
    calls = threading.Lock()

    def connect() -> psycopg.Connection:
        with calls:
            if opened:
                raise psycopg.OperationalError("the second lane could not connect")
            opened.append(db.connect())
            return opened[0]

    with db.connect() as conn:
        with pytest.raises(psycopg.OperationalError, match="second lane"):
            seed.seed_demo(conn, **TINY, connect=connect)   # type: ignore[arg-type]
        # the first lane stopped at once: it waited for the second, which never played
        assert conn.execute("SELECT count(*) FROM cc.case_event").fetchone()[0] == 0
    assert opened[0].closed


def test_the_sign_in_dialog_hears_the_lanes_progress_often(pg_server, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    """The first start's dialog shows a bar: the lanes report every PROGRESS_EVERY steps each,
    summed, rising (a report only every 5,000 actions left it at 0 % for half the history), and
    the bar follows the history's clock (counting only the queued steps put it at 88 % a third
    of the way in)."""
    db = _migrated(pg_server)
    monkeypatch.setattr(seed, "HISTORY_LANES", 2)
    heard: list[tuple[int, int]] = []
    with db.connect() as conn:
        args = {k: v for k, v in TINY.items() if k not in ("district",)}
        plan = seed.prepare_demo(conn, TINY["district"], **args)      # type: ignore[arg-type]
        result = plan.play(conn, on_step=lambda done, left: heard.append((done, left)), connect=db.connect)
    assert len(heard) >= result.actions // (2 * history.PROGRESS_EVERY) >= 2
    assert [d for d, _ in heard] == sorted(d for d, _ in heard)
    assert all(0 < d < result.actions + 1 and left >= 0 for d, left in heard)
    # the bar tells the truth: within a fifth of the share of the actions really played
    assert all(abs(d / (d + left) - d / result.actions) < 0.2 for d, left in heard), \
        [(round(d / (d + left), 2), round(d / result.actions, 2)) for d, left in heard]


@pytest.mark.parametrize("when", ["while the district is written", "while the lanes play"])
def test_a_history_stopped_with_the_hall_ends_quietly_and_is_built_again_next_time(
        pg_server, tmp_path, caplog, monkeypatch: pytest.MonkeyPatch, when: str) -> None:  # noqa: ANN001
    """Cancelling the sign-in while the first start's demo was built stopped the server under
    the lanes: AdminShutdown and a traceback in the terminal, and 5-10 s before the process left."""
    import logging
    import time

    from commandcenter.demo.background import BackgroundHistory

    db = _migrated(pg_server)
    monkeypatch.setattr(seed, "HISTORY_LANES", 2)
    slow = history.HistoryPlayer._step

    def step(self, cur, step):  # noqa: ANN001, ANN202 - a slower history, so that it is caught playing
        time.sleep(0.002)
        return slow(self, cur, step)

    monkeypatch.setattr(history.HistoryPlayer, "_step", step)
    marker = tmp_path / "demo-history.pending"
    args = {k: v for k, v in TINY.items() if k != "district"}
    background = BackgroundHistory(db.dsn, lambda conn: seed.prepare_demo(conn, TINY["district"], **args), marker)
    caplog.set_level(logging.INFO)
    background.start()
    if when == "while the lanes play":
        deadline = time.monotonic() + 60
        while background.played == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert background.played > 0
    background.stop()
    assert background.done.is_set()
    assert isinstance(background.error, history.HistoryStopped)
    assert marker.exists()                                # the next start builds the demo again
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    with db.connect() as conn:
        events = conn.execute("SELECT count(*) FROM cc.case_event").fetchone()[0]
        others = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                              "AND pid <> pg_backend_pid()").fetchone()[0]
    assert others == 0                                    # every lane has left the server
    if when == "while the lanes play":
        assert 0 < events < 1000
    else:
        assert events == 0
