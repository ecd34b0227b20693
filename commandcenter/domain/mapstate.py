"""What the grid map shows, decided without Qt: which layers are on, how grids are filled, what a
scale allows (outlines, raster or vector fills, clusters, labels), the per-case and per-grid
arrays behind markers and fills, and picking over those arrays. The Qt view asks and draws; the
rules are here so that they are read and tested in one place."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import repeat
from operator import attrgetter
from typing import Any

import numpy as np

from .cases import BoardRow, is_overdue
from .mapgeom import MapArea, MapGeometry, cluster, nearest
from .reference import Reference

#: a view's range as the plot gives it: ((x0, x1), (y0, y1)) in metres
ViewRange = tuple[tuple[float, float], tuple[float, float]]

LOAD_BREAKS = (0, 1, 3, 6, 11)          # open cases per grid: 0, 1–2, 3–5, 6–10, 11+
#: residents per km² (Dongcheng averages ~17,000, its hutong blocks above 30,000; Haidian ~7,800)
DENSITY_BREAKS = (0, 5_000, 10_000, 20_000, 30_000)
CLUSTER_ABOVE = 700                     # more markers than this in view: aggregate
CLUSTER_CELL_PX = 64                    # side of a cluster cell on screen
CLUSTER_LABELS_MAX = 250                # counts written on at most this many clusters
PICK_PX = 7

RASTER_ABOVE_GRIDS = 3000               # a district draws vectors; a city also gets a raster
RASTER_PX = 2560
OUTLINES_FROM_PX = 12                   # grid outlines when a typical grid spans this many pixels
VECTOR_FILL_FROM_PX = 24
COARSE_FROM_M_PER_PX = 25.0             # street/district outlines simplified to 30 m beyond this

# place names by view width in metres: streets far out, communities between, grids close in
STREET_LABELS_ABOVE_M = 2500.0
COMMUNITY_LABELS_M = (600.0, 5000.0)    # shown when lo < width <= hi
GRID_LABELS_UP_TO_M = 1800.0
LABELS_MAX = 400                        # candidates handed to the declutterer

#: residents of the special populations per grid (the seeds' 特殊人群, served one by one)
SPECIAL_BREAKS = (0, 1, 100, 200, 300)
#: must-visit households past their visit per grid (九必访): as the open-case load
VISIT_BREAKS = LOAD_BREAKS
#: fills whose figures come from the database per grid (the map asks when one is chosen)
FIGURE_FILLS = ("special", "visits", "coverage")
NO_FIGURE = "na"                        # a grid outside the console's scope, or not loaded yet

DENSITY_BINS = 160

#: layers in the panel's order; all on at start except these
LAYERS = ("district", "street", "community", "grid", "labels", "markers", "staff", "density")
OFF_AT_START = frozenset({"staff", "density"})
FILL_MODES = ("load", "people", "special", "visits", "coverage", "type", "level", "none")
MARKER_MODES = ("state", "urgency")


def load_classes(counts: np.ndarray) -> np.ndarray:
    """The load class (index into LOAD_BREAKS) of each open-case count."""
    return np.searchsorted(LOAD_BREAKS, counts, side="right") - 1


def density_classes(population: np.ndarray, area_m2: np.ndarray) -> np.ndarray:
    """The density class (index into DENSITY_BREAKS) of each grid: residents per km²."""
    per_km2 = population / np.maximum(area_m2, 1.0) * 1e6
    classes: np.ndarray = np.searchsorted(DENSITY_BREAKS, per_km2, side="right") - 1
    return classes


def load_labels(breaks: tuple[int, ...] = LOAD_BREAKS) -> list[str]:
    """The legend's range for each load class, from the breaks, so the two cannot disagree."""
    out = []
    for lo, nxt in zip(breaks, (*breaks[1:], None)):
        if nxt is None:
            out.append(f"{lo}+")
        elif nxt - 1 == lo:
            out.append(str(lo))
        else:
            out.append(f"{lo}–{nxt - 1}")
    return out


def in_view(xy: np.ndarray, view: ViewRange) -> np.ndarray:
    """Mask of the points inside the view, edges included."""
    (x0, x1), (y0, y1) = view
    return (xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1)


@dataclass(frozen=True)
class Detail:
    """What a scale allows: a grid outline a few pixels wide is noise, a survey-exact street
    outline at 50 m a pixel is wasted stroking, and 30,000 fill polygons cost ~90 ms a frame."""
    grid_outlines: bool = True
    fine_outlines: bool = True      # street and district outlines at full detail, not the coarse twin
    vector_fills: bool = True       # fill paths per tile, not the pre-painted raster


def level_of_detail(m_per_px: float, typical_grid_m: float, raster: bool) -> Detail:
    """`raster`: a raster of the fills exists to fall back on."""
    pixel = max(m_per_px, 1e-9)
    grid_px = typical_grid_m / pixel
    return Detail(grid_outlines=grid_px >= OUTLINES_FROM_PX,
                  fine_outlines=pixel < COARSE_FROM_M_PER_PX,
                  vector_fills=not raster or grid_px >= VECTOR_FILL_FROM_PX)


def raster_frame(bounds: tuple[float, float, float, float]) -> tuple[int, int, float]:
    """Width and height in pixels and metres per pixel of the fills' raster: RASTER_PX on the
    long side, enough for a whole city seen at once."""
    x0, y0, x1, y1 = bounds
    mpp = max(x1 - x0, y1 - y0) / RASTER_PX
    return max(1, int((x1 - x0) / mpp)), max(1, int((y1 - y0) / mpp)), mpp


@dataclass(frozen=True)
class MarkerPlan:
    """Markers for one view. Clustered, only cases alone in their cell stand on their own;
    cells of several become one cluster, flagged late when any of its cases is overdue."""
    singles: np.ndarray | None      # indices of the cases drawn one by one; None: every case
    centres: np.ndarray             # clusters of more than one case: mean positions,
    counts: np.ndarray              # … how many cases,
    late: np.ndarray                # … and whether any is overdue
    labelled: np.ndarray            # indices into centres of the clusters whose count is written

    @property
    def clustered(self) -> bool:
        return self.singles is not None


@dataclass(frozen=True)
class LabelPlan:
    """Place-name candidates for one view, in priority order: streets, communities, grids."""
    streets: bool
    communities: bool
    grids: np.ndarray               # indices into the geometry's grids


@dataclass(frozen=True)
class Legend:
    """What the legend lists, by key; the view names and colours each key."""
    fill_mode: str
    fill_keys: list[str]            # grid type or level codes, or load classes as "0", "1", …
    marker_mode: str
    marker_keys: list[str]          # state or urgency codes


def label_plan(geo: MapGeometry, anchors: np.ndarray, view: ViewRange, on: bool = True) -> LabelPlan:
    """Which names may show at this view width; grids only where their anchor is in view."""
    (x0, x1), _ = view
    width = float(x1 - x0)
    streets = on and width > STREET_LABELS_ABOVE_M
    communities = on and COMMUNITY_LABELS_M[0] < width <= COMMUNITY_LABELS_M[1]
    grids = np.zeros(0, dtype=np.int64)
    if on and width <= GRID_LABELS_UP_TO_M and len(anchors):
        before = (len(geo.streets) if streets else 0) + (len(geo.communities) if communities else 0)
        grids = np.nonzero(in_view(anchors, view))[0][:max(1, LABELS_MAX - before)]
    return LabelPlan(streets, communities, grids)


class MapState:
    """One map's choices and data: layers on, fill and marker modes, and the open cases as
    arrays (positions, overdue flags, counts per grid), refreshed when the live rows change."""

    def __init__(self, geometry: MapGeometry) -> None:
        self.geo = geometry
        self.layers = {key: key not in OFF_AT_START for key in LAYERS}
        self.fill_mode = "load"
        self.marker_mode = "state"
        self.rows: list[BoardRow] = []
        self.ids = np.zeros(0, dtype=np.int64)
        self.xy = np.zeros((0, 2))
        self.urgent = np.zeros(0, dtype=bool)
        self.overdue = np.zeros(0, dtype=bool)
        self.grid_load = np.zeros(len(geometry.grids), dtype=np.int64)   # open cases per grid, by index
        self.staff_rows: list[dict[str, Any]] = []
        self.staff_xy = np.zeros((0, 2))
        #: per figure fill, its value per grid id (special: residents, visits: overdue households,
        #: coverage: 1 when a provider is within the walk, else 0)
        self.figures: dict[str, dict[int, float]] = {}
        self.coverage_category = "meals"
        self._anchors: np.ndarray | None = None

    # ------------------------------------------------------------ choices
    def layer_on(self, key: str) -> bool:
        return self.layers.get(key, False)

    def set_layer(self, key: str, on: bool) -> None:
        self.layers[key] = on

    def set_fill(self, mode: str) -> None:
        self.fill_mode = mode

    def set_marker_mode(self, mode: str) -> None:
        self.marker_mode = mode

    def set_figures(self, mode: str, values: dict[int, float]) -> None:
        """The database's figure per grid for a figure fill (grids it did not give: no figure)."""
        self.figures[mode] = values

    def figures_wanted(self) -> str | None:
        """The figure fill chosen whose figures are not here yet (the view asks the database)."""
        mode = self.fill_mode
        return mode if mode in FIGURE_FILLS and mode not in self.figures else None

    def set_coverage_category(self, category: str) -> None:
        if category != self.coverage_category:
            self.coverage_category = category
            self.figures.pop("coverage", None)

    # ------------------------------------------------------------ data
    def set_cases(self, rows: Iterable[BoardRow], now: datetime) -> None:
        """Keep the open cases; `now` is the clock overdue is read against."""
        rows = list(filter(attrgetter("is_open"), rows))
        self.rows = rows
        n = len(rows)

        def column(attr: str, dtype: type) -> np.ndarray:
            return np.fromiter(map(attrgetter(attr), rows), dtype=dtype, count=n)

        self.ids = column("id", np.int64)
        self.xy = self.geo.project(column("lon", np.float64), column("lat", np.float64)) if rows else np.zeros((0, 2))
        urgencies = list(map(attrgetter("urgency"), rows))
        self.urgent = np.fromiter(map("normal".__ne__, urgencies), dtype=bool, count=n)
        self.overdue = np.fromiter(map(is_overdue, rows, repeat(now)), dtype=bool, count=n)
        at = self.geo.grid_index
        gi = np.fromiter(map(lambda g: at.get(g, -1), map(attrgetter("grid_id"), rows)), dtype=np.int64, count=n)
        self.grid_load = np.bincount(gi[gi >= 0], minlength=len(self.geo.grids))

    def set_staff(self, staff: list[dict[str, Any]]) -> None:
        if not staff:
            return
        self.staff_rows = staff
        self.staff_xy = self.geo.project(np.array([s["lon"] for s in staff]), np.array([s["lat"] for s in staff]))

    def marker_keys(self) -> list[str]:
        """Each open case's colour key under the marker mode."""
        if self.marker_mode == "state":
            return [r.state for r in self.rows]
        return [r.urgency for r in self.rows]

    def open_cases(self, grid_id: int) -> int:
        i = self.geo.grid_index.get(grid_id)
        return int(self.grid_load[i]) if i is not None else 0

    def fill_groups(self) -> dict[str, list[int]]:
        """Grid ids per colour key of the fill mode, keys in first-seen grid order; none for
        "none". Load keys are the class index as text."""
        grids = self.geo.grids
        if self.fill_mode == "none":
            return {}
        if self.fill_mode == "type":
            keys = [a.attrs["grid_type"] for a in grids]
        elif self.fill_mode == "level":
            keys = [a.attrs["mgmt_level"] for a in grids]
        elif self.fill_mode == "people":
            names = [str(i) for i in range(len(DENSITY_BREAKS))]
            people = np.array([a.attrs.get("population", 0) for a in grids], dtype=float)
            area = np.array([a.geom.area for a in grids], dtype=float)
            keys = [names[k] for k in density_classes(people, area).tolist()]
        elif self.fill_mode in FIGURE_FILLS:
            keys = self._figure_keys(self.fill_mode)
        else:
            names = [str(i) for i in range(len(LOAD_BREAKS))]      # one string per class, shared
            keys = [names[k] for k in load_classes(self.grid_load).tolist()]
        groups: dict[str, list[int]] = {}
        for key, a in zip(keys, grids):
            groups.setdefault(key, []).append(a.id)
        return groups

    def _figure_keys(self, mode: str) -> list[str]:
        values = self.figures.get(mode, {})
        keys = []
        for a in self.geo.grids:
            v = values.get(a.id)
            if v is None:
                keys.append(NO_FIGURE)
            elif mode == "coverage":
                keys.append("covered" if v else "uncovered")
            else:
                breaks = SPECIAL_BREAKS if mode == "special" else VISIT_BREAKS
                keys.append(str(int(np.searchsorted(breaks, v, side="right")) - 1))
        return keys

    def legend(self, reference: Reference) -> Legend:
        if self.fill_mode == "type":
            fills = list(reference.grid_types)
        elif self.fill_mode == "level":
            fills = list(reference.levels)
        elif self.fill_mode == "load":
            fills = [str(i) for i in range(len(LOAD_BREAKS))]
        elif self.fill_mode == "people":
            fills = [str(i) for i in range(len(DENSITY_BREAKS))]
        elif self.fill_mode == "special":
            fills = [str(i) for i in range(len(SPECIAL_BREAKS))] + [NO_FIGURE]
        elif self.fill_mode == "visits":
            fills = [str(i) for i in range(len(VISIT_BREAKS))] + [NO_FIGURE]
        elif self.fill_mode == "coverage":
            fills = ["covered", "uncovered", NO_FIGURE]
        else:
            fills = []
        marks = ([c for c in reference.states if c in reference.open_states] if self.marker_mode == "state"
                 else list(reference.urgencies))
        return Legend(self.fill_mode, fills, self.marker_mode, marks)

    # ------------------------------------------------------------ scale
    def detail(self, m_per_px: float, raster: bool) -> Detail:
        return level_of_detail(m_per_px, self.geo.typical_grid_m, raster)

    def outlines(self, detail: Detail) -> dict[str, tuple[bool, bool]]:
        """Per outline layer: shown, and at full detail (else its coarse twin stands in)."""
        on = self.layer_on
        return {"grid": (on("grid") and detail.grid_outlines, True),
                "community": (on("community"), True),
                "street": (on("street"), detail.fine_outlines),
                "district": (on("district"), detail.fine_outlines)}

    def wants_raster(self) -> bool:
        return len(self.geo.grids) > RASTER_ABOVE_GRIDS

    def marker_plan(self, view: ViewRange, m_per_px: float) -> MarkerPlan | None:
        """None when there is nothing to draw (markers off, or no open case). Per-case flags
        come from the last refresh, so a zoom only bins positions."""
        if not self.layer_on("markers") or len(self.xy) == 0:
            return None
        xy = self.xy
        if in_view(xy, view).sum() <= CLUSTER_ABOVE:
            empty = np.zeros(0, dtype=np.int64)
            return MarkerPlan(None, np.zeros((0, 2)), empty, np.zeros(0, dtype=bool), empty)
        centres, counts, cell_of = cluster(xy, m_per_px * CLUSTER_CELL_PX)
        singles = np.nonzero(counts[cell_of] == 1)[0]
        many = counts > 1
        late = np.zeros(len(counts), dtype=bool)
        late[cell_of[self.overdue]] = True
        c_xy = centres[many]
        labelled = np.nonzero(in_view(c_xy, view))[0][:CLUSTER_LABELS_MAX]
        return MarkerPlan(singles, c_xy, counts[many], late[many], labelled)

    def labels(self, view: ViewRange) -> LabelPlan:
        if self._anchors is None:
            self._anchors = (np.array([a.anchor for a in self.geo.grids], dtype=float) if self.geo.grids
                             else np.zeros((0, 2)))
        return label_plan(self.geo, self._anchors, view, self.layer_on("labels"))

    def density(self, bins: int = DENSITY_BINS) -> np.ndarray | None:
        """Open cases per cell over the territory's bounds, blurred; None without cases."""
        if len(self.xy) == 0:
            return None
        x0, y0, x1, y1 = self.geo.bounds
        h, _xe, _ye = np.histogram2d(self.xy[:, 0], self.xy[:, 1], bins=bins, range=[[x0, x1], [y0, y1]])
        k = np.ones(5) / 5      # separable box blur, twice: close enough to a gaussian
        for _ in range(2):
            h = np.apply_along_axis(lambda v: np.convolve(v, k, mode="same"), 0, h)
            h = np.apply_along_axis(lambda v: np.convolve(v, k, mode="same"), 1, h)
        return h

    # ------------------------------------------------------------ picking
    def case_at(self, x: float, y: float, m_per_px: float) -> int | None:
        """Index (into rows) of the marker within PICK_PX of the point, if markers are on."""
        if not self.layer_on("markers"):
            return None
        return nearest(self.xy, x, y, PICK_PX * m_per_px)

    def grid_at(self, x: float, y: float) -> MapArea | None:
        return self.geo.grid_at(x, y)

    def position_of(self, case_id: int) -> tuple[float, float] | None:
        """Where an open case's marker stands; None for a case not drawn."""
        hit = np.nonzero(self.ids == case_id)[0]
        if not len(hit):
            return None
        x, y = self.xy[hit[0]]
        return x, y

    def project(self, row: BoardRow) -> tuple[float, float]:
        xy = self.geo.project(np.array([row.lon]), np.array([row.lat]))[0]
        return float(xy[0]), float(xy[1])
