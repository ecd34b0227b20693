"""Named workstation layouts: window and dock geometry, which docks float on which screen.
Kept per user and per workstation (the host name is in the file name, so a roaming profile
does not carry one desk's monitor arrangement to another). A layout that names a monitor this
desk no longer has falls back onto the screens that are there."""

from __future__ import annotations

import socket

from PySide6.QtCore import QByteArray, QRect, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from ..paths import config_dir

LAST = "_last"


def settings() -> QSettings:
    path = config_dir() / f"layouts-{socket.gethostname()}.ini"
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)


def names() -> list[str]:
    s = settings()
    s.beginGroup("layouts")
    out = sorted(n for n in s.childGroups() if n != LAST)
    s.endGroup()
    return out


def save(window: QMainWindow, name: str) -> None:
    s = settings()
    s.beginGroup(f"layouts/{name}")
    s.setValue("geometry", window.saveGeometry())
    s.setValue("state", window.saveState())
    for dock in window.findChildren(QDockWidget):
        screen = dock.screen().name() if dock.isFloating() and dock.screen() else ""
        s.setValue(f"screens/{dock.objectName()}", screen)
    s.endGroup()
    s.sync()


def delete(name: str) -> None:
    s = settings()
    s.remove(f"layouts/{name}")
    s.sync()


def restore(window: QMainWindow, name: str) -> bool:
    s = settings()
    s.beginGroup(f"layouts/{name}")
    geometry, state = s.value("geometry"), s.value("state")
    s.endGroup()
    if not isinstance(state, QByteArray):
        return False
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    window.restoreState(state)
    keep_on_screens(window)
    return True


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


def move_to_screen(w: QWidget, index: int) -> None:
    """Put a window (or a dock, floated) on screen `index`, centred, keeping its size if it fits."""
    screens = QGuiApplication.screens()
    if not 0 <= index < len(screens):
        raise IndexError(f"there is no screen {index + 1}; this workstation has {len(screens)}")
    if isinstance(w, QDockWidget):
        w.setFloating(True)
    target = screens[index].availableGeometry()
    size = w.size()
    width, height = min(size.width(), target.width()), min(size.height(), target.height())
    handle = w.windowHandle()
    if handle is not None:
        handle.setScreen(screens[index])
    w.setGeometry(QRect(target.x() + (target.width() - width) // 2, target.y() + (target.height() - height) // 2,
                        width, height))
