"""Place names in the scene: street, community and grid labels, shown as the map state's label
plan allows and decluttered on screen (text sizes are Qt's, so the placing is here)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFont

from ..domain.display import Display
from ..domain.labels import declutter
from ..domain.mapgeom import MapGeometry
from ..domain.mapstate import LabelPlan, ViewRange


class PlaceLabels:
    """Street and community labels are made once; grid labels when first wanted."""

    def __init__(self, plot: pg.PlotItem, geo: MapGeometry, display: Display) -> None:
        self.plot = plot
        self.geo = geo
        self.streets: list[pg.TextItem] = []
        bold = QFont()
        bold.setPointSize(11)
        bold.setBold(True)
        for a in geo.streets:
            t = pg.TextItem(display.pick(a.attrs.get("name"), a.attrs.get("name_en")), color="#f8fafc", anchor=(0.5, 0.5))
            t.setFont(bold)
            t.setPos(*a.anchor)
            t.setZValue(40)
            plot.addItem(t)
            self.streets.append(t)
        small = QFont()
        small.setPointSize(8)
        self.communities: list[pg.TextItem] = []
        for a in geo.communities:
            t = pg.TextItem(a.name, color="#b6c8dc", anchor=(0.5, 0.5))
            t.setFont(small)
            t.setPos(*a.anchor)
            t.setZValue(39)
            t.setVisible(False)
            plot.addItem(t)
            self.communities.append(t)
        self.grids: dict[int, pg.TextItem] = {}

    def show(self, plan: LabelPlan, view: ViewRange, size_px: tuple[float, float]) -> None:
        """Show the plan's labels that fit, in its priority order; hide the rest."""
        candidates: list[tuple[pg.TextItem, tuple[float, float]]] = []
        if plan.streets:
            candidates += [(t, a.anchor) for t, a in zip(self.streets, self.geo.streets)]
        if plan.communities:
            candidates += [(t, a.anchor) for t, a in zip(self.communities, self.geo.communities)]
        for i in plan.grids.tolist():
            a = self.geo.grids[i]
            t = self.grids.get(a.id)
            if t is None:
                t = pg.TextItem(a.name, color="#cbd5e1", anchor=(0.5, 0.5))
                t.setPos(*a.anchor)
                t.setZValue(38)
                self.plot.addItem(t)
                self.grids[a.id] = t
            candidates.append((t, a.anchor))
        (x0, x1), (y0, y1) = view
        shown = self._placed(candidates, (x0, x1, y0, y1), size_px)
        for t in (*self.streets, *self.communities, *self.grids.values()):
            t.setVisible(id(t) in shown)

    @staticmethod
    def _placed(candidates: list[tuple[pg.TextItem, tuple[float, float]]],
                view: tuple[float, float, float, float], size_px: tuple[float, float]) -> set[int]:
        """The labels (by id) that fit without touching one of higher priority, in pixels."""
        x0, x1, y0, y1 = view
        if not candidates or x1 <= x0 or y1 <= y0:
            return set()
        sx, sy = size_px[0] / (x1 - x0), size_px[1] / (y1 - y0)
        centres = np.array([((x - x0) * sx, (y1 - y) * sy) for _t, (x, y) in candidates])
        sizes = np.array([(t.textItem.boundingRect().width(), t.textItem.boundingRect().height())
                          for t, _xy in candidates])
        keep = declutter(centres, sizes)
        return {id(t) for (t, _xy), k in zip(candidates, keep) if k}
