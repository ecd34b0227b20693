"""A case as every view shows it, and the one reading of its deadline against a clock.

The database decides which deadline runs (the phase's, none once a case is finished) and
how long before it a case is due soon (`cc.case_board.deadline` and `.warn_at`); a view only
compares those times with its clock, here, because a snapshot's `overdue` goes stale as time
passes without any event."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, NamedTuple, Protocol

from .search import search_terms

if TYPE_CHECKING:
    from .board_columns import BoardColumns


def now_utc() -> datetime:
    return datetime.now(UTC)


class BoardRow(NamedTuple):
    """One case as the board, the map markers and the wall show it.

    A tuple, not a dataclass: a snapshot makes 100,000 of them, and a tuple is made ten times
    faster (50 ms against 460 ms) and holds no derived fields; those are read on demand."""
    id: int
    code: str
    source: str
    category_id: int
    category_name: str
    category_name_en: str
    title: str
    address: str
    lon: float
    lat: float
    grid_id: int
    grid_name: str
    community_id: int
    community_name: str
    street_id: int
    street_name: str
    street_name_en: str
    urgency: str
    state: str
    is_open: bool
    tier: str
    assignee_unit_name: str | None
    assignee_person_name: str | None
    reported_at: datetime
    deadline: datetime | None
    urge_count: int
    escalation_count: int
    rework_count: int
    version: int
    warn_at: datetime | None
    repeat_count: int
    # the watch on the case (migration 0007); defaults for rows made without it (benches, tests)
    suspension_review_on: date | None = None      # set while the case is on hold (its clock stopped)
    extension_count: int = 0
    extension_pending: bool = False
    supervision_level: str | None = None
    supervision_reply_due: datetime | None = None
    supervision_replied_at: datetime | None = None

    @property
    def search(self) -> str:
        """The row's own text that the board's free-text search looks in (its names are
        searched once per distinct name: `name_terms`). A whole board's is made in one pass
        by `BoardColumns`."""
        return own_text(*(getattr(self, attr) for attr in OWN_TEXT))

    @property
    def reported_ts(self) -> float:
        return self.reported_at.timestamp()

    @property
    def deadline_ts(self) -> float:
        """Epoch seconds, NaN when no deadline runs (numpy sorts and compares it so)."""
        return self.deadline.timestamp() if self.deadline is not None else math.nan

    @property
    def assignee(self) -> str:
        return self.assignee_person_name or self.assignee_unit_name or ""

    def name_terms(self) -> str:
        """Every way of typing the case's names — grid, community, street, category, assignee —
        also by pinyin and initials ("dhm" finds 东华门, "ln" a 李娜)."""
        return search_terms(*(getattr(self, attr) for attr in SEARCHED_NAMES))


#: the columns a case's own text is made of, in `own_text`'s order
OWN_TEXT = ("code", "title", "address", "street_name_en", "category_name_en")


def own_text(code: str, title: str, address: str, street_name_en: str, category_name_en: str) -> str:
    """What a case's own text is for the free-text search (a board holds all of them at once:
    `board_columns.own_texts`)."""
    return " ".join((code, title, address, street_name_en, category_name_en)).casefold()


#: the names the board's free-text search finds a case by, besides its own text
SEARCHED_NAMES = ("grid_name", "community_name", "street_name", "category_name", "assignee_person_name",
                  "assignee_unit_name")


@dataclass(frozen=True)
class Snapshot:
    """Every visible case plus the event id it is consistent with."""
    rows: list[BoardRow]
    cursor: int
    #: the newest event this console may see (id, time), for the status bar; None if none
    last_event: tuple[int, datetime] | None = None
    #: the rows as the board's columns, built where the snapshot is read (off the GUI thread);
    #: None: a board builds them itself
    columns: BoardColumns | None = field(default=None, compare=False, repr=False)


class Timed(Protocol):
    """What reading a deadline needs: a board row, or a case's detail."""
    @property
    def deadline(self) -> datetime | None: ...
    @property
    def warn_at(self) -> datetime | None: ...


def deadline_level(row: Timed, now: datetime) -> str | None:
    """'red' overdue, 'yellow' due soon, 'green' in time, None when no deadline runs."""
    if row.deadline is None:
        return None
    if row.deadline < now:
        return "red"
    return "yellow" if row.warn_at is not None and row.warn_at <= now else "green"


def is_overdue(row: Timed, now: datetime) -> bool:
    """The view's `overdue` (deadline < now()), read against the client's clock."""
    return row.deadline is not None and row.deadline < now


# What the board's "watch" filter, the wall's tiles and the detail's badges read: the columns
# the database keeps on the case (migration 0007), compared with the client's clock like the
# deadline above. A watch is one of these names.
WATCHES = ("supervised", "reply_late", "suspended", "review_due", "extension_pending")


def watched(row: BoardRow, watch: str, now: datetime, today: date) -> bool:
    """Whether the case is under the named watch now (today: the district's calendar day)."""
    if watch == "supervised":
        return row.supervision_level is not None
    if watch == "reply_late":
        return (row.supervision_level is not None and row.supervision_replied_at is None
                and row.supervision_reply_due is not None and row.supervision_reply_due < now)
    if watch == "suspended":
        return row.suspension_review_on is not None
    if watch == "review_due":
        return row.suspension_review_on is not None and row.suspension_review_on <= today
    if watch == "extension_pending":
        return row.extension_pending
    raise ValueError(f"unknown watch {watch!r}")
