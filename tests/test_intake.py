"""Call-taking (issue 12): possible duplicates offered before a case is opened, and a call
added to an open case as a repeat report, against the real server."""

from __future__ import annotations

import psycopg
import pytest

from commandcenter.store import queries
from commandcenter.store.commands import Workflow
from commandcenter.store.errors import ActionRefused, CommandCenterError, PermissionRefused
from tests.helpers import case_row, new_case_in, sign_in

M_PER_DEG_LAT = 110_574.0


def _fresh_case(conn: psycopg.Connection, category: str = "010201") -> tuple[int, float, float]:
    case_id, _ = new_case_in(conn, "filed", category=category)
    lon, lat = conn.execute('SELECT lon, lat FROM cc."case" WHERE id = %s', (case_id,)).fetchone()
    conn.commit()
    return case_id, lon, lat


def test_the_same_item_nearby_is_offered_nearest_first(conn: psycopg.Connection) -> None:
    case_id, lon, lat = _fresh_case(conn)
    near = queries.nearby_open_cases(conn, lon, lat + 30 / M_PER_DEG_LAT, "010201")     # 30 m north
    conn.commit()
    hit = next(r for r in near if r["id"] == case_id)
    assert 28 <= hit["distance_m"] <= 32
    assert [r["distance_m"] for r in near] == sorted(r["distance_m"] for r in near)
    # 80 m away: beyond the 50 m of cc.input_limit
    far = queries.nearby_open_cases(conn, lon, lat + 80 / M_PER_DEG_LAT, "010201")
    conn.commit()
    assert case_id not in [r["id"] for r in far]
    # another item at the same spot is another problem
    other = queries.nearby_open_cases(conn, lon, lat, "010301")
    conn.commit()
    assert case_id not in [r["id"] for r in other]


def test_the_radius_is_the_tables(conn: psycopg.Connection) -> None:
    case_id, lon, lat = _fresh_case(conn)
    conn.execute("UPDATE cc.input_limit SET value = 100 WHERE code = 'duplicate_radius_m'")
    conn.commit()
    try:
        near = queries.nearby_open_cases(conn, lon, lat + 80 / M_PER_DEG_LAT, "010201")
        conn.commit()
        assert case_id in [r["id"] for r in near]
    finally:
        conn.execute("UPDATE cc.input_limit SET value = 50 WHERE code = 'duplicate_radius_m'")
        conn.commit()


def test_finished_cases_are_not_duplicates(conn: psycopg.Connection) -> None:
    case_id, _ = new_case_in(conn, "closed")
    lon, lat = conn.execute('SELECT lon, lat FROM cc."case" WHERE id = %s', (case_id,)).fetchone()
    conn.commit()
    assert case_id not in [r["id"] for r in queries.nearby_open_cases(conn, lon, lat, "010201")]


def test_a_repeat_report_counts_on_the_case_and_shows_in_its_timeline(conn: psycopg.Connection) -> None:
    case_id, _lon, _lat = _fresh_case(conn)
    before = case_row(conn, case_id)
    wf = Workflow(conn)
    assert wf.add_repeat_report(case_id, "hotline", "又有居民反映 another caller", reporter_name="李四",
                                reporter_phone="13800000000") == 1
    assert wf.add_repeat_report(case_id, "walk_in") == 2
    after = case_row(conn, case_id)
    assert after["repeat_count"] == 2 and after["version"] == before["version"] + 2 and after["state"] == before["state"]
    events = conn.execute("SELECT action, from_state, to_state, data->>'source' FROM cc.case_event "
                          "WHERE case_id = %s AND action = 'repeat' ORDER BY id", (case_id,)).fetchall()
    board = conn.execute("SELECT repeat_count FROM cc.case_board WHERE id = %s", (case_id,)).fetchone()[0]
    conn.commit()
    assert events == [("repeat", before["state"], before["state"], "hotline"),
                      ("repeat", before["state"], before["state"], "walk_in")]
    assert board == 2


def test_a_finished_case_takes_no_repeat(conn: psycopg.Connection) -> None:
    case_id, _ = new_case_in(conn, "closed")
    with pytest.raises(ActionRefused) as refused:
        Workflow(conn).add_repeat_report(case_id, "hotline")
    assert refused.value.sqlstate == "CC001" and "new report" in str(refused.value)
    assert case_row(conn, case_id)["repeat_count"] == 0


def test_the_wall_cannot_and_a_caller_is_private(db, conn: psycopg.Connection) -> None:  # noqa: ANN001
    case_id, _lon, _lat = _fresh_case(conn)
    with sign_in(db, "wall") as wall:
        with pytest.raises(PermissionRefused):
            Workflow(wall).add_repeat_report(case_id, "hotline")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            wall.execute("SELECT reporter_phone FROM cc.repeat_report")
    street = conn.execute("SELECT s.name FROM cc.street s JOIN cc.\"case\" c ON c.street_id = s.id WHERE c.id = %s",
                          (case_id,)).fetchone()[0]
    conn.commit()
    operator = {"东华门街道": "dhm_operator", "东花市街道": "dhs_operator"}.get(street, "dc_operator")
    with sign_in(db, operator) as op:
        Workflow(op).add_repeat_report(case_id, "hotline", reporter_name="王五", reporter_phone="010-65550000")
        phones = [r[0] for r in op.execute("SELECT reporter_phone FROM cc.repeat_report WHERE case_id = %s",
                                           (case_id,))]
        assert "010-65550000" in phones


def test_hostile_input_to_a_repeat_is_refused_and_changes_nothing(conn: psycopg.Connection) -> None:
    case_id, _lon, _lat = _fresh_case(conn)
    wf = Workflow(conn)
    for call in (lambda: wf.add_repeat_report(case_id, "carrier pigeon"),
                 lambda: wf.add_repeat_report(case_id, "hotline", "x" * 5000),
                 lambda: wf.add_repeat_report(case_id, "hotline", reporter_phone="DROP TABLE"),
                 lambda: wf.add_repeat_report(10**12, "hotline")):
        with pytest.raises(CommandCenterError):
            call()
    assert case_row(conn, case_id)["repeat_count"] == 0


def test_another_streets_case_is_out_of_reach(db, conn: psycopg.Connection) -> None:  # noqa: ANN001
    row = conn.execute("SELECT c.id, c.lon, c.lat FROM cc.\"case\" c JOIN cc.street s ON s.id = c.street_id "
                       "JOIN cc.case_state st ON st.code = c.state "
                       "WHERE s.name <> '东华门街道' AND st.is_open ORDER BY c.id LIMIT 1").fetchone()
    conn.commit()
    with sign_in(db, "dhm_operator") as op:
        with pytest.raises(CommandCenterError) as refused:
            Workflow(op).add_repeat_report(row[0], "hotline")
        assert refused.value.sqlstate == "CC008"
        cat = conn.execute('SELECT cat.code FROM cc."case" c JOIN cc.category cat ON cat.id = c.category_id '
                           "WHERE c.id = %s", (row[0],)).fetchone()[0]
        conn.commit()
        assert row[0] not in [r["id"] for r in queries.nearby_open_cases(op, row[1], row[2], cat)]


def test_a_login_cannot_inflate_counts_without_bound(conn: psycopg.Connection) -> None:
    case_id, _lon, _lat = _fresh_case(conn)
    conn.execute("UPDATE cc.input_limit SET value = 2 WHERE code = 'repeats_per_login_day'")
    conn.execute("DELETE FROM cc.repeat_report WHERE taken_by = current_user")
    conn.commit()
    try:
        wf = Workflow(conn)
        wf.add_repeat_report(case_id, "hotline")
        wf.add_repeat_report(case_id, "hotline")
        with pytest.raises(CommandCenterError) as refused:
            wf.add_repeat_report(case_id, "hotline")
        assert refused.value.sqlstate == "CC007"
        assert case_row(conn, case_id)["repeat_count"] == 2
    finally:
        conn.execute("UPDATE cc.input_limit SET value = 500 WHERE code = 'repeats_per_login_day'")
        conn.commit()
