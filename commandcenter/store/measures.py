"""The measures of a period (issue 13), read from the SQL functions that define them
(`db/sql/0007_measures.sql`, formulas in db/README.md "Measures (since 0007)"). Thin typed
readers, no Qt and no arithmetic: a figure computed here would be a second definition.

Every function runs under the connection's row-level security (the SQL functions are
SECURITY INVOKER), so a street console reads its street's figures. Periods are half-open,
[start, end); a refusal (SQLSTATE CC009: too long a period, an unknown scope, measure or
bucket) is raised as `errors.InvalidArgument` with the database's message and hint.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, TypedDict, cast

import psycopg
from psycopg.rows import dict_row

from .errors import from_psycopg

Scope = Literal["district", "street", "community", "grid", "department", "unit", "person"]
Bucket = Literal["day", "week", "month"]
SCOPES: tuple[Scope, ...] = ("district", "street", "community", "grid", "department", "unit", "person")


class Measure(TypedDict):
    """One row of `cc.measure`: the names every view shows for a measure."""
    code: str
    name: str
    name_en: str
    unit: str           # count | percent | hours | score
    sort: int
    description: str


def _rows(conn: psycopg.Connection, query: str, args: tuple[Any, ...]) -> list[dict[str, Any]]:
    """Rows as dicts in a transaction of their own; a refusal becomes its typed error. The
    transaction is closed either way, so a long-lived console connection holds no snapshot."""
    try:
        with conn.cursor(row_factory=dict_row) as cur:
            rows = cur.execute(query, args).fetchall()
        if not conn.autocommit:
            conn.commit()
        return rows
    except psycopg.Error as exc:
        if not conn.autocommit:
            conn.rollback()
        refused = from_psycopg(exc)
        if refused is not None:
            raise refused from exc
        raise


def measures(conn: psycopg.Connection) -> list[Measure]:
    """Every measure's code, names, unit and short definition, in display order."""
    rows = _rows(conn, "SELECT code, name, name_en, unit, sort, description FROM cc.measure ORDER BY sort", ())
    return [cast(Measure, r) for r in rows]


def kpi(conn: psycopg.Connection, start: datetime, end: datetime, street_id: int | None = None) -> dict[str, Any]:
    """Every measure of [start, end) over what the console sees (or one street): one row as a
    dict keyed by measure code; rates are Decimal percents with one decimal or None."""
    rows = _rows(conn, "SELECT * FROM cc.kpi(%s, %s, %s)", (start, end, street_id))
    return rows[0]


def kpi_by(conn: psycopg.Connection, start: datetime, end: datetime, scope: Scope | str,
           within: int | None = None) -> list[dict[str, Any]]:
    """Every measure of [start, end) per member of `scope` that had activity, ranked: keys
    scope, id, name, name_en, parent_id, every measure code, score, rank (None when the member
    has fewer due cases than `ranking_min_cases`). `within` narrows to a parent's members."""
    return _rows(conn, "SELECT * FROM cc.kpi_by(%s, %s, %s, %s)", (start, end, scope, within))


def cases_behind(conn: psycopg.Connection, start: datetime, end: datetime, measure: str,
                 scope: Scope | str | None = None, scope_id: int | None = None) -> list[dict[str, Any]]:
    """The visible cases a count of [start, end) is made of (keys case_id, code, title, state,
    street_id, community_id, grid_id, assignee_unit_id, assignee_person_id, reported_at,
    closed_at, handle_deadline, adds), for one scope member or all."""
    return _rows(conn, "SELECT * FROM cc.kpi_cases(%s, %s, %s, %s, %s)", (start, end, measure, scope, scope_id))


def trend(conn: psycopg.Connection, start: datetime, end: datetime, bucket: Bucket | str,
          scope: Scope | str | None = None, scope_id: int | None = None) -> list[dict[str, Any]]:
    """The main measures per local day, week or month of [start, end): keys bucket_start,
    bucket_end and the measure codes cc.kpi_trend returns."""
    return _rows(conn, "SELECT * FROM cc.kpi_trend(%s, %s, %s, %s, %s)", (start, end, bucket, scope, scope_id))
