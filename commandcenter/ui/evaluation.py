"""The evaluation panel (考核评价): the measures of a period for the district, a street, a
community or a grid, or for the departments, a department or a unit — key figures of the level
selected, the ranking of the level below it (double-click a row to go down, the breadcrumb to
go back), the trend, and the cases behind any count (click it; double-click a case to open it
in the hall). CSV of the ranking and a printable PDF report.

Every reading runs on the session's worker (`evaluation_data.read_evaluation`); the panel
reloads when its period or scope changes, and after events — at most once per RELOAD_AFTER_MS
and only while it is shown (a hidden panel is marked stale and reads when shown again)."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..domain import periods
from ..domain.periods import Kind, Period
from ..store.errors import CommandCenterError
from .assessment import AssessmentSummary
from .evaluation_data import (
    EvaluationData,
    Level,
    Measure,
    Scope,
    explain,
    format_value,
    read_cases,
    read_evaluation,
    write_csv,
)
from .evaluation_model import ID_ROLE, MEASURE_ROLE, CasesModel, RankingModel
from .evaluation_trend import TrendChart
from .flow_layout import FlowLayout
from .report_pdf import write_report
from .session import Session

log = logging.getLogger(__name__)

#: events make the measures stale; reading a half-year again costs more than the strip's day
RELOAD_AFTER_MS = 5000


class FigureTile(QFrame):
    """A key figure; a count with cases behind it lists them when clicked."""
    clicked = Signal(str)

    def __init__(self, measure: Measure, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.measure = measure
        self.setObjectName(f"evaluation-figure-{measure.code}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 2, 8, 2)
        lay.setSpacing(0)
        self.value = QLabel("—")
        self.value.setProperty("role", "kpi-value")
        self.label = QLabel()
        self.label.setProperty("role", "kpi-label")
        lay.addWidget(self.value)
        lay.addWidget(self.label)
        if measure.countable:
            self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self.measure.countable and event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.measure.code)
        super().mouseReleaseEvent(event)


class EvaluationPanel(QWidget):
    #: a case chosen from the cases behind a count (the hall brings its detail forward)
    case_opened = Signal(int)
    #: every reading applied (tests and screenshots wait on it)
    loaded = Signal(object)
    cases_loaded = Signal(list)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evaluation")
        self.session = session
        self.display = session.display
        self.data: EvaluationData | None = None
        self.measures: list[Measure] | None = None
        self.stale = True
        self.loading = False
        #: whether its dock's tab is the one in front (the hall says; alone, being visible is enough)
        self._shown: bool | None = None
        self.cases_of: tuple[str, str | None, int | None] | None = None   # measure, scope, id listed
        ref = session.reference
        street = session.basics.account_street
        if street is not None and street in ref.streets:       # a sub-centre evaluates its own street
            self.territory = Level("street", street, ref.streets[street].name, ref.streets[street].name_en)
        else:
            self.territory = Level("district", None, ref.district, ref.district_en)
        self.scope = Scope.root(self.territory)

        # ---- period and perspective
        self.period_box = QComboBox()
        self.period_box.setObjectName("evaluation-period")
        for kind, label in (("today", self.tr("Today")), ("week", self.tr("This week")),
                            ("month", self.tr("This month")), ("half_year", self.tr("Half-year")),
                            ("custom", self.tr("Custom"))):
            self.period_box.addItem(label, kind)
        self.period_box.setCurrentIndex(self.period_box.findData("month"))
        self.first = QDateEdit()
        self.last = QDateEdit()
        for edit, name in ((self.first, "evaluation-from"), (self.last, "evaluation-to")):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.earlier = QToolButton()
        self.earlier.setText("◀")
        self.earlier.setToolTip(self.tr("The period before"))
        self.later = QToolButton()
        self.later.setText("▶")
        self.later.setToolTip(self.tr("The period after"))
        self.perspective = QComboBox()
        self.perspective.setObjectName("evaluation-perspective")
        self.perspective.addItem(self.tr("Territory"), "territory")
        self.perspective.addItem(self.tr("Departments"), "departments")
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.export_button.setObjectName("evaluation-csv")
        self.pdf_button = QPushButton(self.tr("Print PDF…"))
        self.pdf_button.setObjectName("evaluation-pdf")
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Period")))
        bar.addWidget(self.period_box)
        bar.addWidget(self.earlier)
        bar.addWidget(self.first)
        bar.addWidget(QLabel("–"))
        bar.addWidget(self.last)
        bar.addWidget(self.later)
        bar.addSpacing(12)
        bar.addWidget(QLabel(self.tr("Evaluate")))
        bar.addWidget(self.perspective)
        bar.addStretch(1)
        bar.addWidget(self.export_button)
        bar.addWidget(self.pdf_button)

        # ---- breadcrumb and state
        self.crumbs = QHBoxLayout()
        self.crumbs.setSpacing(2)
        self.status = QLabel()
        self.status.setObjectName("evaluation-status")
        self.status.setProperty("role", "muted")
        crumb_row = QHBoxLayout()
        crumb_row.addLayout(self.crumbs)
        crumb_row.addStretch(1)
        crumb_row.addWidget(self.status)

        # ---- key figures
        self.figures_box = QWidget()
        self.figures_layout = FlowLayout(self.figures_box, spacing=6)
        self.tiles: dict[str, FigureTile] = {}

        # ---- ranking
        self.ranking_title = QLabel()
        self.ranking_title.setProperty("role", "muted")
        self.model = RankingModel(self.display, self)
        self.table = QTableView()
        self.table.setObjectName("evaluation-ranking")
        self.table.setModel(self.model)
        # rank order until a header is clicked (enabling sorting sorts by the indicator at once)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.model.reset_sort()
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        header.setMinimumHeight(self.fontMetrics().height() * 3)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setDefaultSectionSize(86)
        ranking = QWidget()
        rl = QVBoxLayout(ranking)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.ranking_title)
        rl.addWidget(self.table, 1)

        # ---- trend and cases
        self.trend_title = QLabel()
        self.trend_title.setProperty("role", "muted")
        self.trend = TrendChart()
        self.cases_title = QLabel(self.tr("Click a count to list its cases; double-click a case to open it."))
        self.cases_title.setObjectName("evaluation-cases-title")
        self.cases_title.setProperty("role", "muted")
        self.cases_title.setWordWrap(True)
        self.cases_model = CasesModel(self.display, ref, {g.id: g.name for g in session.geometry.grids}, self)
        self.cases = QTableView()
        self.cases.setObjectName("evaluation-cases")
        self.cases.setModel(self.cases_model)
        self.cases.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.cases.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.cases.verticalHeader().setVisible(False)
        self.cases.verticalHeader().setDefaultSectionSize(22)
        self.cases.horizontalHeader().setStretchLastSection(True)
        trend_box = QWidget()
        tl = QVBoxLayout(trend_box)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.trend_title)
        tl.addWidget(self.trend, 1)
        cases_box = QWidget()
        cl = QVBoxLayout(cases_box)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(self.cases_title)
        cl.addWidget(self.cases, 1)
        # the two-way assessment (条块双向考评) beside the computed measures: forms whose period
        # overlaps the one shown
        self.assessment = AssessmentSummary(session.worker, session.display, date.today(), date.today())
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(trend_box)
        right.addWidget(cases_box)
        right.addWidget(self.assessment)
        for pane in (trend_box, cases_box, self.assessment):   # the hall still fits 1280×800
            pane.setMinimumHeight(40)
        right.setSizes([360, 220, 200])
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(ranking)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(bar)
        lay.addLayout(crumb_row)
        lay.addWidget(self.figures_box)
        lay.addWidget(self.splitter, 1)

        # ---- behaviour
        self._events = QTimer(self)
        self._events.setSingleShot(True)
        self._events.setInterval(RELOAD_AFTER_MS)
        self._events.timeout.connect(self._after_events)
        session.live.events_applied.connect(self._on_events_applied)
        self.period_box.currentIndexChanged.connect(self._on_period_kind_changed)
        self.first.dateChanged.connect(self._on_dates_edited)
        self.last.dateChanged.connect(self._on_dates_edited)
        self.earlier.clicked.connect(lambda: self.shift(-1))
        self.later.clicked.connect(lambda: self.shift(1))
        self.perspective.currentIndexChanged.connect(self._on_perspective_changed)
        self.table.clicked.connect(self._on_ranking_clicked)
        self.table.doubleClicked.connect(self._on_ranking_double_clicked)
        self.cases.doubleClicked.connect(self._on_case_double_clicked)
        self.export_button.clicked.connect(self._export_dialog)
        self.pdf_button.clicked.connect(self._pdf_dialog)
        self.period = periods.preset("month", self._now(), self.display.zone)
        self.assessment.set_period(self.period.first_day, self.period.last_day)
        self._show_dates()
        self._show_breadcrumb()

    # ------------------------------------------------------------ period
    def _now(self) -> datetime:
        return datetime.now(UTC)

    def set_period(self, period: Period) -> None:
        """Show another period (the picker, ◀ ▶, or a caller)."""
        self.period = period
        i = self.period_box.findData(period.kind)
        if i != self.period_box.currentIndex():
            self.period_box.blockSignals(True)
            self.period_box.setCurrentIndex(i)
            self.period_box.blockSignals(False)
        self._show_dates()
        self.assessment.set_period(self.period.first_day, self.period.last_day)
        self.reload()

    def shift(self, steps: int) -> None:
        self.set_period(self.period.shifted(steps))

    def _on_period_kind_changed(self) -> None:
        kind: Kind = self.period_box.currentData()
        if kind == "custom":
            self.set_period(periods.custom(self.period.first_day, self.period.last_day, self.display.zone))
        else:
            self.set_period(periods.preset(kind, self._now(), self.display.zone))

    def _show_dates(self) -> None:
        custom = self.period.kind == "custom"
        for edit, day in ((self.first, self.period.first_day), (self.last, self.period.last_day)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)
            edit.setEnabled(custom)

    def _on_dates_edited(self) -> None:
        first, last = self.first.date().toPython(), self.last.date().toPython()
        assert isinstance(first, date) and isinstance(last, date)
        if last < first:            # dragging one past the other moves both
            if self.sender() is self.first:
                last = first
            else:
                first = last
        self.set_period(periods.custom(first, last, self.display.zone))

    # ------------------------------------------------------------ scope
    def _on_perspective_changed(self) -> None:
        root = self.territory if self.perspective.currentData() == "territory" else Level("departments", None, "", "")
        self.set_scope(Scope.root(root))

    def set_scope(self, scope: Scope) -> None:
        self.scope = scope
        self.model.reset_sort()
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self._show_breadcrumb()
        self.reload()

    def drill(self, row: int) -> bool:
        """Go down into a row of the ranking; False at a grid or a person (nothing below)."""
        if not self.scope.can_drill or not 0 <= row < len(self.model.rows):
            return False
        r = self.model.rows[row]
        self.set_scope(self.scope.drill(r["id"], r.get("name") or "", r.get("name_en") or ""))
        return True

    def _level_text(self, level: Level) -> str:
        return self.tr("All departments") if level.scope == "departments" else self.display.pick(level.name, level.name_en)

    def _show_breadcrumb(self) -> None:
        while self.crumbs.count():
            item = self.crumbs.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.deleteLater()
        for depth, level in enumerate(self.scope.path):
            if depth:
                sep = QLabel("›")
                sep.setProperty("role", "muted")
                self.crumbs.addWidget(sep)
            b = QToolButton()
            b.setObjectName(f"evaluation-crumb-{depth}")
            b.setText(self._level_text(level))
            b.setAutoRaise(True)
            last = depth == len(self.scope.path) - 1
            b.setEnabled(not last)
            if last:
                b.setStyleSheet("font-weight: bold; color: white;")
            b.clicked.connect(lambda _=False, d=depth: self.set_scope(self.scope.up_to(d)))
            self.crumbs.addWidget(b)
        listing = self.scope.listing
        self.ranking_title.setText(self._listing_text(listing) if listing else "")

    def _listing_text(self, listing: str) -> str:
        words = {"street": self.tr("Streets"), "community": self.tr("Communities"), "grid": self.tr("Grids"),
                 "department": self.tr("Departments"), "unit": self.tr("Units"), "person": self.tr("People")}
        text = self.tr("Ranking: %1").replace("%1", words.get(listing, listing))
        if self.scope.can_drill:
            text += " · " + self.tr("double-click a row to look inside it")
        return text

    # ------------------------------------------------------------ reading
    def shown(self) -> bool:
        """In front: a dock tabbed behind another stays "visible" to Qt, but nobody sees it."""
        return self.isVisible() and (self._shown is None or self._shown)

    def set_shown(self, shown: bool) -> None:
        """The hall's dock came to the front or went behind (QDockWidget.visibilityChanged)."""
        self._shown = shown
        if shown and self.stale:
            QTimer.singleShot(0, self._read_if_stale)

    def reload(self) -> None:
        """Read the period and scope again (now if shown, else when next shown)."""
        self.stale = True
        if self.shown():
            self._read()

    def _read(self) -> None:
        self.stale = False
        self.loading = True
        self.status.setText(self.tr("reading…"))
        period, scope, measures = self.period, self.scope, self.measures
        self.session.worker.submit(lambda conn: read_evaluation(conn, period, scope, measures), self._on_loaded,
                                   self._on_failed, key=f"evaluation-{id(self)}", receiver=self)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self.stale:
            QTimer.singleShot(0, self._read_if_stale)

    def _read_if_stale(self) -> None:
        if self.stale and self.shown():
            self._read()

    def _on_events_applied(self, _events: object) -> None:
        if not self._events.isActive():
            self._events.start()

    def _after_events(self) -> None:
        self.reload()

    def _on_failed(self, exc: Exception) -> None:
        self.loading = False
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        log.warning("evaluation not read: %s", first)
        self.status.setText(self.tr("Not read: %1").replace("%1", first))

    def _on_loaded(self, data: EvaluationData) -> None:
        self.loading = False
        self.data = data
        self.measures = data.measures
        self.model.show_data(data)
        self._fit_names()
        self._show_figures(data)
        self.trend.show_data(data)
        self.trend_title.setText({"day": self.tr("Trend by day"), "week": self.tr("Trend by week"),
                                  "month": self.tr("Trend by month")}[data.bucket])
        self.status.setText(self.tr("%1 – %2, read at %3").replace("%1", data.period.first_day.isoformat())
                            .replace("%2", data.period.last_day.isoformat())
                            .replace("%3", self.display.stamp(data.read_at, "%H:%M:%S")))
        if self.cases_of is not None:
            self.list_cases(*self.cases_of)       # the list follows its count
        self.loaded.emit(data)

    def _fit_names(self) -> None:
        """The rank as narrow as its figures and the names whole ("Donghuamen Street" was cut to
        "Donghua…" beside an 86-pixel rank), unless the operator or a layout sized them."""
        header = self.table.horizontalHeader()
        for key in ("rank", "name"):
            if key in self.model.keys:
                col = self.model.keys.index(key)
                if header.sectionSize(col) == header.defaultSectionSize():
                    self.table.resizeColumnToContents(col)

    def _show_figures(self, data: EvaluationData) -> None:
        shown = data.headline()
        if [m.code for m in shown] != list(self.tiles):
            for tile in self.tiles.values():
                self.figures_layout.removeWidget(tile)
                tile.deleteLater()
            self.tiles = {}
            for m in shown:
                tile = FigureTile(m)
                tile.clicked.connect(self._on_figure_clicked)
                self.figures_layout.addWidget(tile)
                self.tiles[m.code] = tile
        for m in shown:
            tile = self.tiles[m.code]
            tile.label.setText(self.display.pick(m.name, m.name_en))
            tile.value.setText(format_value(data.figures.get(m.code), m.unit, self.display.english))
            tile.setToolTip(explain(m, data.measures, self.display.english))

    # ------------------------------------------------------------ cases behind a count
    def list_cases(self, measure: str, scope: str | None, scope_id: int | None) -> None:
        if self.data is None:
            return
        self.cases_of = (measure, scope, scope_id)
        start, until = self.data.period.start, self.data.until
        self.session.worker.submit(lambda conn: read_cases(conn, start, until, measure, scope, scope_id),
                                   lambda rows: self._on_cases(measure, scope, scope_id, rows), self._on_failed,
                                   key=f"evaluation-cases-{id(self)}", receiver=self)

    def _on_cases(self, measure: str, scope: str | None, scope_id: int | None, rows: list[dict[str, Any]]) -> None:
        self.cases_model.show_rows(rows)
        self.cases.resizeColumnsToContents()
        m = next((x for x in (self.measures or []) if x.code == measure), None)
        what = self.display.pick(m.name, m.name_en) if m else measure
        where = self._where(scope, scope_id)
        self.cases_title.setText(self.tr("%1 — %2: %3 cases (double-click one to open it)")
                                 .replace("%1", what).replace("%2", where).replace("%3", str(len(rows))))
        self.cases_loaded.emit(rows)

    def _where(self, scope: str | None, scope_id: int | None) -> str:
        if scope is None:
            return self._level_text(self.scope.path[0])
        if self.data is not None:
            for r in self.data.rows:
                if r.get("id") == scope_id and scope == self.scope.listing:
                    return self.display.pick(r.get("name"), r.get("name_en"))
        return self._level_text(self.scope.last)

    def _on_ranking_clicked(self, index: QModelIndex) -> None:
        measure = index.data(MEASURE_ROLE)
        if measure is not None and self.scope.listing is not None:
            self.list_cases(measure, self.scope.listing, index.data(ID_ROLE))

    def _on_figure_clicked(self, measure: str) -> None:
        self.list_cases(measure, *self.scope.figures_of)

    def _on_ranking_double_clicked(self, index: QModelIndex) -> None:
        self.drill(index.row())

    def _on_case_double_clicked(self, index: QModelIndex) -> None:
        case_id = index.data(ID_ROLE)
        if case_id is not None:
            self.session.selection.select_case(int(case_id))
            self.case_opened.emit(int(case_id))

    # ------------------------------------------------------------ CSV and PDF
    def export_csv(self, path: Path) -> Path:
        """The ranking as shown (its order), values as read; UTF-8 with BOM for Excel."""
        return write_csv(path, self.model.header_labels(), self.model.raw_table())

    def print_pdf(self, path: Path) -> int:
        """The report of what the panel shows, in the interface language; returns its pages."""
        if self.data is None:
            raise RuntimeError("nothing read yet")
        return write_report(self.data, path, "en" if self.display.english else "zh_CN", printed=datetime.now(UTC))

    def _default_name(self, suffix: str) -> str:
        p = self.period
        level = self._level_text(self.scope.last)
        return f"{level}-{p.first_day.isoformat()}-{p.last_day.isoformat()}.{suffix}"

    def _export_dialog(self) -> None:
        if self.data is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export the ranking"), self._default_name("csv"),
                                              self.tr("CSV files (*.csv)"))
        if name:
            self._write(lambda: self.export_csv(Path(name)))

    def _pdf_dialog(self) -> None:
        if self.data is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Print the report to PDF"), self._default_name("pdf"),
                                              self.tr("PDF files (*.pdf)"))
        if name:
            self._write(lambda: self.print_pdf(Path(name)))

    def _write(self, write: Any) -> None:  # noqa: ANN401
        try:
            write()
        except (OSError, RuntimeError, CommandCenterError) as exc:
            QMessageBox.warning(self, self.tr("Not written"), str(exc))
