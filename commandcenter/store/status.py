"""What a database holds, for `commandcenter db status`."""

from __future__ import annotations

from typing import Any

import psycopg

from .database import Database
from .migrate import current_revision, head_revision
from .rows import scalar


def database_status(db: Database) -> dict[str, Any]:
    revision = current_revision(db)
    status: dict[str, Any] = {"revision": revision, "head": head_revision(), "embedded": db.embedded is not None}
    if revision is None:
        return status
    with db.connect() as conn:
        status.update(_counts(conn))
    return status


def _counts(conn: psycopg.Connection) -> dict[str, Any]:
    def one(sql: str) -> Any:
        return scalar(conn, sql)

    return {
        "district": one("SELECT min(name) FROM cc.district"),
        "streets": one("SELECT count(*) FROM cc.street"),
        "communities": one("SELECT count(*) FROM cc.community"),
        "grids": one("SELECT count(*) FROM cc.grid"),
        "grids_fully_staffed": one("SELECT count(*) FROM cc.grid_staffing WHERE fully_staffed"),
        "staff": one("SELECT count(*) FROM cc.person"),
        "units": one("SELECT count(*) FROM cc.unit"),
        "categories": one("SELECT count(*) FROM cc.category WHERE level = 3"),
        "cases": one('SELECT count(*) FROM cc."case"'),
        "cases_by_state": dict(conn.execute(
            'SELECT s.code, count(c.id) FROM cc.case_state s LEFT JOIN cc."case" c ON c.state = s.code '
            "GROUP BY s.code, s.sort ORDER BY s.sort").fetchall()),
        "overdue": one("SELECT count(*) FROM cc.case_board WHERE overdue"),
        "events": one("SELECT count(*) FROM cc.case_event"),
        "last_event_id": one("SELECT cc.event_horizon()"),
    }
