"""The demo district's territory and people: streets, communities, grids, the seven forces,
departments' units. Pure data (no database): seed.py writes it."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from shapely.geometry.base import BaseGeometry

from ..domain.forces import X_ROLES
from ..domain.projection import LocalProjection
from . import names
from .geometry import load_district_outline, partition

# Departments with a station in every street; the others work from the district level.
STREET_STATIONS = {
    "public_security": ("{}派出所", "{} Police Station"),
    "urban_mgmt": ("{}城管执法队", "{} Urban Management Team"),
    "sanitation": ("{}环卫所", "{} Sanitation Station"),
    "justice": ("{}司法所", "{} Judicial Office"),
    "market": ("{}工商所", "{} Market Supervision Office"),
    "housing": ("{}房管所", "{} Housing Office"),
    "hrss": ("{}社保所", "{} Social Security Office"),
}
DEPARTMENTS = ("public_security", "market", "traffic", "urban_mgmt", "city_command", "fire", "health",
               "justice", "housing", "hrss", "statistics", "landscaping", "sanitation")
DEPARTMENT_NAMES = {
    "public_security": ("公安分局", "Public Security Bureau"), "market": ("工商分局", "Market Supervision Bureau"),
    "traffic": ("交通支队", "Traffic Police"), "urban_mgmt": ("城管执法局", "Urban Management Enforcement"),
    "city_command": ("城市管理监督指挥中心", "Urban Management Command Centre"), "fire": ("消防支队", "Fire Brigade"),
    "health": ("卫生监督所", "Health Inspection"), "justice": ("司法局", "Judicial Bureau"),
    "housing": ("房管局", "Housing Administration"), "hrss": ("人力社保局", "Human Resources and Social Security"),
    "statistics": ("统计局", "Statistics Bureau"), "landscaping": ("园林绿化局", "Landscaping Bureau"),
    "sanitation": ("环卫中心", "Sanitation Centre"),
}


@dataclass
class Area:
    id: int
    code: str
    name: str
    shape_m: BaseGeometry          # local metres
    parent_id: int | None = None
    kind: str = ""
    name_en: str = ""


@dataclass
class Grid(Area):
    street_id: int = 0
    grid_class: str = "community"
    grid_type: str = "residential"
    mgmt_level: str = "daily"
    buildings: int = 0
    households: int = 0
    population: int = 0


@dataclass
class Person:
    id: int
    name: str
    phone: str
    employer: str
    on_duty: bool
    home_xy: tuple[float, float]


@dataclass
class Unit:
    id: int
    department: str
    street_id: int | None
    code: str
    name: str
    name_en: str


@dataclass
class Territory:
    district_id: int
    district_code: str
    district_name: str
    district_name_en: str
    projection: LocalProjection
    outline_m: BaseGeometry
    streets: list[Area] = field(default_factory=list)
    communities: list[Area] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    assignments: list[tuple[int, str, int]] = field(default_factory=list)   # grid, role, person
    units: list[Unit] = field(default_factory=list)
    unit_staff: list[tuple[int, int, str]] = field(default_factory=list)     # unit, person, title


def allocate(total: int, weights: list[float], minimum: int = 1) -> list[int]:
    """Split total into integer parts proportional to weights, each at least minimum
    (largest remainder)."""
    n = len(weights)
    if total < n * minimum:
        raise ValueError(f"cannot give {n} areas at least {minimum} each out of {total}")
    w = np.asarray(weights, dtype=float)
    free = total - n * minimum
    raw = w / w.sum() * free
    parts = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - parts))[: free - parts.sum()]:
        parts[i] += 1
    return [int(p) + minimum for p in parts]


def build_territory(spec: names.DistrictSpec, seed: int, communities: int | None = None,
                    grids: int | None = None) -> Territory:
    """Deterministic for (spec, seed, counts)."""
    rng = np.random.default_rng(seed)
    n_comm = communities or spec.communities
    n_grid = grids or spec.grids
    if n_grid < n_comm:
        raise ValueError(f"{n_grid} grids cannot cover {n_comm} communities (each needs at least one grid)")
    code, outline_ll = load_district_outline(spec.name)
    if outline_ll.geom_type == "MultiPolygon":
        outline_ll = max(outline_ll.geoms, key=lambda g: g.area)
    proj = LocalProjection.around(outline_ll)
    outline = proj.to_metres(outline_ll)
    t = Territory(district_id=int(code[-2:]), district_code=code, district_name=spec.name,
                  district_name_en=spec.name_en, projection=proj, outline_m=outline)

    street_shapes = partition(outline, len(spec.streets), rng)
    comm_counts = allocate(n_comm, [s.area for s in street_shapes])
    comm_names = names.community_names(n_comm, rng)
    cid = 0
    for si, ((sname, sname_en, kind), sshape) in enumerate(zip(spec.streets, street_shapes), start=1):
        scode = f"{code}{si:03d}"
        suffix = "" if kind == "town" else "街道"
        t.streets.append(Area(si, scode, sname + suffix, sshape, None, kind,
                              sname_en + (" Town" if kind == "town" and "Town" not in sname_en else
                                          "" if kind == "town" else " Street")))
        for ci, cshape in enumerate(partition(sshape, comm_counts[si - 1], rng), start=1):
            cid += 1
            t.communities.append(Area(cid, f"{scode}{ci:03d}", comm_names[cid - 1], cshape, si,
                                      "village" if kind == "town" and rng.random() < 0.4 else "community"))

    grid_counts = allocate(n_grid, [c.area for c in (a.shape_m for a in t.communities)])
    gid = 0
    for comm, count in zip(t.communities, grid_counts):
        for gi, gshape in enumerate(partition(comm.shape_m, count, rng), start=1):
            gid += 1
            t.grids.append(_make_grid(gid, comm, gi, gshape, rng))
    _mark_special_grids(t, spec, rng)
    _staff(t, rng)
    _units(t, rng)
    return t


def _make_grid(gid: int, comm: Area, number: int, shape_m: BaseGeometry, rng: np.random.Generator) -> Grid:
    grid_type = str(rng.choice(["residential", "commercial", "enterprise", "crowded"], p=[0.62, 0.2, 0.12, 0.06]))
    level = str(rng.choice(["daily", "prevention", "key", "comprehensive"], p=[0.5, 0.3, 0.12, 0.08]))
    area_m2 = float(shape_m.area)
    density = {"residential": 0.03, "commercial": 0.008, "enterprise": 0.005, "crowded": 0.004}[grid_type]
    population = int(max(300, min(6000, area_m2 * density * rng.uniform(0.6, 1.4))))
    households = int(population / rng.uniform(2.6, 3.2))
    buildings = int(max(1, households / rng.uniform(60, 240)))
    return Grid(gid, f"{comm.code}{number:02d}", f"{comm.name}第{number}网格", shape_m, comm.id,
                street_id=comm.parent_id or 0, grid_type=grid_type, mgmt_level=level,
                buildings=buildings, households=households, population=population)


def _mark_special_grids(t: Territory, spec: names.DistrictSpec, rng: np.random.Generator) -> None:
    """Haidian's key-unit grids (重点单位网格) and road grids (道路网格)."""
    picks = rng.choice(len(t.grids), size=spec.key_unit_grids + spec.road_grids, replace=False)
    for k, idx in enumerate(picks):
        g = t.grids[int(idx)]
        if k < spec.key_unit_grids:
            g.grid_class, g.grid_type, g.mgmt_level = "key_unit", "enterprise", "key"
            g.name = g.name.replace("网格", "重点单位网格")
        else:
            g.grid_class, g.grid_type, g.mgmt_level = "road", "crowded", "comprehensive"
            g.name = g.name.replace("网格", "道路网格")


def _staff(t: Territory, rng: np.random.Generator) -> None:
    """Every grid gets all seven forces; one person may cover several grids and roles
    (一格多员、一员多能): managers per grid, police and firefighters per few grids, the party
    secretary and supervisor per community, the judicial worker per several communities."""
    def new_person(employer: str, near: BaseGeometry) -> int:
        p = near.representative_point()
        person = Person(len(t.persons) + 1, names.person_name(rng), names.phone(rng), employer,
                        bool(rng.random() > 0.12), (p.x, p.y))
        t.persons.append(person)
        return person.id

    by_comm: dict[int, list[Grid]] = {}
    for g in t.grids:
        by_comm.setdefault(g.parent_id or 0, []).append(g)
    by_street: dict[int, list[Grid]] = {}
    for g in t.grids:
        by_street.setdefault(g.street_id, []).append(g)
    street_names = {s.id: s.name for s in t.streets}
    comm_names = {c.id: c.name for c in t.communities}

    def cover(grids: list[Grid], role: str, per: int, employer: str) -> None:
        for i in range(0, len(grids), per):
            chunk = grids[i:i + per]
            pid = new_person(employer, chunk[0].shape_m)
            for g in chunk:
                t.assignments.append((g.id, role, pid))

    for comm_id, grids in by_comm.items():
        cname = comm_names[comm_id]
        for g in grids:
            cover([g], "grid_manager", 1, cname + "居委会")
        cover(grids, "grid_assistant", 2, cname + "居委会")
        cover(grids, "grid_supervisor", len(grids), cname)
        cover(grids, "party_secretary", len(grids), cname + "党委")
        if rng.random() < 0.5:
            cover(grids, str(rng.choice(X_ROLES)), len(grids), cname)
    for street_id, grids in by_street.items():
        sname = street_names[street_id]
        cover(grids, "grid_police", 3, sname.replace("街道", "") + "派出所")
        cover(grids, "grid_firefighter", 5, sname.replace("街道", "") + "消防站")
        cover(grids, "judicial_worker", 8, sname.replace("街道", "") + "司法所")
    # A few people wear two hats: the grid manager is also the community's X-force contact.
    for grids in by_comm.values():
        if rng.random() < 0.25:
            manager = next(p for g_id, role, p in t.assignments if g_id == grids[0].id and role == "grid_manager")
            t.assignments.append((grids[0].id, "social_security", manager))
    t.assignments = sorted(set(t.assignments))


def _units(t: Territory, rng: np.random.Generator) -> None:
    uid = 0
    for dept in DEPARTMENTS:
        uid += 1
        name, name_en = DEPARTMENT_NAMES[dept]
        t.units.append(Unit(uid, dept, None, f"{t.district_code}-{dept}",
                            t.district_name + name, f"{t.district_name_en} {name_en}"))
    for s in t.streets:
        short = s.name.replace("街道", "")
        for dept, (fmt, fmt_en) in STREET_STATIONS.items():
            uid += 1
            t.units.append(Unit(uid, dept, s.id, f"{s.code}-{dept}", fmt.format(short),
                                fmt_en.format(s.name_en.replace(" Street", ""))))
    for u in t.units:
        area = t.outline_m if u.street_id is None else t.streets[u.street_id - 1].shape_m
        for k in range(int(rng.integers(3, 7))):
            pid = len(t.persons) + 1
            p = area.representative_point()
            t.persons.append(Person(pid, names.person_name(rng), names.phone(rng), u.name,
                                    bool(rng.random() > 0.1), (p.x, p.y)))
            t.unit_staff.append((u.id, pid, "负责人" if k == 0 else "工作人员"))
