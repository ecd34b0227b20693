"""F1: every key of the hall and what it does, from the command registry (ui/commands.py), in
a list that scrolls inside the screen. A message box with forty lines was taller than a
768-pixel screen: its end and its button were off the bottom edge."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from .commands import CommandRegistry

# the most of the screen's height the list takes
SCREEN_SHARE = 0.8


class ShortcutList(QDialog):
    def __init__(self, registry: CommandRegistry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcut-list")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.list = QTreeWidget()
        self.list.setObjectName("shortcut-keys")
        self.list.setHeaderLabels([self.tr("Key"), self.tr("Command")])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        for c in registry.commands:
            self.list.addTopLevelItem(QTreeWidgetItem([c.key, c.title]))
        self.list.resizeColumnToContents(0)
        self.list.resizeColumnToContents(1)
        hint = QLabel(self.tr("The same commands are in the command palette (Ctrl+K), found by typing."))
        hint.setProperty("role", "muted")
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.list, 1)
        lay.addWidget(hint)
        lay.addWidget(buttons)
        self._fit(parent)

    def rows(self) -> list[tuple[str, str]]:
        """(key, command) as listed."""
        items = (self.list.topLevelItem(i) for i in range(self.list.topLevelItemCount()))
        return [(item.text(0), item.text(1)) for item in items if item is not None]

    def _fit(self, parent: QWidget | None) -> None:
        screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
        room = screen.availableGeometry() if screen is not None else None
        rows = self.list.topLevelItemCount()
        wanted_h = self.list.header().sizeHint().height() + rows * max(self.list.sizeHintForRow(0), 18) + 110
        wanted_w = sum(self.list.columnWidth(i) for i in range(2)) + 60
        if room is not None:
            wanted_h = min(wanted_h, int(room.height() * SCREEN_SHARE))
            wanted_w = min(wanted_w, int(room.width() * SCREEN_SHARE))
        self.resize(max(wanted_w, 420), wanted_h)
