"""Taking a call (接警/受理), keyboard first: who calls, where (a place found by Chinese, pinyin
or initials, or a click on the map), what (a category item found the same way), how urgent —
and, before anything is opened, the open cases of the same item nearby, to which the call can
be added as a repeat report instead. Everything it submits goes through the SQL functions; a
refusal is shown and nothing typed is lost."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import psycopg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain.search import Entry, SearchIndex, entry
from ..store import queries
from ..store.commands import Workflow
from .actions import refusal_text
from .services import ServicesPanel
from .session import Session

KEY_ROLE = Qt.ItemDataRole.UserRole + 1


def place_entries(session: Session) -> list[Entry]:
    """Streets, communities and grids, each with its parents' names."""
    geo = session.geometry
    streets = {a.id: a.name for a in geo.streets}
    communities = {a.id: a.name for a in geo.communities}
    return ([entry("street", a.id, a.name, a.attrs.get("name_en") or "") for a in geo.streets]
            + [entry("community", a.id, a.name, "", (streets.get(a.attrs["street_id"], ""),)) for a in geo.communities]
            + [entry("grid", a.id, a.name, "", (communities.get(a.attrs["community_id"], ""),
                                                 streets.get(a.attrs["street_id"], ""))) for a in geo.grids])


def item_entries(session: Session) -> list[Entry]:
    return [entry("item", code, n.name, n.name_en, ctx) for code, (n, ctx) in session.reference.items.items()]


def warm_up(session: Session) -> None:
    """Worker thread, once per session: the pinyin of every name (~0.5 s for a district) is
    computed and cached here, so the dialog opens on Ctrl+N without the GUI thread waiting."""
    place_entries(session)
    item_entries(session)


class _Finder(QWidget):
    """A search line over an index with its results below: Down or Enter goes to the results,
    Enter on a result chooses it."""
    chosen = Signal(object)     # Entry

    def __init__(self, index: SearchIndex, placeholder: str, kinds: tuple[str, ...] | None,
                 label: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index, self.kinds, self.label = index, kinds, label
        self._height_before: int | None = None
        self.line = QLineEdit()
        self.line.setPlaceholderText(placeholder)
        self.results = QListWidget()
        self.results.setMaximumHeight(110)
        self.results.hide()                 # shown while there is something to choose
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.line)
        lay.addWidget(self.results)
        self.line.textChanged.connect(self._search)
        self.line.returnPressed.connect(self._enter_from_line)
        self.results.itemActivated.connect(self._activated)
        self.line.installEventFilter(self)

    def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt's name
        if obj is self.line and event.type() == event.Type.KeyPress and event.key() == Qt.Key.Key_Down \
                and self.results.count():
            self.results.setFocus()
            self.results.setCurrentRow(0)
            return True
        return super().eventFilter(obj, event)

    def _search(self, text: str) -> None:
        self.results.clear()
        for e in self.index.find(text, limit=12, kinds=self.kinds):
            item = QListWidgetItem(self.label(e))
            item.setData(KEY_ROLE, e)
            self.results.addItem(item)
        if self.results.isHidden() and self.results.count():
            self._height_before = self.window().height()        # restored once a result is chosen
        self.results.setVisible(self.results.count() > 0)

    def _enter_from_line(self) -> None:
        if self.results.count():
            self._activated(self.results.item(0))

    def _activated(self, item: QListWidgetItem) -> None:
        self.chosen.emit(item.data(KEY_ROLE))
        # chosen: the list folds away and the dialog back to its height, so the fields below
        # are where they were before the search (they moved down by the list's height)
        self.results.hide()
        window = self.window()
        if window is not self and self._height_before is not None:
            for lay in (self.layout(), window.layout()):     # the hidden list leaves them now, not later
                if lay is not None:
                    lay.invalidate()
                    lay.activate()
            window.resize(window.width(), max(self._height_before, window.minimumSizeHint().height()))
            self._height_before = None


class IntakeDialog(QDialog):
    """One call, from first key to a filed case (or a repeat report on an open one)."""
    opened = Signal(int)        # the new case id
    repeated = Signal(int)      # the case a repeat report was added to

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intake-dialog")
        self.session = session
        self.display = d = session.display
        ref = session.reference
        self.setWindowTitle(self.tr("Take a call"))
        self.started = time.monotonic()
        self.point: tuple[float, float] | None = None
        self.place_name = ""
        self.grid_id: int | None = None
        self.item_code: str | None = None
        self.busy = False

        self.clock = QLabel()
        self.clock.setObjectName("intake-clock")
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._show_clock)
        self._tick.start(1000)
        self._show_clock()

        self.source = QComboBox()
        for code, n in ref.sources.items():
            self.source.addItem(d.named(n), code)
        self.source.setCurrentIndex(max(self.source.findData("hotline"), 0))
        self.caller = QLineEdit()
        self.caller.setMaxLength(ref.limits.get("caller_name_chars", 50))
        self.phone = QLineEdit()
        self.phone.setMaxLength(ref.limits.get("caller_phone_chars", 30))
        for w in (self.caller, self.phone):
            w.setEnabled(session.basics.callers_visible)     # the column grants decide, not the dialog

        geo = session.geometry
        self.places = SearchIndex(place_entries(session))
        self.anchors = {(kind, a.id): a.anchor for kind, areas in (("street", geo.streets), ("community", geo.communities),
                                                                   ("grid", geo.grids)) for a in areas}
        street_en = {n.name: n.name_en for n in ref.streets.values() if n.name_en}
        self.place_label = lambda name: (street_en.get(name) or d.place(name)) if d.english else name
        self.place = _Finder(self.places, self.tr("Street, community or grid — Chinese, pinyin or initials"), None,
                             lambda e: " / ".join(self.place_label(n) for n in [e.name, *e.context] if n))
        self.place.setObjectName("intake-place")
        self.where = QLabel(self.tr("Not chosen yet: search a place, or click the map"))
        self.where.setObjectName("intake-where")
        self.items = SearchIndex(item_entries(session))
        self.category = _Finder(self.items, self.tr("Category — Chinese, pinyin, initials or English"), ("item",),
                                lambda e: f"{d.pick(e.name, e.name_en)}  · {d.pick(*e.context[:2])}")
        self.category.setObjectName("intake-category")
        self.what = QLabel("—")
        self.urgency = QComboBox()
        for code, n in ref.urgencies.items():
            self.urgency.addItem(d.named(n), code)
        self.title = QLineEdit()
        self.title.setMaxLength(ref.limits.get("title_chars", 200))
        self.description = QPlainTextEdit()
        self.description.setMaximumHeight(80)

        self.duplicates = QTreeWidget()
        self.duplicates.setObjectName("intake-duplicates")
        self.duplicates.setHeaderLabels([self.tr("Case"), self.tr("Title"), self.tr("State"), self.tr("Distance"),
                                         self.tr("Reports")])
        self.duplicates.setRootIsDecorated(False)
        self.duplicates.setColumnWidth(0, 150)
        self.duplicates.setColumnWidth(1, 260)
        self.duplicates.setMaximumHeight(130)
        self.dup_label = QLabel(self.tr("Possible duplicates: choose a place and a category"))

        # a call for a service (老人订餐, 家政维修, 就医协助): the nearest open contracted providers
        self.services = ServicesPanel(session.live, session.worker, caller=self._service_caller)
        self.services.setMinimumHeight(170)
        self.services.hide()
        self.services.requested.connect(self._opened)

        self.banner = QLabel()
        self.banner.setObjectName("intake-banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.file_button = QPushButton(self.tr("Report and file  Ctrl+Enter"))
        self.file_button.setObjectName("intake-file")
        self.report_button = QPushButton(self.tr("Report only"))
        self.repeat_button = QPushButton(self.tr("Add to the chosen case  Ctrl+D"))
        self.repeat_button.setObjectName("intake-repeat")
        cancel = QPushButton(self.tr("Cancel"))

        form = QFormLayout()
        form.addRow(self.tr("Source"), self.source)
        callers = QHBoxLayout()
        callers.addWidget(self.caller)
        callers.addWidget(self.phone)
        form.addRow(self.tr("Caller, phone"), callers)
        form.addRow(self.tr("Where"), self.place)
        form.addRow("", self.where)
        form.addRow(self.tr("What"), self.category)
        form.addRow("", self.what)
        form.addRow(self.tr("Urgency"), self.urgency)
        form.addRow(self.tr("Title"), self.title)
        form.addRow(self.tr("Description"), self.description)
        buttons = QHBoxLayout()
        for b in (self.file_button, self.report_button, self.repeat_button, cancel):
            buttons.addWidget(b)
        lay = QVBoxLayout(self)
        lay.addWidget(self.clock)
        lay.addLayout(form)
        lay.addWidget(self.dup_label)
        lay.addWidget(self.duplicates)
        lay.addWidget(self.services)
        lay.addWidget(self.banner)
        lay.addLayout(buttons)

        self.place.chosen.connect(self._place_chosen)
        self.category.chosen.connect(self._item_chosen)
        session.selection.point_picked.connect(self._point_picked)
        self.duplicates.itemSelectionChanged.connect(self._update_buttons)
        self.file_button.clicked.connect(lambda: self.submit(file=True))
        self.report_button.clicked.connect(lambda: self.submit(file=False))
        self.repeat_button.clicked.connect(self.add_to_chosen)
        cancel.clicked.connect(self.reject)
        # Ctrl+D also from fields that take plain letters (a combo box searches its items by them)
        add = QShortcut(QKeySequence("Ctrl+D"), self)
        add.setContext(Qt.ShortcutContext.WindowShortcut)
        add.activated.connect(self.add_to_chosen)
        self._update_buttons()
        if session.basics.callers_visible:
            self.caller.setFocus()
        else:
            self.place.line.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """Ctrl+Enter files, Ctrl+D adds the call to the chosen case, from any field (keys the
        fields do not use come up to the dialog); a plain Enter never submits by accident."""
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if ctrl and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit(file=True)
        elif ctrl and event.key() == Qt.Key.Key_D:
            self.add_to_chosen()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
        else:
            super().keyPressEvent(event)

    # ------------------------------------------------------------ where and what
    def _show_clock(self) -> None:
        secs = int(time.monotonic() - self.started)
        self.clock.setText(self.tr("Call time %1").replace("%1", f"{secs // 60:02d}:{secs % 60:02d}"))

    def _place_chosen(self, e: Entry) -> None:
        area_id = e.key
        assert isinstance(area_id, int)
        x, y = self.anchors[(e.kind, area_id)]
        lon, lat = self.session.geometry.projection.points_to_lonlat(np.array([[x, y]]))[0]
        self.grid_id = area_id if e.kind == "grid" else None
        self._set_point(float(lon), float(lat), " / ".join(n for n in [e.name, *e.context] if n))
        self.category.line.setFocus()

    def choose_point(self, lon: float, lat: float) -> None:
        """The call is about this point (a map click does the same)."""
        self._point_picked(lon, lat)

    def choose_item_named(self, name: str) -> None:
        """The category item by its Chinese name (screenshots, tests)."""
        for e in self.items.entries:
            if e.name == name:
                self._item_chosen(e)
                return

    def _point_picked(self, lon: float, lat: float) -> None:
        self.grid_id = None                     # the database finds the grid from the point
        geo = self.session.geometry
        x, y = geo.projection.points_to_metres(np.array([lon]), np.array([lat]))[0]
        grid = geo.grid_at(float(x), float(y))
        if grid is None:
            self._set_point(lon, lat, self.tr("Point on the map"))
            return
        streets = {a.id: a.name for a in geo.streets}
        communities = {a.id: a.name for a in geo.communities}
        self._set_point(lon, lat, " / ".join([grid.name, communities.get(grid.attrs["community_id"], ""),
                                              streets.get(grid.attrs["street_id"], "")]))

    def _set_point(self, lon: float, lat: float, text: str) -> None:
        self.point = (lon, lat)
        self.place_name = text.split(" / ")[0]        # the place itself, for the title (stored in Chinese)
        shown = " / ".join(self.place_label(n) for n in text.split(" / "))
        self.where.setText(f"{shown}  ({lon:.6f}, {lat:.6f})")
        self._refresh_duplicates()
        self._default_title()
        if not self.services.isHidden():
            self.services.set_place(lon, lat)

    def _item_chosen(self, e: Entry) -> None:
        self.item_code = str(e.key)
        self.what.setText(self.display.pick(e.name, e.name_en))
        self._default_title()
        self._refresh_duplicates()
        self._offer_services()
        self.urgency.setFocus()

    def _offer_services(self) -> None:
        """A service item chosen: its providers, nearest the caller first (once a place is known)."""
        codes = [code for code, (_n, _c, case_item) in self.session.reference.service_items.items()
                 if case_item == self.item_code]
        self.services.setVisible(bool(codes))
        if codes:
            self.services.show_items(codes)
            if self.point is not None:
                self.services.set_place(*self.point)

    def _service_caller(self) -> tuple[str | None, str | None, str]:
        name, phone = self._caller()
        return name, phone, self.description.toPlainText().strip()

    def _default_title(self) -> None:
        if self.item_code is None or self.title.isModified():
            return
        named, _ctx = self.session.reference.items[self.item_code]
        where = self.place_name
        self.title.setText(f"{named.name}（{where}）" if where else named.name)

    def _refresh_duplicates(self) -> None:
        if self.point is None or self.item_code is None:
            return
        lon, lat = self.point
        code = self.item_code
        self.session.worker.submit(lambda conn: queries.nearby_open_cases(conn, lon, lat, code),
                                   self._show_duplicates, self._failed, key="intake-duplicates", receiver=self)

    def _show_duplicates(self, rows: list[dict[str, Any]]) -> None:
        self.duplicates.clear()
        ref = self.session.reference
        for r in rows:
            item = QTreeWidgetItem([r["code"], r["title"], self.display.named(ref.states.get(r["state"])),
                                    f"{r['distance_m']} m", str(r["repeat_count"] + 1)])
            item.setData(0, KEY_ROLE, r["id"])
            self.duplicates.addTopLevelItem(item)
        self.dup_label.setText(self.tr("Possible duplicates: %n open case(s) of this item nearby", "", len(rows)))
        first = self.duplicates.topLevelItem(0)
        if first is not None:
            self.duplicates.setCurrentItem(first)
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = self.point is not None and self.item_code is not None and not self.busy
        self.file_button.setEnabled(ready)
        self.report_button.setEnabled(ready)
        self.repeat_button.setEnabled(not self.busy and self.duplicates.currentItem() is not None)

    # ------------------------------------------------------------ submitting
    def _caller(self) -> tuple[str | None, str | None]:
        if not self.session.basics.callers_visible:
            return None, None
        return self.caller.text().strip() or None, self.phone.text().strip() or None

    def submit(self, file: bool) -> None:
        if self.busy or self.point is None or self.item_code is None:
            return
        lon, lat = self.point
        name, phone = self._caller()
        source, code, grid = self.source.currentData(), self.item_code, self.grid_id
        title = self.title.text().strip()
        description = self.description.toPlainText().strip()
        urgency = self.urgency.currentData()

        def run(conn: psycopg.Connection) -> int:
            wf = Workflow(conn)
            case_id = wf.report(source, code, title, lon, lat, description=description, urgency=urgency,
                                grid_id=grid, reporter_name=name, reporter_phone=phone)
            if file:
                wf.file(case_id, 1)
            return case_id

        self._start()
        self.session.worker.submit(run, self._opened, self._failed, retry=False, receiver=self)

    def add_to_chosen(self) -> None:
        chosen = self.duplicates.currentItem()
        if self.busy or chosen is None:
            return
        case_id = int(chosen.data(0, KEY_ROLE))
        name, phone = self._caller()
        source = self.source.currentData()
        note = self.description.toPlainText().strip() or None
        self._start()
        self.session.worker.submit(
            lambda conn: (Workflow(conn).add_repeat_report(case_id, source, note, reporter_name=name,
                                                           reporter_phone=phone), case_id)[1],
            self._repeated, self._failed, retry=False, receiver=self)

    def _start(self) -> None:
        self.busy = True
        self.banner.hide()
        self._update_buttons()

    def _opened(self, case_id: int) -> None:
        self.busy = False
        self.opened.emit(case_id)
        self.session.selection.select_case(case_id)
        self.accept()

    def _repeated(self, case_id: int) -> None:
        self.busy = False
        self.repeated.emit(case_id)
        self.session.selection.select_case(case_id)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        """Refused or failed: say why, keep everything typed."""
        self.busy = False
        self.banner.setText(refusal_text(exc))
        self.banner.show()
        self._update_buttons()
