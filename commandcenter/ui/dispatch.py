"""Dispatch and re-dispatch: the recommended assignee first (the grid's staff member in the
role the category calls for, or the routed unit), every candidate with its open load, and the
deadline preset from the category's time limit. Several cases at once: each goes to its own
recommended assignee, or all to the one chosen."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg
from PySide6.QtCore import QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain.display import Display
from ..store import queries
from .worker import DbWorker

KIND_ROLE = Qt.ItemDataRole.UserRole + 1


class DispatchDialog(QDialog):
    submitted = Signal(list)    # params per case, in the order of the cases given

    def __init__(self, worker: DbWorker, action: str, cases: list[dict[str, Any]], parent: QWidget | None = None,
                 *, note_chars: int, display: Display) -> None:
        super().__init__(parent)
        self.display = display
        self.setObjectName("dispatch-dialog")
        self.worker = worker
        self.cases = cases
        self.options: dict[int, list[dict[str, Any]]] = {}
        codes = ", ".join(c["code"] for c in cases[:6]) + (" …" if len(cases) > 6 else "")
        self.setWindowTitle((self.tr("Dispatch") if action == "dispatch" else self.tr("Re-dispatch")) + f" — {codes}")
        self.resize(720, 520)

        self.info = QLabel(self.tr("Loading candidates…"))
        self.tree = QTreeWidget()
        self.tree.setObjectName("dispatch-candidates")
        self.tree.setHeaderLabels([self.tr("Assignee"), self.tr("Role / department"), self.tr("Phone"),
                                   self.tr("Open cases"), self.tr("Recommended")])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.each = QCheckBox(self.tr("Each case to its own recommended assignee"))
        self.each.setObjectName("dispatch-each")
        self.each.setVisible(len(cases) > 1)
        self.each.setChecked(len(cases) > 1)
        self.each.toggled.connect(lambda on: self.tree.setEnabled(not on))
        self.deadline = QDateTimeEdit()
        self.deadline.setObjectName("dispatch-deadline")
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.note = QLineEdit()
        self.note.setObjectName("dispatch-note")
        self.note.setMaxLength(note_chars)       # cc.input_limit note_chars
        self.note.setPlaceholderText(self.tr("Instructions for the assignee (optional)"))
        form = QFormLayout()
        form.addRow(self.tr("Handling deadline"), self.deadline)
        form.addRow(self.tr("Note"), self.note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Dispatch"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.info)
        lay.addWidget(self.each)
        lay.addWidget(self.tree, 1)
        lay.addLayout(form)
        lay.addWidget(self.buttons)
        self.tree.itemDoubleClicked.connect(lambda *_: self._submit())

        ids = [c["id"] for c in cases]

        def load(conn: psycopg.Connection) -> dict[int, list[dict[str, Any]]]:
            out = {}
            for cid in ids:
                try:
                    out[cid] = queries.dispatch_options(conn, cid)
                except psycopg.Error:
                    conn.rollback()
                    out[cid] = []
            return out

        worker.submit(load, self._loaded, self._failed)

    def _failed(self, exc: Exception) -> None:
        self.info.setText(self.tr("Could not load candidates: %1").replace("%1", str(exc)))

    def _loaded(self, options: dict[int, list[dict[str, Any]]]) -> None:
        self.options = options
        first = options.get(self.cases[0]["id"], [])
        self.tree.clear()
        chosen = None
        for o in first:
            item = QTreeWidgetItem([o["name"], self.display.pick(o["detail"], o["detail_en"]), o["phone"] or "",
                                    str(o["open_load"]), "★" if o["recommended"] else ""])
            item.setData(0, KIND_ROLE, (o["kind"], o["id"]))
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight)
            self.tree.addTopLevelItem(item)
            if o["recommended"] and chosen is None:
                chosen = item
        if chosen is None and self.tree.topLevelItemCount():
            chosen = self.tree.topLevelItem(0)
        if chosen is not None:
            self.tree.setCurrentItem(chosen)
        if first:
            due = self.display.local(first[0]["deadline"])
            self.deadline.setDateTime(QDateTime(QDate(due.year, due.month, due.day), QTime(due.hour, due.minute)))
        self.info.setText(self.tr("Recommended first: the grid role or the routed unit the category calls for. "
                                  "Open cases show each candidate's current load."))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(first))

    def choose(self, kind: str, ident: int) -> bool:
        """Select a candidate (keyboard, tests)."""
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item is not None and item.data(0, KIND_ROLE) == (kind, ident):
                self.tree.setCurrentItem(item)
                return True
        return False

    def params_per_case(self) -> list[dict[str, Any]]:
        note = self.note.text().strip() or None
        if self.each.isChecked() and len(self.cases) > 1:
            out = []
            for c in self.cases:
                rec = next((o for o in self.options.get(c["id"], []) if o["recommended"]), None)
                if rec is None:
                    out.append({"note": note})     # the database will say what is missing
                else:
                    key = "person_id" if rec["kind"] == "person" else "unit_id"
                    out.append({key: rec["id"], "note": note})
            return out
        item = self.tree.currentItem()
        if item is None:                      # OK is enabled only with a candidate chosen
            return []
        kind, ident = item.data(0, KIND_ROLE)
        chosen = self.deadline.dateTime()
        day, clock = chosen.date(), chosen.time()
        deadline = datetime(day.year(), day.month(), day.day(), clock.hour(), clock.minute(), tzinfo=self.display.zone)
        key = "person_id" if kind == "person" else "unit_id"
        return [{key: ident, "deadline": deadline, "note": note} for _ in self.cases]

    def _submit(self) -> None:
        if self.tree.currentItem() is None and not self.each.isChecked():
            return
        self.submitted.emit(self.params_per_case())
        self.accept()
