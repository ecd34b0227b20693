"""The grid map: pyqtgraph, aspect-locked, in local metres. It adapts the map state (what to show
at this scale, the case arrays, picking) to scene items and the side panel, and turns mouse and
selection into state queries; the rules themselves are in `domain/mapstate.py`."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QCursor
from PySide6.QtWidgets import QCheckBox, QComboBox, QGraphicsPathItem, QHBoxLayout, QScrollArea, QToolTip, QWidget

from ..domain.cases import now_utc
from ..domain.mapgeom import MapGeometry
from ..domain.mapstate import FIGURE_FILLS, Detail, MapState
from ..store import services
from .live import LiveData
from .map_items import DensityImage, GridFills, LayerGroup, outline_layers
from .map_labels import PlaceLabels
from .map_markers import CaseMarkers, Selected, staff_item
from .map_panel import MapLegend, MapPanel
from .map_style import marker_brushes, marker_sizes, role_brushes
from .selection import Selection
from .theme import BG
from .worker import DbWorker


class MapCanvas(pg.PlotWidget):
    """The plot itself; the layer panel and legend wrap it in MapView."""
    hovered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background=BG, enableMenu=False)     # no menu: none is built (0.1 s)
        self.setAspectLocked(True)
        self.hideAxis("left")
        self.hideAxis("bottom")
        self.getPlotItem().hideButtons()
        self.setMouseTracking(True)


class MapView(QWidget):
    """The map with its panel: one per screen, each with its own state over the shared rows."""

    def __init__(self, live: LiveData, selection: Selection, geometry: MapGeometry, staff: list[dict] | None = None,
                 *, panel: bool = True, worker: DbWorker | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("map")
        self.live = live
        self.worker = worker            # asks the database for the figure fills (none: those stay empty)
        self.selection = selection
        self.geo = geometry
        self.state = MapState(geometry)
        self.canvas = MapCanvas()
        self.plot = self.canvas.getPlotItem()
        self.vb = self.plot.getViewBox()
        self.case_brushes: list[QBrush] = []
        self.case_sizes = np.zeros(0)
        self.clustered = False
        self.last_hover = ""
        self.detail = Detail()          # what the last scale allowed

        self.layers: dict[str, LayerGroup] = outline_layers(self.plot, geometry)
        self.fills = GridFills(self.plot, geometry)
        self.density = DensityImage()
        self.plot.addItem(self.density)
        self.cases = CaseMarkers(self.plot)
        self.staff = staff_item(self.plot)
        self.marks = Selected(self.plot)
        self.labels = PlaceLabels(self.plot, geometry, live.display)
        self.state.set_staff(staff or [])
        if self.state.staff_rows:
            self.staff.setData(pos=self.state.staff_xy, brush=role_brushes(self.state.staff_rows))

        self.legend = MapLegend()
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
        self.vb.sigRangeChanged.connect(self._range_changed)
        self.canvas.scene().sigMouseMoved.connect(self._mouse_moved)
        self.canvas.scene().sigMouseClicked.connect(self._mouse_clicked)
        live.snapshot_loaded.connect(self.refresh_cases)
        live.rows_changed.connect(lambda *_: self._refresh.start())
        selection.case_selected.connect(self.show_case)
        selection.grid_selected.connect(self.show_grid)
        self.show_all()
        if live.loaded:
            self.refresh_cases()

    def _build_panel(self) -> MapPanel:
        p = MapPanel(self.state, self.legend)
        p.layer_toggled.connect(self.set_layer)
        p.fill_chosen.connect(self.set_fill)
        d = self.live.display
        for code, named in self.live.reference.service_categories.items():
            p.coverage_box.addItem(d.named(named), code)
        p.coverage_chosen.connect(self.set_coverage_category)
        p.marker_mode_chosen.connect(self.set_marker_mode)
        return p

    # ------------------------------------------------------------ what others read
    @property
    def case_ids(self) -> np.ndarray:
        return self.state.ids

    @property
    def case_xy(self) -> np.ndarray:
        return self.state.xy

    @property
    def fill_mode(self) -> str:
        return self.state.fill_mode

    @property
    def marker_mode(self) -> str:
        return self.state.marker_mode

    @property
    def fill_items(self) -> list[QGraphicsPathItem]:
        return self.fills.items

    @property
    def selected(self) -> pg.ScatterPlotItem:
        return self.marks.ring

    # the panel's controls (a map without a panel has none)
    @property
    def toggles(self) -> dict[str, QCheckBox]:
        return self.panel.toggles  # type: ignore[union-attr]

    @property
    def fill_box(self) -> QComboBox:
        return self.panel.fill_box  # type: ignore[union-attr]

    @property
    def marker_box(self) -> QComboBox:
        return self.panel.marker_box  # type: ignore[union-attr]

    # ------------------------------------------------------------ layers
    def set_layer(self, key: str, on: bool) -> None:
        self.state.set_layer(key, on)
        if key in self.layers:
            self._show_outlines()
        elif key == "labels":
            self._on_zoom()
        elif key == "markers":
            self.cases.setVisible(on)
            self._draw_markers()
        elif key == "staff":
            self.staff.setVisible(on)
        elif key == "density":
            self.density.setVisible(on)
            if on:
                self._draw_density()

    def layer_on(self, key: str) -> bool:
        return self.state.layer_on(key)

    def set_fill(self, mode: str) -> None:
        self.state.set_fill(mode)
        self._draw_fills()
        if mode in FIGURE_FILLS:
            self.fetch_figures()         # what it showed before, until the database answers

    def set_coverage_category(self, category: str) -> None:
        self.state.set_coverage_category(category)
        if self.state.fill_mode == "coverage":
            self._draw_fills()
            self.fetch_figures()

    def fetch_figures(self) -> None:
        """Ask the database for the chosen figure fill's figures (its scope rules apply)."""
        mode = self.state.fill_mode
        if self.worker is None or mode not in FIGURE_FILLS:
            return
        if mode == "coverage":
            category = self.state.coverage_category
            self.worker.submit(lambda conn: {"coverage": services.coverage(conn, category)},
                               lambda figures: self._figures_came(figures, category), key=f"map-figures-{id(self)}")
        else:
            self.worker.submit(services.base_figures, lambda figures: self._figures_came(figures, None),
                               key=f"map-figures-{id(self)}")

    def _figures_came(self, figures: dict[str, dict[int, float]], category: str | None) -> None:
        if category is not None and category != self.state.coverage_category:
            return                      # the operator chose another category meanwhile
        for mode, values in figures.items():
            self.state.set_figures(mode, values)
        if self.state.fill_mode in figures:
            self._draw_fills()

    def set_marker_mode(self, mode: str) -> None:
        self.state.set_marker_mode(mode)
        self.case_brushes = marker_brushes(mode, self.state.marker_keys())
        self._draw_markers()
        self._update_legend()

    def _draw_fills(self) -> None:
        self.fills.clear()
        if self.state.fill_mode != "none":
            self.fills.draw(self.state.fill_mode, self.state.fill_groups(), self.state.wants_raster())
            self._apply_lod()
        self._update_legend()

    def _range_changed(self, *_args: object) -> None:
        self._apply_lod()
        self._zoom.start()

    def _apply_lod(self) -> None:
        """Runs on every frame of a pan or zoom: a few comparisons, changes applied only."""
        self.detail = self.state.detail(self._pixel(), self.fills.raster is not None)
        self._show_outlines()
        self.fills.show(self.detail.vector_fills)

    def _show_outlines(self) -> None:
        for key, (visible, fine) in self.state.outlines(self.detail).items():
            self.layers[key].show(visible, fine)

    def _update_legend(self) -> None:
        self.legend.show_legend(self.state.legend(self.live.reference), self.live.reference, self.live.display)

    # ------------------------------------------------------------ cases
    def refresh_cases(self) -> None:
        self.state.set_cases(self.live.rows.values(), now_utc())
        self.case_brushes = marker_brushes(self.state.marker_mode, self.state.marker_keys())
        self.case_sizes = marker_sizes(self.state.urgent)
        self._draw_markers()
        if self.state.fill_mode == "load" or not self.fills.items:
            self._draw_fills()
        if self.layer_on("density"):
            self._draw_density()
        if self.selection.case_id is not None:
            self._mark_selected(self.selection.case_id)

    def _pixel(self) -> float:
        px = self.vb.viewPixelSize()
        return max(px[0], px[1]) if px else 1.0

    def _draw_markers(self) -> None:
        plan = self.state.marker_plan(self.vb.viewRange(), self._pixel())
        if plan is None:
            self.cases.clear()
            return
        self.clustered = plan.clustered
        self.cases.draw(plan, self.state.xy, self.case_brushes, self.case_sizes)

    def _draw_density(self) -> None:
        self.density.draw(self.state.density(), self.geo.bounds)

    def _on_zoom(self) -> None:
        """Once a zoom settles: which names fit, and markers re-binned for the new scale."""
        view = self.vb.viewRange()
        self.labels.show(self.state.labels(view), view, (self.vb.width(), self.vb.height()))
        self._draw_markers()

    def show_all(self) -> None:
        x0, y0, x1, y1 = self.geo.bounds
        self.vb.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0.03)

    def focus_area(self, geom) -> None:  # noqa: ANN001 - a shapely geometry in metres
        x0, y0, x1, y1 = geom.bounds
        self.vb.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0.08)

    # ------------------------------------------------------------ hover, click, selection
    def describe(self, x: float, y: float) -> tuple[str, int | None, int | None]:
        """What is under a map point: tooltip text, case id, grid id."""
        d = self.live.display
        ref = self.live.reference
        i = self.state.case_at(x, y, self._pixel())
        if i is not None:
            r = self.state.rows[i]
            return (f"{r.code}  {d.named(ref.states.get(r.state))} · {d.named(ref.urgencies.get(r.urgency))}\n"
                    f"{r.title}\n{r.grid_name} · {r.assignee or '—'}"), r.id, r.grid_id
        g = self.state.grid_at(x, y)
        if g is None:
            return "", None, None
        a = g.attrs
        text = (f"{a['name']} ({a['code']})\n"
                f"{d.named(ref.grid_types.get(a['grid_type']))} · {d.named(ref.levels.get(a['mgmt_level']))}\n"
                + self.tr("Population %1 · open cases %2").replace("%1", str(a["population"]))
                .replace("%2", str(self.state.open_cases(g.id))))
        return text, None, g.id

    def _mouse_moved(self, pos: QPointF) -> None:
        if not self.plot.sceneBoundingRect().contains(pos):
            return
        p = self.vb.mapSceneToView(pos)
        text, _case, _grid = self.describe(p.x(), p.y())
        if text != self.last_hover:
            self.last_hover = text
            if self.panel is not None:
                self.panel.hover_label.setText(text)
            if text:
                QToolTip.showText(QCursor.pos(), text, self.canvas)
            else:
                QToolTip.hideText()

    def _mouse_clicked(self, ev) -> None:  # noqa: ANN001
        if ev.button() != Qt.MouseButton.LeftButton:
            return
        p = self.vb.mapSceneToView(ev.scenePos())
        self.click_at(p.x(), p.y())
        lon, lat = self.geo.projection.points_to_lonlat(np.array([[p.x(), p.y()]]))[0]
        self.selection.pick_point(float(lon), float(lat))

    def click_at(self, x: float, y: float) -> None:
        _text, case_id, grid_id = self.describe(x, y)
        if case_id is not None:
            self.selection.select_case(case_id)
        elif grid_id is not None:
            self.selection.select_grid(grid_id)

    def case_position(self, case_id: int) -> tuple[float, float] | None:
        pos = self.state.position_of(case_id)
        if pos is not None:
            return pos
        row = self.live.rows.get(case_id)
        return self.state.project(row) if row is not None else None

    def _mark_selected(self, case_id: int) -> tuple[float, float] | None:
        pos = self.case_position(case_id)
        self.marks.mark_case(pos)
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
        self.marks.mark_grid(self.geo.rings_of([grid_id]))
