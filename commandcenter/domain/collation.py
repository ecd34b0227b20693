"""Names in the order a Chinese reader looks for them: by pinyin, numbers by value.

The bundled PostgreSQL has no ICU and its clusters run under C.UTF-8 (any locale must start
it), so the database orders Chinese by code point: 东华门, 北新桥, 安定门, 朝阳门 — no order a
reader knows. Lists of names (board columns, rankings, staff) are therefore sorted here, with
a key computed once per distinct name."""

from __future__ import annotations

import re
from functools import lru_cache

from .pinyin import syllables

_DIGITS = re.compile(r"\d+")


@lru_cache(maxsize=65536)     # a city's grid names; every other list is far shorter
def collation_key(text: str) -> str:
    """Pinyin syllables (without tones) with digit runs zero-padded, then the text itself: two
    names share a key only if they are equal, so sorting by it is a total order."""
    spelled = " ".join(syllables(text)).casefold()
    return _DIGITS.sub(lambda m: m.group().zfill(12), spelled) + "\x00" + text
