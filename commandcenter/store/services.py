"""The service directory and the places of the information base, as the database serves them:
the nearest open providers of an item, a caller's service request and its completion, the
coverage of each grid, and the search over places. Scope, privacy and every rule (open now,
offers the item, the walk) are the SQL functions'; this module only calls them."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import dict_row

from .errors import from_psycopg


def nearest_providers(conn: psycopg.Connection, item: str, lon: float, lat: float, limit: int = 5,
                      open_only: bool = True) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute("SELECT * FROM cc.nearest_providers(%s, %s, %s, %s, %s)",
                           (item, lon, lat, limit, open_only)).fetchall()


def request_service(conn: psycopg.Connection, provider_id: int, item: str, lon: float, lat: float,
                    caller: str | None = None, phone: str | None = None, note: str = "") -> int:
    """Order the item from the provider for a caller: the new case's id (committed). A refusal
    is raised as the database's Refused, and nothing is kept."""
    try:
        row = conn.execute("SELECT cc.request_service(%s, %s, %s, %s, %s, %s, %s)",
                           (provider_id, item, lon, lat, caller or None, phone or None, note)).fetchone()
        conn.commit()
    except psycopg.Error as exc:
        conn.rollback()
        refused = from_psycopg(exc)
        if refused is not None:
            raise refused from exc
        raise
    assert row is not None
    return int(row[0])


def coverage(conn: psycopg.Connection, category: str) -> dict[int, float]:
    """1 for each grid of the console's scope with a provider of the category within the walk, else 0."""
    return {int(g): (1.0 if covered else 0.0)
            for g, covered in conn.execute("SELECT grid_id, covered FROM cc.service_coverage(%s)", (category,))}


def grid_places(conn: psycopg.Connection, grid_id: int) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute("SELECT * FROM cc.grid_places(%s)", (grid_id,)).fetchall()


def find_places(conn: psycopg.Connection, text: str, limit: int = 20) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute("SELECT * FROM cc.find_places(%s, %s)", (text, limit)).fetchall()


def base_figures(conn: psycopg.Connection) -> dict[str, dict[int, float]]:
    """Per grid of the console's scope: residents of the special populations and overdue visits
    (the map's figure fills); empty when the base is not loaded."""
    special: dict[int, float] = {}
    visits: dict[int, float] = {}
    for grid_id, residents, overdue, groups in conn.execute(
            "SELECT grid_id, residents, visits_overdue, "
            "       (SELECT coalesce(sum(value::int), 0) FROM jsonb_each_text(special)) FROM cc.base_counts()"):
        if residents:
            special[int(grid_id)] = float(groups)
            visits[int(grid_id)] = float(overdue)
    return {"special": special, "visits": visits}


def kind_names(conn: psycopg.Connection) -> dict[tuple[str, str], tuple[str, str]]:
    """("place" | "organisation", kind code) -> (name, English name)."""
    names = {("place", r[0]): (r[1], r[2]) for r in conn.execute("SELECT code, name, name_en FROM cc.place_kind")}
    names.update({("organisation", r[0]): (r[1], r[2])
                  for r in conn.execute("SELECT code, name, name_en FROM cc.organisation_kind")})
    return names
