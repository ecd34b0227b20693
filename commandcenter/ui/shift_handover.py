"""The shift handover (交接班) in the hall: at sign-out (or whenever asked, Ctrl+Shift+J) the
operator reads the server's summary of the shift, types a note and hands over; at sign-in the
next operator of the same scope reads the newest handover and acknowledges it (Enter). The
summary is counted by the database (store/handover.py); this module only shows it."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..domain.display import Display
from ..domain.reference import Reference
from ..store import handover as store
from .actions import refusal_text
from .worker import DbWorker


def summary_html(s: store.ShiftSummary, display: Display, reference: Reference) -> str:
    """The summary as the dialogs show it: the console's work, then what the scope leaves."""
    t = display.local
    head = (QCoreApplication.translate("Handover", "Shift %1 – %2")
            .replace("%1", t(s.since).strftime("%m-%d %H:%M")).replace("%2", t(s.until).strftime("%m-%d %H:%M")))
    work = (QCoreApplication.translate("Handover", "This console: %1 taken · %2 filed · %3 dispatched · %4 closed")
            .replace("%1", str(s.taken)).replace("%2", str(s.filed)).replace("%3", str(s.dispatched))
            .replace("%4", str(s.closed)))
    left = (QCoreApplication.translate("Handover",
                                       "Still open in your scope: %1 · urgent %2 · under supervision %3 · overdue %4")
            .replace("%1", str(s.open)).replace("%2", str(s.urgent)).replace("%3", str(s.supervised))
            .replace("%4", str(s.overdue)))
    parts = [f"<p><b>{escape(head)}</b></p>", f"<p>{escape(work)}</p>", f"<p>{escape(left)}</p>"]
    headings = ((QCoreApplication.translate("Handover", "Urgent"), s.urgent, s.urgent_cases),
                (QCoreApplication.translate("Handover", "Under supervision"), s.supervised, s.supervised_cases),
                (QCoreApplication.translate("Handover", "Overdue"), s.overdue, s.overdue_cases))
    for title, count, cases in headings:
        if not cases:
            continue
        rows = "".join(
            f"<li>{escape(c.code)} · {escape(display.named(reference.states.get(c.state)) or c.state)} · "
            f"{escape(c.title)}</li>" for c in cases)
        more = ""
        if count > len(cases):
            more = QCoreApplication.translate("Handover", "… and %1 more on the board").replace(
                "%1", str(count - len(cases)))
            more = f"<p>{escape(more)}</p>"
        parts.append(f"<p><b>{escape(title)} ({count})</b></p><ul>{rows}</ul>{more}")
    return "".join(parts)


class HandoverDialog(QDialog):
    """Write a handover: the server's summary of this shift, the operator's note, Ctrl+Enter."""
    written = Signal(int)           # the handover's id
    quit_anyway = Signal()          # the operator leaves without a handover (Ctrl+Q, then "Quit without")

    def __init__(self, worker: DbWorker, display: Display, reference: Reference, sign_out: bool,
                 parent: QWidget | None = None, offer_quit: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("handover-write")
        self.worker, self.display, self.reference = worker, display, reference
        self.sign_out = sign_out
        self.max_chars = reference.limits.get("handover_note_chars", 4000)   # as the database enforces it
        self.setWindowTitle(self.tr("Shift handover (交接班)") if not sign_out else self.tr("Hand over and sign out"))
        self.summary = QTextBrowser()
        self.summary.setObjectName("handover-summary")
        self.summary.setText(self.tr("Counting this shift…"))
        self.note = QPlainTextEdit()
        self.note.setObjectName("handover-note")
        self.note.setPlaceholderText(self.tr("Handover note for the next operator: what to watch, who to call back…"))
        self.note.setTabChangesFocus(True)
        self.status = QLabel()
        self.status.setObjectName("handover-status")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.addButton(
            (self.tr("Hand over and sign out") if sign_out else self.tr("Hand over")) + "  Ctrl+Enter",
            QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("handover-submit")
        self.ok.setProperty("primary", True)
        self.quit: QPushButton | None = None
        if offer_quit:
            self.quit = self.buttons.addButton(self.tr("Quit without a handover"),
                                               QDialogButtonBox.ButtonRole.DestructiveRole)
            self.quit.setObjectName("handover-quit")
            self.quit.clicked.connect(self._quit)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(seq), self, self.submit)
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary, 2)
        lay.addWidget(QLabel(self.tr("Note (optional):")))
        lay.addWidget(self.note, 1)
        lay.addWidget(self.status)
        lay.addWidget(self.buttons)
        self.resize(640, 560)
        self.note.textChanged.connect(self._check)
        self.note.setFocus()
        self.worker.submit(store.shift_summary, self._summary_loaded, self._failed, receiver=self)

    def _quit(self) -> None:
        self.reject()
        self.quit_anyway.emit()

    def _summary_loaded(self, s: store.ShiftSummary) -> None:
        self.summary.setHtml(summary_html(s, self.display, self.reference))

    def _check(self) -> None:
        n = len(self.note.toPlainText())
        self.ok.setEnabled(n <= self.max_chars)
        self.status.setText(self.tr("%1 characters; at most %2").replace("%1", str(n)).replace("%2", str(self.max_chars))
                            if n > self.max_chars else "")

    def submit(self) -> None:
        if not self.ok.isEnabled():
            return
        self.ok.setEnabled(False)
        note = self.note.toPlainText()
        self.worker.submit(lambda conn: store.write_handover(conn, note), self._written, self._failed,
                           retry=False, receiver=self)

    def _written(self, handover_id: int) -> None:
        self.written.emit(handover_id)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self.status.setText(refusal_text(exc))
        self.ok.setEnabled(True)


class PendingHandoverDialog(QDialog):
    """The handover the previous shift left, shown at sign-in until it is acknowledged (Enter)."""
    acknowledged = Signal(int)

    def __init__(self, worker: DbWorker, display: Display, reference: Reference, handover: store.Handover,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("handover-pending")
        self.worker, self.handover = worker, handover
        self.setWindowTitle(self.tr("Handover from the previous shift (交接班)"))
        who = self.tr("Handed over by %1 at %2").replace("%1", handover.author_name).replace(
            "%2", display.local(handover.written_at).strftime("%m-%d %H:%M"))
        note = escape(handover.note).replace("\n", "<br>") if handover.note else escape(self.tr("(no note)"))
        self.text = QTextBrowser()
        self.text.setObjectName("handover-text")
        self.text.setHtml(f"<p><b>{escape(who)}</b></p><p>{note}</p><hr>"
                          + summary_html(handover.summary, display, reference))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.ack = self.buttons.addButton(self.tr("Acknowledge  Enter"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ack.setObjectName("handover-acknowledge")
        self.ack.setProperty("primary", True)
        self.ack.setDefault(True)
        self.later = self.buttons.addButton(self.tr("Later"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.acknowledge)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.text, 1)
        lay.addWidget(self.status)
        lay.addWidget(self.buttons)
        self.resize(640, 560)
        self.ack.setFocus(Qt.FocusReason.OtherFocusReason)

    def acknowledge(self) -> None:
        self.ack.setEnabled(False)
        hid = self.handover.id
        self.worker.submit(lambda conn: store.acknowledge_handover(conn, hid), self._done, self._failed,
                           retry=False, receiver=self)

    def _done(self, _at: object) -> None:
        self.acknowledged.emit(self.handover.id)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self.status.setText(refusal_text(exc))
        self.ack.setEnabled(True)
