"""Map geometry prepared once, without Qt: outlines projected to local metres as flat arrays
(one polyline per layer, a `connect` array separating rings), label anchors, and a spatial
index for hover picking. One graphics item per polygon would cost seconds at city scale."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from .projection import LocalProjection


@dataclass
class Outline:
    """All rings of one layer as one polyline: x, y and connect (0 ends a ring)."""
    x: np.ndarray
    y: np.ndarray
    connect: np.ndarray

    @classmethod
    def of(cls, geoms: Iterable[BaseGeometry]) -> Outline:
        parts = []
        for g in geoms:
            for poly in getattr(g, "geoms", [g]):
                for ring in (poly.exterior, *poly.interiors):
                    parts.append(np.asarray(ring.coords))
        if not parts:
            empty = np.zeros(0)
            return cls(empty, empty, np.zeros(0, dtype=np.int32))
        xy = np.concatenate(parts)
        connect = np.ones(len(xy), dtype=np.int32)
        ends = np.cumsum([len(p) for p in parts]) - 1
        connect[ends] = 0
        return cls(xy[:, 0].copy(), xy[:, 1].copy(), connect)


@dataclass
class MapArea:
    id: int
    name: str
    geom: BaseGeometry          # metres
    anchor: tuple[float, float]
    attrs: dict[str, Any]


DISPLAY_TOLERANCE_M = 2.0
COARSE_TOLERANCE_M = 30.0
GRIDS_PER_TILE = 400


class MapGeometry:
    """The territory in metres: areas per level, outlines per level, a grid picker."""

    def __init__(self, district_outline: dict[str, Any], streets: list[dict[str, Any]],
                 communities: list[dict[str, Any]], grids: list[dict[str, Any]]) -> None:
        district = shape(district_outline) if district_outline else None
        all_grids = [shape(g["outline"]) for g in grids]
        ref = district if district is not None else shapely.union_all(all_grids)
        self.projection = LocalProjection.around(ref)
        to_m = self.projection.to_metres
        self.district = to_m(district) if district is not None else None
        self.streets = [self._area(s, to_m) for s in streets]
        self.communities = [self._area(c, to_m) for c in communities]
        self.grids = [MapArea(g["id"], g["name"], to_m(geom), (0.0, 0.0), g) for g, geom in zip(grids, all_grids)]
        for a in self.grids:
            p = a.geom.representative_point()
            a.anchor = (p.x, p.y)
        # Display outlines of the big units are simplified to a couple of metres: invisible on
        # screen, and a tenth of the vertices of a surveyed boundary.
        self.outlines = {
            "district": Outline.of([self.district.simplify(DISPLAY_TOLERANCE_M)] if self.district is not None else []),
            "street": Outline.of(a.geom.simplify(DISPLAY_TOLERANCE_M) for a in self.streets),
            "community": Outline.of(a.geom for a in self.communities),
            "grid": Outline.of(a.geom for a in self.grids),
            # for zoomed-out views (a pixel is tens of metres there)
            "district_coarse": Outline.of([self.district.simplify(COARSE_TOLERANCE_M)] if self.district is not None else []),
            "street_coarse": Outline.of(a.geom.simplify(COARSE_TOLERANCE_M) for a in self.streets),
        }
        # every grid ring's points once, tagged with the grid's index: any set of grids' rings is
        # then a boolean mask away (no per-polygon Python at draw time)
        rings = shapely.get_rings(np.array([a.geom for a in self.grids], dtype=object), return_index=False) \
            if self.grids else np.array([])
        ring_owner = shapely.get_rings(np.array([a.geom for a in self.grids], dtype=object), return_index=True)[1] \
            if self.grids else np.array([], dtype=int)
        coords, point_ring = shapely.get_coordinates(rings, return_index=True) if len(rings) else \
            (np.zeros((0, 2)), np.array([], dtype=int))
        self._pts = coords
        self._pt_grid = ring_owner[point_ring] if len(rings) else np.array([], dtype=int)
        last = np.ones(len(coords), dtype=bool)
        if len(coords):
            last[:-1] = point_ring[1:] != point_ring[:-1]
        self._pt_connect = (~last).astype(np.int32)
        # each grid's points are one run (rings come out in grid order)
        counts = np.bincount(self._pt_grid, minlength=len(self.grids)) if len(coords) else \
            np.zeros(len(self.grids), dtype=np.int64)
        self._run_count = counts.astype(np.int64)
        self._run_first = np.concatenate(([0], np.cumsum(self._run_count)[:-1])).astype(np.int64)
        assert len(coords) == 0 or bool(np.all(np.diff(self._pt_grid) >= 0)), "grid rings out of order"
        self._grid_tree = shapely.STRtree([a.geom for a in self.grids])
        self.grid_index = {a.id: i for i, a in enumerate(self.grids)}
        bounds = np.array([a.geom.bounds for a in self.grids]) if self.grids else np.zeros((1, 4))
        self.bounds = (bounds[:, 0].min(), bounds[:, 1].min(), bounds[:, 2].max(), bounds[:, 3].max())
        # Tiles: grids grouped by where they lie, so the scene can skip what is off screen.
        self.tiles_per_side = max(1, int(np.ceil(np.sqrt(len(self.grids) / GRIDS_PER_TILE))))
        x0, y0, x1, y1 = self.bounds
        t = self.tiles_per_side
        anchors = np.array([a.anchor for a in self.grids]) if self.grids else np.zeros((0, 2))
        tx = np.clip(((anchors[:, 0] - x0) / max(x1 - x0, 1e-9) * t).astype(int), 0, t - 1) if len(anchors) else []
        ty = np.clip(((anchors[:, 1] - y0) / max(y1 - y0, 1e-9) * t).astype(int), 0, t - 1) if len(anchors) else []
        self.tile_of = [int(a) * t + int(b) for a, b in zip(tx, ty)]
        self._tile_at = np.array(self.tile_of, dtype=np.int64)
        ids = np.array([a.id for a in self.grids], dtype=np.int64)
        self._slot_of_id = np.full(int(ids.max()) + 1 if len(ids) else 1, -1, dtype=np.int64)
        self._slot_of_id[ids] = np.arange(len(ids))
        areas = [a.geom.area for a in self.grids]
        self.typical_grid_m = float(np.sqrt(np.median(areas))) if areas else 1.0
        #: each tile's grid borders, every shared border once (made here, off the GUI thread)
        self.tile_edges = {tile: self.edges_of(ids) for tile, ids in self.tiles().items()}

    @staticmethod
    def _area(row: dict[str, Any], to_m: Callable[[BaseGeometry], BaseGeometry]) -> MapArea:
        geom = to_m(shape(row["outline"]))
        p = geom.representative_point()
        return MapArea(row["id"], row["name"], geom, (p.x, p.y), row)

    def grid_at(self, x: float, y: float) -> MapArea | None:
        hits = self._grid_tree.query(shapely.Point(x, y), predicate="intersects")
        return self.grids[int(hits[0])] if len(hits) else None

    def project(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        return self.projection.points_to_metres(lon, lat)

    def tiles(self, ids: Iterable[int] | None = None) -> dict[int, list[int]]:
        """Grid ids per tile (all grids, or those given)."""
        out: dict[int, list[int]] = {}
        index, tile_of = self.grid_index, self.tile_of
        for gid in (ids if ids is not None else self.grid_index):
            i = index.get(gid)
            if i is not None:
                t = tile_of[i]
                group = out.get(t)
                if group is None:
                    out[t] = [gid]
                else:
                    group.append(gid)
        return out

    def slots(self, ids: Iterable[int]) -> np.ndarray:
        """The positions in self.grids of these grid ids (unknown ids left out), by array lookup."""
        a = np.fromiter(ids, dtype=np.int64) if not isinstance(ids, np.ndarray) else ids.astype(np.int64)
        a = a[(a >= 0) & (a < len(self._slot_of_id))]
        s = self._slot_of_id[a]
        return s[s >= 0]

    def tile_slots(self, ids: Iterable[int]) -> list[np.ndarray]:
        """These grids' slots, one array per tile they lie in (the vector fills' pieces)."""
        s = np.unique(self.slots(ids))
        if not len(s):
            return []
        tiles = self._tile_at[s]
        order = np.argsort(tiles, kind="stable")
        s, tiles = s[order], tiles[order]
        cut = np.flatnonzero(np.diff(tiles)) + 1
        return np.split(s, cut)

    def rings_of(self, ids: Iterable[int]) -> Outline:
        """The grids' rings, in grid order: each grid's points are one run of the point arrays,
        so this gathers runs (cost by the points asked for, not by all the city's)."""
        return self.rings_at(np.unique(self.slots(ids)))

    def rings_at(self, idx: np.ndarray) -> Outline:
        """rings_of for grid slots, sorted and unique."""
        first, count = self._run_first[idx], self._run_count[idx]
        total = int(count.sum())
        take = np.repeat(first - np.concatenate(([0], np.cumsum(count)[:-1])), count) + np.arange(total)
        pts = self._pts[take]
        return Outline(pts[:, 0].copy(), pts[:, 1].copy(), self._pt_connect[take])

    def edges_of(self, ids: Iterable[int]) -> Outline:
        """The grids' outlines with each shared border once: neighbouring grids share their
        borders, so drawing every ring strokes most lines twice (223,340 segments for the
        city bench's grids, 123,592 distinct). Segments as pairs of points (connect 1, 0)."""
        o = self.rings_of(ids)
        seg = o.connect[:-1].astype(bool)
        a = np.column_stack((o.x[:-1][seg], o.y[:-1][seg]))
        b = np.column_stack((o.x[1:][seg], o.y[1:][seg]))
        if not len(a):
            return Outline(np.zeros(0), np.zeros(0), np.zeros(0, dtype=np.int32))
        ka, kb = np.round(a * 100).astype(np.int64), np.round(b * 100).astype(np.int64)   # to the centimetre
        swap = (ka[:, 0] > kb[:, 0]) | ((ka[:, 0] == kb[:, 0]) & (ka[:, 1] > kb[:, 1]))
        keys = np.column_stack((np.where(swap[:, None], kb, ka), np.where(swap[:, None], ka, kb)))
        _, first = np.unique(keys, axis=0, return_index=True)
        first.sort()
        pairs = np.empty((len(first) * 2, 2))
        pairs[0::2], pairs[1::2] = a[first], b[first]
        connect = np.zeros(len(pairs), dtype=o.connect.dtype)
        connect[0::2] = 1
        return Outline(pairs[:, 0].copy(), pairs[:, 1].copy(), connect)


def nearest(points: np.ndarray, x: float, y: float, radius: float) -> int | None:
    """Index of the point nearest to (x, y) within radius, or None (numpy: 50k points < 1 ms)."""
    if len(points) == 0:
        return None
    d2 = (points[:, 0] - x) ** 2 + (points[:, 1] - y) ** 2
    i = int(np.argmin(d2))
    return i if d2[i] <= radius * radius else None


def cluster(points: np.ndarray, cell: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bin points into square cells: centres (mean position), counts, and each point's cell."""
    if len(points) == 0:
        return np.zeros((0, 2)), np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    keys = np.floor(points / cell).astype(np.int64)
    keys -= keys.min(axis=0)
    # one integer per cell, in the order (column, row) sorts: a 1-D unique is ~10× a 2-D one
    flat = keys[:, 0] * (int(keys[:, 1].max()) + 1) + keys[:, 1]
    _, inverse, counts = np.unique(flat, return_inverse=True, return_counts=True)
    inverse = inverse.ravel()
    cx = np.bincount(inverse, weights=points[:, 0]) / counts
    cy = np.bincount(inverse, weights=points[:, 1]) / counts
    return np.column_stack((cx, cy)), counts, inverse
