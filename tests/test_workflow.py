"""The closed loop as SQL functions: every allowed and refused transition, versions, tiers."""

from __future__ import annotations

import pytest

from commandcenter.store.commands import Workflow
from commandcenter.store.errors import InvalidArgument, InvalidTransition, PermissionRefused, StaleVersion

from .helpers import case_row, event_count, grid_point, new_case_in

# The specification of the loop, written out independently of cc.state_action.
ALLOWED = {
    "reported": {"file", "reject", "cancel"},
    "filed": {"dispatch", "escalate", "cancel"},
    "returned": {"dispatch", "escalate", "cancel"},
    "dispatched": {"accept", "return", "redispatch", "escalate", "urge", "cancel"},
    "in_progress": {"feedback", "redispatch", "escalate", "urge"},
    "rework": {"feedback", "redispatch", "escalate", "urge"},
    "handled": {"verify_pass", "verify_fail"},
    "closed": {"evaluate"},
    "evaluated": set(),
    "rejected": set(),
    "cancelled": set(),
}
for _open in ("reported", "filed", "returned", "dispatched", "in_progress", "rework", "handled"):
    ALLOWED[_open].add("attach")     # photos are added in every open state, by reporters and handlers
ACTIONS = sorted(set().union(*ALLOWED.values()))
#: the watch on a case (0007): they keep the state and apply only when cc._why_not allows (tests/test_loop.py)
WATCH: dict[str, set[str]] = {s: set() for s in ALLOWED}
for _s in ("dispatched", "in_progress", "rework"):
    WATCH[_s] |= {"request_extension", "approve_extension", "refuse_extension"}
for _s in ("filed", "returned", "dispatched", "in_progress", "rework"):
    WATCH[_s] |= {"suspend", "review_suspension", "resume"}
for _s in ("filed", "returned", "dispatched", "in_progress", "rework", "handled"):
    WATCH[_s] |= {"supervise", "lift_supervision"}
for _s in ("dispatched", "in_progress", "rework", "handled"):
    WATCH[_s].add("reply_supervision")
#: a service request (0010): ordered from a provider by cc.request_service, closed by its completion;
#: cc._why_not keeps them to service requests (tests/test_services.py)
WATCH["filed"].add("order_service")
for _s in ("dispatched", "in_progress"):
    WATCH[_s].add("service_done")


def _attempt(wf: Workflow, action: str, case_id: int, version: int, unit_id: int) -> int:
    """Any action by its code, the way the hall runs it (Workflow.perform)."""
    params = {"note": "测试 test", "unit_id": unit_id, "satisfaction": 4,
              "filename": "p.jpg", "content": b"\xff\xd8\xff\xe0" + b"0" * 64}
    new_version = wf.perform(action, case_id, version, params)
    return version + 1 if action == "attach" else new_version    # a photo changes no version

def _street_unit(conn, case_id: int) -> int:  # noqa: ANN001
    row = conn.execute('SELECT u.id FROM cc.unit u JOIN cc."case" c ON c.street_id = u.street_id '
                       'WHERE c.id = %s ORDER BY u.id LIMIT 1', (case_id,)).fetchone()
    conn.commit()
    return int(row[0])


def test_state_action_table_matches_the_specification(conn) -> None:  # noqa: ANN001
    rows = conn.execute("SELECT from_state, action FROM cc.state_action").fetchall()
    table: dict[str, set[str]] = {s: set() for s in ALLOWED}
    for state, action in rows:
        table[state].add(action)
    assert table == {s: ALLOWED[s] | WATCH[s] for s in ALLOWED}


@pytest.mark.parametrize("state", sorted(ALLOWED))
def test_every_action_in_every_state(conn, state: str) -> None:  # noqa: ANN001
    """Each refused action raises CC001 and changes nothing; each allowed one succeeds."""
    wf = Workflow(conn)
    for action in ACTIONS:
        case_id, version = new_case_in(conn, state)
        before, events_before = case_row(conn, case_id), event_count(conn, case_id)
        unit = _street_unit(conn, case_id)
        if action in ALLOWED[state]:
            new_version = _attempt(wf, action, case_id, version, unit)
            after = case_row(conn, case_id)
            assert new_version == version + 1 == (after["version"] if action != "attach" else version + 1)
            assert event_count(conn, case_id) == events_before + 1
        else:
            with pytest.raises(InvalidTransition) as err:
                _attempt(wf, action, case_id, version, unit)
            assert err.value.sqlstate == "CC001"
            assert case_row(conn, case_id) == before
            assert event_count(conn, case_id) == events_before


def test_full_loop_with_rework_and_evaluation(conn) -> None:  # noqa: ANN001
    wf = Workflow(conn)
    grid_id, lon, lat = grid_point(conn)
    case_id = wf.report("hotline", "010201", "暴露垃圾 exposed garbage", lon, lat,
                        reporter_name="张三", reporter_phone="010-12345678")
    c = case_row(conn, case_id)
    assert (c["state"], c["tier"], c["grid_id"], c["version"]) == ("reported", "street", grid_id, 1)
    assert c["file_deadline"] > c["reported_at"]
    v = wf.file(case_id, 1)
    unit = _street_unit(conn, case_id)
    v = wf.dispatch(case_id, v, unit_id=unit, note="请尽快 please hurry")
    c = case_row(conn, case_id)
    assert c["state"] == "dispatched" and c["assignee_unit_id"] == unit and c["handle_deadline"] is not None
    v = wf.accept(case_id, v)
    v = wf.feedback(case_id, v, "已清理 cleaned")
    v = wf.verify(case_id, v, False, "仍有垃圾 still there")
    c = case_row(conn, case_id)
    assert (c["state"], c["rework_count"]) == ("rework", 1)
    v = wf.feedback(case_id, v, "已彻底清理 cleaned again")
    v = wf.verify(case_id, v, True)
    v = wf.evaluate(case_id, v, 5, "满意 satisfied")
    c = case_row(conn, case_id)
    assert (c["state"], c["satisfaction"], c["version"]) == ("evaluated", 5, v)
    actions = [r[0] for r in conn.execute(
        "SELECT action FROM cc.case_event WHERE case_id = %s ORDER BY id", (case_id,))]
    assert actions == ["report", "file", "dispatch", "accept", "feedback", "verify_fail", "feedback",
                       "verify_pass", "evaluate"]


def test_stale_version_is_refused_with_who_and_when(conn) -> None:  # noqa: ANN001
    wf = Workflow(conn)
    case_id, version = new_case_in(conn, "reported")
    wf.file(case_id, version, note="first")
    before = case_row(conn, case_id)
    with pytest.raises(StaleVersion) as err:
        wf.reject(case_id, version, "second supervisor, too late")
    assert "was changed by" in err.value.message and f"version {version + 1}" in err.value.message
    assert "Reload" in (err.value.hint or "")
    assert case_row(conn, case_id) == before


def test_escalation_climbs_tiers_and_stops_at_the_district(conn) -> None:  # noqa: ANN001
    wf = Workflow(conn)
    _, lon, lat = grid_point(conn)
    case_id = wf.report("patrol", "010401", "违法建设 illegal construction", lon, lat)
    assert case_row(conn, case_id)["tier"] == "grid"
    v = wf.file(case_id, 1)
    v = wf.escalate(case_id, v, "街道处理 street")
    assert case_row(conn, case_id)["tier"] == "street"
    v = wf.escalate(case_id, v, "区级协调 district")
    c = case_row(conn, case_id)
    assert (c["tier"], c["state"], c["escalation_count"]) == ("district", "filed", 2)
    with pytest.raises(InvalidTransition, match="already handled by the district"):
        wf.escalate(case_id, v, "higher")
    assert case_row(conn, case_id) == c


def test_return_sends_the_case_back_for_dispatch(conn) -> None:  # noqa: ANN001
    wf = Workflow(conn)
    case_id, version = new_case_in(conn, "dispatched")
    v = wf.return_case(case_id, version, "非本辖区 wrong jurisdiction")
    c = case_row(conn, case_id)
    assert (c["state"], c["assignee_unit_id"], c["return_count"] >= 1) == ("returned", None, True)
    v = wf.dispatch(case_id, v, unit_id=_street_unit(conn, case_id))
    assert case_row(conn, case_id)["state"] == "dispatched"


def test_micro_loop_closes_after_verification_without_dispatch(conn) -> None:  # noqa: ANN001
    wf = Workflow(conn)
    grid_id, lon, lat = grid_point(conn)
    manager = conn.execute("SELECT person_id FROM cc.grid_assignment WHERE grid_id = %s AND role_code = "
                           "'grid_manager'", (grid_id,)).fetchone()[0]
    case_id = wf.report("patrol", "030102", "楼道堆物已清 cleared on the spot", lon, lat,
                        reporter_person_id=manager, solved_on_spot=True)
    c = case_row(conn, case_id)
    assert (c["state"], c["tier"], c["dispatched_at"]) == ("handled", "grid", None)
    wf.verify(case_id, 1, True)
    assert case_row(conn, case_id)["state"] == "closed"


def test_micro_loop_needs_staff_of_the_grid(conn) -> None:  # noqa: ANN001
    wf = Workflow(conn)
    _, lon, lat = grid_point(conn)
    before = event_count(conn)
    # closing on the spot is a grid staff member's right, so its refusal is a permission (42501)
    with pytest.raises(PermissionRefused, match="only staff of grid"):
        wf.report("hotline", "030102", "x", lon, lat, solved_on_spot=True)
    assert event_count(conn) == before


def test_allowed_actions_come_from_the_database(conn) -> None:  # noqa: ANN001
    wf = Workflow(conn)
    case_id, _ = new_case_in(conn, "handled")
    offered = {a["action"] for a in wf.allowed_actions(case_id)}
    assert offered == ALLOWED["handled"] | {"supervise"}      # of the watch, only what applies now
    cancel = [a for a in wf.allowed_actions(new_case_in(conn, "filed")[0]) if a["action"] == "cancel"]
    assert cancel and cancel[0]["irreversible"] and cancel[0]["needs_note"]


def test_reasons_are_required_where_they_matter(conn) -> None:  # noqa: ANN001
    wf = Workflow(conn)
    case_id, version = new_case_in(conn, "reported")
    before = case_row(conn, case_id)
    with pytest.raises(InvalidArgument, match="needs a reason"):
        wf.reject(case_id, version, "  ")
    with pytest.raises(InvalidArgument, match="at most 2000"):
        wf.file(case_id, version, note="长" * 2001)
    assert case_row(conn, case_id) == before


def test_satisfaction_must_be_one_to_five(conn) -> None:  # noqa: ANN001
    wf = Workflow(conn)
    case_id, version = new_case_in(conn, "closed")
    with pytest.raises(InvalidArgument, match="satisfaction"):
        wf.evaluate(case_id, version, 6)
    assert case_row(conn, case_id)["state"] == "closed"


def test_dispatch_needs_one_assignee_of_the_right_street(conn) -> None:  # noqa: ANN001
    wf = Workflow(conn)
    case_id, version = new_case_in(conn, "filed")
    before = case_row(conn, case_id)
    with pytest.raises(InvalidArgument, match="exactly one assignee"):
        wf.dispatch(case_id, version)
    other = conn.execute('SELECT u.id FROM cc.unit u, cc."case" c WHERE c.id = %s AND u.street_id <> c.street_id '
                         "LIMIT 1", (case_id,)).fetchone()[0]
    with pytest.raises(InvalidArgument, match="another street"):
        wf.dispatch(case_id, version, unit_id=other)
    assert case_row(conn, case_id) == before


def test_only_administrators_may_move_the_clock(login_role, conn) -> None:  # noqa: ANN001
    import psycopg

    street = conn.execute("SELECT min(id) FROM cc.street").fetchone()[0]
    dsn = login_role(["cc_operator"], street_id=street)
    with psycopg.connect(dsn) as c:
        c.execute("SET cc.clock = '2020-01-01'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="only administrators"):
            c.execute("SELECT cc.clock()")


def test_operator_cannot_dispatch_and_street_cannot_touch_another_street(login_role, conn) -> None:  # noqa: ANN001
    import psycopg

    case_id, version = new_case_in(conn, "filed")
    street = case_row(conn, case_id)["street_id"]
    other_street = conn.execute("SELECT min(id) FROM cc.street WHERE id <> %s", (street,)).fetchone()[0]
    unit = _street_unit(conn, case_id)
    before = case_row(conn, case_id)
    with psycopg.connect(login_role(["cc_operator"], street_id=street)) as c:
        with pytest.raises(PermissionRefused, match="supervisor"):
            Workflow(c).dispatch(case_id, version, unit_id=unit)
    with psycopg.connect(login_role(["cc_supervisor"], street_id=other_street)) as c:
        from commandcenter.store.errors import NotFound

        with pytest.raises(NotFound, match="outside your area"):
            Workflow(c).dispatch(case_id, version, unit_id=unit)
    assert case_row(conn, case_id) == before


def test_the_recommended_assignee_comes_first(conn) -> None:  # noqa: ANN001
    """For a department's item and a grid role's item alike (the first once came ninth)."""
    seen = set()
    for handler in ("handler_department", "handler_role"):
        case_id = conn.execute(
            f'SELECT c.id FROM cc."case" c JOIN cc.category cat ON cat.id = c.category_id '
            f"WHERE c.state = 'filed' AND cat.{handler} IS NOT NULL ORDER BY c.id LIMIT 1").fetchone()
        conn.commit()
        if case_id is None:
            continue
        rows = conn.execute("SELECT recommended FROM cc.dispatch_options(%s)", (case_id[0],)).fetchall()
        conn.commit()
        assert all(r[0] is not None for r in rows)
        assert rows[0][0] is True, rows
        seen.add(handler)
    assert seen, "the demo has filed cases"
