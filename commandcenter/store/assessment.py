"""Two-way assessment (条块双向考评): streets rate the departments' units, departments rate the
streets, on the form kept in `cc.assessment_item` (db/sql/0007_assessment.sql). Plain psycopg,
no Qt; each call is its own transaction and a refusal becomes its typed error (errors.py).

Who may rate for whom, the bounds of the form and the aggregates are the database's
(`cc.assess`, `cc.assessment_targets`, `cc.assessment_raters`, `cc.assessment_summary`); this
module only carries them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

import psycopg

from .errors import run_one

Direction = Literal["street_rates_unit", "department_rates_street"]
STREET_RATES_UNIT: Direction = "street_rates_unit"
DEPARTMENT_RATES_STREET: Direction = "department_rates_street"
DIRECTIONS: tuple[Direction, ...] = (STREET_RATES_UNIT, DEPARTMENT_RATES_STREET)


@dataclass(frozen=True)
class Item:
    """One line of the form."""
    code: str
    name: str
    name_en: str
    description: str
    description_en: str
    weight: Decimal
    max_score: int


@dataclass(frozen=True)
class Side:
    """A street or department a console may rate for, or a unit or street it may rate."""
    id: int
    name: str
    name_en: str
    group_name: str | None = None        # a unit's department
    group_name_en: str | None = None
    code: str = ""


@dataclass(frozen=True)
class Rated:
    """What `assess` stored: the form's id and its revision (1 = first time, more = replaced)."""
    assessment_id: int
    revision: int


@dataclass(frozen=True)
class Previous:
    """The caller's form already given for a period, side and target (to start from)."""
    scores: dict[str, int]
    comment: str
    revision: int
    rated_by: str
    rated_at: datetime


@dataclass(frozen=True)
class SummaryRow:
    target_id: int
    code: str
    name: str
    name_en: str
    group_name: str | None
    group_name_en: str | None
    raters: int                          # distinct rating streets or departments
    ratings: int                         # forms (one per side and period overlapping the range)
    score: Decimal                       # weighted, 0–100, one decimal
    items: dict[str, Decimal] = field(default_factory=dict)   # item code → average score


def items(conn: psycopg.Connection, direction: Direction) -> list[Item]:
    """The active items of the form for one direction, in order."""
    rows = run_one(conn, "SELECT code, name, name_en, description, description_en, weight, max_score "
                         "FROM cc.assessment_item WHERE direction = %s AND active ORDER BY sort, code", (direction,))
    return [Item(r[0], r[1], r[2], r[3], r[4], Decimal(r[5]), int(r[6])) for r in rows]


def raters(conn: psycopg.Connection, direction: Direction) -> list[Side]:
    """The streets or departments this console may rate for (its own; every one for the district
    centre's supervisors, who record paper forms); empty when it may not rate this way."""
    rows = run_one(conn, "SELECT id, name, name_en FROM cc.assessment_raters(%s)", (direction,))
    return [Side(int(r[0]), r[1], r[2]) for r in rows]


def targets(conn: psycopg.Connection, direction: Direction, rater: int | None = None) -> list[Side]:
    """The units (with their department) or streets this console may rate for `rater`."""
    rows = run_one(conn, "SELECT id, code, name, name_en, group_name, group_name_en "
                         "FROM cc.assessment_targets(%s, %s::integer)", (direction, rater))
    return [Side(int(r[0]), r[2], r[3], r[4], r[5], r[1]) for r in rows]


def assess(conn: psycopg.Connection, direction: Direction, start: date, end: date, target: int,
           scores: Mapping[str, int], comment: str | None = None, rater: int | None = None) -> Rated:
    """Submit one form: a score for every item, for the period [start, end]. `rater` is the
    street or department for the district centre's supervisors; others rate for their own."""
    codes = list(scores)
    values = [scores[c] for c in codes]
    rows = run_one(conn, "SELECT assessment_id, revision FROM cc.assess(%s, %s, %s, %s::integer, %s::text[], "
                         "%s::integer[], %s, %s::integer)",
                   (direction, start, end, target, codes, values, comment, rater))
    return Rated(int(rows[0][0]), int(rows[0][1]))


def previous(conn: psycopg.Connection, direction: Direction, start: date, end: date, target: int,
             rater: int) -> Previous | None:
    """The form `rater` gave `target` for exactly this period, if this console may read it."""
    side_col, target_col = (("rater_street_id", "target_unit_id") if direction == STREET_RATES_UNIT
                            else ("rater_department_id", "target_street_id"))
    rows = run_one(conn,
                   "SELECT a.comment, a.revision, a.rated_by, a.rated_at, "
                   "       coalesce(jsonb_object_agg(s.item_code, s.score) FILTER (WHERE s.item_code IS NOT NULL), '{}') "
                   "  FROM cc.assessment a LEFT JOIN cc.assessment_score s ON s.assessment_id = a.id "
                   f" WHERE a.direction = %s AND a.period_start = %s AND a.period_end = %s "
                   f"   AND a.{side_col} = %s AND a.{target_col} = %s "
                   " GROUP BY a.id", (direction, start, end, rater, target))
    if not rows:
        return None
    comment, revision, by, at, given = rows[0]
    return Previous({str(k): int(v) for k, v in given.items()}, comment, int(revision), by, at)


def summary(conn: psycopg.Connection, start: date, end: date, direction: Direction) -> list[SummaryRow]:
    """Per target rated in forms whose period overlaps [start, end] (both days included):
    raters, forms, the weighted score 0–100 and each item's average. Best first."""
    rows = run_one(conn, "SELECT target_id, target_code, target_name, target_name_en, group_name, group_name_en, "
                         "raters, ratings, score, items FROM cc.assessment_summary(%s, %s, %s)",
                   (start, end, direction))
    return [SummaryRow(int(r[0]), r[1], r[2], r[3], r[4], r[5], int(r[6]), int(r[7]), Decimal(r[8]),
                       {str(k): Decimal(str(v)) for k, v in (r[9] or {}).items()})
            for r in rows]
