"""What the case board shows: filter and sort over every visible case, kept in order as rows
change, so that a single change is a single row move (no re-sort, no model reset). No Qt.

A Qt proxy model over 100k rows served from Python re-sorts everything on each change and
takes tens of seconds; here the order is a sorted list of keys and a change is two bisects.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any

from ..store.queries import BoardRow

URGENCY_RANK = {"critical": 0, "urgent": 1, "normal": 2}
TIER_RANK = {"grid": 0, "street": 1, "district": 2}

# Board columns in display order; the Qt model names them.
COLUMNS = ("code", "reported_at", "source", "category", "grid", "community", "street", "state", "tier",
           "assignee", "deadline", "urgency")

#: deadline countdown turns yellow when less than this remains
WARN_BEFORE = timedelta(hours=2)


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def deadline_level(row: BoardRow, now: datetime) -> str | None:
    """'red' overdue, 'yellow' due soon, 'green' in time, None when no deadline runs."""
    if not row.is_open or row.deadline is None:
        return None
    left = row.deadline - now
    if left <= timedelta(0):
        return "red"
    return "yellow" if left < WARN_BEFORE else "green"


def is_overdue(row: BoardRow, now: datetime) -> bool:
    return row.is_open and row.deadline is not None and row.deadline < now


@dataclass(frozen=True)
class BoardFilter:
    """state: a state code, 'open' (every open state) or None (all)."""
    state: str | None = "open"
    street_id: int | None = None
    category_class: int | None = None
    urgency: str | None = None
    overdue_only: bool = False
    text: str = ""

    def without_state(self) -> "BoardFilter":
        return replace(self, state=None)


def _haystack(row: BoardRow) -> str:
    return " ".join((row.code, row.title, row.address, row.grid_name, row.community_name, row.street_name,
                     row.street_name_en, row.category_name, row.category_name_en, row.assignee)).casefold()


@dataclass
class BoardIndex:
    """Every case in scope, and the ordered ids of those the filter lets through."""
    category_class: dict[int, int] = field(default_factory=dict)
    state_rank: dict[str, int] = field(default_factory=dict)
    rows: dict[int, BoardRow] = field(default_factory=dict)
    filter: BoardFilter = field(default_factory=BoardFilter)
    column: str = "reported_at"
    descending: bool = True
    now: Callable[[], datetime] = now_utc
    order: list[int] = field(default_factory=list)     # ascending by key
    keys: list[tuple] = field(default_factory=list)    # parallel to order
    state_counts: Counter = field(default_factory=Counter)

    # ------------------------------------------------------------ keys and matching
    def key(self, row: BoardRow) -> tuple:
        c = self.column
        if c == "code":
            v: Any = row.code
        elif c == "reported_at":
            v = row.reported_at
        elif c == "source":
            v = row.source
        elif c == "category":
            v = row.category_name
        elif c == "grid":
            v = row.grid_name
        elif c == "community":
            v = row.community_name
        elif c == "street":
            v = row.street_name
        elif c == "state":
            v = self.state_rank.get(row.state, 99)
        elif c == "tier":
            v = TIER_RANK.get(row.tier, 9)
        elif c == "assignee":
            v = row.assignee
        elif c == "deadline":
            v = row.deadline if row.is_open else None
        elif c == "urgency":
            v = URGENCY_RANK.get(row.urgency, 9)
        else:
            raise ValueError(f"unknown board column {c!r}")
        # None sorts last in ascending order; the id makes every key unique
        return (v is None, v if v is not None else 0, row.id)

    def matches(self, row: BoardRow, now: datetime | None = None) -> bool:
        f = self.filter
        if f.state == "open":
            if not row.is_open:
                return False
        elif f.state is not None and row.state != f.state:
            return False
        if f.street_id is not None and row.street_id != f.street_id:
            return False
        if f.category_class is not None and self.category_class.get(row.category_id) != f.category_class:
            return False
        if f.urgency is not None and row.urgency != f.urgency:
            return False
        if f.overdue_only and not is_overdue(row, now or self.now()):
            return False
        if f.text:
            needle = f.text.strip().casefold()
            if needle and needle not in _haystack(row):
                return False
        return True

    # ------------------------------------------------------------ view rows
    def __len__(self) -> int:
        return len(self.order)

    def view_row(self, pos: int, length: int | None = None) -> int:
        n = len(self.order) if length is None else length
        return n - 1 - pos if self.descending else pos

    def id_at(self, view_row: int) -> int:
        return self.order[self.view_row(view_row)]

    def row_at(self, view_row: int) -> BoardRow:
        return self.rows[self.id_at(view_row)]

    def view_row_of(self, case_id: int) -> int | None:
        row = self.rows.get(case_id)
        if row is None:
            return None
        k = self.key(row)
        pos = bisect.bisect_left(self.keys, k)
        if pos < len(self.keys) and self.keys[pos] == k:
            return self.view_row(pos)
        return None

    # ------------------------------------------------------------ whole-board changes
    def load(self, rows: Iterable[BoardRow]) -> None:
        self.rows = {r.id: r for r in rows}
        self.state_counts = Counter(self._count_key(r) for r in self.rows.values())
        self.rebuild()

    def rebuild(self) -> None:
        now = self.now()
        keyed = sorted((self.key(r), r.id) for r in self.rows.values() if self.matches(r, now))
        self.keys = [k for k, _ in keyed]
        self.order = [i for _, i in keyed]

    def set_filter(self, f: BoardFilter) -> None:
        self.filter = f
        self.state_counts = Counter(self._count_key(r) for r in self.rows.values())
        self.rebuild()

    def set_sort(self, column: str, descending: bool) -> None:
        self.column, self.descending = column, descending
        self.rebuild()

    def _count_key(self, row: BoardRow) -> str | None:
        """Counts per state follow every filter except the state filter itself."""
        saved = self.filter
        self.filter = saved.without_state()
        try:
            return row.state if self.matches(row) else None
        finally:
            self.filter = saved

    # ------------------------------------------------------------ one row changes
    def upsert(self, row: BoardRow, hooks: "RowHooks | None" = None) -> str:
        """Apply a new version of one case, telling `hooks` before and after each row removal
        and insertion (what a Qt model must signal). Returns what happened: 'same' (not newer
        than what is held: applying twice is harmless), 'changed' (stays at its row), 'moved',
        'inserted', 'removed' or 'hidden' (not visible before or after)."""
        h = hooks or _NO_HOOKS
        old = self.rows.get(row.id)
        if old is not None and row.version <= old.version:
            return "same"
        old_pos = None
        if old is not None:
            ok = self.key(old)
            p = bisect.bisect_left(self.keys, ok)
            if p < len(self.keys) and self.keys[p] == ok:
                old_pos = p
            self.state_counts[self._count_key(old)] -= 1
        self.rows[row.id] = row
        self.state_counts[self._count_key(row)] += 1
        visible = self.matches(row)
        nk = self.key(row)
        if old_pos is not None and visible and nk == self.keys[old_pos]:
            h.changed(self.view_row(old_pos))
            return "changed"
        if old_pos is not None:
            h.begin_remove(self.view_row(old_pos))
            del self.keys[old_pos]
            del self.order[old_pos]
            h.end_remove()
        if not visible:
            return "removed" if old_pos is not None else "hidden"
        p = bisect.bisect_left(self.keys, nk)
        h.begin_insert(self.view_row(p, len(self.order) + 1))
        self.keys.insert(p, nk)
        self.order.insert(p, row.id)
        h.end_insert()
        return "moved" if old_pos is not None else "inserted"


class RowHooks:
    """Told of each row change in view-row terms; the Qt model turns these into signals."""

    def changed(self, view_row: int) -> None: ...
    def begin_remove(self, view_row: int) -> None: ...
    def end_remove(self) -> None: ...
    def begin_insert(self, view_row: int) -> None: ...
    def end_insert(self) -> None: ...


_NO_HOOKS = RowHooks()
