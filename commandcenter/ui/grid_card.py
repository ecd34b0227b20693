"""The grid card: who serves this grid in each of the seven roles (with contacts), its open
cases and its population figures. Opens when a grid is clicked on the map."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain.cases import now_utc
from ..launch.field import VisitResult, record_visit
from ..store import queries, services
from .actions import refusal_text
from .live import LiveData
from .plain import plain_label
from .selection import Selection
from .services import ServicesPanel
from .theme import STATE_COLOURS
from .worker import DbWorker


class GridCardView(QWidget):
    """`people`: the console may see residents (operators): a search over its street's people."""

    def __init__(self, live: LiveData, worker: DbWorker, selection: Selection, parent: QWidget | None = None,
                 people: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("grid-card")
        self.live = live
        self.worker = worker
        self.selection = selection
        self.grid_id: int | None = None
        self._staff: list[dict[str, Any]] = []
        self.title = plain_label(QLabel(self.tr("Click a grid on the map")))
        self.title.setProperty("role", "title")
        self.facts = plain_label(QLabel())
        self.facts.setWordWrap(True)
        self.staff = QTreeWidget()
        self.staff.setObjectName("grid-staff")
        self.staff.setHeaderLabels([self.tr("Role"), self.tr("Name"), self.tr("Phone"), self.tr("Employer")])
        self.staff.setRootIsDecorated(False)
        self.staff.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.staff.setColumnWidth(0, 130)
        self.cases = QTreeWidget()
        self.cases.setObjectName("grid-cases")
        self.cases.setHeaderLabels([self.tr("Code"), self.tr("State"), self.tr("Title")])
        self.cases.setRootIsDecorated(False)
        self.cases.setColumnWidth(0, 130)
        self.cases.itemActivated.connect(lambda item, _c: self.selection.select_case(item.data(0, Qt.ItemDataRole.UserRole)))
        self.cases.itemClicked.connect(lambda item, _c: self.selection.select_case(item.data(0, Qt.ItemDataRole.UserRole)))
        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addWidget(self.facts)
        lay.addWidget(self.staff, 2)
        # below the staff, one tab at a time: the open cases, and for operators and grid workers
        # the residents and places; the service directory for everyone (requests: operators)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("grid-card-tabs")
        self.tabs.addTab(self.cases, self.tr("Open cases"))
        self.people_search: QLineEdit | None = None
        self.place_list: QTreeWidget | None = None
        self.visits: QTreeWidget | None = None
        if people:
            self._add_people_search()
            self._add_visits()
            self._add_places()
        self.services = ServicesPanel(live, worker, caller_fields=people)
        self.services.requested.connect(self.selection.select_case)
        self.tabs.addTab(self.services, self.tr("Services"))
        lay.addWidget(self.tabs, 3)
        selection.grid_selected.connect(self.show_grid)
        live.events_applied.connect(self._events)

    # ------------------------------------------------------------ the people search
    def _add_people_search(self) -> None:
        self.people_search = QLineEdit()
        self.people_search.setObjectName("people-search")
        self.people_search.setPlaceholderText(
            self.tr("Find a resident: name, pinyin initials, phone ending, ID number or building"))
        self.people_search.setClearButtonEnabled(True)
        self.people = QTreeWidget()
        self.people.setObjectName("people")
        self.people.setHeaderLabels([self.tr("Name"), self.tr("Sex"), self.tr("Born"), self.tr("ID number"),
                                     self.tr("Phone"), self.tr("Work"), self.tr("Education"), self.tr("Marital status"),
                                     self.tr("Address")])
        self.people.setRootIsDecorated(False)
        for column, width in enumerate((96, 44, 52, 170, 112, 80, 80, 70)):    # the masked number whole
            self.people.setColumnWidth(column, width)
        self.people_note = plain_label(QLabel())
        self._people_timer = QTimer(self)
        self._people_timer.setSingleShot(True)
        self._people_timer.setInterval(250)          # typing: one query when the keys pause
        self._people_timer.timeout.connect(self._find_people)
        self.people_search.textEdited.connect(lambda _t: self._people_timer.start())
        self.people_search.returnPressed.connect(self._find_people)
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.addWidget(self.people_search)
        lay.addWidget(self.people_note)
        lay.addWidget(self.people, 1)
        self.tabs.addTab(page, self.tr("Residents"))

    # ------------------------------------------------------------ visits (九必访, 民情日志)
    def _add_visits(self) -> None:
        self.visits = QTreeWidget()
        self.visits.setObjectName("visit-duties")
        self.visits.setHeaderLabels([self.tr("Household"), self.tr("People"), self.tr("Last visit"), self.tr("Due")])
        self.visits.setRootIsDecorated(False)
        for column, width in enumerate((200, 60, 130)):
            self.visits.setColumnWidth(column, width)
        self.visit_note = QLineEdit()
        self.visit_note.setObjectName("visit-note")
        self.visit_note.setPlaceholderText(self.tr("What was seen or done at the door"))
        self.visit_note.setMaxLength(self.live.reference.limits.get("note_chars", 1000))
        self.visit_report = QComboBox()
        self.visit_report.setObjectName("visit-report")
        self.visit_report.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.visit_report.setMinimumContentsLength(12)
        self.visit_report.addItem(self.tr("No case to report"), None)
        d = self.live.display
        for code, (named, _parents) in self.live.reference.items.items():
            if code.startswith("0301"):            # 九必报: what a visit must report
                self.visit_report.addItem(self.tr("Report: %1").replace("%1", d.named(named)), code)
        self.visit_button = QPushButton(self.tr("Record visit"))
        self.visit_button.setObjectName("record-visit")
        self.diary_button = QPushButton(self.tr("Diary entry"))
        self.diary_button.setObjectName("record-diary")
        self.visit_button.clicked.connect(lambda: self._record_visit("visit"))
        self.diary_button.clicked.connect(lambda: self._record_visit("diary"))
        self.visit_status = plain_label(QLabel())
        self.visit_status.setWordWrap(True)
        row = QHBoxLayout()                  # the note on a line of its own: the card stays narrow
        row.addWidget(self.visit_report, 1)
        row.addWidget(self.visit_button)
        row.addWidget(self.diary_button)
        self.visits_page = page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.addWidget(self.visit_status)
        lay.addWidget(self.visits, 1)
        lay.addWidget(self.visit_note)
        lay.addLayout(row)
        self.tabs.addTab(page, self.tr("Visits"))

    def _load_visits(self, grid_id: int) -> None:
        self.worker.submit(lambda conn: queries.visit_duties(conn, grid_id), lambda v: self._visits_came(grid_id, v),
                           lambda exc: self.visit_status.setText(refusal_text(exc)), key="visit-duties")

    def _visits_came(self, grid_id: int, households: list[dict[str, Any]]) -> None:
        if grid_id != self.grid_id or self.visits is None:
            return
        d = self.live.display
        now = now_utc()
        self.visits.clear()
        for h in households:
            due = h["visit_due"]
            item = QTreeWidgetItem([f"{h['building']} {h['door']}", str(h["members"]),
                                    d.stamp(h["last_visit_at"]) if h["last_visit_at"] else self.tr("never"),
                                    d.stamp(due) if due else ""])
            item.setData(0, Qt.ItemDataRole.UserRole, h["id"])
            if due is not None and due < now:
                item.setForeground(3, QColor("#ef4444"))
            self.visits.addTopLevelItem(item)
        overdue = sum(1 for h in households if h["visit_due"] is not None and h["visit_due"] < now)
        manager = next((s["name"] for s in self._staff if s["role"] == "grid_manager" and s["person_id"]), None)
        self.visit_status.setText(
            self.tr("Must-visit households %1, overdue %2").replace("%1", str(len(households)))
            .replace("%2", str(overdue))
            + (" · " + self.tr("grid manager %1").replace("%1", d.person(manager)) if manager else ""))
        self.tabs.setTabText(self.tabs.indexOf(self.visits_page),
                             self.tr("Visits: %1 overdue").replace("%1", str(overdue)) if overdue else self.tr("Visits"))

    def _record_visit(self, kind: str) -> None:
        assert self.visits is not None
        chosen = self.visits.currentItem()
        if chosen is None:
            self.visit_status.setText(self.tr("Choose the household first"))
            return
        household = int(chosen.data(0, Qt.ItemDataRole.UserRole))
        note = self.visit_note.text()
        report = self.visit_report.currentData() if kind == "visit" else None
        grid_id = self.grid_id
        self.visit_button.setEnabled(False)
        self.diary_button.setEnabled(False)
        self.worker.submit(lambda conn: record_visit(conn, household, note, kind, report),
                           lambda r: self._visit_recorded(grid_id, r), self._visit_refused, retry=False,
                           receiver=self)

    def _visit_recorded(self, grid_id: int | None, result: VisitResult) -> None:
        self.visit_button.setEnabled(True)
        self.diary_button.setEnabled(True)
        self.visit_note.clear()
        self.visit_report.setCurrentIndex(0)
        if result.case_id is not None:
            self.selection.select_case(result.case_id)
        if grid_id is not None and grid_id == self.grid_id:
            self.show_grid(grid_id)
        self.visit_status.setText(self.tr("Recorded") + (f" · {result.case_code}" if result.case_code else ""))

    def _visit_refused(self, exc: Exception) -> None:
        """Refused (a blank note, another street, the daily bound): why, with the note kept."""
        self.visit_button.setEnabled(True)
        self.diary_button.setEnabled(True)
        self.visit_status.setText(refusal_text(exc))

    # ------------------------------------------------------------ places and organisations
    def _add_places(self) -> None:
        self.place_search = QLineEdit()
        self.place_search.setObjectName("place-search")
        self.place_search.setPlaceholderText(self.tr("Find a place or organisation of your street: name, "
                                                     "pinyin initials or address"))
        self.place_search.setClearButtonEnabled(True)
        self.place_search.returnPressed.connect(self._find_places)
        self.place_list = QTreeWidget()
        self.place_list.setObjectName("places")
        self.place_list.setHeaderLabels([self.tr("Name"), self.tr("Kind"), self.tr("Phone"), self.tr("Contact"),
                                         self.tr("Address")])
        self.place_list.setRootIsDecorated(False)
        for column, width in enumerate((170, 110, 110, 70)):
            self.place_list.setColumnWidth(column, width)
        self.place_note = plain_label(QLabel())
        self._kinds: dict[tuple[str, str], str] = {}
        self._place_rows: list[dict[str, Any]] = []
        self.worker.submit(services.kind_names, self._kinds_came, key="place-kinds")
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.addWidget(self.place_search)
        lay.addWidget(self.place_note)
        lay.addWidget(self.place_list, 1)
        self.tabs.addTab(page, self.tr("Places"))

    def _find_places(self) -> None:
        text = self.place_search.text().strip()
        if not text:
            if self.grid_id is not None:
                self._load_places(self.grid_id)
            return
        self.worker.submit(lambda conn: services.find_places(conn, text), self._places_found,
                           lambda exc: self.place_note.setText(str(exc)), key="place-search")

    def _load_places(self, grid_id: int) -> None:
        self.worker.submit(lambda conn: services.grid_places(conn, grid_id), self._places_found,
                           lambda exc: self.place_note.setText(str(exc)), key="grid-places")

    def _places_found(self, rows: list[dict[str, Any]]) -> None:
        assert self.place_list is not None
        self._place_rows = rows
        kinds = self._kinds
        self.place_list.clear()
        for r in rows:
            kind = kinds.get((r["what"], r["kind"]), r["kind"])
            item = QTreeWidgetItem([r["name"], kind, r.get("phone") or "", self.live.display.person(r.get("contact") or ""),
                                    r["address"]])
            self.place_list.addTopLevelItem(item)
        self.place_note.setText(self.tr("%1 places and organisations").replace("%1", str(len(rows))))

    def _kinds_came(self, names: dict[tuple[str, str], tuple[str, str]]) -> None:
        self._kinds.update({k: self.live.display.pick(*v) for k, v in names.items()})
        self._places_found(self._place_rows)

    def _find_people(self) -> None:
        assert self.people_search is not None
        self._people_timer.stop()
        text = self.people_search.text().strip()
        if not text:
            self.people.clear()
            self.people_note.setText("")
            return
        self.worker.submit(lambda conn: queries.find_people(conn, text), self._people_found,
                           lambda exc: self.people_note.setText(str(exc)), key="people-search")

    def _people_found(self, rows: list[dict[str, Any]]) -> None:
        d = self.live.display
        self.people.clear()
        sexes = {"f": self.tr("F"), "m": self.tr("M")}
        for r in rows:
            codes = self.live.reference.resident_codes
            item = QTreeWidgetItem([d.person(r["name"]), sexes.get(r["gender"], ""), str(r["birth_year"]),
                                    r["id_masked"], r["phone"] or "",
                                    *(d.named(codes.get((field, r[field] or ""))) for field in
                                      ("employment", "education", "marital")),
                                    r["address"]])
            item.setData(0, Qt.ItemDataRole.UserRole, r["grid_id"])
            self.people.addTopLevelItem(item)
        self.people_note.setText(self.tr("%1 found (your street only; at most 20)").replace("%1", str(len(rows))))

    def show_grid(self, grid_id: int) -> None:
        self.grid_id = grid_id
        self.worker.submit(lambda conn: queries.grid_card(conn, grid_id), self._loaded, key="grid-card")
        if self.place_list is not None and not self.place_search.text().strip():
            self._load_places(grid_id)
        if self.visits is not None:
            self._load_visits(grid_id)

    def _events(self, events: list) -> None:
        if self.grid_id is not None:
            grids = {r.grid_id for e in events if (r := self.live.rows.get(e.case_id)) is not None}
            if self.grid_id in grids:          # the card's cases and counts; its lists stay
                grid_id = self.grid_id
                self.worker.submit(lambda conn: queries.grid_card(conn, grid_id), self._loaded, key="grid-card")

    def _base_text(self, g: dict[str, Any]) -> str:
        """The grid information base in counts (names are for those allowed, elsewhere)."""
        b = g.get("base")
        if b is None:
            return ""
        if b["residents"] == 0:
            return "\n" + self.tr("Information base: not loaded (commandcenter demo base)")
        d = self.live.display
        text = ("\n" + self.tr("Information base: %1 residents (registered %2 · permanent %3 · floating %4) "
                               "in %5 households, %6 buildings · must-visit households %7, overdue %8")
                .replace("%1", f"{b['residents']:,}").replace("%2", f"{b['registered']:,}")
                .replace("%3", f"{b['permanent']:,}").replace("%4", f"{b['floating']:,}")
                .replace("%5", f"{b['households']:,}").replace("%6", f"{b['buildings']:,}")
                .replace("%7", f"{b['must_visit']:,}").replace("%8", f"{b['visits_overdue']:,}"))
        if g["special"]:
            text += "\n" + " · ".join(f"{d.pick(s['name'], s['name_en'])} {s['n']:,}" for s in g["special"])
        p = g.get("places")
        if p is not None and (p["places"] or p["organisations"]):
            text += "\n" + (self.tr("Places %1 (key places %2) · organisations %3")
                            .replace("%1", f"{p['places']:,}").replace("%2", f"{p['key_places']:,}")
                            .replace("%3", f"{p['organisations']:,}"))
        return text

    def _loaded(self, g: dict[str, Any] | None) -> None:
        d = self.live.display
        if g is None or g["id"] != self.grid_id:
            return
        self.title.setText(f"{d.place(g['name'])}  ({g['code']})")
        self.facts.setText(
            f"{d.pick(g['street_name'], g['street_name_en'])} / {d.place(g['community_name'])} · "
            f"{d.pick(g['type_name'], g['type_name_en'])} · {d.pick(g['level_name'], g['level_name_en'])}\n"
            + self.tr("Population %1 · households %2 · buildings %3 · area %4 km²")
            .replace("%1", f"{g['population']:,}").replace("%2", f"{g['households']:,}")
            .replace("%3", str(g["buildings"])).replace("%4", f"{g['area_m2'] / 1e6:.2f}")
            + self._base_text(g))
        self._staff = g["staff"] if g["in_scope"] else []
        self.staff.clear()
        if not g["in_scope"]:
            item = QTreeWidgetItem([self.tr("Another street's grid: its staff are not shown to your sub-centre"), "", "", ""])
            item.setFirstColumnSpanned(True)
            self.staff.addTopLevelItem(item)
        for s in (g["staff"] if g["in_scope"] else []):
            role = d.pick(s["role_name"], s["role_name_en"])
            if s["person_id"] is None:
                item = QTreeWidgetItem([role, self.tr("VACANT"), "", ""])
                item.setForeground(1, Qt.GlobalColor.red)
            else:
                name = d.person(s["name"]) + ("" if s["on_duty"] else self.tr(" (off duty)"))
                item = QTreeWidgetItem([role, name, s["phone"] or "", d.place(s["employer"])])
            self.staff.addTopLevelItem(item)
        self.cases.clear()
        ref = self.live.reference
        for c in g["open_cases"]:
            item = QTreeWidgetItem([c["code"], d.named(ref.states.get(c["state"])), c["title"]])
            item.setData(0, Qt.ItemDataRole.UserRole, c["id"])

            item.setForeground(1, QColor(STATE_COLOURS.get(c["state"], "#ccc")))
            if c["overdue"]:
                item.setForeground(0, QColor("#ef4444"))
            self.cases.addTopLevelItem(item)
        self.tabs.setTabText(0, self.tr("Open cases: %1").replace("%1", str(len(g["open_cases"]))))
        if g["centre"]:
            self.services.set_place(*g["centre"])
