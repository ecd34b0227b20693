"""Finding a place or a category item the way an operator types on a hotline shift: Chinese,
pinyin in full or by initials ("dhm" for 东华门), English, or a word of the item's parents
("九必报", "市容"). No Qt, no database: built from names read once per session."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from .pinyin import first_letters, syllables


@dataclass(frozen=True)
class Entry:
    kind: str                   # street | community | grid | item
    key: object                 # the id or code the caller acts on
    name: str                   # Chinese name
    name_en: str = ""
    context: tuple[str, ...] = ()       # parents' names: a street for a grid, the classes for an item
    own: tuple[str, ...] = field(default=(), compare=False)        # ways of typing its name
    parents: tuple[str, ...] = field(default=(), compare=False)    # … and its parents' names


@lru_cache(maxsize=65536)     # the same street, grid, category and staff names stand beside thousands of cases
def _pinyin(text: str) -> tuple[str, str]:
    """(full, initials) of the Chinese in `text`, lower-case, without spaces."""
    spelled = [s for s in syllables(text) if s.strip()]
    full = "".join(spelled).lower()
    initials = "".join(s[0] for s in first_letters(text) if s.strip()).lower()
    return full, initials


def search_terms(*names: str | None) -> str:
    """Every way of typing these names, in one casefolded text a substring test can search:
    each name as written, its pinyin and its initials ("待派遣 daipaiqian dpq"). The board's
    free-text search looks in it, so "dhm" finds 东华门 and "ln" a 李娜."""
    return " ".join(_terms_of(n) for n in names if n)


@lru_cache(maxsize=65536)     # a board row is made of a few thousand names: each spelled out once
def _terms_of(name: str) -> str:
    written = name.casefold()
    full, initials = _pinyin(name)
    return written if not full or full == written else f"{written} {full} {initials}"


def entry(kind: str, key: object, name: str, name_en: str = "", context: Sequence[str] = ()) -> Entry:
    """An entry with every way of typing it precomputed (pinyin is slow to compute per key)."""
    full, initials = _pinyin(name)
    own = [name.casefold(), full, initials, name_en.casefold()]
    parents: list[str] = []
    for c in context:
        parents += [c.casefold(), *_pinyin(c)]
    return Entry(kind, key, name, name_en, tuple(context), tuple(t for t in own if t), tuple(t for t in parents if t))


class SearchIndex:
    """Ranked matching: the entry's own name (Chinese, pinyin, initials, English) by prefix
    first, then anywhere in it, then its parents' names; shorter names first within a rank."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries = list(entries)

    def find(self, text: str, limit: int = 12, kinds: Sequence[str] | None = None) -> list[Entry]:
        needle = "".join(text.split()).casefold()
        if not needle:
            return []
        ranked: list[tuple[int, int, int, Entry]] = []
        for i, e in enumerate(self.entries):
            if kinds is not None and e.kind not in kinds:
                continue
            rank = _rank(e, needle)
            if rank is not None:
                ranked.append((rank, len(e.name), i, e))
        ranked.sort(key=lambda r: (r[0], r[1], r[2]))
        return [r[3] for r in ranked[:limit]]


def _rank(e: Entry, needle: str) -> int | None:
    if any(t.startswith(needle) for t in e.own):
        return 0
    if any(needle in t for t in e.own):
        return 1
    if any(needle in t for t in e.parents):
        return 2
    return None
