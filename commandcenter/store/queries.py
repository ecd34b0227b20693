"""Read queries behind the hall's views. Plain psycopg, no Qt: every one runs off the GUI
thread and returns plain values. Row-level security decides what each console sees."""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from functools import partial
from itertools import islice
from typing import Any, cast

import psycopg
from psycopg.rows import dict_row

from ..domain.board_columns import ColumnsFiller
from ..domain.cases import BoardRow, Snapshot
from ..domain.collation import collation_key
from ..domain.reference import Named, Reference
from .rows import one, scalar

BOARD_COLUMNS = (
    "id, code, source, category_id, category_name, category_name_en, title, address, lon, lat, "
    "grid_id, grid_name, community_id, community_name, street_id, street_name, street_name_en, "
    "urgency, state, is_open, tier, assignee_unit_name, assignee_person_name, reported_at, deadline, "
    "urge_count, escalation_count, rework_count, version, warn_at, repeat_count, "
    "suspension_review_on, extension_count, extension_pending, supervision_level, supervision_reply_due, "
    "supervision_replied_at"
)


def board_snapshot(conn: psycopg.Connection) -> Snapshot:
    """All visible cases and the event horizon, read in one snapshot so that replaying the
    events after the cursor can never miss a change (autocommit connection)."""
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        # times in UTC for this read: a datetime in UTC gives its epoch (the board's columns)
        # three times faster than one in a zone from the tz database (ZoneInfo)
        conn.execute("SET LOCAL TimeZone = 'UTC'")
        # positional rows in binary, streamed in chunks: the server makes the next rows while
        # this thread decodes the last; the board's columns are built from each batch on a
        # second thread, which runs while this one waits for the server (Python runs one
        # thread at a time: that wait was 0.2 s of a 1.3 s snapshot of 100,000 rows), so the
        # GUI thread only copies them
        filler = ColumnsFiller()
        builder = ThreadPoolExecutor(1, thread_name_prefix="cc-snapshot-columns")
        built: list[Future[None]] = []
        try:
            with conn.cursor(row_factory=board_rows, binary=True) as cur, \
                    closing(_batches(cur, f"SELECT {BOARD_COLUMNS} FROM cc.case_board")) as batches:
                for batch in batches:
                    if built and built[-1].done() and built[-1].exception() is not None:
                        break                                              # no use reading on
                    built.append(builder.submit(filler.add, batch))       # one worker: in order
            for step in built:
                step.result()                                              # its error, if any, is raised here
            cursor = scalar(conn, "SELECT cc.event_horizon()")
            last = conn.execute("SELECT id, at FROM cc.case_event ORDER BY id DESC LIMIT 1").fetchone()
        finally:
            builder.shutdown(cancel_futures=True)
    columns = filler.done()
    return Snapshot(columns.rows, int(cursor), (int(last[0]), last[1]) if last else None, columns)


def _batches(cur: psycopg.Cursor[BoardRow], query: str) -> Generator[list[BoardRow], None, None]:
    """The rows in batches as they arrive: streamed in chunks where the libpq has chunked mode
    (17 and later), else read whole first (a psycopg wheel may bundle an older libpq)."""
    if not psycopg.capabilities.has_stream_chunked():
        cur.execute(query)
        while batch := cur.fetchmany(SNAPSHOT_BATCH):
            yield batch
        return
    rows = cast(Generator[BoardRow, None, None], cur.stream(query, size=SNAPSHOT_CHUNK))
    with closing(rows) as stream:          # closed, and the query ended, on an early stop
        while batch := list(islice(stream, SNAPSHOT_BATCH)):
            yield batch


#: rows a snapshot's stream hands over at a time (libpq's chunked mode), and rows whose
#: columns are built at a time
SNAPSHOT_CHUNK = 500
SNAPSHOT_BATCH = 5000


def board_rows(_cursor: Any) -> Callable[[Sequence[Any]], BoardRow]:
    """psycopg's row factory for board rows: each row's values made a BoardRow in one C call
    (BoardRow._make's check of the length is the SELECT's: BOARD_COLUMNS are its fields)."""
    return partial(tuple.__new__, BoardRow)


# ---------------------------------------------------------------- reference data

def _named(conn: psycopg.Connection, table: str, order: str = "sort") -> dict[str, Named]:
    rows = conn.execute(f"SELECT code, name, name_en FROM cc.{table} ORDER BY {order}").fetchall()
    return {r[0]: Named(*r) for r in rows}


def reference(conn: psycopg.Connection) -> Reference:
    district = conn.execute("SELECT name, name_en FROM cc.district ORDER BY id LIMIT 1").fetchone() or ("", "")
    ref = Reference(
        district=district[0], district_en=district[1], tz=scalar(conn, "SELECT cc.local_tz()"),
        states=_named(conn, "case_state"),
        open_states=[r[0] for r in conn.execute("SELECT code FROM cc.case_state WHERE is_open ORDER BY sort")],
        urgencies=_named(conn, "urgency"), sources=_named(conn, "case_source"), tiers=_named(conn, "tier", "rank"),
        roles=_named(conn, "force_role"),
        core_roles=[r[0] for r in conn.execute("SELECT code FROM cc.force_role WHERE is_core ORDER BY sort")],
        grid_types=_named(conn, "grid_type"), levels=_named(conn, "management_level"),
        actions=_named(conn, "workflow_action"),
        suspend_reasons=_named(conn, "suspend_reason"), supervision_levels=_named(conn, "supervision_level", "rank"),
    )
    for cid, code, name, name_en in conn.execute(
            "SELECT id, code, name, name_en FROM cc.category WHERE level = 1 ORDER BY code"):
        ref.categories[cid] = Named(code, name, name_en)
    ref.category_class = dict(conn.execute(
        "WITH RECURSIVE t(id, root) AS (SELECT id, id FROM cc.category WHERE level = 1 "
        "UNION ALL SELECT c.id, t.root FROM cc.category c JOIN t ON c.parent_id = t.id) SELECT id, root FROM t"))
    for sid, code, name, name_en in conn.execute("SELECT id, code, name, name_en FROM cc.street ORDER BY code"):
        ref.streets[sid] = Named(code, name, name_en)
    for cid, sid, name in conn.execute("SELECT id, street_id, name FROM cc.community ORDER BY code"):
        ref.communities[cid] = (sid, name)
    ref.limits = dict(conn.execute("SELECT code, value FROM cc.input_limit"))
    ref.units_en = dict(conn.execute("SELECT name, name_en FROM cc.unit"))
    for code, name, name_en, *parents in conn.execute(
            "SELECT i.code, i.name, i.name_en, g.name, g.name_en, c.name, c.name_en FROM cc.category i "
            "JOIN cc.category g ON g.id = i.parent_id JOIN cc.category c ON c.id = g.parent_id "
            "WHERE i.level = 3 ORDER BY i.code"):
        ref.items[code] = (Named(code, name, name_en), tuple(p or "" for p in parents))   # class zh, en; group zh, en
    ref.service_categories = _named(conn, "service_category")
    for code, name, name_en, category, case_item in conn.execute(
            "SELECT i.code, i.name, i.name_en, i.category, i.case_item FROM cc.service_item i "
            "JOIN cc.service_category c ON c.code = i.category ORDER BY c.sort, i.sort"):
        ref.service_items[code] = (Named(code, name, name_en), category, case_item)
    for field_name, code, name, name_en in conn.execute(
            "SELECT field, code, name, name_en FROM cc.resident_code ORDER BY field, sort"):
        ref.resident_codes[(field_name, code)] = Named(code, name, name_en)
    return ref


# ---------------------------------------------------------------- territory for the map

@dataclass
class TerritoryOutlines:
    """Outlines (GeoJSON lon/lat) and attributes of the district's units for the map."""
    district_outline: dict[str, Any]
    streets: list[dict[str, Any]]
    communities: list[dict[str, Any]]
    grids: list[dict[str, Any]]
    staff: list[dict[str, Any]]


def territory(conn: psycopg.Connection) -> TerritoryOutlines:
    with conn.cursor(row_factory=dict_row) as cur:
        outline = cur.execute("SELECT outline FROM cc.district ORDER BY id LIMIT 1").fetchone()
        streets = cur.execute("SELECT id, name, name_en, outline FROM cc.street ORDER BY id").fetchall()
        communities = cur.execute("SELECT id, street_id, name, outline FROM cc.community ORDER BY id").fetchall()
        grids = cur.execute(
            "SELECT id, code, name, community_id, street_id, grid_class, grid_type, mgmt_level, population, "
            "households, outline FROM cc.grid ORDER BY id").fetchall()
        # where staff are is for the consoles that dispatch them (column grants), not the wall
        placed = one(cur.execute("SELECT has_column_privilege('cc.person', 'home_lon', 'SELECT') AS ok"))
        staff = [] if not placed["ok"] else cur.execute(
            "SELECT p.id, p.name, p.on_duty, p.home_lon AS lon, p.home_lat AS lat, "
            "       min(r.sort) AS role_sort, (array_agg(ga.role_code ORDER BY r.sort))[1] AS role "
            "  FROM cc.person p JOIN cc.grid_assignment ga ON ga.person_id = p.id "
            "  JOIN cc.force_role r ON r.code = ga.role_code "
            " WHERE p.home_lon IS NOT NULL GROUP BY p.id").fetchall()
    return TerritoryOutlines(outline["outline"] if outline else {}, streets, communities, grids, staff)


# ---------------------------------------------------------------- case detail

@dataclass
class CaseDetail:
    case: dict[str, Any]
    timeline: list[dict[str, Any]]
    actions: list[dict[str, Any]]
    attachments: list[dict[str, Any]]


def case_detail(conn: psycopg.Connection, case_id: int) -> CaseDetail | None:
    with conn.cursor(row_factory=dict_row) as cur:
        # a resident's name and phone only for roles granted them (the wall and handlers are not)
        private = one(cur.execute(
            "SELECT has_column_privilege('cc.\"case\"', 'reporter_phone', 'SELECT') AS ok"))["ok"]
        reporter = "c.reporter_name, c.reporter_phone" if private else \
            "NULL::text AS reporter_name, NULL::text AS reporter_phone"
        case = cur.execute(
            f"SELECT b.*, c.description, {reporter}, rp.name AS reporter_person_name, "
            "       c.file_deadline, c.dispatch_deadline, c.handle_deadline, c.verify_deadline, c.accepted_at, "
            "       cat.name AS item_name, cat.name_en AS item_name_en, tl.amount AS limit_amount, "
            "       tl.unit AS limit_unit "
            "  FROM cc.case_board b JOIN cc.\"case\" c ON c.id = b.id "
            "  JOIN cc.category cat ON cat.id = c.category_id "
            "  JOIN cc.case_state st ON st.code = c.state "
            "  LEFT JOIN cc.time_limit tl ON (tl.category_id, tl.urgency, tl.phase) = (c.category_id, c.urgency, st.phase) "
            "  LEFT JOIN cc.person rp ON rp.id = c.reporter_person_id WHERE b.id = %s", (case_id,)).fetchone()
        if case is None:
            return None
        timeline = cur.execute(
            "SELECT e.id, e.at, e.action, a.name AS action_name, a.name_en AS action_name_en, e.from_state, "
            "       e.to_state, e.actor, p.name AS actor_person, coalesce(r.rolsuper, false) AS actor_is_system, "
            "       e.note, e.data "
            "  FROM cc.case_event e LEFT JOIN cc.workflow_action a ON a.code = e.action "
            "  LEFT JOIN cc.person p ON p.id = e.actor_person_id "
            "  LEFT JOIN pg_catalog.pg_roles r ON r.rolname = e.actor "
            " WHERE e.case_id = %s ORDER BY e.id", (case_id,)).fetchall()
        actions = cur.execute("SELECT * FROM cc.allowed_actions(%s)", (case_id,)).fetchall()
        # thumbnails only: a photo's full bytes are read when it is opened (attachment_content)
        attachments = cur.execute(
            "SELECT id, filename, mime, size_bytes, view, stage, thumbnail, uploaded_by, uploaded_at "
            "  FROM cc.attachment WHERE case_id = %s ORDER BY id", (case_id,)).fetchall()
    return CaseDetail(case, timeline, actions, attachments)


def attachment_content(conn: psycopg.Connection, attachment_id: int) -> bytes | None:
    """One photo's full bytes (None if it is not visible to the caller)."""
    row = conn.execute("SELECT content FROM cc.attachment WHERE id = %s", (attachment_id,)).fetchone()
    conn.commit()
    return bytes(row[0]) if row is not None else None


def dispatch_options(conn: psycopg.Connection, case_id: int) -> list[dict[str, Any]]:
    """Who may take the case, recommended first (rule and loads from cc.dispatch_options)."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute("SELECT * FROM cc.dispatch_options(%s)", (case_id,)).fetchall()


def can_see_callers(conn: psycopg.Connection) -> bool:
    """Whether this login may read and write a caller's name and phone (operators and above)."""
    row = conn.execute("SELECT has_column_privilege('cc.\"case\"', 'reporter_phone', 'SELECT')").fetchone()
    return bool(row and row[0])


def callbacks_due(conn: psycopg.Connection) -> list[dict[str, Any]]:
    """Callbacks to make now and in the coming day, due first (operators: it names the caller)."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute("SELECT * FROM cc.callbacks_due()").fetchall()


def nearby_open_cases(conn: psycopg.Connection, lon: float, lat: float, category: str) -> list[dict[str, Any]]:
    """Possible duplicates of a report about to be opened: open cases of the same item near
    the point and recent, nearest first (radius, period and count from cc.input_limit)."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute("SELECT * FROM cc.nearby_open_cases(%s, %s, %s)", (lon, lat, category)).fetchall()


# ---------------------------------------------------------------- grid card and staffing

def grid_card(conn: psycopg.Connection, grid_id: int) -> dict[str, Any] | None:
    with conn.cursor(row_factory=dict_row) as cur:
        grid = cur.execute(
            "SELECT g.id, g.code, g.name, g.grid_class, t.name AS type_name, t.name_en AS type_name_en, "
            "       l.name AS level_name, l.name_en AS level_name_en, g.area_m2, g.buildings, g.households, "
            "       g.population, cm.name AS community_name, s.name AS street_name, s.name_en AS street_name_en, "
            "       cc.sees_street(g.street_id) AS in_scope, "
            "       (SELECT ARRAY[(point(gp.shape))[0], (point(gp.shape))[1]] FROM cc.grid_part gp "
            "         WHERE gp.grid_id = g.id ORDER BY npoints(gp.shape) DESC LIMIT 1) AS centre "
            "  FROM cc.grid g JOIN cc.grid_type t ON t.code = g.grid_type "
            "  JOIN cc.management_level l ON l.code = g.mgmt_level "
            "  JOIN cc.community cm ON cm.id = g.community_id JOIN cc.street s ON s.id = g.street_id "
            " WHERE g.id = %s", (grid_id,)).fetchone()
        if grid is None:
            return None
        grid["staff"] = cur.execute(
            "SELECT r.code AS role, r.name AS role_name, r.name_en AS role_name_en, r.is_core, "
            "       p.id AS person_id, p.name, p.phone, p.employer, p.on_duty "
            "  FROM cc.force_role r LEFT JOIN cc.grid_assignment ga ON ga.role_code = r.code AND ga.grid_id = %s "
            "  LEFT JOIN cc.person p ON p.id = ga.person_id "
            " WHERE r.is_core OR p.id IS NOT NULL ORDER BY r.sort, p.name", (grid_id,)).fetchall()
        grid["open_cases"] = cur.execute(
            "SELECT id, code, title, state, urgency, deadline, overdue FROM cc.case_board "
            " WHERE grid_id = %s AND is_open ORDER BY deadline NULLS LAST", (grid_id,)).fetchall()
        # the grid information base: counts only, which every console may read (None: not in scope)
        grid["base"] = cur.execute("SELECT * FROM cc.base_counts(%s)", (grid_id,)).fetchone()
        grid["special"] = cur.execute(
            "SELECT g.code, g.name, g.name_en, (b.special ->> g.code)::int AS n FROM cc.base_counts(%s) b "
            "CROSS JOIN cc.special_group g WHERE b.special ? g.code ORDER BY g.sort", (grid_id,)).fetchall()
        grid["places"] = cur.execute("SELECT * FROM cc.place_counts(%s)", (grid_id,)).fetchone()
    return grid


def visit_duties(conn: psycopg.Connection, grid_id: int) -> list[dict[str, Any]]:
    """A grid's must-visit households, most overdue first (cc.grid_households: the console's
    street only). The grid manager holds the duty: the card names them with the overdue count."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "SELECT * FROM cc.grid_households(%s) WHERE must_visit ORDER BY visit_due NULLS LAST, building, door",
            (grid_id,)).fetchall()


def find_people(conn: psycopg.Connection, text: str, limit: int = 20) -> list[dict[str, Any]]:
    """Residents of the console's street (cc.find_people: scope and masking are the database's)."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute("SELECT * FROM cc.find_people(%s, %s)", (text, limit)).fetchall()


@dataclass
class Staffing:
    """Grids × roles for one street or community, and the people who hold several posts."""
    roles: list[Named]
    grids: list[dict[str, Any]]                       # id, code, name, community_name
    posts: dict[tuple[int, str], list[dict[str, Any]]]  # (grid, role) -> people
    people: list[dict[str, Any]]


def staffing(conn: psycopg.Connection, street_id: int | None, community_id: int | None = None) -> Staffing:
    where, args = ("g.community_id = %s", (community_id,)) if community_id else \
                  (("g.street_id = %s", (street_id,)) if street_id else ("true", ()))
    with conn.cursor(row_factory=dict_row) as cur:
        roles = [Named(r["code"], r["name"], r["name_en"]) for r in
                 cur.execute("SELECT code, name, name_en FROM cc.force_role ORDER BY sort")]
        grids = cur.execute(
            f"SELECT g.id, g.code, g.name, cm.name AS community_name FROM cc.grid g "
            f"JOIN cc.community cm ON cm.id = g.community_id WHERE {where} ORDER BY g.code", args).fetchall()
        posts: dict[tuple[int, str], list[dict[str, Any]]] = {}
        for r in cur.execute(
                f"SELECT ga.grid_id, ga.role_code, p.id, p.name, p.phone, p.on_duty FROM cc.grid_assignment ga "
                f"JOIN cc.grid g ON g.id = ga.grid_id JOIN cc.person p ON p.id = ga.person_id WHERE {where} "
                f"ORDER BY p.name", args):
            posts.setdefault((r["grid_id"], r["role_code"]), []).append(r)
        people = cur.execute(
            f"SELECT p.id, p.name, p.phone, p.on_duty, "
            f"       array_agg(DISTINCT r.name ORDER BY r.name) AS roles, "
            f"       array_agg(DISTINCT r.name_en ORDER BY r.name_en) AS roles_en, "
            f"       count(DISTINCT ga.grid_id) AS grids, array_agg(DISTINCT g.code ORDER BY g.code) AS grid_codes "
            f"  FROM cc.grid_assignment ga JOIN cc.grid g ON g.id = ga.grid_id "
            f"  JOIN cc.person p ON p.id = ga.person_id JOIN cc.force_role r ON r.code = ga.role_code "
            f" WHERE {where} GROUP BY p.id "
            f"HAVING count(DISTINCT ga.grid_id) > 1 OR count(DISTINCT ga.role_code) > 1 "
            f" ORDER BY count(DISTINCT ga.grid_id) DESC, p.name", args).fetchall()
    # names by pinyin (the server's collation orders Chinese by code point)
    for staff in posts.values():
        staff.sort(key=lambda r: collation_key(r["name"]))
    people.sort(key=lambda r: (-r["grids"], collation_key(r["name"])))
    return Staffing(roles, grids, posts, people)


# ---------------------------------------------------------------- KPIs

@dataclass
class Kpis:
    """Figures of the key-figure strip and the wall; every formula is a SQL function (db/README.md)."""
    reported: int
    filed: int
    dispatched: int
    closed: int
    overdue: int
    open: int
    on_time_rate: float | None         # on-time closure rate of the last 30 days (cc.kpi, over due)
    streets: list[dict[str, Any]]      # per street: id, name, name_en, open, overdue, on_time_rate


#: the period of the on-time rate beside today's flow
ON_TIME_PERIOD = "30 days"


def kpis(conn: psycopg.Connection) -> Kpis:
    """Today's flow (the district's calendar day), the on-time rate of the last 30 days and the
    backlog now, per street and in all, for what this console may see."""
    with conn.cursor(row_factory=dict_row) as cur:
        flow = cur.execute("SELECT * FROM cc.kpi(cc.local_day_start(), cc.clock())").fetchone()
        recent = cur.execute("SELECT * FROM cc.kpi(cc.clock() - %s::interval, cc.clock())",
                             (ON_TIME_PERIOD,)).fetchone()
        streets = cur.execute(
            "SELECT s.id, s.name, s.name_en, b.open, b.overdue, k.on_time_closure_rate AS on_time_rate "
            "  FROM cc.backlog_by_street() b JOIN cc.street s ON s.id = b.street_id "
            "  LEFT JOIN cc.kpi_by_street(cc.clock() - %s::interval, cc.clock()) k ON k.id = b.street_id "
            " ORDER BY s.code", (ON_TIME_PERIOD,)).fetchall()
    if flow is None or recent is None:      # one row always; guard for the type checker
        raise RuntimeError("cc.kpi returned no row")
    rate = recent["on_time_closure_rate"]          # 按期结案率: the strip's and the wall's label
    for st in streets:
        st["on_time_rate"] = float(st["on_time_rate"]) if st["on_time_rate"] is not None else None
    return Kpis(reported=flow["reported"], filed=flow["filed"], dispatched=flow["dispatched"],
                closed=flow["closed"], overdue=sum(st["overdue"] for st in streets),
                open=sum(st["open"] for st in streets),
                on_time_rate=float(rate) if rate is not None else None, streets=streets)
