"""Chinese names for the English interface when the database keeps no English name: places as
pinyin with their kind translated (永定社区第2网格 → Yongding Community Grid 2), people as
Hanyu Pinyin with the surname first (范辉云 → Fan Huiyun), as Chinese names are written in
English. Streets, categories and units have English names in the database and use those."""

from __future__ import annotations

import re
from functools import lru_cache

from .pinyin import syllables_u

# the kind of place a name ends with, in English (longest first)
_KINDS = (("居委会", "Residents' Committee"), ("城管执法队", "Urban Management Team"), ("派出所", "Police Station"),
          ("司法所", "Judicial Office"), ("消防站", "Fire Station"), ("环卫所", "Sanitation Station"),
          ("房管所", "Housing Office"), ("党委", "Party Committee"), ("社区", "Community"), ("街道", "Subdistrict"),
          ("村", "Village"), ("网格", "Grid"))
_GRID_NO = re.compile(r"第\s*(\d+)\s*网格")
_HAN = re.compile(r"[\u3400-\u9fff]+")
_COMPOUND_SURNAMES = frozenset({"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐",
                                "长孙", "夏侯", "司徒", "端木", "西门", "宇文"})


def _spell(han: str) -> str:
    return "".join(syllables_u(han)).capitalize()


@lru_cache(maxsize=65536)
def place(name: str) -> str:
    """A place's name in English letters: proper names spelled, kinds translated."""
    text = _GRID_NO.sub(r" Grid \1 ", name)
    for zh, en in _KINDS:
        text = text.replace(zh, f" {en} ")
    text = _HAN.sub(lambda m: " " + _spell(m.group()) + " ", text)
    return " ".join(text.split())


@lru_cache(maxsize=65536)
def person(name: str) -> str:
    """A person's Chinese name in pinyin, surname first and apart: 范辉云 → Fan Huiyun."""
    if not _HAN.fullmatch(name) or len(name) < 2:
        return place(name)
    cut = 2 if name[:2] in _COMPOUND_SURNAMES and len(name) > 2 else 1
    syllables = syllables_u(name)       # 吕 Lü, not Lv
    return f"{''.join(syllables[:cut]).capitalize()} {''.join(syllables[cut:]).capitalize()}"
