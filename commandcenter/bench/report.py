"""`bench report`: the measures of issue 13 at the two sizes that matter.

1. **Demo, half-year report**: `cc.kpi_by` for every street and every department over the
   183 days up to now, on the demo district the hall runs (its whole history, 90 days), as the
   district centre, and the same as the wall console (its own row-level security); then the
   most a wall console may ask in one call: a 400-day daily trend (the `trend_buckets` bound)
   and an 800-day grid ranking (the `measure_period_days` bound).
2. **City, one year**: a scratch database holding the small demo's territory and a synthetic
   year of a 16-district city's volume (default 1,000,000 cases and their events, written with
   `INSERT … SELECT` on the server — rows only, not through the workflow functions), and the
   same report: `cc.kpi_by` per street and per department over the year.

Targets: 5 s for the demo half-year (a report someone waits for at the desk), 30 s for the city
year (a report run once a period, which must not hold a server for minutes). Each figure is
the median of `repeat` runs.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import psycopg

from ..launch.sign_in import view_dsn
from ..store.database import Database
from ..store.rows import scalar
from .harness import BenchResult
from .scratch import scratch_database

TARGETS = {"demo_half_year_s": 5.0, "wall_half_year_s": 5.0, "wall_worst_call_s": 30.0, "city_year_s": 30.0}
#: Beijing's 12345 hotline and city-management systems take on the order of 10⁶–10⁷ cases a year
#: across the 16 districts; 10⁶ is the lower end, kept so the scratch database fits a laptop.
CITY_CASES = 1_000_000


def _timed(conn: psycopg.Connection, calls: Sequence[tuple[str, tuple[Any, ...]]], repeat: int) -> float:
    """Median seconds of running every call once, over `repeat` runs (each in its own transaction)."""
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for q, args in calls:
            conn.execute(q, args).fetchall()
        conn.rollback()
        runs.append(time.perf_counter() - t0)
    return round(statistics.median(runs), 3)


def _half_year(now: datetime) -> list[tuple[str, tuple[Any, ...]]]:
    start = now - timedelta(days=183)
    return [("SELECT * FROM cc.kpi_by(%s, %s, 'street')", (start, now)),
            ("SELECT * FROM cc.kpi_by(%s, %s, 'department')", (start, now))]


def fill_city(conn: psycopg.Connection, cases: int, start: datetime) -> int:
    """A year of synthetic cases from `start` over the database's grids and units, with the
    events the measures read (report, file, dispatch, accept, feedback, verify_pass; 3 % returned
    and dispatched again, 5 % reworked, 4 % still open, 2 % escalated before dispatch). A bench
    fixture: rows written directly, triggers off while loading (event ids given densely; the
    scratch database is dropped afterwards, so its event counter is never used again; the
    first dispatch, which a trigger keeps, is written as the first dispatch event's time)."""
    conn.execute('ALTER TABLE cc."case" DISABLE TRIGGER USER')
    conn.execute("ALTER TABLE cc.case_event DISABLE TRIGGER USER")
    conn.execute("CREATE TEMP TABLE g AS SELECT row_number() OVER (ORDER BY id) AS n, id, community_id, street_id "
                 "FROM cc.grid")
    conn.execute("CREATE TEMP TABLE u AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM cc.unit")
    cat = scalar(conn, "SELECT c.id FROM cc.category c JOIN cc.time_limit t ON t.category_id = c.id "
                       "WHERE t.urgency = 'normal' AND t.phase = 'dispatch' ORDER BY c.id LIMIT 1")
    ng = scalar(conn, "SELECT count(*) FROM g")
    nu = scalar(conn, "SELECT count(*) FROM u")
    base = int(scalar(conn, 'SELECT coalesce(max(id), 0) FROM cc."case"'))
    conn.execute(
        "CREATE TEMP TABLE s AS SELECT i, "
        "  %(start)s::timestamptz + (i::float8 / %(n)s) * interval '365 days' AS rep, "
        "  (hashint4(i) & 1023) AS r, ((hashint4(i * 7) & 2147483647) %% 5000) AS late "
        "FROM generate_series(1, %(n)s) i", {"start": start, "n": cases})
    conn.execute(
        'INSERT INTO cc."case" (code, source, category_id, title, lon, lat, grid_id, community_id, street_id, '
        "  urgency, state, tier, assignee_unit_id, reported_at, filed_at, first_dispatched_at, dispatched_at, accepted_at, "
        "  handled_at, "
        "  closed_at, file_deadline, dispatch_deadline, handle_deadline, verify_deadline, rework_count, "
        "  escalation_count, return_count, handled_late, version, updated_at) "
        "SELECT 'CITY-' || s.i, 'patrol', %(cat)s, '城市体量 city volume', 116.4, 39.9, g.id, g.community_id, "
        "  g.street_id, 'normal', CASE WHEN s.r < 41 THEN 'in_progress' ELSE 'closed' END, 'street', u.id, "
        "  s.rep, s.rep + interval '10 minutes', "
        "  s.rep + interval '40 minutes' - CASE WHEN s.r BETWEEN 300 AND 330 THEN interval '20 minutes' ELSE interval '0' END, "
        "  s.rep + interval '40 minutes', s.rep + interval '1 hour', "
        "  CASE WHEN s.r >= 41 THEN s.rep + interval '1 minute' * (60 + s.late) END, "
        "  CASE WHEN s.r >= 41 THEN s.rep + interval '1 minute' * (120 + s.late) END, "
        "  s.rep + interval '1 hour', s.rep + interval '70 minutes', s.rep + interval '3 days', "
        "  CASE WHEN s.r >= 41 THEN s.rep + interval '1 minute' * (240 + s.late) END, "
        "  (s.r BETWEEN 100 AND 150)::int, (s.r BETWEEN 200 AND 220)::int, (s.r BETWEEN 300 AND 330)::int, "
        "  CASE WHEN s.r >= 41 THEN s.late > 4320 END, 1, s.rep "
        "FROM s JOIN g ON g.n = 1 + s.i %% %(ng)s JOIN u ON u.n = 1 + s.i %% %(nu)s",
        {"cat": cat, "ng": ng, "nu": nu})
    eid = int(scalar(conn, "SELECT coalesce(max(id), 0) FROM cc.case_event"))
    conn.execute(
        "INSERT INTO cc.case_event (id, case_id, street_id, action, from_state, to_state, actor, at) "
        "SELECT %(eid)s + row_number() OVER (), e.case_id, e.street_id, e.action, e.f, e.t, 'bench', e.at FROM ("
        "  SELECT c.id AS case_id, c.street_id, x.action, x.f, x.t, x.at "
        '    FROM cc."case" c CROSS JOIN LATERAL (VALUES '
        "      ('report', 'reported', 'reported', c.reported_at), ('file', 'reported', 'filed', c.filed_at), "
        "      ('escalate', 'filed', 'filed', CASE WHEN c.escalation_count > 0 THEN c.filed_at + interval '5 minutes' END), "
        "      ('dispatch', 'filed', 'dispatched', c.dispatched_at - CASE WHEN c.return_count > 0 "
        "                                                         THEN interval '20 minutes' ELSE interval '0' END), "
        "      ('return', 'dispatched', 'returned', "
        "       CASE WHEN c.return_count > 0 THEN c.dispatched_at - interval '10 minutes' END), "
        "      ('dispatch', 'returned', 'dispatched', CASE WHEN c.return_count > 0 THEN c.dispatched_at END), "
        "      ('accept', 'dispatched', 'in_progress', c.accepted_at), "
        "      ('feedback', 'in_progress', 'handled', c.handled_at), "
        "      ('verify_fail', 'handled', 'rework', CASE WHEN c.rework_count > 0 THEN c.handled_at - interval '1 minute' END), "
        "      ('verify_pass', 'handled', 'closed', c.closed_at)) x(action, f, t, at) "
        "   WHERE c.id > %(base)s AND x.at IS NOT NULL ORDER BY x.at) e", {"eid": eid, "base": base})
    conn.execute('ALTER TABLE cc."case" ENABLE TRIGGER USER')
    conn.execute("ALTER TABLE cc.case_event ENABLE TRIGGER USER")
    conn.commit()
    conn.autocommit = True
    conn.execute('VACUUM ANALYZE cc."case"')
    conn.execute("VACUUM ANALYZE cc.case_event")
    conn.autocommit = False
    return int(scalar(conn, 'SELECT count(*) FROM cc."case" WHERE id > %s', (base,)))


def run(db: Database, repeat: int = 3, city_cases: int = CITY_CASES) -> BenchResult:
    result = BenchResult("report", targets=dict(TARGETS))
    with db.connect() as conn:
        now = scalar(conn, "SELECT cc.clock()")
        result.figures["demo_cases"] = int(scalar(conn, 'SELECT count(*) FROM cc."case"'))
        conn.rollback()
        result.figures["demo_half_year_s"] = _timed(conn, _half_year(now), repeat)
    with psycopg.connect(view_dsn(db, "wall")) as wall:
        result.figures["wall_half_year_s"] = _timed(wall, _half_year(now), repeat)
        worst = [("SELECT * FROM cc.kpi_trend(%s, %s, 'day')", (now - timedelta(days=399), now)),   # 400 local days at most
                 ("SELECT * FROM cc.kpi_by(%s, %s, 'grid')", (now - timedelta(days=800), now))]
        result.figures["wall_worst_call_s"] = _timed(wall, worst, repeat)

    with scratch_database(db) as sdb, sdb.connect() as conn:
        year_start = datetime.fromisoformat("2025-01-01T00:00:00+08:00")
        t0 = time.perf_counter()
        result.figures["city_cases"] = fill_city(conn, city_cases, year_start)
        result.figures["city_events"] = int(scalar(conn, "SELECT count(*) FROM cc.case_event WHERE actor = 'bench'"))
        result.figures["city_fill_s"] = round(time.perf_counter() - t0, 1)
        conn.rollback()
        year = [("SELECT * FROM cc.kpi_by(%s, %s, 'street')", (year_start, year_start + timedelta(days=365))),
                ("SELECT * FROM cc.kpi_by(%s, %s, 'department')", (year_start, year_start + timedelta(days=365)))]
        result.figures["city_year_s"] = _timed(conn, year, repeat)
    result.notes.append(f"medians of {repeat} runs; the demo report reads the hall's own database (read only)")
    result.notes.append(f"city: {city_cases:,} synthetic cases in one year over the small demo territory's streets "
                        "(the grouping is small against the scan); Beijing's volume is 10⁶–10⁷ a year")
    return result
