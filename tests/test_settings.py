"""Settings: declared once with type, default and reason; a version in the file and upgrade
steps that carry an older file forward; layouts kept per screen set. Offscreen Qt, no database."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QRect, QSettings, Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QTableView

from commandcenter.ui import layouts, settings
from commandcenter.ui.layouts import LAST, ScreenSet
from commandcenter.ui.settings import (
    COLUMNS,
    CURRENT,
    DECLARED,
    DOCKS,
    GEOMETRY,
    RECENT,
    UNKNOWN_SCREENS,
    UPGRADES,
    VERSION,
)

# What layouts.py wrote before settings had a version (as of commit bf39a7b): the last layout
# and one named layout of a window with a board and a map dock, the map floating in the named
# one. The dock-map line names a monitor, as a desk with two of them writes it.
OLD_INI = r"""[layouts]
_last\geometry=@ByteArray(\x1\xd9\xd0\xcb\0\x3\0\0\0\0\0\0\0\0\0\0\0\0\x3#\0\0\x2[\0\0\0\x2\0\0\0\x2\0\0\x3!\0\0\x2Y\0\0\0\0\0\0\0\0\x3 \0\0\0\x2\0\0\0\x2\0\0\x3!\0\0\x2Y)
_last\screens\dock-board=
_last\screens\dock-map=
_last\state=@ByteArray(\0\0\0\xff\0\0\0\0\xfd\0\0\0\x1\0\0\0\0\0\0\0\x31\0\0\x2X\xfc\x2\0\0\0\x2\xfb\0\0\0\x14\0\x64\0o\0\x63\0k\0-\0\x62\0o\0\x61\0r\0\x64\x1\0\0\0\0\0\0\x1)\0\0\0\x1e\0\xff\xff\xff\xfb\0\0\0\x10\0\x64\0o\0\x63\0k\0-\0m\0\x61\0p\x1\0\0\x1/\0\0\x1)\0\0\0\x1e\0\xff\xff\xff\0\0\x2\xe9\0\0\x2X\0\0\0\x4\0\0\0\x4\0\0\0\b\0\0\0\b\xfc\0\0\0\0)
two%20screens\geometry=@ByteArray(\x1\xd9\xd0\xcb\0\x3\0\0\0\0\0\0\0\0\0\0\0\0\x3#\0\0\x2[\0\0\0\x2\0\0\0\x2\0\0\x3!\0\0\x2Y\0\0\0\0\0\0\0\0\x3 \0\0\0\x2\0\0\0\x2\0\0\x3!\0\0\x2Y)
two%20screens\screens\dock-board=
two%20screens\screens\dock-map=HDMI-1
two%20screens\state="@ByteArray(\0\0\0\xff\0\0\0\0\xfd\0\0\0\x1\0\0\0\0\0\0\0\x31\0\0\x2X\xfc\x2\0\0\0\x2\xfb\0\0\0\x14\0\x64\0o\0\x63\0k\0-\0\x62\0o\0\x61\0r\0\x64\x1\0\0\0\0\0\0\x2X\0\0\0\x1e\0\xff\xff\xff\xfb\0\0\0\x10\0\x64\0o\0\x63\0k\0-\0m\0\x61\0p\x3\0\0\0\x64\0\0\0P\0\0\x1,\0\0\0\xc8\0\0\x2\xe9\0\0\x2X\0\0\0\x4\0\0\0\x4\0\0\0\b\0\0\0\b\xfc\0\0\0\0)"
"""

LAPTOP = ScreenSet("screens-laptop", "eDP-1 0,0 1920x1080")
DOCKED = ScreenSet("screens-docked", "DP-1 0,0 2560x1440 + eDP-1 2560,0 1920x1080")


@pytest.fixture()
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's own settings file (the session-wide one is shared by other tests)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return settings.settings_file()


def old_file(config: Path) -> Path:
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(OLD_INI, encoding="utf-8")
    return config


def raw(config: Path) -> QSettings:
    return QSettings(str(config), QSettings.Format.IniFormat)


def window(qtbot, new_view: bool = False) -> QMainWindow:  # noqa: ANN001
    """The hall's shape without its data: docks by the hall's names, a board table with columns
    (and, with `new_view`, a dock added by a later version, tabbed with the map by default)."""
    w = QMainWindow()
    w.setObjectName("hall")
    w.setCentralWidget(QLabel("centre"))
    table = QTableView()
    table.setObjectName("board-table")
    model = QStandardItemModel(3, 4, table)
    table.setModel(model)
    table.setSortingEnabled(True)
    for name, widget in (("board", table), ("map", QLabel("map"))):
        d = QDockWidget(name, w)
        d.setObjectName(f"dock-{name}")
        d.setWidget(widget)
        w.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, d)
    if new_view:
        d = QDockWidget("callbacks", w)
        d.setObjectName("dock-callbacks")
        d.setWidget(QLabel("callbacks"))
        w.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, d)
        w.tabifyDockWidget(map_dock(w), d)
    qtbot.addWidget(w)
    w.resize(800, 600)
    w.show()
    qtbot.waitExposed(w)
    return w


def map_dock(w: QMainWindow) -> QDockWidget:
    dock = w.findChild(QDockWidget, "dock-map")
    assert dock is not None
    return dock


# ------------------------------------------------------------ declarations
def test_every_setting_is_declared_once_with_type_default_and_reason() -> None:
    keys = [s.key for s in DECLARED]
    assert len(keys) == len(set(keys))
    for s in DECLARED:
        assert isinstance(s.default, s.type), s.key
        assert len(s.why) > 20, s.key


def test_no_other_module_opens_the_file_or_spells_a_key() -> None:
    ui = Path(settings.__file__).parent
    package = ui.parent
    stems = {s.key.split("/")[0] for s in DECLARED}
    for path in package.rglob("*.py"):
        if path == Path(settings.__file__):
            continue
        text = path.read_text(encoding="utf-8")
        assert "QSettings" not in text, path
        for stem in stems:
            assert f'"{stem}/' not in text and f'"{stem}"' not in text, (path, stem)


def test_a_value_is_written_as_its_declared_type(config: Path) -> None:
    store = settings.open_store()
    with pytest.raises(TypeError):
        store.set(RECENT, 3, layout="x")  # type: ignore[arg-type,misc]
    with pytest.raises(ValueError, match="slash"):
        store.set(RECENT, "screens-x", layout="a/b")


# ------------------------------------------------------------ version and upgrades
def test_a_new_file_starts_at_the_current_version(config: Path) -> None:
    store = settings.open_store()
    assert store.get(VERSION) == CURRENT
    assert f"settings_version={CURRENT}" in config.read_text(encoding="utf-8")


def test_the_upgrade_carries_an_old_file_forward(qtbot, config: Path) -> None:  # noqa: ANN001
    old = raw(old_file(config))
    before = {name: (old.value(f"layouts/{name}/geometry"), old.value(f"layouts/{name}/state"))
              for name in (LAST, "two screens")}
    assert old.value("layouts/two screens/screens/dock-map") == "HDMI-1"
    assert all(isinstance(v, QByteArray) and not v.isEmpty() for pair in before.values() for v in pair)
    del old

    assert settings.upgrade(raw(config)) == 1            # unversioned: the first version
    store = settings.open_store()
    assert store.get(VERSION) == CURRENT
    for name, (geometry, state) in before.items():
        at = {"layout": name, "screens": UNKNOWN_SCREENS}
        assert store.get(GEOMETRY, **at) == geometry
        assert store.get(DOCKS, **at) == state
        assert store.get(RECENT, layout=name) == UNKNOWN_SCREENS
    keys = raw(config).allKeys()
    assert not [k for k in keys if "/screens/dock-" in k]       # written, never read: gone
    assert not [k for k in keys if k.endswith(("two screens/state", "_last/geometry"))]
    assert layouts.names() == ["two screens"]

    # and what it carried restores: on any screens, since where it was saved is unknown
    w = window(qtbot)
    assert layouts.restore(w, "two screens", LAPTOP)
    qtbot.waitUntil(lambda: map_dock(w).isFloating(), timeout=2000)
    assert layouts.restore(w, LAST, DOCKED)
    qtbot.waitUntil(lambda: not map_dock(w).isFloating(), timeout=2000)


def test_the_steps_run_in_order_one_version_at_a_time(config: Path) -> None:
    qs = raw(old_file(config))
    state = qs.value("layouts/_last/state")
    UPGRADES[1](qs)                       # 1 → 2: the dock screens go, the rest stays put
    assert not [k for k in qs.allKeys() if "/screens/" in k]
    assert qs.value("layouts/_last/state") == state
    UPGRADES[2](qs)                       # 2 → 3: under a screen set
    assert qs.value("layouts/_last/state") is None
    assert settings.Store(qs).get(DOCKS, layout=LAST, screens=UNKNOWN_SCREENS) == state
    assert sorted(UPGRADES) == list(range(1, CURRENT))


def test_an_upgraded_file_is_not_upgraded_again(config: Path) -> None:
    old_file(config)
    settings.open_store()
    assert settings.upgrade(raw(config)) == CURRENT


def test_a_file_from_a_newer_program_is_left_as_it_is(config: Path) -> None:
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f"[General]\nsettings_version={CURRENT + 1}\n[layouts]\nfuture\\thing=1\n", encoding="utf-8")
    assert settings.upgrade(raw(config)) == CURRENT + 1
    qs = raw(config)
    assert qs.value("layouts/future/thing") == "1"
    assert settings.Store(qs).get(VERSION) == CURRENT + 1


# ------------------------------------------------------------ layouts per screen set
def test_each_screen_set_keeps_its_own_layout_and_an_unseen_one_gets_the_newest(qtbot, config: Path) -> None:  # noqa: ANN001
    w = window(qtbot)
    dock = map_dock(w)
    layouts.save(w, LAST, LAPTOP)                        # the laptop alone: the map docked
    dock.setFloating(True)
    dock.setGeometry(QRect(100, 80, 300, 200))
    qtbot.wait(50)
    layouts.save(w, LAST, DOCKED)                        # docked: the map floats on the big monitor

    assert layouts.restore(w, LAST, LAPTOP)
    qtbot.waitUntil(lambda: not dock.isFloating(), timeout=2000)
    assert layouts.restore(w, LAST, DOCKED)
    qtbot.waitUntil(lambda: dock.isFloating(), timeout=2000)
    dock.setFloating(False)
    assert layouts.restore(w, LAST, ScreenSet("screens-projector", "HDMI-1 0,0 1280x720"))
    qtbot.waitUntil(lambda: dock.isFloating(), timeout=2000)   # the docked one: saved last

    dock.setFloating(False)
    qtbot.wait(50)
    layouts.save(w, LAST, LAPTOP)
    assert layouts.restore(w, LAST, ScreenSet("screens-projector", "HDMI-1 0,0 1280x720"))
    qtbot.wait(50)
    assert not dock.isFloating()                          # now the laptop's is the newest
    assert settings.open_store().get(RECENT, layout=LAST) == LAPTOP.key


def test_a_view_added_since_a_layout_was_saved_takes_its_default_tab(qtbot, config: Path) -> None:  # noqa: ANN001
    """An upgrade adds a dock (the callbacks beside staffing): restoring the layout saved before
    it existed keeps it tabbed where it belongs instead of squeezing the others."""
    old = window(qtbot)
    layouts.save(old, LAST, LAPTOP)                       # saved by a hall without the new view
    w = window(qtbot, new_view=True)
    new = w.findChild(QDockWidget, "dock-callbacks")
    assert new in w.tabifiedDockWidgets(map_dock(w))
    assert layouts.restore(w, LAST, LAPTOP)
    assert new in w.tabifiedDockWidgets(map_dock(w))


def test_a_layout_never_saved_restores_nothing(qtbot, config: Path) -> None:  # noqa: ANN001
    assert not layouts.restore(window(qtbot), "nothing here", LAPTOP)


def test_names_list_and_delete_a_layout_with_all_its_screen_sets(qtbot, config: Path) -> None:  # noqa: ANN001
    w = window(qtbot)
    layouts.save(w, "night shift", LAPTOP)
    layouts.save(w, "night shift", DOCKED)
    layouts.save(w, LAST, LAPTOP)
    assert layouts.names() == ["night shift"]
    layouts.delete("night shift")
    assert layouts.names() == []
    assert not layouts.restore(w, "night shift", DOCKED)


def test_column_widths_order_and_sort_are_kept(qtbot, config: Path) -> None:  # noqa: ANN001
    w = window(qtbot)
    table = w.findChild(QTableView, "board-table")
    assert table is not None
    header = table.horizontalHeader()
    header.resizeSection(1, 222)
    header.moveSection(3, 0)
    header.setSortIndicator(2, Qt.SortOrder.AscendingOrder)
    layouts.save(w, LAST, LAPTOP)
    store = settings.open_store()
    assert not store.get(COLUMNS, layout=LAST, screens=LAPTOP.key, view="board-table").isEmpty()
    header.resizeSection(1, 60)
    header.moveSection(0, 3)
    header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
    assert layouts.restore(w, LAST, LAPTOP)
    assert header.sectionSize(1) == 222
    assert header.logicalIndex(0) == 3
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (2, Qt.SortOrder.AscendingOrder)


class _Screen:
    def __init__(self, name: str, x: int, y: int, w: int, h: int) -> None:
        self._name, self._rect = name, QRect(x, y, w, h)

    def name(self) -> str:
        return self._name

    def geometry(self) -> QRect:
        return self._rect


def test_a_screen_set_is_named_by_its_screens_in_any_order() -> None:
    a, b = _Screen("DP-1", 0, 0, 2560, 1440), _Screen("eDP-1", 2560, 0, 1920, 1080)
    both = layouts.screen_set([a, b])
    assert both == layouts.screen_set([b, a])
    assert both.key.startswith("screens-") and "/" not in both.key
    assert both.description == "DP-1 0,0 2560x1440 + eDP-1 2560,0 1920x1080"
    moved = layouts.screen_set([a, _Screen("eDP-1", 0, 1440, 1920, 1080)])
    assert moved.key != both.key
    assert layouts.screen_set([b]).key != both.key
