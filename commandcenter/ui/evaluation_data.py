"""What the evaluation panel and the PDF report show, without Qt: the drill-down path
(district → street → community → grid, departments → department → unit → person), the data of
one period and scope as read from the database's measures (`store/measures.py`, formulas in
db/README.md), how a value is written, and the CSV of a ranking. The panel (`evaluation.py`)
and the report (`report_pdf.py`) only lay it out."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg

from ..domain.collation import collation_key
from ..domain.periods import Bucket, Period

#: which scope a level lists when drilled into (kpi_by's p_scope, with the level's id as p_within)
CHILD: dict[str, str] = {"district": "street", "street": "community", "community": "grid",
                         "departments": "department", "department": "unit", "unit": "person"}
#: the two roots: the territory (条/块: 块) and the departments (条)
ROOTS = ("district", "departments")
#: the measures shown as key figures, in this order, where the database has them
HEADLINE = ("reported", "filed", "dispatched", "due", "closed", "closure_rate", "on_time_closure_rate", "on_time_dispatch_rate",
            "handled_on_time_rate", "rework_rate", "satisfaction_avg", "handling_hours_median")
#: columns of a ranking that are not measures
NOT_MEASURES = ("scope", "id", "name", "name_en", "parent_id", "score", "rank")


@dataclass(frozen=True)
class Measure:
    """One row of cc.measure: what a column is called and what it counts."""
    code: str
    name: str
    name_en: str
    unit: str            # count | percent | hours | score
    sort: int = 0
    description: str = ""
    description_en: str = ""

    @property
    def countable(self) -> bool:
        """A count has cases behind it (cc.kpi_cases lists them)."""
        return self.unit == "count"


@dataclass(frozen=True)
class Level:
    """One step of the drill-down: what it is (its scope) and which one (its id; None for a root)."""
    scope: str
    id: int | None
    name: str
    name_en: str = ""


@dataclass(frozen=True)
class Scope:
    """A drill-down path from a root; the last level is the one selected."""
    path: tuple[Level, ...]

    @classmethod
    def root(cls, level: Level) -> Scope:
        """Where a drill-down starts: the district or the departments; a street sub-centre starts
        at its street (it sees nothing else)."""
        if level.scope not in (*ROOTS, "street"):
            raise ValueError(f"a drill-down starts at one of {ROOTS} or a street, not {level.scope!r}")
        return cls((level,))

    @property
    def last(self) -> Level:
        return self.path[-1]

    @property
    def at_root(self) -> bool:
        return len(self.path) == 1

    @property
    def listing(self) -> str | None:
        """The scope of the ranking shown here (None at a grid or a person: nothing below)."""
        return CHILD.get(self.last.scope)

    @property
    def within(self) -> int | None:
        return self.last.id

    @property
    def can_drill(self) -> bool:
        """Whether a row of this ranking has a ranking of its own below it."""
        return self.listing is not None and self.listing in CHILD

    def drill(self, row_id: int, name: str, name_en: str = "") -> Scope:
        listing = self.listing
        if listing is None or not self.can_drill:
            raise ValueError(f"nothing below a {listing or self.last.scope} to drill into")
        return Scope(self.path + (Level(listing, row_id, name, name_en),))

    def up_to(self, depth: int) -> Scope:
        """Back along the breadcrumb: depth 0 is the root."""
        if not 0 <= depth < len(self.path):
            raise IndexError(f"the path has {len(self.path)} levels, not {depth + 1}")
        return Scope(self.path[:depth + 1])

    @property
    def figures_of(self) -> tuple[str | None, int | None]:
        """(scope, id) of the selected level for kpi_cases / kpi_trend: (None, None) for the whole
        district (the departments' root too: every case has a place in the district)."""
        return (None, None) if self.last.id is None else (self.last.scope, self.last.id)

    @property
    def parent_within(self) -> int | None:
        """kpi_by's p_within for the ranking the selected level is a row of."""
        return self.path[-2].id if len(self.path) > 1 else None


@dataclass
class EvaluationData:
    """One period and scope as read: the selected level's figures, the ranking of the level
    below it, and the trend. `until` is where the period was read up to (now, while it runs)."""
    period: Period
    until: datetime
    scope: Scope
    measures: list[Measure]
    figures: dict[str, Any]
    rows: list[dict[str, Any]]
    trend: list[dict[str, Any]]
    trend_from: datetime
    bucket: Bucket
    read_at: datetime
    district: tuple[str, str] = ("", "")
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def listing(self) -> str | None:
        return self.scope.listing

    def shown_measures(self) -> list[Measure]:
        """The measures the ranking has columns for (the database's order), score and rank apart."""
        have = set(self.rows[0]) if self.rows else set(self.figures)
        return [m for m in self.measures if m.code in have and m.code not in NOT_MEASURES]

    def headline(self) -> list[Measure]:
        by_code = {m.code: m for m in self.measures}
        return [by_code[c] for c in HEADLINE if c in by_code and c in self.figures]


# ------------------------------------------------------------ values
def number(value: Any) -> float | int | None:
    """A value as Python reads it from a row: Decimal rates become floats."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (int, float)):
        return value
    raise TypeError(f"not a measure's value: {value!r}")


def unit_suffix(unit: str, english: bool) -> str:
    return {"percent": "%", "hours": " h" if english else " 小时"}.get(unit, "")


def format_value(value: Any, unit: str, english: bool = False, in_table: bool = False) -> str:
    """How a value is shown: counts with thousands separators, rates with one decimal and %,
    hours with one decimal (in a table the column says "h"), scores with one or two; nothing to
    measure is "—"."""
    v = number(value)
    if v is None:
        return "—"
    if unit == "count":
        return f"{int(v):,}"
    if unit == "percent":
        return f"{v:.1f}%"
    if unit == "hours":
        return f"{v:.1f}" + ("" if in_table else unit_suffix(unit, english))
    if unit == "score":
        return f"{v:.2f}" if abs(v) < 10 else f"{v:.1f}"
    return f"{v}"


def sort_key(value: Any) -> tuple[int, float | str]:
    """Sortable whatever the column: nothing to measure after everything measured."""
    if value is None:
        return (1, 0.0)
    if isinstance(value, str):
        return (0, collation_key(value))
    v = number(value)
    return (0, float(v) if v is not None else 0.0)


def sorted_rows(rows: list[dict[str, Any]], key: str, descending: bool) -> list[dict[str, Any]]:
    """Rows by one column; blanks (rank below the minimum, rates with nothing due) always last."""
    present = [r for r in rows if r.get(key) is not None]
    blank = [r for r in rows if r.get(key) is None]
    present.sort(key=lambda r: sort_key(r.get(key)), reverse=descending)
    return present + blank


def default_order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ranked first by rank, then the unranked by score, then by name."""
    return sorted(rows, key=lambda r: (r.get("rank") is None, r.get("rank") or 0,
                                       -(number(r.get("score")) or 0.0), collation_key(r.get("name") or "")))


# ------------------------------------------------------------ CSV
def csv_text(header: list[str], rows: list[list[Any]]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(header)
    for row in rows:
        w.writerow(["" if v is None else (f"{v:.1f}" if isinstance(v, float) else v) for v in
                    (number(x) if isinstance(x, Decimal) else x for x in row)])
    return out.getvalue()


def write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    """UTF-8 with a byte-order mark, CRLF: what Excel on a Chinese desk opens without mojibake."""
    path.write_text(csv_text(header, rows), encoding="utf-8-sig", newline="")
    return path


# ------------------------------------------------------------ reading (the worker's thread)
def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def read_measures(conn: psycopg.Connection) -> list[Measure]:
    """cc.measure in its order. Its `description` is one text: Chinese or English by what it
    is written in (a `description_en` column, if the table gains one, is taken as it is)."""
    from ..store import measures as store

    out = []
    for m in store.measures(conn):
        row: dict[str, Any] = dict(m)
        text = row.get("description") or ""
        zh, en = (text, row.get("description_en") or "") if has_chinese(text) or "description_en" in row else ("", text)
        out.append(Measure(code=row["code"], name=row["name"], name_en=row.get("name_en") or "", unit=row["unit"],
                           sort=row.get("sort") or 0, description=zh, description_en=en))
    return sorted(out, key=lambda m: (m.sort, m.code))


def explain(measure: Measure, measures: list[Measure], english: bool) -> str:
    """A measure's description in the language asked where the table has it; the codes of
    other measures in it ("closed / due") read as their names ("结案数 / 应结案数")."""
    text = (measure.description_en or measure.description) if english else (measure.description or measure.description_en)
    names = {m.code: (m.name_en or m.name) if english else (m.name or m.name_en) for m in measures}
    if not names:
        return text
    words = re.findall(r"[A-Za-z_]\w*", text)
    formula = bool(words) and all(w in names for w in words)      # "closed / due": every word a code
    codes = [c for c in names if formula or "_" in c]              # in a sentence only the clear ones
    if not codes:
        return text
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, codes), key=len, reverse=True)) + r")\b")
    return pattern.sub(lambda hit: names[hit.group(1)], text)


def read_evaluation(conn: psycopg.Connection, period: Period, scope: Scope,
                    measures: list[Measure] | None = None) -> EvaluationData:
    """Everything the panel shows for a period and scope, read on the worker: the selected
    level's figures, the ranking below it and the trend, up to the database's clock."""
    from ..store import measures as store

    row = conn.execute("SELECT cc.clock(), d.name, d.name_en FROM cc.district d LIMIT 1").fetchone()
    if row is None:
        raise RuntimeError("the database has no district")
    now, district, district_en = row
    until = period.until(now)
    measures = measures if measures is not None else read_measures(conn)
    trend_from, trend_to, bucket = period.trend_range()
    if until <= period.start:        # a period still to come: nothing has happened in it
        return EvaluationData(period=period, until=until, scope=scope, measures=measures, figures={}, rows=[],
                              trend=[], trend_from=trend_from, bucket=bucket, read_at=now,
                              district=(district, district_en))
    if scope.at_root:
        street = scope.last.id if scope.last.scope == "street" else None
        figures = store.kpi(conn, period.start, until, street_id=street)
    else:
        siblings = store.kpi_by(conn, period.start, until, scope.last.scope, within=scope.parent_within)
        figures = next((r for r in siblings if r["id"] == scope.last.id), {})
    rows = store.kpi_by(conn, period.start, until, scope.listing, within=scope.within) if scope.listing else []
    what, which = scope.figures_of
    trend = store.trend(conn, trend_from, min(trend_to, max(until, trend_from)), bucket, scope=what, scope_id=which)
    return EvaluationData(period=period, until=until, scope=scope, measures=measures, figures=dict(figures),
                          rows=default_order([dict(r) for r in rows]), trend=[dict(t) for t in trend],
                          trend_from=trend_from, bucket=bucket, read_at=now, district=(district, district_en))


def read_cases(conn: psycopg.Connection, start: datetime, until: datetime, measure: str, scope: str | None,
               scope_id: int | None) -> list[dict[str, Any]]:
    """The cases behind one count, read over the same [start, until) as the count itself."""
    from ..store import measures as store

    return [dict(r) for r in store.cases_behind(conn, start, until, measure, scope=scope, scope_id=scope_id)]
