"""Faults: PostgreSQL stopped while a console and the wall are connected. They say so, keep
their data, refuse actions clearly, and after the restart every event committed by others is
applied exactly once. A cluster of its own, so stopping it disturbs no other test."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from commandcenter.demo.accounts import DEMO_ACCOUNTS
from commandcenter.demo.seed import seed_demo
from commandcenter.store import migrate
from commandcenter.store.commands import Workflow
from commandcenter.store.database import Database
from commandcenter.store.embedded import EmbeddedServer
from commandcenter.store.errors import DatabaseUnavailable
from commandcenter.ui.board_model import BoardModel
from commandcenter.ui.wall import WallWindow

from .ui_support import hall_session, settle


@pytest.fixture()
def own_server(tmp_path):  # noqa: ANN001, ANN201
    server = EmbeddedServer(tmp_path / "fault")
    server.start()
    db = Database(server.dsn)
    migrate.upgrade(db)
    with db.connect() as conn:
        seed_demo(conn, district="东城区", seed=3, cases=120, days=7, communities=20, grids=30,
                  until=datetime(2026, 11, 20, 9, 30, tzinfo=UTC))
    yield server
    server.stop()


def test_console_and_wall_survive_a_restart_and_apply_every_event_once(qtbot, own_server, tmp_path) -> None:  # noqa: ANN001
    sup = next(a for a in DEMO_ACCOUNTS if a.login == "dc_supervisor")
    dsn = make_conninfo(own_server.dsn, user=sup.login, password=sup.password)
    with hall_session(dsn) as session:
        model = BoardModel(session.live)
        wall = WallWindow(session)
        qtbot.addWidget(wall)
        wall.show()
        settle(qtbot, session)
        applied: list[int] = []
        session.live.events_applied.connect(lambda evs: applied.extend(e.id for e in evs))
        some = next(iter(session.live.rows.values()))
        rows_before = len(model.index_.rows)

        own_server.stop()                                            # the database goes away
        qtbot.waitUntil(lambda: wall.stale.isVisible(), timeout=15_000)
        assert "UNREACHABLE" in wall.stale.text() and not session.live.live
        assert len(model.index_.rows) == rows_before                  # the last data stays visible

        errors: list[Exception] = []
        session.worker.submit(lambda conn: Workflow(conn).urge(some.id, some.version), lambda _v: None,
                              errors.append, retry=False)
        qtbot.waitUntil(lambda: bool(errors), timeout=15_000)
        assert isinstance(errors[0], DatabaseUnavailable)
        assert "Nothing was changed" in str(errors[0]) or "cannot reach" in str(errors[0])

        restarted = EmbeddedServer(tmp_path / "fault")                # it comes back …
        restarted.start()
        try:
            with psycopg.connect(restarted.dsn) as other:             # … and others write at once
                gid, lon, lat = other.execute('SELECT grid_id, lon, lat FROM cc."case" LIMIT 1').fetchone()
                other.commit()
                wf = Workflow(other)
                ids = [wf.report("hotline", "010201", f"重启后{i}", lon, lat, grid_id=gid) for i in range(6)]
                horizon = other.execute("SELECT cc.event_horizon()").fetchone()[0]
            qtbot.waitUntil(lambda: all(i in session.live.rows for i in ids), timeout=30_000)
            qtbot.waitUntil(lambda: not wall.stale.isVisible(), timeout=15_000)
            assert session.live.cursor == horizon
            assert len(applied) == len(set(applied)) == 6             # every one, once
            assert all(model.view_row_of(i) is not None or not session.live.rows[i].is_open for i in ids)
            # the urge tried during the outage never happened
            with psycopg.connect(restarted.dsn) as other:
                assert other.execute('SELECT urge_count FROM cc."case" WHERE id = %s', (some.id,)).fetchone()[0] == \
                    some.urge_count
        finally:
            restarted.stop()


def test_a_killed_embedded_server_is_started_again(tmp_path) -> None:  # noqa: ANN001
    import os
    import signal
    import time

    server = EmbeddedServer(tmp_path / "crash")
    server.start()
    stop = server.watch(interval=0.5)
    try:
        pid = int((server.pgdata / "postmaster.pid").read_text().splitlines()[0])
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.3)
        assert not server.reachable()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not server.reachable():
            time.sleep(0.3)
        assert server.reachable()
    finally:
        stop.set()
        server.stop()
