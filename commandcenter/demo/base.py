"""The demo's grid information base: buildings, households and residents for every grid, as
many as the grid's own figures say (cc.grid.buildings, households, population), and the
special populations among them.

Written on the server (INSERT … SELECT over generate_series, deterministic hashes of the seed)
rather than row by row from Python: a district's 0.3–0.7 million residents are one statement
each, not a million round trips. Identity numbers follow GB 11643 (region, birth date, a
sequence whose parity is the sex, the MOD 11-2 check the table's CHECK verifies)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import psycopg
from shapely.geometry import shape

from ..domain.pinyin import first_letters
from .services import build_places

SURNAMES = ("王王王李李李张张张刘刘陈陈杨杨黄赵赵吴周周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓"
            "曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹"
            "孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = ("伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国文辉玲丹萍鹏宇浩然欣怡子涵梓轩雨桐"
         "思远佳琪博文一诺嘉怡俊杰志强海燕红梅晓东春雷秋菊冬梅立新振华永红淑珍玉兰德胜宏伟")
#: regions of the floating population's identity numbers (Hebei, Henan, Shandong, Anhui, …)
ELSEWHERE = ("130102", "410102", "370102", "340102", "420102", "230102", "510104", "130402")


class BaseRefused(ValueError):
    """What the user asked for cannot be built (said in the message)."""


#: how these surnames are read (pypinyin alone reads 曾 céng, 覃 tán)
SURNAME_INITIALS = {"曾": "z", "覃": "q", "单": "s", "解": "x", "朴": "p", "仇": "q", "查": "z", "尉": "y", "区": "o",
                    "缪": "m", "盖": "g", "乐": "y"}


def initials_map() -> tuple[str, str]:
    """Every character the demo's names use and its pinyin initial, as the two arguments of SQL
    translate(): the names' search initials are made on the server with the rows."""
    chars = list(dict.fromkeys(SURNAMES + GIVEN))
    letters = [SURNAME_INITIALS.get(c) or first_letters(c)[0][0].lower() for c in chars]
    return "".join(chars), "".join(letters)


@dataclass(frozen=True)
class BaseResult:
    buildings: int
    households: int
    residents: int
    special: int
    seconds: float


def build_base(conn: psycopg.Connection, seed: int = 1, scale: float = 1.0,
               progress: Callable[[str], None] | None = None) -> BaseResult:
    """Fill the base for every grid of the district (once: refused if it holds anything).
    `scale` shrinks every grid's figures (tests use a few per cent)."""
    say = progress or (lambda _msg: None)
    if not 0 < scale <= 1:
        raise BaseRefused(f"the scale is a share of each grid's figures, more than 0 and at most 1; got {scale}")
    if conn.execute("SELECT EXISTS (SELECT 1 FROM cc.grid)").fetchone() != (True,):
        raise BaseRefused("this database has no district yet: start the hall once, or run commandcenter demo seed")
    if conn.execute("SELECT EXISTS (SELECT 1 FROM cc.building)").fetchone() != (False,):
        raise BaseRefused("this database already holds a grid information base; it is built once")
    started = time.perf_counter()
    chars, letters = initials_map()
    args = {"seed": seed, "scale": scale, "surnames": list(SURNAMES), "given": list(GIVEN),
            "elsewhere": list(ELSEWHERE), "chars": chars, "letters": letters}
    conn.execute(
        "CREATE TEMP TABLE base_grid ON COMMIT DROP AS "
        "SELECT g.id, g.street_id, g.code, g.name, g.grid_type, g.bbox, "
        "       greatest(1, round(g.buildings * %(scale)s))::int AS nb, "
        "       greatest(1, round(g.households * %(scale)s))::int AS nh, "
        "       greatest(1, round(g.population * %(scale)s))::int AS np "
        "FROM cc.grid g", args)
    conn.execute(
        "INSERT INTO cc.building (grid_id, street_id, code, name, kind, floors, lon, lat) "
        "SELECT g.id, g.street_id, g.code || '-' || lpad(n::text, 3, '0'), "
        "       regexp_replace(g.name, '第[0-9]+网格$', '') || n || '号楼', "
        "       CASE WHEN g.grid_type = 'commercial' THEN (ARRAY['commercial','mixed'])[1 + (h & 1)::int] "
        "            WHEN g.grid_type = 'enterprise' THEN (ARRAY['commercial','public'])[1 + (h & 1)::int] "
        "            ELSE (ARRAY['residential','residential','bungalow','mixed'])[1 + (h & 3)::int] END, "
        "       1 + (h >> 4) %% 24, "
        "       (g.bbox[1] + g.bbox[3]) / 2 + (g.bbox[3] - g.bbox[1]) * (((h >> 8) %% 1000) / 1000.0 - 0.5) * 0.6, "
        "       (g.bbox[2] + g.bbox[4]) / 2 + (g.bbox[4] - g.bbox[2]) * (((h >> 18) %% 1000) / 1000.0 - 0.5) * 0.6 "
        "FROM base_grid g, generate_series(1, g.nb) n, "
        "     LATERAL (SELECT hashint8extended(g.id::bigint * 7919 + n, %(seed)s) & 9223372036854775807 AS h) x", args)
    conn.execute("UPDATE cc.building SET floors = 1 WHERE kind = 'bungalow'")
    # a building stands inside its grid (a case raised at its door must land in that grid): points
    # the jitter put outside move towards the grid's centre, then onto it
    for pull in (0.3, 0.0):
        conn.execute(
            "UPDATE cc.building b SET lon = c.cx + (b.lon - c.cx) * %s, lat = c.cy + (b.lat - c.cy) * %s "
            "FROM (SELECT DISTINCT ON (grid_id) grid_id, (point(shape))[0] AS cx, (point(shape))[1] AS cy "
            "        FROM cc.grid_part ORDER BY grid_id, npoints(shape) DESC) c "
            "WHERE c.grid_id = b.grid_id AND NOT EXISTS (SELECT 1 FROM cc.grid_part gp "
            "      WHERE gp.grid_id = b.grid_id AND gp.shape @> point(b.lon, b.lat))", (pull, pull))
    # … and where the vertices' mean lies outside a concave grid, onto a point inside its outline
    stray = conn.execute(
        "SELECT b.id, g.outline FROM cc.building b JOIN cc.grid g ON g.id = b.grid_id WHERE NOT EXISTS "
        "(SELECT 1 FROM cc.grid_part gp WHERE gp.grid_id = b.grid_id AND gp.shape @> point(b.lon, b.lat))").fetchall()
    for building_id, outline in stray:
        inside = shape(outline).representative_point()
        conn.execute("UPDATE cc.building SET lon = %s, lat = %s WHERE id = %s", (inside.x, inside.y, building_id))
    conn.execute(
        "CREATE TEMP TABLE base_building ON COMMIT DROP AS "
        "SELECT id, grid_id, row_number() OVER (PARTITION BY grid_id ORDER BY id) - 1 AS k FROM cc.building")
    conn.execute("CREATE INDEX ON base_building (grid_id, k)")
    conn.execute(
        "INSERT INTO cc.household (building_id, grid_id, street_id, door, tenure) "
        "SELECT b.id, g.id, g.street_id, "
        "       (1 + (n / g.nb) %% 6) || '单元' || (1 + (n / g.nb / 6) %% 30) || lpad((1 + n %% 4)::text, 2, '0'), "
        "       (ARRAY['owned','owned','owned','rented','rented','public'])"
        "       [1 + ((hashint8extended(n + g.id * 65537, %(seed)s) & 9223372036854775807) %% 6)::int] "
        "FROM base_grid g CROSS JOIN LATERAL generate_series(0, g.nh - 1) n "
        "JOIN base_building b ON b.grid_id = g.id AND b.k = n %% g.nb", args)
    conn.execute(
        "CREATE TEMP TABLE base_household ON COMMIT DROP AS "
        "SELECT id, grid_id, street_id, row_number() OVER (PARTITION BY grid_id ORDER BY id) - 1 AS k FROM cc.household")
    conn.execute("CREATE INDEX ON base_household (grid_id, k)")
    say("grid information base: buildings and households written")
    # one row per resident with its random draws, then the identity number's sequence within
    # (region, birth date, sex): unique and with the right parity
    conn.execute(
        "CREATE TEMP TABLE base_person ON COMMIT DROP AS "
        "SELECT h.id AS household_id, g.id AS grid_id, g.street_id, n < g.nh AS head, x.h, "
        "       CASE WHEN x.h %% 100 < 60 THEN 'registered' WHEN x.h %% 100 < 75 THEN 'permanent' "
        "            ELSE 'floating' END AS residence, "
        "       CASE WHEN (x.h >> 7) & 1 = 1 THEN 'm' ELSE 'f' END AS gender, "
        "       date '1940-01-01' + ((x.h >> 8) %% CASE WHEN n < g.nh THEN 25000 ELSE 31000 END)::int AS born "
        "FROM base_grid g CROSS JOIN LATERAL generate_series(0, g.np - 1) n "
        "JOIN base_household h ON h.grid_id = g.id AND h.k = n %% g.nh, "
        "LATERAL (SELECT hashint8extended(g.id::bigint * 1000003 + n, %(seed)s) & 9223372036854775807 AS h) x", args)
    conn.execute(
        "INSERT INTO cc.resident (household_id, grid_id, street_id, name, gender, birth_year, id_number, phone, "
        "                         residence, head, initials, education, employment, marital) "
        "SELECT n.household_id, n.grid_id, n.street_id, n.name, n.gender, n.birth_year, n.id_number, n.phone, "
        "       n.residence, n.head, regexp_replace(translate(n.name, %(chars)s, %(letters)s), '[^a-z]', '', 'g'), "
        "       n.education, n.employment, n.marital "
        "FROM (SELECT p.household_id, p.grid_id, p.street_id, "
        "       (%(surnames)s::text[])[1 + ((p.h >> 3) %% cardinality(%(surnames)s::text[]))::int] "
        "       || (%(given)s::text[])[1 + ((p.h >> 11) %% cardinality(%(given)s::text[]))::int] "
        "       || CASE WHEN (p.h >> 19) %% 3 > 0 "
        "               THEN (%(given)s::text[])[1 + ((p.h >> 23) %% cardinality(%(given)s::text[]))::int] ELSE '' END "
        "       AS name, p.gender, extract(year FROM p.born)::int AS birth_year, "
        "       p.first17 || cc.id_check_char(p.first17) AS id_number, "
        "       CASE WHEN (p.h >> 40) %% 10 < 9 "
        "            THEN '1' || (ARRAY['3','5','8','9'])[1 + ((p.h >> 44) %% 4)::int] "
        "                 || lpad(((p.h >> 13) %% 1000000000)::text, 9, '0') END AS phone, "
        "       p.residence, p.head, "
        # what a grid worker keeps, plausible for the age: school by age, then a spread of
        # attainment; work until 60, then retired; marriage from the twenties, widowhood late
        "       CASE WHEN p.age < 7 THEN NULL WHEN p.age < 13 THEN 'primary' WHEN p.age < 16 THEN 'junior' "
        "            WHEN p.age < 19 THEN 'senior' "
        "            ELSE (ARRAY['none','primary','junior','junior','junior','senior','senior','senior','college',"
        "                        'college','bachelor','bachelor','bachelor','postgraduate'])"
        "                 [greatest(1, 1 + ((p.h >> 30) %% 14)::int - CASE WHEN p.age > 65 THEN 2 ELSE 0 END)] END AS education, "
        "       CASE WHEN p.age < 6 THEN 'preschool' WHEN p.age < 19 THEN 'student' WHEN p.age >= 60 THEN 'retired' "
        "            WHEN p.age < 23 AND (p.h >> 34) %% 3 > 0 THEN 'student' "
        "            ELSE (ARRAY['employed','employed','employed','employed','employed','employed','employed',"
        "                        'employed','employed','employed','employed','employed','self_employed',"
        "                        'self_employed','unemployed','other'])[1 + ((p.h >> 36) %% 16)::int] END AS employment, "
        "       CASE WHEN p.age < 20 THEN 'single' "
        "            WHEN p.age < 30 THEN (ARRAY['single','single','married'])[1 + ((p.h >> 41) %% 3)::int] "
        "            WHEN p.age < 70 THEN (ARRAY['married','married','married','married','married','married',"
        "                                        'married','single','divorced'])[1 + ((p.h >> 41) %% 9)::int] "
        "            ELSE (ARRAY['married','married','widowed'])[1 + ((p.h >> 41) %% 3)::int] END AS marital "
        "FROM (SELECT p.*, extract(year FROM now())::int - extract(year FROM p.born)::int AS age, "
        "             p.region || to_char(p.born, 'YYYYMMDD') || lpad((2 * (row_number() OVER ("
        "                 PARTITION BY p.region, p.born, p.gender ORDER BY p.h) - 1) + (p.gender = 'm')::int)::text,"
        "                 3, '0') AS first17 "
        "        FROM (SELECT p.*, CASE WHEN p.residence = 'floating' "
        "                               THEN (%(elsewhere)s::text[])"
        "                                    [1 + ((p.h >> 50) %% cardinality(%(elsewhere)s::text[]))::int] "
        "                               ELSE (SELECT code FROM cc.district ORDER BY id LIMIT 1) END AS region "
        "                FROM base_person p) p) p) n", args)
    say("grid information base: residents written")
    # the special populations, each among those it can apply to
    conn.execute(
        "INSERT INTO cc.resident_group (resident_id, group_code, grid_id, street_id) "
        "SELECT r.id, g.code, r.grid_id, r.street_id FROM cc.resident r "
        "CROSS JOIN LATERAL (SELECT hashint8extended(r.id, %(seed)s) & 9223372036854775807 AS h, "
        "                           extract(year FROM now())::int - r.birth_year AS age) x "
        "JOIN (VALUES ('low_income', 100, 0, 200), ('empty_nest', 60, 65, 200), ('disabled', 200, 0, 200), "
        "             ('unemployed', 150, 18, 60), ('key_assistance', 30, 0, 200), ('serious_illness', 50, 0, 200), "
        "             ('dispute', 20, 18, 200), ('veteran', 100, 20, 200), ('party_member', 700, 18, 200), "
        "             ('deputy', 2, 30, 200), ('correction', 3, 18, 70)) g(code, per10000, min_age, max_age) "
        "  ON x.age BETWEEN g.min_age AND g.max_age "
        " AND (x.h >> (length(g.code) %% 13)) %% 10000 < g.per10000", args)
    # 九必访: households with someone of a group cc.visit_cycle names get its shortest cycle, the
    # duty begun up to 1.25 cycles ago (so about one in five is overdue when the base is loaded)
    conn.execute(
        "UPDATE cc.household h SET must_visit = true, visit_days = c.days, "
        "       visit_since = cc.clock() - ((hashint8extended(h.id, %(seed)s) & 9223372036854775807) "
        "                                    %% (c.days * 125)) * interval '1 day' / 100 "
        "FROM (SELECT r.household_id, min(vc.days) AS days FROM cc.resident r "
        "        JOIN cc.resident_group g ON g.resident_id = r.id JOIN cc.visit_cycle vc ON vc.group_code = g.group_code "
        "       GROUP BY r.household_id) c "
        "WHERE c.household_id = h.id", args)
    places, organisations = build_places(conn, seed)
    say(f"grid information base: {places:,} places, {organisations:,} organisations")
    row = conn.execute(
        "SELECT (SELECT count(*) FROM cc.building), (SELECT count(*) FROM cc.household), "
        "(SELECT count(*) FROM cc.resident), (SELECT count(*) FROM cc.resident_group)").fetchone()
    conn.commit()
    assert row is not None
    buildings, households, residents, special = (int(v) for v in row)
    result = BaseResult(buildings, households, residents, special, time.perf_counter() - started)
    say(f"grid information base: {result.buildings:,} buildings, {result.households:,} households, "
        f"{result.residents:,} residents, {result.special:,} in special populations ({result.seconds:.1f} s)")
    return result
