"""A window at once when the hall or the wall is started: starting the embedded server, a
schema upgrade and the first start's district take seconds before the sign-in dialog can
open, and a desktop user who sees nothing for that long starts the program again. The splash
names the step it is at; the sign-in dialog (or the wall) replaces it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget


class StartupSplash(QWidget):
    def __init__(self, lang: str) -> None:
        super().__init__(None, Qt.WindowType.SplashScreen | Qt.WindowType.WindowStaysOnTopHint)
        self.setObjectName("startupSplash")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        title = QLabel(self.tr("Grid service management command hall"))
        title.setObjectName("splashTitle")
        self.step = QLabel(self.tr("Starting…"))
        self.step.setObjectName("splashStep")
        self.step.setWordWrap(True)
        box = QVBoxLayout(self)
        box.setContentsMargins(28, 24, 28, 24)
        box.addWidget(title)
        box.addWidget(self.step)
        self.setMinimumWidth(460)
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            self.adjustSize()
            self.move(screen.availableGeometry().center() - self.rect().center())
        self.show()
        self._paint()

    def starting_database(self) -> None:
        self._say(self.tr("Starting the database… (the first start creates it: a few seconds)"))

    def upgrading_schema(self) -> None:
        self._say(self.tr("Checking the database and bringing it up to date…"))

    def _say(self, step: str) -> None:
        """Show the step now: the caller works on this thread until the next one."""
        self.step.setText(step)
        self._paint()

    def _paint(self) -> None:
        # the window must reach the screen before the thread goes back to work
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        self.repaint()
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)


def close_splash() -> None:
    """The sign-in dialog, the hall, the wall or an error message takes the splash's place."""
    for w in QApplication.topLevelWidgets():
        if isinstance(w, StartupSplash):
            w.close()
