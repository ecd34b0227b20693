"""The end of the loop in SQL (migration 0007): extension, suspension and supervision — each
through its function, refused with a clear message in the wrong state or role, and leaving
the case as it was when refused."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import psycopg
import pytest

from commandcenter.store import errors
from commandcenter.store.commands import Workflow

from .helpers import case_row, new_case_in

BJ = ZoneInfo("Asia/Shanghai")


def at(conn: psycopg.Connection, when: datetime | None) -> None:
    """Set (or reset) the workflow clock of this administrator's session."""
    if when is None:
        conn.execute("RESET cc.clock")
    else:
        conn.execute("SELECT set_config('cc.clock', %s, false)", (when.isoformat(),))
    conn.commit()


def assignee_login(conn: psycopg.Connection, login_role, case_id: int) -> str:  # noqa: ANN001
    """A handler console of the unit the case is assigned to."""
    unit, street = conn.execute('SELECT assignee_unit_id, street_id FROM cc."case" WHERE id = %s',
                                (case_id,)).fetchone()
    return login_role(["cc_handler"], street_id=street, unit_id=unit)


def actions(conn: psycopg.Connection, case_id: int) -> set[str]:
    return {a["action"] for a in Workflow(conn).allowed_actions(case_id)}


def test_an_assignee_asks_for_more_time_and_a_supervisor_decides(conn, login_role) -> None:  # noqa: ANN001
    case_id, v = new_case_in(conn, "in_progress")
    handler = psycopg.connect(assignee_login(conn, login_role, case_id))
    hw = Workflow(handler)
    old = case_row(conn, case_id)["handle_deadline"]
    assert "request_extension" in actions(handler, case_id)
    assert not {"approve_extension", "refuse_extension"} & actions(conn, case_id)    # nothing waits yet
    with pytest.raises(errors.ActionRefused, match="needs a reason"):
        hw.request_extension(case_id, v, old + timedelta(days=2), "  ")
    with pytest.raises(errors.ActionRefused, match="not later than the current one"):
        hw.request_extension(case_id, v, old - timedelta(minutes=1), "需要更多时间")
    assert case_row(conn, case_id)["version"] == v                        # refused: nothing changed
    v = hw.request_extension(case_id, v, old + timedelta(days=3), "需协调产权单位 owner to be found")
    row = case_row(conn, case_id)
    assert row["extension_pending"] and row["handle_deadline"] == old    # asked, not yet granted
    with pytest.raises(errors.InvalidTransition, match="already waiting"):
        hw.request_extension(case_id, v, old + timedelta(days=4), "again")
    with pytest.raises(errors.PermissionRefused, match="supervisor"):
        hw.decide_extension(case_id, v, True)                             # a handler cannot grant itself time
    assert {"approve_extension", "refuse_extension"} <= actions(conn, case_id)
    granted = old + timedelta(days=2)
    v = Workflow(conn).decide_extension(case_id, v, True, granted, "同意两天 two days")
    row = case_row(conn, case_id)
    assert (row["handle_deadline"], row["extension_count"], row["extension_pending"]) == (granted, 1, False)
    x = conn.execute("SELECT approved, requested_deadline, granted_deadline FROM cc.extension WHERE case_id = %s",
                     (case_id,)).fetchone()
    assert x == (True, old + timedelta(days=3), granted)
    events = [r[0] for r in conn.execute("SELECT action FROM cc.case_event WHERE case_id = %s ORDER BY id",
                                         (case_id,))]
    assert events[-2:] == ["request_extension", "approve_extension"]
    # a second request refused (with a reason), a third granted, then the limit (2) holds
    v = hw.request_extension(case_id, v, granted + timedelta(days=1), "仍需时间 still more")
    with pytest.raises(errors.ActionRefused, match="needs a reason"):
        Workflow(conn).decide_extension(case_id, v, False)
    v = Workflow(conn).decide_extension(case_id, v, False, note="理由不足 not justified")
    assert case_row(conn, case_id)["handle_deadline"] == granted
    v = hw.request_extension(case_id, v, granted + timedelta(days=1), "最后一次 last time")
    v = Workflow(conn).decide_extension(case_id, v, True)                 # the requested date
    assert case_row(conn, case_id)["extension_count"] == 2
    assert "request_extension" not in actions(handler, case_id)
    with pytest.raises(errors.InvalidTransition, match="at most 2"):
        hw.request_extension(case_id, v, granted + timedelta(days=5), "more")
    handler.close()


def test_a_pending_request_lapses_when_the_case_is_reassigned(conn, login_role) -> None:  # noqa: ANN001
    case_id, v = new_case_in(conn, "in_progress")
    handler = psycopg.connect(assignee_login(conn, login_role, case_id))
    old = case_row(conn, case_id)["handle_deadline"]
    v = Workflow(handler).request_extension(case_id, v, old + timedelta(days=1), "等待材料 waiting for parts")
    other = conn.execute('SELECT u.id FROM cc.unit u JOIN cc."case" c ON c.street_id = u.street_id '
                         "WHERE c.id = %s AND u.id <> c.assignee_unit_id ORDER BY u.id LIMIT 1", (case_id,)).fetchone()[0]
    Workflow(conn).redispatch(case_id, v, unit_id=other, note="改派 to another unit")
    assert not case_row(conn, case_id)["extension_pending"]
    assert conn.execute("SELECT approved, decision_note LIKE 'lapsed%%' FROM cc.extension WHERE case_id = %s",
                        (case_id,)).fetchone() == (False, True)
    handler.close()


@pytest.mark.parametrize(("urgency", "expected"), [
    # normal: handling in working hours. Stopped Mon 16:30 with the deadline Tue 10:30: 60 + 120 =
    # 180 working minutes left; resumed Thu 11:00 → 11:00–12:00 (60) + 13:00–15:00 (120) = Thu 15:00.
    ("normal", datetime(2026, 3, 5, 15, 0, tzinfo=BJ)),
    # critical: a continuous clock (hours). 18 h left → Thu 11:00 + 18 h = Fri 05:00.
    ("critical", datetime(2026, 3, 6, 5, 0, tzinfo=BJ)),
])
def test_a_suspended_case_stops_its_clock_and_resumes_with_what_was_left(conn, urgency, expected) -> None:  # noqa: ANN001
    wf = Workflow(conn)
    try:
        at(conn, datetime(2026, 3, 2, 9, 0, tzinfo=BJ))                  # Monday
        case_id, v = new_case_in(conn, "dispatched")
        conn.execute('UPDATE cc."case" SET urgency = %s, handle_deadline = %s WHERE id = %s',
                     (urgency, datetime(2026, 3, 3, 10, 30, tzinfo=BJ), case_id))
        conn.commit()
        at(conn, datetime(2026, 3, 2, 16, 30, tzinfo=BJ))
        with pytest.raises(errors.ActionRefused, match="review date"):
            wf.suspend(case_id, v, "budget", "待资金 awaiting funds", date(2026, 3, 2))    # not after today
        with pytest.raises(errors.ActionRefused, match="unknown reason"):
            wf.suspend(case_id, v, "whim", "no", date(2026, 4, 1))
        v = wf.suspend(case_id, v, "budget", "待资金 awaiting funds", date(2026, 4, 1))
        board = conn.execute("SELECT deadline, overdue, suspended_at, suspension_review_on FROM cc.case_board "
                             "WHERE id = %s", (case_id,)).fetchone()
        assert board[0] is None and not board[1] and board[3] == date(2026, 4, 1)     # no running clock
        assert actions(conn, case_id) >= {"resume", "review_suspension"}
        assert not {"accept", "urge", "escalate", "suspend"} & actions(conn, case_id)
        with pytest.raises(errors.InvalidTransition, match="suspended"):
            wf.accept(case_id, v)
        assert case_row(conn, case_id)["state"] == "dispatched"
        at(conn, datetime(2026, 3, 4, 9, 0, tzinfo=BJ))
        v = wf.review_suspension(case_id, v, date(2026, 5, 1), "仍待资金 still waiting")
        assert case_row(conn, case_id)["suspension_review_on"] == date(2026, 5, 1)
        at(conn, datetime(2026, 3, 5, 11, 0, tzinfo=BJ))
        v = wf.resume(case_id, v, "资金到位 funded")
        row = case_row(conn, case_id)
        assert row["handle_deadline"] == expected and row["suspended_at"] is None
        s = conn.execute("SELECT review_on, resumed_at FROM cc.suspension WHERE case_id = %s", (case_id,)).fetchone()
        assert s == (date(2026, 5, 1), datetime(2026, 3, 5, 11, 0, tzinfo=BJ))
        assert "accept" in actions(conn, case_id)
    finally:
        at(conn, None)


def test_working_minutes_between_two_moments(conn) -> None:  # noqa: ANN001
    def wm(a: datetime, b: datetime) -> float:
        return float(conn.execute("SELECT cc.work_minutes_between(%s, %s)", (a, b)).fetchone()[0])
    assert wm(datetime(2026, 3, 2, 16, 30, tzinfo=BJ), datetime(2026, 3, 3, 10, 30, tzinfo=BJ)) == 180
    assert wm(datetime(2026, 3, 3, 10, 30, tzinfo=BJ), datetime(2026, 3, 2, 16, 30, tzinfo=BJ)) == -180
    # Friday 17:00 to Monday 09:00: 30 + 30 minutes; the weekend counts nothing
    assert wm(datetime(2026, 3, 6, 17, 0, tzinfo=BJ), datetime(2026, 3, 9, 9, 0, tzinfo=BJ)) == 60
    # the National Day week (holidays) counts nothing
    assert wm(datetime(2026, 10, 1, 0, 0, tzinfo=BJ), datetime(2026, 10, 8, 0, 0, tzinfo=BJ)) == 0


def test_supervision_levels_replies_and_who_may_lift(conn, login_role) -> None:  # noqa: ANN001
    case_id, v = new_case_in(conn, "in_progress")
    street = case_row(conn, case_id)["street_id"]
    sub_centre = psycopg.connect(login_role(["cc_supervisor"], street_id=street))
    sw = Workflow(sub_centre)
    due = datetime.now(BJ) + timedelta(days=2)
    with pytest.raises(errors.PermissionRefused, match="street-level supervision only"):
        sw.supervise(case_id, v, "district", due, "区级督办")
    with pytest.raises(errors.ActionRefused, match="reply deadline"):
        sw.supervise(case_id, v, "street", datetime.now(BJ) + timedelta(days=90), "too far")
    with pytest.raises(errors.ActionRefused, match="unknown supervision level"):
        sw.supervise(case_id, v, "mayor", due, "x")
    assert case_row(conn, case_id)["version"] == v
    v = Workflow(conn).supervise(case_id, v, "district", due, "群众反映强烈 residents keep calling")
    board = conn.execute("SELECT supervision_level, supervision_reply_due FROM cc.case_board WHERE id = %s",
                         (case_id,)).fetchone()
    assert board[0] == "district" and abs((board[1] - due).total_seconds()) < 1
    with pytest.raises(errors.InvalidTransition, match="already under supervision"):
        Workflow(conn).supervise(case_id, v, "leader", due, "x")
    handler = psycopg.connect(assignee_login(conn, login_role, case_id))
    v = Workflow(handler).reply_supervision(case_id, v, "已安排明日施工 work starts tomorrow")
    assert case_row(conn, case_id)["supervision_replied_at"] is not None
    with pytest.raises(errors.InvalidTransition, match="answered already"):
        Workflow(handler).reply_supervision(case_id, v, "again")
    with pytest.raises(errors.PermissionRefused, match="cannot lift"):
        sw.lift_supervision(case_id, v)
    v = Workflow(conn).lift_supervision(case_id, v, "已落实 done")
    row = case_row(conn, case_id)
    assert row["supervision_level"] is None and row["supervision_reply_due"] is None
    assert conn.execute("SELECT lifted_at IS NOT NULL, reply IS NOT NULL FROM cc.supervision WHERE case_id = %s",
                        (case_id,)).fetchone() == (True, True)
    sub_centre.close()
    handler.close()


def test_closing_a_case_ends_its_supervision(conn) -> None:  # noqa: ANN001
    case_id, v = new_case_in(conn, "handled")
    wf = Workflow(conn)
    v = wf.supervise(case_id, v, "leader", datetime.now(BJ) + timedelta(days=1), "领导批示 leader's instruction")
    v = wf.verify(case_id, v, True, "核查通过")
    row = case_row(conn, case_id)
    assert row["state"] == "closed" and row["supervision_level"] is None
    assert conn.execute("SELECT lifted_at IS NOT NULL FROM cc.supervision WHERE case_id = %s",
                        (case_id,)).fetchone()[0]


def test_the_lowest_consoles_cannot_use_the_new_actions(conn, login_role) -> None:  # noqa: ANN001
    case_id, v = new_case_in(conn, "in_progress")
    street = case_row(conn, case_id)["street_id"]
    other_street = conn.execute("SELECT id FROM cc.street WHERE id <> %s ORDER BY id LIMIT 1", (street,)).fetchone()[0]
    wall = psycopg.connect(login_role(["cc_wall"]))
    operator = psycopg.connect(login_role(["cc_operator"], street_id=street))
    stranger = psycopg.connect(login_role(["cc_supervisor"], street_id=other_street))
    later = datetime.now(BJ) + timedelta(days=3)
    for console, expected in ((wall, errors.PermissionRefused), (operator, errors.PermissionRefused),
                              (stranger, errors.ActionRefused)):
        w = Workflow(console)
        with pytest.raises(expected):
            w.suspend(case_id, v, "court", "x", date.today() + timedelta(days=10))
        with pytest.raises(expected):
            w.supervise(case_id, v, "street", later, "x")
        with pytest.raises(expected):
            w.request_extension(case_id, v, later, "x")
    with pytest.raises(errors.ActionRefused, match="outside your area"):
        Workflow(stranger).resume(case_id, v)
    # hostile text and values through a console that may act
    boss = Workflow(conn)
    with pytest.raises(errors.ActionRefused, match="2000"):
        boss.supervise(case_id, v, "street", later, "督" * 5000)
    with pytest.raises(errors.ActionRefused, match="review date"):
        boss.suspend(case_id, v, "court", "x", date(9999, 12, 31))
    with pytest.raises(errors.ActionRefused, match="reply deadline"):
        boss.supervise(case_id, v, "street", None, "x")  # type: ignore[arg-type]
    with pytest.raises(errors.StaleVersion):
        boss.supervise(case_id, v - 1, "street", later, "x")
    assert case_row(conn, case_id)["version"] == v
    for c in (wall, operator, stranger):
        c.close()


@pytest.mark.parametrize(("a", "b"), [("-infinity", "2026-01-01"), ("4713-01-01 BC", "294275-01-01"),
                                      ("2026-01-01", "2040-01-01")])
def test_working_time_refuses_what_it_cannot_count_with_a_clear_message(db, a: str, b: str) -> None:  # noqa: ANN001
    from .helpers import sign_in
    with sign_in(db, "wall") as c:
        with pytest.raises(psycopg.Error) as refused:
            c.execute("SELECT cc.work_minutes_between(%s, %s)", (a, b))
        assert refused.value.sqlstate == "CC009"
