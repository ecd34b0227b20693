"""The QApplication of the hall and the wall: language, font, style sheet and a clean end on
SIGTERM. Light to import (no views, no session), so a start can show its splash at once and
import the views on a thread while the server starts (cli._import_views_meanwhile)."""

from __future__ import annotations

import signal
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from . import i18n
from .theme import HALL_QSS, WALL_QSS, apply_base_font


def application(lang: str | None, wall: bool = False) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("commandcenter")
    app.setOrganizationName("commandcenter")
    chosen = i18n.choose_language(lang)
    app.setApplicationDisplayName("网格化服务管理指挥大厅" if chosen.startswith("zh") else "Command Hall")
    i18n.install(app, chosen)
    apply_base_font(app)
    app.setStyleSheet(WALL_QSS if wall else HALL_QSS)
    _quit_on_signals(app)
    gui_thread_first()
    return app


#: how long another thread may run Python before the GUI thread, waiting, gets its turn
#: (Python's default is 5 ms)
SWITCH_INTERVAL_S = 0.001


def gui_thread_first() -> None:
    """The change feed, the database worker and a snapshot's builder run Python beside the GUI
    thread, one thread at a time. With Python's default switch interval the GUI thread waited
    up to 5 ms for each of them that was ready to run: ten consoles' feeds in one process
    (bench realtime) stalled its loop for 73–85 ms; with 1 ms, 42–48 ms (measured)."""
    sys.setswitchinterval(SWITCH_INTERVAL_S)


def _quit_on_signals(app: QApplication) -> None:
    """SIGTERM (a session logging out, `kill`) and Ctrl+C end the application the clean way, so
    the embedded server's hold is released as on a normal exit. Python runs signal handlers only
    between bytecodes: a timer gives it the chance while Qt's loop runs."""
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: app.quit())
    if app.property("cc_signal_timer") is None:
        timer = QTimer(app)
        timer.timeout.connect(lambda: None)
        timer.start(250)
        app.setProperty("cc_signal_timer", True)
