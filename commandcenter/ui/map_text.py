"""Many short texts at points of the map, drawn upright at a fixed pixel size by one item.

pyqtgraph's TextItem keeps its text the same size on screen by recomputing its own transform
whenever the view moves: with 54 names on screen that was 8 of a pan frame's 20 ms on the
development machine (`bench map`). Here the view's transform is applied to the anchor points
once per paint, in numpy, and each text — laid out once into a QStaticText — is drawn there.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QStaticText
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget


class TextLayer(pg.GraphicsObject):
    """Texts centred on points given in the view's units; `shown` picks which are drawn."""

    def __init__(self, font: QFont | None = None, colour: str = "#ffffff", z: float = 30) -> None:
        super().__init__()
        self.font = QFont(font) if font is not None else QFont()
        self.colour = QColor(colour)
        self.metrics = QFontMetricsF(self.font)
        self.xy = np.zeros((0, 2))
        self.texts: list[str] = []
        self.shown = np.zeros(0, bool)
        self._laid: dict[str, tuple[QStaticText, float, float]] = {}
        self._bounds = QRectF()
        self.setZValue(z)

    # ------------------------------------------------------------ content
    def set_texts(self, xy: np.ndarray, texts: list[str], shown: np.ndarray | None = None) -> None:
        self.prepareGeometryChange()
        self.xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        self.texts = list(texts)
        self.shown = np.ones(len(self.texts), bool) if shown is None else np.asarray(shown, bool)
        if len(self.xy):
            (x0, y0), (x1, y1) = self.xy.min(axis=0), self.xy.max(axis=0)
            self._bounds = QRectF(x0, y0, x1 - x0, y1 - y0)
        else:
            self._bounds = QRectF()
        self.update()

    def show_only(self, shown: np.ndarray) -> None:
        self.shown = np.asarray(shown, bool)
        self.update()

    def size_of(self, text: str) -> tuple[float, float]:
        """Its width and height on screen, in pixels."""
        _static, w, h = self._layout(text)
        return w, h

    def shown_rects(self, to_pixels: np.ndarray) -> list[QRectF]:
        """The boxes of the shown texts, in pixels, given their centres in pixels (tests,
        decluttering checks)."""
        rects = []
        for (px, py), i in zip(to_pixels, np.flatnonzero(self.shown)):
            w, h = self.size_of(self.texts[i])
            rects.append(QRectF(px - w / 2, py - h / 2, w, h))
        return rects

    # ------------------------------------------------------------ Qt
    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt's name
        # the anchors' extent; texts reach a little past it in pixels, and an item whose anchors
        # are all off screen draws nothing anyway
        pad = max(self._bounds.width(), self._bounds.height(), 1.0) * 0.05
        return self._bounds.adjusted(-pad, -pad, pad, pad)

    def dataBounds(self, *_args: object, **_kwargs: object) -> None:  # noqa: N802 - pyqtgraph's name
        return None          # names never widen the auto-range

    def paint(self, painter: QPainter, _option: QStyleOptionGraphicsItem, _widget: QWidget | None = None) -> None:
        idx = np.flatnonzero(self.shown)
        if not len(idx):
            return
        t = painter.transform()
        xy = self.xy[idx]
        px = t.m11() * xy[:, 0] + t.m21() * xy[:, 1] + t.dx()
        py = t.m12() * xy[:, 0] + t.m22() * xy[:, 1] + t.dy()
        painter.save()
        painter.resetTransform()
        painter.setFont(self.font)
        painter.setPen(self.colour)
        texts = self.texts
        for i, x, y in zip(idx.tolist(), px.tolist(), py.tolist()):
            static, w, h = self._layout(texts[i])
            painter.drawStaticText(QPointF(x - w / 2, y - h / 2), static)
        painter.restore()

    def _layout(self, text: str) -> tuple[QStaticText, float, float]:
        laid = self._laid.get(text)
        if laid is None:
            static = QStaticText(text)
            static.setTextFormat(Qt.TextFormat.PlainText)
            laid = self._laid[text] = (static, self.metrics.horizontalAdvance(text), self.metrics.height())
        return laid
