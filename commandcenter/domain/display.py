"""How one session shows names and times: the interface language it was opened in and the
district's time zone (cc.local_tz(), read at sign-in). Carried by the session and handed to
the views; no module keeps either as a global."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo

from . import romanise


class Bilingual(Protocol):
    """Anything with both names: code tables (Named), account rows."""
    @property
    def name(self) -> str: ...
    @property
    def name_en(self) -> str: ...


@dataclass(frozen=True)
class Display:
    lang: str = "zh_CN"
    zone: tzinfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))

    @classmethod
    def of(cls, lang: str, zone_name: str) -> Display:
        return cls(lang, ZoneInfo(zone_name))

    @property
    def english(self) -> bool:
        return self.lang == "en"

    def pick(self, zh: str | None, en: str | None) -> str:
        """The database keeps both names of every code; show the one of the interface language."""
        if self.english:
            return en or zh or ""
        return zh or en or ""

    def named(self, n: Bilingual | None) -> str:
        return self.pick(n.name, n.name_en) if n is not None else ""

    def place(self, name: str | None) -> str:
        """A community's or grid's name (the database keeps only the Chinese one)."""
        return romanise.place(name) if self.english and name else (name or "")

    def person(self, name: str | None) -> str:
        """A person's name: in English spelled in pinyin, surname first."""
        return romanise.person(name) if self.english and name else (name or "")

    def assignee(self, person: str | None, unit: str | None, units_en: Mapping[str, str]) -> str:
        """Who handles a case: the person, else the unit (English unit names are in the
        database, people's names are spelled in pinyin)."""
        if not self.english:
            return person or unit or ""
        if person:
            return romanise.person(person)
        return units_en.get(unit or "") or romanise.place(unit or "")

    def local(self, ts: datetime) -> datetime:
        return ts.astimezone(self.zone)

    def stamp(self, ts: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
        return self.local(ts).strftime(fmt) if ts else "—"
