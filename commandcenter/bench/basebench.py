"""`bench base`: the grid information base and the service directory at Haidian's size.

A scratch database gets Haidian's territory (a short history only: the cases are not what is
measured), then the whole base (3.4 million residents and their buildings, households, special
populations, places and organisations) and the service directory. Measured as the district's
operator, who searches the whole district (the widest scope, so the slowest):

- base load: seconds to write the base (bulk INSERT … SELECT and COPY on the server);
- person search p95 over a mix an operator types: name starts, pinyin initials, phone endings,
  building names and (a few, they are bounded per login) whole identity numbers;
- grid card open p95: everything the card asks when a grid is clicked (queries.grid_card);
- layer recolour: the database's figures for the special-population and overdue-visit fills of
  every grid (one call), the coverage fill of one service category, and the map state turning
  figures into colour groups;
- nearest open provider p95 from random points of the district.

Targets: person search and grid card ≤ 100 ms p95 (issue 14), nearest provider ≤ 100 ms p95,
a layer recolour ≤ 2 s (an operator's click, not a frame), base load ≤ 10 minutes.
"""

from __future__ import annotations

import random
import time

import psycopg

from ..demo.base import build_base
from ..demo.names import DISTRICTS
from ..demo.services import build_directory
from ..domain.mapgeom import MapGeometry
from ..domain.mapstate import MapState
from ..launch.sign_in import view_dsn
from ..store import queries, services
from ..store.database import Database
from .harness import BenchResult, percentiles
from .scratch import scratch_database

TARGETS = {"person_search_p95_ms": 100.0, "grid_card_p95_ms": 100.0, "nearest_provider_p95_ms": 100.0,
           "recolour_base_ms": 2000.0, "recolour_coverage_ms": 2000.0, "base_load_s": 600.0}
DISTRICT = "海淀区"


def _searches(conn: psycopg.Connection, rng: random.Random, n: int) -> list[str]:
    """What operators type, drawn from the base itself (so each finds someone)."""
    people = conn.execute("SELECT name, initials, phone, id_number FROM cc.resident TABLESAMPLE SYSTEM (0.5) "
                          "LIMIT 2000").fetchall()
    buildings = [r[0] for r in conn.execute("SELECT name FROM cc.building TABLESAMPLE SYSTEM (5) LIMIT 200")]
    out = []
    for i in range(n):
        name, initials, phone, number = rng.choice(people)
        kind = i % 10
        if kind < 4:
            out.append(name[:2])                     # surname and the first given character
        elif kind < 6:
            out.append(initials[:3])
        elif kind < 8 and phone:
            out.append(phone[-4:])
        elif kind < 9 and buildings:
            out.append(rng.choice(buildings)[:4])
        elif i < 200:
            out.append(number)                       # whole numbers: bounded per login and day
        else:
            out.append(name)
    return out


def run(db: Database, district: str = DISTRICT, scale: float = 1.0, samples: int = 200, seed: int = 5) -> BenchResult:
    result = BenchResult("base", targets=dict(TARGETS))
    rng = random.Random(seed)
    spec = DISTRICTS[district]
    with scratch_database(db, district=district, cases=200, days=7, communities=spec.communities,
                          grids=spec.grids) as scratch:
        with scratch.connect() as conn:
            built = build_base(conn, seed=seed, scale=scale)
            build_directory(conn, seed)
            conn.commit()
            conn.execute("ANALYZE")
            searches = _searches(conn, rng, samples)
            grids = [r[0] for r in conn.execute("SELECT id FROM cc.grid")]
            box = conn.execute("SELECT min(bbox[1]), min(bbox[2]), max(bbox[3]), max(bbox[4]) FROM cc.grid").fetchone()
        result.figures.update({"residents": built.residents, "households": built.households,
                               "buildings": built.buildings, "grids": len(grids), "base_load_s": round(built.seconds, 1)})
        with psycopg.connect(view_dsn(scratch, "hall")) as op:
            search_ms: list[float] = []
            for q in searches:
                t = time.perf_counter()
                queries.find_people(op, q)
                search_ms.append((time.perf_counter() - t) * 1000)
            card_ms: list[float] = []
            for g in rng.sample(grids, min(samples, len(grids))):
                t = time.perf_counter()
                queries.grid_card(op, g)
                card_ms.append((time.perf_counter() - t) * 1000)
            items = _items(op)
            near_ms: list[float] = []
            assert box is not None
            for _ in range(samples):
                lon, lat, item = rng.uniform(box[0], box[2]), rng.uniform(box[1], box[3]), rng.choice(items)
                t = time.perf_counter()
                services.nearest_providers(op, item, lon, lat)
                near_ms.append((time.perf_counter() - t) * 1000)
            terr = queries.territory(op)
            state = MapState(MapGeometry(terr.district_outline, terr.streets, terr.communities, terr.grids))
            recolour_base = []
            recolour_cover = []
            for category in ("meals", "bathing", "legal"):
                t = time.perf_counter()
                figures = services.base_figures(op)
                state.set_figures("special", figures["special"])
                state.set_fill("special")
                state.fill_groups()
                recolour_base.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                cover = services.coverage(op, category)
                state.set_figures("coverage", cover)
                state.set_fill("coverage")
                state.fill_groups()
                recolour_cover.append((time.perf_counter() - t) * 1000)
        result.figures.update(percentiles(search_ms, "person_search_"))
        result.figures.update(percentiles(card_ms, "grid_card_"))
        result.figures.update(percentiles(near_ms, "nearest_provider_"))
        result.figures["recolour_base_ms"] = round(sorted(recolour_base)[1], 1)
        result.figures["recolour_coverage_ms"] = round(sorted(recolour_cover)[1], 1)
    result.notes.append(f"{district} at scale {scale}: {samples} searches, grid cards and nearest-provider queries "
                        "as the district operator (the widest scope); recolour figures are medians of 3")
    return result


def _items(conn: psycopg.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT code FROM cc.service_item")]
