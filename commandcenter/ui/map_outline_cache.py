"""Grid borders stroked once into an image of the view and reused while the view moves.

A city's grids have about a hundred thousand border segments; with most of the city in view
Qt's software rasteriser strokes them in ~7 ms, every frame of a pan or a zoom. This item
strokes them into an image covering the view and a margin round it, then blits that image:
unchanged while the view pans within the margin, scaled while a zoom stays within RESCALE of
the image's scale. The image is stroked afresh when a pan leaves the margin, a zoom goes past
RESCALE, the view is resized, or SETTLE_MS after a frame that showed it scaled or between
pixels (so the borders are exact again as soon as the view stops: the image is only ever seen
scaled or shifted in motion)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QTimer
from PySide6.QtGui import QImage, QPainter, QPainterPath, QPen, QTransform
from PySide6.QtWidgets import QGraphicsObject, QStyleOptionGraphicsItem, QWidget

#: the image covers the view and this fraction of its size on each side
MARGIN = 0.15
#: a zoom reuses the image until the scale has moved by this factor either way
RESCALE = 1.3
#: the image is stroked afresh this long after the last scaled frame
SETTLE_MS = 150


@dataclass
class _Shot:
    image: QImage
    area: QRectF            # what the image covers, in the item's (data) coordinates
    sx: float               # the device scale the image was stroked at
    sy: float


class OutlineCache(QGraphicsObject):
    """The borders of many pieces (one path per map tile) under one pen, kept as an image."""

    def __init__(self, paths: list[QPainterPath], pen: QPen) -> None:
        super().__init__()
        self._paths = paths
        self._rects = [p.boundingRect() for p in paths]
        bounds = QRectF()
        for r in self._rects:
            bounds = bounds.united(r)
        self._bounds = bounds
        self._pen = QPen(pen)
        self._pen.setCosmetic(True)
        self._shot: _Shot | None = None
        self.shots = 0                      # how many images were stroked (tests, benches)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._sharpen)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt's name
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        t = painter.worldTransform()
        if widget is None or t.m12() or t.m21():       # printing, or a rotated view: stroke directly
            self._stroke(painter)
            return
        view = QRectF(widget.rect())
        shot = self._shot
        if shot is None or not self._usable(shot, t, view):
            shot = self._shot = self._take(t, view, widget.devicePixelRatioF())
        target = t.mapRect(shot.area)
        painter.save()
        painter.resetTransform()
        painter.drawImage(target, shot.image)
        painter.restore()
        scaled = abs(t.m11() - shot.sx) > 1e-9 * abs(shot.sx) or abs(t.m22() - shot.sy) > 1e-9 * abs(shot.sy)
        between = abs(target.left() - round(target.left())) > 0.01 or abs(target.top() - round(target.top())) > 0.01
        if scaled or between:
            self._settle.start()    # seen scaled, or between pixels: stroked exact once the view rests

    def _usable(self, shot: _Shot, t: QTransform, view: QRectF) -> bool:
        for now, then in ((t.m11(), shot.sx), (t.m22(), shot.sy)):
            if then == 0 or not (1 / RESCALE <= now / then <= RESCALE):
                return False
        return t.mapRect(shot.area).contains(view)

    def _take(self, t: QTransform, view: QRectF, ratio: float) -> _Shot:
        # whole pixels: the image's pixels are the screen's, so its lines fall where direct ones would
        mx, my = round(view.width() * MARGIN), round(view.height() * MARGIN)
        device = view.adjusted(-mx, -my, mx, my)
        inverse, ok = t.inverted()
        area = inverse.mapRect(device) if ok else QRectF(self._bounds)
        image = QImage(max(1, round(device.width() * ratio)), max(1, round(device.height() * ratio)),
                       QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(ratio)
        image.fill(0)
        p = QPainter(image)
        p.setTransform(t * QTransform.fromTranslate(-device.left(), -device.top()))
        p.setPen(self._pen)
        for path, rect in zip(self._paths, self._rects):
            if rect.intersects(area):
                p.drawPath(path)
        p.end()
        self.shots += 1
        return _Shot(image, area, t.m11(), t.m22())

    def _stroke(self, painter: QPainter) -> None:
        painter.setPen(self._pen)
        for path in self._paths:
            painter.drawPath(path)

    def _sharpen(self) -> None:
        self._shot = None
        self.update()
