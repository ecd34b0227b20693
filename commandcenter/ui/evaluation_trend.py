"""The evaluation panel's trend (pyqtgraph): closure rate and on-time closure rate per day,
week or month above, cases filed and closed below, on one shared time axis. The buckets and
their values come from `report_pdf.trend_series`, so the screen and the printed report agree."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from .evaluation_data import EvaluationData
from .report_pdf import COUNT_COLOURS, RATE_COLOURS, bucket_label, trend_series
from .theme import BG


class TrendChart(pg.GraphicsLayoutWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evaluation-trend")
        self.setBackground(BG)
        self.rates = self.addPlot(row=0, col=0, enableMenu=False)     # no menus: none is built
        self.counts = self.addPlot(row=1, col=0, enableMenu=False)
        self.counts.setXLink(self.rates)
        self.ci.layout.setRowStretchFactor(0, 3)
        self.ci.layout.setRowStretchFactor(1, 2)
        for plot in (self.rates, self.counts):
            plot.setMouseEnabled(False, False)
            plot.hideButtons()
            plot.showGrid(x=False, y=True, alpha=0.15)
            plot.getAxis("left").setTextPen("#8aa0b6")
            plot.getAxis("bottom").setTextPen("#cbd5e1")
            plot.getAxis("left").setWidth(42)
        self.rates.setYRange(0, 105, padding=0)
        self.rate_legend = self.rates.addLegend(offset=(-6, 2), labelTextColor="#dbe4ee", brush=(15, 23, 34, 180))
        self.count_legend = self.counts.addLegend(offset=(-6, 2), labelTextColor="#dbe4ee", brush=(15, 23, 34, 180))
        self.closure = self.rates.plot([], [], pen=pg.mkPen(RATE_COLOURS[0], width=2), symbol="o", symbolSize=5,
                                       symbolBrush=RATE_COLOURS[0], connect="finite",
                                       name=self.tr("Closure rate (%)"))
        self.on_time = self.rates.plot([], [], pen=pg.mkPen(RATE_COLOURS[1], width=2), symbol="o", symbolSize=5,
                                       symbolBrush=RATE_COLOURS[1], connect="finite",
                                       name=self.tr("On-time closure rate (%)"))
        self.filed = pg.BarGraphItem(x=[], height=[], width=0.38, brush=COUNT_COLOURS[0], name=self.tr("Filed"))
        self.closed = pg.BarGraphItem(x=[], height=[], width=0.38, brush=COUNT_COLOURS[1], name=self.tr("Closed"))
        self.counts.addItem(self.filed)       # named items join the plot's legend as they are added
        self.counts.addItem(self.closed)
        self.values: dict[str, list[float | None]] = {}

    def show_data(self, data: EvaluationData) -> None:
        starts, series = trend_series(data)
        self.values = series
        x = np.arange(len(starts), dtype=float)

        def line(key: str) -> np.ndarray:
            return np.array([np.nan if v is None else v for v in series[key]], dtype=float)

        for curve, key in ((self.closure, "closure_rate"), (self.on_time, "on_time_closure_rate")):
            y = line(key)
            # a period with no case closed has no rate: nothing to draw (all-NaN data makes
            # pyqtgraph's bounds warn)
            if np.isfinite(y).any():
                curve.setData(x, y)
            else:
                curve.setData([], [])
        self.filed.setOpts(x=x - 0.2, height=np.array(series["filed"], dtype=float))
        self.closed.setOpts(x=x + 0.2, height=np.array(series["closed"], dtype=float))
        top = max([v or 0.0 for v in series["filed"] + series["closed"]] + [1.0])
        self.counts.setYRange(0, top * 1.15, padding=0)
        self.rates.setXRange(-0.6, max(len(starts), 1) - 0.4, padding=0)
        every = max(1, len(starts) // 10 + (1 if len(starts) % 10 else 0))
        ticks = [(float(i), bucket_label(s, data.bucket)) for i, s in enumerate(starts) if i % every == 0]
        self.counts.getAxis("bottom").setTicks([ticks])
        self.rates.getAxis("bottom").setTicks([ticks])
