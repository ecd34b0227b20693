"""The wall display: the hall's big screen. Read-only, full screen, dark, large type: the map
with a focus rotating across the streets, the key figures, the newest cases, the overdue list.
When its data is stale or the database is unreachable it says so in red across the top and
keeps the last data visible; it recovers by itself when the link returns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain.cases import WATCHES, is_overdue, now_utc, watched
from ..store.listener import FeedState
from .board_model import countdown
from .kpi import KpiModel, RankingChart, kpi_tile, short_street, show_kpis
from .map_view import MapView
from .session import Session
from .theme import STATE_COLOURS, URGENCY_COLOURS

STALE_AFTER = timedelta(seconds=10)   # three missed heartbeats
FOCUS_EVERY_MS = 15_000
LIST_ROWS = 9


class WallWindow(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wall")
        self.session = session
        self.display = session.display
        live = session.live
        ref = session.reference
        self.setWindowTitle(self.tr("Wall display — %1").replace("%1", self.display.pick(ref.district, ref.district_en)))
        self.title = QLabel(self.tr("%1 Grid Service Management Command Centre").replace(
            "%1", self.display.pick(ref.district, ref.district_en)))
        self.title.setProperty("role", "wall-title")
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)   # shrinks on small walls
        self.clock = QLabel()
        self.clock.setProperty("role", "wall-clock")
        self.link = QLabel()
        self.link.setObjectName("wall-link")
        self.stale = QLabel()
        self.stale.setObjectName("wall-stale")
        self.stale.setProperty("role", "stale")
        self.stale.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stale.hide()
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.link)
        top.addSpacing(24)
        top.addWidget(self.clock)

        # The wall runs unattended: leaving it asks first, so a stray key cannot blank the hall.
        self.leave_box: QMessageBox | None = None
        for seq in (QKeySequence(Qt.Key.Key_Escape), QKeySequence("Ctrl+Q")):
            leave = QShortcut(seq, self)
            leave.setContext(Qt.ShortcutContext.ApplicationShortcut)
            leave.activated.connect(self._on_leave_requested)

        self.map = MapView(live, session.selection, session.geometry, panel=False)
        self.map.canvas.setMouseEnabled(False, False)
        self.focus_label = QLabel()
        self.focus_label.setProperty("role", "wall-heading")

        self.kpi_model = KpiModel(live, session.worker, self)
        self.kpi_values: dict[str, QLabel] = {}
        self.watch_values: dict[str, QLabel] = {}      # counted from the live rows, not the key figures
        tiles = QGridLayout()
        for i, (key, label) in enumerate((("reported", self.tr("Reported today")), ("closed", self.tr("Closed today")),
                                          ("open", self.tr("Open now")), ("overdue", self.tr("Overdue now")),
                                          ("dispatched", self.tr("Dispatched today")),
                                          ("on_time", self.tr("On-time closure (30 d)")),
                                          ("supervised", self.tr("Under supervision")),
                                          ("reply_late", self.tr("Supervision reply late")),
                                          ("suspended", self.tr("On hold")))):
            tile, v = kpi_tile(label, f"wall-kpi-{key}")
            tiles.addWidget(tile, i // 3, i % 3)
            (self.watch_values if key in WATCHES else self.kpi_values)[key] = v
        self.newest = self._table("wall-newest")
        self.overdue = self._table("wall-overdue")
        self.chart = RankingChart(self.display)
        self.chart.setMinimumHeight(200)

        right = QVBoxLayout()
        right.addLayout(tiles)
        h1 = QLabel(self.tr("Newest cases"))
        h1.setProperty("role", "wall-heading")
        right.addWidget(h1)
        right.addWidget(self.newest, 1)
        h2 = QLabel(self.tr("Overdue — longest first"))
        h2.setProperty("role", "wall-heading")
        right.addWidget(h2)
        right.addWidget(self.overdue, 1)
        left = QVBoxLayout()
        left.addWidget(self.focus_label)
        left.addWidget(self.map, 3)
        h3 = QLabel(self.tr("Streets: open (blue) and overdue (red)"))
        h3.setProperty("role", "wall-heading")
        left.addWidget(h3)
        left.addWidget(self.chart, 1)
        body = QHBoxLayout()
        body.addLayout(left, 11)
        body.addLayout(right, 9)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(18, 12, 18, 12)
        lay.addLayout(top)
        lay.addWidget(self.stale)
        lay.addLayout(body, 1)

        self.kpi_model.updated.connect(self._kpis)
        live.state_changed.connect(lambda _s: self.check_fresh())
        live.snapshot_loaded.connect(self._lists)
        self._lists_timer = QTimer(self)
        live.rows_changed.connect(lambda *_: self._lists_timer.start())
        self._lists_timer.setSingleShot(True)
        self._lists_timer.setInterval(500)
        self._lists_timer.timeout.connect(self._lists)
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._every_second)
        self._tick.start(1000)
        self._focus_i = -1
        self._focus = QTimer(self)
        self._focus.timeout.connect(self.next_focus)
        self._focus.start(FOCUS_EVERY_MS)
        self._every_second()
        if live.loaded:
            self._lists()

    def _on_leave_requested(self) -> None:
        if self.leave_box is not None and self.leave_box.isVisible():
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.windowTitle(),
                          self.tr("Leave the wall display?"), parent=self)
        box.setInformativeText(self.tr("The hall's big screen goes dark until the wall is started again."))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Leave"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("Stay"))
        box.finished.connect(lambda result: self.close() if result == QMessageBox.StandardButton.Yes else None)
        self.leave_box = box
        box.open()

    def _table(self, name: str) -> QTableWidget:
        t = QTableWidget(0, 4)
        t.setObjectName(name)
        t.verticalHeader().setVisible(False)
        t.horizontalHeader().setVisible(False)
        t.setShowGrid(False)
        t.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        t.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        t.setWordWrap(False)              # cut within the last word, not before it ("Help …")
        # nobody scrolls a wall: the bars only took the text's room
        t.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        t.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        t.verticalHeader().setDefaultSectionSize(34)
        t.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        t.setColumnWidth(0, 120)
        t.setColumnWidth(1, 110)
        # the whole case code (operators read it out), as wide as it needs
        t.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        return t

    # ------------------------------------------------------------ content
    def _kpis(self, k) -> None:  # noqa: ANN001
        show_kpis(self.kpi_values, k)
        self.chart.show_streets(k.streets)

    def _lists(self) -> None:
        now = now_utc()
        ref = self.session.reference
        rows = [r for r in self.session.live.rows.values() if r.is_open]
        today = now.astimezone(ZoneInfo(ref.tz)).date()                # the district's calendar day
        for watch, label in self.watch_values.items():                 # the watch tiles (督办, 挂账)
            n = sum(watched(r, watch, now, today) for r in rows)
            label.setText(f"{n:,}")
            label.setStyleSheet("color: #ef4444;" if n and watch == "reply_late" else "")
        newest = sorted(rows, key=lambda r: r.reported_at, reverse=True)[:LIST_ROWS]
        late = sorted((r for r in rows if is_overdue(r, now)), key=lambda r: r.deadline or now)[:LIST_ROWS]
        for table, items, last in ((self.newest, newest, "time"), (self.overdue, late, "late")):
            table.setRowCount(len(items))
            for i, r in enumerate(items):
                street = short_street(self.display.pick(r.street_name, r.street_name_en))
                # the problem, readable from across the hall: in English its category (titles are
                # typed in Chinese), and the street without "Street" so that it is not cut away
                what = r.category_name_en or r.title if self.display.english else r.title
                cells = [self.display.local(r.reported_at).strftime("%H:%M") if last == "time" else countdown(r, now),
                         self.display.named(ref.states.get(r.state)), f"{street} · {what}", r.code]
                for j, text in enumerate(cells):
                    item = QTableWidgetItem(text)
                    if j == 1:
                        item.setForeground(QColor(STATE_COLOURS.get(r.state, "#ccc")))
                    if j == 0 and last == "late":
                        item.setForeground(QColor("#ef4444"))
                    if j == 2 and r.urgency != "normal":
                        item.setForeground(QColor(URGENCY_COLOURS[r.urgency]))
                    table.setItem(i, j, item)

    def next_focus(self) -> None:
        """Rotate the map's focus across the streets (and back to the whole district)."""
        streets = self.session.geometry.streets
        self._focus_i = (self._focus_i + 1) % (len(streets) + 1)
        if self._focus_i == len(streets):
            self.map.show_all()
            self.focus_label.setText(self.display.pick(self.session.reference.district, self.session.reference.district_en))
            return
        a = streets[self._focus_i]
        self.map.focus_area(a.geom)
        rows = [r for r in self.session.live.rows.values() if r.street_id == a.id and r.is_open]
        late = sum(1 for r in rows if is_overdue(r, now_utc()))
        self.focus_label.setText(self.tr("Focus: %1 — %2 open, %3 overdue")
                                 .replace("%1", self.display.pick(a.attrs["name"], a.attrs["name_en"]))
                                 .replace("%2", str(len(rows))).replace("%3", str(late)))

    # ------------------------------------------------------------ freshness
    def _every_second(self) -> None:
        self.clock.setText(self.display.local(datetime.now(UTC)).strftime("%Y-%m-%d  %H:%M:%S"))
        self.check_fresh()

    def is_stale(self) -> bool:
        live = self.session.live
        if not live.state.live or live.last_contact is None:
            return True
        return datetime.now(UTC) - live.last_contact > STALE_AFTER

    def check_fresh(self) -> None:
        live = self.session.live
        state: FeedState = live.state
        if not self.is_stale():
            self.stale.hide()
            self.link.setText("● " + self.tr("LIVE"))
            self.link.setProperty("role", "live")
            self.link.setStyleSheet("color: #22c55e; font-size: 22px; font-weight: bold;")
            return
        as_of = self.display.local(live.last_contact).strftime("%H:%M:%S") if live.last_contact else "—"
        if not state.live and state.message != "connecting":
            text = self.tr("DATABASE UNREACHABLE — showing data as of %1, reconnecting…").replace("%1", as_of)
        elif not live.loaded:
            text = self.tr("Connecting to the database…")
        else:
            text = self.tr("DATA STALE — no contact since %1").replace("%1", as_of)
        self.stale.setText(text)
        self.stale.show()
        self.link.setText("● " + self.tr("OFFLINE"))
        self.link.setStyleSheet("color: #ef4444; font-size: 22px; font-weight: bold;")
