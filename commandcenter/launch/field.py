"""A grid worker's handheld terminal (`commandcenter field report`): one report with its
photos, sent as that worker through cc.report and cc.add_attachment in one transaction — the
case arrives with every photo or not at all. No Qt: the caller brings the thumbnails."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import psycopg
from shapely.geometry import shape

from ..demo.accounts import DEMO_ACCOUNTS, DemoAccount
from ..store.errors import CommandCenterError, InvalidArgument, NotFound, UnknownCategory, from_psycopg

VIEWS = ("far", "near")
STAGES = ("before", "after")


@dataclass(frozen=True)
class PhotoArg:
    """`FILE[:far|near][:before|after]` as typed."""
    path: Path
    view: str | None = None
    stage: str | None = None


@dataclass(frozen=True)
class FieldPhoto:
    filename: str
    content: bytes
    thumbnail: bytes | None
    view: str | None = None
    stage: str | None = None


@dataclass(frozen=True)
class FieldResult:
    case_id: int
    code: str
    state: str
    grid_code: str
    attachment_ids: list[int]


def parse_photo(text: str) -> PhotoArg:
    """Tags are read from the end, so a file name may hold colons of its own."""
    parts = text.split(":")
    view = stage = None
    while len(parts) > 1 and parts[-1] in VIEWS + STAGES:
        tag = parts.pop()
        if tag in VIEWS:
            if view is not None:
                raise InvalidArgument("CC009", f"photo {text!r} has two views", "Tag it far or near, once.")
            view = tag
        else:
            if stage is not None:
                raise InvalidArgument("CC009", f"photo {text!r} has two stages", "Tag it before or after, once.")
            stage = tag
    path = Path(":".join(parts))
    if not path.is_file():
        raise CommandCenterError(f"no photo file {str(path)!r} (tags: far|near, before|after, e.g. "
                                 f"scene.jpg:far:before)")
    return PhotoArg(path, view, stage)


def demo_terminal(conn: psycopg.Connection, grid_code: str) -> DemoAccount | None:
    """The demo's field terminal whose worker staffs this grid (read by an administrator:
    console accounts are not for consoles to read)."""
    logins = [a.login for a in DEMO_ACCOUNTS if a.role == "field"]
    row = conn.execute(
        "SELECT a.login FROM cc.console_account a JOIN cc.grid_assignment ga ON ga.person_id = a.person_id "
        "  JOIN cc.grid g ON g.id = ga.grid_id WHERE g.code = %s AND a.login = ANY(%s) ORDER BY a.login LIMIT 1",
        (grid_code, logins)).fetchone()
    conn.commit()
    return next((a for a in DEMO_ACCOUNTS if row is not None and a.login == row[0]), None)


def demo_street_terminal(conn: psycopg.Connection, household: int) -> DemoAccount | None:
    """The demo's field terminal of the household's street (read by an administrator)."""
    logins = [a.login for a in DEMO_ACCOUNTS if a.role == "field"]
    row = conn.execute(
        "SELECT a.login FROM cc.console_account a JOIN cc.household h ON h.street_id = a.street_id "
        " WHERE h.id = %s AND a.login = ANY(%s) ORDER BY a.login LIMIT 1", (household, logins)).fetchone()
    conn.commit()
    return next((a for a in DEMO_ACCOUNTS if row is not None and a.login == row[0]), None)


@dataclass(frozen=True)
class VisitResult:
    visit_id: int
    case_id: int | None
    case_code: str | None
    visit_due: datetime | None


def record_visit(conn: psycopg.Connection, household: int, note: str, kind: str = "visit",
                 report_item: str | None = None) -> VisitResult:
    """A visit or diary entry as the signed-in worker (cc.record_visit), and the case it raised."""
    try:
        row = conn.execute("SELECT * FROM cc.record_visit(%s, %s, %s, %s)",
                           (household, note, kind, report_item)).fetchone()
        assert row is not None
        code = None
        if row[1] is not None:
            found = conn.execute("SELECT code FROM cc.case_board WHERE id = %s", (row[1],)).fetchone()
            code = found[0] if found else None
        conn.commit()
    except psycopg.Error as exc:
        conn.rollback()
        refused = from_psycopg(exc)
        if refused is not None:
            raise refused from exc
        raise
    return VisitResult(int(row[0]), row[1], code, row[2])


def point_in_grid(conn: psycopg.Connection, grid_code: str) -> tuple[float, float]:
    """A point well inside the grid (its outline's representative point)."""
    row = conn.execute("SELECT outline FROM cc.grid WHERE code = %s", (grid_code,)).fetchone()
    conn.commit()
    if row is None:
        raise NotFound("CC008", f"no grid {grid_code!r}", "Give the grid's code, e.g. as the grid card shows it.")
    p = shape(row[0]).representative_point()
    return float(p.x), float(p.y)


def send_report(conn: psycopg.Connection, grid_code: str, category: str, photos: list[FieldPhoto], *,
                lon: float | None = None, lat: float | None = None, note: str = "",
                solved: bool = False) -> FieldResult:
    """Report (source patrol) and attach the photos as the signed-in worker, in one transaction."""
    grid = conn.execute("SELECT id, name FROM cc.grid WHERE code = %s", (grid_code,)).fetchone()
    item = conn.execute("SELECT code, name FROM cc.category WHERE level = 3 AND (code = %s OR name = %s) "
                        "ORDER BY code LIMIT 1", (category, category)).fetchone()
    conn.commit()
    if grid is None:
        raise NotFound("CC008", f"no grid {grid_code!r}", "Give the grid's code, e.g. as the grid card shows it.")
    if item is None:
        raise UnknownCategory("CC005", f"unknown category item {category!r}",
                              "Give an item's code or name (cc.category, level 3), e.g. 010201.")
    if lon is None or lat is None:
        lon, lat = point_in_grid(conn, grid_code)
    try:
        with conn.transaction():
            case_id = conn.execute(
                "SELECT cc.report('patrol', %s, %s, %s, %s, p_description => %s, p_address => %s, "
                "                 p_grid_id => %s, p_solved_on_spot => %s)",
                (item[0], f"{item[1]}（{grid[1]}）", lon, lat, note, grid[1], grid[0], solved)).fetchone()
            assert case_id is not None
            ids = []
            for p in photos:
                att = conn.execute("SELECT cc.add_attachment(%s, %s, %s, %s, %s, %s)",
                                   (case_id[0], p.filename, p.content, p.view, p.stage, p.thumbnail)).fetchone()
                assert att is not None
                ids.append(int(att[0]))
    except psycopg.Error as exc:
        refused = from_psycopg(exc)
        if refused is not None:
            raise refused from exc
        raise
    row = conn.execute('SELECT code, state FROM cc."case" WHERE id = %s', (case_id[0],)).fetchone()
    conn.commit()
    assert row is not None
    return FieldResult(int(case_id[0]), row[0], row[1], grid_code, ids)
