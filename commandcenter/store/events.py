"""Reading the event log: the truth behind every NOTIFY doorbell."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import class_row

CHANNEL = "cc_events"


@dataclass(frozen=True)
class CaseEvent:
    id: int
    case_id: int
    street_id: int
    action: str
    from_state: str | None
    to_state: str
    actor: str
    actor_person_id: int | None
    at: datetime
    note: str
    data: dict[str, Any]
    txid: Any


def events_after(conn: psycopg.Connection, after: int, limit: int = 1000) -> tuple[list[CaseEvent], int]:
    """Visible events with id > after, and the cursor to resume from.

    Both reads share one REPEATABLE READ snapshot, so the cursor never passes an event the
    caller has not been given: if the page is full, it is the last event's id; otherwise
    the highest committed id (events of other streets the caller may not see included).
    """
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        with conn.cursor(row_factory=class_row(CaseEvent)) as cur:
            events = cur.execute("SELECT * FROM cc.events_after(%s, %s)", (after, limit)).fetchall()
        horizon = conn.execute("SELECT cc.event_horizon()").fetchone()[0]
    if len(events) >= limit:
        return events, events[-1].id
    return events, max(horizon, events[-1].id if events else after, after)
