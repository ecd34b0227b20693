"""The grid map: pyqtgraph, aspect-locked, in local metres. Outlines are one curve per layer
(a `connect` array separates rings), fills are one path per colour class, picking is our own
(an STRtree for grids, numpy for markers). Layers toggle from the panel beside it."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QCursor, QFont, QImage, QPainter, QPainterPath, QPen, QPixmap, QTransform
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGraphicsPathItem,
    QGraphicsPixmapItem,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ..domain.cases import is_overdue, now_utc
from ..domain.labels import declutter
from ..domain.mapgeom import MapGeometry, cluster, nearest
from ..domain.cases import BoardRow
from .i18n import named, pick
from .live import LiveData
from .plain import plain_label
from .selection import Selection
from .theme import (
    BG,
    GRID_TYPE_COLOURS,
    LEVEL_COLOURS,
    LOAD_COLOURS,
    MUTED,
    ROLE_COLOURS,
    STATE_COLOURS,
    URGENCY_COLOURS,
    qcolor,
)

LOAD_BREAKS = (0, 1, 3, 6, 11)          # open cases per grid: 0, 1–2, 3–5, 6–10, 11+
CLUSTER_ABOVE = 700                     # more markers than this in view: aggregate
PICK_PX = 7


RASTER_ABOVE_GRIDS = 3000               # a district draws vectors; a city also gets a raster
RASTER_PX = 2560
OUTLINES_FROM_PX = 12                   # grid outlines when a typical grid spans this many pixels
VECTOR_FILL_FROM_PX = 24
COARSE_FROM_M_PER_PX = 25.0             # street/district outlines simplified to 30 m beyond this


class LayerGroup:
    """Items shown and hidden together; visible when the user wants it and the zoom allows.
    An optional coarse twin stands in for the items when zoomed out."""

    def __init__(self, items: list, coarse: list | None = None) -> None:
        self.items = items
        self.coarse = coarse or []
        self.wanted = True
        self.lod = True
        self.fine = True
        self._apply()

    def set_fine(self, fine: bool) -> None:
        if fine != self.fine:
            self.fine = fine
            self._apply()

    def setVisible(self, on: bool) -> None:  # noqa: N802 - reads like Qt's
        self.wanted = on
        self._apply()

    def set_lod(self, on: bool) -> None:
        if on != self.lod:
            self.lod = on
            self._apply()

    def isVisible(self) -> bool:  # noqa: N802
        return self.wanted and self.lod

    def _apply(self) -> None:
        show = self.wanted and self.lod
        for item in self.items:
            item.setVisible(show and (self.fine or not self.coarse))
        for item in self.coarse:
            item.setVisible(show and not self.fine)


class MapCanvas(pg.PlotWidget):
    """The plot itself; the layer panel and legend wrap it in MapView."""
    hovered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background=BG)
        self.setAspectLocked(True)
        self.hideAxis("left")
        self.hideAxis("bottom")
        self.setMenuEnabled(False)
        self.getPlotItem().hideButtons()
        self.setMouseTracking(True)


class MapView(QWidget):
    def __init__(self, live: LiveData, selection: Selection, geometry: MapGeometry, staff: list[dict] | None = None,
                 *, panel: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("map")
        self.live = live
        self.selection = selection
        self.geo = geometry
        self.canvas = MapCanvas()
        self.plot = self.canvas.getPlotItem()
        self.vb = self.plot.getViewBox()
        self.layers: dict[str, object] = {}
        self.case_ids = np.zeros(0, dtype=np.int64)
        self.case_xy = np.zeros((0, 2))
        self.staff_xy = np.zeros((0, 2))
        self.open_rows: list[BoardRow] = []
        self.case_brushes: list[QBrush] = []
        self.case_sizes = np.zeros(0)
        self.case_overdue = np.zeros(0, dtype=bool)
        self._cluster_brushes = (pg.mkBrush(qcolor("#ef4444", 190)), pg.mkBrush(qcolor("#2563eb", 190)))
        self.staff_rows: list[dict] = []
        self.clustered = False
        self.fill_mode = "load"
        self.marker_mode = "state"
        self.last_hover = ""

        self._build_outlines()
        self.fill_items: list[QGraphicsPathItem] = []
        self.fill_raster: QGraphicsPixmapItem | None = None
        self.density = pg.ImageItem()
        self.density.setZValue(-5)
        self.density.setVisible(False)
        self.plot.addItem(self.density)
        self.markers = pg.ScatterPlotItem(pxMode=True, size=8, pen=pg.mkPen("#0b1220", width=0.6))
        self.markers.setZValue(20)
        self.plot.addItem(self.markers)
        self.clusters = pg.ScatterPlotItem(pxMode=True, pen=pg.mkPen("#e2e8f0", width=1))
        self.clusters.setZValue(21)
        self.plot.addItem(self.clusters)
        self.cluster_labels: list[pg.TextItem] = []
        self.staff = pg.ScatterPlotItem(pxMode=True, size=7, symbol="d", pen=None)
        self.staff.setZValue(15)
        self.staff.setVisible(False)
        self.plot.addItem(self.staff)
        self.selected = pg.ScatterPlotItem(pxMode=True, size=22, brush=None, pen=pg.mkPen("#ffffff", width=2.5))
        self.selected.setZValue(30)
        self.plot.addItem(self.selected)
        self.grid_highlight = pg.PlotCurveItem(pen=pg.mkPen("#ffffff", width=2.5))
        self.grid_highlight.setZValue(12)
        self.plot.addItem(self.grid_highlight)
        self._build_labels()
        self._build_staff(staff or [])

        self.legend = QLabel()
        self.legend.setObjectName("map-legend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.panel = self._build_panel() if panel else None
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        if self.panel is not None:
            scroll = QScrollArea()
            scroll.setWidget(self.panel)
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QScrollArea.Shape.NoFrame)
            scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            scroll.setFixedWidth(self.panel.width() + 12)
            lay.addWidget(scroll)
        lay.addWidget(self.canvas, 1)

        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(120)
        self._refresh.timeout.connect(self.refresh_cases)
        self._zoom = QTimer(self)
        self._zoom.setSingleShot(True)
        self._zoom.setInterval(80)
        self._zoom.timeout.connect(self._on_zoom)
        self.vb.sigRangeChanged.connect(lambda *_: (self._apply_lod(), self._zoom.start()))
        self.canvas.scene().sigMouseMoved.connect(self._mouse_moved)
        self.canvas.scene().sigMouseClicked.connect(self._mouse_clicked)
        live.snapshot_loaded.connect(self.refresh_cases)
        live.rows_changed.connect(lambda *_: self._refresh.start())
        selection.case_selected.connect(self.show_case)
        selection.grid_selected.connect(self.show_grid)
        self.show_all()
        if live.loaded:
            self.refresh_cases()

    # ------------------------------------------------------------ building
    def _curve(self, name: str, colour: str, width: float, z: float, alpha: int = 255) -> None:
        items = []
        for key in (name, f"{name}_coarse"):
            o = self.geo.outlines.get(key)
            if o is None:
                continue
            # zoomed out, a 1-px line: thick lines cost Qt's stroker twice as much per frame
            w = width if key == name else 1.0
            item = pg.PlotCurveItem(o.x, o.y, connect=o.connect, pen=pg.mkPen(qcolor(colour, alpha), width=w),
                                    antialias=False)
            item.setZValue(z)
            self.plot.addItem(item)
            items.append(item)
        # with a coarse twin: the fine outline when zoomed in, the coarse one when zoomed out
        self.layers[name] = LayerGroup(items[:1], items[1:])

    def _build_outlines(self) -> None:
        # grid outlines: one curve per tile, so the scene culls what is off screen
        pen = pg.mkPen(qcolor("#5b7a99", 150), width=0)     # hairline: the fast path
        items = []
        for ids in self.geo.tiles().values():
            o = self.geo.rings_of(ids)
            item = pg.PlotCurveItem(o.x, o.y, connect=o.connect, pen=pen, antialias=False)
            item.setZValue(2)
            self.plot.addItem(item)
            items.append(item)
        self.layers["grid"] = LayerGroup(items)
        self._curve("community", "#8fb3d9", 1.2, 3, 220)
        self._curve("street", "#e2e8f0", 2.0, 4)
        self._curve("district", "#38bdf8", 3.0, 5)

    def _build_labels(self) -> None:
        self.street_labels = []
        bold = QFont()
        bold.setPointSize(11)
        bold.setBold(True)
        for a in self.geo.streets:
            t = pg.TextItem(pick(a.attrs.get("name"), a.attrs.get("name_en")), color="#f8fafc", anchor=(0.5, 0.5))
            t.setFont(bold)
            t.setPos(*a.anchor)
            t.setZValue(40)
            self.plot.addItem(t)
            self.street_labels.append(t)
        small = QFont()
        small.setPointSize(8)
        self.community_labels = []
        for a in self.geo.communities:
            t = pg.TextItem(a.name, color="#b6c8dc", anchor=(0.5, 0.5))
            t.setFont(small)
            t.setPos(*a.anchor)
            t.setZValue(39)
            t.setVisible(False)
            self.plot.addItem(t)
            self.community_labels.append(t)
        self.grid_labels: dict[int, pg.TextItem] = {}

    def _build_staff(self, staff: list[dict]) -> None:
        if not staff:
            return
        xy = self.geo.project(np.array([s["lon"] for s in staff]), np.array([s["lat"] for s in staff]))
        self.staff_xy = xy
        self.staff_rows = staff
        brushes = [pg.mkBrush(ROLE_COLOURS.get(s["role"], "#94a3b8")) for s in staff]
        self.staff.setData(pos=xy, brush=brushes)

    def _build_panel(self) -> QWidget:
        w = QWidget()
        w.setObjectName("map-layers")
        w.setFixedWidth(190)
        lay = QVBoxLayout(w)
        lay.setContentsMargins(6, 6, 6, 6)
        title = QLabel(self.tr("Layers"))
        title.setProperty("role", "title")
        lay.addWidget(title)
        self.toggles: dict[str, QCheckBox] = {}
        for key, label, on in (("district", self.tr("District outline"), True),
                               ("street", self.tr("Street outlines"), True),
                               ("community", self.tr("Community outlines"), True),
                               ("grid", self.tr("Grid outlines"), True),
                               ("labels", self.tr("Labels"), True),
                               ("markers", self.tr("Case markers"), True),
                               ("staff", self.tr("Staff positions"), False),
                               ("density", self.tr("Case density"), False)):
            cb = QCheckBox(label)
            cb.setObjectName(f"layer-{key}")
            cb.setChecked(on)
            cb.toggled.connect(lambda v, k=key: self.set_layer(k, v))
            lay.addWidget(cb)
            self.toggles[key] = cb
        lay.addWidget(QLabel(self.tr("Grid fill")))
        self.fill_box = QComboBox()
        self.fill_box.setObjectName("fill-mode")
        for code, label in (("load", self.tr("Open-case load")), ("type", self.tr("Grid type")),
                            ("level", self.tr("Management level")), ("none", self.tr("No fill"))):
            self.fill_box.addItem(label, code)
        self.fill_box.currentIndexChanged.connect(lambda _i: self.set_fill(self.fill_box.currentData()))
        lay.addWidget(self.fill_box)
        lay.addWidget(QLabel(self.tr("Markers by")))
        self.marker_box = QComboBox()
        self.marker_box.setObjectName("marker-mode")
        self.marker_box.addItem(self.tr("State"), "state")
        self.marker_box.addItem(self.tr("Urgency"), "urgency")
        self.marker_box.currentIndexChanged.connect(lambda _i: self.set_marker_mode(self.marker_box.currentData()))
        lay.addWidget(self.marker_box)
        lay.addWidget(self.legend)
        lay.addStretch(1)
        self.hover_label = plain_label(QLabel())
        self.hover_label.setObjectName("map-hover")
        self.hover_label.setWordWrap(True)
        self.hover_label.setProperty("role", "muted")
        lay.addWidget(self.hover_label)
        return w

    # ------------------------------------------------------------ layers
    def set_layer(self, key: str, on: bool) -> None:
        if key in self.layers:
            self.layers[key].setVisible(on)
        elif key == "labels":
            self._on_zoom()
        elif key == "markers":
            self.markers.setVisible(on)
            self.clusters.setVisible(on)
            self._draw_markers()
        elif key == "staff":
            self.staff.setVisible(on)
        elif key == "density":
            self.density.setVisible(on)
            if on:
                self._draw_density()

    def layer_on(self, key: str) -> bool:
        return self.toggles[key].isChecked() if self.panel is not None else key not in ("staff", "density")

    def set_fill(self, mode: str) -> None:
        self.fill_mode = mode
        self._draw_fills()

    def set_marker_mode(self, mode: str) -> None:
        self.marker_mode = mode
        self.case_brushes = [self._brush_for(r) for r in self.open_rows]
        self._draw_markers()
        self._update_legend()

    def _draw_fills(self) -> None:
        """One path per colour class and tile (vector, when zoomed in), and the same fills
        painted once into an image (raster, when grids are too small on screen for vectors to
        pay: filling 30,000 polygons costs ~90 ms a frame)."""
        for item in self.fill_items:
            self.plot.removeItem(item)
        if self.fill_raster is not None:
            self.plot.removeItem(self.fill_raster)
            self.fill_raster = None
        self.fill_items = []
        groups: dict[str, list[int]] = {}
        colours: dict[str, str] = {}
        if self.fill_mode == "none":
            self._update_legend()
            return
        loads = self._grid_loads()
        classes = np.searchsorted(LOAD_BREAKS, np.array([loads.get(a.id, 0) for a in self.geo.grids]), side="right") - 1
        for gi, a in enumerate(self.geo.grids):
            if self.fill_mode == "type":
                key = a.attrs["grid_type"]
                colours[key] = GRID_TYPE_COLOURS.get(key, "#64748b")
            elif self.fill_mode == "level":
                key = a.attrs["mgmt_level"]
                colours[key] = LEVEL_COLOURS.get(key, "#64748b")
            else:
                k = int(classes[gi])
                key = str(k)
                colours[key] = LOAD_COLOURS[k]
            groups.setdefault(key, []).append(a.id)
        whole: list[tuple[QPainterPath, QColor]] = []
        for key, ids in groups.items():
            colour = qcolor(colours[key], 120)
            for tile_ids in self.geo.tiles(ids).values():
                o = self.geo.rings_of(tile_ids)
                path = pg.arrayToQPath(o.x, o.y, connect=o.connect)
                path.setFillRule(Qt.FillRule.OddEvenFill)
                item = QGraphicsPathItem(path)
                item.setBrush(QBrush(colour))
                item.setPen(QPen(Qt.PenStyle.NoPen))
                item.setZValue(-10)
                self.plot.addItem(item)
                self.fill_items.append(item)
                whole.append((path, colour))
        if len(self.geo.grids) > RASTER_ABOVE_GRIDS:
            self.fill_raster = self._raster(whole)
            self.plot.addItem(self.fill_raster)
        self._apply_lod()
        self._update_legend()

    def _raster(self, paths: list[tuple[QPainterPath, QColor]]) -> QGraphicsPixmapItem:
        x0, y0, x1, y1 = self.geo.bounds
        mpp = max(x1 - x0, y1 - y0) / RASTER_PX          # metres per pixel
        image = QImage(max(1, int((x1 - x0) / mpp)), max(1, int((y1 - y0) / mpp)),
                       QImage.Format.Format_ARGB32_Premultiplied)
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

    def _apply_lod(self) -> None:
        """Level of detail: grid outlines only when grids are big enough on screen to read;
        vector fills when zoomed in, the raster when zoomed out."""
        pixel = max(self._pixel(), 1e-9)
        grid_px = self.geo.typical_grid_m / pixel
        self.layers["grid"].set_lod(grid_px >= OUTLINES_FROM_PX)
        for key in ("street", "district"):
            self.layers[key].set_fine(pixel < COARSE_FROM_M_PER_PX)
        vector = self.fill_raster is None or grid_px >= VECTOR_FILL_FROM_PX
        for item in self.fill_items:
            item.setVisible(vector)
        if self.fill_raster is not None:
            self.fill_raster.setVisible(not vector)

    def _grid_loads(self) -> Counter:
        return Counter(r.grid_id for r in self.live.rows.values() if r.is_open)

    def _update_legend(self) -> None:
        ref = self.live.reference
        rows = []
        if self.fill_mode == "type":
            rows = [(GRID_TYPE_COLOURS.get(c, "#64748b"), named(n)) for c, n in ref.grid_types.items()]
        elif self.fill_mode == "level":
            rows = [(LEVEL_COLOURS.get(c, "#64748b"), named(n)) for c, n in ref.levels.items()]
        elif self.fill_mode == "load":
            labels = ["0", "1–2", "3–5", "6–10", "11+"]
            rows = [(LOAD_COLOURS[i], self.tr("%1 open cases").replace("%1", labels[i])) for i in range(5)]
        marks = ([(STATE_COLOURS[c], named(n)) for c, n in ref.states.items() if c in ref.open_states]
                 if self.marker_mode == "state" else
                 [(URGENCY_COLOURS[c], named(n)) for c, n in ref.urgencies.items()])
        html = "".join(f"<div><span style='color:{c}'>■</span> {t}</div>" for c, t in rows)
        markers = self.tr("Markers")
        html += f"<div style='color:{MUTED}; margin-top:6px'>{markers}</div>"
        html += "".join(f"<div><span style='color:{c}'>●</span> {t}</div>" for c, t in marks)
        self.legend.setText(html)

    # ------------------------------------------------------------ cases
    def refresh_cases(self) -> None:
        rows = [r for r in self.live.rows.values() if r.is_open]
        self.open_rows = rows
        self.case_ids = np.array([r.id for r in rows], dtype=np.int64)
        self.case_xy = (self.geo.project(np.array([r.lon for r in rows]), np.array([r.lat for r in rows]))
                        if rows else np.zeros((0, 2)))
        now = now_utc()
        self.case_brushes = [self._brush_for(r) for r in rows]
        self.case_sizes = np.array([11 if r.urgency != "normal" else 8 for r in rows], dtype=float)
        self.case_overdue = np.array([is_overdue(r, now) for r in rows], dtype=bool)
        self._draw_markers()
        if self.fill_mode == "load":
            self._draw_fills()
        elif not self.fill_items:
            self._draw_fills()
        if self.layer_on("density"):
            self._draw_density()
        if self.selection.case_id is not None:
            self._mark_selected(self.selection.case_id)

    def _brush_for(self, row: BoardRow) -> QBrush:
        colour = (STATE_COLOURS.get(row.state) if self.marker_mode == "state" else URGENCY_COLOURS.get(row.urgency)) \
            or "#94a3b8"
        brush = self._brushes.get(colour)
        if brush is None:
            brush = self._brushes[colour] = pg.mkBrush(colour)
        return brush

    _brushes: dict[str, QBrush] = {}

    def _pixel(self) -> float:
        px = self.vb.viewPixelSize()
        return max(px[0], px[1]) if px else 1.0

    def _draw_markers(self) -> None:
        """Markers one by one when few are in view; otherwise clusters (red when any case in
        them is overdue) with their counts. Per-case brushes and flags are computed once per
        refresh, so a zoom only bins positions (numpy) and reuses the label items."""
        if not self.layer_on("markers") or len(self.case_xy) == 0:
            self.markers.setData([])
            self.clusters.setData([])
            self._labels_for([], [])
            return
        (x0, x1), (y0, y1) = self.vb.viewRange()
        xy = self.case_xy
        inview = (xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1)
        if inview.sum() <= CLUSTER_ABOVE:
            self.markers.setData(pos=xy, brush=self.case_brushes, size=self.case_sizes)
            self.clusters.setData([])
            self._labels_for([], [])
            self.clustered = False
            return
        self.clustered = True
        centres, counts, cell_of = cluster(xy, self._pixel() * 64)
        idx = np.nonzero(counts[cell_of] == 1)[0]
        brushes = self.case_brushes
        self.markers.setData(pos=xy[idx], brush=[brushes[i] for i in idx], size=self.case_sizes[idx])
        many = counts > 1
        c_xy, c_n = centres[many], counts[many]
        late = np.zeros(len(counts), dtype=bool)
        late[cell_of[self.case_overdue]] = True
        red, blue = self._cluster_brushes
        self.clusters.setData(pos=c_xy, size=np.clip(14 + np.sqrt(c_n) * 3.0, 18, 44),
                              brush=[red if v else blue for v in late[many]])
        inside = (c_xy[:, 0] >= x0) & (c_xy[:, 0] <= x1) & (c_xy[:, 1] >= y0) & (c_xy[:, 1] <= y1)
        self._labels_for(c_xy[inside][:250], c_n[inside][:250])

    def _labels_for(self, positions, counts) -> None:  # noqa: ANN001
        """Cluster counts as text: a pool of items, reused and hidden, never rebuilt."""
        while len(self.cluster_labels) < len(counts):
            t = pg.TextItem("", color="#ffffff", anchor=(0.5, 0.5))
            t.setZValue(22)
            self.plot.addItem(t)
            self.cluster_labels.append(t)
        for i, t in enumerate(self.cluster_labels):
            if i < len(counts):
                t.setText(str(int(counts[i])))
                t.setPos(float(positions[i][0]), float(positions[i][1]))
                t.setVisible(True)
            else:
                t.setVisible(False)

    def _draw_density(self) -> None:
        if len(self.case_xy) == 0:
            return
        x0, y0, x1, y1 = self.geo.bounds
        bins = 160
        h, xe, ye = np.histogram2d(self.case_xy[:, 0], self.case_xy[:, 1], bins=bins, range=[[x0, x1], [y0, y1]])
        k = np.ones(5) / 5      # separable box blur, twice: close enough to a gaussian
        for _ in range(2):
            h = np.apply_along_axis(lambda v: np.convolve(v, k, mode="same"), 0, h)
            h = np.apply_along_axis(lambda v: np.convolve(v, k, mode="same"), 1, h)
        lut = np.zeros((256, 4), dtype=np.ubyte)
        t = np.linspace(0, 1, 256)
        lut[:, 0] = np.clip(255 * np.minimum(1, t * 2), 0, 255)
        lut[:, 1] = np.clip(255 * np.maximum(0, t * 2 - 1) * 0.9 + 40 * t, 0, 255)
        lut[:, 2] = np.clip(80 * (1 - t), 0, 255)
        lut[:, 3] = np.clip(230 * np.sqrt(t), 0, 255)
        lut[0, 3] = 0
        self.density.setImage(h, levels=(0, max(h.max(), 1e-9)), lut=lut)
        self.density.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))

    # ------------------------------------------------------------ zoom-dependent labels
    def _on_zoom(self) -> None:
        (x0, x1), (y0, y1) = self.vb.viewRange()
        width = float(x1 - x0)
        labels = self.layer_on("labels")
        # candidates by zoom band, in priority order: streets, then communities, then grids
        candidates: list[tuple[pg.TextItem, tuple[float, float]]] = []
        if labels and width > 2500:
            candidates += [(t, a.anchor) for t, a in zip(self.street_labels, self.geo.streets)]
        if labels and 600 < width <= 5000:
            candidates += [(t, a.anchor) for t, a in zip(self.community_labels, self.geo.communities)]
        if labels and width <= 1800:
            for a in self.geo.grids:
                if x0 <= a.anchor[0] <= x1 and y0 <= a.anchor[1] <= y1:
                    t = self.grid_labels.get(a.id)
                    if t is None:
                        t = pg.TextItem(a.name, color="#cbd5e1", anchor=(0.5, 0.5))
                        t.setPos(*a.anchor)
                        t.setZValue(38)
                        self.plot.addItem(t)
                        self.grid_labels[a.id] = t
                    candidates.append((t, a.anchor))
                    if len(candidates) >= 400:
                        break
        shown = self._placed(candidates, (x0, x1, y0, y1))
        for t in (*self.street_labels, *self.community_labels, *self.grid_labels.values()):
            t.setVisible(id(t) in shown)
        self._draw_markers()

    def _placed(self, candidates: list[tuple[pg.TextItem, tuple[float, float]]],
                view: tuple[float, float, float, float]) -> set[int]:
        """The labels (by id) that fit without touching one of higher priority, in pixels."""
        x0, x1, y0, y1 = view
        if not candidates or x1 <= x0 or y1 <= y0:
            return set()
        sx, sy = self.vb.width() / (x1 - x0), self.vb.height() / (y1 - y0)
        centres = np.array([((x - x0) * sx, (y1 - y) * sy) for _t, (x, y) in candidates])
        sizes = np.array([(t.textItem.boundingRect().width(), t.textItem.boundingRect().height())
                          for t, _xy in candidates])
        keep = declutter(centres, sizes)
        return {id(t) for (t, _xy), k in zip(candidates, keep) if k}

    def show_all(self) -> None:
        x0, y0, x1, y1 = self.geo.bounds
        self.vb.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0.03)

    def focus_area(self, geom) -> None:  # noqa: ANN001 - a shapely geometry in metres
        x0, y0, x1, y1 = geom.bounds
        self.vb.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0.08)

    # ------------------------------------------------------------ hover, click, selection
    def describe(self, x: float, y: float) -> tuple[str, int | None, int | None]:
        """What is under a map point: tooltip text, case id, grid id."""
        ref = self.live.reference
        i = nearest(self.case_xy, x, y, PICK_PX * self._pixel()) if self.layer_on("markers") else None
        if i is not None:
            r = self.open_rows[i]
            return (f"{r.code}  {named(ref.states.get(r.state))} · {named(ref.urgencies.get(r.urgency))}\n"
                    f"{r.title}\n{r.grid_name} · {r.assignee or '—'}"), r.id, r.grid_id
        g = self.geo.grid_at(x, y)
        if g is None:
            return "", None, None
        loads = self._grid_loads()
        a = g.attrs
        text = (f"{a['name']} ({a['code']})\n"
                f"{named(ref.grid_types.get(a['grid_type']))} · {named(ref.levels.get(a['mgmt_level']))}\n"
                + self.tr("Population %1 · open cases %2").replace("%1", str(a["population"]))
                .replace("%2", str(loads.get(g.id, 0))))
        return text, None, g.id

    def _mouse_moved(self, pos: QPointF) -> None:
        if not self.plot.sceneBoundingRect().contains(pos):
            return
        p = self.vb.mapSceneToView(pos)
        text, _case, _grid = self.describe(p.x(), p.y())
        if text != self.last_hover:
            self.last_hover = text
            if self.panel is not None:
                self.hover_label.setText(text)
            if text:
                QToolTip.showText(QCursor.pos(), text, self.canvas)
            else:
                QToolTip.hideText()

    def _mouse_clicked(self, ev) -> None:  # noqa: ANN001
        if ev.button() != Qt.MouseButton.LeftButton:
            return
        p = self.vb.mapSceneToView(ev.scenePos())
        self.click_at(p.x(), p.y())

    def click_at(self, x: float, y: float) -> None:
        _text, case_id, grid_id = self.describe(x, y)
        if case_id is not None:
            self.selection.select_case(case_id)
        elif grid_id is not None:
            self.selection.select_grid(grid_id)

    def case_position(self, case_id: int) -> tuple[float, float] | None:
        hit = np.nonzero(self.case_ids == case_id)[0]
        if len(hit):
            return tuple(self.case_xy[hit[0]])
        row = self.live.rows.get(case_id)
        if row is None:
            return None
        xy = self.geo.project(np.array([row.lon]), np.array([row.lat]))[0]
        return float(xy[0]), float(xy[1])

    def _mark_selected(self, case_id: int) -> tuple[float, float] | None:
        pos = self.case_position(case_id)
        if pos is None:
            self.selected.setData([])
        else:
            self.selected.setData(pos=[pos])
        return pos

    def show_case(self, case_id: int) -> None:
        pos = self._mark_selected(case_id)
        if pos is None:
            return
        (x0, x1), (y0, y1) = self.vb.viewRange()
        if not (x0 <= pos[0] <= x1 and y0 <= pos[1] <= y1):
            w, h = x1 - x0, y1 - y0
            self.vb.setRange(xRange=(pos[0] - w / 2, pos[0] + w / 2), yRange=(pos[1] - h / 2, pos[1] + h / 2),
                             padding=0)

    def show_grid(self, grid_id: int) -> None:
        o = self.geo.rings_of([grid_id])
        self.grid_highlight.setData(o.x, o.y, connect=o.connect)

