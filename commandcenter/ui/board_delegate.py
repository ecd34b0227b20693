"""Paints the board's cells from the model's `Cell`, with each distinct text laid out once.

Qt's own delegate asks the model for seven roles per cell and shapes every text again on each
paint: 85 ms for one screen of the board with the hall's style sheet on the development
machine, most of a filter change's budget. A board repeats its texts (states, streets,
categories) and repaints every second for the countdown, so a text shaped once into a
`QStaticText` and kept is drawn for a fraction of that (measured in BENCHMARKS.md).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPalette, QStaticText
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from .board_model import BoardModel

MARGIN = 3           # px of room left and right of a cell's text, as Qt's own delegate leaves
KEEP = 20_000        # texts kept laid out; a board's distinct texts are a few thousand
_SELECTED = QStyle.StateFlag.State_Selected.value
_ACTIVE = QStyle.StateFlag.State_Active.value
_FOCUS = QStyle.StateFlag.State_HasFocus.value


class _Frame:
    """What every cell of one paint shares: the fonts and the palette's colours."""

    def __init__(self, option: QStyleOptionViewItem, active: bool) -> None:
        normal = QFont(option.font)         # copies: the option's own members die with it
        bold = QFont(normal)
        bold.setBold(True)
        self.fonts = ((normal, QFontMetrics(normal)), (bold, QFontMetrics(bold)))
        self.key = normal.key()
        group = QPalette.ColorGroup.Active if active else QPalette.ColorGroup.Inactive
        palette = option.palette
        self.highlight = QBrush(palette.brush(group, QPalette.ColorRole.Highlight))
        self.highlighted_text = QColor(palette.color(group, QPalette.ColorRole.HighlightedText))
        self.text = QColor(palette.color(group, QPalette.ColorRole.Text))


class BoardDelegate(QStyledItemDelegate):
    """Draws a cell as Qt's delegate would (selection, the cell's own background and colour,
    bold, right alignment, an ellipsis when the text does not fit, the focus frame) from one
    call to the model; fonts and colours are read once a paint, not once a cell."""

    def __init__(self, model: BoardModel, view: QAbstractItemView) -> None:
        super().__init__(view)
        self.model = model
        self._frame: _Frame | None = None
        self._active = False
        self._laid: dict[tuple[str, bool], tuple[QStaticText, int]] = {}
        self._cut: dict[tuple[str, bool, int], tuple[QStaticText, int]] = {}
        self._font_key = ""
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            self._frame = None          # a new paint: fonts and palette may have changed
        return False

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        cell = self.model.cell(index.row(), index.column())
        if cell is None:
            return
        state = option.state.value
        active = bool(state & _ACTIVE)
        frame = self._frame
        if frame is None or active != self._active:
            frame = self._frame = _Frame(option, active)
            self._active = active
            if frame.key != self._font_key:       # the interface's font changed: lay out again
                self._font_key = frame.key
                self._laid.clear()
                self._cut.clear()
        rect = option.rect
        selected = state & _SELECTED
        if selected:
            painter.fillRect(rect, frame.highlight)
        elif cell.background is not None:
            painter.fillRect(rect, cell.background)
        if cell.text:
            font, metrics = frame.fonts[cell.bold]
            text, width = self._text(cell.text, cell.bold, metrics)
            room = rect.width() - 2 * MARGIN
            if width > room:
                text, width = self._elided(cell.text, cell.bold, metrics, room)
            painter.setFont(font)
            painter.setPen(frame.highlighted_text if selected
                           else cell.foreground if cell.foreground is not None else frame.text)
            x = rect.right() - MARGIN - width + 1 if cell.right else rect.x() + MARGIN
            y = rect.y() + (rect.height() - metrics.height() + 1) // 2
            painter.drawStaticText(x, y, text)
        if state & _FOCUS and option.widget is not None:
            option.widget.style().drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, option, painter,
                                                option.widget)

    # ------------------------------------------------------------ kept layouts
    def _text(self, text: str, bold: bool, metrics: QFontMetrics) -> tuple[QStaticText, int]:
        kept = self._laid.get((text, bold))
        if kept is None:
            if len(self._laid) >= KEEP:
                self._laid.clear()
            kept = self._laid[(text, bold)] = (_static(text), metrics.horizontalAdvance(text))
        return kept

    def _elided(self, text: str, bold: bool, metrics: QFontMetrics, room: int) -> tuple[QStaticText, int]:
        key = (text, bold, room)
        kept = self._cut.get(key)
        if kept is None:
            if len(self._cut) >= KEEP:
                self._cut.clear()
            cut = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
            kept = self._cut[key] = (_static(cut), metrics.horizontalAdvance(cut))
        return kept


def _static(text: str) -> QStaticText:
    static = QStaticText(text)
    static.setTextFormat(Qt.TextFormat.PlainText)
    return static
