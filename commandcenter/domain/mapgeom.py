"""Map geometry prepared once, without Qt: outlines projected to local metres as flat arrays
(one polyline per layer, a `connect` array separating rings), label anchors, and a spatial
index for hover picking. One graphics item per polygon would cost seconds at city scale."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from ..demo.geometry import LocalProjection


@dataclass
class Outline:
    """All rings of one layer as one polyline: x, y and connect (0 ends a ring)."""
    x: np.ndarray
    y: np.ndarray
    connect: np.ndarray

    @classmethod
    def of(cls, geoms: Iterable[BaseGeometry]) -> "Outline":
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
class Area:
    id: int
    name: str
    geom: BaseGeometry          # metres
    anchor: tuple[float, float]
    attrs: dict


class MapGeometry:
    """The territory in metres: areas per level, outlines per level, a grid picker."""

    def __init__(self, district_outline: dict, streets: list[dict], communities: list[dict], grids: list[dict]) -> None:
        district = shape(district_outline) if district_outline else None
        all_grids = [shape(g["outline"]) for g in grids]
        ref = district if district is not None else shapely.union_all(all_grids)
        self.projection = LocalProjection.around(ref)
        to_m = self.projection.to_metres
        self.district = to_m(district) if district is not None else None
        self.streets = [self._area(s, to_m) for s in streets]
        self.communities = [self._area(c, to_m) for c in communities]
        self.grids = [Area(g["id"], g["name"], to_m(geom), (0.0, 0.0), g) for g, geom in zip(grids, all_grids)]
        for a in self.grids:
            p = a.geom.representative_point()
            a.anchor = (p.x, p.y)
        self.outlines = {
            "district": Outline.of([self.district] if self.district is not None else []),
            "street": Outline.of(a.geom for a in self.streets),
            "community": Outline.of(a.geom for a in self.communities),
            "grid": Outline.of(a.geom for a in self.grids),
        }
        self._grid_tree = shapely.STRtree([a.geom for a in self.grids])
        self.grid_index = {a.id: i for i, a in enumerate(self.grids)}
        bounds = np.array([a.geom.bounds for a in self.grids]) if self.grids else np.zeros((1, 4))
        self.bounds = (bounds[:, 0].min(), bounds[:, 1].min(), bounds[:, 2].max(), bounds[:, 3].max())

    @staticmethod
    def _area(row: dict, to_m) -> Area:  # noqa: ANN001
        geom = to_m(shape(row["outline"]))
        p = geom.representative_point()
        return Area(row["id"], row["name"], geom, (p.x, p.y), row)

    def grid_at(self, x: float, y: float) -> Area | None:
        hits = self._grid_tree.query(shapely.Point(x, y), predicate="intersects")
        return self.grids[int(hits[0])] if len(hits) else None

    def project(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        return self.projection.points_to_metres(lon, lat)

    def rings_of(self, ids: Iterable[int]) -> Outline:
        return Outline.of(self.grids[self.grid_index[i]].geom for i in ids if i in self.grid_index)


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
    _, inverse, counts = np.unique(keys, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.ravel()
    cx = np.bincount(inverse, weights=points[:, 0]) / counts
    cy = np.bincount(inverse, weights=points[:, 1]) / counts
    return np.column_stack((cx, cy)), counts, inverse
