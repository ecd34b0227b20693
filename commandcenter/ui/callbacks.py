"""Callbacks to make (回访): hotline cases closed, their callers to be called back. The database
makes each task when a case closes and decides what an answer does (cc.record_callback); this
view lists what is due and records what the operator heard."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..store import queries
from ..store.commands import Workflow
from ..store.events import CaseEvent
from .actions import refusal_text
from .session import Session


class CallbacksView(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callbacks")
        self.session = session
        self.rows: list[dict[str, Any]] = []
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("callbacks-table")
        self.table.setHorizontalHeaderLabels([self.tr("Case"), self.tr("Title"), self.tr("Caller"), self.tr("Phone"),
                                              self.tr("Due"), self.tr("Tries")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.satisfaction = QSpinBox()
        self.satisfaction.setRange(1, 5)
        self.satisfaction.setValue(5)
        self.satisfaction.setToolTip(self.tr("1 = very dissatisfied, 5 = very satisfied"))
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("What the caller said (optional)"))
        self.note.setMaxLength(session.reference.limits["note_chars"])
        self.reached = QPushButton(self.tr("Reached"))
        self.reached.setObjectName("callback-reached")
        self.unreached = QPushButton(self.tr("Not reached"))
        self.unreached.setObjectName("callback-unreached")
        self.message = QLabel()
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Satisfaction")))
        row.addWidget(self.satisfaction)
        row.addWidget(self.note, 1)
        row.addWidget(self.reached)
        row.addWidget(self.unreached)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table, 1)
        lay.addLayout(row)
        lay.addWidget(self.message)
        self.reached.clicked.connect(lambda: self.record(True))
        self.unreached.clicked.connect(lambda: self.record(False))
        self.table.itemSelectionChanged.connect(self._update_buttons)
        # only operators call residents back: the column grants say who that is
        self.setEnabled(session.basics.callers_visible)
        if not session.basics.callers_visible:
            self.message.setText(self.tr("Callbacks are made by operators."))
        session.live.events_applied.connect(self._events)
        self._minute = QTimer(self)
        self._minute.timeout.connect(self.refresh)
        self._minute.start(60_000)
        self.refresh()
        self._update_buttons()

    def _events(self, events: list[CaseEvent]) -> None:
        if any(e.action in ("verify_pass", "callback") for e in events):
            self.refresh()

    def refresh(self) -> None:
        if self.session.basics.callers_visible:
            self.session.worker.submit(queries.callbacks_due, self._loaded, self._failed, key="callbacks",
                                       receiver=self)

    def _loaded(self, rows: list[dict[str, Any]]) -> None:
        chosen = self.chosen()
        self.rows = rows
        d = self.session.display
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            cells = [r["code"], r["title"], r["reporter_name"] or "", r["reporter_phone"] or "",
                     d.stamp(r["due_at"], "%m-%d %H:%M"), str(r["attempts"])]
            for j, text in enumerate(cells):
                self.table.setItem(i, j, QTableWidgetItem(text))
            if r["case_id"] == chosen:
                self.table.selectRow(i)
        self._update_buttons()

    def chosen(self) -> int | None:
        i = self.table.currentRow()
        return int(self.rows[i]["case_id"]) if 0 <= i < len(self.rows) and self.table.selectedItems() else None

    def _update_buttons(self) -> None:
        ok = self.chosen() is not None
        self.reached.setEnabled(ok)
        self.unreached.setEnabled(ok)

    def record(self, reached: bool) -> None:
        case_id = self.chosen()
        if case_id is None:
            return
        satisfaction = self.satisfaction.value() if reached else None
        note = self.note.text().strip() or None
        self.session.worker.submit(
            lambda conn: Workflow(conn).record_callback(case_id, reached, satisfaction, note),
            self._recorded, self._failed, retry=False, receiver=self)

    def _recorded(self, outcome: str) -> None:
        self.note.clear()
        self.message.setText({"reached": self.tr("Recorded: reached."),
                              "retry": self.tr("Recorded: not reached; it comes back later for another try."),
                              "given_up": self.tr("Recorded: not reached, and no tries are left.")}.get(outcome, outcome))
        self.refresh()

    def _failed(self, exc: Exception) -> None:
        self.message.setText(refusal_text(exc))
