"""A table's spare width goes to its text columns.

The board's columns are sized for a 1366-pixel screen. On 2560 or 3840 pixels they left half
the board empty while names were cut ("Broken street li…", "Gulouyuan Com…"). The columns
that hold names share whatever width the table has beyond its base widths; a column the
operator sizes by hand (or a saved layout sizes) keeps that width and leaves the sharing.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QTableView


class SpareWidth(QObject):
    """Keeps `elastic` columns of `table` at their base width plus an equal share of the spare."""

    def __init__(self, table: QTableView, elastic: Iterable[int], most: float = 2.5) -> None:
        super().__init__(table)
        self.table = table
        self.header = table.horizontalHeader()
        self.elastic = set(elastic)
        self.most = most          # no column grows past this many times its base width
        self.base = {i: self.header.sectionSize(i) for i in range(self.header.count())}
        self._fitting = False
        self.header.sectionResized.connect(self._resized_by_hand)
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def _resized_by_hand(self, index: int, _old: int, new: int) -> None:
        if self._fitting:
            return
        self.base[index] = new
        self.elastic.discard(index)

    def fit(self) -> None:
        h = self.header
        shown = [i for i in range(h.count()) if not h.isSectionHidden(i)]
        growing = [i for i in shown if i in self.elastic]
        if not growing:
            return
        spare = self.table.viewport().width() - sum(self.base.get(i, h.sectionSize(i)) for i in shown)
        share = max(0, spare) // len(growing)
        self._fitting = True
        try:
            for i in growing:
                base = self.base.get(i, h.sectionSize(i))
                h.resizeSection(i, base + min(share, int(base * (self.most - 1))))
        finally:
            self._fitting = False
