"""The command hall's main window: every view is a dock that can float onto another monitor;
one live data model feeds them all. The status bar always shows the link to the database and
the time of the last applied event."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QWidget,
)

from ..store.listener import FeedState
from . import layouts
from .actions import SHORTCUTS, ActionRunner
from .assessment import AssessmentDialog
from .board import BoardView
from .board_model import BoardModel
from .callbacks import CallbacksView
from .detail import CaseDetailView
from .evaluation import EvaluationPanel
from .grid_card import GridCardView
from .handoff import run_task
from .intake import IntakeDialog, warm_up
from .kpi import KpiModel, KpiStrip
from .map_view import MapView
from .session import Session
from .staffing import StaffingView


class HallWindow(QMainWindow):
    def __init__(self, session: Session, parent: QWidget | None = None, restore_last: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("hall")
        self.session = session
        ref = session.reference
        self.base_title = self.tr("Command hall — %1").replace("%1", self.session.display.pick(ref.district, ref.district_en))
        self.setWindowTitle(self.base_title)
        self.setDockNestingEnabled(True)
        self.setDockOptions(QMainWindow.DockOption.AllowNestedDocks | QMainWindow.DockOption.AllowTabbedDocks
                            | QMainWindow.DockOption.AnimatedDocks)
        live, worker, sel = session.live, session.worker, session.selection
        self.runner = ActionRunner(worker, self, ref, session.display)
        self.intake: QDialog | None = None     # the call being taken (ui/intake.py)
        self.assessment: QDialog | None = None     # a two-way assessment form being filled in
        run_task(lambda: warm_up(session), name="cc-intake-warm-up", receiver=self)
        self.board_model = BoardModel(live, self)
        self.kpi_model = KpiModel(live, worker, self)
        self.board = BoardView(self.board_model, sel)
        self.detail = CaseDetailView(live, worker, sel, self.runner)
        self.map = MapView(live, sel, session.geometry, session.basics.territory.staff, worker=worker)
        self.staffing = StaffingView(live, worker, sel, street_scope=session.basics.account_street)
        self.grid_card = GridCardView(live, worker, sel, people=session.basics.callers_visible)
        self.kpis = KpiStrip(self.kpi_model)
        self.callbacks = CallbacksView(session)
        self.evaluation = EvaluationPanel(session)
        self.board.dispatch_requested.connect(self._dispatch_selected)

        self.docks: dict[str, QDockWidget] = {}
        self.dock_kpi = self._dock("kpi", self.tr("Key figures"), self.kpis, Qt.DockWidgetArea.TopDockWidgetArea)
        # a strip, not a panel: on a 4K screen the spare height goes to the board and the map
        self.kpis.setMaximumHeight(self.fontMetrics().height() * 12)
        self.dock_board = self._dock("board", self.tr("Live case board"), self.board, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.dock_map = self._dock("map", self.tr("Grid map"), self.map, Qt.DockWidgetArea.RightDockWidgetArea)
        self.dock_detail = self._dock("detail", self.tr("Case detail"), self.detail, Qt.DockWidgetArea.RightDockWidgetArea)
        self.dock_grid = self._dock("grid", self.tr("Grid card"), self.grid_card, Qt.DockWidgetArea.RightDockWidgetArea)
        sel.grid_selected.connect(lambda _g: self.dock_grid.raise_())
        self.dock_staffing = self._dock("staffing", self.tr("Staffing"), self.staffing,
                                        Qt.DockWidgetArea.LeftDockWidgetArea)
        self.dock_callbacks = self._dock("callbacks", self.tr("Callbacks"), self.callbacks,
                                         Qt.DockWidgetArea.LeftDockWidgetArea)
        # the evaluation panel shares the board's place: wide, and read when its tab is raised (Ctrl+E)
        self.dock_evaluation = self._dock("evaluation", self.tr("Evaluation"), self.evaluation,
                                          Qt.DockWidgetArea.LeftDockWidgetArea)
        self.evaluation.case_opened.connect(lambda _c: self.dock_detail.raise_())
        self.splitDockWidget(self.dock_board, self.dock_staffing, Qt.Orientation.Vertical)
        self.tabifyDockWidget(self.dock_board, self.dock_evaluation)
        self.dock_board.raise_()
        self.evaluation.set_shown(False)
        self.dock_evaluation.visibilityChanged.connect(self.evaluation.set_shown)
        self.tabifyDockWidget(self.dock_staffing, self.dock_callbacks)
        self.dock_staffing.raise_()
        self.splitDockWidget(self.dock_map, self.dock_detail, Qt.Orientation.Vertical)
        self.tabifyDockWidget(self.dock_detail, self.dock_grid)
        self.dock_detail.raise_()
        self.resizeDocks([self.dock_board, self.dock_staffing, self.dock_map, self.dock_detail], [1100, 1100, 800, 800],
                         Qt.Orientation.Horizontal)
        self.resizeDocks([self.dock_board, self.dock_staffing], [640, 300], Qt.Orientation.Vertical)
        self.resizeDocks([self.dock_map, self.dock_detail], [560, 420], Qt.Orientation.Vertical)
        self.resizeDocks([self.dock_kpi], [118], Qt.Orientation.Vertical)
        self.default_state = self.saveState()

        self.link = QLabel()
        self.link.setObjectName("link-state")
        self.last_event = QLabel()
        self.last_event.setObjectName("last-event")
        self.busy = QLabel()
        self.who = QLabel(self.tr("Signed in as %1").replace("%1", session.basics.account))
        sb = self.statusBar()
        sb.addPermanentWidget(self.busy)
        sb.addPermanentWidget(self.who)
        sb.addPermanentWidget(self.last_event)
        sb.addPermanentWidget(self.link)
        worker.busy_changed.connect(lambda b: self.busy.setText(self.tr("working…") if b else ""))
        live.state_changed.connect(self._link_changed)
        live.events_applied.connect(lambda _e: self._update_last_event())
        live.snapshot_loaded.connect(self._update_last_event)
        self.board_model.urgent_arrived.connect(
            lambda row: sb.showMessage(self.tr("New urgent case: %1 %2").replace("%1", row.code)
                                       .replace("%2", row.title), 15000))
        self.runner.done.connect(lambda _o: self.dock_detail.raise_())
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._update_last_event)
        self._clock.start(1000)
        self._link_changed(live.state)
        self._update_last_event()          # the snapshot may have arrived before this window
        self._build_menus()
        self.resize(1600, 950)
        #: nothing saved for this workstation yet: the hall takes the whole screen it opens on
        self.first_start = not (restore_last and layouts.restore(self, layouts.LAST))

    # ------------------------------------------------------------ docks and menus
    def take_call(self) -> None:
        """The intake dialog (one at a time; a second Ctrl+N brings it back to the front)."""
        if self.intake is not None and self.intake.isVisible():
            self.intake.raise_()
            self.intake.activateWindow()
            return
        dialog = IntakeDialog(self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda: setattr(self, "intake", None))
        self.intake = dialog
        dialog.show()
        dialog.activateWindow()

    def open_assessment(self) -> None:
        """The two-way assessment form (条块双向考评), one at a time."""
        if self.assessment is not None and self.assessment.isVisible():
            self.assessment.raise_()
            self.assessment.activateWindow()
            return
        dialog = AssessmentDialog(self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda: setattr(self, "assessment", None))
        dialog.assessed.connect(lambda _d: self.evaluation.assessment.refresh())
        self.assessment = dialog
        dialog.show()

    def show_evaluation(self) -> None:
        """Ctrl+E: the evaluation panel in front, wherever it was put (closed, tabbed, floating)."""
        self.dock_evaluation.show()
        self.dock_evaluation.raise_()
        self.evaluation.period_box.setFocus()

    def _search_board(self) -> None:
        self.dock_board.raise_()
        self.board.search.setFocus()
        self.board.search.selectAll()

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        d = QDockWidget(title, self)
        d.setObjectName(f"dock-{name}")
        d.setWidget(widget)
        d.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                      | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, d)
        self.docks[name] = d
        return d

    def _build_menus(self) -> None:
        mb = self.menuBar()
        file_menu = mb.addMenu(self.tr("&File"))
        take_call = QAction(self.tr("Take a call…"), self)
        take_call.setObjectName("action-take-call")
        take_call.setShortcut(QKeySequence("Ctrl+N"))
        take_call.triggered.connect(self.take_call)
        file_menu.addAction(take_call)
        assess = QAction(self.tr("Two-way assessment…"), self)
        assess.setObjectName("action-assessment")
        assess.triggered.connect(self.open_assessment)
        file_menu.addAction(assess)
        quit_action = QAction(self.tr("Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        view = mb.addMenu(self.tr("&View"))
        for d in self.docks.values():
            view.addAction(d.toggleViewAction())
        view.addSeparator()
        find = QAction(self.tr("Search the board"), self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self._search_board)
        view.addAction(find)
        evaluate = QAction(self.tr("Open the evaluation"), self)
        evaluate.setObjectName("action-evaluation")
        evaluate.setShortcut(QKeySequence("Ctrl+E"))
        evaluate.triggered.connect(self.show_evaluation)
        view.addAction(evaluate)
        full = QAction(self.tr("Full screen (active window)"), self)
        full.setShortcut(QKeySequence("F11"))
        full.triggered.connect(self.toggle_full_screen)
        view.addAction(full)
        self.move_menu = view.addMenu(self.tr("Move to screen"))
        self.move_menu.aboutToShow.connect(self._fill_move_menu)
        self._fill_move_menu()

        lay = mb.addMenu(self.tr("&Layouts"))
        save = QAction(self.tr("Save layout as…"), self)
        save.triggered.connect(self._save_layout_dialog)
        lay.addAction(save)
        self.restore_menu = lay.addMenu(self.tr("Restore layout"))
        self.restore_menu.aboutToShow.connect(self._fill_restore_menu)
        self.delete_menu = lay.addMenu(self.tr("Delete layout"))
        self.delete_menu.aboutToShow.connect(self._fill_restore_menu)
        reset = QAction(self.tr("Default layout"), self)
        reset.triggered.connect(lambda: self.restoreState(self.default_state))
        lay.addAction(reset)

        help_menu = mb.addMenu(self.tr("&Help"))
        keys = QAction(self.tr("Keyboard shortcuts"), self)
        keys.setShortcut(QKeySequence("F1"))
        keys.triggered.connect(self._show_shortcuts)
        help_menu.addAction(keys)

    def _fill_move_menu(self) -> None:
        self.move_menu.clear()
        screens = QGuiApplication.screens()
        targets = [(self.tr("Main window"), self)] + [(d.windowTitle(), d) for d in self.docks.values()]
        for label, w in targets:
            sub = self.move_menu.addMenu(label)
            for i, sc in enumerate(screens):
                g = sc.geometry()
                a = sub.addAction(self.tr("Screen %1 (%2×%3)").replace("%1", str(i + 1))
                                  .replace("%2", str(g.width())).replace("%3", str(g.height())))
                a.triggered.connect(lambda _=False, ww=w, n=i: layouts.move_to_screen(ww, n))

    def _fill_restore_menu(self) -> None:
        self.restore_menu.clear()
        self.delete_menu.clear()
        for name in layouts.names():
            self.restore_menu.addAction(name).triggered.connect(lambda _=False, n=name: layouts.restore(self, n))
            self.delete_menu.addAction(name).triggered.connect(lambda _=False, n=name: layouts.delete(n))

    def _save_layout_dialog(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Save layout"), self.tr("Name of this layout:"))
        name = name.strip()
        if ok and name:
            if "/" in name or "\\" in name or len(name) > 60:
                QMessageBox.warning(self, self.tr("Save layout"),
                                    self.tr("A layout name has at most 60 characters and no slashes."))
                return
            layouts.save(self, name)

    def shortcut_lines(self) -> list[str]:
        """The F1 list: action names from the database in the interface language, as on the buttons."""
        actions = self.session.reference.actions
        lines = [f"{key:>16}   {self.session.display.named(actions.get(code)) or code}" for code, key in SHORTCUTS.items()]
        return lines + ["", "F11   " + self.tr("Full screen (active window)"), "Ctrl+F   " + self.tr("Search the board"),
                        "Ctrl+E   " + self.tr("Open the evaluation")]

    def _show_shortcuts(self) -> None:
        QMessageBox.information(self, self.tr("Keyboard shortcuts"), "\n".join(self.shortcut_lines()))

    def toggle_full_screen(self) -> None:
        w = QApplication.activeWindow() or self
        w.showNormal() if w.isFullScreen() else w.showFullScreen()

    def _dispatch_selected(self, ids: list[int]) -> None:
        """Dispatch the selected cases. Which states allow it is the database's rule: a case
        that may not be dispatched is refused one by one, with the database's reason."""
        rows = [self.session.live.rows[i] for i in ids if i in self.session.live.rows]
        if not rows:
            return
        action = {"action": "dispatch", "label": self.tr("Dispatch"), "irreversible": False, "needs_note": False}
        self.runner.start(action, [{"id": r.id, "code": r.code, "version": r.version} for r in rows])

    # ------------------------------------------------------------ link state
    def _link_changed(self, state: FeedState) -> None:
        if state.live:
            self.link.setText("● " + self.tr("Live"))
            self.link.setStyleSheet("color: #22c55e; font-weight: bold;")
        elif state.since is None and not self.session.live.loaded:
            # the first connection is still being made: nothing was lost, nothing is stale
            self.link.setText("● " + self.tr("Connecting…"))
            self.link.setStyleSheet("color: #94a3b8; font-weight: bold;")
        else:
            since = self.session.display.local(state.since).strftime("%H:%M:%S") if state.since else "—"
            self.link.setText("● " + self.tr("Reconnecting — data as of %1").replace("%1", since))
            self.link.setStyleSheet("color: #ef4444; font-weight: bold;")
            self.link.setToolTip(state.message)

    def _update_last_event(self) -> None:
        at = self.session.live.last_event_at
        if at is None:
            self.last_event.setText(self.tr("No events yet"))
            return
        age = int((datetime.now(UTC) - at).total_seconds())
        text = self.tr("Last event %1 (#%2)").replace("%1", self.session.display.local(at).strftime("%m-%d %H:%M:%S")).replace(
            "%2", str(self.session.live.last_event_id))
        if 0 <= age < 3600:
            text += " · " + self.tr("%1 s ago").replace("%1", str(age))
        self.last_event.setText(text)

    def closeEvent(self, event) -> None:  # noqa: ANN001, N802
        layouts.save(self, layouts.LAST)
        super().closeEvent(event)
