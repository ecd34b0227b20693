"""KPI strip: today's reported / filed / dispatched / closed, overdue now, open, the on-time
closure rate of the last 30 days, and a per-street ranking chart. Refreshed after changes
(debounced), computed by the database."""

from __future__ import annotations

import logging
import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ..domain.display import Display
from ..store import queries
from .live import LiveData
from .theme import BG
from .worker import DbWorker

log = logging.getLogger(__name__)

class KpiModel(QObject):
    """Holds the latest KPIs and refreshes them after changes; shared by the hall and the wall."""
    updated = Signal(object)

    def __init__(self, live: LiveData, worker: DbWorker, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.live = live
        self.worker = worker
        self.kpis: queries.Kpis | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(1500)
        self._timer.timeout.connect(self.refresh)
        live.snapshot_loaded.connect(self.refresh)
        live.events_applied.connect(lambda _e: self._timer.start() if not self._timer.isActive() else None)
        self._minute = QTimer(self)              # overdue grows with the clock, not only with events
        self._minute.timeout.connect(self.refresh)
        self._minute.start(60_000)
        if live.loaded:
            self.refresh()

    def refresh(self) -> None:
        self.worker.submit(queries.kpis, self._loaded, self._failed, key="kpis")

    def _failed(self, exc: Exception) -> None:
        # the figures keep their last values (or "—"); the log says why they are not current
        log.warning("key figures not read: %s", str(exc).strip().splitlines()[0] if str(exc).strip() else exc)

    def _loaded(self, k: queries.Kpis) -> None:
        self.kpis = k
        self.updated.emit(k)


def kpi_tile(label: str, object_name: str) -> tuple[QWidget, QLabel]:
    """A big figure over its label (the hall's strip and the wall share the look)."""
    w = QWidget()
    lay = QVBoxLayout(w)
    lay.setContentsMargins(10, 2, 10, 2)
    lay.setSpacing(0)
    v = QLabel("—")
    v.setObjectName(object_name)
    v.setProperty("role", "kpi-value")
    t = QLabel(label)
    t.setProperty("role", "kpi-label")
    lay.addWidget(v)
    lay.addWidget(t)
    return w, v


def short_street(name: str) -> str:
    """Axis labels: 东华门街道 → 东华门, Donghuamen Street → Donghuamen."""
    return name.removesuffix("街道").removesuffix(" Street").removesuffix(" Town")


def abbreviate(names: list[str], keep: int = 6) -> list[str]:
    """Long Latin names cut to `keep` letters and a dot, each cut long enough to stay distinct
    (Donghuamen, Donghuashi → Donghuam., Donghuas.). Chinese names are short already."""
    out = []
    for name in names:
        if len(name) <= keep + 1 or not name.isascii():
            out.append(name)
            continue
        n = keep
        while n < len(name) and any(o != name and o[:n] == name[:n] for o in names):
            n += 1
        out.append(name if n >= len(name) - 2 else name[:n] + ".")   # a cut must save something
    return out


def show_kpis(values: dict[str, QLabel], k: queries.Kpis) -> None:
    """Fill whichever figures a view shows; overdue in red when there is any."""
    for key, label in values.items():
        if key == "on_time":
            label.setText(f"{k.on_time_rate:.1f}%" if k.on_time_rate is not None else "—")
        else:
            label.setText(f"{getattr(k, key):,}")
    if "overdue" in values:
        values["overdue"].setStyleSheet("color: #ef4444;" if k.overdue else "")


class RankingChart(pg.PlotWidget):
    """Streets ranked by open overdue cases (bars) — where the hall should look first."""

    def __init__(self, display: Display, parent: QWidget | None = None, font_px: int = 10) -> None:
        super().__init__(parent, background=BG, enableMenu=False)     # no menu: none is built
        self.display = display
        self.setMouseEnabled(False, False)
        self.getPlotItem().hideButtons()
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.7, brush="#ef4444")
        self.open_bars = pg.BarGraphItem(x=[], height=[], width=0.7, brush="#2f6690")
        self.addItem(self.open_bars)
        self.addItem(self.bars)
        self.font_px = font_px
        self.getAxis("left").setTextPen("#8aa0b6")
        self.getAxis("bottom").setTextPen("#cbd5e1")

    def show_streets(self, streets: list[dict], top: int = 17) -> None:
        ranked = sorted(streets, key=lambda s: (-s["overdue"], -s["open"]))[:top]
        x = np.arange(len(ranked))
        self.open_bars.setOpts(x=x, height=[s["open"] for s in ranked])
        self.bars.setOpts(x=x, height=[s["overdue"] for s in ranked])
        self._full = [short_street(self.display.pick(s["name"], s["name_en"])) for s in ranked]
        self._labels = abbreviate(self._full)
        self._place_labels()
        self.setYRange(0, max([s["open"] for s in ranked] + [1]) * 1.1, padding=0)

    def _place_labels(self) -> None:
        """Every street's name where there is room; every second or third where names would
        run into each other (narrow screens, English names) — the highest ranked always shown."""
        labels = getattr(self, "_labels", None)
        if labels is None:            # not drawn yet (Qt resizes the widget while building it)
            return
        if not labels:
            self.getAxis("bottom").setTicks([[]])
            self.setXRange(-0.6, 0.6, padding=0)
            return
        metrics = QFontMetrics(self.getAxis("bottom").style.get("tickFont") or self.font())
        width = max(self.getPlotItem().vb.width(), 1)
        per_bar = width / len(labels)
        # each name whole where it has room (a wide screen), else cut
        labels = [f if metrics.horizontalAdvance(f) + 6 <= per_bar else a for f, a in zip(self._full, labels, strict=True)]
        widest = max(metrics.horizontalAdvance(t) for t in labels) + 6
        step = max(1, math.ceil(widest / per_bar))
        shown = [(i, t) for i, t in enumerate(labels) if i % step == 0]
        self.getAxis("bottom").setTicks([shown])
        # room at the ends for the first and the last name: the axis hides a label that runs past
        # its edge, and the first is the street with the most overdue cases (the wall's point)
        first = metrics.horizontalAdvance(shown[0][1]) / 2 + 4
        last = metrics.horizontalAdvance(shown[-1][1]) / 2 + 4 - (len(labels) - 1 - shown[-1][0]) * per_bar
        left = right = 0.6
        for _ in range(3):                      # the margins change the scale a little: settle it
            scale = width / (len(labels) - 1 + left + right)
            left, right = max(0.6, first / scale), max(0.6, last / scale)
        self.setXRange(-left, len(labels) - 1 + right, padding=0)

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802
        super().resizeEvent(event)
        self._place_labels()


class KpiStrip(QWidget):
    def __init__(self, kpi: KpiModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kpi-strip")
        # reachable by key (Ctrl+5), and ringed when it is: a plain QWidget draws its style
        # sheet's border only with a styled background
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setProperty("focusRing", True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.kpi = kpi
        tiles = QHBoxLayout()
        self.values: dict[str, QLabel] = {}
        for key, label in (("reported", self.tr("Reported today")), ("filed", self.tr("Filed today")),
                           ("dispatched", self.tr("Dispatched today")), ("closed", self.tr("Closed today")),
                           ("open", self.tr("Open now")), ("overdue", self.tr("Overdue now")),
                           ("on_time", self.tr("On-time closure (30 d)"))):
            w, v = kpi_tile(label, f"kpi-{key}")
            self.values[key] = v
            tiles.addWidget(w)
        self.chart = RankingChart(kpi.live.display)
        self.chart.setMinimumWidth(260)
        self.chart_title = QLabel(self.tr("Streets: open (blue) and overdue (red)"))
        self.chart_title.setProperty("role", "kpi-label")
        right = QVBoxLayout()
        right.setSpacing(0)
        right.addWidget(self.chart_title)
        right.addWidget(self.chart, 1)
        lay = QGridLayout(self)
        lay.setContentsMargins(4, 2, 4, 2)
        lay.addLayout(tiles, 0, 0)
        lay.addLayout(right, 0, 1)
        lay.setColumnStretch(1, 1)
        kpi.updated.connect(self.display)
        if kpi.kpis is not None:
            self.display(kpi.kpis)

    def display(self, k: queries.Kpis) -> None:
        show_kpis(self.values, k)
        self.chart.show_streets(k.streets)
