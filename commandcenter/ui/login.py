"""Sign-in: each operator connects as their own PostgreSQL login role, so everything the
database allows, refuses and records is theirs. The check runs off the GUI thread."""

from __future__ import annotations

import psycopg
from psycopg.conninfo import make_conninfo
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from .handoff import run_task


def try_sign_in(base_dsn: str, user: str, password: str) -> str:
    """Connect as the operator and ask who that is; returns the DSN to use (worker thread)."""
    dsn = make_conninfo(base_dsn, user=user, password=password)
    with psycopg.connect(dsn, connect_timeout=8, application_name="commandcenter-sign-in") as conn:
        conn.execute("SELECT * FROM cc.whoami()").fetchone()
    return dsn


class LoginDialog(QDialog):
    signed_in = Signal(str)          # the operator's DSN
    failed_unattended = Signal(str)  # the demo could not be built and no one is there to read why

    def __init__(self, base_dsn: str, user: str = "", password: str = "", demo: bool = False,
                 history=None, parent: QWidget | None = None) -> None:  # noqa: ANN001 - BackgroundHistory
        super().__init__(parent)
        self.setObjectName("login")
        self.setWindowTitle(self.tr("Sign in — command hall"))
        self.setMinimumWidth(420)          # the fields and the hint are never clipped
        self.base_dsn = base_dsn
        self.user = QLineEdit(user)
        self.user.setObjectName("login-user")
        self.user.setMaxLength(63)
        self.password = QLineEdit(password)
        self.password.setObjectName("login-password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(200)
        self.error = QLabel()
        self.error.setObjectName("login-error")
        self.error.setProperty("role", "banner-error")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow(self.tr("User"), self.user)
        form.addRow(self.tr("Password"), self.password)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        title = QLabel(self.tr("Grid Service Management Command Hall"))
        title.setProperty("role", "title")
        lay.addWidget(title)
        lay.addLayout(form)
        if demo:
            n = QLabel(self.tr("Demo district: the demo accounts and their passwords are listed by "
                               "commandcenter demo accounts."))
            n.setProperty("role", "muted")
            n.setWordWrap(True)
            n.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            lay.addWidget(n)
        lay.addWidget(self.error)
        # A first start builds the demo before anyone signs in, so the hall never opens on a
        # half-played history (cases weeks old would show as overdue until their later steps).
        self.history = history
        self._submit_when_built = False
        self.building = QProgressBar()
        self.building.setObjectName("login-building")
        self.building.setRange(0, 100)
        self.building.setVisible(history is not None)
        lay.addWidget(self.building)
        lay.addWidget(self.buttons)
        if history is not None:
            self._build_timer = QTimer(self)
            self._build_timer.timeout.connect(self._on_building_tick)
            self._build_timer.start(200)
            self._on_building_tick()
        (self.password if user else self.user).setFocus()

    def _on_building_tick(self) -> None:
        h = self.history
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if h.error is not None:
            self._build_timer.stop()
            self.building.hide()
            self._show(self.tr("Building the demo district failed: %1").replace("%1", str(h.error)))
            ok.setEnabled(False)
            if self._submit_when_built:              # nobody waits at this dialog (--ready-exit): leave
                self.failed_unattended.emit(str(h.error))
        elif h.done.is_set():
            self._build_timer.stop()
            self.building.hide()
            ok.setEnabled(True)
            if self._submit_when_built:
                self.submit()
        elif h.plan is None:                         # the district itself is being written
            self.building.setRange(0, 0)
            self.building.setFormat(self.tr("Building the demo district…"))
            ok.setEnabled(False)
        else:
            self.building.setRange(0, 100)
            self.building.setValue(int(h.fraction * 100))
            self.building.setFormat(self.tr("Building the demo district: %p%"))
            ok.setEnabled(False)

    def submit(self) -> None:
        if self.history is not None and not self.history.done.is_set():
            self._submit_when_built = True          # signs in as soon as the demo is whole
            return
        user, password = self.user.text().strip(), self.password.text()
        if not user or not password:
            self._show(self.tr("Enter your user name and password."))
            return
        self.buttons.setEnabled(False)
        self.error.hide()
        base = self.base_dsn
        run_task(lambda: try_sign_in(base, user, password), self._accepted, self._refused, name="cc-sign-in")

    def _accepted(self, dsn: str) -> None:
        self.buttons.setEnabled(True)
        self.signed_in.emit(dsn)
        self.accept()

    def _refused(self, error: Exception) -> None:
        self.buttons.setEnabled(True)
        self._show(self.explain(error))          # the server's refusal, shown to the operator
        self.password.selectAll()
        self.password.setFocus()

    def explain(self, exc: Exception) -> str:
        """The server's refusal in words an operator can act on."""
        text = str(exc)
        if "password authentication failed" in text:
            return self.tr("Wrong user name or password.")
        if "not permitted to log in" in text:
            return self.tr("This account is disabled. Ask an administrator to enable it.")
        if "no console account" in text:
            return self.tr("This login has no console account. Ask an administrator to register it.")
        first = text.strip().splitlines()[-1] if text.strip() else type(exc).__name__
        return self.tr("Cannot sign in: %1").replace("%1", first)

    def _show(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
