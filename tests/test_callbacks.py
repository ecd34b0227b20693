"""Callbacks (回访, issue 12): a closed hotline case whose caller left a number gets a callback
task from the database; reached with a satisfaction, or tried again, or given up."""

from __future__ import annotations

import psycopg
import pytest

from commandcenter.store import queries
from commandcenter.store.commands import Workflow
from commandcenter.store.errors import CommandCenterError, PermissionRefused
from tests.helpers import grid_point, sign_in


def _closed_hotline_case(conn: psycopg.Connection, phone: str | None = "13912345678") -> int:
    wf = Workflow(conn)
    _, lon, lat = grid_point(conn)
    case_id = wf.report("hotline", "010201", "回访测试 callback test", lon, lat,
                        reporter_name="赵六" if phone else None, reporter_phone=phone)
    unit = conn.execute('SELECT u.id FROM cc.unit u JOIN cc."case" c ON c.street_id = u.street_id '
                        "WHERE c.id = %s ORDER BY u.id LIMIT 1", (case_id,)).fetchone()[0]
    conn.commit()
    v = wf.file(case_id, 1)
    v = wf.dispatch(case_id, v, unit_id=unit)
    v = wf.accept(case_id, v)
    v = wf.feedback(case_id, v, "已处理 done")
    wf.verify(case_id, v, True)
    return case_id


def _callback(conn: psycopg.Connection, case_id: int) -> tuple | None:
    row = conn.execute("SELECT attempts, outcome, satisfaction FROM cc.callback WHERE case_id = %s",
                       (case_id,)).fetchone()
    conn.commit()
    return row


def test_closing_a_hotline_case_makes_a_callback_due(conn: psycopg.Connection) -> None:
    case_id = _closed_hotline_case(conn)
    assert _callback(conn, case_id) == (0, None, None)
    due = [r["case_id"] for r in queries.callbacks_due(conn)]
    conn.commit()
    assert case_id in due


def test_no_number_no_callback(conn: psycopg.Connection) -> None:
    assert _callback(conn, _closed_hotline_case(conn, phone=None)) is None


def test_reached_with_satisfaction_and_shown_in_the_timeline(conn: psycopg.Connection) -> None:
    case_id = _closed_hotline_case(conn)
    assert Workflow(conn).record_callback(case_id, True, 4, "满意 satisfied") == "reached"
    assert _callback(conn, case_id) == (1, "reached", 4)
    event = conn.execute("SELECT data FROM cc.case_event WHERE case_id = %s AND action = 'callback'",
                         (case_id,)).fetchone()[0]
    conn.commit()
    assert event["reached"] is True and event["satisfaction"] == 4
    assert case_id not in [r["case_id"] for r in queries.callbacks_due(conn)]
    with pytest.raises(CommandCenterError):          # once
        Workflow(conn).record_callback(case_id, True, 5)


def test_unreached_is_tried_again_then_given_up(conn: psycopg.Connection) -> None:
    case_id = _closed_hotline_case(conn)
    wf = Workflow(conn)
    assert [wf.record_callback(case_id, False) for _ in range(3)] == ["retry", "retry", "given_up"]
    assert _callback(conn, case_id) == (3, "given_up", None)


def test_bad_callbacks_are_refused_and_change_nothing(db, conn: psycopg.Connection) -> None:  # noqa: ANN001
    case_id = _closed_hotline_case(conn)
    wf = Workflow(conn)
    for call in (lambda: wf.record_callback(case_id, True), lambda: wf.record_callback(case_id, True, 9),
                 lambda: wf.record_callback(case_id, False, 3), lambda: wf.record_callback(10**12, True, 3)):
        with pytest.raises(CommandCenterError):
            call()
    assert _callback(conn, case_id) == (0, None, None)
    with sign_in(db, "wall") as wall:
        with pytest.raises(PermissionRefused):
            Workflow(wall).record_callback(case_id, True, 5)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):      # the list names callers
            wall.execute("SELECT * FROM cc.callbacks_due()")
    assert _callback(conn, case_id) == (0, None, None)
