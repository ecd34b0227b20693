"""Starting the Qt side: the application object, language, theme; the hall, the wall and
offscreen screenshots. The CLI calls these with a DSN; nothing here decides a rule."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QTimer
from PySide6.QtGui import QGuiApplication, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from ..domain import pinyin
from ..launch.sign_in import SignIn
from ..store.errors import CommandCenterError
from . import i18n, settings
from .application import application
from .session import Session, open_session
from .splash import close_splash


def wait_until(predicate: Callable[[], bool], timeout: float = 30.0) -> bool:
    """Run the event loop until predicate() holds (screenshots, tests of startup). Objects
    deleted later are deleted here as Qt's own loop would: processEvents() alone keeps them, and
    a screenshot then showed the tab bars QMainWindow had discarded over the board."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


def open_blocking(dsn: str, lang: str, timeout: float = 60.0) -> Session:
    """Open a session and wait for its first snapshot (screenshots and tests; the GUI is not
    shown yet, so nothing waits that a user could see)."""
    box: dict[str, object] = {}

    def opened(session: Session) -> None:
        box["session"] = session

    def failed(exc: Exception) -> None:
        box["error"] = exc

    open_session(dsn, lang, opened, failed)
    wait_until(lambda: bool(box), timeout)
    if "error" in box:
        raise CommandCenterError(f"cannot open the hall: {box['error']}")
    if "session" not in box:
        raise CommandCenterError("the database did not answer within a minute")
    session: Session = box["session"]  # type: ignore[assignment]
    wait_until(lambda: session.live.loaded, timeout)
    return session


#: a start reads known names' pinyin from the cache; pypinyin itself is loaded this long after
#: the window is up, off the GUI thread, for the names met later (domain.pinyin)
PINYIN_WARM_MS = 5000


def run_hall(dsn: str, lang: str | None, ready_exit: bool = False, sign_in: SignIn | None = None,
             history=None) -> int:  # noqa: ANN001 - demo.background.BackgroundHistory
    from .main_window import HallWindow

    app = application(lang)
    chosen = i18n.choose_language(lang)
    settings.open_store()        # an older settings file is upgraded before any window reads it
    holder: dict[str, QWidget] = {}

    def ready(session: Session) -> None:
        w = HallWindow(session)
        holder["w"] = w
        close_splash()
        app.aboutToQuit.connect(session.close)
        if w.first_start:            # fits whatever screen it opens on (1366×768 … 3840×2160),
            screen = QGuiApplication.primaryScreen()     # also where no window manager maximises
            if screen is not None:
                w.setGeometry(screen.availableGeometry())
            w.showMaximized()
        else:
            w.show()
        app.setQuitOnLastWindowClosed(True)
        QTimer.singleShot(PINYIN_WARM_MS, pinyin.warm_in_background)
        if ready_exit:       # `bench startup`: say when the board is on screen, then leave
            said: list[bool] = []

            def check() -> None:
                if session.live.loaded and w.board_model.rowCount() > 0:
                    if not said:
                        w.repaint()
                        print("ready", flush=True)
                        said.append(True)
                    if history is None or history.done.is_set():   # leave a whole demo behind
                        QTimer.singleShot(3000, app.quit)     # long enough to be photographed
                        return
                QTimer.singleShot(10 if not said else 500, check)
            check()

    def failed(exc: Exception) -> None:
        close_splash()
        _report_failure(app, exc)

    # between the sign-in dialog closing and the hall opening no window is shown: that must
    # not end the application
    app.setQuitOnLastWindowClosed(False)
    if sign_in is None:
        open_session(dsn, chosen, ready, failed)
    else:
        from .login import LoginDialog
        dialog = LoginDialog(dsn, sign_in.user, sign_in.password, sign_in.demo, history)
        holder["login"] = dialog
        dialog.signed_in.connect(lambda operator_dsn: open_session(operator_dsn, chosen, ready, failed))
        dialog.rejected.connect(lambda: app.exit(0))
        dialog.failed_unattended.connect(lambda why: (print(f"error: {why}", file=sys.stderr), app.exit(1)))
        if ready_exit and sign_in.user and sign_in.password:
            QTimer.singleShot(0, dialog.submit)       # bench startup: sign in as a user would
        close_splash()
        dialog.show()
    return app.exec()


def run_wall(dsn: str, lang: str | None, screen: int | None) -> int:
    from .wall import WallWindow

    app = application(lang, wall=True)
    holder: dict[str, QWidget] = {}
    screens = QGuiApplication.screens()
    if screen is not None and not 1 <= screen <= len(screens):
        raise CommandCenterError(f"there is no screen {screen}: this machine has {len(screens)} "
                                 f"(use --screen 1{'' if len(screens) == 1 else f'…{len(screens)}'})")
    target = screens[screen - 1] if screen is not None else QGuiApplication.primaryScreen()

    def ready(session: Session) -> None:
        w = WallWindow(session)
        holder["w"] = w
        close_splash()
        app.aboutToQuit.connect(session.close)
        w.setGeometry(target.geometry())
        w.showFullScreen()
        if w.windowHandle() is not None:
            w.windowHandle().setScreen(target)

    def failed(exc: Exception) -> None:
        close_splash()
        _report_failure(app, exc)

    open_session(dsn, i18n.choose_language(lang), ready, failed)
    return app.exec()


def _report_failure(app: QApplication, exc: Exception) -> None:
    """Opening failed: say so on the terminal and in a dialog, then exit with status 2."""
    print(f"commandcenter: cannot open: {exc}", file=sys.stderr)
    box = QMessageBox(QMessageBox.Icon.Critical, "commandcenter", str(exc))
    box.finished.connect(lambda _r: app.exit(2))
    box.open()


def screenshot(dsn: str, view: str, out: Path, lang: str | None, size: tuple[int, int]) -> Path:
    """Render a view offscreen with the current data and save it as PNG."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = application(lang or "zh_CN", wall=view == "wall")
    session = open_blocking(dsn, lang or "zh_CN")
    try:
        widget = _screenshot_widget(session, view)
        widget.resize(*size) if view != "intake" else widget.resize(max(widget.sizeHint().width(), 820),
                                                                    widget.sizeHint().height())
        widget.show()
        _settle(session, widget, view)
        out.parent.mkdir(parents=True, exist_ok=True)
        if not _picture(widget, view).save(str(out), "PNG"):
            raise CommandCenterError(f"could not write {out}")
        widget.close()
        return out
    finally:
        session.close()
        app.processEvents()


def _screenshot_widget(session: Session, view: str) -> QWidget:
    from .main_window import HallWindow
    from .map_view import MapView
    from .staffing import StaffingView
    from .wall import WallWindow

    if view == "hall":
        return HallWindow(session, restore_last=False)
    if view in ("keyboard", "handover"):
        return HallWindow(session, restore_last=False, check_handover=False)
    if view == "wall":
        return WallWindow(session)
    if view == "map":
        w = MapView(session.live, session.selection, session.geometry, session.basics.territory.staff,
                    worker=session.worker)
        w.setWindowTitle("map")
        return w
    if view == "staffing":
        return StaffingView(session.live, session.worker, session.selection,
                            street_scope=session.basics.account_street)
    if view == "gridcard":
        from .grid_card import GridCardView
        card = GridCardView(session.live, session.worker, session.selection, people=session.basics.callers_visible)
        card.setWindowTitle("grid card")
        return card
    if view == "intake":
        from .intake import IntakeDialog
        return IntakeDialog(session)
    if view == "evaluation":
        from .evaluation import EvaluationPanel
        panel = EvaluationPanel(session)
        panel.setWindowTitle("evaluation")
        return panel
    raise CommandCenterError(f"unknown view {view!r}: use hall, keyboard, handover, wall, map, gridcard, staffing, "
                             "intake or evaluation")


def _settle(session: Session, widget: QWidget, view: str) -> None:
    """Give the views something to show, then wait for every query to come back."""
    live = session.live
    open_rows = [r for r in live.rows.values() if r.is_open]
    if view in ("hall", "keyboard", "handover", "map", "gridcard") and open_rows:
        # the newest urgent case: what an operator would look at first
        pick = max(open_rows, key=lambda r: (r.urgency != "normal", r.reported_at.timestamp()))
        session.selection.select_case(pick.id)
        session.selection.select_grid(pick.grid_id)
        if view in ("hall", "keyboard", "handover"):
            widget.dock_detail.raise_()    # type: ignore[attr-defined]
    if view == "staffing":
        # the street with the most grids shows the most
        counts: dict[int, int] = {}
        for g in session.geometry.grids:
            counts[g.attrs["street_id"]] = counts.get(g.attrs["street_id"], 0) + 1
        session.selection.street_selected.emit(max(counts, key=lambda street: counts[street]))
    if view == "intake" and open_rows:
        # a call about the newest open case's problem, a few metres from it: its duplicate shows
        from .intake import IntakeDialog
        assert isinstance(widget, IntakeDialog)
        newest = max(open_rows, key=lambda r: r.reported_at.timestamp())
        widget.caller.setText("张先生" if session.display.lang != "en" else "Mr Zhang")
        widget.phone.setText("138 0013 8000")
        widget.place.line.setText(newest.grid_name[:2])
        widget.choose_point(newest.lon, newest.lat + 0.0002)
        widget.choose_item_named(newest.category_name)
    if view in ("keyboard", "handover"):
        _open_for_picture(session, widget, view)
    wait_until(lambda: session.worker.pending == 0, 30)
    wait_until(lambda: False, 0.6)      # let deferred timers (labels, markers) fire
    wait_until(lambda: session.worker.pending == 0, 30)
    QCoreApplication.processEvents()


def _open_for_picture(session: Session, hall: QWidget, view: str) -> None:
    """The keyboard at work: the command palette open over the hall, every command with its
    key (what the selected case does not allow, greyed), the focus ring on its search box; or
    the handover written at sign-out."""
    from .main_window import HallWindow
    assert isinstance(hall, HallWindow)
    hall.activateWindow()
    wait_until(hall.isActiveWindow, 5)
    if session.selection.case_id is not None:
        hall.board.show_case(session.selection.case_id)
    hall.board.table.setFocus()
    if view == "keyboard":
        hall.open_palette()
    else:
        from .shift_handover import HandoverDialog
        dialog = hall.open_handover(sign_out=True)
        assert isinstance(dialog, HandoverDialog)
        dialog.note.setPlainText(QCoreApplication.translate(
            "Screenshot", "Two overdue cases on Donghuamen Street need a call to the sanitation station before 10:00."))


def _picture(widget: QWidget, view: str) -> QPixmap:
    """The view as a picture; for the hall with a dialog open, the dialog painted over it where
    a window manager would centre it (offscreen, each window is drawn on its own)."""
    shot = widget.grab()
    dialogs = [d for d in widget.findChildren(QDialog) if d.isVisible()] if view in ("keyboard", "handover") else []
    if dialogs:
        painter = QPainter(shot)
        for d in dialogs:
            picture = d.grab()
            painter.drawPixmap((shot.width() - picture.width()) // 2, (shot.height() - picture.height()) // 3, picture)
        painter.end()
    return shot
