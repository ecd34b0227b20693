"""The demo's service directory (便民服务) and the places and organisations of its grids.

东直门's "zero-distance" service contracted 248 providers in 13 categories; the demo gives
东直门 250 and every other street a set in proportion to its people (25–80), each provider
offering a few items of its category at a point inside a grid of its street, with the opening
hours its trade keeps. Places (shops, schools, clinics …) and organisations stand in buildings
of the base, more in commercial grids. A few thousand rows: written with COPY from Python."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from ..domain.pinyin import first_letters

#: 东直门 is the seeds' example of the contracted service circle
SHOWCASE_STREET = "东直门街道"
SHOWCASE_PROVIDERS = 250

WORDS = "福顺兴华金鑫宏德嘉和瑞康安永新隆盛佳泰丰惠民乐家诚信百利春晓幸"

#: category: share of providers, name endings, items offered, opening hours per ISO weekday
CATEGORIES: dict[str, tuple[int, tuple[str, ...], tuple[str, ...], tuple[tuple[range, str, str], ...]]] = {
    "meals": (20, ("老年餐桌", "社区食堂", "助餐点", "快餐店"), ("lunch", "supper", "canteen"),
              ((range(1, 8), "10:30", "13:30"), (range(1, 8), "16:30", "19:00"))),
    "housekeeping": (10, ("家政服务部", "家政公司"), ("cleaning", "nanny"), ((range(1, 7), "08:00", "18:00"),)),
    "repair": (15, ("便民维修部", "水电维修", "家电维修部"), ("plumbing", "electrical", "appliance", "locksmith"),
               ((range(1, 8), "08:00", "20:00"),)),
    "health": (10, ("社区卫生服务站", "诊所", "医疗服务中心"), ("doctor_visit", "escort", "medicine"),
               ((range(1, 6), "08:00", "17:00"), (range(6, 7), "08:00", "12:00"))),
    "elderly_care": (8, ("养老驿站", "日间照料中心"), ("day_care", "home_care"), ((range(1, 8), "07:30", "19:00"),)),
    "bathing": (3, ("助浴服务队",), ("bath_home",), ((range(2, 8), "09:00", "17:00"),)),
    "haircut": (8, ("理发店", "美发店"), ("haircut_home", "haircut_shop"), ((range(1, 8), "09:00", "19:00"),)),
    "laundry": (6, ("洗衣店", "干洗店"), ("laundry",), ((range(1, 8), "08:00", "20:00"),)),
    "groceries": (10, ("便利店", "菜店", "超市"), ("groceries",), ((range(1, 8), "07:00", "22:00"),)),
    "errands": (4, ("便民服务站",), ("errand",), ((range(1, 6), "09:00", "17:00"),)),
    "legal": (2, ("法律服务所", "律师事务所"), ("legal",), ((range(1, 6), "09:00", "17:00"),)),
    "counselling": (2, ("心理咨询工作室",), ("counselling",), ((range(1, 7), "14:00", "20:00"),)),
    "childcare": (2, ("托育中心", "托育园"), ("childcare",), ((range(1, 6), "07:30", "18:30"),)),
}
#: a few of these trades keep a round-the-clock door
ROUND_THE_CLOCK = {"repair": 0.08, "groceries": 0.15}

#: place kind: (name endings, weight in residential grids, weight in commercial grids)
PLACES: dict[str, tuple[tuple[str, ...], int, int]] = {
    "shop": (("便利店", "五金店", "水果店", "服装店", "书店"), 30, 40),
    "restaurant": (("饭馆", "面馆", "包子铺", "餐厅"), 20, 30),
    "market": (("农贸市场", "菜市场"), 2, 2),
    "school": (("小学", "中学"), 2, 1),
    "kindergarten": (("幼儿园",), 3, 1),
    "clinic": (("社区卫生服务站",), 3, 1),
    "hospital": (("医院",), 1, 1),
    "pharmacy": (("大药房", "药店"), 5, 5),
    "hotel": (("宾馆", "快捷酒店"), 2, 6),
    "internet_cafe": (("网吧",), 1, 3),
    "construction": (("建设工地",), 2, 3),
    "park": (("街心公园", "绿地"), 3, 1),
    "toilet": (("公共厕所",), 5, 3),
    "parking": (("停车场",), 4, 5),
    "elderly_station": (("养老驿站",), 3, 0),
}
ORGANISATIONS: dict[str, tuple[tuple[str, ...], int, int]] = {
    "enterprise": (("科技有限公司", "贸易有限公司", "文化传媒有限公司"), 10, 40),
    "sole_trader": (("商行", "工作室"), 20, 30),
    "social": (("社区服务协会", "文体队"), 6, 2),
    "party": (("党支部",), 6, 4),
    "property": (("物业管理有限公司",), 6, 3),
    "public": (("中心", "所"), 3, 4),
    "volunteer": (("志愿服务队",), 6, 1),
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚"


def initials(name: str) -> str:
    """Pinyin initials of a Chinese name, for the search ("福顺便利店" → "fsbld")."""
    return "".join(p[0] for p in first_letters(name) if p and p[0].isalpha()).lower()


@dataclass(frozen=True)
class GridShape:
    id: int
    street_id: int
    name: str
    grid_type: str
    shape: BaseGeometry


def _grids(conn: psycopg.Connection) -> list[GridShape]:
    rows = conn.execute("SELECT id, street_id, name, grid_type, outline FROM cc.grid ORDER BY id").fetchall()
    return [GridShape(r[0], r[1], r[2], r[3], shape(r[4])) for r in rows]


def _point_in(g: BaseGeometry, rng: random.Random) -> tuple[float, float]:
    x0, y0, x1, y1 = g.bounds
    for _ in range(60):
        p = Point(rng.uniform(x0, x1), rng.uniform(y0, y1))
        if g.contains(p):
            return p.x, p.y
    p = g.representative_point()
    return p.x, p.y


def _phone(rng: random.Random) -> str:
    return f"010-{rng.choice('68')}{rng.randrange(1000000, 9999999)}"


def build_directory(conn: psycopg.Connection, seed: int = 1) -> int:
    """The providers of every street (once: nothing is written if there are some). Returns how
    many were written."""
    if conn.execute("SELECT EXISTS (SELECT 1 FROM cc.provider)").fetchone() != (False,):
        return 0
    rng = random.Random(seed * 7717)
    grids = _grids(conn)
    streets = conn.execute(
        "SELECT s.id, s.name, coalesce(sum(g.population), 0) FROM cc.street s LEFT JOIN cc.grid g ON g.street_id = s.id "
        "GROUP BY s.id, s.name ORDER BY s.id").fetchall()
    cats = list(CATEGORIES)
    weights = [CATEGORIES[c][0] for c in cats]
    providers: list[tuple] = []
    plan: list[tuple[str, tuple[str, ...], list[tuple[int, str, str]]]] = []
    for street_id, street_name, population in streets:
        mine = [g for g in grids if g.street_id == street_id]
        if not mine:
            continue
        n = SHOWCASE_PROVIDERS if street_name == SHOWCASE_STREET else max(25, min(80, round(population / 1500)))
        short = street_name.removesuffix("街道").removesuffix("地区")
        for _ in range(n):
            cat = rng.choices(cats, weights)[0]
            _share, endings, items, hours = CATEGORIES[cat]
            g = rng.choice(mine)
            lon, lat = _point_in(g.shape, rng)
            name = short + rng.choice(WORDS) + rng.choice(WORDS) + rng.choice(endings)
            offered = tuple(rng.sample(items, rng.randint(1, len(items))))
            if rng.random() < ROUND_THE_CLOCK.get(cat, 0):
                spans = [(d, "00:00", "24:00") for d in range(1, 8)]
            else:
                spans = [(d, opens, closes) for days, opens, closes in hours for d in days]
            providers.append((street_id, g.id, cat, name, f"{g.name}{rng.randint(1, 99)}号", lon, lat, _phone(rng),
                              initials(name)))
            plan.append((cat, offered, spans))
    with conn.cursor() as cur:
        ids: list[int] = []
        for row in providers:     # ids in order (a few hundred rows: one round trip each is fine)
            got = cur.execute(
                "INSERT INTO cc.provider (street_id, grid_id, category, name, address, lon, lat, phone, initials) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id", row).fetchone()
            assert got is not None
            ids.append(int(got[0]))
        with cur.copy("COPY cc.provider_item (provider_id, item) FROM STDIN") as cp:
            for pid, (_cat, offered, _spans) in zip(ids, plan, strict=True):
                for item in offered:
                    cp.write_row((pid, item))
        with cur.copy("COPY cc.provider_hours (provider_id, dow, opens, closes) FROM STDIN") as cp:
            for pid, (_cat, _offered, spans) in zip(ids, plan, strict=True):
                for dow, opens, closes in spans:
                    cp.write_row((pid, dow, opens, closes))
    return len(providers)


def _rows(kinds: dict[str, tuple[tuple[str, ...], int, int]], count: int, commercial: bool,
          rng: random.Random) -> Iterator[tuple[str, str]]:
    names = list(kinds)
    weights = [float(kinds[k][2] if commercial else kinds[k][1]) for k in names]
    for _ in range(count):
        kind = rng.choices(names, weights)[0]
        yield kind, rng.choice(kinds[kind][0])


def build_places(conn: psycopg.Connection, seed: int = 1) -> tuple[int, int]:
    """Places and organisations in the buildings of every grid (with the base). Returns the
    numbers written."""
    rng = random.Random(seed * 104729)
    buildings: dict[int, list[tuple[int, str, float, float]]] = {}
    for bid, grid_id, name, lon, lat in conn.execute("SELECT id, grid_id, name, lon, lat FROM cc.building ORDER BY id"):
        buildings.setdefault(grid_id, []).append((bid, name, lon, lat))
    places: list[tuple] = []
    orgs: list[tuple] = []
    for g in _grids(conn):
        here = buildings.get(g.id)
        if not here:
            continue
        commercial = g.grid_type in ("commercial", "enterprise")
        n_places = max(1, round(len(here) * (2.5 if commercial else 0.6)))
        n_orgs = max(1, round(len(here) * (1.5 if commercial else 0.2)))
        for kind, ending in _rows(PLACES, n_places, commercial, rng):
            bid, bname, lon, lat = rng.choice(here)
            name = rng.choice(WORDS) + rng.choice(WORDS) + ending
            phone = _phone(rng) if kind not in ("park", "toilet", "construction") else None
            places.append((g.id, g.street_id, bid, kind, name, f"{bname}底商", lon, lat, phone, initials(name)))
        for kind, ending in _rows(ORGANISATIONS, n_orgs, commercial, rng):
            bid, bname, lon, lat = rng.choice(here)
            name = rng.choice(WORDS) + rng.choice(WORDS) + ending
            contact = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.5 else "")
            staff = rng.randint(1, 400 if kind == "enterprise" else 40)
            orgs.append((g.id, g.street_id, bid, kind, name, bname, lon, lat, staff, contact,
                         f"1{rng.choice('3589')}{rng.randrange(100000000, 999999999)}", initials(name)))
    with conn.cursor() as cur:
        with cur.copy("COPY cc.place (grid_id, street_id, building_id, kind, name, address, lon, lat, phone, initials) "
                      "FROM STDIN") as cp:
            for row in places:
                cp.write_row(row)
        with cur.copy("COPY cc.organisation (grid_id, street_id, building_id, kind, name, address, lon, lat, staff, "
                      "contact, phone, initials) FROM STDIN") as cp:
            for row in orgs:
                cp.write_row(row)
    return len(places), len(orgs)
