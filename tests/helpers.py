"""Small helpers shared by the database tests."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.conninfo import make_conninfo


def case_row(conn: psycopg.Connection, case_id: int) -> dict[str, Any]:
    cur = conn.execute('SELECT * FROM cc."case" WHERE id = %s', (case_id,))
    cols = [d.name for d in cur.description or []]
    row = cur.fetchone()
    conn.commit()
    assert row is not None
    return dict(zip(cols, row))


def event_count(conn: psycopg.Connection, case_id: int | None = None) -> int:
    if case_id is None:
        n = conn.execute("SELECT count(*) FROM cc.case_event").fetchone()[0]
    else:
        n = conn.execute("SELECT count(*) FROM cc.case_event WHERE case_id = %s", (case_id,)).fetchone()[0]
    conn.commit()
    return int(n)


def a_case_in(conn: psycopg.Connection, state: str, extra: str = "true") -> tuple[int, int]:
    """(id, version) of some demo case in the given state."""
    row = conn.execute(f'SELECT id, version FROM cc."case" WHERE state = %s AND {extra} ORDER BY id LIMIT 1',
                       (state,)).fetchone()
    conn.commit()
    assert row is not None, f"the demo has no case in state {state}"
    return int(row[0]), int(row[1])


def grid_point(conn: psycopg.Connection, grid_id: int | None = None) -> tuple[int, float, float]:
    """A grid and a point well inside it (the centre of a demo case there)."""
    row = conn.execute(
        'SELECT grid_id, lon, lat FROM cc."case" WHERE (%s::int IS NULL OR grid_id = %s) ORDER BY id LIMIT 1',
        (grid_id, grid_id)).fetchone()
    conn.commit()
    assert row is not None
    return int(row[0]), float(row[1]), float(row[2])


_PATH = {
    "reported": [], "filed": ["file"], "dispatched": ["file", "dispatch"],
    "returned": ["file", "dispatch", "return"], "in_progress": ["file", "dispatch", "accept"],
    "handled": ["file", "dispatch", "accept", "feedback"],
    "rework": ["file", "dispatch", "accept", "feedback", "verify_fail"],
    "closed": ["file", "dispatch", "accept", "feedback", "verify_pass"],
    "evaluated": ["file", "dispatch", "accept", "feedback", "verify_pass", "evaluate"],
    "rejected": ["reject"], "cancelled": ["cancel"],
}


def new_case_in(conn: psycopg.Connection, state: str, category: str = "010201",
                grid_id: int | None = None) -> tuple[int, int]:
    """(id, version) of a new case driven through the functions into the given state (in the
    given grid, or the grid of the first demo case)."""
    from commandcenter.store.commands import Workflow

    wf = Workflow(conn)
    _, lon, lat = grid_point(conn, grid_id)
    case_id = wf.report("hotline", category, f"测试 test → {state}", lon, lat)
    unit = conn.execute('SELECT u.id FROM cc.unit u JOIN cc."case" c ON c.street_id = u.street_id '
                        "WHERE c.id = %s ORDER BY u.id LIMIT 1", (case_id,)).fetchone()[0]
    conn.commit()
    v = 1
    for step in _PATH[state]:
        if step == "dispatch":
            v = wf.dispatch(case_id, v, unit_id=unit)
        elif step == "return":
            v = wf.return_case(case_id, v, "非本单位 not ours")
        elif step in ("verify_pass", "verify_fail"):
            v = wf.verify(case_id, v, step == "verify_pass", "核查 check")
        elif step == "evaluate":
            v = wf.evaluate(case_id, v, 4)
        elif step in ("feedback", "reject", "cancel"):
            v = getattr(wf, step)(case_id, v, "测试 test")
        else:
            v = getattr(wf, step)(case_id, v)
    return case_id, v


def sign_in(db, login: str, password: str | None = None, **kwargs: Any) -> psycopg.Connection:  # noqa: ANN001
    """A plain psycopg connection signed in as a console account (a demo one by default)."""
    from commandcenter.demo.accounts import DEMO_ACCOUNTS

    if password is None:
        password = {a.login: a.password for a in DEMO_ACCOUNTS}[login]
    return psycopg.connect(make_conninfo(db.dsn, user=login, password=password), **kwargs)
