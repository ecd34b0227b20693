"""The map's rules without Qt: level of detail by scale, load classes and their legend, overdue
flags against a clock, clusters, label bands, and picking over the case and grid arrays."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from commandcenter.domain import mapgeom
from commandcenter.domain.cases import BoardRow
from commandcenter.domain.mapgeom import MapGeometry
from commandcenter.domain.mapstate import (
    CLUSTER_ABOVE,
    COARSE_FROM_M_PER_PX,
    DENSITY_BREAKS,
    LABELS_MAX,
    LAYERS,
    LOAD_BREAKS,
    OUTLINES_FROM_PX,
    PICK_PX,
    RASTER_ABOVE_GRIDS,
    RASTER_PX,
    VECTOR_FILL_FROM_PX,
    MapState,
    label_plan,
    level_of_detail,
    load_classes,
    load_labels,
    raster_frame,
)
from commandcenter.domain.reference import Named, Reference

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LON0, LAT0, STEP = 116.40, 39.90, 0.002      # grids of ~170 m × 221 m
COLS, ROWS = 4, 3


def _square(lon: float, lat: float, w: float, h: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[lon, lat], [lon + w, lat], [lon + w, lat + h], [lon, lat + h],
                                                [lon, lat]]]}


def _geometry() -> MapGeometry:
    """A 4 × 3 block of square grids: two streets (west, east halves), one community."""
    grids = []
    for c in range(COLS):
        for r in range(ROWS):
            gid = len(grids) + 1
            grids.append({"id": gid, "name": f"G{gid}", "code": f"{gid:04d}", "population": 100 * gid,
                          "street_id": 1 if c < 2 else 2, "grid_type": ("residential", "commercial")[gid % 2],
                          "mgmt_level": ("daily", "key", "prevention")[gid % 3],
                          "outline": _square(LON0 + c * STEP, LAT0 + r * STEP, STEP, STEP)})
    half = COLS // 2 * STEP
    streets = [{"id": 1, "name": "西街道", "name_en": "West", "outline": _square(LON0, LAT0, half, ROWS * STEP)},
               {"id": 2, "name": "东街道", "name_en": "East", "outline": _square(LON0 + half, LAT0, half, ROWS * STEP)}]
    communities = [{"id": 1, "name": "社区", "outline": _square(LON0, LAT0, COLS * STEP, ROWS * STEP)}]
    return MapGeometry(_square(LON0, LAT0, COLS * STEP, ROWS * STEP), streets, communities, grids)


def _reference() -> Reference:
    named = lambda codes: {c: Named(c, c, c) for c in codes}  # noqa: E731
    return Reference(district="东城区", district_en="Dongcheng", tz="Asia/Shanghai",
                     states=named(("reported", "filed", "dispatched", "closed", "handled")),
                     open_states=["handled", "reported", "dispatched", "filed"],
                     urgencies=named(("normal", "urgent", "critical")), sources=named(("patrol",)),
                     tiers=named(("grid",)), roles=named(()), core_roles=[],
                     grid_types=named(("residential", "commercial", "enterprise")),
                     levels=named(("daily", "prevention", "key")))


def _row(i: int, geo: MapGeometry, xy: tuple[float, float], *, grid_id: int = 1, state: str = "filed",
         urgency: str = "normal", deadline: datetime | None = None) -> BoardRow:
    lon, lat = geo.projection.points_to_lonlat(np.array([xy]))[0]
    return BoardRow(
        id=i, code=f"C{i:05d}", source="patrol", category_id=1, category_name="乱停车", category_name_en="Parking",
        title=f"case {i}", address="", lon=float(lon), lat=float(lat), grid_id=grid_id, grid_name=f"G{grid_id}",
        community_id=1, community_name="社区", street_id=1, street_name="西街道", street_name_en="West",
        urgency=urgency, state=state, is_open=state != "closed", tier="grid", assignee_unit_name=None,
        assignee_person_name=None, reported_at=NOW - timedelta(hours=1), deadline=deadline, urge_count=0,
        escalation_count=0, rework_count=0, version=1,
        warn_at=deadline - timedelta(hours=2) if deadline is not None else None, repeat_count=0)


@pytest.fixture(scope="module")
def geo() -> MapGeometry:
    return _geometry()


def _view(cx: float, cy: float, half_w: float, half_h: float | None = None) -> tuple:
    h = half_w if half_h is None else half_h
    return ((cx - half_w, cx + half_w), (cy - h, cy + h))


# ---------------------------------------------------------------- load classes and legend
def test_load_classes_follow_the_breaks() -> None:
    counts = np.array([0, 1, 2, 3, 5, 6, 10, 11, 500])
    assert load_classes(counts).tolist() == [0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert load_classes(np.array(LOAD_BREAKS)).tolist() == list(range(len(LOAD_BREAKS)))


def test_legend_labels_are_derived_from_the_breaks() -> None:
    assert load_labels() == ["0", "1–2", "3–5", "6–10", "11+"]
    assert len(load_labels()) == len(LOAD_BREAKS)
    # other breaks, other labels: nothing is typed out by hand
    assert load_labels((0, 5, 10)) == ["0–4", "5–9", "10+"]
    assert load_labels((0, 1, 2)) == ["0", "1", "2+"]
    # every count lands in the class whose label names it
    for n in range(0, 30):
        label = load_labels()[int(load_classes(np.array([n]))[0])]
        if label.endswith("+"):
            assert n >= int(label[:-1])
        else:
            lo, _, hi = label.partition("–")
            assert int(lo) <= n <= int(hi or lo)


def test_the_legend_lists_keys_of_the_modes(geo: MapGeometry) -> None:
    s = MapState(geo)
    ref = _reference()
    legend = s.legend(ref)
    assert legend.fill_mode == "load" and legend.fill_keys == [str(i) for i in range(len(LOAD_BREAKS))]
    assert legend.marker_keys == ["reported", "filed", "dispatched", "handled"]   # open ones, in table order
    s.set_fill("type")
    s.set_marker_mode("urgency")
    legend = s.legend(ref)
    assert legend.fill_keys == ["residential", "commercial", "enterprise"]
    assert legend.marker_keys == ["normal", "urgent", "critical"]
    s.set_fill("level")
    assert s.legend(ref).fill_keys == ["daily", "prevention", "key"]
    s.set_fill("none")
    assert s.legend(ref).fill_keys == []


# ---------------------------------------------------------------- level of detail
def test_level_of_detail_by_scale() -> None:
    grid_m = 240.0
    close = level_of_detail(1.0, grid_m, raster=True)
    assert close.grid_outlines and close.fine_outlines and close.vector_fills
    # a grid 20 px across: outlines still, but fills from the raster
    mid = level_of_detail(grid_m / 20, grid_m, raster=True)
    assert mid.grid_outlines and not mid.vector_fills
    assert level_of_detail(grid_m / 20, grid_m, raster=False).vector_fills     # no raster: vectors always
    far = level_of_detail(grid_m / 10, grid_m, raster=True)
    assert not far.grid_outlines
    # the thresholds themselves
    assert level_of_detail(grid_m / OUTLINES_FROM_PX, grid_m, True).grid_outlines
    assert not level_of_detail(grid_m / (OUTLINES_FROM_PX - 0.5), grid_m, True).grid_outlines
    assert level_of_detail(grid_m / VECTOR_FILL_FROM_PX, grid_m, True).vector_fills
    assert not level_of_detail(grid_m / (VECTOR_FILL_FROM_PX - 0.5), grid_m, True).vector_fills
    assert level_of_detail(COARSE_FROM_M_PER_PX - 0.1, grid_m, True).fine_outlines
    assert not level_of_detail(COARSE_FROM_M_PER_PX, grid_m, True).fine_outlines
    assert level_of_detail(0.0, grid_m, True).grid_outlines          # a degenerate view does not divide by 0


def test_the_state_reads_detail_from_its_geometry(geo: MapGeometry) -> None:
    s = MapState(geo)
    g = geo.typical_grid_m
    assert 150 < g < 250
    assert s.detail(g / 30, raster=True).vector_fills
    assert not s.detail(g / 11, raster=True).grid_outlines
    assert not s.wants_raster() and len(geo.grids) <= RASTER_ABOVE_GRIDS


def test_outline_layers_follow_the_switches_and_the_scale(geo: MapGeometry) -> None:
    s = MapState(geo)
    near = s.outlines(s.detail(1.0, raster=False))
    assert near == {"grid": (True, True), "community": (True, True), "street": (True, True),
                    "district": (True, True)}
    far = s.outlines(s.detail(COARSE_FROM_M_PER_PX * 2, raster=False))
    assert far["grid"] == (False, True)                               # too small to read
    assert far["street"] == (True, False) and far["district"] == (True, False)   # the coarse twins
    assert far["community"] == (True, True)
    s.set_layer("street", False)
    s.set_layer("grid", False)
    near = s.outlines(s.detail(1.0, raster=False))
    assert near["street"][0] is False and near["grid"][0] is False and near["district"][0] is True


def test_the_raster_spans_the_long_side() -> None:
    assert raster_frame((0.0, 0.0, 2.0 * RASTER_PX, 1.0 * RASTER_PX)) == (RASTER_PX, RASTER_PX // 2, 2.0)
    w, h, mpp = raster_frame((100.0, -50.0, 400.0, 950.0))
    assert (w, h) == (int(300 / mpp), RASTER_PX) and mpp == pytest.approx(1000 / RASTER_PX)


# ---------------------------------------------------------------- cases, overdue, fills
def test_overdue_flags_are_read_against_the_given_clock(geo: MapGeometry) -> None:
    s = MapState(geo)
    at = geo.grids[0].anchor
    rows = [_row(1, geo, at, deadline=NOW - timedelta(minutes=1)),
            _row(2, geo, at, deadline=NOW + timedelta(minutes=30)),
            _row(3, geo, at, deadline=None),
            _row(4, geo, at, deadline=NOW - timedelta(hours=5), state="closed")]   # not open: not drawn
    s.set_cases(rows, NOW)
    assert s.ids.tolist() == [1, 2, 3]
    assert s.overdue.tolist() == [True, False, False]
    s.set_cases(rows, NOW + timedelta(hours=1))                   # time passes without any event
    assert s.overdue.tolist() == [True, True, False]


def test_cases_become_arrays_and_counts_per_grid(geo: MapGeometry) -> None:
    s = MapState(geo)
    a, b = geo.grids[0], geo.grids[5]
    rows = [_row(1, geo, a.anchor, grid_id=a.id, urgency="urgent"),
            _row(2, geo, b.anchor, grid_id=b.id, state="dispatched"),
            _row(3, geo, b.anchor, grid_id=b.id)]
    s.set_cases(rows, NOW)
    assert np.allclose(s.xy[0], a.anchor, atol=1e-6) and np.allclose(s.xy[1], b.anchor, atol=1e-6)
    assert s.urgent.tolist() == [True, False, False]
    assert (s.open_cases(a.id), s.open_cases(b.id), s.open_cases(geo.grids[1].id)) == (1, 2, 0)
    assert s.marker_keys() == ["filed", "dispatched", "filed"]
    s.set_marker_mode("urgency")
    assert s.marker_keys() == ["urgent", "normal", "normal"]
    s.set_cases([*rows, _row(4, geo, b.anchor, grid_id=999)], NOW)     # a grid this map does not hold
    assert len(s.ids) == 4 and s.open_cases(999) == 0 and s.open_cases(b.id) == 2
    s.set_cases([], NOW)
    assert len(s.xy) == 0 and s.open_cases(b.id) == 0


def test_fill_groups_by_mode(geo: MapGeometry) -> None:
    s = MapState(geo)
    busy, some = geo.grids[2], geo.grids[7]
    rows = [_row(i, geo, busy.anchor, grid_id=busy.id) for i in range(1, 8)]       # 7 cases: 6–10
    rows += [_row(10, geo, some.anchor, grid_id=some.id)]                            # 1 case: 1–2
    s.set_cases(rows, NOW)
    groups = s.fill_groups()
    assert groups["3"] == [busy.id] and groups["1"] == [some.id]
    assert sorted(groups["0"]) == sorted(a.id for a in geo.grids if a.id not in (busy.id, some.id))
    assert list(groups) == ["0", "3", "1"]           # first-seen order, as the grids come
    s.set_fill("type")
    types = s.fill_groups()
    assert set(types) == {"residential", "commercial"}
    assert all(geo.grids[geo.grid_index[g]].attrs["grid_type"] == t for t, ids in types.items() for g in ids)
    s.set_fill("level")
    assert sum(len(v) for v in s.fill_groups().values()) == len(geo.grids)
    s.set_fill("people")                             # residents per km² from each grid's figures
    people = s.fill_groups()
    for key, ids in people.items():
        for g in ids:
            a = geo.grids[geo.grid_index[g]]
            per_km2 = a.attrs["population"] / a.geom.area * 1e6
            assert DENSITY_BREAKS[int(key)] <= per_km2 < (DENSITY_BREAKS + (float("inf"),))[int(key) + 1]
    assert sum(len(v) for v in people.values()) == len(geo.grids)
    assert s.legend(_reference()).fill_keys == [str(i) for i in range(len(DENSITY_BREAKS))]
    s.set_fill("none")
    assert s.fill_groups() == {}


# ---------------------------------------------------------------- picking
def test_picking_the_nearest_marker_within_reach(geo: MapGeometry) -> None:
    s = MapState(geo)
    a = geo.grids[4].anchor
    s.set_cases([_row(1, geo, a), _row(2, geo, (a[0] + 30, a[1]))], NOW)
    m_per_px = 2.0                                      # reach: PICK_PX pixels = 14 m
    assert s.case_at(a[0] + 5, a[1], m_per_px) == 0
    assert s.case_at(a[0] + 24, a[1], m_per_px) == 1
    assert s.case_at(a[0] + 15, a[1] + PICK_PX * m_per_px, m_per_px) is None    # between, out of reach
    assert s.case_at(a[0] + 15, a[1] + PICK_PX * m_per_px, 10.0) in (0, 1)     # farther out, it reaches
    s.set_layer("markers", False)
    assert s.case_at(a[0], a[1], m_per_px) is None                              # hidden markers are not picked
    assert s.position_of(2) == pytest.approx((a[0] + 30, a[1]), abs=1e-6)
    assert s.position_of(99) is None


def test_picking_the_grid_under_a_point(geo: MapGeometry) -> None:
    s = MapState(geo)
    for g in (geo.grids[0], geo.grids[7], geo.grids[-1]):
        hit = s.grid_at(*g.anchor)
        assert hit is not None and hit.id == g.id
    x0, y0, x1, y1 = geo.bounds
    assert s.grid_at(x1 + 50, y1 + 50) is None
    assert s.grid_at(x0 - 1, (y0 + y1) / 2) is None


# ---------------------------------------------------------------- markers and clusters
def test_few_markers_in_view_are_drawn_one_by_one(geo: MapGeometry) -> None:
    s = MapState(geo)
    a = geo.grids[0].anchor
    s.set_cases([_row(i, geo, (a[0] + i, a[1])) for i in range(1, CLUSTER_ABOVE + 1)], NOW)
    plan = s.marker_plan(_view(*a, 2000), 5.0)
    assert plan is not None and not plan.clustered and len(plan.centres) == 0
    s.set_layer("markers", False)
    assert s.marker_plan(_view(*a, 2000), 5.0) is None
    s.set_layer("markers", True)
    s.set_cases([], NOW)
    assert s.marker_plan(_view(*a, 2000), 5.0) is None


def test_many_markers_cluster_and_a_late_case_reddens_its_cluster(geo: MapGeometry) -> None:
    s = MapState(geo)
    a, far = geo.grids[0].anchor, geo.grids[-1].anchor
    rng = np.random.default_rng(1)
    heap = [(a[0] + dx, a[1] + dy) for dx, dy in rng.uniform(-10, 10, size=(CLUSTER_ABOVE, 2))]
    rows = [_row(i + 1, geo, xy, deadline=NOW + timedelta(hours=1)) for i, xy in enumerate(heap)]
    rows.append(_row(5000, geo, far, deadline=NOW - timedelta(hours=1)))          # alone, overdue
    rows.append(_row(5001, geo, (far[0] + 5, far[1] + 5), deadline=NOW + timedelta(hours=1)))
    rows.append(_row(5002, geo, (a[0] + 300, a[1]), deadline=NOW - timedelta(hours=1)))   # alone
    s.set_cases(rows, NOW)
    m_per_px = 1.0                          # cells of 64 m: the heap is one or a few cells
    view = _view(a[0] + 300, a[1] + 200, 1000)
    plan = s.marker_plan(view, m_per_px)
    assert plan is not None and plan.clustered
    assert plan.counts.sum() + len(plan.singles) == len(rows)
    assert (plan.counts > 1).all()
    lone = [s.ids[i] for i in plan.singles]
    assert 5002 in lone                     # alone in its cell: a marker of its own
    far_cluster = int(np.argmin(((plan.centres - far) ** 2).sum(axis=1)))
    assert plan.counts[far_cluster] == 2 and plan.late[far_cluster]             # one of two overdue
    heap_clusters = [i for i in range(len(plan.counts)) if i != far_cluster]
    assert not plan.late[heap_clusters].any()
    # counts are written only on clusters in view
    inside = plan.centres[plan.labelled]
    (x0, x1), (y0, y1) = view
    assert ((inside[:, 0] >= x0) & (inside[:, 0] <= x1) & (inside[:, 1] >= y0) & (inside[:, 1] <= y1)).all()
    assert len(plan.labelled) == len(heap_clusters) + (1 if x0 <= far[0] <= x1 and y0 <= far[1] <= y1 else 0)
    # zoomed onto the lone overdue case, few are in view: no clusters
    assert not s.marker_plan(_view(a[0] + 300, a[1], 30), m_per_px).clustered


# ---------------------------------------------------------------- labels, layers, density
def test_label_bands_by_view_width(geo: MapGeometry) -> None:
    s = MapState(geo)
    cx, cy = geo.grids[5].anchor
    wide = s.labels(_view(cx, cy, 3500))              # 7 km across: streets only
    assert wide.streets and not wide.communities and len(wide.grids) == 0
    mid = s.labels(_view(cx, cy, 1500))               # 3 km: streets and communities
    assert mid.streets and mid.communities and len(mid.grids) == 0
    near = s.labels(_view(cx, cy, 450))               # 900 m: communities and grids in view
    assert not near.streets and near.communities and len(near.grids) == len(geo.grids)
    close = s.labels(_view(cx, cy, 100))               # 200 m: grids whose anchor is in view, no others
    assert not close.streets and not close.communities
    anchors = np.array([g.anchor for g in geo.grids])
    inside = [i for i, (x, y) in enumerate(anchors) if abs(x - cx) <= 100 and abs(y - cy) <= 100]
    assert close.grids.tolist() == inside and 5 in inside
    s.set_layer("labels", False)
    off = s.labels(_view(cx, cy, 450))
    assert not (off.streets or off.communities or len(off.grids))


def test_grid_label_candidates_are_capped(geo: MapGeometry) -> None:
    anchors = np.zeros((LABELS_MAX + 50, 2))
    plan = label_plan(geo, anchors, _view(0, 0, 100))
    assert len(plan.grids) == LABELS_MAX
    plan = label_plan(geo, anchors, _view(0, 0, 400))      # the community takes one place
    assert plan.communities and len(plan.grids) == LABELS_MAX - len(geo.communities)


def test_layers_start_as_the_panel_shows_them(geo: MapGeometry) -> None:
    s = MapState(geo)
    assert [k for k in LAYERS if not s.layer_on(k)] == ["staff", "density"]
    s.set_layer("grid", False)
    assert not s.layer_on("grid") and s.layer_on("street")
    assert s.fill_mode == "load" and s.marker_mode == "state"


def test_density_counts_cases_where_they_are(geo: MapGeometry) -> None:
    s = MapState(geo)
    assert s.density() is None
    x0, y0, x1, y1 = geo.bounds
    c = ((x0 + x1) / 2, (y0 + y1) / 2)
    s.set_cases([_row(i, geo, c) for i in range(1, 41)], NOW)
    h = s.density(bins=40)
    assert h is not None and h.shape == (40, 40)
    assert h.sum() == pytest.approx(40)                   # a blur moves cases, it keeps them
    peak = np.unravel_index(int(np.argmax(h)), h.shape)
    assert abs(peak[0] - 20) <= 1 and abs(peak[1] - 20) <= 1


def test_the_map_state_loads_no_qt() -> None:
    code = ("import sys, commandcenter.domain.mapstate\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6'))\n"
            "bad += sorted(m for m in sys.modules if m.startswith('commandcenter.')"
            " and m.split('.')[1] not in ('domain',))\n"
            "print(bad); sys.exit(1 if bad else 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr


def test_fill_pieces_are_each_tiles_grids_and_their_rings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fills gather grids by tile with array lookups: the same grids as the tile map, each
    once, unknown and repeated ids left out, and the rings of a piece are those grids' rings."""
    monkeypatch.setattr(mapgeom, "GRIDS_PER_TILE", 2)
    geo = _geometry()
    assert len(geo.tiles()) > 3
    ids = [g.id for g in geo.grids][::-1] + [geo.grids[0].id, -5, 10**9]
    pieces = geo.tile_slots(ids)
    by_tile = {geo.tile_of[int(p[0])]: sorted(geo.grids[int(s)].id for s in p) for p in pieces}
    assert by_tile == {t: sorted(g) for t, g in geo.tiles().items()}
    assert all(len({geo.tile_of[int(s)] for s in p}) == 1 and list(p) == sorted(set(p)) for p in pieces)
    some = [geo.grids[int(s)].id for s in pieces[0]]
    a, b = geo.rings_at(pieces[0]), geo.rings_of(reversed(some))
    assert np.array_equal(a.x, b.x) and np.array_equal(a.y, b.y) and np.array_equal(a.connect, b.connect)
    assert len(geo.rings_of([-1, 10**9]).x) == 0
