"""`commandcenter report kpi|csv`: the measures of cc.kpi / cc.kpi_by over local calendar days
(--to inclusive), streets by Chinese or English name, CSV that Excel opens (UTF-8 with BOM)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from commandcenter.store import measures
from commandcenter.store.database import Database

TZ = ZoneInfo("Asia/Shanghai")
# the small demo's history: 30 days up to 2026-11-20 09:30 UTC
FIRST, LAST = "2026-10-15", "2026-11-19"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "commandcenter", *args], capture_output=True, text=True, timeout=300)


def _period() -> tuple[datetime, datetime]:
    # --to is inclusive: up to the midnight after the last day
    return datetime(2026, 10, 15, tzinfo=TZ), datetime(2026, 11, 19, tzinfo=TZ) + timedelta(days=1)


def test_kpi_json_is_cc_kpi_over_the_inclusive_days(db: Database) -> None:
    out = _cli("--dsn", db.dsn, "report", "kpi", "--from", FIRST, "--to", LAST, "--json")
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    start, end = _period()
    assert datetime.fromisoformat(got["from"]) == start and datetime.fromisoformat(got["to"]) == end
    with db.connect() as conn:
        expected = measures.kpi(conn, start, end)
    assert got["measures"]["reported"] == expected["reported"] > 0
    assert got["measures"]["due"] == expected["due"]
    assert got["measures"]["closure_rate"] == float(expected["closure_rate"])


def test_kpi_table_names_a_street_in_either_language(db: Database) -> None:
    with db.connect() as conn:
        sid, name, name_en = conn.execute("SELECT id, name, name_en FROM cc.street ORDER BY id LIMIT 1").fetchone()
        start, end = _period()
        expected = measures.kpi(conn, start, end, sid)
    for given in (name, name_en.upper()):
        out = _cli("--dsn", db.dsn, "report", "kpi", "--from", FIRST, "--to", LAST, "--street", given)
        assert out.returncode == 0, out.stderr
        line = next(ln for ln in out.stdout.splitlines() if "应结案数" in ln)
        assert "Due" in line and line.split()[-1] == str(expected["due"])


def test_an_unknown_street_exits_2_naming_near_ones(db: Database) -> None:
    with db.connect() as conn:
        name = conn.execute("SELECT name FROM cc.street ORDER BY id LIMIT 1").fetchone()[0]
    out = _cli("--dsn", db.dsn, "report", "kpi", "--from", FIRST, "--to", LAST, "--street", name[:-1] + "路")
    assert out.returncode == 2
    assert "no street named" in out.stderr and name in out.stderr


def test_bad_dates_are_refused(db: Database) -> None:
    out = _cli("--dsn", db.dsn, "report", "kpi", "--from", "2026-13-01", "--to", LAST)
    assert out.returncode == 2 and "not a date" in out.stderr
    out = _cli("--dsn", db.dsn, "report", "kpi", "--from", LAST, "--to", FIRST)
    assert out.returncode == 2 and "before" in out.stderr
    out = _cli("--dsn", db.dsn, "report", "kpi", "--from", "2024-01-01", "--to", LAST)
    assert out.returncode == 2 and "longer than" in out.stderr      # the database's bound, its message


def test_csv_per_community_of_a_street_opens_in_excel(db: Database, tmp_path: Path) -> None:
    with db.connect() as conn:
        sid, name_en = conn.execute("SELECT id, name_en FROM cc.street ORDER BY id LIMIT 1").fetchone()
        start, end = _period()
        expected = {r["id"]: r for r in measures.kpi_by(conn, start, end, "community", sid)}
    target = tmp_path / "communities.csv"
    out = _cli("--dsn", db.dsn, "report", "csv", "--from", FIRST, "--to", LAST, "--scope", "community",
               "--within", name_en, "--out", str(target))
    assert out.returncode == 0, out.stderr
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")                       # the BOM Excel needs for Chinese
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    head = rows[0]
    assert "应结案数 Due" in head and "结案率 Closure rate" in head and "排名 Rank" in head
    body = {int(r[0]): dict(zip(head, r)) for r in rows[1:]}
    assert set(body) == set(expected) and expected
    for cid, r in expected.items():
        assert body[cid]["应结案数 Due"] == str(r["due"])
        assert body[cid]["名称 Name"] == r["name"]


def test_csv_within_a_number_and_a_wrong_scope(db: Database, tmp_path: Path) -> None:
    with db.connect() as conn:
        dept = conn.execute("SELECT department_id FROM cc.unit GROUP BY 1 ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    target = tmp_path / "units.csv"
    out = _cli("--dsn", db.dsn, "report", "csv", "--from", FIRST, "--to", LAST, "--scope", "unit",
               "--within", str(dept), "--out", str(target))
    assert out.returncode == 0, out.stderr
    out = _cli("--dsn", db.dsn, "report", "csv", "--from", FIRST, "--to", LAST, "--scope", "department",
               "--within", "1", "--out", str(target))
    assert out.returncode == 2 and "--within does not apply" in out.stderr
