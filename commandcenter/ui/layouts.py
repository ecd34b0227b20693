"""Named workstation layouts: window and dock geometry, floating docks, the columns of the
tables — each kept per screen set, so the laptop alone and the laptop docked to two monitors
each keep their own. A screen set never seen gets the layout's most recently saved one, and a
layout that names a monitor this desk no longer has falls back onto the screens that are there.
Where and how it is stored is `settings`'s business."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QRect, QTimer
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHeaderView,
    QMainWindow,
    QTableView,
    QTreeView,
    QWidget,
)

from . import settings
from .settings import COLUMN_VIEWS, COLUMNS, DOCKS, GEOMETRY, RECENT, SCREENS

LAST = "_last"


@dataclass(frozen=True)
class ScreenSet:
    """The connected screens: `key` names them in the file, `description` says them in words."""
    key: str
    description: str


class Screen(Protocol):
    """What a screen set needs of a QScreen."""
    def name(self) -> str: ...
    def geometry(self) -> QRect: ...


def screen_set(screens: Sequence[Screen] | None = None) -> ScreenSet:
    """Stable for the same monitors in the same places, whatever order Qt lists them in."""
    screens = QGuiApplication.screens() if screens is None else screens
    parts = sorted(f"{s.name()} {g.x()},{g.y()} {g.width()}x{g.height()}" for s in screens for g in [s.geometry()])
    text = " + ".join(parts) or "no screen"
    return ScreenSet("screens-" + hashlib.sha1(text.encode()).hexdigest()[:12], text)


def names() -> list[str]:
    return [n for n in settings.open_store().values_of(RECENT, "layout") if n != LAST]


def save(window: QMainWindow, name: str, screens: ScreenSet | None = None) -> None:
    screens = screens or screen_set()
    store = settings.open_store()
    at = {"layout": name, "screens": screens.key}
    store.set(GEOMETRY, window.saveGeometry(), **at)
    store.set(DOCKS, window.saveState(), **at)
    for view_name, header in _column_headers(window):
        store.set(COLUMNS, header.saveState(), view=view_name, **at)
    store.set(SCREENS, screens.description, **at)
    store.set(RECENT, screens.key, layout=name)
    store.sync()


def delete(name: str) -> None:
    store = settings.open_store()
    store.remove(RECENT, "layout", layout=name)
    store.sync()


def restore(window: QMainWindow, name: str, screens: ScreenSet | None = None) -> bool:
    """The layout as saved on these screens, else as saved most recently; False if none."""
    store = settings.open_store()
    saved = store.values_of(DOCKS, "screens", layout=name)
    key = (screens or screen_set()).key
    if key not in saved:
        recent = store.get(RECENT, layout=name)
        key = recent if recent in saved else (saved[-1] if saved else "")
    if not key:
        return False
    at = {"layout": name, "screens": key}
    state = store.get(DOCKS, **at)
    if state.isEmpty():
        return False
    geometry = store.get(GEOMETRY, **at)
    if not geometry.isEmpty():
        window.restoreGeometry(geometry)
    tabbed_by_default = {d: window.tabifiedDockWidgets(d) for d in window.findChildren(QDockWidget)}
    window.restoreState(state)
    _place_new_views(window, bytes(state.data()), tabbed_by_default)
    window.setProperty(_RESTORED, [name, key])
    restore_columns(window, window)
    keep_on_screens(window)
    raise_floating(window)
    QTimer.singleShot(0, window, lambda: raise_floating(window))     # after the hall itself is shown
    return True


#: the window's property naming the layout last restored on it: [layout, screens]
_RESTORED = "cc_restored_layout"


def restore_columns(window: QMainWindow, panel: QWidget) -> None:
    """The tables in `panel` as the layout last restored on `window` saved them: a panel made
    when first shown (the grid card) comes after the layout, and would otherwise show its
    default columns and save them over the operator's at the end."""
    restored = window.property(_RESTORED)
    if not restored:
        return
    name, key = restored
    store = settings.open_store()
    for view_name, header in _column_headers(panel):
        columns = store.get(COLUMNS, view=view_name, layout=name, screens=key)
        if not columns.isEmpty():
            header.restoreState(columns)


def _place_new_views(window: QMainWindow, state: bytes,
                     tabbed_by_default: dict[QDockWidget, list[QDockWidget]]) -> None:
    """A view added since the layout was saved goes where it is by default, tabbed with the
    views it shares a place with. The saved state does not name it, and Qt would give it a
    slot of its own beside the others (a new dock squeezed the board on an upgraded hall)."""
    def known(dock: QDockWidget) -> bool:      # a state stores each dock's objectName in UTF-16
        return dock.objectName().encode("utf-16-be") in state

    for dock, siblings in tabbed_by_default.items():
        beside = [s for s in siblings if known(s)]
        if not known(dock) and beside:
            window.tabifyDockWidget(beside[0], dock)


def _column_headers(window: QWidget) -> Iterator[tuple[str, QHeaderView]]:
    for view in window.findChildren(QAbstractItemView):
        if view.objectName() in COLUMN_VIEWS:
            if isinstance(view, QTableView):
                yield view.objectName(), view.horizontalHeader()
            elif isinstance(view, QTreeView):
                yield view.objectName(), view.header()


def available() -> list[QRect]:
    return [sc.availableGeometry() for sc in QGuiApplication.screens()]


def keep_on_screens(window: QMainWindow) -> None:
    """Move anything whose centre lies on no screen onto the primary one."""
    for w in [window, *[d for d in window.findChildren(QDockWidget) if d.isFloating()]]:
        fit_on_screen(w)


def fit_on_screen(w: QWidget) -> None:
    rects = available()
    if not rects:
        return
    g = w.frameGeometry() if w.isWindow() else w.geometry()
    if any(r.contains(g.center()) for r in rects):
        return
    primary = QGuiApplication.primaryScreen().availableGeometry()
    width, height = min(g.width(), primary.width()), min(g.height(), primary.height())
    w.setGeometry(QRect(primary.x() + (primary.width() - width) // 2, primary.y() + (primary.height() - height) // 2,
                        width, height))


#: the size the hall last gave a floated view (a QSize), to tell it from a size the operator chose
PLACED = "ccPlacedSize"
#: a floated view's geometry before F11 made it fill its monitor (a QRect)
NORMAL = "ccNormalGeometry"
#: a window manager may add or take a frame's worth of pixels from what the hall asked for
_SLACK = 48


def sized_by_operator(w: QWidget) -> bool:
    """A floated view keeps its size when the operator chose it: it floats already, and its size
    is not the one the hall last gave it (nor one it never gave: a view torn off the hall by
    its title bar floats at its docked size, which nobody chose)."""
    if isinstance(w, QDockWidget) and not w.isFloating():
        return False
    placed = w.property(PLACED)
    if placed is None:
        return not isinstance(w, QDockWidget)     # a main window's size is the operator's
    return abs(w.width() - placed.width()) > _SLACK or abs(w.height() - placed.height()) > _SLACK


def move_to_screen(w: QWidget, index: int) -> None:
    """Put a window (or a dock, floated) on screen `index`. A view fills the screen unless the
    operator sized it; a sized one keeps its size if it fits, centred. It ends in front of the
    hall, never behind it."""
    screens = QGuiApplication.screens()
    if not 0 <= index < len(screens):
        raise IndexError(f"there is no screen {index + 1}; this workstation has {len(screens)}")
    keep = sized_by_operator(w)
    if isinstance(w, QDockWidget):
        w.setFloating(True)
    target = screens[index].availableGeometry()
    size = w.size()
    width, height = min(size.width(), target.width()), min(size.height(), target.height())
    handle = w.windowHandle()
    if handle is not None:
        handle.setScreen(screens[index])
    if keep:
        w.setGeometry(QRect(target.x() + (target.width() - width) // 2, target.y() + (target.height() - height) // 2,
                            width, height))
    else:
        w.setGeometry(target)
        w.setProperty(PLACED, target.size())
    w.setProperty(NORMAL, None)
    w.show()
    w.raise_()


def screen_of(w: QWidget) -> QScreen:
    """The monitor a window is on: the one holding its centre (Qt's own answer lags a move)."""
    centre = w.frameGeometry().center() if w.isWindow() else w.mapToGlobal(w.rect().center())
    return QGuiApplication.screenAt(centre) or w.screen() or QGuiApplication.primaryScreen()


def toggle_full(w: QDockWidget) -> None:
    """F11 on a floated view: it fills its own monitor (the whole of it, as the hall's full
    screen does), or goes back to the geometry it had. A floating dock is a tool window that
    window managers do not make full screen, so its geometry is set, not its window state."""
    normal = w.property(NORMAL)
    if isinstance(normal, QRect) and not normal.isNull():
        w.setProperty(NORMAL, None)
        w.setGeometry(normal)
        return
    w.setProperty(NORMAL, w.geometry())
    full = screen_of(w).geometry()
    w.setGeometry(full)
    w.setProperty(PLACED, full.size())
    w.raise_()


def is_full(w: QWidget) -> bool:
    """Whether F11 has made this floated view fill its monitor."""
    normal = w.property(NORMAL)
    return isinstance(normal, QRect) and not normal.isNull()


def raise_floating(window: QMainWindow) -> None:
    """Every floated view in front of the hall: a restored layout must not leave one behind it
    (the hall, shown after its docks, would otherwise cover them)."""
    raised = False
    for d in window.findChildren(QDockWidget):
        if d.isFloating() and d.isVisible():
            d.raise_()
            raised = True
    if raised:
        QGuiApplication.sync()        # the window system has it before anything else is drawn
