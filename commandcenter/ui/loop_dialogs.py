"""What the end-of-loop actions ask for: a new deadline (延期), a reason and a review date
(挂账), a level and a reply deadline (督办). The choices (reasons, levels) and the bounds
(how far ahead) come from the database's tables; whether the case and the console may do it
is the database's answer, shown by the runner like every refusal."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QDateTime, QTimeZone
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ..domain.display import Display
from ..domain.reference import Reference

#: the actions this dialog asks for (the others need a note at most: NoteDialog)
ACTIONS = ("request_extension", "approve_extension", "suspend", "review_suspension", "supervise")


class LoopDialog(QDialog):
    """One dialog for the five actions that need a date; the note is required where the
    action says so (cc.workflow_action.needs_note)."""

    def __init__(self, action: dict[str, Any], cases: list[dict[str, Any]], reference: Reference,
                 display: Display, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = action["action"]
        self.setObjectName("loop-dialog")
        self.setWindowTitle(f"{action.get('label') or self.code} — {', '.join(c['code'] for c in cases)}")
        self.required = bool(action.get("needs_note"))
        self.max_chars = reference.limits["note_chars"]
        self.zone = ZoneInfo(reference.tz)
        limits = reference.limits
        form = QFormLayout()
        now = datetime.now(self.zone)
        self.when: QDateTimeEdit | None = None
        self.day: QDateEdit | None = None
        self.choice: QComboBox | None = None
        self.as_requested: QCheckBox | None = None
        if self.code in ("request_extension", "approve_extension", "supervise"):
            days = limits["supervision_reply_days" if self.code == "supervise" else "deadline_days"]
            default = now + (timedelta(days=2) if self.code == "supervise" else timedelta(days=3))
            self.when = QDateTimeEdit(self._qdt(default.replace(minute=0, second=0, microsecond=0)))
            self.when.setObjectName("loop-when")
            self.when.setCalendarPopup(True)
            self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
            self.when.setMinimumDateTime(self._qdt(now))
            self.when.setMaximumDateTime(self._qdt(now + timedelta(days=days)))
            label = {"request_extension": self.tr("New handling deadline:"),
                     "approve_extension": self.tr("Granted deadline:"),
                     "supervise": self.tr("Reply due by:")}[self.code]
            if self.code == "approve_extension":
                self.as_requested = QCheckBox(self.tr("As requested"))
                self.as_requested.setObjectName("loop-as-requested")
                self.as_requested.setChecked(True)
                self.as_requested.toggled.connect(lambda on: self.when.setEnabled(not on) if self.when else None)
                self.when.setEnabled(False)
                form.addRow(self.as_requested)
            form.addRow(label, self.when)
        if self.code in ("suspend", "review_suspension"):
            today = now.date()
            self.day = QDateEdit(self._qd(today + timedelta(days=30)))
            self.day.setObjectName("loop-day")
            self.day.setCalendarPopup(True)
            self.day.setDisplayFormat("yyyy-MM-dd")
            self.day.setMinimumDate(self._qd(today + timedelta(days=1)))
            self.day.setMaximumDate(self._qd(today + timedelta(days=limits["suspension_review_days"])))
            form.addRow(self.tr("Review on:"), self.day)
        if self.code in ("suspend", "supervise"):
            self.choice = QComboBox()
            self.choice.setObjectName("loop-choice")
            table = reference.suspend_reasons if self.code == "suspend" else reference.supervision_levels
            for code, named in table.items():
                self.choice.addItem(display.named(named), code)
            form.insertRow(0, self.tr("Reason:") if self.code == "suspend" else self.tr("Level:"), self.choice)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(QLabel(self.tr("Reason (required):") if self.required else self.tr("Note (optional):")))
        self.text = QPlainTextEdit()
        self.text.setObjectName("note-text")
        lay.addWidget(self.text)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.text.textChanged.connect(self._check)
        self._check()

    def _qdt(self, when: datetime) -> QDateTime:
        return QDateTime.fromSecsSinceEpoch(int(when.timestamp()), QTimeZone(self.zone.key.encode()))

    @staticmethod
    def _qd(day: date) -> QDate:
        return QDate(day.year, day.month, day.day)

    def _check(self) -> None:
        t = self.text.toPlainText().strip()
        ok = (bool(t) or not self.required) and len(t) <= self.max_chars
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def params(self) -> dict[str, Any]:
        """What Workflow.perform takes for this action."""
        p: dict[str, Any] = {"note": self.text.toPlainText().strip()}
        if self.when is not None and not (self.as_requested is not None and self.as_requested.isChecked()):
            p["deadline"] = datetime.fromtimestamp(self.when.dateTime().toSecsSinceEpoch(), self.zone)
        if self.day is not None:
            d = self.day.date()
            p["review_on"] = date(d.year(), d.month(), d.day())
        if self.choice is not None:
            p["reason_code" if self.code == "suspend" else "level"] = self.choice.currentData()
        return p
