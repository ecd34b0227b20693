"""The wall display against the real embedded PostgreSQL: it renders real data as a read-only
wall account, says so when its link is gone, recovers by itself, and after the outage shows
every event committed meanwhile, each once."""

from __future__ import annotations

import psycopg
from psycopg import sql
from PySide6.QtCore import Qt

from commandcenter.store.commands import Workflow
from commandcenter.ui.wall import WallWindow

from .helpers import grid_point
from .ui_support import hall_session, settle


def test_the_wall_goes_stale_when_the_database_goes_away_and_recovers(qtbot, db, login_role) -> None:  # noqa: ANN001
    dsn = login_role(["cc_wall"])
    role = psycopg.conninfo.conninfo_to_dict(dsn)["user"]
    with hall_session(dsn) as session:
        wall = WallWindow(session)
        qtbot.addWidget(wall)
        wall.resize(1920, 1080)
        wall.show()
        settle(qtbot, session)
        qtbot.waitUntil(lambda: wall.kpi_values["open"].text() != "—", timeout=5000)
        assert not wall.stale.isVisible()
        assert wall.newest.rowCount() > 0 and wall.overdue.rowCount() > 0
        import re
        assert re.fullmatch(r"\d{8}-\d{6}", wall.newest.item(0, 3).text())   # the whole case code
        # in English the street and the problem in English (titles are typed in Chinese)
        assert session.display.english
        assert not re.search(r"[\u3400-\u9fff]", wall.newest.item(0, 2).text())
        assert " Street" not in wall.newest.item(0, 2).text()
        assert wall.newest.verticalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        wall.next_focus()
        assert wall.focus_label.text()

        # the link goes: the wall's role may no longer log in and its sessions are cut
        with db.connect(autocommit=True) as admin:
            admin.execute(sql.SQL("ALTER ROLE {} NOLOGIN").format(sql.Identifier(role)))
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (role,))
        qtbot.waitUntil(lambda: wall.stale.isVisible(), timeout=10_000)
        assert "UNREACHABLE" in wall.stale.text()
        rows_before = dict(session.live.rows)

        # meanwhile the field keeps reporting
        with db.connect() as other:
            gid, lon, lat = grid_point(other)
            wf = Workflow(other)
            ids = [wf.report("patrol", "010201", f"断线期间上报{i}", lon, lat, grid_id=gid) for i in range(5)]
        assert rows_before == session.live.rows          # the last data stays, unchanged

        with db.connect(autocommit=True) as admin:
            admin.execute(sql.SQL("ALTER ROLE {} LOGIN").format(sql.Identifier(role)))
        qtbot.waitUntil(lambda: not wall.stale.isVisible(), timeout=20_000)
        qtbot.waitUntil(lambda: all(i in session.live.rows for i in ids), timeout=10_000)
        applied = session.live.applied_events
        cursor = session.live.cursor
        # nothing is applied twice: a repeated resync changes nothing
        session.live._feed.cursor = cursor - 5
        qtbot.wait(2500)
        assert session.live.applied_events == applied


def test_the_wall_is_left_by_escape_or_ctrl_q_after_confirmation(qtbot, login_role) -> None:  # noqa: ANN001
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    with hall_session(login_role(["cc_wall"])) as session:
        w = WallWindow(session)
        qtbot.addWidget(w)
        w.show()
        w.activateWindow()                   # as the full-screen wall is
        qtbot.waitUntil(w.isActiveWindow, timeout=5000)
        w.setFocus()
        qtbot.keyClick(w, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: w.leave_box is not None and w.leave_box.isVisible())
        w.leave_box.button(QMessageBox.StandardButton.No).click()      # "Stay": the wall stays
        qtbot.waitUntil(lambda: not w.leave_box.isVisible())
        assert w.isVisible()
        qtbot.keyClick(w, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: w.leave_box.isVisible())
        w.leave_box.button(QMessageBox.StandardButton.Yes).click()     # "Leave"
        qtbot.waitUntil(lambda: not w.isVisible())
