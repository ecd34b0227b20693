"""The command hall's main window: every view is a dock that can float onto another monitor;
one live data model feeds them all. The status bar always shows the link to the database and
the time of the last applied event."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer
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

from ..store.errors import PermissionRefused
from ..store.handover import Handover, pending_handover
from ..store.listener import FeedState
from . import layouts
from .actions import SHORTCUTS, ActionRunner
from .board import BoardView
from .board_model import BoardModel
from .commands import VIEW_COMMANDS, Command, CommandRegistry, chinese, view_title
from .detail import CaseDetailView
from .handoff import run_task
from .intake import IntakeDialog, warm_up
from .kpi import KpiModel, KpiStrip
from .map_view import MapView
from .session import Session
from .staffing import StaffingView

if TYPE_CHECKING:                 # made on first use: their modules are imported then, not at the start
    from .callbacks import CallbacksView
    from .evaluation import EvaluationPanel
    from .grid_card import GridCardView
    from .palette import CommandPalette
    from .shortcut_list import ShortcutList

#: the views Ctrl+1…7 jump to, in that order (ui/commands.py names their keys)
JUMPS = ("board", "detail", "map", "staffing", "kpi", "grid", "callbacks")


class HallWindow(QMainWindow):
    def __init__(self, session: Session, parent: QWidget | None = None, restore_last: bool = True,
                 check_handover: bool = True) -> None:
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
        self.command_palette: CommandPalette | None = None  # the command palette (Ctrl+K)
        self.shortcut_box: ShortcutList | None = None   # the F1 list
        self.handover: QDialog | None = None       # writing or reading a shift handover (交接班)
        self.signed_out = False                    # a handover was written at sign-out: the hall closes
        self.hands_over = True                     # this login hands shifts over (the database says no to others)
        run_task(lambda: warm_up(session), name="cc-intake-warm-up", receiver=self)
        self.board_model = BoardModel(live, self)
        self.kpi_model = KpiModel(live, worker, self)
        self.board = BoardView(self.board_model, sel)
        self.detail = CaseDetailView(live, worker, sel, self.runner)
        self.map = MapView(live, sel, session.geometry, session.basics.territory.staff, worker=worker)
        self.staffing = StaffingView(live, worker, sel, street_scope=session.basics.account_street)
        self._grid_card: GridCardView | None = None       # made when its tab first comes to the front
        self.kpis = KpiStrip(self.kpi_model)
        self._callbacks: CallbacksView | None = None       # made when its tab first comes to the front
        self._evaluation: EvaluationPanel | None = None   # made when its tab first comes to the front
        self.board.dispatch_requested.connect(self._dispatch_selected)

        self.docks: dict[str, QDockWidget] = {}
        self.dock_kpi = self._dock("kpi", self.tr("Key figures"), self.kpis, Qt.DockWidgetArea.TopDockWidgetArea)
        # a strip, not a panel: on a 4K screen the spare height goes to the board and the map
        self.kpis.setMaximumHeight(self.fontMetrics().height() * 12)
        self.dock_board = self._dock("board", self.tr("Live case board"), self.board, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.dock_map = self._dock("map", self.tr("Grid map"), self.map, Qt.DockWidgetArea.RightDockWidgetArea)
        self.dock_detail = self._dock("detail", self.tr("Case detail"), self.detail, Qt.DockWidgetArea.RightDockWidgetArea)
        self.dock_grid = self._dock("grid", self.tr("Grid card"), QWidget(), Qt.DockWidgetArea.RightDockWidgetArea)
        sel.grid_selected.connect(self._grid_selected)
        self.dock_grid.visibilityChanged.connect(lambda shown: self._made_if(shown, "grid_card"))
        self.dock_staffing = self._dock("staffing", self.tr("Staffing"), self.staffing,
                                        Qt.DockWidgetArea.LeftDockWidgetArea)
        self.dock_callbacks = self._dock("callbacks", self.tr("Callbacks"), QWidget(),
                                         Qt.DockWidgetArea.LeftDockWidgetArea)
        self.dock_callbacks.visibilityChanged.connect(lambda shown: self._made_if(shown, "callbacks"))
        # the evaluation panel shares the board's place: wide, and read when its tab is raised (Ctrl+E)
        self.dock_evaluation = self._dock("evaluation", self.tr("Evaluation"), QWidget(),
                                          Qt.DockWidgetArea.LeftDockWidgetArea)
        self.splitDockWidget(self.dock_board, self.dock_staffing, Qt.Orientation.Vertical)
        self.tabifyDockWidget(self.dock_board, self.dock_evaluation)
        self.dock_board.raise_()
        self.dock_evaluation.visibilityChanged.connect(self._evaluation_shown)
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
        if check_handover:     # the previous shift's handover, if this console has not read it yet
            worker.submit(pending_handover, self._show_pending_handover, self._no_handover, receiver=self)

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
        from .assessment import AssessmentDialog

        dialog = AssessmentDialog(self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda: setattr(self, "assessment", None))
        dialog.assessed.connect(lambda _d: self.evaluation.assessment.refresh())
        self.assessment = dialog
        dialog.show()

    def request_quit(self) -> None:
        """Ctrl+Q: a console that hands shifts over is offered the handover first (with a way
        to quit without one); any other closes at once."""
        if self.hands_over and not self.signed_out:
            self.open_handover(sign_out=True, offer_quit=True)
        else:
            self.close()

    def open_handover(self, sign_out: bool, offer_quit: bool = False) -> QDialog:
        """Ctrl+Shift+J: write a shift handover; Ctrl+Shift+L: write it and sign out (the hall
        closes once the database has it)."""
        if self.handover is not None and self.handover.isVisible():
            self.handover.activateWindow()
            return self.handover
        s = self.session
        from .shift_handover import HandoverDialog

        dialog = HandoverDialog(s.worker, s.display, s.reference, sign_out, self, offer_quit=offer_quit)
        dialog.quit_anyway.connect(lambda: QTimer.singleShot(0, self, self.close))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: setattr(self, "handover", None))
        dialog.written.connect(lambda hid: self._handed_over(hid, sign_out))
        self.handover = dialog
        dialog.open()
        return dialog

    def _handed_over(self, handover_id: int, sign_out: bool) -> None:
        self.statusBar().showMessage(self.tr("Shift handed over (#%1)").replace("%1", str(handover_id)), 15000)
        if sign_out:
            self.signed_out = True
            QTimer.singleShot(0, self, self.close)

    def _show_pending_handover(self, handover: Handover | None) -> None:
        if handover is None:
            return
        s = self.session
        from .shift_handover import PendingHandoverDialog

        dialog = PendingHandoverDialog(s.worker, s.display, s.reference, handover, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: setattr(self, "handover", None))
        dialog.acknowledged.connect(lambda hid: self.statusBar().showMessage(
            self.tr("Handover #%1 acknowledged").replace("%1", str(hid)), 15000))
        self.handover = dialog
        dialog.open()

    def _no_handover(self, exc: Exception) -> None:
        """A login that does not hand over shifts (an administrator's read-only helper, say)
        simply has none to read; anything else is worth a line in the status bar."""
        if isinstance(exc, PermissionRefused):
            self.hands_over = False
        else:
            self.statusBar().showMessage(self.tr("Could not read the previous shift's handover: %1")
                                         .replace("%1", str(exc)), 15000)

    # ------------------------------------------------------------ panels made on first use
    @property
    def evaluation(self) -> EvaluationPanel:
        """The evaluation panel, made on first use: it sits behind the board, and its charts
        cost a tenth of a second of the hall's start."""
        if self._evaluation is None:
            from .evaluation import EvaluationPanel

            panel = self._evaluation = EvaluationPanel(self.session)
            panel.case_opened.connect(lambda _c: self.dock_detail.raise_())
            panel.set_shown(False)
            self._put(self.dock_evaluation, panel)
        return self._evaluation

    @property
    def grid_card(self) -> GridCardView:
        """The grid card, made on first use: it sits behind the case detail until a grid is
        clicked, and its staff, cases, residents and services cost 0.15 s of the hall's start."""
        if self._grid_card is None:
            from .grid_card import GridCardView

            sel = self.session.selection
            card = self._grid_card = GridCardView(self.session.live, self.session.worker, sel,
                                                  people=self.session.basics.callers_visible)
            self._put(self.dock_grid, card)
            if sel.grid_id is not None:          # clicked before the card was made
                card.show_grid(sel.grid_id)
        return self._grid_card

    @property
    def callbacks(self) -> CallbacksView:
        """The callbacks due, made on first use (behind the staffing until raised): it reads
        its list when made."""
        if self._callbacks is None:
            from .callbacks import CallbacksView

            self._callbacks = CallbacksView(self.session)
            self._put(self.dock_callbacks, self._callbacks)
        return self._callbacks

    def _made_if(self, shown: bool, panel: str) -> None:
        if shown:
            getattr(self, panel)

    def _put(self, dock: QDockWidget, panel: QWidget) -> None:
        """A panel made on first use into its dock, its tables as the restored layout has them."""
        old = dock.widget()
        dock.setWidget(panel)
        if old is not None:
            old.deleteLater()
        layouts.restore_columns(self, panel)

    def _grid_selected(self, _grid_id: int) -> None:
        _ = self.grid_card              # made now if not yet: it shows the grid clicked
        self.dock_grid.raise_()

    def _evaluation_shown(self, shown: bool) -> None:
        if shown or self._evaluation is not None:
            self.evaluation.set_shown(shown)

    def show_evaluation(self) -> None:
        """Ctrl+E: the evaluation panel in front, wherever it was put (closed, tabbed, floating)."""
        self.dock_evaluation.show()
        self.dock_evaluation.raise_()
        self.evaluation.period_box.setFocus()

    def _search_board(self) -> None:
        self.dock_board.show()
        self.dock_board.raise_()
        (self.dock_board if self.dock_board.isFloating() else self).activateWindow()
        self.board.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
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

    def _build_commands(self) -> None:
        """One registry for the keys, the palette and F1 (ui/commands.py). Each view command is
        one QAction, in the menus and on every dock, so its key works also in a floated view
        (a floating dock is a window of its own; the main window's keys do not reach it)."""
        reg = self.commands = CommandRegistry()
        run: dict[str, Callable[[], object]] = {
               "palette": self.open_palette, "keys": self._show_shortcuts, "take_call": self.take_call,
               "search": self._search_board, "view_evaluation": self.show_evaluation,
               "full_screen": self.toggle_full_screen, "handover": lambda: self.open_handover(sign_out=False),
               "sign_out": lambda: self.open_handover(sign_out=True), "quit": self.request_quit}
        for view in JUMPS:
            run[f"view_{view}"] = partial(self.focus_view, view)
        for cid, key, source in VIEW_COMMANDS:
            reg.add(Command(cid, "view", key, view_title(source), chinese("Commands", source), source, run[cid]))
        display, actions = self.session.display, self.session.reference.actions
        for code, key in SHORTCUTS.items():
            n = actions.get(code)
            reg.add(Command(f"action.{code}", "action", key, display.named(n) or code, n.name if n else code,
                            n.name_en if n else code, partial(self.detail.trigger, code, all_selected=True),
                            partial(self.detail.allows, code)))
        self.key_actions: dict[str, QAction] = {}
        names = {"take_call": "action-take-call", "view_evaluation": "action-evaluation"}
        for c in reg.commands:
            if c.kind != "view":
                continue          # action keys live on the case detail's buttons (what the database allows)
            a = QAction(c.title, self)
            a.setObjectName(names.get(c.id, f"command-{c.id}"))
            a.setShortcut(QKeySequence(c.key))
            a.triggered.connect(lambda _=False, cmd=c: cmd.run())
            self.key_actions[c.id] = a
            self.addAction(a)
            for d in self.docks.values():
                d.addAction(a)

    def _build_action_keys(self) -> None:
        """The case's action keys (F3 …) wherever the case detail is. Docked, its buttons carry
        the keys, and Qt lets a floated view's keys through to the hall, so F3 on a floated
        board works. Floated, the detail is a window of its own whose keys the hall never sees:
        then the hall holds the keys as actions (which a floated view's keys reach too) and the
        buttons give theirs up — two live shortcuts for one key cancel each other out. Whether
        the action runs is still the database's answer (cc.allowed_actions, as on the buttons)."""
        self.action_keys: list[QAction] = []
        for code, key in SHORTCUTS.items():
            a = QAction(self)
            a.setObjectName(f"key-{code}")
            a.setShortcut(QKeySequence(key))
            a.triggered.connect(partial(self._action_key, code))
            self.addAction(a)
            self.action_keys.append(a)
        self.dock_detail.topLevelChanged.connect(lambda _floating: self._switch_action_keys())
        self._switch_action_keys()

    def _switch_action_keys(self) -> None:
        apart = self.dock_detail.isFloating()
        for a in self.action_keys:
            a.setEnabled(apart)
        self.detail.set_keys_on_buttons(not apart)

    def _action_key(self, code: str) -> None:
        if self.detail.allows(code):
            self.detail.trigger(code)

    def _build_menus(self) -> None:
        self._build_commands()
        self._build_action_keys()
        k = self.key_actions
        mb = self.menuBar()
        file_menu = mb.addMenu(self.tr("&File"))
        file_menu.addAction(k["take_call"])
        assess = QAction(self.tr("Two-way assessment…"), self)
        assess.setObjectName("action-assessment")
        assess.triggered.connect(self.open_assessment)
        file_menu.addAction(assess)
        file_menu.addSeparator()
        file_menu.addAction(k["handover"])
        file_menu.addAction(k["sign_out"])
        file_menu.addAction(k["quit"])

        view = mb.addMenu(self.tr("&View"))
        for d in self.docks.values():
            view.addAction(d.toggleViewAction())
        view.addSeparator()
        for cid in ("palette", "search", *(f"view_{v}" for v in JUMPS), "view_evaluation", "full_screen"):
            view.addAction(k[cid])
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
        help_menu.addAction(k["keys"])
        help_menu.addAction(k["palette"])

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
        """The F1 list: the command registry (the palette's list), in the interface language."""
        return self.commands.lines()

    def _show_shortcuts(self) -> None:
        from .shortcut_list import ShortcutList

        if self.shortcut_box is not None:
            self.shortcut_box.close()
        box = ShortcutList(self.commands, self)
        self.shortcut_box = box
        box.open()

    def open_palette(self) -> CommandPalette:
        """Ctrl+K: the command palette over this window's registry, acting on the selected cases."""
        if self.command_palette is not None and self.command_palette.isVisible():
            self.command_palette.activateWindow()
            return self.command_palette
        front = QApplication.activeWindow()          # over the floated view the operator works in
        from .palette import CommandPalette

        palette = CommandPalette(self.commands, front if front in self.docks.values() else self)
        palette.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        palette.finished.connect(lambda _r: setattr(self, "command_palette", None))    # closed: gone
        self.command_palette = palette
        palette.open()
        palette.search.setFocus()
        return palette

    def focus_view(self, view: str) -> None:
        """Ctrl+1…7: the view in front, wherever it was put (closed, tabbed, floated on another
        monitor), and the keyboard in it."""
        dock = self.docks[view]
        dock.show()
        dock.raise_()
        target = dock if dock.isFloating() else self
        target.activateWindow()
        targets: dict[str, Callable[[], QWidget]] = {
            "board": lambda: self.board.table, "map": lambda: self.map.canvas, "kpi": lambda: self.kpis,
            "detail": self.detail.focus_target, "staffing": self.staffing.tabs.currentWidget,
            "grid": lambda: self.grid_card, "callbacks": lambda: self.callbacks}
        focus = targets[view]()
        focus.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if view == "board" and not self.board.table.currentIndex().isValid() and self.board_model.rowCount():
            self.board.table.selectRow(0)

    def toggle_full_screen(self) -> None:
        """F11: the window in front — the hall, or a floated view on its own monitor — fills its
        screen, or goes back to where it was."""
        w = QApplication.activeWindow() or self
        if isinstance(w, QDockWidget) and w.isFloating():
            layouts.toggle_full(w)
        elif w is self or isinstance(w, QMainWindow):
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
        if 0 <= age < 60:
            text += " · " + self.tr("%1 s ago").replace("%1", str(age))
        elif 60 <= age < 3600:
            text += " · " + self.tr("%1 min ago").replace("%1", str(age // 60))
        self.last_event.setText(text)

    def showEvent(self, event) -> None:  # noqa: ANN001, N802
        """Floated views stay in front of the hall, which is shown after them."""
        super().showEvent(event)
        QTimer.singleShot(0, self, lambda: layouts.raise_floating(self))

    def changeEvent(self, event) -> None:  # noqa: ANN001, N802
        """The hall activated (a key or click into it, a dialog closed) comes to the front; its
        floated views stay in front of it, as window managers keep tool windows above their
        main window — and as none does when there is no window manager at all."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            QTimer.singleShot(0, self, lambda: layouts.raise_floating(self))

    def closeEvent(self, event) -> None:  # noqa: ANN001, N802
        layouts.save(self, layouts.LAST)
        super().closeEvent(event)
