"""Seed a demo district into a migrated database: territory, forces, units, routing, history."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import psycopg
from psycopg.types.json import Jsonb
from shapely.geometry.base import BaseGeometry

from ..store.errors import CommandCenterError
from . import DEFAULT_DISTRICT, FULL_CASES, FULL_DAYS, prebuilt
from . import accounts as demo_accounts
from .assessment import seed_assessments
from .base import build_base
from .geometry import bbox, outer_rings, to_geojson
from .history import CaseScript, HistoryPlayer
from .names import DISTRICTS
from .services import build_directory
from .territory import Territory, build_territory

log = logging.getLogger(__name__)


class SeedRefused(CommandCenterError):
    """The database cannot take this demo district."""


@dataclass
class SeedResult:
    district: str
    streets: int
    communities: int
    grids: int
    persons: int
    cases: int
    actions: int
    seconds: float


@dataclass
class DemoPlan:
    """A demo district whose territory and accounts are written and whose history is planned
    but not yet played: the hall can open on it while the history plays."""
    district: str
    territory: Territory
    player: HistoryPlayer
    scripts: list[CaseScript]
    days: int
    started: float
    seed: int = 1
    base_scale: float | None = None      # the grid information base, after the history (None: not built)

    def play(self, conn: psycopg.Connection, progress: Callable[[str], None] | None = None,
             on_step: Callable[[int, int], None] | None = None,
             connect: Callable[[], psycopg.Connection] | None = None) -> SeedResult:
        """Play the history and write the service directory and the assessments (then the base,
        if asked). With `connect` the history plays on one connection per core (HISTORY_LANES)
        while `conn` writes the directory and the assessments, which no case touches."""
        say = progress or (lambda msg: log.info(msg))
        say(f"playing {self.days} days of history: {len(self.scripts)} cases")

        said = [0]

        def step(done: int, left: int) -> None:
            if on_step is not None:
                on_step(done, left)
            if done // SAY_EVERY > said[0]:          # the log: a line every few thousand actions
                said[0] = done // SAY_EVERY
                say(f"  {done} actions played, {left} pending")

        def beside() -> None:
            providers = build_directory(conn, self.seed)
            conn.commit()
            say(f"service directory: {providers} providers")
            forms = seed_assessments(conn, seed=self.seed, until=self.player.end)
            say(f"two-way assessment: {forms} forms of the last half-year")

        self.player.conn = conn
        conn.commit()
        if connect is None or HISTORY_LANES < 2:
            self.player.play(self.scripts, step)
            beside()
        else:
            with ThreadPoolExecutor(1, thread_name_prefix="cc-demo-beside") as pool:
                written = pool.submit(beside)
                self.player.play(self.scripts, step, connect, HISTORY_LANES)
                written.result()
        if self.base_scale is not None:
            build_base(conn, seed=self.seed, scale=self.base_scale, progress=say)
        t = self.territory
        return SeedResult(self.district, len(t.streets), len(t.communities), len(t.grids), len(t.persons),
                          len(self.scripts), self.player.actions, time.perf_counter() - self.started)


#: The first start's history: two weeks at the full history's daily volume, played to the end
#: before anyone signs in so that the hall never opens on a half-played history, within the
#: 30 s the first start has on a 2-core machine (BENCHMARKS.md).
FIRST_START_DAYS = 14
#: actions between the history's progress lines in the log
SAY_EVERY = 5000
#: Connections a history plays on when it may open more than one: the server's work per action
#: is the cost, and each lane keeps one core busy.
HISTORY_LANES = max(1, min(4, os.cpu_count() or 1))
FIRST_START_CASES = FULL_CASES * FIRST_START_DAYS // FULL_DAYS


def prepare_demo(conn: psycopg.Connection, district: str = DEFAULT_DISTRICT, seed: int = 1, cases: int = FULL_CASES,
                 days: int = FULL_DAYS, communities: int | None = None, grids: int | None = None,
                 until: datetime | None = None, progress: Callable[[str], None] | None = None) -> DemoPlan:
    """Write the district (territory, staff, units, routing) and its console accounts, and plan
    `days` of history ending at `until` (default: now). Deterministic for the same arguments."""
    say = progress or (lambda msg: log.info(msg))
    spec = DISTRICTS.get(district)
    if spec is None:
        raise SeedRefused(f"no demo for district {district!r}; choose one of: {', '.join(DISTRICTS)}")
    existing = conn.execute("SELECT name FROM cc.district").fetchone()
    if existing:
        raise SeedRefused(
            f"this database already holds the district {existing[0]}; demo data is seeded once. "
            "Use a fresh --data-dir (or an empty database) to seed another demo.")
    started = time.perf_counter()
    end = (until or datetime.now(UTC)).replace(second=0, microsecond=0)
    say(f"building {district}: {len(spec.streets)} streets, {communities or spec.communities} communities, "
        f"{grids or spec.grids} grids")
    t = prebuilt.take(district, seed, communities, grids) or build_territory(spec, seed, communities, grids)
    _write_territory(conn, t)
    conn.commit()
    say(f"territory written: {len(t.persons)} people, {len(t.units)} units")
    made = demo_accounts.ensure(conn)
    say(f"demo console accounts: {', '.join(a.login for a in made)} (commandcenter demo accounts)")
    rng = np.random.default_rng(seed + 1000)
    player = HistoryPlayer(conn, t, rng, end - timedelta(days=days), end)
    return DemoPlan(district, t, player, player.plan(cases), days, started, seed)


def seed_demo(conn: psycopg.Connection, district: str = DEFAULT_DISTRICT, seed: int = 1, cases: int = FULL_CASES,
              days: int = FULL_DAYS, communities: int | None = None, grids: int | None = None,
              until: datetime | None = None,
              progress: Callable[[str], None] | None = None, base_scale: float | None = None,
              connect: Callable[[], psycopg.Connection] | None = None) -> SeedResult:
    """Build the district and play `days` of history ending at `until` (default: now).

    Deterministic for the same arguments: the same seed gives the same territory, people
    and case scripts; `until` fixes the clock too. With `connect` (new connections to the same
    database) the history plays on several lanes: the same cases and fates, other ids.
    """
    plan = prepare_demo(conn, district, seed, cases, days, communities, grids, until, progress)
    plan.base_scale = base_scale
    return plan.play(conn, progress, connect=connect)


def _write_territory(conn: psycopg.Connection, t: Territory) -> None:
    proj = t.projection

    def geo(shape_m: BaseGeometry) -> tuple[BaseGeometry, Jsonb, list[float]]:
        ll = proj.to_lonlat(shape_m)
        return ll, Jsonb(to_geojson(ll)), bbox(ll)

    ll, outline, box = geo(t.outline_m)
    conn.execute("INSERT INTO cc.district (id, code, name, name_en, outline, bbox) VALUES (%s, %s, %s, %s, %s, %s)",
                 (t.district_id, t.district_code, t.district_name, t.district_name_en, outline, box))
    with conn.cursor() as cur:
        with cur.copy("COPY cc.street (id, district_id, code, name, name_en, kind, outline, bbox) FROM STDIN") as cp:
            for s in t.streets:
                _, outline, box = geo(s.shape_m)
                cp.write_row((s.id, t.district_id, s.code, s.name, s.name_en, s.kind, outline, box))
        with cur.copy("COPY cc.community (id, street_id, code, name, kind, outline, bbox) FROM STDIN") as cp:
            for c in t.communities:
                _, outline, box = geo(c.shape_m)
                cp.write_row((c.id, c.parent_id, c.code, c.name, c.kind, outline, box))
        parts: list[tuple[int, int, str]] = []
        with cur.copy("COPY cc.grid (id, community_id, street_id, code, name, grid_class, grid_type, mgmt_level, "
                      "area_m2, buildings, households, population, outline, bbox) FROM STDIN") as cp:
            for g in t.grids:
                ll, outline, box = geo(g.shape_m)
                cp.write_row((g.id, g.parent_id, g.street_id, g.code, g.name, g.grid_class, g.grid_type,
                              g.mgmt_level, round(g.shape_m.area, 1), g.buildings, g.households, g.population,
                              outline, box))
                parts.extend((g.id, k, ring) for k, ring in enumerate(outer_rings(ll)))
        with cur.copy("COPY cc.grid_part (grid_id, part, shape) FROM STDIN") as cp:
            for part in parts:
                cp.write_row(part)
        with cur.copy("COPY cc.person (id, name, phone, employer, on_duty, home_lon, home_lat) FROM STDIN") as cp:
            homes = proj.points_to_lonlat(np.array([p.home_xy for p in t.persons]))
            for p, (lon, lat) in zip(t.persons, homes):
                cp.write_row((p.id, p.name, p.phone, p.employer, p.on_duty, round(lon, 6), round(lat, 6)))
        with cur.copy("COPY cc.grid_assignment (grid_id, role_code, person_id) FROM STDIN") as cp:
            for row in t.assignments:
                cp.write_row(row)
        dept_ids: dict[str, int] = dict(cur.execute("SELECT code, id FROM cc.department").fetchall())
        with cur.copy("COPY cc.unit (id, department_id, street_id, code, name, name_en) FROM STDIN") as cp:
            for u in t.units:
                cp.write_row((u.id, dept_ids[u.department], u.street_id, u.code, u.name, u.name_en))
        with cur.copy("COPY cc.unit_staff (unit_id, person_id, title) FROM STDIN") as cp:
            for member in t.unit_staff:
                cp.write_row(member)
    # Routing: an item goes to its department's station in the case's street, else to the
    # department's district-level unit.
    conn.execute("""
        INSERT INTO cc.routing_rule (category_id, street_id, unit_id)
        SELECT c.id, s.id, coalesce(
                   (SELECT u.id FROM cc.unit u WHERE u.department_id = d.id AND u.street_id = s.id),
                   (SELECT u.id FROM cc.unit u WHERE u.department_id = d.id AND u.street_id IS NULL))
          FROM cc.category c JOIN cc.department d ON d.code = c.handler_department
         CROSS JOIN cc.street s
         WHERE c.level = 3""")
