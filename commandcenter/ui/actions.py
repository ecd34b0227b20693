"""Running workflow actions from the hall: ask for what the action needs (a note, an
assignee, a rating), confirm only what cannot be undone, call the SQL function on the worker,
and report the database's answer. Which actions a case allows is read from the database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..domain.display import Display
from ..domain.reference import Reference
from ..store.commands import Workflow
from .loop_dialogs import ACTIONS as LOOP_ACTIONS
from .loop_dialogs import LoopDialog
from .thumbnails import read_photo
from .worker import DbWorker

#: keyboard first: every action has a key (shown on its button and tooltip)
SHORTCUTS = {
    "file": "F2", "reject": "Shift+F2", "dispatch": "F3", "redispatch": "Shift+F3", "urge": "F4",
    "escalate": "F6", "verify_pass": "F7", "verify_fail": "Shift+F7", "evaluate": "F8",
    "accept": "Ctrl+Shift+A", "return": "Ctrl+Shift+R", "feedback": "Ctrl+Shift+B",
    "cancel": "Ctrl+Shift+Del", "attach": "Ctrl+Shift+P",
    "request_extension": "Ctrl+Shift+E", "approve_extension": "Ctrl+Alt+E", "refuse_extension": "Ctrl+Alt+Shift+E",
    "suspend": "Ctrl+Shift+H", "review_suspension": "Ctrl+Alt+H", "resume": "Ctrl+Shift+G",
    "supervise": "Ctrl+Shift+S", "reply_supervision": "Ctrl+Shift+Y", "lift_supervision": "Ctrl+Alt+S",
    "service_done": "Ctrl+Shift+D",
}


@dataclass(frozen=True)
class Outcome:
    """What happened to one case: ok, or refused with the database's message."""
    case_id: int
    code: str
    ok: bool
    message: str = ""


def perform(conn: psycopg.Connection, action: str, case_id: int, version: int, params: dict[str, Any]) -> int:
    """Worker thread: a chosen photo is read and its thumbnail made here, off the GUI thread
    (QImage is reentrant); the rest is Workflow's."""
    if action == "attach":
        path = Path(params["path"])
        content, thumbnail = read_photo(path)
        params = {"filename": path.name, "content": content, "thumbnail": thumbnail,
                  "view": params.get("view"), "stage": params.get("stage")}
    return Workflow(conn).perform(action, case_id, version, params)


def refusal_text(exc: Exception) -> str:
    """A refusal in the interface language, said from its SQLSTATE; the database's own words
    (English, naming the case and what to do) follow as the detail."""
    hint = getattr(exc, "hint", None)
    text = getattr(exc, "message", None) or str(exc)
    detail = f"{text}\n{hint}" if hint else text
    headline = _refusal_headline(getattr(exc, "sqlstate", None))
    if not headline:
        return detail
    return headline + "\n" + QCoreApplication.translate("Refusal", "Database: %1").replace("%1", detail)


def _refusal_headline(sqlstate: str | None) -> str:
    if sqlstate == "CC001":
        return QCoreApplication.translate("Refusal", "The case's current state does not allow this action.")
    if sqlstate == "CC002":
        return QCoreApplication.translate("Refusal", "Someone else changed the case first: reload it and decide again.")
    if sqlstate == "CC005":
        return QCoreApplication.translate("Refusal", "Unknown case category, or the category has no time limit.")
    if sqlstate == "CC006":
        return QCoreApplication.translate("Refusal", "The position lies outside the district or outside the chosen grid.")
    if sqlstate == "CC007":
        return QCoreApplication.translate("Refusal", "The photo was not accepted: it is empty, too large, "
                                          "one too many, or not JPEG, PNG or WebP.")
    if sqlstate == "CC008":
        return QCoreApplication.translate("Refusal", "The case does not exist or lies outside your area.")
    if sqlstate == "CC009":
        return QCoreApplication.translate("Refusal", "An entry was not accepted.")
    if sqlstate == "42501":
        return QCoreApplication.translate("Refusal", "Your account may not do this.")
    return ""


class NoteDialog(QDialog):
    """A reason or a note; required ones cannot be confirmed empty."""

    def __init__(self, title: str, required: bool, parent: QWidget | None = None, with_rating: bool = False,
                 *, max_chars: int) -> None:
        super().__init__(parent)
        self.max_chars = max_chars          # cc.input_limit note_chars, as the database enforces it
        self.setWindowTitle(title)
        self.setObjectName("note-dialog")
        self.required = required
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("Reason (required):") if required else self.tr("Note (optional):")))
        self.text = QPlainTextEdit()
        self.text.setObjectName("note-text")
        self.text.setTabChangesFocus(True)        # by keys: Tab leaves the note, Ctrl+Enter confirms
        lay.addWidget(self.text)
        self.rating: QSpinBox | None = None
        if with_rating:
            lay.addWidget(QLabel(self.tr("Satisfaction (1 = very dissatisfied, 5 = very satisfied):")))
            self.rating = QSpinBox()
            self.rating.setRange(1, 5)
            self.rating.setValue(5)
            lay.addWidget(self.rating)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.text.textChanged.connect(self._check)
        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(seq), self, self._confirm)
        self._check()

    def _confirm(self) -> None:
        if self.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled():
            self.accept()

    def _check(self) -> None:
        t = self.text.toPlainText().strip()
        ok = (bool(t) or not self.required) and len(t) <= self.max_chars
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def params(self) -> dict[str, Any]:
        p: dict[str, Any] = {"note": self.text.toPlainText().strip()}
        if self.rating is not None:
            p["satisfaction"] = self.rating.value()
        return p


class PhotoTagDialog(QDialog):
    """How the photo was taken: far or near view (远景/近景), before or after handling."""

    def __init__(self, filename: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("photo-tags")
        self.setWindowTitle(self.tr("Attach a photo") + f" — {filename}")
        self.view = QComboBox()
        self.view.setObjectName("photo-view")
        for text, value in ((self.tr("View: not said"), None), (self.tr("Far view (远景)"), "far"),
                            (self.tr("Near view (近景)"), "near")):
            self.view.addItem(text, value)
        self.stage = QComboBox()
        self.stage.setObjectName("photo-stage")
        for text, value in ((self.tr("Stage: not said"), None), (self.tr("Before handling (处置前)"), "before"),
                            (self.tr("After handling (处置后)"), "after")):
            self.stage.addItem(text, value)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.view)
        lay.addWidget(self.stage)
        lay.addWidget(buttons)

    def tags(self) -> dict[str, str | None]:
        return {"view": self.view.currentData(), "stage": self.stage.currentData()}


class ActionRunner(QObject):
    """Starts actions for the hall's views and reports their outcomes."""
    done = Signal(list)          # [Outcome]
    started = Signal(str)

    def __init__(self, worker: DbWorker, parent_widget: QWidget, reference: Reference,
                 display: Display) -> None:
        super().__init__(parent_widget)
        self.display = display
        self.worker = worker
        self.reference = reference
        self.note_chars = reference.limits["note_chars"]      # the bound cc.input_limit sets for every note
        self.parent_widget = parent_widget
        self.dialog: QDialog | None = None    # the open dialog, for tests and focus

    def start(self, action: dict[str, Any], cases: list[dict[str, Any]]) -> None:
        """action: a row of cc.allowed_actions; cases: dicts with id, code, version."""
        code = action["action"]
        from .dispatch import DispatchDialog
        if code in ("dispatch", "redispatch"):
            dlg = DispatchDialog(self.worker, code, cases, self.parent_widget, note_chars=self.note_chars,
                                 display=self.display)
            dlg.submitted.connect(lambda params_per_case: self._run(code, cases, params_per_case))
            self._show(dlg)
            return
        if code == "attach":
            path = self.choose_photo()
            if path:
                tags = PhotoTagDialog(Path(path).name, self.parent_widget)
                tags.accepted.connect(lambda: self._run(code, cases, [{"path": path, **tags.tags()}] * len(cases)))
                self._show(tags)
            return
        if code in LOOP_ACTIONS:
            loop = LoopDialog(action, cases, self.reference, self.display, self.parent_widget)
            loop.accepted.connect(lambda: self._run(code, cases, [loop.params()] * len(cases)))
            self._show(loop)
            return
        if action.get("needs_note") or code in ("evaluate", "urge", "accept", "verify_pass", "file", "resume",
                                                 "lift_supervision", "service_done"):
            title = f"{action.get('label') or code} — {', '.join(c['code'] for c in cases)}"
            note = NoteDialog(title, bool(action.get("needs_note")), self.parent_widget, with_rating=code == "evaluate",
                              max_chars=self.note_chars)
            note.accepted.connect(lambda: self._confirm_then_run(action, cases, [note.params()] * len(cases)))
            self._show(note)
            return
        self._confirm_then_run(action, cases, [{}] * len(cases))

    def choose_photo(self) -> str:
        """The photo file to attach ('' when the operator cancels)."""
        path, _ = QFileDialog.getOpenFileName(self.parent_widget, self.tr("Attach a photo"), "",
                                              self.tr("Images (*.jpg *.jpeg *.png *.webp)"))
        return path

    def _show(self, dlg: QDialog) -> None:
        self.dialog = dlg
        dlg.finished.connect(lambda _r: setattr(self, "dialog", None) if self.dialog is dlg else None)
        dlg.open()

    def _confirm_then_run(self, action: dict[str, Any], cases: list[dict[str, Any]],
                          params: list[dict[str, Any]]) -> None:
        if not action.get("irreversible"):
            self._run(action["action"], cases, params)
            return
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("This cannot be undone"),
                          self.tr("%1 for %2? This cannot be undone.")
                          .replace("%1", action.get("label") or action["action"])
                          .replace("%2", ", ".join(c["code"] for c in cases)),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self.parent_widget)
        box.setObjectName("confirm-irreversible")
        box.accepted.connect(lambda: self._run(action["action"], cases, params))
        self._show(box)

    def _run(self, code: str, cases: list[dict[str, Any]], params: list[dict[str, Any]]) -> None:
        self.started.emit(code)

        def job(conn: psycopg.Connection) -> list[Outcome]:
            out = []
            for case, p in zip(cases, params):
                try:
                    perform(conn, code, case["id"], case["version"], p)
                    out.append(Outcome(case["id"], case["code"], True))
                except psycopg.OperationalError:
                    raise
                except Exception as exc:  # noqa: BLE001 - a refusal for this case, go on with the next
                    out.append(Outcome(case["id"], case["code"], False, refusal_text(exc)))
            return out

        def failed(exc: Exception) -> None:
            self.done.emit([Outcome(c["id"], c["code"], False, refusal_text(exc)) for c in cases])

        # the outcomes go out as a signal: they are dropped only if the runner itself is gone
        self.worker.submit(job, self.done.emit, failed, retry=False, receiver=self)


