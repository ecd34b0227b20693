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
import math
import re
from collections.abc import Iterable
from datetime import datetime
from itertools import chain
from operator import itemgetter
from typing import Any

import numpy as np

from .cases import OWN_TEXT, SEARCHED_NAMES, BoardRow
from .search import search_terms

# the names a sort orders by pinyin or a search finds by; their per-slot value is an interned id
NAME_ATTRS = tuple(dict.fromkeys(("category_name", "grid_name", "community_name", "street_name", "assignee",
                                  *SEARCHED_NAMES)))
#: each field of a row by its place (a tuple's item is read faster than its attribute)
_PLACE = {name: i for i, name in enumerate(BoardRow._fields)}
_FIELD = {name: itemgetter(i) for name, i in _PLACE.items()}
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
    takes the midpoint of its neighbours' numbers, and all are renumbered when a gap runs out.

    The texts and their numbers are two sorted lists searched by bisection, not a dict: a
    snapshot's 100,000 codes are numbered by one numpy sort (55 ms against 145 ms)."""

    def __init__(self) -> None:
        self.sorted: list[str] = []
        self.numbers: list[float] = []   # ascending, one per text in `sorted`
        self.generation = 0            # counts renumberings: numbers held elsewhere are then stale

    def copy(self) -> Ranks:
        new = Ranks()
        new.sorted = list(self.sorted)
        new.numbers = list(self.numbers)
        new.generation = self.generation
        return new

    def reset(self, values: Iterable[str]) -> np.ndarray:
        """Number the distinct texts 0, 1, 2, … in order; returns the number of each value.
        numpy orders strings by code point as Python does (texts from PostgreSQL hold no NUL,
        the one character numpy's strings drop)."""
        texts = values if isinstance(values, list) else list(values)
        if texts:
            distinct, inverse = np.unique(np.array(texts, dtype=str), return_inverse=True)
            self.sorted = distinct.tolist()
        else:
            inverse, self.sorted = np.zeros(0, np.int64), []
        self.numbers = np.arange(len(self.sorted), dtype=np.float64).tolist()
        self.generation += 1
        return inverse.reshape(-1).astype(np.float64)

    def number(self, value: str) -> float | None:
        """The number a text has, None if it has none yet."""
        at = bisect.bisect_left(self.sorted, value)
        return self.numbers[at] if at < len(self.sorted) and self.sorted[at] == value else None

    def of(self, value: str) -> float:
        """The text's number, giving it one if it is new."""
        at = bisect.bisect_left(self.sorted, value)
        if at < len(self.sorted) and self.sorted[at] == value:
            return self.numbers[at]
        lo = self.numbers[at - 1] if at > 0 else None
        hi = self.numbers[at] if at < len(self.sorted) else None
        if lo is None and hi is None:
            r = 0.0
        elif lo is None:
            r = hi - 1.0               # type: ignore[operator]
        elif hi is None:
            r = lo + 1.0
        else:
            r = (lo + hi) / 2
            if not lo < r < hi:        # no room left between them: number them all again
                self.sorted.insert(at, value)
                self.numbers = np.arange(len(self.sorted), dtype=np.float64).tolist()
                self.generation += 1
                return self.numbers[at]
        self.sorted.insert(at, value)
        self.numbers.insert(at, r)
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
        #: slots changed or added since the texts were joined, with their own text
        self._dirty: dict[int, str] = {}

    @classmethod
    def of(cls, rows: Iterable[BoardRow]) -> BoardColumns:
        filler = ColumnsFiller()
        filler.add(list(rows))
        return filler.done()

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
        new._dirty = dict(self._dirty)
        return new

    def __len__(self) -> int:
        return len(self.rows)

    # ------------------------------------------------------------ filling
    def put(self, row: BoardRow) -> None:
        """A new version of one case (or a new case)."""
        i = self.slot.get(row.id)
        if i is None:
            i = self.slot[row.id] = len(self.rows)
            self.rows.append(row)
            if i >= self._cap:
                self._grow(i + 1)
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
        self._dirty[i] = row.search

    def _rerank_codes(self) -> None:
        """Every slot's code rank again, after the ranks were renumbered."""
        self.code_rank[:len(self.rows)] = self.code_ranks.reset([r.code for r in self.rows])

    def _grow(self, at_least: int = 0) -> None:
        self._cap = max(self._cap * 2, at_least, 1024)
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
        self._blob = own_texts(self.rows)
        self._dirty = {}
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
        for i, text in self._dirty.items():    # changed since the texts were joined: asked one by one
            mask[i] = word in text
        return mask


def own_texts(rows: list[BoardRow]) -> tuple[str, np.ndarray]:
    """The rows' own texts (`BoardRow.search`) in one string, and where each row's starts.

    A row's parts are put between separators, not spaces as in `own_text`: one C-level join
    of all parts instead of one per row. A search word holds neither a space nor the
    separator, so it is found in exactly the same rows. Casefolded once, whole: full case
    folding maps each character on its own, so the folded whole is the folded parts joined."""
    blob = _SEPARATOR.join(chain.from_iterable(zip(*(map(_FIELD[a], rows) for a in OWN_TEXT)))).casefold()
    starts = np.zeros(len(rows), np.int64)
    if len(rows) > 1:
        chars = np.frombuffer(blob.encode("utf-32-le"), np.uint32)
        starts[1:] = np.flatnonzero(chars == ord(_SEPARATOR))[len(OWN_TEXT) - 1::len(OWN_TEXT)] + 1
    return blob, starts


class ColumnsFiller:
    """Builds a board's columns batch by batch as a snapshot's rows arrive, so that the work is
    done while the server is still sending (the reader waits on it a fifth of the time), each
    column of a batch in one C-level pass and each distinct text looked at once."""

    def __init__(self) -> None:
        self.columns = BoardColumns()
        self._codes: list[str] = []
        self._texts: list[tuple[str, np.ndarray]] = []
        self._spelled = dict.fromkeys(SEARCHED_NAMES, 0)     # names spelled out so far, per table

    def add(self, batch: list[BoardRow]) -> None:
        c = self.columns
        k, start = len(batch), len(c.rows)
        end = start + k
        if not k:
            return
        if end > c._cap:
            c._grow(end)
        c.rows.extend(batch)

        def values(attr: str) -> list[Any]:
            return list(map(_FIELD[attr], batch))

        def interned(attrs: tuple[str, ...], tables: list[Interned]) -> list[np.ndarray]:
            """Texts that go together (a case's state, urgency, tier and source; its names)
            read as one tuple a row: each distinct tuple is then interned part by part."""
            keys = list(map(itemgetter(*(_PLACE[a] for a in attrs)), batch))
            seen = {key: i for i, key in enumerate(dict.fromkeys(keys))}
            which = np.fromiter(map(seen.__getitem__, keys), np.int32, count=k)
            return [np.array([table.id(key[j]) for key in seen], np.int32)[which] for j, table in enumerate(tables)]

        ids = values("id")
        c.slot.update(zip(ids, range(start, end)))
        c.id[start:end] = ids
        c.reported[start:end] = np.fromiter(map(datetime.timestamp, values("reported_at")), np.float64, count=k)
        c.deadline[start:end] = np.fromiter((math.nan if d is None else d.timestamp() for d in values("deadline")),
                                            np.float64, count=k)
        c.is_open[start:end] = values("is_open")
        c.street[start:end] = values("street_id")
        c.category[start:end] = values("category_id")
        (c.state[start:end], c.urgency[start:end], c.tier[start:end], c.source[start:end]) = interned(
            ("state", "urgency", "tier", "source"), [c.states, c.urgencies, c.tiers, c.sources])
        own = tuple(a for a in NAME_ATTRS if a != "assignee")      # the assignee is the person's or the unit's
        for attr, column in zip(own, interned(own, [c.names[a] for a in own])):
            c.name[attr][start:end] = column
        c.name["assignee"][start:end] = self._assignees(start, end)
        self._codes += values("code")
        self._texts.append(own_texts(batch))
        self._spell()

    def _spell(self) -> None:
        """Each new name spelled out once (pinyin, initials), here rather than at a search,
        batch by batch while the rows still arrive."""
        for attr, done in self._spelled.items():
            names = self.columns.names[attr].values
            for v in names[done:]:
                if v:
                    search_terms(v)
            self._spelled[attr] = len(names)

    def _assignees(self, start: int, end: int) -> np.ndarray:
        """The assignee column from the person's and the unit's (`BoardRow.assignee`: the
        person, else the unit, else none), by distinct name rather than row by row."""
        c = self.columns
        table = c.names["assignee"]
        by_person = np.array([table.id(v) if v else -1 for v in c.names["assignee_person_name"].values], np.int32)
        by_unit = np.array([table.id(v or "") for v in c.names["assignee_unit_name"].values], np.int32)
        chosen = by_person[c.name["assignee_person_name"][start:end]]
        return np.where(chosen >= 0, chosen, by_unit[c.name["assignee_unit_name"][start:end]])

    def done(self) -> BoardColumns:
        """The columns, complete: codes ranked, names spelled out, texts joined."""
        c = self.columns
        n = len(c.rows)
        c.code_rank[:n] = c.code_ranks.reset(self._codes)
        self._spell()
        # the batches' texts joined as one: each batch's starts moved by what came before it
        starts, offset = [], 0
        for blob, at in self._texts:
            starts.append(at + offset)
            offset += len(blob) + len(_SEPARATOR)
        c._blob = (_SEPARATOR.join(blob for blob, _ in self._texts),
                   np.concatenate(starts) if starts else np.zeros(0, np.int64))
        c._dirty = {}
        self._codes, self._texts = [], []
        return c
