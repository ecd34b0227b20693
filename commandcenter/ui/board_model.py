"""The live case board as a Qt table model. Filter and sort live in the core BoardIndex; this
class only turns its row changes into Qt signals (no proxy, no reset for single changes)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from ..domain.board import COLUMNS, BoardFilter, BoardIndex, RowHooks
from ..domain.cases import BoardRow, Timed, deadline_level, now_utc
from ..domain.display import Display
from ..domain.reference import Reference
from ..domain.search import search_terms
from .live import LiveData
from .theme import DEADLINE_COLOURS, REPEAT_COLOUR, STATE_COLOURS, URGENCY_COLOURS, qcolor

CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
HIGHLIGHT_FOR = timedelta(seconds=90)
NEW_FOR = timedelta(minutes=10)


def countdown(row: Timed, now: datetime) -> str:
    """Time left in the current phase, '-' prefixed once overdue: 2d 03h, 1h 20m, 12m."""
    if row.deadline is None:
        return "—"
    secs = int((row.deadline - now).total_seconds())
    sign = "-" if secs < 0 else ""
    secs = abs(secs)
    d, rem = divmod(secs, 86400)
    h, rem = divmod(rem, 3600)
    m = rem // 60
    if d:
        return f"{sign}{d}d {h:02d}h"
    if h:
        return f"{sign}{h}h {m:02d}m"
    return f"{sign}{m}m"


class Cell(NamedTuple):
    """What one board cell shows: every role the delegate paints, computed in one call."""
    text: str
    foreground: QColor | None
    background: QColor | None
    bold: bool
    right: bool


_COLOURS: dict[tuple[str, int], QColor] = {}


def _colour(hex_: str, alpha: int = 255) -> QColor:
    """One QColor per colour (a paint asks for hundreds)."""
    c = _COLOURS.get((hex_, alpha))
    if c is None:
        c = _COLOURS[(hex_, alpha)] = qcolor(hex_, alpha)
    return c


_SERVED = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole,
                     Qt.ItemDataRole.FontRole, Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.ToolTipRole,
                     CASE_ID_ROLE})


#: a batch changing more rows in place than this repaints the view once instead of row by row
#: (a thousand single-row signals cost 30 ms; the view only ever repaints what is on screen)
ROWS_SIGNALLED_ONE_BY_ONE = 16


class _Hooks(RowHooks):
    def __init__(self, model: BoardModel) -> None:
        self.m = model
        self.batch = False           # a batch is being applied: rows changed in place are held
        self.held: list[int] = []    # … their view rows, kept right as rows are removed and inserted
        self.all = False             # … or so many that the whole view is signalled once

    def changed(self, view_row: int) -> None:
        if not self.batch:
            self._signal(view_row, view_row)
        elif not self.all:
            self.held.append(view_row)
            self.all = len(self.held) > ROWS_SIGNALLED_ONE_BY_ONE

    def flush(self) -> None:
        """End of a batch: the rows it changed in place, as a few signals or one for all."""
        held, every = self.held, self.all
        self.batch, self.held, self.all = False, [], False
        if every:
            self._signal(0, self.m.rowCount() - 1)
        else:
            for r in dict.fromkeys(held):
                self._signal(r, r)

    def _signal(self, first: int, last: int) -> None:
        # createIndex, not index: the rows are known to exist, and index() asks the model's
        # rowCount and columnCount in Python first (two calls back from Qt per index)
        if last >= first:
            self.m.dataChanged.emit(self.m.createIndex(first, 0), self.m.createIndex(last, len(COLUMNS) - 1))

    def begin_remove(self, view_row: int) -> None:
        if self.held and not self.all:
            self.held = [r - (r > view_row) for r in self.held if r != view_row]
        self.m.beginRemoveRows(QModelIndex(), view_row, view_row)

    def end_remove(self) -> None:
        self.m.endRemoveRows()

    def begin_insert(self, view_row: int) -> None:
        if self.held and not self.all:
            self.held = [r + (r >= view_row) for r in self.held]
        self.m.beginInsertRows(QModelIndex(), view_row, view_row)

    def end_insert(self) -> None:
        self.m.endInsertRows()


class BoardModel(QAbstractTableModel):
    counts_changed = Signal()
    urgent_arrived = Signal(object)     # BoardRow of a new urgent / critical case

    def __init__(self, live: LiveData, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.live = live
        ref = live.reference
        self.index_ = BoardIndex(category_class=ref.category_class,
                                 state_rank={code: i for i, code in enumerate(ref.states)}, zone=ZoneInfo(ref.tz),
                                 state_terms={c: search_terms(n.name, n.name_en) for c, n in ref.states.items()},
                                 urgency_terms={c: search_terms(n.name, n.name_en) for c, n in ref.urgencies.items()})
        self._hooks = _Hooks(self)
        self.highlight: dict[int, datetime] = {}
        self._headers = [self.tr("Code"), self.tr("Reported"), self.tr("Source"), self.tr("Category"),
                         self.tr("Grid"), self.tr("Community"), self.tr("Street"), self.tr("State"),
                         self.tr("Tier"), self.tr("Assignee"), self.tr("Deadline"), self.tr("Urgency")]
        self._bold = QFont()
        self._bold.setBold(True)
        live.snapshot_loaded.connect(self._load)
        live.rows_changed.connect(self.apply)
        if live.loaded:
            self._load()
        # the countdown column ticks; only visible cells repaint
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._on_tick)
        self._tick.start(1000)

    # ------------------------------------------------------------ changes
    def _load(self) -> None:
        self.beginResetModel()
        self.index_.load(self.live.rows, self.live.columns)
        self.endResetModel()
        self.counts_changed.emit()

    def apply(self, rows: list[BoardRow], old: list[BoardRow | None] | None = None) -> None:
        now = now_utc()
        self._hooks.batch = True
        arrived = []
        try:
            for i, row in enumerate(rows):
                kind = self.index_.upsert(row, self._hooks)
                was = old[i] if old else None
                if (was is None and kind != "same" and row.urgency in ("urgent", "critical") and row.is_open
                        and now - row.reported_at < NEW_FOR):      # new to the field, not only to this console
                    self.highlight[row.id] = now
                    arrived.append(row)
        finally:
            self._hooks.flush()
        for row in arrived:
            self.urgent_arrived.emit(row)
        self.counts_changed.emit()

    def set_filter(self, f: BoardFilter) -> None:
        self.beginResetModel()      # a new question: the whole answer changes
        self.index_.set_filter(f)
        self.endResetModel()
        self.counts_changed.emit()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        ids = [self.index_.id_at(p.row()) if p.row() < len(self.index_) else None for p in persistent]
        self.index_.set_sort(COLUMNS[column], order == Qt.SortOrder.DescendingOrder)
        new = []
        for p, cid in zip(persistent, ids):
            r = self.index_.view_row_of(cid) if cid is not None else None
            new.append(self.index(r, p.column()) if r is not None else QModelIndex())
        self.changePersistentIndexList(persistent, new)
        self.layoutChanged.emit()

    def _on_tick(self) -> None:
        n = len(self.index_)
        if n:
            col = COLUMNS.index("deadline")
            self.dataChanged.emit(self.index(0, col), self.index(n - 1, col), [Qt.ItemDataRole.DisplayRole])
        if self.highlight:
            cutoff = now_utc() - HIGHLIGHT_FOR
            for cid in [c for c, t in self.highlight.items() if t < cutoff]:
                del self.highlight[cid]
                r = self.index_.view_row_of(cid)
                if r is not None:
                    self._hooks.changed(r)

    # ------------------------------------------------------------ Qt model API
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.index_)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def row(self, view_row: int) -> BoardRow:
        return self.index_.row_at(view_row)

    def view_row_of(self, case_id: int) -> int | None:
        return self.index_.view_row_of(case_id)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        # A repaint asks ~13 roles per cell; answer the ones we never serve before any lookup.
        # (The board's own delegate paints from cell(); this serves tests, tooltips, copying.)
        if role not in _SERVED or not index.isValid():
            return None
        if role == CASE_ID_ROLE or role == Qt.ItemDataRole.ToolTipRole:
            r = index.row()
            if r >= len(self.index_):
                return None
            row = self.index_.row_at(r)
            return row.id if role == CASE_ID_ROLE else _tooltip(row)
        cell = self.cell(index.row(), index.column())
        if cell is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.text
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(cell.foreground) if cell.foreground is not None else None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(cell.background) if cell.background is not None else None
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if cell.bold else None
        return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter) if cell.right else None

    def cell(self, view_row: int, column: int) -> Cell | None:
        """Everything one cell shows, in one call (the delegate's paint, and data())."""
        order = self.index_.order
        n = len(order)
        if view_row >= n or view_row < 0:
            return None
        row = self.index_.rows[order[n - 1 - view_row if self.index_.descending else view_row]]
        col = COLUMNS[column]
        now = now_utc()
        return Cell(_DISPLAY[col](row, self.live.reference, self.live.display), _foreground(row, col, now),
                    self._background(row, col, now),
                    col in ("code", "deadline") or (col == "urgency" and row.urgency != "normal"), col == "deadline")

    # ------------------------------------------------------------ styles
    def _background(self, row: BoardRow, col: str, now: datetime) -> QColor | None:
        if col == "deadline":
            level = deadline_level(row, now)
            if level:
                return _colour(DEADLINE_COLOURS[level])
        if row.id in self.highlight:
            return _colour(URGENCY_COLOURS.get(row.urgency, "#ffb020"), 70)
        return None


def _foreground(row: BoardRow, col: str, now: datetime) -> QColor | None:
    if col == "code" and row.repeat_count:
        return _colour(REPEAT_COLOUR)
    if col == "state":
        return _colour(STATE_COLOURS.get(row.state, "#dbe4ee"))
    if col == "urgency":
        return _colour(URGENCY_COLOURS.get(row.urgency, "#dbe4ee"))
    if col == "deadline":
        return _colour("#0b1220" if deadline_level(row, now) else "#6b7a8f")
    return None


def watch_marks(row: BoardRow) -> str:
    """Short marks after the state: under supervision (督), on hold (挂), more time asked or
    granted (延) — the board's reading of the case's watch columns."""
    marks = []
    if row.supervision_level is not None:
        marks.append(QCoreApplication.translate("BoardModel", "SUP"))
    if row.suspension_review_on is not None:
        marks.append(QCoreApplication.translate("BoardModel", "HOLD"))
    if row.extension_pending:
        marks.append(QCoreApplication.translate("BoardModel", "EXT?"))
    elif row.extension_count:
        marks.append(QCoreApplication.translate("BoardModel", "EXT%1").replace("%1", str(row.extension_count)))
    return ("  " + " ".join(marks)) if marks else ""


def on_hold_until(row: BoardRow) -> str:
    """The deadline cell of a suspended case: no clock runs, the review date does."""
    review = row.suspension_review_on
    if review is None:
        return ""
    return QCoreApplication.translate("BoardModel", "On hold to %1").replace("%1", review.strftime("%m-%d"))


def _tooltip(row: BoardRow) -> str:
    repeats = f"\n×{row.repeat_count + 1}" if row.repeat_count else ""
    return f"{row.code} · {row.title}\n{row.address}{repeats}"


#: what each column shows, in the interface language
_DISPLAY: dict[str, Callable[[BoardRow, Reference, Display], str]] = {
    # reported again and again: the same problem, more people waiting — the code says how often
    "code": lambda row, ref, d: f"{row.code}  ×{row.repeat_count + 1}" if row.repeat_count else row.code,
    "reported_at": lambda row, ref, d: d.local(row.reported_at).strftime("%m-%d %H:%M"),
    "source": lambda row, ref, d: d.named(ref.sources.get(row.source)),
    "category": lambda row, ref, d: d.pick(row.category_name, row.category_name_en),
    "grid": lambda row, ref, d: d.place(row.grid_name),
    "community": lambda row, ref, d: d.place(row.community_name),
    "street": lambda row, ref, d: d.pick(row.street_name, row.street_name_en),
    "state": lambda row, ref, d: d.named(ref.states.get(row.state)) + watch_marks(row),
    "tier": lambda row, ref, d: d.named(ref.tiers.get(row.tier)),
    "assignee": lambda row, ref, d: d.assignee(row.assignee_person_name, row.assignee_unit_name, ref.units_en),
    "deadline": lambda row, ref, d: (on_hold_until(row) if row.suspension_review_on is not None
                                     else countdown(row, now_utc())),
    "urgency": lambda row, ref, d: d.named(ref.urgencies.get(row.urgency)),
}
