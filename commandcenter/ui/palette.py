"""The command palette (Ctrl+K): type a few letters — Chinese, pinyin or its initials, English,
or the key itself — and Enter runs the command on the selected cases. It lists what the
registry holds (ui/commands.py), the same list F1 shows; an action the database does not allow
on the selected case now is listed, greyed, and not run."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .commands import Command, CommandRegistry


class CommandPalette(QDialog):
    """A search box over the commands; Up/Down choose, Enter runs, Esc closes."""

    def __init__(self, registry: CommandRegistry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("command-palette")
        self.setWindowTitle(self.tr("Command palette"))
        self.registry = registry
        self.ran: Command | None = None          # what Enter ran last (tests, the status bar)
        self.search = QLineEdit()
        self.search.setObjectName("palette-search")
        self.search.setPlaceholderText(self.tr("Type a command: 派遣, pq, dispatch, F3…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMaxLength(60)
        self.list = QTreeWidget()
        self.list.setObjectName("palette-list")
        self.list.setHeaderLabels([self.tr("Command"), self.tr("Key")])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setColumnWidth(0, 340)
        self.hint = QLabel()
        self.hint.setProperty("role", "muted")
        lay = QVBoxLayout(self)
        lay.addWidget(self.search)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.hint)
        self.resize(560, 460)
        self.search.textChanged.connect(self.refill)
        self.search.installEventFilter(self)
        self.list.itemActivated.connect(lambda _item, _col: self.run_current())
        self.refill()

    def refill(self) -> None:
        self.list.clear()
        first: QTreeWidgetItem | None = None
        for c in self.registry.find(self.search.text()):
            item = QTreeWidgetItem([c.title, c.key])
            item.setData(0, Qt.ItemDataRole.UserRole, c.id)
            if not c.available():
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(0, self.tr("Not allowed on the selected case now"))
            elif first is None:
                first = item
            self.list.addTopLevelItem(item)
        if first is not None:
            self.list.setCurrentItem(first)
        shown = self.list.topLevelItemCount()
        self.hint.setText(self.tr("%1 command(s) · Enter runs · Esc closes").replace("%1", str(shown)))

    def current(self) -> Command | None:
        item = self.list.currentItem()
        if item is None or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return None
        return self.registry.get(item.data(0, Qt.ItemDataRole.UserRole))

    def run_current(self) -> None:
        c = self.current()
        if c is None or not c.available():
            return
        self.ran = c
        self.accept()
        c.run()                 # after the palette closed: a dialog the command opens takes the focus

    def _move(self, step: int) -> None:
        n = self.list.topLevelItemCount()
        if not n:
            return
        current = self.list.currentItem()
        row = self.list.indexOfTopLevelItem(current) if current is not None else -1
        for _ in range(n):
            row = (row + step) % n
            item = self.list.topLevelItem(row)
            if item is not None and item.flags() & Qt.ItemFlag.ItemIsEnabled:
                self.list.setCurrentItem(item)
                return

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """The keys stay in the search box: Up/Down move through the list, Enter runs."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self._move(1 if key == Qt.Key.Key_Down else -1)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.run_current()
                return True
        return super().eventFilter(watched, event)
