"""The board's rows as numpy columns, kept as rows change, so that a whole-board filter or sort
is a few vectorised passes instead of a Python loop over 100,000 rows. No Qt.

Each case has a slot (cases are never removed from a board, only hidden), and each column an
array over the slots. Text values that a filter compares or a sort orders are held as small
integers: codes (state, urgency, tier) and names are interned, and case codes carry a rank that
keeps their order as new codes arrive (`Ranks`).
"""

from __future__ import annotations

import bisect
import copy
import re
from collections.abc import Iterable
from operator import attrgetter

import numpy as np

from .cases import SEARCHED_NAMES, BoardRow
from .search import search_terms

# the names a sort orders by pinyin or a search finds by; their per-slot value is an interned id
NAME_ATTRS = tuple(dict.fromkeys(("category_name", "grid_name", "community_name", "street_name", "assignee",
                                  *SEARCHED_NAMES)))
_SEPARATOR = "\x00"          # between rows' search texts (never typed into a search)


class Interned:
    """Small integers for the distinct values of a text column (None included)."""

    def __init__(self) -> None:
        self.ids: dict[str | None, int] = {}
        self.values: list[str | None] = []

    def copy(self) -> Interned:
        new = Interned()
        new.ids = dict(self.ids)
        new.values = list(self.values)
        return new

    def id(self, value: str | None) -> int:
        i = self.ids.get(value)
        if i is None:
            i = self.ids[value] = len(self.values)
            self.values.append(value)
        return i


class Ranks:
    """A number per distinct text that orders as the texts do, kept as texts arrive: a new text
    takes the midpoint of its neighbours' numbers, and all are renumbered when a gap runs out."""

    def __init__(self) -> None:
        self.sorted: list[str] = []
        self.rank: dict[str, float] = {}
        self.generation = 0            # counts renumberings: numbers held elsewhere are then stale

    def copy(self) -> Ranks:
        new = Ranks()
        new.sorted = list(self.sorted)
        new.rank = dict(self.rank)
        new.generation = self.generation
        return new

    def reset(self, values: Iterable[str]) -> None:
        self.sorted = sorted(set(values))
        self.rank = {v: float(i) for i, v in enumerate(self.sorted)}
        self.generation += 1

    def of(self, value: str) -> float:
        r = self.rank.get(value)
        if r is not None:
            return r
        at = bisect.bisect_left(self.sorted, value)
        lo = self.rank[self.sorted[at - 1]] if at > 0 else None
        hi = self.rank[self.sorted[at]] if at < len(self.sorted) else None
        self.sorted.insert(at, value)
        if lo is None and hi is None:
            r = 0.0
        elif lo is None:
            r = hi - 1.0               # type: ignore[operator]
        elif hi is None:
            r = lo + 1.0
        else:
            r = (lo + hi) / 2
            if not lo < r < hi:        # no room left between them: number them all again
                self.reset(self.sorted)
                return self.rank[value]
        self.rank[value] = r
        return r


class BoardColumns:
    """Every case of a board, column by column."""

    def __init__(self) -> None:
        self.slot: dict[int, int] = {}
        self.rows: list[BoardRow] = []
        self.states = Interned()
        self.urgencies = Interned()
        self.tiers = Interned()
        self.sources = Interned()
        self.names = {attr: Interned() for attr in NAME_ATTRS}
        self.code_ranks = Ranks()
        self._cap = 0
        self.id = np.zeros(0, np.int64)
        self.reported = np.zeros(0, np.float64)
        self.deadline = np.zeros(0, np.float64)        # NaN: no deadline runs
        self.state = np.zeros(0, np.int32)
        self.is_open = np.zeros(0, bool)
        self.street = np.zeros(0, np.int64)
        self.category = np.zeros(0, np.int64)
        self.urgency = np.zeros(0, np.int32)
        self.tier = np.zeros(0, np.int32)
        self.source = np.zeros(0, np.int32)
        self.code_rank = np.zeros(0, np.float64)
        self.visible = np.zeros(0, bool)                # shown by the board's filter (kept by BoardIndex)
        self.name = {attr: np.zeros(0, np.int32) for attr in NAME_ATTRS}
        self._blob: tuple[str, np.ndarray] | None = None   # the own texts, joined, and their starts
        self._dirty: set[int] = set()                       # slots changed or added since they were joined

    @classmethod
    def of(cls, rows: Iterable[BoardRow]) -> BoardColumns:
        columns = cls()
        columns.load(rows)
        return columns

    def copy(self) -> BoardColumns:
        """An independent copy (each board changes its own as rows arrive)."""
        new = copy.copy(self)
        new.slot = dict(self.slot)
        new.rows = list(self.rows)
        for attr, value in vars(self).items():
            if isinstance(value, np.ndarray):
                setattr(new, attr, value.copy())
        new.name = {attr: a.copy() for attr, a in self.name.items()}
        for attr in ("states", "urgencies", "tiers", "sources"):
            setattr(new, attr, getattr(self, attr).copy())
        new.names = {attr: t.copy() for attr, t in self.names.items()}
        new.code_ranks = self.code_ranks.copy()
        new._dirty = set(self._dirty)
        return new

    def __len__(self) -> int:
        return len(self.rows)

    # ------------------------------------------------------------ filling
    def load(self, rows: Iterable[BoardRow]) -> None:
        """All rows at once (a snapshot): columns built in C-level passes."""
        self.rows = list(rows)
        n = len(self.rows)
        self.slot = {r.id: i for i, r in enumerate(self.rows)}
        self._cap = max(n, 1024)
        self.code_ranks.reset(r.code for r in self.rows)
        rows_ = self.rows

        def column(values: Iterable[float | int | bool], dtype: type) -> np.ndarray:
            a: np.ndarray = np.zeros(self._cap, dtype)
            a[:n] = np.fromiter(values, dtype, count=n)
            return a

        def interned(attr: str, table: Interned) -> np.ndarray:
            values = list(map(attrgetter(attr), rows_))
            for v in dict.fromkeys(values):
                table.id(v)
            return column(map(table.ids.__getitem__, values), np.int32)

        self.id = column(map(attrgetter("id"), rows_), np.int64)
        self.reported = column(map(attrgetter("reported_ts"), rows_), np.float64)
        self.deadline = column(map(attrgetter("deadline_ts"), rows_), np.float64)
        self.state = interned("state", self.states)
        self.is_open = column(map(attrgetter("is_open"), rows_), bool)
        self.street = column(map(attrgetter("street_id"), rows_), np.int64)
        self.category = column(map(attrgetter("category_id"), rows_), np.int64)
        self.urgency = interned("urgency", self.urgencies)
        self.tier = interned("tier", self.tiers)
        self.source = interned("source", self.sources)
        self.code_rank = column(map(self.code_ranks.rank.__getitem__, map(attrgetter("code"), rows_)), np.float64)
        self.name = {attr: interned(attr, table) for attr, table in self.names.items()}
        self.visible = np.zeros(self._cap, bool)
        for attr in SEARCHED_NAMES:          # each name spelled out once, here rather than at a search
            for v in self.names[attr].values:
                if v:
                    search_terms(v)
        self._join_texts()                   # … and the texts joined (off the GUI thread, with a snapshot)

    def put(self, row: BoardRow) -> None:
        """A new version of one case (or a new case)."""
        i = self.slot.get(row.id)
        if i is None:
            i = self.slot[row.id] = len(self.rows)
            self.rows.append(row)
            if i >= self._cap:
                self._grow()
        else:
            self.rows[i] = row
        self.id[i] = row.id
        self.reported[i] = row.reported_ts
        self.deadline[i] = row.deadline_ts
        self.state[i] = self.states.id(row.state)
        self.is_open[i] = row.is_open
        self.street[i] = row.street_id
        self.category[i] = row.category_id
        self.urgency[i] = self.urgencies.id(row.urgency)
        self.tier[i] = self.tiers.id(row.tier)
        self.source[i] = self.sources.id(row.source)
        generation = self.code_ranks.generation
        self.code_rank[i] = self.code_ranks.of(row.code)
        if self.code_ranks.generation != generation:
            self._rerank_codes()
        for attr, interned in self.names.items():
            self.name[attr][i] = interned.id(getattr(row, attr))
        self._dirty.add(i)

    def _rerank_codes(self) -> None:
        """Every slot's code rank again, after the ranks were renumbered."""
        ranks = self.code_ranks.rank
        n = len(self.rows)
        self.code_rank[:n] = np.fromiter((ranks[r.code] for r in self.rows), np.float64, count=n)

    def _grow(self) -> None:
        self._cap *= 2
        for attr in ("id", "reported", "deadline", "state", "is_open", "street", "category", "urgency",
                     "tier", "source", "code_rank", "visible"):
            old = getattr(self, attr)
            new = np.zeros(self._cap, old.dtype)
            new[:len(old)] = old
            setattr(self, attr, new)
        for attr, old in self.name.items():
            new = np.zeros(self._cap, old.dtype)
            new[:len(old)] = old
            self.name[attr] = new

    # ------------------------------------------------------------ reading
    def view(self, column: np.ndarray) -> np.ndarray:
        return column[:len(self.rows)]

    def ids_of(self, interned: Interned, values: Iterable[str]) -> list[int]:
        return [interned.ids[v] for v in values if v in interned.ids]

    def text_mask(self, word: str) -> np.ndarray:
        """Slots whose own text or names hold `word`: the names tested once per distinct name,
        the own texts in one C-level scan of them all joined."""
        mask = self._own_text_mask(word)
        if _SEPARATOR in word:
            return mask
        for attr in SEARCHED_NAMES:
            interned = self.names[attr]
            hits = [i for i, v in enumerate(interned.values) if v and word in search_terms(v)]
            if hits:
                mask |= np.isin(self.view(self.name[attr]), hits)
        return mask

    def _join_texts(self) -> tuple[str, np.ndarray]:
        """All own texts in one string, with where each starts (for one C-level scan a word)."""
        n = len(self.rows)
        texts = [r.search for r in self.rows]
        starts = np.zeros(n, np.int64)
        if n > 1:
            np.cumsum(np.fromiter(map(len, texts[:-1]), np.int64, count=n - 1) + 1, out=starts[1:])
        self._blob = (_SEPARATOR.join(texts), starts)
        self._dirty = set()
        return self._blob

    def _own_text_mask(self, word: str) -> np.ndarray:
        n = len(self.rows)
        mask = np.zeros(n, bool)
        if not n or _SEPARATOR in word:         # no case's text holds the separator
            return mask
        if not word:
            return np.ones(n, bool)
        joined = self._blob
        if joined is None or len(self._dirty) > max(1000, n // 20):
            joined = self._join_texts()
        blob, starts = joined
        at = np.fromiter((m.start() for m in re.finditer(re.escape(word), blob)), np.int64)
        if len(at):
            mask[np.searchsorted(starts, at, side="right") - 1] = True
        for i in self._dirty:                  # changed since the texts were joined: asked one by one
            mask[i] = word in self.rows[i].search
        return mask
