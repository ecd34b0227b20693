"""The map's point items in the scene: case markers and clusters with their counts, staff
positions, and the selection (a ring on the case, the grid's outline)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QBrush

from ..domain.mapgeom import Outline
from ..domain.mapstate import MarkerPlan
from .map_style import cluster_brushes, cluster_sizes
from .map_text import TextLayer


class CaseMarkers:
    """Markers one by one, or clusters (red when any case in them is overdue) with counts.
    The counts are one text layer, its texts replaced at each re-binning."""

    def __init__(self, plot: pg.PlotItem) -> None:
        self.plot = plot
        self.markers = pg.ScatterPlotItem(pxMode=True, size=8, pen=pg.mkPen("#0b1220", width=0.6))
        self.markers.setZValue(20)
        plot.addItem(self.markers)
        self.clusters = pg.ScatterPlotItem(pxMode=True, pen=pg.mkPen("#e2e8f0", width=1))
        self.clusters.setZValue(21)
        plot.addItem(self.clusters)
        self.labels = TextLayer(None, "#ffffff", 22)
        plot.addItem(self.labels)
        self._late, self._in_time = cluster_brushes()

    def setVisible(self, on: bool) -> None:  # noqa: N802 - reads like Qt's
        self.markers.setVisible(on)
        self.clusters.setVisible(on)

    def clear(self) -> None:
        self.markers.setData([])
        self.clusters.setData([])
        self._write_counts(np.zeros((0, 2)), np.zeros(0))

    def draw(self, plan: MarkerPlan, xy: np.ndarray, brushes: list[QBrush], sizes: np.ndarray) -> None:
        """`brushes` and `sizes` per case, computed once per refresh: a zoom only re-bins."""
        if plan.singles is None:
            self.markers.setData(pos=xy, brush=brushes, size=sizes)
            self.clusters.setData([])
            self._write_counts(np.zeros((0, 2)), np.zeros(0))
            return
        idx = plan.singles
        self.markers.setData(pos=xy[idx], brush=[brushes[i] for i in idx], size=sizes[idx])
        self.clusters.setData(pos=plan.centres, size=cluster_sizes(plan.counts),
                              brush=[self._late if v else self._in_time for v in plan.late])
        self._write_counts(plan.centres[plan.labelled], plan.counts[plan.labelled])

    def _write_counts(self, positions: np.ndarray, counts: np.ndarray) -> None:
        self.labels.set_texts(positions, [str(int(c)) for c in counts])


class Selected:
    """The selected case's ring and the selected grid's outline."""

    def __init__(self, plot: pg.PlotItem) -> None:
        self.ring = pg.ScatterPlotItem(pxMode=True, size=22, brush=None, pen=pg.mkPen("#ffffff", width=2.5))
        self.ring.setZValue(30)
        plot.addItem(self.ring)
        self.grid = pg.PlotCurveItem(pen=pg.mkPen("#ffffff", width=2.5))
        self.grid.setZValue(12)
        plot.addItem(self.grid)

    def mark_case(self, pos: tuple[float, float] | None) -> None:
        if pos is None:
            self.ring.setData([])
        else:
            self.ring.setData(pos=[pos])

    def mark_grid(self, outline: Outline) -> None:
        self.grid.setData(outline.x, outline.y, connect=outline.connect)


def staff_item(plot: pg.PlotItem) -> pg.ScatterPlotItem:
    item = pg.ScatterPlotItem(pxMode=True, size=7, symbol="d", pen=None)
    item.setZValue(15)
    item.setVisible(False)
    plot.addItem(item)
    return item
