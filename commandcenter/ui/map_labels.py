"""Place names in the scene: street, community and grid labels, shown as the map state's label
plan allows and decluttered on screen (text sizes are Qt's, so the placing is here)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont

from ..domain.display import Display
from ..domain.labels import declutter
from ..domain.mapgeom import MapGeometry
from ..domain.mapstate import LabelPlan, ViewRange
from .map_text import TextLayer

PAD = 4.0       # px around a name that no other name may take


class PlaceLabels:
    """One text layer per kind of place; each name is shown or hidden, never rebuilt."""

    def __init__(self, plot: pg.PlotItem, geo: MapGeometry, display: Display) -> None:
        self.plot = plot
        self.geo = geo
        bold = QFont()
        bold.setPointSize(11)
        bold.setBold(True)
        small = QFont()
        small.setPointSize(8)
        self.streets = TextLayer(bold, "#f8fafc", 40)
        self.streets.set_texts(np.array([a.anchor for a in geo.streets]).reshape(-1, 2),
                               [display.pick(a.attrs.get("name"), a.attrs.get("name_en")) for a in geo.streets],
                               np.ones(len(geo.streets), bool))
        self.communities = TextLayer(small, "#b6c8dc", 39)
        self.communities.set_texts(np.array([a.anchor for a in geo.communities]).reshape(-1, 2),
                                   [a.name for a in geo.communities], np.zeros(len(geo.communities), bool))
        self.grids = TextLayer(None, "#cbd5e1", 38)
        self.grids.set_texts(np.array([a.anchor for a in geo.grids]).reshape(-1, 2), [a.name for a in geo.grids],
                             np.zeros(len(geo.grids), bool))
        self.layers = (self.streets, self.communities, self.grids)
        for layer in self.layers:
            plot.addItem(layer)
        self._view: tuple[float, float, float, float] = (0.0, 1.0, 0.0, 1.0)
        self._size: tuple[float, float] = (1.0, 1.0)

    def show(self, plan: LabelPlan, view: ViewRange, size_px: tuple[float, float]) -> None:
        """Show the plan's labels that fit, in its priority order; hide the rest."""
        candidates: list[tuple[TextLayer, int]] = []
        if plan.streets:
            candidates += [(self.streets, i) for i in range(len(self.streets.texts))]
        if plan.communities:
            candidates += [(self.communities, i) for i in range(len(self.communities.texts))]
        candidates += [(self.grids, i) for i in plan.grids.tolist()]
        (x0, x1), (y0, y1) = view
        self._view, self._size = (x0, x1, y0, y1), size_px
        keep = self._placed(candidates, self._view, size_px)
        shown = {layer: np.zeros(len(layer.texts), bool) for layer in self.layers}
        for (layer, i), k in zip(candidates, keep):
            if k:
                shown[layer][i] = True
        for layer, mask in shown.items():
            layer.show_only(mask)

    def shown_rects(self) -> list[QRectF]:
        """The shown names' boxes in pixels of the view they were placed for."""
        rects: list[QRectF] = []
        for layer in self.layers:
            idx = np.flatnonzero(layer.shown)
            rects += layer.shown_rects(self._to_pixels(layer.xy[idx]))
        return rects

    def _to_pixels(self, xy: np.ndarray) -> np.ndarray:
        x0, x1, y0, y1 = self._view
        sx, sy = self._size[0] / (x1 - x0), self._size[1] / (y1 - y0)
        return np.column_stack(((xy[:, 0] - x0) * sx, (y1 - xy[:, 1]) * sy)) if len(xy) else np.zeros((0, 2))

    def _placed(self, candidates: list[tuple[TextLayer, int]], view: tuple[float, float, float, float],
                size_px: tuple[float, float]) -> np.ndarray:
        """Which candidates fit without touching one of higher priority, in pixels."""
        x0, x1, y0, y1 = view
        if not candidates or x1 <= x0 or y1 <= y0:
            return np.zeros(len(candidates), bool)
        centres = self._to_pixels(np.array([layer.xy[i] for layer, i in candidates]))
        sizes = np.array([layer.size_of(layer.texts[i]) for layer, i in candidates]) + PAD
        return declutter(centres, sizes)
