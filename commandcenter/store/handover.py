"""The shift handover (交接班): the calls of db/sql/0011_handover.sql and the values they
answer. The summary of a shift is counted by the server, never here, so that every console
(and psql) hands over the same figures; this module only reads it into typed values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg

from .errors import run_one


@dataclass(frozen=True)
class ListedCase:
    """A case a handover names under one of its headings."""
    id: int
    code: str
    title: str
    state: str
    urgency: str
    deadline: datetime | None


@dataclass(frozen=True)
class ShiftSummary:
    """What a shift did and what it leaves: counts of this console's actions in [since, until),
    and the open cases of its scope that the next operator must watch (lists are capped by
    cc.input_limit handover_cases; the counts are whole)."""
    since: datetime
    until: datetime
    taken: int
    filed: int
    dispatched: int
    closed: int
    open: int
    urgent: int
    supervised: int
    overdue: int
    urgent_cases: tuple[ListedCase, ...]
    supervised_cases: tuple[ListedCase, ...]
    overdue_cases: tuple[ListedCase, ...]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ShiftSummary:
        """The jsonb cc._shift_summary builds (times come as ISO strings)."""
        def listed(key: str) -> tuple[ListedCase, ...]:
            return tuple(ListedCase(int(c["id"]), str(c["code"]), str(c["title"]), str(c["state"]), str(c["urgency"]),
                                    _time(c.get("deadline"))) for c in data.get(key) or [])
        since, until = _time(data["since"]), _time(data["until"])
        assert since is not None and until is not None
        return cls(since, until, int(data["taken"]), int(data["filed"]), int(data["dispatched"]), int(data["closed"]),
                   int(data["open"]), int(data["urgent"]), int(data["supervised"]), int(data["overdue"]),
                   listed("urgent_cases"), listed("supervised_cases"), listed("overdue_cases"))


@dataclass(frozen=True)
class Handover:
    """One written handover, as the next operator of the scope reads it."""
    id: int
    author: str
    author_name: str
    written_at: datetime
    summary: ShiftSummary
    note: str
    acknowledged: tuple[tuple[str, datetime], ...] = ()


def _time(value: object) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def shift_summary(conn: psycopg.Connection) -> ShiftSummary:
    """What a handover written now would say (refused for the wall and field terminals)."""
    rows = run_one(conn, "SELECT cc.shift_summary()")
    return ShiftSummary.from_json(rows[0][0])


def write_handover(conn: psycopg.Connection, note: str) -> int:
    """Hand the shift over with this note; the server adds its own summary. The new id."""
    rows = run_one(conn, "SELECT cc.write_handover(%s)", (note,))
    return int(rows[0][0])


def pending_handover(conn: psycopg.Connection) -> Handover | None:
    """The handover this login should read at sign-in, or None."""
    rows = run_one(conn, "SELECT id, author, author_name, written_at, summary, note FROM cc.pending_handover()")
    if not rows:
        return None
    hid, author, name, at, summary, note = rows[0]
    return Handover(int(hid), str(author), str(name), at, ShiftSummary.from_json(summary), str(note))


def acknowledge_handover(conn: psycopg.Connection, handover_id: int) -> datetime:
    """Record that this login read the handover (its scope's only); the time it was recorded."""
    rows = run_one(conn, "SELECT cc.acknowledge_handover(%s)", (handover_id,))
    at: datetime = rows[0][0]
    return at


def handovers(conn: psycopg.Connection, days: int = 7) -> list[Handover]:
    """The scope's handovers of the last `days` days, newest first, with their acknowledgements."""
    rows = run_one(conn, "SELECT id, author, author_name, written_at, summary, note, acknowledged "
                         "FROM cc.handovers(%s)", (days,))
    return [Handover(int(hid), str(author), str(name), at, ShiftSummary.from_json(summary), str(note),
                     tuple((str(a["login"]), _time(a["at"]) or at) for a in acks))
            for hid, author, name, at, summary, note, acks in rows]
