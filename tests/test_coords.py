"""WGS-84 ↔ GCJ-02 (commandcenter/domain/coords.py): published reference points, round trips,
and a point near the district's edge landing in the right grid of the real grid polygons."""

from __future__ import annotations

import json
import math
import random

import pytest
from shapely.geometry import Point, shape
from shapely.ops import unary_union

from commandcenter.domain.coords import gcj02_to_wgs84, out_of_china, wgs84_to_gcj02

# The public test vectors of the standard offset (eviltransform's tests): WGS-84 (lat, lon)
# and the GCJ-02 (lat, lon) every implementation of the formula gives for it.
REFERENCE = [
    ((31.1774276, 121.5272106), (31.17530398364597, 121.531541859215)),     # Shanghai
    ((22.543847, 113.912316), (22.540796131694766, 113.9171764808363)),     # Shenzhen
    ((39.911954, 116.377817), (39.91334545536069, 116.38404722455657)),     # Beijing
]


@pytest.mark.parametrize(("wgs", "gcj"), REFERENCE)
def test_reference_points(wgs: tuple[float, float], gcj: tuple[float, float]) -> None:
    lon, lat = wgs84_to_gcj02(wgs[1], wgs[0])
    assert abs(lon - gcj[1]) < 1e-9 and abs(lat - gcj[0]) < 1e-9
    back_lon, back_lat = gcj02_to_wgs84(gcj[1], gcj[0])
    assert abs(back_lon - wgs[1]) < 1e-7 and abs(back_lat - wgs[0]) < 1e-7


def test_beijing_offset_is_about_half_a_kilometre() -> None:
    lon, lat = 116.397428, 39.90923                       # Tiananmen, WGS-84
    glon, glat = wgs84_to_gcj02(lon, lat)
    metres = math.hypot((glon - lon) * 111_320 * math.cos(math.radians(lat)), (glat - lat) * 110_540)
    assert 400 < metres < 700


def test_round_trips_over_beijing_within_1e_7_degrees() -> None:
    rng = random.Random(12)
    for _ in range(2000):
        lon, lat = rng.uniform(115.4, 117.6), rng.uniform(39.4, 41.1)
        wlon, wlat = gcj02_to_wgs84(lon, lat)
        again = wgs84_to_gcj02(wlon, wlat)
        assert abs(again[0] - lon) < 1e-7 and abs(again[1] - lat) < 1e-7
        glon, glat = wgs84_to_gcj02(lon, lat)
        back = gcj02_to_wgs84(glon, glat)
        assert abs(back[0] - lon) < 1e-7 and abs(back[1] - lat) < 1e-7


def test_outside_china_nothing_moves_and_bad_input_is_refused() -> None:
    assert out_of_china(-0.1276, 51.5072)
    assert wgs84_to_gcj02(-0.1276, 51.5072) == (-0.1276, 51.5072)
    assert gcj02_to_wgs84(151.2093, -33.8688) == (151.2093, -33.8688)
    for bad in ((math.nan, 39.9), (116.4, math.inf), (200.0, 39.9), (116.4, -91.0)):
        with pytest.raises(ValueError, match="not a longitude/latitude pair"):
            wgs84_to_gcj02(*bad)
        with pytest.raises(ValueError):
            gcj02_to_wgs84(*bad)


def _grid_at(conn, lon: float, lat: float) -> int | None:  # noqa: ANN001
    row = conn.execute("SELECT grid_id FROM cc.grid_part WHERE shape @> point(%s, %s) ORDER BY grid_id LIMIT 1",
                       (lon, lat)).fetchone()
    conn.commit()
    return None if row is None else int(row[0])


def edge_points(conn, count: int = 5) -> list[tuple[int, float, float]]:  # noqa: ANN001
    """(grid id, lon, lat) GCJ-02 points inside a grid and within about 3 m of the district's
    outer edge and at least 1 m from every other grid, taken from the real grid polygons in the
    database."""
    grids = {int(gid): shape(o if isinstance(o, dict) else json.loads(o))
             for gid, o in conn.execute("SELECT id, outline FROM cc.grid ORDER BY id").fetchall()}
    conn.commit()
    edge = unary_union(list(grids.values())).boundary
    found: list[tuple[int, float, float]] = []
    for gid, poly in grids.items():
        inner = poly.representative_point()
        rings = [poly.exterior] if poly.geom_type == "Polygon" else [p.exterior for p in poly.geoms]
        for ring in rings:
            for x, y in list(ring.coords)[:-1:7]:
                if edge.distance(Point(x, y)) > 1e-9:
                    continue
                dx, dy = inner.x - x, inner.y - y
                step = 2.5e-5 / math.hypot(dx, dy)            # about 2.5 m towards the inside
                p = Point(x + dx * step, y + dy * step)
                clear = all(o.distance(p) > 1e-5 for g, o in grids.items() if g != gid)   # no other grid near
                if poly.contains(p) and edge.distance(p) < 3e-5 and clear:
                    found.append((gid, p.x, p.y))
                    break
            if len(found) and found[-1][0] == gid:
                break
        if len(found) >= count:
            return found
    return found


def test_a_point_near_the_district_edge_lands_in_its_grid_after_conversion(conn) -> None:  # noqa: ANN001
    points = edge_points(conn)
    assert len(points) >= 3, "the demo district has grids on its outer edge"
    misplaced_without_conversion = 0
    for gid, lon, lat in points:
        assert _grid_at(conn, lon, lat) == gid                 # the database agrees it is inside
        wlon, wlat = gcj02_to_wgs84(lon, lat)                  # as Open311 would send it
        glon, glat = wgs84_to_gcj02(wlon, wlat)                # as the import converts it back
        assert abs(glon - lon) < 1e-7 and abs(glat - lat) < 1e-7
        assert _grid_at(conn, glon, glat) == gid
        if _grid_at(conn, wlon, wlat) != gid:                  # WGS-84 taken as ours: ~500 m off
            misplaced_without_conversion += 1
    assert misplaced_without_conversion >= 1                   # some land in another grid or outside
