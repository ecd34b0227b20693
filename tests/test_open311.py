"""Open311 GeoReport v2 against the real server: the service list, export → import round trips
into a fresh database (coordinates within 1e-6°), malformed files refused whole with the
record, line and field at fault, idempotent imports, dry runs, street scope."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from commandcenter.domain.coords import gcj02_to_wgs84
from commandcenter.store import open311
from commandcenter.store.database import Database
from commandcenter.store.errors import CommandCenterError

from .conftest import _fresh_database
from .test_coords import edge_points

SINCE = "2026-11-19T00:00:00+08:00"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "commandcenter", *args], capture_output=True, text=True, timeout=300)


def _count(dsn: str, what: str = 'cc."case"') -> int:
    with psycopg.connect(dsn) as c:
        return int(c.execute(f"SELECT count(*) FROM {what}").fetchone()[0])


@pytest.fixture()
def fresh(pg_server, template_db) -> Database:  # noqa: ANN001
    """Another copy of the seeded demo database: where an export is imported."""
    return Database(pg_server.admin_dsn(_fresh_database(pg_server, template_db, "o")))


def _point(conn) -> tuple[float, float]:  # noqa: ANN001
    """A WGS-84 (lat, long) inside the district: a demo case's position converted."""
    lon, lat = conn.execute('SELECT lon, lat FROM cc."case" ORDER BY id LIMIT 1').fetchone()
    conn.commit()
    wlon, wlat = gcj02_to_wgs84(lon, lat)
    return wlat, wlon


def _write(tmp_path: Path, name: str, content: str | list | dict) -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content, ensure_ascii=False, indent=1),
                    encoding="utf-8")
    return path


def _xml(records: list[dict[str, object]]) -> str:
    body = "".join("  <request>\n" + "".join(f"    <{k}>{v}</{k}>\n" for k, v in r.items()) + "  </request>\n"
                   for r in records)
    return f'<?xml version="1.0" encoding="utf-8"?>\n<service_requests>\n{body}</service_requests>\n'


# ---------------------------------------------------------------- services
def test_services_list_every_category_item_with_the_georeport_fields(db, conn) -> None:  # noqa: ANN001
    items = conn.execute("SELECT code, name FROM cc.category WHERE level = 3 ORDER BY code").fetchall()
    source = conn.execute("SELECT name, name_en FROM cc.case_source WHERE code = 'open311'").fetchone()
    conn.commit()
    assert source == ("开放接口", "Open311")
    out = _cli("--dsn", db.dsn, "open311", "services", "--json")
    assert out.returncode == 0, out.stderr
    services = json.loads(out.stdout)
    assert [(s["service_code"], s["service_name"]) for s in services] == [(c, n) for c, n in items]
    for s in services:
        assert set(s) == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
        assert s["metadata"] is False and s["type"] == "realtime" and s["group"] and s["keywords"]
    english = json.loads(_cli("--dsn", db.dsn, "--lang", "en", "open311", "services", "--json").stdout)
    assert english[0]["service_name"] != services[0]["service_name"]
    table = _cli("--dsn", db.dsn, "open311", "services")
    assert table.returncode == 0 and f"{len(items)} services" in table.stdout


def test_the_mapping_table_takes_only_category_items(conn) -> None:  # noqa: ANN001
    with pytest.raises(psycopg.Error, match="must map to a category item"):
        conn.execute("INSERT INTO cc.open311_service (service_code, category_id, name, name_en, \"group\", group_en) "
                      "VALUES ('X1', 1, 'x', 'x', 'x', 'x')")
    conn.rollback()


# ---------------------------------------------------------------- export → import
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_export_import_round_trips_cases_with_their_coordinates(db, fresh, tmp_path, fmt) -> None:  # noqa: ANN001
    out = tmp_path / f"export.{fmt}"
    exported = _cli("--dsn", db.dsn, "open311", "export", "--since", SINCE, "--format", fmt, "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    with psycopg.connect(db.dsn) as c:
        source = {code: (lon, lat, cat, desc or title) for code, lon, lat, cat, desc, title in c.execute(
            'SELECT c.code, c.lon, c.lat, k.code, c.description, c.title FROM cc."case" c '
            "JOIN cc.category k ON k.id = c.category_id WHERE c.reported_at >= %s OR c.updated_at >= %s",
            (SINCE, SINCE))}
    assert len(source) >= 10 and f"wrote {len(source)} service request(s)" in exported.stdout
    if fmt == "json":
        requests = json.loads(out.read_text(encoding="utf-8"))
        assert {r["service_request_id"] for r in requests} == set(source)
        r = requests[0]
        assert list(r) == list(open311.REQUEST_FIELDS)
        assert r["status"] in ("open", "closed") and r["requested_datetime"].endswith("+08:00")
    before = _count(fresh.dsn)
    imported = _cli("--dsn", fresh.dsn, "open311", "import", str(out))
    assert imported.returncode == 0, imported.stderr
    assert f"created {len(source)}, already imported 0" in imported.stdout
    assert _count(fresh.dsn) == before + len(source)
    with psycopg.connect(fresh.dsn) as c:
        rows = c.execute('SELECT r.external_id, c.lon, c.lat, k.code, c.description, c.source FROM cc.open311_request r '
                         'JOIN cc."case" c ON c.id = r.case_id JOIN cc.category k ON k.id = c.category_id').fetchall()
    assert {r[0] for r in rows} == set(source)
    for ext, lon, lat, cat, description, src in rows:
        slon, slat, scat, sdesc = source[ext]
        assert abs(lon - slon) < 1e-6 and abs(lat - slat) < 1e-6, (ext, lon, lat, slon, slat)
        assert cat == scat and description == sdesc and src == "open311"
    # the same file again, and the other format of the same cases: nothing twice
    again = _cli("--dsn", fresh.dsn, "open311", "import", str(out))
    assert again.returncode == 0 and f"created 0, already imported {len(source)}" in again.stdout
    assert _count(fresh.dsn) == before + len(source)


def test_an_import_run_twice_creates_nothing_twice_and_a_dry_run_nothing(db, conn, tmp_path) -> None:  # noqa: ANN001
    lat, lon = _point(conn)
    path = _write(tmp_path, "two.json", [
        {"service_request_id": "ext-twice-1", "service_code": "010201", "lat": lat, "long": lon,
         "description": "路边暴露垃圾 rubbish by the road", "media_url": "https://example.invalid/p/1.jpg",
         "first_name": "小明", "last_name": "王", "phone": "+86 10 1234 5678", "email": "wang@example.invalid"},
        {"token": "ext-twice-2", "service_code": "010101", "address_string": "东城区 " + _a_grid_name(conn)}])
    cases, events = _count(db.dsn), _count(db.dsn, "cc.case_event")
    dry = _cli("--dsn", db.dsn, "open311", "import", str(path), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "would create 2" in dry.stdout and "nothing created" in dry.stdout
    assert (_count(db.dsn), _count(db.dsn, "cc.case_event")) == (cases, events)
    first = open311.import_requests(conn, path)
    assert len(first.created) == 2 and all(p.created_case for p in first.created)
    second = open311.import_requests(conn, path)
    assert second.created == [] and [p.existing_case for p in second.skipped] == [p.created_case for p in first.created]
    assert _count(db.dsn) == cases + 2
    row = conn.execute("SELECT c.reporter_name, c.reporter_phone, c.source, r.media_url, r.email FROM cc.open311_request r "
                       'JOIN cc."case" c ON c.id = r.case_id WHERE r.external_id = %s', ("ext-twice-1",)).fetchone()
    conn.commit()
    assert row == ("王小明", "+86 10 1234 5678", "open311", "https://example.invalid/p/1.jpg", "wang@example.invalid")
    redo = open311.import_requests(conn, path, dry_run=True)
    assert redo.created == [] and len(redo.skipped) == 2


def _a_grid_name(conn) -> str:  # noqa: ANN001
    name = conn.execute("SELECT name FROM cc.grid ORDER BY id LIMIT 1").fetchone()[0]
    conn.commit()
    return str(name)


def test_a_point_near_the_district_edge_is_imported_into_its_grid(db, conn, tmp_path) -> None:  # noqa: ANN001
    points = edge_points(conn, 3)
    records = []
    for n, (_, lon, lat) in enumerate(points):
        wlon, wlat = gcj02_to_wgs84(lon, lat)
        records.append({"service_request_id": f"edge-{n}", "service_code": "010201", "lat": wlat, "long": wlon})
    open311.import_requests(conn, _write(tmp_path, "edge.json", records))
    for n, (gid, _, _) in enumerate(points):
        got = conn.execute('SELECT c.grid_id FROM cc.open311_request r JOIN cc."case" c ON c.id = r.case_id '
                           "WHERE r.external_id = %s", (f"edge-{n}",)).fetchone()[0]
        assert got == gid
    conn.commit()


# ---------------------------------------------------------------- refusals
def _good(conn) -> dict[str, object]:  # noqa: ANN001
    lat, lon = _point(conn)
    return {"service_request_id": "ok-1", "service_code": "010201", "lat": lat, "long": lon, "description": "好"}


def _cases(conn) -> list[tuple[str, str | list | dict, list[str]]]:  # noqa: ANN001
    good = _good(conn)
    lat = good["lat"]

    def rec(**changes: object) -> dict[str, object]:
        r = {**good, "service_request_id": "bad-1", **changes}
        return {k: v for k, v in r.items() if v is not None}

    long_text = "长" * 4001
    return [
        ("bad.json", '[\n {"service_code": "010201",\n  "lat": 39.9,, "long": 116.4}\n]', ["line 3", "not JSON"]),
        ("bad.xml", "<service_requests>\n <request>\n  <service_code>010201\n </request>\n</service_requests>",
         ["line 4", "not XML", "mismatched tag"]),
        ("object.json", {"service_code": "010201"}, ["not an array of requests"]),
        ("types.json", [good, rec(lat="北纬39.9"), rec(service_request_id="bad-2", long=True)],
         ['record 2 (line 9), field "lat": "北纬39.9" is not a WGS-84 latitude',
          'record 3 (line 16), field "long": true is not a WGS-84 longitude']),
        ("types.xml", _xml([good, rec(lat="abc")]),
         ['record 2 (line 13), field "lat": "abc" is not a WGS-84 latitude']),
        ("missing.json", [good, rec(service_code=None), rec(service_request_id=None), rec(lat=None)],
         ['record 2 (line 9), field "service_code" is missing', "record 3 (line 15): needs service_request_id or token",
          'record 4 (line 21), field "lat" is missing ("long" needs it)']),
        ("missing.xml", _xml([good, rec(service_code=None), rec(service_request_id=None), rec(lat=None)]),
         ['record 2 (line 10), field "service_code" is missing', "record 3 (line 16): needs service_request_id or token",
          "record 4 (line 22): needs lat and long (WGS-84), or address_string"]),
        ("unknown_field.json", [rec(servce_code="010201")],
         ['record 1 (line 2), field "servce_code" is not a GeoReport v2 request field']),
        ("long.json", [good, rec(description=long_text)],
         ['record 2 (line 9), field "description": 4,001 characters, at most 4,000 allowed']),
        ("long.xml", _xml([good, rec(description=long_text)]),
         ['record 2 (line 15), field "description": 4,001 characters, at most 4,000 allowed']),
        ("unknown_code.json", [good, rec(service_code="999999")],
         ['record 2 (line 9), field "service_code": unknown service code "999999"']),
        ("outside.json", [good, rec(lat=31.2304, long=121.4737)],
         ['record 2 (line 9), fields "lat"/"long": WGS-84 (31.2304, 121.4737)', "is outside 东城区"]),
        ("ours_not_wgs.json", [rec(lat=lat + 0.5)], ["is outside 东城区"]),
        ("repeated.json", [good, {**good}], ["record 2 (line 9): service_request_id/token \"ok-1\" repeats record 1"]),
        ("bad_phone.json", [rec(phone="call me")], ['field "phone": "call me" is not a phone number']),
        ("address.json", [rec(lat=None, long=None, address_string="上海市人民广场")],
         ['field "address_string": "上海市人民广场" names no street, community or grid']),
    ]


def test_malformed_files_are_refused_whole_with_record_line_and_field(db, conn, tmp_path) -> None:  # noqa: ANN001
    cases, imported = _count(db.dsn), _count(db.dsn, "cc.open311_request")
    for name, content, expected in _cases(conn):
        path = _write(tmp_path, name, content)
        with pytest.raises(open311.Open311Refused) as refused:
            open311.import_requests(conn, path)
        message = str(refused.value)
        for part in expected:
            assert part in message, (name, message)
        assert "refused, nothing imported" in message
        with pytest.raises(open311.Open311Refused):
            open311.import_requests(conn, path, dry_run=True)
    assert (_count(db.dsn), _count(db.dsn, "cc.open311_request")) == (cases, imported)


def test_the_command_line_refuses_with_the_message_and_no_traceback(db, conn, tmp_path) -> None:  # noqa: ANN001
    path = _write(tmp_path, "long.json", [_good(conn), {**_good(conn), "service_request_id": "x", "description": "x" * 4001}])
    cases = _count(db.dsn)
    out = _cli("--dsn", db.dsn, "open311", "import", str(path))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert 'record 2 (line 9), field "description": 4,001 characters, at most 4,000 allowed' in out.stderr
    assert "nothing imported" in out.stderr and _count(db.dsn) == cases
    missing = _cli("--dsn", db.dsn, "open311", "import", str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    since = _cli("--dsn", db.dsn, "open311", "export", "--since", "yesterday", "--out", str(tmp_path / "x.json"))
    assert since.returncode == 2 and "not an ISO 8601 time" in since.stderr


def test_xml_with_a_doctype_is_refused(conn, tmp_path) -> None:  # noqa: ANN001
    path = _write(tmp_path, "dtd.xml", '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n'
                                       "<service_requests/>")
    with pytest.raises(open311.Open311Refused, match="DOCTYPE"):
        open311.import_requests(conn, path)


# ---------------------------------------------------------------- who may import, who sees what
def test_street_scope_the_wall_and_row_level_security(db, conn, login_role, tmp_path) -> None:  # noqa: ANN001
    lat, lon = _point(conn)
    street, other = conn.execute('SELECT c.street_id, (SELECT min(id) FROM cc.street WHERE id <> c.street_id) '
                                 'FROM cc."case" c ORDER BY c.id LIMIT 1').fetchone()
    conn.commit()
    path = _write(tmp_path, "scope.json", [{"service_request_id": "scope-1", "service_code": "010201",
                                             "lat": lat, "long": lon}])
    with psycopg.connect(login_role(["cc_operator"], street_id=other)) as c:
        with pytest.raises(open311.Open311Refused, match="outside your area"):
            open311.import_requests(c, path)
    with psycopg.connect(login_role(["cc_wall"])) as c, pytest.raises(CommandCenterError, match="operator role"):
        open311.import_requests(c, path)
    with psycopg.connect(login_role(["cc_operator"], street_id=street)) as c:
        assert len(open311.import_requests(c, path).created) == 1
        assert c.execute("SELECT count(*) FROM cc.open311_request WHERE external_id = 'scope-1'").fetchone()[0] == 1
    with psycopg.connect(login_role(["cc_supervisor"], street_id=other)) as c:
        assert c.execute("SELECT count(*) FROM cc.open311_request WHERE external_id = 'scope-1'").fetchone()[0] == 0
        assert c.execute("SELECT case_id FROM cc.open311_imported(ARRAY['scope-1'])").fetchall() == [(None,)]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("INSERT INTO cc.open311_request (external_id, case_id, street_id, service_code, imported_at, "
                      "imported_by) VALUES ('x', 1, 1, '010201', now(), 'x')")
    with psycopg.connect(login_role(["cc_wall"])) as c, pytest.raises(psycopg.errors.InsufficientPrivilege):
        c.execute("SELECT email FROM cc.open311_request")
