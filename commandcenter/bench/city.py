"""Beijing at city scale for the map benchmark: the 16 real district outlines cut into ~30,000
grids (plain Voronoi cells of random seeds, clipped to each district; the demo's relaxed
partition is quadratic and meant for one district). No Qt."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping, shape

from ..demo.geometry import polygonal, random_points_in
from ..paths import boundaries_file

GRID_TYPES = ("residential", "commercial", "enterprise", "crowded")
LEVELS = ("daily", "prevention", "key", "comprehensive")


@dataclass
class City:
    outline: dict[str, Any]
    streets: list[dict[str, Any]]       # the 16 districts, in the map's street layer
    communities: list[dict[str, Any]]
    grids: list[dict[str, Any]]


def build(total_grids: int = 30_000, seed: int = 3) -> City:
    rng = np.random.default_rng(seed)
    data = json.loads(boundaries_file().read_text(encoding="utf-8"))
    districts = [(f["properties"]["name"], shape(f["geometry"])) for f in data["features"]]
    area = sum(g.area for _, g in districts)
    streets, grids = [], []
    gid = 0
    for did, (name, geom) in enumerate(districts, start=1):
        streets.append({"id": did, "name": name, "name_en": name, "outline": mapping(geom)})
        n = max(4, round(total_grids * geom.area / area))
        seeds = random_points_in(geom, n, rng)
        cells = shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=geom.envelope.buffer(0.01),
                                         ordered=True)
        cells = np.array(list(cells.geoms), dtype=object)
        shapely.prepare(geom)
        inside = shapely.contains(geom, cells)
        clipped = cells.copy()
        clipped[~inside] = shapely.intersection(cells[~inside], geom)
        for k, cell in enumerate(clipped):
            cell = polygonal(cell) if cell.geom_type not in ("Polygon", "MultiPolygon") else cell
            if cell.is_empty:
                continue
            gid += 1
            grids.append({"id": gid, "code": f"{did:02d}{k:05d}", "name": f"{name}{k + 1}号网格",
                          "community_id": did, "street_id": did, "grid_class": "community",
                          "grid_type": GRID_TYPES[int(rng.integers(4))], "mgmt_level": LEVELS[int(rng.integers(4))],
                          "population": int(rng.integers(300, 3000)), "households": int(rng.integers(100, 1200)),
                          "outline": mapping(cell)})
    whole = shapely.union_all([g for _, g in districts])
    return City(mapping(whole), streets, [], grids)
