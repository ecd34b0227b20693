"""Every setting the console keeps, declared once: its key, type, default and why it exists.
The file carries a version; at start, upgrade steps (in order, each from version N to N+1)
bring an older file forward, so a setting can move or go without losing what a desk saved
(after Picard's options.py and config_upgrade.py). Nothing else in the ui names a key.

Kept per user and per workstation: the host name is in the file name, so a roaming profile
does not carry one desk's monitor arrangement to another."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from PySide6.QtCore import QByteArray, QSettings

from ..paths import config_dir

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One setting. `key` is a path whose {fields} each use fills in (a layout's name, a
    screen set, a table)."""
    key: str
    type: type[T]
    default: T
    why: str

    def path(self, **fields: str) -> str:
        for name, value in fields.items():
            if not value or "/" in value or "\\" in value:
                raise ValueError(f"{name} {value!r}: empty, or a slash (QSettings reads it as a group)")
        return self.key.format(**fields)

    def prefix(self, field: str, **fields: str) -> str:
        """The group holding every value of {field}: where to list or remove them."""
        head = self.key.split("{" + field + "}")[0].rstrip("/")
        return Setting(head, str, "", "").path(**fields)


# ------------------------------------------------------------ declarations
VERSION: Setting[int] = Setting(
    "settings_version", int, 0,
    "Which layout of this file: the upgrade steps run from here to CURRENT.")
GEOMETRY: Setting[QByteArray] = Setting(
    "layouts/{layout}/{screens}/geometry", QByteArray, QByteArray(),
    "Where the main window sits and how large it is, on this set of screens.")
DOCKS: Setting[QByteArray] = Setting(
    "layouts/{layout}/{screens}/state", QByteArray, QByteArray(),
    "Which dock is where (docked, tabbed, floating with its geometry); a layout exists for a "
    "screen set when this does.")
COLUMNS: Setting[QByteArray] = Setting(
    "layouts/{layout}/{screens}/columns/{view}", QByteArray, QByteArray(),
    "Column widths, order and sort of a table the operator arranged (see COLUMN_VIEWS).")
SCREENS: Setting[str] = Setting(
    "layouts/{layout}/{screens}/screens", str, "",
    "The screens of the set in words, for whoever opens the file (the group name is a hash).")
RECENT: Setting[str] = Setting(
    "layouts/{layout}/recent", str, "",
    "The screen set this layout was last saved on: restored on a screen set never seen.")

DECLARED: tuple[Setting[Any], ...] = (VERSION, GEOMETRY, DOCKS, COLUMNS, SCREENS, RECENT)

#: the tables whose column state a layout keeps (by object name); tables that rebuild their
#: columns from data (the staffing tables) are not among them
COLUMN_VIEWS = ("board-table", "timeline", "grid-staff", "grid-cases")
#: where a file from before version 3 keeps its layouts: which screens it was saved on is unknown
UNKNOWN_SCREENS = "screens-unknown"


# ------------------------------------------------------------ the file
def settings_file() -> Path:
    return config_dir() / f"layouts-{socket.gethostname()}.ini"


class Store:
    """Reads and writes declared settings only, typed as declared."""

    def __init__(self, qs: QSettings) -> None:
        self.qs = qs

    def get(self, setting: Setting[T], **fields: str) -> T:
        return _coerce(setting, self.qs.value(setting.path(**fields)))

    def has(self, setting: Setting[Any], **fields: str) -> bool:
        return self.qs.contains(setting.path(**fields))

    def set(self, setting: Setting[T], value: T, **fields: str) -> None:
        if not isinstance(value, setting.type):
            raise TypeError(f"{setting.key} takes {setting.type.__name__}, not {type(value).__name__}")
        self.qs.setValue(setting.path(**fields), value)

    def values_of(self, setting: Setting[Any], field: str, **fields: str) -> list[str]:
        """Every {field} the file has for this setting (the layouts, or one layout's screen sets)."""
        self.qs.beginGroup(setting.prefix(field, **fields))
        try:
            found = self.qs.childGroups()
        finally:
            self.qs.endGroup()
        return sorted(v for v in found if self.has(setting, **{**fields, field: v}))

    def remove(self, setting: Setting[Any], field: str, **fields: str) -> None:
        """Forget one {field} with everything under it (a whole layout, say)."""
        self.qs.remove(setting.prefix(field, **fields) + "/" + fields[field])

    def sync(self) -> None:
        self.qs.sync()


def _coerce(setting: Setting[T], raw: object) -> T:
    """The ini file gives back strings for numbers; anything unreadable reads as the default."""
    if raw is None:
        return setting.default
    kind: type[Any] = setting.type
    try:
        if kind is QByteArray:
            return cast(T, raw if isinstance(raw, QByteArray) else setting.default)
        if kind is bool:
            return cast(T, raw if isinstance(raw, bool) else str(raw).lower() in ("true", "1"))
        return cast(T, kind(raw))
    except (TypeError, ValueError):
        log.warning("setting %s: %r is not a %s; using the default", setting.key, raw, kind.__name__)
        return setting.default


def open_store(path: Path | None = None) -> Store:
    """The settings, brought up to CURRENT first (cheap when they already are)."""
    path = path or settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    qs = QSettings(str(path), QSettings.Format.IniFormat)
    upgrade(qs)
    return Store(qs)


# ------------------------------------------------------------ upgrades
def _drop_dock_screens(qs: QSettings) -> None:
    """1 → 2: `layouts/<name>/screens/<dock>` (the screen each floating dock was on) was
    written and never read; the dock state already holds a floating dock's geometry."""
    for name in _groups(qs, "layouts"):
        qs.remove(f"layouts/{name}/screens")


def _layouts_per_screen_set(qs: QSettings) -> None:
    """2 → 3: a layout is kept per screen set. What an older file holds was saved on screens
    it did not record: it goes under UNKNOWN_SCREENS and stays the fallback until the layout
    is saved again."""
    store = Store(qs)
    for name in _groups(qs, "layouts"):
        geometry, state = qs.value(f"layouts/{name}/geometry"), qs.value(f"layouts/{name}/state")
        qs.remove(f"layouts/{name}/geometry")
        qs.remove(f"layouts/{name}/state")
        if not isinstance(state, QByteArray):
            continue
        where = {"layout": name, "screens": UNKNOWN_SCREENS}
        store.set(DOCKS, state, **where)
        if isinstance(geometry, QByteArray):
            store.set(GEOMETRY, geometry, **where)
        store.set(SCREENS, "not recorded (saved before settings version 3)", **where)
        store.set(RECENT, UNKNOWN_SCREENS, layout=name)


#: UPGRADES[n] takes a file from version n to n + 1; version 1 is the unversioned file
UPGRADES: dict[int, Callable[[QSettings], None]] = {1: _drop_dock_screens, 2: _layouts_per_screen_set}
CURRENT = 1 + max(UPGRADES)


def _groups(qs: QSettings, group: str) -> list[str]:
    qs.beginGroup(group)
    try:
        return list(qs.childGroups())
    finally:
        qs.endGroup()


def upgrade(qs: QSettings) -> int:
    """Run the steps from the file's version to CURRENT, in order; returns the version found.
    A file newer than this program is left as it is (a newer console on the same desk)."""
    found = _coerce(VERSION, qs.value(VERSION.key))
    if found == 0:
        found = 1 if qs.allKeys() else CURRENT      # unversioned: as written before versions
    if found > CURRENT:
        log.warning("%s has settings version %d, newer than this program's %d; left as it is",
                    qs.fileName(), found, CURRENT)
        return found
    for version in range(found, CURRENT):
        log.info("upgrading %s: settings version %d to %d", qs.fileName(), version, version + 1)
        UPGRADES[version](qs)
        qs.setValue(VERSION.key, version + 1)
    if not qs.contains(VERSION.key):
        qs.setValue(VERSION.key, CURRENT)
    qs.sync()
    return found
