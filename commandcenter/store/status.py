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
        # the grid information base (issue 14), through the function every console may call
        "base": _base(conn),
    }


def _base(conn: psycopg.Connection) -> dict[str, Any]:
    row = conn.execute(
        "SELECT coalesce(sum(buildings), 0), coalesce(sum(households), 0), coalesce(sum(residents), 0), "
        "coalesce(sum(registered), 0), coalesce(sum(permanent), 0), coalesce(sum(floating), 0), "
        "coalesce(sum(must_visit), 0) FROM cc.base_counts()").fetchone()
    assert row is not None
    special: dict[str, int] = dict(conn.execute(
        "SELECT g.code, coalesce(sum((b.special ->> g.code)::int), 0) FROM cc.special_group g "
        "CROSS JOIN cc.base_counts() b GROUP BY g.code, g.sort ORDER BY g.sort").fetchall())
    keys = ("buildings", "households", "residents", "registered", "permanent", "floating", "must_visit_households")
    places = conn.execute("SELECT coalesce(sum(places), 0), coalesce(sum(key_places), 0), "
                          "coalesce(sum(organisations), 0) FROM cc.place_counts()").fetchone()
    providers = conn.execute("SELECT count(*), count(DISTINCT street_id) FROM cc.provider").fetchone()
    assert places is not None and providers is not None
    return {**dict(zip(keys, (int(v) for v in row), strict=True)), "special_populations": special,
            "places": int(places[0]), "key_places": int(places[1]), "organisations": int(places[2]),
            "service_providers": int(providers[0]), "streets_with_providers": int(providers[1])}
