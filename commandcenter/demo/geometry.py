"""Geometry for the demo district: the real outline, cut into balanced cells.

Street, community and grid outlines are not public, so the demo derives them by partitioning
the real district outline with relaxed Voronoi cells (Lloyd's algorithm): cells of similar
area, nested level by level, that tile their parent exactly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry

from ..paths import boundaries_file


def load_district_outline(name: str, path: Path | None = None) -> tuple[str, BaseGeometry]:
    """(administrative code, lon/lat geometry) of a Beijing district by its Chinese name."""
    data = json.loads((path or boundaries_file()).read_text(encoding="utf-8"))
    names = []
    for feature in data["features"]:
        props = feature["properties"]
        names.append(props["name"])
        if props["name"] == name:
            return props["adcode"], shape(feature["geometry"])
    raise ValueError(f"unknown district {name!r}; the boundary file has: {', '.join(names)}")


def polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Only the polygonal parts of a geometry (intersections may add slivers of lines)."""
    if isinstance(geom, (Polygon, MultiPolygon)):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon) and not g.is_empty]
    return MultiPolygon(parts) if parts else Polygon()


def random_points_in(geom: BaseGeometry, n: int, rng: np.random.Generator) -> np.ndarray:
    """n uniformly distributed points strictly inside geom (rejection sampling)."""
    minx, miny, maxx, maxy = geom.bounds
    shapely.prepare(geom)
    prepared = geom
    out: list[np.ndarray] = []
    have = 0
    while have < n:
        batch = rng.uniform((minx, miny), (maxx, maxy), size=(max(64, 4 * (n - have)), 2))
        inside = batch[shapely.contains_xy(prepared, batch[:, 0], batch[:, 1])]
        out.append(inside)
        have += len(inside)
    return np.concatenate(out)[:n]


def partition(geom: BaseGeometry, n: int, rng: np.random.Generator, iterations: int = 6) -> list[BaseGeometry]:
    """Cut geom into n cells of similar area (Lloyd-relaxed Voronoi), in a stable order
    (north-west to south-east) so codes read like a map."""
    if n <= 1:
        return [geom]
    samples = random_points_in(geom, max(40 * n, 2000), rng)
    seeds = samples[rng.choice(len(samples), size=n, replace=False)]
    for _ in range(iterations):
        # Lloyd step on the sample cloud: each sample goes to its nearest seed.
        d = ((samples[:, None, :] - seeds[None, :, :]) ** 2).sum(axis=2)
        owner = d.argmin(axis=1)
        for k in range(n):
            mine = samples[owner == k]
            if len(mine):
                seeds[k] = mine.mean(axis=0)
    cells = shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=geom.envelope.buffer(10))
    cells = list(cells.geoms)
    result: list[BaseGeometry] = []
    seed_points = shapely.points(seeds)
    for k in range(n):
        cell = next(c for c in cells if c.contains(seed_points[k]) or c.touches(seed_points[k]))
        piece = polygonal(cell.intersection(geom))
        result.append(piece)
    result = [r for r in result if not r.is_empty and r.area > 0]
    if len(result) != n:
        raise RuntimeError(f"partition produced {len(result)} cells instead of {n}")
    result.sort(key=lambda g: (-round(g.centroid.y / 500), g.centroid.x))
    return result


def to_geojson(geom_lonlat: BaseGeometry, digits: int = 6) -> dict[str, Any]:
    """GeoJSON geometry rounded to ~0.1 m."""
    geojson: dict[str, Any] = mapping(shapely.set_precision(geom_lonlat, 10 ** -digits))
    return geojson


def outer_rings(geom_lonlat: BaseGeometry, digits: int = 6) -> list[str]:
    """PostgreSQL polygon literals, one per outer ring (cc.grid_part)."""
    rounded = shapely.set_precision(geom_lonlat, 10 ** -digits)
    polys = list(rounded.geoms) if isinstance(rounded, MultiPolygon) else [rounded]
    out = []
    for p in polys:
        coords = list(p.exterior.coords)[:-1]
        out.append("(" + ",".join(f"({x:.{digits}f},{y:.{digits}f})" for x, y in coords) + ")")
    return out


def bbox(geom: BaseGeometry) -> list[float]:
    return list(geom.bounds)
