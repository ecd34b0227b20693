"""What the case board shows: filter and sort over every visible case, kept in order as rows
change, so that a single change is a single row move (no re-sort, no model reset). No Qt.

A Qt proxy model over 100k rows served from Python re-sorts everything on each change and
takes tens of seconds; here the order is a sorted list of keys and a change is two bisects.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from operator import is_
from typing import Any, TypeAlias

import numpy as np

from .board_columns import BoardColumns
from .cases import BoardRow, is_overdue, now_utc, watched
from .collation import collation_key

URGENCY_RANK = {"critical": 0, "urgent": 1, "normal": 2}
TIER_RANK = {"grid": 0, "street": 1, "district": 2}

# Board columns in display order; the Qt model names them.
COLUMNS = ("code", "reported_at", "source", "category", "grid", "community", "street", "state", "tier",
           "assignee", "deadline", "urgency")

@dataclass(frozen=True)
class BoardFilter:
    """state: a state code, 'open' (every open state) or None (all)."""
    state: str | None = "open"
    street_id: int | None = None
    category_class: int | None = None
    urgency: str | None = None
    overdue_only: bool = False
    text: str = ""
    watch: str | None = None          # one of cases.WATCHES: supervised, suspended, …


_TEXT_ATTR = {"code": "code", "source": "source", "category": "category_name", "grid": "grid_name",
              "community": "community_name", "street": "street_name", "assignee": "assignee"}
# names sort by pinyin (domain/collation.py); codes as they are
_NAMED = frozenset({"category", "grid", "community", "street", "assignee"})
_RANKED = {"tier": (TIER_RANK, 9), "urgency": (URGENCY_RANK, 9)}    # state ranks come from the database


def _ranks(column: str, state_rank: dict[str, int]) -> tuple[dict[str, int], int]:
    return (state_rank, 99) if column == "state" else _RANKED[column]


# The free-text search, prepared: each word, and the state and urgency codes whose names hold it.
TextTest: TypeAlias = tuple[tuple[str, frozenset[str], frozenset[str]], ...]

# A row's place in the order: missing values last, then the value, then the id (unique).
SortKey: TypeAlias = tuple[bool, Any, int]


def _value(row: BoardRow, column: str, state_rank: dict[str, int]) -> Any:
    """The sort value of one cell (None sorts last)."""
    if column in _NAMED:
        return collation_key(getattr(row, _TEXT_ATTR[column]))
    if column in _TEXT_ATTR:
        return getattr(row, _TEXT_ATTR[column])
    if column == "reported_at":
        return row.reported_at
    if column == "deadline":
        return row.deadline
    if column == "state" or column in _RANKED:
        ranks, default = _ranks(column, state_rank)
        return ranks.get(getattr(row, column), default)
    raise ValueError(f"unknown board column {column!r}")


@dataclass
class BoardIndex:
    """Every case in scope, and the ordered ids of those the filter lets through.

    Whole-board changes (load, filter, sort) run in one pass over the rows and a numpy sort;
    a single change is a bisect on the order with the same key, so both agree exactly."""
    category_class: dict[int, int] = field(default_factory=dict)
    state_rank: dict[str, int] = field(default_factory=dict)
    rows: dict[int, BoardRow] = field(default_factory=dict)
    filter: BoardFilter = field(default_factory=BoardFilter)
    column: str = "reported_at"
    descending: bool = True
    now: Callable[[], datetime] = now_utc
    zone: tzinfo = UTC                                  # the district's calendar (review dates)
    #: what the free-text search finds a state or an urgency by: its names, pinyin and initials
    #: ("待派遣", "dpq", "filed"), made from the database's names (search.search_terms)
    state_terms: dict[str, str] = field(default_factory=dict)
    urgency_terms: dict[str, str] = field(default_factory=dict)
    order: list[int] = field(default_factory=list)     # visible ids, ascending by key
    state_counts: Counter[str] = field(default_factory=Counter)
    columns: BoardColumns = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.columns = BoardColumns.of(self.rows.values())

    def today(self, now: datetime) -> date:
        return now.astimezone(self.zone).date()

    # ------------------------------------------------------------ keys and matching
    def key(self, row: BoardRow) -> SortKey:
        v = _value(row, self.column, self.state_rank)
        # None sorts last in ascending order; the id makes every key unique
        return (v is None, v if v is not None else 0, row.id)

    def _key_of(self, case_id: int) -> SortKey:
        return self.key(self.rows[case_id])

    def _passes_all_but_state(self, row: BoardRow, now: datetime, needle: TextTest | None = None) -> bool:
        f = self.filter
        if f.street_id is not None and row.street_id != f.street_id:
            return False
        if f.category_class is not None and self.category_class.get(row.category_id) != f.category_class:
            return False
        if f.urgency is not None and row.urgency != f.urgency:
            return False
        if f.overdue_only and not is_overdue(row, now):
            return False
        if f.watch is not None and not watched(row, f.watch, now, self.today(now)):
            return False
        if needle is None:
            needle = self._needle()
        if needle:
            names = row.name_terms()
            for word, states, urgencies in needle:
                if word not in row.search and word not in names and row.state not in states \
                        and row.urgency not in urgencies:
                    return False
        return True

    def text_matches(self, row: BoardRow, text: str) -> bool:
        """Every word of the search is somewhere in the case: its code, title, address, names
        (also by pinyin and initials), its state or its urgency ("待派遣 东华门" = both)."""
        names = row.name_terms()
        return all(word in row.search or word in names or row.state in states or row.urgency in urgencies
                   for word, states, urgencies in self._text_test(text))

    def _text_test(self, text: str) -> TextTest:
        """The search made once per filter, not per row: each word with the states and
        urgencies whose names it is part of (a few dozen substring tests instead of 100k)."""
        return tuple((word, frozenset(c for c, t in self.state_terms.items() if word in t),
                      frozenset(c for c, t in self.urgency_terms.items() if word in t))
                     for word in text.casefold().split())

    def _needle(self) -> TextTest:
        return self._text_test(self.filter.text) if self.filter.text else ()

    def _state_ok(self, row: BoardRow) -> bool:
        st = self.filter.state
        return st is None or (row.is_open if st == "open" else row.state == st)

    def matches(self, row: BoardRow, now: datetime | None = None) -> bool:
        return self._state_ok(row) and self._passes_all_but_state(row, now or self.now())

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

    def _pos(self, row: BoardRow) -> int | None:
        k = self.key(row)
        pos = bisect.bisect_left(self.order, k, key=self._key_of)
        return pos if pos < len(self.order) and self.order[pos] == row.id else None

    def view_row_of(self, case_id: int) -> int | None:
        row = self.rows.get(case_id)
        if row is None:
            return None
        pos = self._pos(row)
        return None if pos is None else self.view_row(pos)

    # ------------------------------------------------------------ whole-board changes
    def load(self, rows: Iterable[BoardRow] | Mapping[int, BoardRow], columns: BoardColumns | None = None) -> None:
        """All rows at once (or a mapping of them by id, copied); `columns`, when given, are
        these rows already in columns (built off the GUI thread by the snapshot's reader) and
        are copied, not shared."""
        self.rows = dict(rows) if isinstance(rows, Mapping) else {r.id: r for r in rows}
        if columns is not None and len(columns) == len(self.rows) and all(map(is_, columns.rows, self.rows.values())):
            self.columns = columns.copy()
        else:
            self.columns = BoardColumns.of(self.rows.values())
        self.rebuild()

    def rebuild(self) -> None:
        """Filter and sort the whole board in vectorised passes over its columns, counting the
        states of the rows that pass all but the state test. Only the watch filter (a rare
        choice, and a rule with dates in it) still asks each candidate row in Python."""
        now, needle = self.now(), self._needle()
        f = self.filter
        c = self.columns
        n = len(c)
        passes = np.ones(n, bool)
        if f.street_id is not None:
            passes &= c.view(c.street) == f.street_id
        if f.category_class is not None:
            passes &= np.isin(c.view(c.category), [cid for cid, k in self.category_class.items()
                                                    if k == f.category_class])
        if f.urgency is not None:
            passes &= np.isin(c.view(c.urgency), c.ids_of(c.urgencies, [f.urgency]))
        if f.overdue_only:
            with np.errstate(invalid="ignore"):
                passes &= c.view(c.deadline) < now.timestamp()          # NaN (no deadline) is never less
        for word, states, urgencies in needle:
            passes &= (c.text_mask(word) | np.isin(c.view(c.state), c.ids_of(c.states, states))
                       | np.isin(c.view(c.urgency), c.ids_of(c.urgencies, urgencies)))
        if f.watch is not None:
            today = self.today(now)
            for i in np.flatnonzero(passes):
                if not watched(c.rows[i], f.watch, now, today):
                    passes[i] = False
        counts = np.bincount(c.view(c.state)[passes], minlength=len(c.states.values))
        self.state_counts = Counter({str(c.states.values[i]): int(k) for i, k in enumerate(counts) if k})
        st = f.state
        if st == "open":
            passes &= c.view(c.is_open)
        elif st is not None:
            passes &= np.isin(c.view(c.state), c.ids_of(c.states, [st]))
        c.visible[:n] = passes
        self.order = self._sorted_ids(np.flatnonzero(passes))

    def _sorted_ids(self, slots: np.ndarray) -> list[int]:
        """Ids of the rows in `slots` in key order: one numpy lexsort over their columns (the
        same order `key` gives, which single changes bisect on)."""
        if not len(slots):
            return []
        c = self.columns
        col = self.column
        ids = c.id[slots]
        missing = np.zeros(len(slots), bool)
        if col == "reported_at":
            primary = c.reported[slots]
        elif col == "deadline":
            primary = c.deadline[slots]
            missing = np.isnan(primary)
            primary = np.where(missing, 0.0, primary)
        elif col == "code":
            primary = c.code_rank[slots]
        elif col == "source":
            distinct = sorted(c.sources.values)             # type: ignore[type-var]
            lookup = np.array([distinct.index(v) for v in c.sources.values] or [0], np.int64)
            primary = lookup[c.source[slots]]
        elif col in ("state", "tier", "urgency"):
            ranks, default = _ranks(col, self.state_rank)
            interned, codes = {"state": (c.states, c.state), "tier": (c.tiers, c.tier),
                               "urgency": (c.urgencies, c.urgency)}[col]
            lookup = np.array([ranks.get(v, default) for v in interned.values] or [default], np.int64)   # type: ignore[arg-type]
            primary = lookup[codes[slots]]
        elif col in _NAMED:
            # each distinct name's place in pinyin order (a few hundred names for 100k rows);
            # equal keys share a place, so that ties fall to the id as in `key`
            attr = _TEXT_ATTR[col]
            interned = c.names[attr]
            keys: list[Any] = [collation_key(v) if v is not None else None for v in interned.values]
            distinct = sorted({k for k in keys if k is not None})
            place = {k: i for i, k in enumerate(distinct)}
            lookup = np.array([place[k] if k is not None else -1 for k in keys] or [-1], np.int64)
            primary = lookup[c.name[attr][slots]]
            missing = primary < 0
        else:
            raise ValueError(f"unknown board column {col!r}")
        perm = np.lexsort((ids, primary, missing))
        ordered: list[int] = ids[perm].tolist()
        return ordered

    def set_filter(self, f: BoardFilter) -> None:
        self.filter = f
        self.rebuild()

    def set_sort(self, column: str, descending: bool) -> None:
        if column not in COLUMNS:
            raise ValueError(f"unknown board column {column!r}")
        if column != self.column:
            self.column = column
            if self.order:          # the same rows in a new order (a view's layout change keeps its rows)
                self.order = self._sorted_ids(np.flatnonzero(self.columns.view(self.columns.visible)))
        self.descending = descending

    # ------------------------------------------------------------ one row changes
    def upsert(self, row: BoardRow, hooks: RowHooks | None = None) -> str:
        """Apply a new version of one case, telling `hooks` before and after each row removal
        and insertion (what a Qt model must signal). Returns what happened: 'same' (not newer
        than what is held: applying twice is harmless), 'changed' (stays at its row), 'moved',
        'inserted', 'removed' or 'hidden' (not visible before or after)."""
        h = hooks or _NO_HOOKS
        old = self.rows.get(row.id)
        if old is not None and row.version <= old.version:
            return "same"
        now = self.now()
        old_pos = self._pos(old) if old is not None else None
        if old is not None and self._passes_all_but_state(old, now):
            self.state_counts[old.state] -= 1
        self.rows[row.id] = row
        self.columns.put(row)
        if self._passes_all_but_state(row, now):
            self.state_counts[row.state] += 1
        visible = self.matches(row, now)
        if old is not None and old_pos is not None and visible and self.key(old) == self.key(row):
            h.changed(self.view_row(old_pos))
            return "changed"
        if old_pos is not None:
            h.begin_remove(self.view_row(old_pos))
            del self.order[old_pos]
            self.columns.visible[self.columns.slot[row.id]] = False
            h.end_remove()
        if not visible:
            return "removed" if old_pos is not None else "hidden"
        p = bisect.bisect_left(self.order, self.key(row), key=self._key_of)
        h.begin_insert(self.view_row(p, len(self.order) + 1))
        self.order.insert(p, row.id)
        self.columns.visible[self.columns.slot[row.id]] = True
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
