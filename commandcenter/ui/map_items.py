"""The map's area items in the scene: outlines per layer (with coarse twins), grid fills as
vector paths per tile and as one raster, and the density image. They draw what the map state
decided; none of them decides what to show."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPainterPath, QPen, QPixmap, QTransform
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsPixmapItem

from ..domain.mapgeom import MapGeometry, Outline
from ..domain.mapstate import raster_frame
from .map_outline_cache import OutlineCache
from .map_style import FILL_ALPHA, density_lut, fill_colour
from .theme import qcolor


class LayerGroup:
    """Items shown and hidden together, with an optional coarse twin that stands in for them
    when zoomed out. Applies only changes: the view asks on every frame."""

    def __init__(self, items: list, coarse: list | None = None) -> None:
        self.items = items
        self.coarse = coarse or []
        self.visible = True
        self.fine = True
        self._apply()

    def show(self, visible: bool, fine: bool = True) -> None:
        if (visible, fine) != (self.visible, self.fine):
            self.visible, self.fine = visible, fine
            self._apply()

    def isVisible(self) -> bool:  # noqa: N802 - reads like Qt's
        return self.visible

    def _apply(self) -> None:
        for item in self.items:
            item.setVisible(self.visible and (self.fine or not self.coarse))
        for item in self.coarse:
            item.setVisible(self.visible and not self.fine)


def _curve(plot: pg.PlotItem, geo: MapGeometry, name: str, colour: str, width: float, z: float,
           alpha: int = 255) -> LayerGroup:
    items = []
    for key in (name, f"{name}_coarse"):
        o = geo.outlines.get(key)
        if o is None:
            continue
        # zoomed out, a 1-px line: thick lines cost Qt's stroker twice as much per frame
        w = width if key == name else 1.0
        items.append(_outline(plot, o, pg.mkPen(qcolor(colour, alpha), width=w), z))
    # with a coarse twin: the fine outline when zoomed in, the coarse one when zoomed out
    return LayerGroup(items[:1], items[1:])


def outline_layers(plot: pg.PlotItem, geo: MapGeometry) -> dict[str, LayerGroup]:
    """Grid outlines as one path per tile, stroked into an image kept while the view moves
    (map_outline_cache); the bigger units as one curve per layer."""
    pen = pg.mkPen(qcolor("#5b7a99", 150), width=0)     # hairline: the fast path
    grids = OutlineCache([pg.arrayToQPath(e.x, e.y, connect=e.connect) for e in geo.tile_edges.values()], pen)
    grids.setZValue(2)
    plot.addItem(grids)
    return {"grid": LayerGroup([grids]),
            "community": _curve(plot, geo, "community", "#8fb3d9", 1.2, 3, 220),
            "street": _curve(plot, geo, "street", "#e2e8f0", 2.0, 4),
            "district": _curve(plot, geo, "district", "#38bdf8", 3.0, 5)}


def _outline(plot: pg.PlotItem, o: Outline, pen: QPen, z: float) -> QGraphicsPathItem:
    """Lines that never change, as Qt's own path item: its bounds are computed once. (As
    pyqtgraph curves, 67 outline items recomputed their data bounds in numpy on every zoom
    frame: 12 ms a frame of the map bench.)"""
    item = QGraphicsPathItem(pg.arrayToQPath(o.x, o.y, connect=o.connect))
    pen = QPen(pen)
    pen.setCosmetic(True)                  # widths in pixels, whatever the zoom
    item.setPen(pen)
    item.setBrush(QBrush(Qt.BrushStyle.NoBrush))
    item.setZValue(z)
    plot.addItem(item)
    return item


class GridFills:
    """One path per colour class and tile (vector, when zoomed in), and the same fills painted
    once into an image (raster, when grids are too small on screen for vectors to pay)."""

    def __init__(self, plot: pg.PlotItem, geo: MapGeometry) -> None:
        self.plot = plot
        self.geo = geo
        self.items: list[QGraphicsPathItem] = []
        self.raster: QGraphicsPixmapItem | None = None

    def clear(self) -> None:
        for item in self.items:
            self.plot.removeItem(item)
        if self.raster is not None:
            self.plot.removeItem(self.raster)
            self.raster = None
        self.items = []

    def draw(self, mode: str, groups: dict[str, list[int]], raster: bool) -> None:
        self.clear()
        whole: list[tuple[QPainterPath, QColor]] = []
        for key, ids in groups.items():
            colour = qcolor(fill_colour(mode, key), FILL_ALPHA)
            for slots in self.geo.tile_slots(ids):
                o = self.geo.rings_at(slots)
                path = pg.arrayToQPath(o.x, o.y, connect=o.connect)
                path.setFillRule(Qt.FillRule.OddEvenFill)
                item = QGraphicsPathItem(path)
                item.setBrush(QBrush(colour))
                item.setPen(QPen(Qt.PenStyle.NoPen))
                item.setZValue(-10)
                self.plot.addItem(item)
                self.items.append(item)
                whole.append((path, colour))
        if raster and groups:
            self.raster = self._raster(whole)
            self.plot.addItem(self.raster)

    def show(self, vector: bool) -> None:
        for item in self.items:
            item.setVisible(vector)
        if self.raster is not None:
            self.raster.setVisible(not vector)

    def _raster(self, paths: list[tuple[QPainterPath, QColor]]) -> QGraphicsPixmapItem:
        x0, y0, x1, y1 = self.geo.bounds
        width, height, mpp = raster_frame(self.geo.bounds)
        image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setTransform(QTransform(1 / mpp, 0, 0, -1 / mpp, -x0 / mpp, y1 / mpp))
        for path, colour in paths:
            painter.fillPath(path, colour)
        painter.end()
        item = QGraphicsPixmapItem(QPixmap.fromImage(image))
        item.setTransform(QTransform(mpp, 0, 0, -mpp, x0, y1))
        item.setTransformationMode(Qt.TransformationMode.FastTransformation)
        item.setZValue(-10)
        return item


class DensityImage(pg.ImageItem):
    """Case density under everything else, hidden until asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(-5)
        self.setVisible(False)
        self._lut = density_lut()

    def draw(self, h: np.ndarray | None, bounds: tuple[float, float, float, float]) -> None:
        if h is None:
            return
        x0, y0, x1, y1 = bounds
        self.setImage(h, levels=(0, max(h.max(), 1e-9)), lut=self._lut)
        self.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
