"""Deadlines follow the work calendar: hours, weekends, holidays and make-up days."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

BJ = ZoneInfo("Asia/Shanghai")


def _add(conn, start: datetime, amount: float, unit: str) -> datetime:  # noqa: ANN001
    return conn.execute("SELECT cc.add_time(%s, %s, %s)", (start, amount, unit)).fetchone()[0].astimezone(BJ)


@pytest.mark.parametrize("start, amount, unit, expected", [
    # Friday 16:00 + 4 working hours: 1.5 h on Friday, 2.5 h on Monday morning.
    (datetime(2026, 11, 20, 16, 0, tzinfo=BJ), 4, "work_hours", datetime(2026, 11, 23, 11, 0, tzinfo=BJ)),
    # Lunch break does not count.
    (datetime(2026, 11, 23, 11, 0, tzinfo=BJ), 2, "work_hours", datetime(2026, 11, 23, 14, 0, tzinfo=BJ)),
    # At night, the clock starts at 08:30 the next working day.
    (datetime(2026, 11, 23, 22, 0, tzinfo=BJ), 1, "work_hours", datetime(2026, 11, 24, 9, 30, tzinfo=BJ)),
    # National Day: 30 Sep 17:00 + 1 working hour skips 1-7 October and lands on 8 October.
    (datetime(2026, 9, 30, 17, 0, tzinfo=BJ), 1, "work_hours", datetime(2026, 10, 8, 9, 0, tzinfo=BJ)),
    # Saturday 10 October 2026 is a make-up working day.
    (datetime(2026, 10, 9, 17, 30, tzinfo=BJ), 1, "work_hours", datetime(2026, 10, 10, 9, 30, tzinfo=BJ)),
    # 15 working days (illegal construction) from Monday 09:00: three weeks later.
    (datetime(2026, 11, 2, 9, 0, tzinfo=BJ), 15, "work_days", datetime(2026, 11, 23, 9, 0, tzinfo=BJ)),
    # Clock units ignore the calendar.
    (datetime(2026, 10, 1, 12, 0, tzinfo=BJ), 2, "hours", datetime(2026, 10, 1, 14, 0, tzinfo=BJ)),
])
def test_add_time(conn, start: datetime, amount: float, unit: str, expected: datetime) -> None:  # noqa: ANN001
    assert _add(conn, start, amount, unit) == expected


def test_category_limits_drive_the_deadlines(conn) -> None:  # noqa: ANN001
    rows = dict(conn.execute(
        "SELECT c.code, t.amount::text || ' ' || t.unit FROM cc.time_limit t JOIN cc.category c ON c.id = t.category_id "
        "WHERE t.urgency = 'normal' AND t.phase = 'handle' AND c.code IN ('010201', '010401')").fetchall())
    assert rows == {"010201": "4 work_hours", "010401": "15 work_days"}


def test_every_item_has_every_limit(conn) -> None:  # noqa: ANN001
    missing = conn.execute(
        "SELECT c.code, u.code, p.phase FROM cc.category c CROSS JOIN cc.urgency u "
        "CROSS JOIN (VALUES ('file'), ('dispatch'), ('handle'), ('verify')) p(phase) "
        "WHERE c.level = 3 AND NOT EXISTS (SELECT 1 FROM cc.time_limit t WHERE t.category_id = c.id "
        "AND t.urgency = u.code AND t.phase = p.phase)").fetchall()
    assert missing == []


def test_unknown_unit_is_refused(conn) -> None:  # noqa: ANN001
    import psycopg

    with pytest.raises(psycopg.Error, match="unknown time unit"):
        conn.execute("SELECT cc.add_time(now(), 1, 'fortnights')")
