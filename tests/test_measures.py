"""The measures of a period (db/sql/0007_measures.sql, formulas in db/README.md "Measures
(since 0007)") against values worked out by hand.

The dataset: eight cases driven through the workflow functions in March 2027, far after the
small demo's history (which ends 2026-11-20), with the clock (cc.clock) set for each step. The
demo's cases still open are closed out before (cancelled in 2026) so that none of them is
"open and overdue" at the end of the period: only these eight count. 2027 has no holidays
loaded, so Monday to Friday 08:30–12:00 and 13:00–17:30 are working time (8 hours a day).

Period P = [Mon 2027-03-01 00:00, Mon 2027-03-08 00:00) local (Asia/Shanghai). Category 010201
(normal): dispatch limit 1 working hour from filing, verification 2 working hours.

  C1 (street A) filed and dispatched Fri 02-26 10:00 (deadline 03-02 17:00), feedback Mon
     03-01 10:00, closed 11:00: crosses the start. Closed in P, handled on time, closed on
     time; handling 02-26 10:00→03-01 10:00 = 2 + 4.5 + 1.5 = 8.0 working hours.
  C2 (A) reported 03-01 09:00, filed 09:10, dispatched 09:30 (deadline 03-02 12:00), feedback
     late 03-03 09:00, verification failed 10:00 (rework), feedback 14:00, closed 15:00.
     Handled late, reworked; handling 03-01 09:30→03-03 14:00 = 7 + 8 + 4.5 = 19.5 h.
  C3 (A) reported 03-02 09:00, dispatched 09:20 (deadline 03-04 12:00), accepted, never
     handled: open and overdue at the end. Placed under supervision 03-04 09:00.
  C4 (A) reported 03-02 10:00, dispatched 10:30 (deadline 03-03 12:00), accepted, suspended
     03-03 09:00 and still on hold at the end: not due.
  C5 (A) reported 03-02 11:00, dispatched 11:30 (deadline 03-03 17:00), accepted, extension
     asked 03-03 09:00 and approved 10:00 to 03-05 17:00, feedback 03-05 09:00 (on time under
     the extension), closed 10:00. Handling 03-02 11:30→03-05 09:00 = 5 + 8 + 8 + 0.5 = 21.5 h.
  C6 (street B, hotline with a phone) reported 03-04 09:00, filed 09:05, dispatched 09:30
     (deadline 03-04 17:00), returned 10:00, dispatched again 11:00 (deadline 03-05 12:00),
     feedback 03-05 10:00, closed 11:00, caller reached 15:00 with satisfaction 5. Handling
     03-04 09:30→03-05 10:00 = 7 + 1.5 = 8.5 h (from the first dispatch).
  C7 (A) reported 03-05 09:00, filed 09:05, dispatched late 11:00 (1 h 55 working minutes
     after filing; deadline 03-12 17:00), closed 03-09: in P only its report, filing and first
     dispatch; in the next week it is closed.
  C8 (A) reported 03-05 10:00, filed 10:05, escalated 10:30: never dispatched.

District over P, by hand:
  reported 7 (C2–C8), filed 7, dispatched 7 (C2–C5, C7 one each, C6 two), first_dispatched 6
  (C2–C7), dispatched_on_time 5 (not C7) → 83.3 %; closed 4 (C1 C2 C5 C6); open_overdue 1
  (C3; C4 on hold, C7's deadline after the end, C8 has no handling deadline); due 5;
  closed_on_time 3 (C1 C5 C6) → closure 80.0 %, on time 60.0 %; handled_judged 4,
  handled_on_time 3 → 75.0 %; reworked 1 → rework rate 1/4 = 25.0 %; returned 1, escalated 1,
  extended 1, suspended 1, supervised 1; handling hours 8.0, 8.5, 19.5, 21.5 → median 14.0,
  p90 = 19.5 + 0.7 × 2.0 = 20.9; callbacks reached 1, satisfaction 5.00, satisfied 100.0 %.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest

from commandcenter.store import measures
from commandcenter.store.commands import Workflow
from commandcenter.store.database import Database
from commandcenter.store.errors import InvalidArgument

TZ = ZoneInfo("Asia/Shanghai")


def t(month: int, day: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(2027, month, day, hh, mm, tzinfo=TZ)


P_FROM, P_TO = t(3, 1), t(3, 8)
AFTER = t(3, 20)        # the clock while reading: the period lies in the past


@dataclass
class Data:
    cases: dict[str, int]
    street_a: int
    street_b: int
    unit_a: int
    unit_b: int


class Clocked:
    """The workflow with the clock set for each step (as the demo history does)."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn
        self.wf = Workflow(conn)
        self.v: dict[int, int] = {}

    def at(self, when: datetime, action: str, case_id: int | None, *args: Any, **kwargs: Any) -> Any:
        self.conn.execute("SELECT set_config('cc.clock', %s, true)", (when.isoformat(),))
        if case_id is None:
            return getattr(self.wf, action)(*args, **kwargs)
        if action == "record_callback":
            return self.wf.record_callback(case_id, *args, **kwargs)
        self.v[case_id] = getattr(self.wf, action)(case_id, self.v[case_id], *args, **kwargs)
        return self.v[case_id]

    def report(self, when: datetime, lon: float, lat: float, title: str, **kwargs: Any) -> int:
        case_id = self.at(when, "report", None, "hotline", "010201", title, lon, lat, **kwargs)
        self.v[case_id] = 1
        return int(case_id)


def _point(conn: psycopg.Connection, street_id: int) -> tuple[float, float]:
    row = conn.execute('SELECT lon, lat FROM cc."case" WHERE street_id = %s ORDER BY id LIMIT 1', (street_id,)).fetchone()
    conn.commit()
    assert row is not None
    return float(row[0]), float(row[1])


@pytest.fixture(scope="module")
def data(db: Database) -> Data:
    with db.connect() as conn:
        # Close out the demo's open cases in 2026 (this module's own copy of the database).
        conn.execute("ALTER TABLE cc.\"case\" DISABLE TRIGGER USER")
        conn.execute("UPDATE cc.\"case\" SET state = 'cancelled', closed_at = '2026-11-21 00:00+08' "
                     "WHERE closed_at IS NULL")
        conn.execute("ALTER TABLE cc.\"case\" ENABLE TRIGGER USER")
        a, b = (r[0] for r in conn.execute(
            "SELECT s.id FROM cc.street s WHERE EXISTS (SELECT 1 FROM cc.unit u WHERE u.street_id = s.id) "
            "ORDER BY s.id LIMIT 2"))
        unit_a = conn.execute("SELECT min(id) FROM cc.unit WHERE street_id = %s", (a,)).fetchone()[0]
        unit_b = conn.execute("SELECT min(id) FROM cc.unit WHERE street_id = %s", (b,)).fetchone()[0]
        conn.commit()
        pa, pb = _point(conn, a), _point(conn, b)
        w = Clocked(conn)
        c: dict[str, int] = {}

        def through(name: str, reported: datetime, filed: datetime, dispatched: datetime, deadline: datetime,
                    unit: int = unit_a, where: tuple[float, float] = pa, **kw: Any) -> int:
            cid = c[name] = w.report(reported, *where, f"测量 {name}", **kw)
            w.at(filed, "file", cid)
            w.at(dispatched, "dispatch", cid, unit_id=unit, deadline=deadline)
            return cid

        c1 = through("C1", t(2, 26, 9), t(2, 26, 9, 10), t(2, 26, 10), t(3, 2, 17))
        w.at(t(2, 26, 11), "accept", c1)
        w.at(t(3, 1, 10), "feedback", c1, "清理完毕 cleaned")
        w.at(t(3, 1, 11), "verify", c1, True)

        c2 = through("C2", t(3, 1, 9), t(3, 1, 9, 10), t(3, 1, 9, 30), t(3, 2, 12))
        w.at(t(3, 1, 10), "accept", c2)
        w.at(t(3, 3, 9), "feedback", c2, "done")
        w.at(t(3, 3, 10), "verify", c2, False, "仍有垃圾 still dirty")
        w.at(t(3, 3, 14), "feedback", c2, "done again")
        w.at(t(3, 3, 15), "verify", c2, True)

        c3 = through("C3", t(3, 2, 9), t(3, 2, 9, 5), t(3, 2, 9, 20), t(3, 4, 12))
        w.at(t(3, 2, 10), "accept", c3)
        w.at(t(3, 4, 9), "supervise", c3, "district", t(3, 10, 17), "区级督办 supervised")

        c4 = through("C4", t(3, 2, 10), t(3, 2, 10, 5), t(3, 2, 10, 30), t(3, 3, 12))
        w.at(t(3, 2, 11), "accept", c4)
        w.at(t(3, 3, 9), "suspend", c4, "budget", "需资金立项 needs funding", date(2027, 6, 1))

        c5 = through("C5", t(3, 2, 11), t(3, 2, 11, 5), t(3, 2, 11, 30), t(3, 3, 17))
        w.at(t(3, 2, 13), "accept", c5)
        w.at(t(3, 3, 9), "request_extension", c5, t(3, 5, 17), "需要更多时间 needs time")
        w.at(t(3, 3, 10), "decide_extension", c5, True)
        w.at(t(3, 5, 9), "feedback", c5, "done")
        w.at(t(3, 5, 10), "verify", c5, True)

        c6 = through("C6", t(3, 4, 9), t(3, 4, 9, 5), t(3, 4, 9, 30), t(3, 4, 17), unit=unit_b, where=pb,
                     reporter_name="王女士", reporter_phone="13800138000")
        w.at(t(3, 4, 10), "return_case", c6, "非本单位 not ours")
        w.at(t(3, 4, 11), "dispatch", c6, unit_id=unit_b, deadline=t(3, 5, 12))
        w.at(t(3, 4, 11, 30), "accept", c6)
        w.at(t(3, 5, 10), "feedback", c6, "done")
        w.at(t(3, 5, 11), "verify", c6, True)
        w.at(t(3, 5, 15), "record_callback", c6, True, 5)

        c7 = through("C7", t(3, 5, 9), t(3, 5, 9, 5), t(3, 5, 11), t(3, 12, 17))
        w.at(t(3, 5, 13), "accept", c7)
        w.at(t(3, 9, 9), "feedback", c7, "done")
        w.at(t(3, 9, 10), "verify", c7, True)

        c8 = c["C8"] = w.report(t(3, 5, 10), *pa, "测量 C8")
        w.at(t(3, 5, 10, 5), "file", c8)
        w.at(t(3, 5, 10, 30), "escalate", c8, "需区级处理 needs the district")
    return Data(c, a, b, unit_a, unit_b)


@pytest.fixture()
def admin(db: Database, data: Data) -> Iterator[psycopg.Connection]:
    """The superuser; each test sets the clock after the period for its session (so "at the
    end" is the period's end)."""
    with db.connect() as conn:
        yield conn


def _kpi(conn: psycopg.Connection, start: datetime = P_FROM, end: datetime = P_TO,
         street: int | None = None) -> dict[str, Any]:
    conn.execute("SELECT set_config('cc.clock', %s, false)", (AFTER.isoformat(),))
    return measures.kpi(conn, start, end, street)


DISTRICT = {
    "reported": 7, "filed": 7, "dispatched": 7, "first_dispatched": 6, "dispatched_on_time": 5,
    "on_time_dispatch_rate": Decimal("83.3"), "due": 5, "open_overdue": 1, "closed": 4, "closed_on_time": 3,
    "closure_rate": Decimal("80.0"), "on_time_closure_rate": Decimal("60.0"), "handled_judged": 4,
    "handled_on_time": 3, "handled_on_time_rate": Decimal("75.0"), "reworked": 1, "rework_rate": Decimal("25.0"),
    "returned": 1, "escalated": 1, "extended": 1, "suspended": 1, "supervised": 1,
    "handling_hours_median": Decimal("14.0"), "handling_hours_p90": Decimal("20.9"), "callbacks_reached": 1,
    "satisfaction_avg": Decimal("5.00"), "satisfied_rate": Decimal("100.0"),
}

# Street B holds C6 only: reported, filed, two dispatches (one first, on time), returned once,
# closed on time and handled on time, 8.5 h, the one callback.
STREET_B = {
    "reported": 1, "filed": 1, "dispatched": 2, "first_dispatched": 1, "dispatched_on_time": 1,
    "on_time_dispatch_rate": Decimal("100.0"), "due": 1, "open_overdue": 0, "closed": 1, "closed_on_time": 1,
    "closure_rate": Decimal("100.0"), "on_time_closure_rate": Decimal("100.0"), "handled_judged": 1,
    "handled_on_time": 1, "handled_on_time_rate": Decimal("100.0"), "reworked": 0, "rework_rate": Decimal("0.0"),
    "returned": 1, "escalated": 0, "extended": 0, "suspended": 0, "supervised": 0,
    "handling_hours_median": Decimal("8.5"), "handling_hours_p90": Decimal("8.5"), "callbacks_reached": 1,
    "satisfaction_avg": Decimal("5.00"), "satisfied_rate": Decimal("100.0"),
}

# Street A: the district minus C6. Due 4 (C1 C2 C5 closed + C3), closed on time C1 C5; hours
# 8.0, 19.5, 21.5 → median 19.5, p90 = 19.5 + 0.8 × 2.0 = 21.1.
STREET_A = {
    "reported": 6, "filed": 6, "dispatched": 5, "first_dispatched": 5, "dispatched_on_time": 4,
    "on_time_dispatch_rate": Decimal("80.0"), "due": 4, "open_overdue": 1, "closed": 3, "closed_on_time": 2,
    "closure_rate": Decimal("75.0"), "on_time_closure_rate": Decimal("50.0"), "handled_judged": 3,
    "handled_on_time": 2, "handled_on_time_rate": Decimal("66.7"), "reworked": 1, "rework_rate": Decimal("33.3"),
    "returned": 0, "escalated": 1, "extended": 1, "suspended": 1, "supervised": 1,
    "handling_hours_median": Decimal("19.5"), "handling_hours_p90": Decimal("21.1"), "callbacks_reached": 0,
    "satisfaction_avg": None, "satisfied_rate": None,
}


def test_every_measure_of_the_district(admin: psycopg.Connection) -> None:
    assert _kpi(admin) == DISTRICT


def test_every_measure_of_one_street(admin: psycopg.Connection, data: Data) -> None:
    assert _kpi(admin, street=data.street_b) == STREET_B
    assert _kpi(admin, street=data.street_a) == STREET_A


def test_kpi_by_street_agrees_and_ranks_only_with_enough_cases(admin: psycopg.Connection, data: Data) -> None:
    admin.execute("SELECT set_config('cc.clock', %s, false)", (AFTER.isoformat(),))
    rows = {r["id"]: r for r in measures.kpi_by(admin, P_FROM, P_TO, "street")}
    assert set(rows) == {data.street_a, data.street_b}
    for sid, expected in ((data.street_a, STREET_A), (data.street_b, STREET_B)):
        assert {k: rows[sid][k] for k in expected} == expected
        assert rows[sid]["rank"] is None            # due 4 and 1 < ranking_min_cases 10
    # score, default weights 25 each: volume = 100 × closed / most closed (3), closure, on-time
    # handling, 100 − rework. A: (100 + 75 + 66.7 + 66.7) / 4 = 77.1; B: (33.3… + 100 + 100 + 100) / 4 = 83.3
    assert rows[data.street_a]["score"] == Decimal("77.1")
    assert rows[data.street_b]["score"] == Decimal("83.3")
    admin.execute("UPDATE cc.input_limit SET value = 4 WHERE code = 'ranking_min_cases'")
    try:
        ranked = measures.kpi_by(admin, P_FROM, P_TO, "street")
        assert [(r["id"], r["rank"]) for r in ranked] == [(data.street_a, 1), (data.street_b, None)]
    finally:
        admin.execute("UPDATE cc.input_limit SET value = 10 WHERE code = 'ranking_min_cases'")
        admin.commit()


def test_unit_scope_counts_by_the_current_assignee(admin: psycopg.Connection, data: Data) -> None:
    admin.execute("SELECT set_config('cc.clock', %s, false)", (AFTER.isoformat(),))
    rows = {r["id"]: r for r in measures.kpi_by(admin, P_FROM, P_TO, "unit")}
    # C8 was never dispatched: no unit. Unit B has C6, unit A C1–C5 and C7.
    assert set(rows) == {data.unit_a, data.unit_b}
    assert {k: rows[data.unit_b][k] for k in STREET_B} == STREET_B
    assert rows[data.unit_a]["reported"] == 5 and rows[data.unit_a]["escalated"] == 0
    assert rows[data.unit_a]["due"] == 4 and rows[data.unit_a]["closed"] == 3
    dept = admin.execute("SELECT department_id FROM cc.unit WHERE id = %s", (data.unit_b,)).fetchone()[0]
    within = measures.kpi_by(admin, P_FROM, P_TO, "unit", within=dept)
    assert data.unit_b in {r["id"] for r in within}


def test_the_next_week_closes_what_was_dispatched_before(admin: psycopg.Connection) -> None:
    # [03-08, 03-15): C7, dispatched 03-05, is closed 03-09; handled on time (deadline 03-12).
    # C3 is still open and overdue; C4 still on hold. Handling 03-05 11:00 → 03-09 09:00 =
    # 5.5 + 8 (Mon 03-08) + 0.5 = 14.0 h.
    k = _kpi(admin, t(3, 8), t(3, 15))
    assert (k["reported"], k["filed"], k["dispatched"], k["closed"], k["open_overdue"], k["due"]) == (0, 0, 0, 1, 1, 2)
    assert (k["closed_on_time"], k["closure_rate"], k["handled_on_time_rate"]) == (1, Decimal("50.0"), Decimal("100.0"))
    assert k["handling_hours_median"] == Decimal("14.0")
    assert (k["suspended"], k["extended"], k["supervised"]) == (0, 0, 0)


def test_the_cases_behind_a_count(admin: psycopg.Connection, data: Data) -> None:
    admin.execute("SELECT set_config('cc.clock', %s, false)", (AFTER.isoformat(),))
    c = data.cases

    def behind(measure: str, scope: str | None = None, sid: int | None = None) -> set[int]:
        return {r["case_id"] for r in measures.cases_behind(admin, P_FROM, P_TO, measure, scope, sid)}

    assert behind("due") == {c["C1"], c["C2"], c["C3"], c["C5"], c["C6"]}
    assert behind("open_overdue") == {c["C3"]}
    assert behind("closed_on_time") == {c["C1"], c["C5"], c["C6"]}
    assert behind("dispatched_on_time") == {c["C2"], c["C3"], c["C4"], c["C5"], c["C6"]}
    assert behind("suspended") == {c["C4"]} and behind("extended") == {c["C5"]}
    assert behind("closed", "street", data.street_b) == {c["C6"]}
    assert [r["adds"] for r in measures.cases_behind(admin, P_FROM, P_TO, "dispatched", "street", data.street_b)] == [2]
    with pytest.raises(InvalidArgument) as refused:
        measures.cases_behind(admin, P_FROM, P_TO, "closure_rate")
    assert refused.value.sqlstate == "CC009" and "closed" in (refused.value.hint or "")


def test_trend_per_day_adds_up(admin: psycopg.Connection) -> None:
    admin.execute("SELECT set_config('cc.clock', %s, false)", (AFTER.isoformat(),))
    days = measures.trend(admin, P_FROM, P_TO, "day")
    assert len(days) == 7 and days[0]["bucket_start"] == P_FROM and days[-1]["bucket_end"] == P_TO
    assert sum(d["reported"] for d in days) == 7 and sum(d["closed"] for d in days) == 4
    # closed by day: Mon C1 C2? no — C2 closed Wed; Mon C1, Wed C2, Fri C5 C6
    assert [d["closed"] for d in days] == [1, 0, 1, 0, 2, 0, 0]
    weeks = measures.trend(admin, t(2, 20), P_TO, "week")
    assert [w["bucket_start"] for w in weeks] == [t(2, 20), t(2, 22), t(3, 1)]   # the first clipped to the period


def test_refusals_are_clear(admin: psycopg.Connection) -> None:
    for call, words in (
            (lambda: measures.kpi(admin, P_TO, P_FROM), "before it starts"),
            (lambda: measures.kpi(admin, t(1, 1), t(1, 1) + timedelta(days=900)), "longer than"),
            (lambda: measures.kpi_by(admin, P_FROM, P_TO, "planet"), "unknown scope"),
            (lambda: measures.kpi_by(admin, P_FROM, P_TO, "department", within=1), "cannot be narrowed"),
            (lambda: measures.trend(admin, t(1, 1), t(1, 1) + timedelta(days=500), "day"), "buckets"),
            (lambda: measures.trend(admin, P_FROM, P_TO, "hour"), "unknown bucket")):
        with pytest.raises(InvalidArgument) as refused:
            call()
        assert words in refused.value.message and refused.value.hint


def test_measure_names_in_one_place(admin: psycopg.Connection) -> None:
    ms = measures.measures(admin)
    codes = [m["code"] for m in ms]
    row = _kpi(admin)
    assert set(row) <= set(codes)          # every column of cc.kpi is named in cc.measure
    assert {m["unit"] for m in ms} == {"count", "percent", "hours", "score"}
    assert next(m for m in ms if m["code"] == "due")["name"] == "应结案数"


def test_a_street_console_counts_its_street_and_the_wall_counts_all(
        db: Database, data: Data, login_role: Any, admin: psycopg.Connection) -> None:
    street = psycopg.connect(login_role(["cc_supervisor"], street_id=data.street_b))
    wall = psycopg.connect(login_role(["cc_wall"]))
    try:
        # Consoles cannot set the clock: for them "the end" is the real now, which may lie
        # before the period's end; street B's figures do not depend on it (nothing of it is
        # open), the district's are compared with the superuser's at the real now.
        admin.execute("SELECT set_config('cc.clock', '', false)")
        at_now = measures.kpi(admin, P_FROM, P_TO)
        assert measures.kpi(street, P_FROM, P_TO) == STREET_B
        assert measures.kpi(street, P_FROM, P_TO, data.street_a)["reported"] == 0
        assert [r["id"] for r in measures.kpi_by(street, P_FROM, P_TO, "street")] == [data.street_b]
        assert {r["case_id"] for r in measures.cases_behind(street, P_FROM, P_TO, "reported")} == {data.cases["C6"]}
        assert measures.kpi(wall, P_FROM, P_TO) == at_now
        assert {k: at_now[k] for k in ("reported", "closed", "dispatched_on_time")} == {
            k: DISTRICT[k] for k in ("reported", "closed", "dispatched_on_time")}
        # the wall may list the cases behind a figure: the columns cc.case_board shows it, no caller
        rows = measures.cases_behind(wall, P_FROM, P_TO, "closed")
        assert len(rows) == 4 and not {"reporter_name", "reporter_phone"} & set(rows[0])
    finally:
        street.close()
        wall.close()


def test_set_based_working_time_matches_the_calendar(admin: psycopg.Connection) -> None:
    # The measure's handling time is computed without cc.work_minutes_between (one call per
    # case would not scale); it must agree with it, holidays included (2026 is loaded).
    pairs = [(datetime(2026, 9, 24, 16, 0, tzinfo=TZ), datetime(2026, 10, 9, 10, 15, tzinfo=TZ)),
             (datetime(2026, 2, 13, 12, 30, tzinfo=TZ), datetime(2026, 2, 28, 7, 0, tzinfo=TZ))]
    for a, b in pairs:
        expected = admin.execute("SELECT cc.work_minutes_between(%s, %s)", (a, b)).fetchone()[0]
        admin.rollback()
        name = f"m_{uuid.uuid4().hex[:6]}"
        cid = admin.execute(
            'SELECT id FROM cc."case" WHERE closed_at IS NOT NULL AND state = \'closed\' ORDER BY id LIMIT 1').fetchone()[0]
        # a throw-away closed case with the two moments, inside a transaction rolled back
        admin.execute("ALTER TABLE cc.\"case\" DISABLE TRIGGER USER")
        # (with its triggers off, the first dispatch the case keeps since 0008 is written too)
        admin.execute('UPDATE cc."case" SET handled_at = %s, closed_at = %s, dispatched_at = %s, '
                      "first_dispatched_at = %s, return_count = 0, escalation_count = 0 WHERE id = %s", (b, b, a, a, cid))
        # an earlier dispatch event than the demo's (its history starts in October 2026)
        admin.execute("INSERT INTO cc.case_event (case_id, street_id, action, from_state, to_state, actor, at, note) "
                      "SELECT id, street_id, 'dispatch', 'filed', 'dispatched', %s, %s, '' FROM cc.\"case\" WHERE id = %s",
                      (name, a, cid))
        got = admin.execute("SELECT handling_minutes FROM cc._kpi_facts(%s, %s) WHERE case_id = %s",
                            (b - timedelta(minutes=1), b + timedelta(minutes=1), cid)).fetchone()[0]
        admin.rollback()
        assert got == expected


def test_the_case_keeps_its_first_dispatch(admin: psycopg.Connection, data: Data) -> None:
    # Since 0008 the measures read the first dispatch from the case (a trigger keeps it): it must
    # be the first dispatch event of every case, after a return and a second dispatch (C6) too,
    # for the demo's history played through the workflow functions as for this module's cases.
    differ = admin.execute(
        'SELECT count(*) FROM cc."case" c WHERE c.first_dispatched_at IS DISTINCT FROM '
        "(SELECT min(e.at) FROM cc.case_event e WHERE e.case_id = c.id AND e.action = 'dispatch')").fetchone()
    dispatched = admin.execute('SELECT count(*) FROM cc."case" WHERE first_dispatched_at IS NOT NULL').fetchone()
    c6 = admin.execute('SELECT first_dispatched_at, dispatched_at FROM cc."case" WHERE id = %s',
                       (data.cases["C6"],)).fetchone()
    admin.rollback()
    assert differ == (0,) and dispatched is not None and dispatched[0] > 100
    assert c6 == (t(3, 4, 9, 30), t(3, 4, 11))
