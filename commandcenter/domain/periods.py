"""The periods evaluation is read for: today, this week, this month, this half-year (上半年
January–June, 下半年 July–December, the half-yearly reviews of DOMAIN.md §4) and a custom run
of calendar days — each in the district's time zone (`Display.zone`, from cc.local_tz()), never
the workstation's.

A period is half-open, [start, end), in calendar days of the district. While it runs, the
measures are read up to the moment asked (`until`): "due" counts cases past their deadline at
the period's end, and a deadline later today has not passed yet. No Qt, no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Literal

Kind = Literal["today", "week", "month", "half_year", "custom"]
Bucket = Literal["day", "week", "month"]
KINDS: tuple[Kind, ...] = ("today", "week", "month", "half_year", "custom")

#: a trend needs a few points: a period shorter than this is shown with the days before it
TREND_MIN_DAYS = 14


def midnight(day: date, zone: tzinfo) -> datetime:
    """The start of a calendar day in the zone (a zone with a DST jump at midnight still gets
    the first instant of that day: zoneinfo resolves it)."""
    return datetime.combine(day, time(0), tzinfo=zone)


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _add_months(day: date, months: int) -> date:
    """The first of the month `months` after the month of `day`."""
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def _half_start(day: date) -> date:
    return date(day.year, 1 if day.month <= 6 else 7, 1)


@dataclass(frozen=True)
class Period:
    """[start, end) in the district's zone; `first_day` and `last_day` are its calendar days."""
    kind: Kind
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("a period's bounds carry the district's time zone")
        if self.end <= self.start:
            raise ValueError(f"a period ends after it starts ({self.start.isoformat()} – {self.end.isoformat()})")

    @property
    def zone(self) -> tzinfo:
        assert self.start.tzinfo is not None
        return self.start.tzinfo

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        """The last calendar day inside the period (end is the midnight after it)."""
        return (self.end - timedelta(microseconds=1)).astimezone(self.zone).date()

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def until(self, now: datetime) -> datetime:
        """Where the measures are read up to: the period's end, or now while it is running (a
        period still to come is read as empty)."""
        return max(self.start, min(self.end, now))

    def running(self, now: datetime) -> bool:
        return self.start <= now < self.end

    def half(self) -> int:
        """1 for January–June, 2 for July–December (of a half-year period's start)."""
        return 1 if self.start.month <= 6 else 2

    def shifted(self, steps: int) -> Period:
        """The same kind of period `steps` later (negative: earlier): the previous half-year
        for a half-yearly review. A custom period moves by its own length in days."""
        zone, first = self.zone, self.first_day
        if self.kind == "today":
            return day_period(first + timedelta(days=steps), zone, "today")
        if self.kind == "week":
            return week_of(first + timedelta(weeks=steps), zone)
        if self.kind == "month":
            return month_of(_add_months(first, steps), zone)
        if self.kind == "half_year":
            return half_year_of(_add_months(first, 6 * steps), zone)
        return custom(first + timedelta(days=self.days * steps), self.last_day + timedelta(days=self.days * steps), zone)

    def trend_range(self) -> tuple[datetime, datetime, Bucket]:
        """Where a trend chart of this period starts and ends, and its bucket: days up to two
        months, weeks up to seven, months beyond. A short period is shown with the
        TREND_MIN_DAYS days that end with it, so that a line has points to join."""
        start = self.start
        if self.days < TREND_MIN_DAYS:
            start = midnight(self.last_day - timedelta(days=TREND_MIN_DAYS - 1), self.zone)
        days = (self.last_day - start.date()).days + 1
        bucket: Bucket = "day" if days <= 62 else "week" if days <= 7 * 31 else "month"
        return start, self.end, bucket


def day_period(day: date, zone: tzinfo, kind: Kind = "custom") -> Period:
    return Period(kind, midnight(day, zone), midnight(day + timedelta(days=1), zone))


def week_of(day: date, zone: tzinfo) -> Period:
    """Monday to Sunday (the Chinese working week, ISO 8601)."""
    monday = day - timedelta(days=day.weekday())
    return Period("week", midnight(monday, zone), midnight(monday + timedelta(days=7), zone))


def month_of(day: date, zone: tzinfo) -> Period:
    first = _month_start(day)
    return Period("month", midnight(first, zone), midnight(_add_months(first, 1), zone))


def half_year_of(day: date, zone: tzinfo) -> Period:
    """上半年 1 January – 30 June, 下半年 1 July – 31 December."""
    first = _half_start(day)
    return Period("half_year", midnight(first, zone), midnight(_add_months(first, 6), zone))


def custom(first_day: date, last_day: date, zone: tzinfo) -> Period:
    """From the first to the last calendar day, both included."""
    if last_day < first_day:
        raise ValueError(f"the last day {last_day.isoformat()} is before the first {first_day.isoformat()}")
    return Period("custom", midnight(first_day, zone), midnight(last_day + timedelta(days=1), zone))


def from_days(first_day: date, last_day: date, zone: tzinfo) -> Period:
    """The period of these calendar days, named when it is exactly a week, a month or a
    half-year (a report of 2026-07-01 … 2026-12-31 is the second half of 2026), else custom."""
    days = custom(first_day, last_day, zone)
    for named in (week_of(first_day, zone), month_of(first_day, zone), half_year_of(first_day, zone)):
        if (named.start, named.end) == (days.start, days.end):
            return named
    return days


def preset(kind: Kind, now: datetime, zone: tzinfo) -> Period:
    """The period of this kind that holds `now` in the district's zone; custom starts as today."""
    if now.tzinfo is None:
        raise ValueError("now must carry a time zone")
    today = now.astimezone(zone).date()
    if kind == "today":
        return day_period(today, zone, "today")
    if kind == "week":
        return week_of(today, zone)
    if kind == "month":
        return month_of(today, zone)
    if kind == "half_year":
        return half_year_of(today, zone)
    if kind == "custom":
        return custom(today, today, zone)
    raise ValueError(f"unknown period {kind!r}: use one of {', '.join(KINDS)}")


def buckets(start: datetime, end: datetime, bucket: Bucket) -> list[datetime]:
    """Every bucket start in [start, end) by the district's calendar (the days, Mondays or
    firsts of the month a trend has points for, with or without cases)."""
    zone = start.tzinfo
    if zone is None:
        raise ValueError("bounds carry the district's time zone")
    day = start.astimezone(zone).date()
    if bucket == "week":
        day -= timedelta(days=day.weekday())
    elif bucket == "month":
        day = _month_start(day)
    out: list[datetime] = []
    while (at := midnight(day, zone)) < end:
        out.append(at)
        day = (day + timedelta(days=1) if bucket == "day" else day + timedelta(weeks=1) if bucket == "week"
               else _add_months(day, 1))
    return out
