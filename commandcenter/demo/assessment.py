"""Demo two-way assessment (条块双向考评): the forms of the last half-year that ended a few days
before the history's end, recorded by the district centre from the streets' and departments'
paper forms through `cc.assess` — every rule applies, as for a console. Every street rates the
district-level units and its own units; every department rates every street. Scores come from a
seeded generator: the same seed gives the same forms."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import psycopg

from ..store import assessment as asm

#: forms are handed in over the days after the half-year ends, one every few minutes
SPACING = timedelta(minutes=7)
COMMENTS = {
    asm.STREET_RATES_UNIT: ("响应及时，处置到位", "个别案件返工较多", "配合街道联合执法积极", "夜间响应偏慢", "", "", ""),
    asm.DEPARTMENT_RATES_STREET: ("上报准确，图片清楚", "协调有力，跟进及时", "部分案件分类有误", "结案核查偶有延迟", "", "", ""),
}


def last_half_year(until: date, grace_days: int = 14) -> tuple[date, date]:
    """The latest calendar half-year that ended at least `grace_days` before `until`."""
    year, second = until.year, until.month > 6
    while True:
        start, end = (date(year, 7, 1), date(year, 12, 31)) if second else (date(year, 1, 1), date(year, 6, 30))
        if end + timedelta(days=grace_days) <= until:
            return start, end
        year, second = (year, False) if second else (year - 1, True)


def seed_assessments(conn: psycopg.Connection, seed: int = 1, until: datetime | None = None) -> int:
    """Record the demo's forms (one transaction; the caller is the administrator that builds the
    demo). Returns how many forms were stored."""
    zone = ZoneInfo(str(conn.execute("SELECT cc.local_tz()").fetchone()[0]))  # type: ignore[index]
    conn.commit()
    now = (until or datetime.now(zone)).astimezone(zone)
    start, end = last_half_year(now.date())
    rng = random.Random(seed * 7919 + start.toordinal())
    at = datetime.combine(end + timedelta(days=1), time(9, 0), zone)
    stored = 0
    for direction in asm.DIRECTIONS:
        form = asm.items(conn, direction)
        quality: dict[int, float] = {}           # each target's own level, rated similarly by everyone
        for rater in asm.raters(conn, direction):
            for target in asm.targets(conn, direction, rater.id):
                level = quality.setdefault(target.id, rng.uniform(5.5, 9.5))
                scores = {i.code: max(0, min(i.max_score, round((level + rng.uniform(-1.5, 1.5)) * i.max_score / 10)))
                          for i in form}
                conn.execute("SELECT set_config('cc.clock', %s, true)", (at.isoformat(),))
                codes = list(scores)
                conn.execute("SELECT cc.assess(%s, %s, %s, %s, %s::text[], %s::integer[], %s, %s)",
                             (direction, start, end, target.id, codes, [scores[c] for c in codes],
                              rng.choice(COMMENTS[direction]) or None, rater.id))
                at += SPACING
                stored += 1
    conn.execute("SELECT set_config('cc.clock', '', true)")
    conn.commit()
    return stored
