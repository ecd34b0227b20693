"""Times as the hall reads them: in the work calendar's time zone (cc.local_tz(), read from
the database at sign-in), whatever the workstation's own zone is."""

from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

_zone: tzinfo = ZoneInfo("Asia/Shanghai")


def set_zone(name: str) -> None:
    global _zone
    _zone = ZoneInfo(name)


def zone() -> tzinfo:
    return _zone


def local(ts: datetime) -> datetime:
    return ts.astimezone(_zone)


def stamp(ts: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return local(ts).strftime(fmt) if ts else "—"
