"""Each rule has one home (issue 11): limits in cc.input_limit, warn_at in the board view, the
key figures as SQL functions, from-states taken from the case, one capability rule per action.
Each test changes the rule where it lives and checks that every reader follows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import psycopg
import pytest

from commandcenter.store import queries
from commandcenter.store.commands import Workflow
from commandcenter.store.errors import ActionRefused, CommandCenterError
from tests.helpers import a_case_in, new_case_in, sign_in


@pytest.fixture()
def limit(conn: psycopg.Connection) -> Iterator:  # noqa: ANN001
    """Set a row of cc.input_limit for one test, restored afterwards."""
    saved: dict[str, int] = {}

    def set_limit(code: str, value: int) -> None:
        saved.setdefault(code, conn.execute("SELECT value FROM cc.input_limit WHERE code = %s", (code,)).fetchone()[0])
        conn.execute("UPDATE cc.input_limit SET value = %s WHERE code = %s", (value, code))
        conn.commit()

    yield set_limit
    for code, value in saved.items():
        conn.execute("UPDATE cc.input_limit SET value = %s WHERE code = %s", (value, code))
    conn.commit()


def test_note_and_title_bounds_come_from_the_limits_table(conn: psycopg.Connection, limit) -> None:  # noqa: ANN001
    wf = Workflow(conn)
    case_id, version = a_case_in(conn, "dispatched")
    limit("note_chars", 50)
    with pytest.raises(CommandCenterError) as refused:
        wf.urge(case_id, version, "催" * 60)
    assert "at most 50" in str(refused.value)
    assert wf.urge(case_id, version, "催" * 50) == version + 1
    limit("title_chars", 10)
    lon, lat = conn.execute('SELECT lon, lat FROM cc."case" WHERE id = %s', (case_id,)).fetchone()
    conn.commit()
    with pytest.raises(CommandCenterError) as refused:
        wf.report("hotline", "010201", "标题" * 6, lon, lat)
    assert "at most 10" in str(refused.value)


def test_the_client_reads_the_limits_it_shows(conn: psycopg.Connection, limit) -> None:  # noqa: ANN001
    limit("note_chars", 777)
    assert queries.reference(conn).limits["note_chars"] == 777


def test_photo_limits_come_from_the_table(conn: psycopg.Connection, limit) -> None:  # noqa: ANN001
    wf = Workflow(conn)
    case_id, _ = new_case_in(conn, "dispatched")
    jpeg = b"\xff\xd8\xff\xe0" + b"0" * 100
    limit("photos_per_case", 2)
    wf.add_attachment(case_id, "a.jpg", jpeg)
    wf.add_attachment(case_id, "b.jpg", jpeg)
    with pytest.raises(CommandCenterError) as refused:
        wf.add_attachment(case_id, "c.jpg", jpeg)
    assert "has 2 photos already" in str(refused.value)
    limit("photo_bytes", 50)
    other, _ = new_case_in(conn, "dispatched")
    with pytest.raises(CommandCenterError) as refused:
        wf.add_attachment(other, "big.jpg", jpeg)
    assert "at most 50 bytes" in str(refused.value)


def test_warn_at_follows_the_limit_and_closed_cases_have_no_deadline(conn: psycopg.Connection, limit) -> None:  # noqa: ANN001
    limit("deadline_warn_minutes", 45)
    rows = conn.execute("SELECT is_open, deadline, warn_at, overdue FROM cc.case_board").fetchall()
    conn.commit()
    assert any(r[1] is not None for r in rows)
    for is_open, deadline, warn_at, overdue in rows:
        if not is_open:
            assert deadline is None and warn_at is None and overdue is None
        elif deadline is not None:
            assert deadline - warn_at == timedelta(minutes=45)


def test_an_event_records_the_state_the_case_was_in(conn: psycopg.Connection) -> None:
    """Let `file` start from `returned` too, in the table only: the event must say `returned`
    (the function once logged a typed-in 'reported')."""
    conn.execute("INSERT INTO cc.state_action (from_state, action, to_state) VALUES ('returned', 'file', 'filed')")
    conn.commit()
    try:
        case_id, version = new_case_in(conn, "returned")
        Workflow(conn).file(case_id, version)
        last = conn.execute("SELECT action, from_state, to_state FROM cc.case_event WHERE case_id = %s "
                            "ORDER BY id DESC LIMIT 1", (case_id,)).fetchone()
        assert last == ("file", "returned", "filed")
    finally:
        conn.rollback()
        conn.execute("DELETE FROM cc.state_action WHERE from_state = 'returned' AND action = 'file'")
        conn.commit()


def test_every_event_chains_from_the_previous_state(conn: psycopg.Connection) -> None:
    broken = conn.execute(
        "SELECT count(*) FROM (SELECT from_state, lag(to_state) OVER (PARTITION BY case_id ORDER BY id) AS before, "
        "       action FROM cc.case_event) e "
        "WHERE before IS NOT NULL AND from_state IS DISTINCT FROM before").fetchone()[0]
    conn.commit()
    assert broken == 0


def test_who_may_attach_is_one_rule_for_the_list_and_the_function(db, login_role, conn) -> None:  # noqa: ANN001
    case_id, _ = new_case_in(conn, "dispatched")
    unit = conn.execute('SELECT assignee_unit_id, street_id FROM cc."case" WHERE id = %s', (case_id,)).fetchone()
    conn.commit()
    handler = login_role(["cc_handler"], street_id=unit[1], unit_id=unit[0])
    with psycopg.connect(handler) as h:
        allowed = dict(h.execute("SELECT action, permitted FROM cc.allowed_actions(%s)", (case_id,)).fetchall())
        h.commit()
        assert allowed.get("attach") is True          # the list offers it …
        Workflow(h).add_attachment(case_id, "after.jpg", b"\xff\xd8\xff\xe0" + b"1" * 64)   # … and it works
    with sign_in(db, "wall") as wall:
        allowed = dict(wall.execute("SELECT action, permitted FROM cc.allowed_actions(%s)", (case_id,)).fetchall())
        wall.commit()
        assert allowed.get("attach") is False
        with pytest.raises(ActionRefused) as refused:
            Workflow(wall).add_attachment(case_id, "x.jpg", b"\xff\xd8\xff\xe0" + b"1" * 64)
        assert "reporter or handler" in str(refused.value)


# ---------------------------------------------------------------- key figures by hand

DAY = datetime.fromisoformat("2030-01-10T00:00:00+08:00")


def _at(conn: psycopg.Connection, hours: float) -> None:
    conn.execute("SELECT set_config('cc.clock', %s, false)", ((DAY + timedelta(hours=hours)).isoformat(),))
    conn.commit()


def test_key_figures_counted_by_hand(db, conn, login_role) -> None:  # noqa: ANN001
    """A day far from the demo's history: three reports in two streets, one case carried
    through to closed on time; the figures for the day, half the day and one street."""
    streets = conn.execute(
        "SELECT DISTINCT ON (c.street_id) c.street_id, c.lon, c.lat FROM cc.\"case\" c ORDER BY c.street_id, c.id LIMIT 2"
    ).fetchall()
    conn.commit()
    (sa, lon_a, lat_a), (sb, lon_b, lat_b) = streets
    wf = Workflow(conn)
    try:
        _at(conn, 9)
        c1 = wf.report("hotline", "010201", "测试 a1", lon_a, lat_a)
        wf.report("hotline", "010201", "测试 a2", lon_a, lat_a)
        wf.report("hotline", "010201", "测试 b1", lon_b, lat_b)
        _at(conn, 10)
        v = wf.file(c1, 1)
        unit = conn.execute("SELECT id FROM cc.unit WHERE street_id = %s ORDER BY id LIMIT 1", (sa,)).fetchone()[0]
        conn.commit()
        _at(conn, 11)
        v = wf.dispatch(c1, v, unit_id=unit)
        v = wf.accept(c1, v)
        _at(conn, 12.5)
        v = wf.feedback(c1, v, "已处理 done")
        _at(conn, 13)
        wf.verify(c1, v, True, "核查 ok")
    finally:
        conn.execute("RESET cc.clock")
        conn.commit()

    def kpi(f: float, t: float, street: int | None = None) -> tuple:
        row = conn.execute("SELECT reported, filed, dispatched, closed, handled_judged, handled_on_time, "
                           "handled_on_time_rate FROM cc.kpi(%s, %s, %s)",
                           (DAY + timedelta(hours=f), DAY + timedelta(hours=t), street)).fetchone()
        conn.commit()
        return tuple(row)

    assert kpi(0, 24) == (3, 1, 1, 1, 1, 1, 100)
    assert kpi(0, 12) == (3, 1, 1, 0, 0, 0, None)          # closed after the period ends
    assert kpi(12, 24) == (0, 0, 0, 1, 1, 1, 100)
    assert kpi(0, 24, sb) == (1, 0, 0, 0, 0, 0, None)
    assert kpi(0, 24, sa) == (2, 1, 1, 1, 1, 1, 100)
    # a street sub-centre counts its own street only, whatever street it asks for
    with psycopg.connect(login_role(["cc_operator"], street_id=sb)) as op:
        assert op.execute("SELECT reported FROM cc.kpi(%s, %s)", (DAY, DAY + timedelta(days=1))).fetchone()[0] == 1
        assert op.execute("SELECT reported FROM cc.kpi(%s, %s, %s)",
                          (DAY, DAY + timedelta(days=1), sa)).fetchone()[0] == 0


# ---------------------------------------------------------------- the recommended assignee

def _recommended(conn: psycopg.Connection, case_id: int) -> tuple[str, int]:
    rows = conn.execute("SELECT kind, id FROM cc.dispatch_options(%s) WHERE recommended", (case_id,)).fetchall()
    conn.commit()
    assert len(rows) == 1, rows             # exactly one ★
    return rows[0]


def test_one_recommended_assignee_and_never_the_one_that_returned_it(conn: psycopg.Connection) -> None:
    case_id, version = new_case_in(conn, "filed", category="010201")
    kind, first = _recommended(conn, case_id)
    wf = Workflow(conn)
    v = wf.dispatch(case_id, version, **{f"{kind}_id": first})
    v = wf.return_case(case_id, v, "非本单位 not ours")
    again = _recommended(conn, case_id)
    assert again != (kind, first)


def test_the_district_loop_recommends_the_district_unit_of_the_item(conn: psycopg.Connection) -> None:
    case_id, version = new_case_in(conn, "filed")
    Workflow(conn).escalate(case_id, version, "街道无法解决 beyond the street")
    kind, unit = _recommended(conn, case_id)
    street, dept, want = conn.execute(
        "SELECT u.street_id, d.code, coalesce(cat.handler_department, 'city_command') FROM cc.unit u "
        "JOIN cc.department d ON d.id = u.department_id, cc.\"case\" c JOIN cc.category cat ON cat.id = c.category_id "
        "WHERE u.id = %s AND c.id = %s", (unit, case_id)).fetchone()
    conn.commit()
    assert kind == "unit" and street is None and dept == want


def test_a_handler_tied_to_no_unit_or_person_handles_nothing(db, login_role, conn) -> None:  # noqa: ANN001
    case_id, version = new_case_in(conn, "dispatched")
    street = conn.execute('SELECT street_id FROM cc."case" WHERE id = %s', (case_id,)).fetchone()[0]
    conn.commit()
    with psycopg.connect(login_role(["cc_handler"], street_id=street)) as h:
        allowed = dict(h.execute("SELECT action, permitted FROM cc.allowed_actions(%s)", (case_id,)).fetchall())
        h.commit()
        assert allowed.get("accept") is False
        with pytest.raises(ActionRefused):
            Workflow(h).accept(case_id, version)


def test_the_callers_name_bound_comes_from_the_table(conn: psycopg.Connection, limit) -> None:  # noqa: ANN001
    case_id, _ = a_case_in(conn, "filed")
    lon, lat = conn.execute('SELECT lon, lat FROM cc."case" WHERE id = %s', (case_id,)).fetchone()
    conn.commit()
    limit("caller_name_chars", 4)
    with pytest.raises(CommandCenterError) as refused:
        Workflow(conn).report("hotline", "010201", "测试 caller", lon, lat, reporter_name="欧阳修远先生")
    assert "at most 4" in str(refused.value)
