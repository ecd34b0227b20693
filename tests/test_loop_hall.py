"""The end of the loop in the hall: the detail offers suspension, supervision and extension
where the database allows them, their dialogs send what the functions need, and the board,
its watch filter, the detail's badges and the wall show the result."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import psycopg
import pytest
from PySide6.QtCore import QDateTime, Qt

from commandcenter.domain.board import COLUMNS
from commandcenter.store.commands import Workflow
from commandcenter.ui.loop_dialogs import LoopDialog
from commandcenter.ui.main_window import HallWindow
from commandcenter.ui.wall import WallWindow

from .helpers import case_row, new_case_in
from .ui_support import hall_session, settle


@pytest.fixture()
def hall(qtbot, db):  # noqa: ANN001, ANN201
    with hall_session(db.dsn) as session:
        w = HallWindow(session, restore_last=False)
        qtbot.addWidget(w)
        w.resize(1600, 950)
        w.show()
        settle(qtbot, session)
        yield w
        w.close()


def _open_action(qtbot, hall, case_id: int, version: int, action: str) -> LoopDialog:  # noqa: ANN001
    qtbot.waitUntil(lambda: case_id in hall.session.live.rows
                    and hall.session.live.rows[case_id].version == version, timeout=10000)
    hall.session.selection.select_case(case_id)
    qtbot.waitUntil(lambda: action in hall.detail.action_buttons
                    and hall.detail.detail is not None and hall.detail.detail.case["version"] == version,
                    timeout=10000)
    hall.detail.action_buttons[action].click()
    qtbot.waitUntil(lambda: isinstance(hall.runner.dialog, LoopDialog), timeout=5000)
    dialog = hall.runner.dialog
    assert isinstance(dialog, LoopDialog)
    return dialog


def _cell(hall, case_id: int, column: str) -> str:  # noqa: ANN001
    model = hall.board_model
    row = model.view_row_of(case_id)
    assert row is not None
    return model.data(model.index(row, COLUMNS.index(column)))


def test_suspend_from_the_detail_then_the_board_and_filter_show_the_hold(qtbot, hall, conn) -> None:  # noqa: ANN001
    case_id, v = new_case_in(conn, "dispatched")
    dialog = _open_action(qtbot, hall, case_id, v, "suspend")
    # the step's time limit and how it is counted, from cc.time_limit (010201 normal: working hours)
    assert hall.detail.fields["deadline"].text().endswith("working hours)")
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled()                                    # a reason is required
    assert dialog.choice is not None and dialog.choice.count() == 5      # the reasons from cc.suspend_reason
    dialog.choice.setCurrentIndex(dialog.choice.findData("court"))
    assert dialog.day is not None
    review = dialog.day.date().addDays(10)
    dialog.day.setDate(review)
    dialog.text.setPlainText("待法院判决 awaiting the court")
    assert ok.isEnabled()
    ok.click()
    qtbot.waitUntil(lambda: hall.session.live.rows[case_id].suspension_review_on is not None, timeout=10000)
    row = case_row(conn, case_id)
    assert row["suspended_at"] is not None and row["suspension_review_on"].isoformat() == review.toString("yyyy-MM-dd")
    assert "HOLD" in _cell(hall, case_id, "state")
    assert _cell(hall, case_id, "deadline").startswith("On hold to")
    # the watch filter shows exactly the cases on hold
    box = hall.board.watch_box
    box.setCurrentIndex(box.findData("suspended"))
    model = hall.board_model
    shown = {model.data(model.index(r, 0), Qt.ItemDataRole.UserRole + 1) for r in range(model.rowCount())}
    assert case_id in shown
    assert all(hall.session.live.rows[i].suspension_review_on is not None for i in shown)
    box.setCurrentIndex(0)
    # the detail now offers resume, not the step the clock was stopped in
    qtbot.waitUntil(lambda: "resume" in hall.detail.action_buttons, timeout=10000)
    assert "accept" not in hall.detail.action_buttons
    assert "On hold" in hall.detail.badges.text()


def test_supervise_from_the_detail_and_the_wall_counts_it(qtbot, hall, db, conn, login_role) -> None:  # noqa: ANN001
    case_id, v = new_case_in(conn, "in_progress")
    dialog = _open_action(qtbot, hall, case_id, v, "supervise")
    assert dialog.choice is not None and [dialog.choice.itemData(i) for i in range(dialog.choice.count())] == \
        ["street", "district", "leader"]
    dialog.choice.setCurrentIndex(1)
    assert dialog.when is not None
    due = datetime.now(ZoneInfo("Asia/Shanghai")).replace(second=0, microsecond=0) + timedelta(days=1)
    dialog.when.setDateTime(QDateTime.fromSecsSinceEpoch(int(due.timestamp())))
    dialog.text.setPlainText("群众反复反映 residents keep calling")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: hall.session.live.rows[case_id].supervision_level == "district", timeout=10000)
    assert case_row(conn, case_id)["supervision_reply_due"] == due
    assert "SUP" in _cell(hall, case_id, "state")
    qtbot.waitUntil(lambda: "District supervision" in hall.detail.badges.text(), timeout=10000)

    with hall_session(login_role(["cc_wall"])) as session:
        wall = WallWindow(session)
        qtbot.addWidget(wall)
        wall.resize(1920, 1080)
        wall.show()
        settle(qtbot, session)
        expected = sum(r.supervision_level is not None and r.is_open for r in session.live.rows.values())
        assert expected >= 1
        wall._lists()
        assert wall.watch_values["supervised"].text() == f"{expected:,}"
        wall.close()


def test_an_extension_asked_by_the_assignee_is_approved_from_the_hall(qtbot, hall, conn, login_role) -> None:  # noqa: ANN001
    case_id, v = new_case_in(conn, "in_progress")
    unit, street = conn.execute('SELECT assignee_unit_id, street_id FROM cc."case" WHERE id = %s',
                                (case_id,)).fetchone()
    old = case_row(conn, case_id)["handle_deadline"]
    with psycopg.connect(login_role(["cc_handler"], street_id=street, unit_id=unit)) as handler:
        v = Workflow(handler).request_extension(case_id, v, old + timedelta(days=2), "需要协调 coordination")
    qtbot.waitUntil(lambda: case_id in hall.session.live.rows and hall.session.live.rows[case_id].extension_pending,
                    timeout=10000)
    assert "EXT?" in _cell(hall, case_id, "state")
    dialog = _open_action(qtbot, hall, case_id, v, "approve_extension")
    assert dialog.as_requested is not None and dialog.as_requested.isChecked()
    assert dialog.when is not None and not dialog.when.isEnabled()
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()      # a note is optional here
    qtbot.waitUntil(lambda: hall.session.live.rows[case_id].extension_count == 1, timeout=10000)
    assert case_row(conn, case_id)["handle_deadline"] == old + timedelta(days=2)
    assert "EXT1" in _cell(hall, case_id, "state")
