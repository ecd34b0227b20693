"""The live case board dock: filter bar, counts per state, the table."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..domain.board import COLUMNS, BoardFilter
from .board_delegate import BoardDelegate
from .board_model import CASE_ID_ROLE, BoardModel
from .column_fit import SpareWidth
from .flow_layout import FlowLayout
from .selection import Selection
from .theme import FOCUS, STATE_COLOURS

COLUMN_WIDTHS = {"code": 128, "reported_at": 86, "source": 66, "category": 112, "grid": 124, "community": 84,
                 "street": 88, "state": 66, "tier": 84, "assignee": 116, "deadline": 80, "urgency": 52}
#: the columns of names, which share a wide screen's spare width
ELASTIC_COLUMNS = ("category", "grid", "community", "street", "assignee")
#: the order the columns are shown in until the operator moves them (a saved layout keeps its
#: own): what a case is and how much time it has left first, so that the countdown is never
#: off the side of the board (in English at 1920 pixels it was cut to a coloured strip)
SHOWN_ORDER = ("code", "deadline", "urgency", "state", "category", "street", "community", "grid", "assignee",
               "reported_at", "source", "tier")


class BoardView(QWidget):
    dispatch_requested = Signal(list)     # case ids

    def __init__(self, model: BoardModel, selection: Selection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("board")
        self.model = model
        self.selection = selection
        self.sound = False
        ref = model.live.reference
        named = model.live.display.named

        self.state_box = QComboBox()
        self.state_box.setObjectName("filter-state")
        self.state_box.addItem(self.tr("All open"), "open")
        self.state_box.addItem(self.tr("All states"), None)
        for code, n in ref.states.items():
            self.state_box.addItem(named(n), code)
        self.street_box = QComboBox()
        self.street_box.setObjectName("filter-street")
        self.street_box.addItem(self.tr("All streets"), None)
        for sid, n in ref.streets.items():
            self.street_box.addItem(named(n), sid)
        self.category_box = QComboBox()
        self.category_box.setObjectName("filter-category")
        self.category_box.addItem(self.tr("All categories"), None)
        for cid, n in ref.categories.items():
            self.category_box.addItem(named(n), cid)
        self.urgency_box = QComboBox()
        self.urgency_box.setObjectName("filter-urgency")
        self.urgency_box.addItem(self.tr("Any urgency"), None)
        for code, n in ref.urgencies.items():
            self.urgency_box.addItem(named(n), code)
        self.overdue_box = QCheckBox(self.tr("Overdue only"))
        self.overdue_box.setObjectName("filter-overdue")
        self.watch_box = QComboBox()
        self.watch_box.setObjectName("filter-watch")
        for text, watch in ((self.tr("Any watch"), None), (self.tr("Under supervision"), "supervised"),
                            (self.tr("Supervision reply late"), "reply_late"), (self.tr("On hold"), "suspended"),
                            (self.tr("Hold review due"), "review_due"),
                            (self.tr("Extension awaiting decision"), "extension_pending")):
            self.watch_box.addItem(text, watch)
        self.search = QLineEdit()
        self.search.setObjectName("filter-text")
        self.search.setPlaceholderText(self.tr(
            "Search: code, state, category, street, grid, person — Chinese or pinyin initials  (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setMaxLength(100)
        self.dispatch_btn = QPushButton(self.tr("Dispatch selected"))
        self.dispatch_btn.setObjectName("dispatch-selected")
        self.dispatch_btn.setProperty("primary", True)
        self.dispatch_btn.setEnabled(False)
        self.dispatch_btn.clicked.connect(lambda: self.dispatch_requested.emit(self.selected_ids()))

        # the filters wrap onto a second line on a narrow board: in one row, English needed 1,073
        # pixels and the hall could not be narrower than 1,644 (wider than a 1366-pixel screen)
        bar = FlowLayout(spacing=4)
        for w in (self.state_box, self.street_box, self.category_box, self.urgency_box, self.watch_box,
                  self.overdue_box):
            if isinstance(w, QComboBox):     # "All categories" whole in English, as 全部类别 in Chinese
                w.setMinimumContentsLength(max(6, len(w.itemText(0)) + 1))
            bar.addWidget(w)
        self.search.setMinimumWidth(200)
        self.sound_btn = QToolButton()
        self.sound_btn.setObjectName("sound")
        self.sound_btn.setCheckable(True)
        self.sound_btn.setText(self.tr("Sound"))
        self.sound_btn.setToolTip(self.tr("Beep when a new urgent case arrives"))
        self.sound_btn.toggled.connect(lambda on: setattr(self, "sound", on))
        tail = QWidget()
        tail_row = QHBoxLayout(tail)
        tail_row.setContentsMargins(0, 0, 0, 0)
        tail_row.addWidget(self.search, 1)
        tail_row.addWidget(self.sound_btn)
        tail_row.addWidget(self.dispatch_btn)
        bar.addWidget(tail)

        self.chips = FlowLayout(spacing=4)
        self._chip: dict[str, QToolButton] = {}
        for code in ref.states:
            b = QToolButton()
            b.setCheckable(True)
            b.setObjectName(f"chip-{code}")
            colour = STATE_COLOURS.get(code, "#888")
            b.setStyleSheet(f"QToolButton {{ border-left: 4px solid {colour}; padding: 1px 6px; }} "
                            f"QToolButton:focus {{ border: 2px solid {FOCUS}; border-left: 4px solid {colour}; "
                            f"padding: 0px 5px; }}")
            b.clicked.connect(lambda _=False, c=code: self._chip_clicked(c))
            self._chip[code] = b
            self.chips.addWidget(b)
        self.total = QLabel()
        self.total.setProperty("role", "muted")
        self.chips.addWidget(self.total)

        self.table = QTableView()
        self.table.setObjectName("board-table")
        self.table.setModel(model)
        self.table.setItemDelegate(BoardDelegate(model, self.table))
        self.table.horizontalHeader().setSortIndicator(COLUMNS.index("reported_at"), Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        vh = self.table.verticalHeader()
        vh.setVisible(False)
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)   # fixed heights: no per-row measuring
        vh.setDefaultSectionSize(24)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setStretchLastSection(False)
        # code-table columns as wide as their longest name in the interface language ("In progress"
        # is wider than 处理中), so a state or a tier is never cut; the others keep their widths
        fm = self.table.fontMetrics()
        fitted = {col: max((fm.horizontalAdvance(named(n)) for n in table.values()), default=0) + 16
                  for col, table in (("state", ref.states), ("source", ref.sources), ("tier", ref.tiers),
                                     ("urgency", ref.urgencies))}
        for i, c in enumerate(COLUMNS):
            # nor a header ("紧急程度" is wider than 一般), with room for the sort arrow
            heading = hh.fontMetrics().horizontalAdvance(str(model.headerData(i, Qt.Orientation.Horizontal))) + 22
            self.table.setColumnWidth(i, max(COLUMN_WIDTHS[c], fitted.get(c, 0), heading))
        for place, c in enumerate(SHOWN_ORDER):
            hh.moveSection(hh.visualIndex(COLUMNS.index(c)), place)
        hh.setSortIndicator(COLUMNS.index("reported_at"), Qt.SortOrder.DescendingOrder)
        self.column_fit = SpareWidth(self.table, (COLUMNS.index(c) for c in ELASTIC_COLUMNS))
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        filters = QWidget()
        filters.setObjectName("board-filters")
        filters.setLayout(bar)
        lay.addWidget(filters)
        chips = QWidget()
        chips.setObjectName("board-chips")
        chips.setLayout(self.chips)          # wraps onto a second line rather than cutting a chip
        lay.addWidget(chips)
        lay.addWidget(self.table, 1)

        for box in (self.state_box, self.street_box, self.category_box, self.urgency_box, self.watch_box):
            box.currentIndexChanged.connect(self._filter_changed)
        self.overdue_box.toggled.connect(self._filter_changed)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(self._filter_changed)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.installEventFilter(self)       # Enter or Down: into the results
        model.counts_changed.connect(self._update_counts)
        model.urgent_arrived.connect(self._urgent)
        selection.case_selected.connect(self.show_case)
        self._update_counts()

    # ------------------------------------------------------------ filtering
    def current_filter(self) -> BoardFilter:
        return BoardFilter(state=self.state_box.currentData(), street_id=self.street_box.currentData(),
                           category_class=self.category_box.currentData(), urgency=self.urgency_box.currentData(),
                           overdue_only=self.overdue_box.isChecked(), text=self.search.text(),
                           watch=self.watch_box.currentData())

    def _filter_changed(self) -> None:
        keep = self.selection.case_id
        self.model.set_filter(self.current_filter())
        if keep is not None:
            self.show_case(keep)

    def _chip_clicked(self, code: str) -> None:
        i = self.state_box.findData(code)
        if self.state_box.currentData() == code:
            i = self.state_box.findData("open")
        self.state_box.setCurrentIndex(i)

    def _update_counts(self) -> None:
        counts = self.model.index_.state_counts
        ref = self.model.live.reference
        current = self.state_box.currentData()
        for code, b in self._chip.items():
            b.setText(f"{self.model.live.display.named(ref.states[code])} {counts.get(code, 0)}")
            b.setChecked(code == current)
        self.total.setText(self.tr("%n case(s) shown", "", len(self.model.index_)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Enter or Down in the search box applies the search at once and puts the keys on the
        first result, so the operator goes on with Up/Down, F3 … without the mouse."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.enter_results()
                return True
        return super().eventFilter(watched, event)

    def enter_results(self) -> None:
        if self._search_timer.isActive():
            self._search_timer.stop()
            self._filter_changed()
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        current = self.table.currentIndex()
        if self.model.rowCount() and not (current.isValid() and self.table.selectionModel().isRowSelected(current.row())):
            self.table.selectRow(0)

    # ------------------------------------------------------------ selection
    def selected_ids(self) -> list[int]:
        rows = self.table.selectionModel().selectedRows()
        return [self.model.data(r, CASE_ID_ROLE) for r in rows]

    def _selection_changed(self) -> None:
        ids = self.selected_ids()
        self.dispatch_btn.setEnabled(bool(ids))
        self.dispatch_btn.setText(self.tr("Dispatch selected (%1)").replace("%1", str(len(ids))) if len(ids) > 1
                                  else self.tr("Dispatch selected"))
        current = self.table.currentIndex()
        if current.isValid() and self.table.selectionModel().isRowSelected(current.row()):
            self.selection.select_case(self.model.data(current, CASE_ID_ROLE))
        elif len(ids) == 1:
            self.selection.select_case(ids[0])
        self.selection.select_cases(ids)

    def show_case(self, case_id: int) -> None:
        r = self.model.view_row_of(case_id)
        if r is None:
            return
        idx = self.model.index(r, 0)
        sm = self.table.selectionModel()
        if self.selected_ids() != [case_id]:
            sm.setCurrentIndex(idx, QItemSelectionModel.SelectionFlag.ClearAndSelect
                               | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(idx, QAbstractItemView.ScrollHint.EnsureVisible)

    def _urgent(self, row) -> None:  # noqa: ANN001
        if self.sound:
            QApplication.beep()
