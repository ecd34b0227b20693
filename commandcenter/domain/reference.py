"""Code tables and the territory's names as the views use them (read from the database once
per session; they change by migration or by an administrator, not by the workflow)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Named:
    code: str
    name: str
    name_en: str


@dataclass
class Reference:
    """Code tables and the territory's names, read once per session (they change by migration
    or by an administrator, not by the workflow)."""
    district: str
    district_en: str
    tz: str
    states: dict[str, Named]
    open_states: list[str]
    urgencies: dict[str, Named]
    sources: dict[str, Named]
    tiers: dict[str, Named]
    roles: dict[str, Named]
    core_roles: list[str]
    grid_types: dict[str, Named]
    levels: dict[str, Named]
    actions: dict[str, Named] = field(default_factory=dict)          # workflow actions, by code
    suspend_reasons: dict[str, Named] = field(default_factory=dict)  # why a case is put on hold
    supervision_levels: dict[str, Named] = field(default_factory=dict)  # street < district < leader
    category_class: dict[int, int] = field(default_factory=dict)    # item id -> level-1 id
    categories: dict[int, Named] = field(default_factory=dict)      # level-1 classes by id
    streets: dict[int, Named] = field(default_factory=dict)
    communities: dict[int, tuple[int, str]] = field(default_factory=dict)  # id -> (street, name)
    limits: dict[str, int] = field(default_factory=dict)            # cc.input_limit: what dialogs allow
    units_en: dict[str, str] = field(default_factory=dict)          # a unit's Chinese name -> its English one
    #: category items (level 3) by code, with the names of their classes: (level 2 zh, en, level 1 zh, en)
    items: dict[str, tuple[Named, tuple[str, ...]]] = field(default_factory=dict)
    #: the service directory's categories, and its items with their category's code and the
    #: case category item a request for them becomes
    service_categories: dict[str, Named] = field(default_factory=dict)
    service_items: dict[str, tuple[Named, str, str]] = field(default_factory=dict)
    #: what a grid worker keeps of a resident: (field, code) -> its name (education, employment, marital)
    resident_codes: dict[tuple[str, str], Named] = field(default_factory=dict)
