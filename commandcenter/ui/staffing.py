"""Staffing board: grids × the seven roles (+ X forces) for a street or community, names,
on-duty state, vacancies in red, coverage per role; and the people who hold several posts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..store import queries
from .live import LiveData
from .selection import Selection
from .worker import DbWorker

VACANT_BG = QColor("#5c1a1a")
OFF_DUTY = QColor("#8aa0b6")


class StaffingView(QWidget):
    def __init__(self, live: LiveData, worker: DbWorker, selection: Selection, parent: QWidget | None = None,
                 street_scope: int | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("staffing")
        self.live = live
        self.worker = worker
        self.selection = selection
        self.data: queries.Staffing | None = None
        ref = live.reference
        self.street_box = QComboBox()
        self.street_box.setObjectName("staffing-street")
        for sid, n in ref.streets.items():
            # a sub-centre's staff list is its own street (the database shows it no one else)
            if street_scope is None or sid == street_scope:
                self.street_box.addItem(self.live.display.named(n), sid)
        self.community_box = QComboBox()
        self.community_box.setObjectName("staffing-community")
        self.summary = QLabel()
        self.summary.setProperty("role", "muted")
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Street")))
        bar.addWidget(self.street_box)
        bar.addWidget(QLabel(self.tr("Community")))
        bar.addWidget(self.community_box)
        bar.addWidget(self.summary, 1)
        self.grid_table = QTableWidget()
        self.grid_table.setObjectName("staffing-grid")
        self.grid_table.verticalHeader().setDefaultSectionSize(22)
        self.grid_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.grid_table.cellClicked.connect(self._cell_clicked)
        self.people_table = QTableWidget()
        self.people_table.setObjectName("staffing-people")
        self.people_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.people_table.verticalHeader().setVisible(False)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.grid_table, self.tr("Grids × roles"))
        self.tabs.addTab(self.people_table, self.tr("People with several posts"))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(bar)
        lay.addWidget(self.tabs, 1)
        self.street_box.currentIndexChanged.connect(self._street_changed)
        self.community_box.currentIndexChanged.connect(self.reload)
        selection.street_selected.connect(self.show_street)
        self._street_changed()

    def show_street(self, street_id: int) -> None:
        i = self.street_box.findData(street_id)
        if i >= 0:
            self.street_box.setCurrentIndex(i)

    def _street_changed(self) -> None:
        sid = self.street_box.currentData()
        self.community_box.blockSignals(True)
        self.community_box.clear()
        self.community_box.addItem(self.tr("All communities"), None)
        for cid, (street, name) in self.live.reference.communities.items():
            if street == sid:
                self.community_box.addItem(self.live.display.place(name), cid)
        self.community_box.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        sid, cid = self.street_box.currentData(), self.community_box.currentData()
        self.worker.submit(lambda conn: queries.staffing(conn, sid, cid), self._loaded, key="staffing")

    def _loaded(self, s: queries.Staffing) -> None:
        self.data = s
        d = self.live.display
        sep = ", " if d.english else "、"
        core = set(self.live.reference.core_roles)
        roles = [r for r in s.roles if r.code in core]
        x_roles = [r for r in s.roles if r.code not in core]
        t = self.grid_table
        t.clear()
        t.setColumnCount(len(roles) + 2)
        t.setRowCount(len(s.grids) + 1)
        t.setHorizontalHeaderLabels([self.tr("Grid")] + [self.live.display.named(r) for r in roles] + [self.tr("X forces")])
        bold = QFont()
        bold.setBold(True)
        filled_per_role = {r.code: 0 for r in roles}
        vacancies = 0
        for i, g in enumerate(s.grids):
            item = QTableWidgetItem(d.place(g["name"]))
            item.setToolTip(f"{g['code']} · {d.place(g['community_name'])}")
            item.setData(Qt.ItemDataRole.UserRole, g["id"])
            t.setItem(i, 0, item)
            for j, r in enumerate(roles, start=1):
                people = s.posts.get((g["id"], r.code), [])
                if not people:
                    cell = QTableWidgetItem(self.tr("vacant"))
                    cell.setBackground(QBrush(VACANT_BG))
                    vacancies += 1
                else:
                    filled_per_role[r.code] += 1
                    cell = QTableWidgetItem(sep.join(d.person(p["name"]) + ("" if p["on_duty"] else self.tr("(off)"))
                                                     for p in people))
                    cell.setToolTip("\n".join(f"{d.person(p['name'])}  {p['phone'] or ''}" for p in people))
                    if not all(p["on_duty"] for p in people):
                        cell.setForeground(QBrush(OFF_DUTY))
                t.setItem(i, j, cell)
            xs = [d.person(p["name"]) for r in x_roles for p in s.posts.get((g["id"], r.code), [])]
            t.setItem(i, len(roles) + 1, QTableWidgetItem(sep.join(xs)))
        n = max(len(s.grids), 1)
        last = len(s.grids)
        cov = QTableWidgetItem(self.tr("Coverage"))
        cov.setFont(bold)
        t.setItem(last, 0, cov)
        for j, r in enumerate(roles, start=1):
            pct = filled_per_role[r.code] / n
            cell = QTableWidgetItem(f"{filled_per_role[r.code]}/{len(s.grids)}  {pct:.0%}")
            cell.setFont(bold)
            if pct < 1:
                cell.setForeground(QBrush(QColor("#facc15")))
            t.setItem(last, j, cell)
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        t.resizeColumnsToContents()      # a street's few dozen grids: measuring once is cheap
        t.horizontalHeader().setStretchLastSection(True)
        self.vacancies = vacancies
        self.summary.setText(self.tr("%1 grids · %2 vacant posts").replace("%1", str(len(s.grids)))
                             .replace("%2", str(vacancies)))
        p = self.people_table
        p.clear()
        p.setColumnCount(5)
        p.setRowCount(len(s.people))
        p.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Phone"), self.tr("Roles"), self.tr("Grids"),
                                     self.tr("Grid codes")])
        for i, person in enumerate(s.people):
            roles_text = "、".join(person["roles"]) if not self.live.display.english else ", ".join(person["roles_en"])
            for j, v in enumerate((d.person(person["name"]), person["phone"] or "", roles_text, str(person["grids"]),
                                   ", ".join(person["grid_codes"]))):
                p.setItem(i, j, QTableWidgetItem(v))
        p.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)

    def _cell_clicked(self, row: int, _col: int) -> None:
        item = self.grid_table.item(row, 0)
        gid = item.data(Qt.ItemDataRole.UserRole) if item else None
        if gid is not None:
            self.selection.select_grid(gid)
