"""Two-way assessment (条块双向考评): the rating dialog — a street rates a department's unit, a
department rates a street, or the district centre records a paper form for either — and the
summary table that stands beside the computed measures in the evaluation panel.

The database decides who may rate whom, checks every score and aggregates
(`commandcenter/store/assessment.py`, db/sql/0007_assessment.sql); these views only ask it, on
the worker thread. A refusal is shown in the dialog and nothing typed is lost."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import psycopg
from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain.display import Display
from ..domain.search import SearchIndex, entry
from ..store import assessment as asm
from .actions import refusal_text
from .plain import plain_label, plain_tooltip
from .session import Session
from .worker import DbWorker

ID_ROLE = Qt.ItemDataRole.UserRole + 1


def half_year(day: date, back: int = 0) -> tuple[date, date]:
    """The half-year holding `day`, or `back` half-years before it (the usual review period)."""
    index = day.year * 2 + (0 if day.month <= 6 else 1) - back
    year, second = divmod(index, 2)
    return (date(year, 7, 1), date(year, 12, 31)) if second else (date(year, 1, 1), date(year, 6, 30))


@dataclass
class _Setup:
    """What the dialog reads once: per direction the form and the sides this console rates for."""
    items: dict[str, list[asm.Item]]
    raters: dict[str, list[asm.Side]]


def _load_setup(conn: psycopg.Connection) -> _Setup:
    return _Setup({d: asm.items(conn, d) for d in asm.DIRECTIONS}, {d: asm.raters(conn, d) for d in asm.DIRECTIONS})


def _load_targets(conn: psycopg.Connection, direction: asm.Direction,
                  rater: int | None) -> tuple[list[asm.Side], SearchIndex]:
    """The targets and their search index (pinyin is computed here, off the GUI thread)."""
    found = asm.targets(conn, direction, rater)
    index = SearchIndex(entry("target", t.id, t.name, t.name_en, (t.group_name,) if t.group_name else ())
                        for t in found)
    return found, index


class AssessmentDialog(QDialog):
    """One assessment form: direction, the side rated for, the period, the target (searchable),
    a score per item, a comment. Saving the same target and period again replaces the form."""

    #: emitted after a form is stored, with its direction (the summary reloads)
    assessed = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assessment-dialog")
        self.setWindowTitle(self.tr("Two-way assessment"))
        self.session = session
        self.display = session.display
        self.setup: _Setup | None = None
        self.targets: list[asm.Side] = []
        self.index = SearchIndex([])
        self.spins: dict[str, QSpinBox] = {}
        self.previous: asm.Previous | None = None

        self.direction = QComboBox()
        self.direction.setObjectName("assessment-direction")
        self.direction.addItem(self.tr("A street rates a department's unit"), asm.STREET_RATES_UNIT)
        self.direction.addItem(self.tr("A department rates a street"), asm.DEPARTMENT_RATES_STREET)
        self.rater = QComboBox()
        self.rater.setObjectName("assessment-rater")
        self.preset = QComboBox()
        self.preset.setObjectName("assessment-preset")
        today = date.today()
        for label, span in ((self.tr("Previous half-year"), half_year(today, 1)),
                            (self.tr("Current half-year"), half_year(today)),
                            (self.tr("Previous year"), (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))),
                            (self.tr("Current year"), (date(today.year, 1, 1), date(today.year, 12, 31)))):
            self.preset.addItem(label, span)
        self.preset.addItem(self.tr("Custom"), None)
        self.start = QDateEdit()
        self.end = QDateEdit()
        for edit, name in ((self.start, "assessment-start"), (self.end, "assessment-end")):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.search = QLineEdit()
        self.search.setObjectName("assessment-search")
        self.search.setPlaceholderText(self.tr("Find: name, pinyin, initials or department"))
        self.target_list = QListWidget()
        self.target_list.setObjectName("assessment-targets")
        self.target_list.setMinimumHeight(160)
        self.items_form = QFormLayout()
        self.comment = QPlainTextEdit()
        self.comment.setObjectName("assessment-comment")
        self.comment.setPlaceholderText(self.tr("Comment (optional)"))
        self.comment.setMaximumHeight(90)
        self.max_comment = session.reference.limits.get("assessment_comment_chars", 1000)
        self.previous_label = plain_label(QLabel())
        self.previous_label.setObjectName("assessment-previous")
        self.previous_label.setWordWrap(True)
        self.load_previous = QPushButton(self.tr("Load those scores"))
        self.load_previous.setObjectName("assessment-load-previous")
        self.load_previous.hide()
        self.banner = plain_label(QLabel())
        self.banner.setObjectName("assessment-banner")
        self.banner.setWordWrap(True)
        self.save = QPushButton(self.tr("Save rating"))
        self.save.setObjectName("assessment-save")
        self.save.setDefault(False)
        self.save.setAutoDefault(False)
        close = QPushButton(self.tr("Close"))
        close.setAutoDefault(False)

        top = QFormLayout()
        top.addRow(self.tr("Direction"), self.direction)
        top.addRow(self.tr("Rating for"), self.rater)
        period_row = QHBoxLayout()
        period_row.addWidget(self.preset)
        period_row.addWidget(self.start)
        period_row.addWidget(QLabel("–"))
        period_row.addWidget(self.end)
        top.addRow(self.tr("Period"), period_row)
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("Whom to rate")))
        left.addWidget(self.search)
        left.addWidget(self.target_list, 1)
        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("Scores")))
        right.addLayout(self.items_form)
        right.addWidget(self.comment)
        right.addWidget(self.previous_label)
        right.addWidget(self.load_previous)
        right.addStretch(1)
        middle = QHBoxLayout()
        middle.addLayout(left, 1)
        middle.addLayout(right, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save)
        buttons.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(middle, 1)
        lay.addWidget(self.banner)
        lay.addLayout(buttons)

        self._set_period(half_year(today, 1))
        self.preset.currentIndexChanged.connect(self._preset_chosen)
        self.start.dateChanged.connect(self._period_edited)
        self.end.dateChanged.connect(self._period_edited)
        self.direction.currentIndexChanged.connect(self._direction_changed)
        self.rater.currentIndexChanged.connect(self._load_targets)
        self.search.textChanged.connect(self._filter)
        self.target_list.currentItemChanged.connect(lambda *_: self._ask_previous())
        self.comment.textChanged.connect(self._bound_comment)
        self.load_previous.clicked.connect(self._apply_previous)
        self.save.clicked.connect(self.submit)
        close.clicked.connect(self.reject)
        self._update_save()
        self.banner.setText(self.tr("Loading the form…"))
        session.worker.submit(_load_setup, self._setup_loaded, self._failed, receiver=self)

    # ------------------------------------------------------------ reading
    def current_direction(self) -> asm.Direction:
        return self.direction.currentData()

    def current_rater(self) -> int | None:
        data = self.rater.currentData()
        return int(data) if data is not None else None

    def current_target(self) -> int | None:
        item = self.target_list.currentItem()
        return int(item.data(ID_ROLE)) if item is not None else None

    def period(self) -> tuple[date, date]:
        return self.start.date().toPython(), self.end.date().toPython()  # type: ignore[return-value]

    def scores(self) -> dict[str, int]:
        return {code: spin.value() for code, spin in self.spins.items()}

    # ------------------------------------------------------------ the form
    def _setup_loaded(self, setup: _Setup) -> None:
        self.setup = setup
        self.banner.clear()
        usable = [i for i in range(self.direction.count()) if setup.raters[self.direction.itemData(i)]]
        if not usable:
            self.banner.setText(self.tr("This account may not rate: a street sub-centre rates units, a unit's console "
                                        "rates streets, the district centre's supervisors record paper forms."))
        for i in range(self.direction.count()):
            model = self.direction.model()
            if isinstance(model, QStandardItemModel):
                row = model.item(i)
                if row is not None:
                    row.setEnabled(i in usable)
        if usable and self.direction.currentIndex() not in usable:
            self.direction.setCurrentIndex(usable[0])       # emits: the rest follows
        else:
            self._direction_changed()

    def _direction_changed(self) -> None:
        if self.setup is None:
            return
        d = self.current_direction()
        kept = self.scores()                       # a score typed for an item of both forms stays
        while self.items_form.rowCount():
            self.items_form.removeRow(0)
        self.spins = {}
        for item in self.setup.items[d]:
            spin = QSpinBox()
            spin.setObjectName(f"assessment-score-{item.code}")
            spin.setRange(0, item.max_score)
            spin.setValue(kept.get(item.code, 0))
            spin.setSuffix(f" / {item.max_score}")
            tip = self.display.pick(item.description, item.description_en)
            spin.setToolTip(plain_tooltip(tip))
            label = plain_label(QLabel(self.tr("%1 (weight %2)").replace("%1", self.display.pick(item.name, item.name_en))
                                       .replace("%2", f"{item.weight:g}")))
            label.setToolTip(plain_tooltip(tip))
            self.items_form.addRow(label, spin)
            self.spins[item.code] = spin
        self.rater.blockSignals(True)
        self.rater.clear()
        for side in self.setup.raters[d]:
            self.rater.addItem(self.display.pick(side.name, side.name_en), side.id)
        self.rater.setEnabled(self.rater.count() > 1)
        self.rater.blockSignals(False)
        self._load_targets()

    def _load_targets(self) -> None:
        self.targets = []
        self.target_list.clear()
        self._update_save()
        d, rater = self.current_direction(), self.current_rater()
        if rater is None:
            return
        self.session.worker.submit(lambda conn: _load_targets(conn, d, rater), self._targets_loaded, self._failed,
                                   key=f"assessment-targets-{id(self)}", receiver=self)

    def _targets_loaded(self, loaded: tuple[list[asm.Side], SearchIndex]) -> None:
        self.targets, self.index = loaded
        self._filter()

    def _filter(self) -> None:
        chosen = self.current_target()
        text = self.search.text()
        if text.strip():
            keys = [e.key for e in self.index.find(text, limit=len(self.index.entries))]
            by_id = {t.id: t for t in self.targets}
            shown = [by_id[k] for k in keys if isinstance(k, int) and k in by_id]
        else:
            shown = self.targets
        self.target_list.blockSignals(True)
        self.target_list.clear()
        for t in shown:
            name = self.display.pick(t.name, t.name_en)
            group = self.display.pick(t.group_name, t.group_name_en)
            row = QListWidgetItem(f"{name} — {group}" if group else name)
            row.setData(ID_ROLE, t.id)
            self.target_list.addItem(row)
            if t.id == chosen:
                self.target_list.setCurrentItem(row)
        self.target_list.blockSignals(False)
        if shown and self.target_list.currentItem() is None and len(shown) == 1:
            self.target_list.setCurrentRow(0)
        self._ask_previous()

    def _bound_comment(self) -> None:
        text = self.comment.toPlainText()
        if len(text) > self.max_comment:            # the database's bound, as cc.input_limit says
            cursor = self.comment.textCursor()
            self.comment.setPlainText(text[: self.max_comment])
            cursor.setPosition(min(cursor.position(), self.max_comment))
            self.comment.setTextCursor(cursor)

    # ------------------------------------------------------------ the period
    def _set_period(self, period: tuple[date, date]) -> None:
        for edit, day in ((self.start, period[0]), (self.end, period[1])):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)
        self._ask_previous()

    def _preset_chosen(self) -> None:
        period = self.preset.currentData()
        if period is not None:
            self._set_period(period)

    def _period_edited(self) -> None:
        custom = self.preset.count() - 1
        if self.preset.currentData() != self.period():
            self.preset.blockSignals(True)
            self.preset.setCurrentIndex(custom)
            self.preset.blockSignals(False)
        self._ask_previous()

    # ------------------------------------------------------------ a form given before
    def _ask_previous(self) -> None:
        self._update_save()
        self.previous = None
        self.previous_label.clear()
        self.load_previous.hide()
        d, rater, target = self.current_direction(), self.current_rater(), self.current_target()
        if rater is None or target is None:
            return
        start, end = self.period()
        self.session.worker.submit(lambda conn: (d, rater, target, start, end,
                                                 asm.previous(conn, d, start, end, target, rater)),
                                   self._previous_loaded, self._failed, key=f"assessment-previous-{id(self)}",
                                   receiver=self)

    def _previous_loaded(self, answer: tuple[Any, ...]) -> None:
        *asked, prev = answer
        if tuple(asked) != (self.current_direction(), self.current_rater(), self.current_target(), *self.period()):
            return                                   # the choice moved on meanwhile
        self.previous = prev
        if prev is None:
            return
        self.previous_label.setText(
            self.tr("Already rated for this period by %1 at %2 (revision %3): saving replaces it.")
            .replace("%1", prev.rated_by).replace("%2", self.display.stamp(prev.rated_at)).replace("%3", str(prev.revision)))
        self.load_previous.show()

    def _apply_previous(self) -> None:
        if self.previous is None:
            return
        for code, score in self.previous.scores.items():
            if code in self.spins:
                self.spins[code].setValue(score)
        if not self.comment.toPlainText().strip():
            self.comment.setPlainText(self.previous.comment)

    # ------------------------------------------------------------ saving
    def _update_save(self) -> None:
        self.save.setEnabled(self.current_rater() is not None and self.target_list.currentItem() is not None)

    def submit(self) -> None:
        target, rater = self.current_target(), self.current_rater()
        if target is None or rater is None:
            self.banner.setText(self.tr("Choose whom to rate."))
            return
        d, (start, end), scores = self.current_direction(), self.period(), self.scores()
        comment = self.comment.toPlainText().strip() or None
        self.save.setEnabled(False)
        self.banner.setText(self.tr("Saving…"))
        self.session.worker.submit(lambda conn: asm.assess(conn, d, start, end, target, scores, comment, rater),
                                   self._saved, self._refused, retry=False, receiver=self)

    def _saved(self, rated: asm.Rated) -> None:
        self._update_save()
        name = self.target_list.currentItem().text() if self.target_list.currentItem() is not None else ""
        if rated.revision > 1:
            text = self.tr("Saved: %1 (replaces the earlier rating, revision %2).")
        else:
            text = self.tr("Saved: %1.")
        self.banner.setText(text.replace("%1", name).replace("%2", str(rated.revision)))
        self.assessed.emit(self.current_direction())
        self._ask_previous()

    def _refused(self, exc: Exception) -> None:
        self._update_save()
        self.banner.setText(self._refusal(exc))     # every field keeps what was typed

    def _failed(self, exc: Exception) -> None:
        self.banner.setText(self._refusal(exc))

    def _refusal(self, exc: Exception) -> str:
        """The shared wording, but CC008 here names a unit, street or department, not a case."""
        if getattr(exc, "sqlstate", None) != "CC008":
            return refusal_text(exc)
        hint = getattr(exc, "hint", None)
        detail = getattr(exc, "message", None) or str(exc)
        return (self.tr("The unit, street or department does not exist or lies outside your area.") + "\n"
                + QCoreApplication.translate("Refusal", "Database: %1").replace("%1", f"{detail}\n{hint}" if hint else detail))


class AssessmentSummary(QWidget):
    """Per target of one direction, for a period: raters, the weighted score (0–100) and each
    item's average. Reads `cc.assessment_summary` on the worker; the GUI thread never waits."""

    def __init__(self, worker: DbWorker, display: Display, start: date, end: date,
                 direction: asm.Direction = asm.STREET_RATES_UNIT, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assessment-summary")
        self.worker = worker
        self.display = display
        self.start, self.end = start, end
        self.rows: list[asm.SummaryRow] = []
        self.form: list[asm.Item] = []
        self.direction = QComboBox()
        self.direction.setObjectName("assessment-summary-direction")
        self.direction.addItem(self.tr("Units rated by the streets"), asm.STREET_RATES_UNIT)
        self.direction.addItem(self.tr("Streets rated by the departments"), asm.DEPARTMENT_RATES_STREET)
        self.direction.setCurrentIndex(max(self.direction.findData(direction), 0))
        self.caption = plain_label(QLabel())
        self.caption.setObjectName("assessment-summary-caption")
        self.table = QTableWidget(0, 0)
        self.table.setObjectName("assessment-summary-table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setSortingEnabled(True)
        self.message = plain_label(QLabel())
        self.message.setWordWrap(True)
        head = QHBoxLayout()
        head.addWidget(self.direction)
        head.addWidget(self.caption, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(head)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.message)
        self.direction.currentIndexChanged.connect(self.refresh)
        self.refresh()

    def current_direction(self) -> asm.Direction:
        return self.direction.currentData()

    def set_period(self, start: date, end: date) -> None:
        """Show the forms whose period overlaps [start, end] (both days included)."""
        self.start, self.end = start, end
        self.refresh()

    def refresh(self) -> None:
        d, start, end = self.current_direction(), self.start, self.end
        self.caption.setText(self.tr("Forms for periods overlapping %1 – %2")
                             .replace("%1", start.isoformat()).replace("%2", end.isoformat()))
        self.worker.submit(lambda conn: (d, start, end, asm.items(conn, d), asm.summary(conn, start, end, d)),
                           self._loaded, self._failed, key=f"assessment-summary-{id(self)}", receiver=self)

    def _loaded(self, answer: tuple[Any, ...]) -> None:
        d, start, end, form, rows = answer
        if (d, start, end) != (self.current_direction(), self.start, self.end):
            return                                    # a newer question is on its way
        self.form, self.rows = form, rows
        self.message.setText("" if rows else self.tr("No assessment forms in this period."))
        units = d == asm.STREET_RATES_UNIT
        headers = [self.tr("Unit") if units else self.tr("Street")]
        if units:
            headers.append(self.tr("Department"))
        headers += [self.tr("Raters"), self.tr("Score")]
        headers += [self.display.pick(i.name, i.name_en) for i in form]
        self.table.setSortingEnabled(False)
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells: list[tuple[str, float | None]] = [(self.display.pick(row.name, row.name_en), None)]
            if units:
                cells.append((self.display.pick(row.group_name, row.group_name_en), None))
            cells.append((str(row.raters), float(row.raters)))
            cells.append((f"{row.score:.1f}", float(row.score)))
            for item in form:
                value = row.items.get(item.code)
                cells.append((f"{value:.2f}" if value is not None else "—", float(value) if value is not None else -1.0))
            for c, (text, number) in enumerate(cells):
                cell = _Cell(text, number)
                if number is not None:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, cell)
        self.table.setSortingEnabled(True)
        self.table.resizeColumnsToContents()        # each item's heading whole ("esponse spee" was cut)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def _failed(self, exc: Exception) -> None:
        self.message.setText(refusal_text(exc))


class _Cell(QTableWidgetItem):
    """A cell that sorts by its number where it has one (a score, not its text)."""

    def __init__(self, text: str, number: float | None) -> None:
        super().__init__(text)
        self.number = number

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if isinstance(other, _Cell) and self.number is not None and other.number is not None:
            return self.number < other.number
        return super().__lt__(other)
