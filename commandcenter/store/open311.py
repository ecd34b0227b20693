"""Open311 GeoReport v2 in and out: the service list, an export of service requests and an
import of requests as JSON or XML (no Qt).

The rules stay in the database: the service-code ↔ category mapping is the table
`cc.open311_service`, a request becomes a case through `cc.open311_import` → `cc.report`
(source `open311`), and the external id ↔ case table makes an import run twice create nothing
twice. This module reads files, validates them whole against the shipped JSON Schema / XSD
(`resources/open311/`) before anything is created, converts WGS-84 ↔ GCJ-02
(`domain/coords.py`) and names the record, line and field of every problem.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from xml.parsers import expat
from zoneinfo import ZoneInfo

import jsonschema
import psycopg
import xmlschema
from shapely.geometry import shape

from ..domain.coords import gcj02_to_wgs84, wgs84_to_gcj02
from ..paths import resources_dir
from .errors import CommandCenterError, from_psycopg
from .rows import scalar

SOURCE = "open311"
DESCRIPTION_CHARS = 4000
REPORTER_NAME_CHARS = 50        # cc.input_limit caller_name_chars
MAX_PROBLEMS = 30               # a refusal lists at most this many problems

# GeoReport v2 GET Service Requests: the fields of one request, in the specification's order.
REQUEST_FIELDS = ("service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url")

# What each field must be, said to the person who sent a file with something else in it.
FIELD_RULES = {
    "service_request_id": "the sender's id of the request: 1 to 200 characters",
    "token": "the sender's token of the request: 1 to 200 characters",
    "service_code": "a service code (commandcenter open311 services): letters, digits, . _ -, at most 40",
    "lat": "a WGS-84 latitude in degrees, a number from -90 to 90",
    "long": "a WGS-84 longitude in degrees, a number from -180 to 180",
    "address_string": "an address of 1 to 300 characters",
    "address": "an address of at most 300 characters",
    "address_id": "at most 200 characters",
    "description": f"text of at most {DESCRIPTION_CHARS:,} characters",
    "media_url": "an http(s) URL of at most 2,000 characters",
    "first_name": "a name of at most 50 characters",
    "last_name": "a name of at most 50 characters",
    "phone": "a phone number: digits, spaces, brackets and dashes, optionally after a +",
    "email": "an e-mail address of at most 254 characters",
    "device_id": "at most 200 characters",
    "account_id": "at most 200 characters",
    "status": "open or closed",
    "requested_datetime": "an ISO 8601 time with its zone, e.g. 2026-11-20T09:30:00+08:00",
    "updated_datetime": "an ISO 8601 time with its zone, e.g. 2026-11-20T09:30:00+08:00",
    "expected_datetime": "an ISO 8601 time with its zone, e.g. 2026-11-20T09:30:00+08:00",
}
_NUMBERS = ("lat", "long")


class Open311Refused(CommandCenterError):
    """A file refused whole: nothing was imported. `problems` says what and where."""

    def __init__(self, path: Path | str, problems: Sequence[str], advice: str) -> None:
        self.problems = list(problems)
        shown = self.problems[:MAX_PROBLEMS]
        more = len(self.problems) - len(shown)
        text = f"{path}: refused, nothing imported ({len(self.problems)} problem(s)):\n" + "\n".join(
            f"  {p}" for p in shown) + (f"\n  … and {more} more" if more > 0 else "") + f"\n{advice}"
        super().__init__(text)


# ---------------------------------------------------------------- services
def services(conn: psycopg.Connection[Any], english: bool = False) -> list[dict[str, Any]]:
    """GeoReport v2 GET Service List from cc.open311_service, by service code."""
    rows = conn.execute(
        'SELECT service_code, name, name_en, description, keywords, "group", group_en '
        "FROM cc.open311_service ORDER BY service_code").fetchall()
    conn.commit()
    return [{"service_code": code, "service_name": name_en if english else name, "description": description,
             "metadata": False, "type": "realtime", "keywords": ",".join(keywords),
             "group": group_en if english else group}
            for code, name, name_en, description, keywords, group, group_en in rows]


# ---------------------------------------------------------------- export
def local_zone(conn: psycopg.Connection[Any]) -> ZoneInfo:
    zone = ZoneInfo(str(scalar(conn, "SELECT cc.local_tz()")))
    conn.commit()
    return zone


def parse_since(text: str, zone: ZoneInfo) -> datetime:
    """An ISO 8601 time; without a zone it is read in the district's zone."""
    try:
        at = datetime.fromisoformat(text.strip())
    except ValueError:
        raise CommandCenterError(f"--since {text!r} is not an ISO 8601 time; write e.g. 2026-11-20T09:30:00+08:00 "
                                 "or 2026-11-20") from None
    return at if at.tzinfo is not None else at.replace(tzinfo=zone)


_EXPORT = """
SELECT c.code, s.is_open, s.name AS state_name, s.name_en AS state_name_en, svc.service_code,
       coalesce(svc.name, cat.name) AS service_name, cat.code AS category_code, c.title, c.description,
       coalesce(u.name, st.name) AS agency, c.reported_at, c.updated_at, b.deadline, c.address, g.code AS grid_code,
       c.lon, c.lat, r.media_url
  FROM cc."case" c
  JOIN cc.case_state s ON s.code = c.state
  JOIN cc.category cat ON cat.id = c.category_id
  LEFT JOIN cc.open311_service svc ON svc.category_id = c.category_id
  JOIN cc.grid g ON g.id = c.grid_id
  JOIN cc.street st ON st.id = c.street_id
  LEFT JOIN cc.unit u ON u.id = c.assignee_unit_id
  LEFT JOIN cc.case_board b ON b.id = c.id
  LEFT JOIN cc.open311_request r ON r.case_id = c.id
 WHERE %(since)s::timestamptz IS NULL OR c.reported_at >= %(since)s OR c.updated_at >= %(since)s
 ORDER BY c.id
"""


def export_requests(conn: psycopg.Connection[Any], since: datetime | None = None) -> list[dict[str, Any]]:
    """GeoReport v2 service requests for the cases the connection sees (row-level security
    applies) reported or changed since `since`: times in ISO 8601 with the district's zone,
    positions converted to WGS-84."""
    zone = local_zone(conn)

    def iso(at: datetime | None) -> str | None:
        return None if at is None else at.astimezone(zone).isoformat(timespec="seconds")

    out = []
    for row in conn.execute(_EXPORT, {"since": since}).fetchall():
        (code, is_open, state_name, state_name_en, service_code, service_name, category_code, title, description,
         agency, reported_at, updated_at, deadline, address, grid_code, lon, lat, media_url) = row
        wlon, wlat = gcj02_to_wgs84(float(lon), float(lat))
        out.append({
            "service_request_id": code, "status": "open" if is_open else "closed",
            "status_notes": f"{state_name} {state_name_en}", "service_name": service_name,
            "service_code": service_code or category_code, "description": description or title,
            "agency_responsible": agency, "service_notice": None, "requested_datetime": iso(reported_at),
            "updated_datetime": iso(updated_at), "expected_datetime": iso(deadline), "address": address or None,
            "address_id": grid_code, "zipcode": None, "lat": wlat, "long": wlon, "media_url": media_url,
        })
    conn.commit()
    return out


def render(requests: Sequence[dict[str, Any]], fmt: str) -> str:
    """The requests as GeoReport v2 JSON (an array) or XML (<service_requests>)."""
    if fmt == "json":
        return json.dumps(list(requests), ensure_ascii=False, indent=1) + "\n"
    root = ET.Element("service_requests")
    for r in requests:
        el = ET.SubElement(root, "request")
        for name in REQUEST_FIELDS:
            value = r.get(name)
            ET.SubElement(el, name).text = "" if value is None else (repr(value) if isinstance(value, float)
                                                                    else str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# ---------------------------------------------------------------- reading a file
@dataclass(frozen=True)
class Request:
    """One request of a file that passed its schema: `index` counts from 1, `line` is where it
    starts, `fields` holds the non-empty values (lat/long as floats, the rest as text)."""

    index: int
    line: int
    fields: dict[str, Any]

    @property
    def where(self) -> str:
        return f"record {self.index} (line {self.line})"

    @property
    def external_id(self) -> str:
        return str(self.fields.get("service_request_id") or self.fields.get("token")).strip()


@cache
def _json_validator() -> jsonschema.protocols.Validator:
    schema = json.loads((resources_dir() / "open311" / "requests.schema.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator: jsonschema.protocols.Validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    return validator


@cache
def _xml_schema() -> xmlschema.XMLSchema11:
    return xmlschema.XMLSchema11(str(resources_dir() / "open311" / "requests.xsd"))


def read_requests(path: Path) -> list[Request]:
    """Parse and validate a whole file (JSON or XML, told by its first character); refuses
    it with every problem's record, line and field, or returns its requests."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CommandCenterError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise Open311Refused(path, [f"line {line}: not UTF-8 text (byte {exc.start})"],
                             "Save the file as UTF-8.") from None
    if text.lstrip().startswith("<"):
        return _read_xml(path, text)
    return _read_json(path, text)


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and len(value) > 40:
        return json.dumps(value[:40], ensure_ascii=False)[:-1] + f'…" ({len(value):,} characters)'
    return text if len(text) <= 60 else text[:60] + "…"


def _field_problem(name: str, value: Any) -> str:
    rule = FIELD_RULES.get(name, "")
    if name == "description" and isinstance(value, str) and len(value) > DESCRIPTION_CHARS:
        return (f'field "description": {len(value):,} characters, at most {DESCRIPTION_CHARS:,} allowed '
                "(shorten it)")
    return f'field "{name}": {_short(value)} is not {rule}' if rule else f'field "{name}": {_short(value)} is not allowed'


def _record_problem(errors: Iterable[jsonschema.ValidationError], record: Any) -> list[str]:
    """Messages for the errors of one record that concern the record as a whole."""
    out = []
    for e in errors:
        if e.validator == "required":
            missing = [n for n in e.validator_value if not isinstance(record, dict) or n not in record]
            out += [f'field "{n}" is missing (required: {FIELD_RULES.get(n, n)})' for n in missing]
        elif e.validator == "additionalProperties" and isinstance(record, dict):
            known = set(e.schema.get("properties", {}))
            out += [f'field "{n}" is not a GeoReport v2 request field (remove it or check its spelling)'
                    for n in record if n not in known]
        elif e.validator == "anyOf":
            options = [" and ".join(o.get("required", [])) for o in e.validator_value]
            out.append("needs " + " or ".join(options))
        elif e.validator == "dependentRequired" and isinstance(record, dict):
            out += [f'field "{d}" is missing ("{prop}" needs it)' for prop, deps in e.validator_value.items()
                    if prop in record for d in deps if d not in record]
        elif e.validator == "type":
            out.append(f"is {_short(record)}, not an object of request fields")
        else:
            out.append(e.message)
    return out


def _record_lines(text: str) -> list[int]:
    """Line where each element of the top-level JSON array starts (after json.loads accepted it)."""
    decoder = json.JSONDecoder()
    lines: list[int] = []
    pos = text.index("[") + 1
    ws = re.compile(r"[\s,]*")
    while True:
        pos = ws.match(text, pos).end()  # type: ignore[union-attr]
        if pos >= len(text) or text[pos] == "]":
            return lines
        lines.append(text.count("\n", 0, pos) + 1)
        _, pos = decoder.raw_decode(text, pos)


def _read_json(path: Path, text: str) -> list[Request]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Open311Refused(path, [f"line {exc.lineno}, column {exc.colno}: not JSON: {exc.msg}"],
                             "Fix the JSON syntax (an array of request objects) and import again.") from None
    if not isinstance(data, list):
        raise Open311Refused(path, [f"line 1: the file holds a JSON {type(data).__name__}, not an array of requests"],
                             'Send a JSON array: [{"service_code": …, "lat": …, "long": …, …}, …].')
    lines = _record_lines(text)
    by_record: dict[int, list[jsonschema.ValidationError]] = {}
    problems: list[str] = []
    for e in _json_validator().iter_errors(data):
        if not e.absolute_path:
            problems.append(f"the array: {e.message}")
            continue
        by_record.setdefault(int(e.absolute_path[0]), []).append(e)
    for i in sorted(by_record):
        where = f"record {i + 1} (line {lines[i]})"
        whole = [e for e in by_record[i] if len(e.absolute_path) == 1]
        fields = {str(e.absolute_path[1]) for e in by_record[i] if len(e.absolute_path) > 1}
        for name in sorted(fields):
            problems.append(f"{where}, {_field_problem(name, data[i][name])}")
        problems += [f"{where}{', ' if m.startswith('field ') else ': '}{m}"
                     for m in dict.fromkeys(_record_problem(whole, data[i]))]
    if problems:
        raise Open311Refused(path, problems, "Fix these and import the file again.")
    out = []
    for i, rec in enumerate(data):
        values = {k: (float(v) if k in _NUMBERS else str(v)) for k, v in rec.items()
                  if v is not None and v != ""}
        out.append(Request(i + 1, lines[i], values))
    return out


def _xml_lines(path: Path, text: str) -> tuple[list[int], dict[tuple[int, str], int]]:
    """Lines of each <request> and of its fields; refuses malformed XML and any DTD or entity."""
    requests: list[int] = []
    fields: dict[tuple[int, str], int] = {}
    depth = 0
    p = expat.ParserCreate()

    def start(name: str, _attrs: dict[str, str]) -> None:
        nonlocal depth
        depth += 1
        if depth == 2 and name == "request":
            requests.append(p.CurrentLineNumber)
        elif depth == 3 and requests:
            fields[(len(requests), name)] = p.CurrentLineNumber

    def end(_name: str) -> None:
        nonlocal depth
        depth -= 1

    def doctype(*_args: Any) -> None:
        raise ValueError(f"line {p.CurrentLineNumber}: a DOCTYPE or entity declaration is not accepted")

    p.StartElementHandler = start
    p.EndElementHandler = end
    p.StartDoctypeDeclHandler = doctype
    p.EntityDeclHandler = doctype
    try:
        p.Parse(text, True)
    except expat.ExpatError as exc:
        raise Open311Refused(path, [f"line {exc.lineno}, column {exc.offset + 1}: not XML: "
                                    f"{expat.ErrorString(exc.code)}"],
                             "Fix the XML syntax (<service_requests><request>…</request></service_requests>) "
                             "and import again.") from None
    except ValueError as exc:
        raise Open311Refused(path, [str(exc)], "Remove the DOCTYPE; plain elements only.") from None
    return requests, fields


_XML_PATH = re.compile(r"^/service_requests(?:/request\[(\d+)\](?:/([A-Za-z_]+))?|/request)?")


def _xml_problem(e: xmlschema.XMLSchemaValidationError, requests: list[int],
                 field_lines: dict[tuple[int, str], int], root: ET.Element) -> str:
    m = _XML_PATH.match(e.path or "")
    index = int(m.group(1)) if m and m.group(1) else (1 if m and "/request" in (e.path or "") else 0)
    name = m.group(2) if m else None
    if not index:
        return f"line 1: {e.reason or e.message} (the root must be <service_requests> holding <request> elements)"
    request_el = root[index - 1] if len(root) >= index else None
    if name:
        line = field_lines.get((index, name), requests[index - 1])
        el = request_el.find(name) if request_el is not None else None
        value: Any = el.text if el is not None and el.text is not None else ""
        return f"record {index} (line {line}), {_field_problem(name, value)}"
    where = f"record {index} (line {requests[index - 1]})"
    test = getattr(e.validator, "path", "") or ""
    if "token" in test:
        return f"{where}: needs service_request_id or token"
    if "lat" in test:
        return f"{where}: needs lat and long (WGS-84), or address_string"
    reason = e.reason or e.message
    missing = re.search(r"[Tt]ag '?([A-Za-z_]+)'? expected", reason)
    if "missing" in reason.lower() or missing:
        tag = missing.group(1) if missing else "service_code"
        return f'{where}, field "{tag}" is missing (required: {FIELD_RULES.get(tag, tag)})'
    unexpected = re.search(r"[Uu]nexpected child with tag '([^']+)'", reason)
    if unexpected:
        return f'{where}, field "{unexpected.group(1)}" is not a GeoReport v2 request field (or appears twice)'
    return f"{where}: {reason}"


def _read_xml(path: Path, text: str) -> list[Request]:
    requests, field_lines = _xml_lines(path, text)
    root = ET.fromstring(text)
    problems: list[str] = []
    for e in _xml_schema().iter_errors(root):
        problems.append(_xml_problem(e, requests, field_lines, root))
    problems = list(dict.fromkeys(problems))
    if problems:
        raise Open311Refused(path, problems, "Fix these and import the file again.")
    out = []
    for i, el in enumerate(root):
        values: dict[str, Any] = {}
        for child in el:
            value = (child.text or "").strip()
            if value:
                values[child.tag] = float(value) if child.tag in _NUMBERS else value
        out.append(Request(i + 1, requests[i], values))
    return out


# ---------------------------------------------------------------- planning and importing
@dataclass
class Planned:
    """What one request becomes: a new case at (lon, lat) GCJ-02 in `grid_code`, or nothing
    when `existing` is set (imported before, as that case)."""

    request: Request
    service_code: str
    service_name: str
    lon: float
    lat: float
    grid_code: str
    title: str
    existing: bool = False
    existing_case: str | None = None
    created_case: str | None = field(default=None)


@dataclass(frozen=True)
class ImportResult:
    planned: list[Planned]
    dry_run: bool

    @property
    def created(self) -> list[Planned]:
        return [p for p in self.planned if not p.existing]

    @property
    def skipped(self) -> list[Planned]:
        return [p for p in self.planned if p.existing]


def _title(service_name: str, description: str) -> str:
    first = " ".join(description.split())[:80]
    return f"{service_name}：{first}" if first else service_name


def _reporter_name(fields: dict[str, Any]) -> str | None:
    first, last = str(fields.get("first_name", "")).strip(), str(fields.get("last_name", "")).strip()
    if not (first or last):
        return None
    cjk = re.compile(r"[\u3400-\u9fff]")
    if cjk.search(first + last):            # Chinese names: family name first, no space
        return last + first
    return f"{first} {last}".strip()


def _locate(conn: psycopg.Connection[Any], lon: float, lat: float) -> tuple[str, bool] | None:
    """(grid code, whether the caller's area holds it) of the grid at a GCJ-02 point."""
    row = conn.execute("SELECT g.code, cc.sees_street(g.street_id) FROM cc.grid_part gp JOIN cc.grid g ON g.id = gp.grid_id "
                       "WHERE gp.shape @> point(%s, %s) ORDER BY g.id LIMIT 1", (lon, lat)).fetchone()
    return None if row is None else (str(row[0]), bool(row[1]))


@dataclass(frozen=True)
class _Place:
    name: str
    lon: float
    lat: float


def _places(conn: psycopg.Connection[Any]) -> list[_Place]:
    """Grids, communities and streets by name (and grid code), longest first, each with a point
    inside its largest grid: how an address_string without lat/long is placed."""
    rows = conn.execute("""
        WITH g AS (SELECT g.*, row_number() OVER (PARTITION BY g.community_id ORDER BY g.area_m2 DESC) AS in_cm,
                          row_number() OVER (PARTITION BY g.street_id ORDER BY g.area_m2 DESC) AS in_st
                     FROM cc.grid g WHERE cc.sees_street(g.street_id))
        SELECT g.name, g.outline FROM g
        UNION ALL SELECT g.code, g.outline FROM g
        UNION ALL SELECT cm.name, g.outline FROM g JOIN cc.community cm ON cm.id = g.community_id WHERE g.in_cm = 1
        UNION ALL SELECT st.name, g.outline FROM g JOIN cc.street st ON st.id = g.street_id WHERE g.in_st = 1""").fetchall()
    places = []
    for name, outline in rows:
        point = shape(outline if isinstance(outline, dict) else json.loads(outline)).representative_point()
        places.append(_Place(str(name), float(point.x), float(point.y)))
    return sorted(places, key=lambda p: -len(p.name))


def plan_import(conn: psycopg.Connection[Any], path: Path | str, requests: Sequence[Request]) -> list[Planned]:
    """Check every request against the database (service code, position in the district and
    the caller's area, ids repeated in the file) and say what each would become; refuses the
    whole file with every problem."""
    svc = dict(conn.execute("SELECT service_code, name FROM cc.open311_service").fetchall())
    district = str(scalar(conn, "SELECT string_agg(name, ', ') FROM cc.district"))
    problems: list[str] = []
    planned: list[Planned] = []
    first_seen: dict[str, Request] = {}
    places: list[_Place] | None = None
    for r in requests:
        f = r.fields
        ext = r.external_id
        if ext in first_seen:
            problems.append(f"{r.where}: service_request_id/token {_short(ext)} repeats {first_seen[ext].where} "
                            "(each request once per file)")
        first_seen.setdefault(ext, r)
        code = str(f["service_code"])
        if code not in svc:
            problems.append(f'{r.where}, field "service_code": unknown service code {_short(code)} '
                            "(commandcenter open311 services lists them)")
        name = _reporter_name(f)
        if name is not None and len(name) > REPORTER_NAME_CHARS:
            problems.append(f'{r.where}, fields "first_name"/"last_name": together {len(name)} characters, '
                            f"at most {REPORTER_NAME_CHARS}")
        if "lat" in f:
            wlon, wlat = float(f["long"]), float(f["lat"])
            lon, lat = wgs84_to_gcj02(wlon, wlat)
            at = f'fields "lat"/"long": WGS-84 ({wlat}, {wlon}) (GCJ-02 {lat:.6f}, {lon:.6f})'
        else:
            places = _places(conn) if places is None else places
            address = str(f["address_string"])
            place = next((p for p in places if p.name in address), None)
            if place is None:
                problems.append(f'{r.where}, field "address_string": {_short(address)} names no street, community '
                                f"or grid of {district} in your area (send lat and long in WGS-84)")
                continue
            lon, lat = place.lon, place.lat
            at = f'field "address_string": {_short(address)}'
        found = _locate(conn, lon, lat)
        if found is None:
            problems.append(f"{r.where}, {at} is outside {district} (every grid of it); check the position "
                            "(lat, long in WGS-84 degrees)")
            continue
        grid_code, mine = found
        if not mine:
            problems.append(f"{r.where}, {at} lies in grid {grid_code}, outside your area (a street sub-centre "
                            "imports only within its street)")
            continue
        service_name = str(svc.get(code, code))
        planned.append(Planned(r, code, service_name, lon, lat, grid_code,
                               _title(service_name, str(f.get("description", ""))), ))
    conn.commit()
    if problems:
        raise Open311Refused(path, problems, "Fix these and import the file again.")
    rows = conn.execute("SELECT external_id, case_code FROM cc.open311_imported(%s)",
                        ([p.request.external_id for p in planned],)).fetchall()
    conn.commit()
    done = {str(ext): code for ext, code in rows}
    for p in planned:
        if p.request.external_id in done:
            p.existing, p.existing_case = True, done[p.request.external_id]
    return planned


_IMPORT = "SELECT case_id, created FROM cc.open311_import(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"


def import_requests(conn: psycopg.Connection[Any], path: Path, dry_run: bool = False) -> ImportResult:
    """Validate the whole file, then (unless a dry run) create a case for each request not
    imported before, each in its own short transaction through cc.open311_import."""
    planned = plan_import(conn, path, read_requests(path))
    if dry_run:
        return ImportResult(planned, True)
    for n, p in enumerate(planned):
        if p.existing:
            continue
        f = p.request.fields
        address = f.get("address_string") or f.get("address") or ""
        args = (p.request.external_id, p.service_code, p.lon, p.lat, p.title, f.get("description", ""), address,
                f.get("media_url"), _reporter_name(f), f.get("phone"), f.get("email"), f.get("device_id"),
                f.get("account_id"))
        try:
            row = conn.execute(_IMPORT, args).fetchone()
            conn.commit()
            assert row is not None
            code = None if row[0] is None else scalar(conn, 'SELECT code FROM cc."case" WHERE id = %s', (row[0],))
            conn.commit()
        except psycopg.Error as exc:
            conn.rollback()
            refused = from_psycopg(exc)
            reason = str(refused) if refused is not None else str(exc).strip()
            before = sum(1 for q in planned[:n] if not q.existing)
            raise CommandCenterError(
                f"{path}: {p.request.where} refused by the database: {reason}\n{before} request(s) before it were "
                "imported; fix this one and run the import again (what was imported is not created twice).") from None
        p.existing = not bool(row[1])
        p.created_case = None if p.existing else str(code)
        p.existing_case = str(code) if p.existing and code is not None else None
    return ImportResult(planned, False)

