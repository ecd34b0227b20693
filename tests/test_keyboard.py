"""A whole shift by keyboard (issue 15), against the real server, offscreen: the focus ring is
drawn, the jump keys put the keys in each view, the board's search finds states and names by
pinyin and hands over to the results, the command palette finds every command in Chinese,
pinyin and English, agrees with F1 and acts on the selected cases, F11 fills a floated view's
screen, and the closed loop runs from the first key of a call to the closed case without the
mouse, signed in as a street supervisor."""

from __future__ import annotations

import psycopg
import pytest
from psycopg.conninfo import make_conninfo
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget

from commandcenter.demo.accounts import DEMO_ACCOUNTS
from commandcenter.domain.search import _pinyin
from commandcenter.store.commands import Workflow
from commandcenter.ui import layouts
from commandcenter.ui.actions import NoteDialog
from commandcenter.ui.commands import VIEW_COMMANDS
from commandcenter.ui.dispatch import DispatchDialog
from commandcenter.ui.intake import IntakeDialog
from commandcenter.ui.main_window import HallWindow
from commandcenter.ui.palette import CommandPalette
from commandcenter.ui.theme import FOCUS

from .helpers import case_row, new_case_in
from .ui_support import hall_session, settle

PASSWORD = {a.login: a.password for a in DEMO_ACCOUNTS}
CTRL = Qt.KeyboardModifier.ControlModifier


def _dsn(db, login: str) -> str:  # noqa: ANN001
    return make_conninfo(db.dsn, user=login, password=PASSWORD[login])


@pytest.fixture()
def hall(qtbot, db):  # noqa: ANN001, ANN201
    """The hall of 东华门's supervisor, in Chinese, active and settled."""
    with hall_session(_dsn(db, "dhm_supervisor"), "zh_CN") as session:
        w = HallWindow(session, restore_last=False, check_handover=False)
        qtbot.addWidget(w)
        w.resize(1600, 950)
        w.show()
        qtbot.waitExposed(w)
        settle(qtbot, session)
        w.activateWindow()
        qtbot.waitUntil(w.isActiveWindow, timeout=5000)
        yield w
        w.close()


def _press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:  # noqa: ANN001
    """A key to whatever has the keyboard now, as a keyboard would send it."""
    target = QApplication.focusWidget() or QApplication.activeWindow()
    assert target is not None, "nothing has the keyboard"
    qtbot.keyClick(target, key, modifier)


def _ring_pixels(image: QImage) -> int:
    """Pixels of the focus ring's colour (exactly: nothing else in the hall is this amber)."""
    ring = QColor(FOCUS).rgb() & 0xFFFFFF
    img = image.convertToFormat(QImage.Format.Format_RGB32)
    return sum(1 for y in range(img.height()) for x in range(img.width()) if img.pixel(x, y) & 0xFFFFFF == ring)


def _street_grid(conn: psycopg.Connection, hall: HallWindow) -> int:
    """A grid of the hall's street that has demo cases (a point inside it is known)."""
    grid = conn.execute('SELECT grid_id FROM cc."case" WHERE street_id = %s ORDER BY id LIMIT 1',
                        (hall.session.basics.account_street,)).fetchone()[0]
    conn.commit()
    return int(grid)


def _back_to(qtbot, hall: HallWindow) -> None:  # noqa: ANN001
    """A dialog closed: the window manager gives the keyboard back to the hall (offscreen, the
    test does)."""
    hall.activateWindow()
    qtbot.waitUntil(hall.isActiveWindow, timeout=3000)


def _focus(qtbot, w: QWidget) -> None:  # noqa: ANN001
    w.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(w.hasFocus, timeout=3000)
    QApplication.processEvents()


# ---------------------------------------------------------------- seeing the focus

def test_the_focus_ring_is_drawn_on_every_kind_of_control(qtbot, hall) -> None:  # noqa: ANN001
    b = hall.board
    controls = [b.state_box, b.search, b.sound_btn, b.overdue_box, b.table, hall.kpis, hall.map.canvas,
                b._chip["filed"]]
    for w in controls:
        _focus(qtbot, b.search if w is not b.search else b.table)
        before = w.grab().toImage()
        _focus(qtbot, w)
        after = w.grab().toImage()
        assert _ring_pixels(before) == 0, w.objectName()
        # a ring all round: at least the widget's perimeter in the focus colour
        assert _ring_pixels(after) >= w.width() + w.height(), (w.objectName(), _ring_pixels(after))
        assert before.size() == after.size()          # the ring takes no room: nothing moves


def test_tabbing_changes_pixels(qtbot, hall) -> None:  # noqa: ANN001
    _focus(qtbot, hall.board.state_box)
    seen = [hall.board.grab().toImage()]
    for _ in range(4):
        _press(qtbot, Qt.Key.Key_Tab)
        QApplication.processEvents()
        seen.append(hall.board.grab().toImage())
        assert seen[-1] != seen[-2]                   # each Tab moves the ring somewhere visible
        assert _ring_pixels(seen[-1]) > 0


# ---------------------------------------------------------------- getting around

def test_jump_keys_put_the_keyboard_in_each_view(qtbot, hall) -> None:  # noqa: ANN001
    expected = {Qt.Key.Key_1: hall.board.table, Qt.Key.Key_3: hall.map.canvas, Qt.Key.Key_5: hall.kpis,
                Qt.Key.Key_4: hall.staffing.tabs.currentWidget()}
    for key, widget in expected.items():
        _press(qtbot, key, CTRL)
        qtbot.waitUntil(widget.hasFocus, timeout=3000)
    _press(qtbot, Qt.Key.Key_2, CTRL)
    qtbot.waitUntil(lambda: hall.dock_detail.isAncestorOf(QApplication.focusWidget()), timeout=3000)
    _press(qtbot, Qt.Key.Key_6, CTRL)
    qtbot.waitUntil(lambda: hall.dock_grid.isAncestorOf(QApplication.focusWidget()), timeout=3000)
    _press(qtbot, Qt.Key.Key_F, CTRL)
    qtbot.waitUntil(hall.board.search.hasFocus, timeout=3000)
    # a floated view keeps the hall's keys: Ctrl+1 from the floated map comes back to the board
    hall.dock_map.setFloating(True)
    hall.dock_map.show()
    hall.dock_map.activateWindow()
    qtbot.waitUntil(hall.dock_map.isActiveWindow, timeout=3000)
    hall.map.canvas.setFocus()
    _press(qtbot, Qt.Key.Key_1, CTRL)
    qtbot.waitUntil(hall.board.table.hasFocus, timeout=3000)


def test_the_board_search_finds_states_and_names_by_pinyin_and_enter_goes_to_the_results(qtbot, hall, conn) -> None:  # noqa: ANN001
    model, b = hall.board_model, hall.board
    filed, version = new_case_in(conn, "filed", grid_id=_street_grid(conn, hall))
    qtbot.waitUntil(lambda: filed in hall.session.live.rows and hall.session.live.rows[filed].version == version
                    and model.view_row_of(filed) is not None, timeout=10000)        # filed, not still reported
    _press(qtbot, Qt.Key.Key_F, CTRL)
    qtbot.waitUntil(b.search.hasFocus, timeout=3000)
    b.search.insert("待派遣")                          # a state, by its Chinese name
    _press(qtbot, Qt.Key.Key_Down)                    # applies the search at once, and into the results
    assert b.table.hasFocus()
    states = {model.index_.row_at(r).state for r in range(model.rowCount())}
    assert states == {"filed"}
    assert b.table.selectionModel().isRowSelected(0)
    assert hall.session.selection.case_id == model.index_.id_at(0)
    _press(qtbot, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(b.search, "dpq dhm")             # the same state by initials, and 东华门 by initials
    _press(qtbot, Qt.Key.Key_Return)
    assert b.table.hasFocus() and model.rowCount() > 0
    rows = [model.index_.row_at(r) for r in range(model.rowCount())]
    assert {r.state for r in rows} == {"filed"} and {r.street_name for r in rows} == {"东华门街道"}
    # a person by the initials of their name
    b.state_box.setCurrentIndex(b.state_box.findData(None))          # all states
    person = next(r.assignee_person_name for r in hall.session.live.rows.values() if r.assignee_person_name)
    b.search.setText(_pinyin(person)[1])
    b.search.setFocus()
    _press(qtbot, Qt.Key.Key_Enter)
    assert any(model.index_.row_at(r).assignee_person_name == person for r in range(model.rowCount()))


# ---------------------------------------------------------------- the palette and F1

def _open_palette(qtbot, hall) -> CommandPalette:  # noqa: ANN001
    _press(qtbot, Qt.Key.Key_K, CTRL)
    qtbot.waitUntil(lambda: hall.command_palette is not None and hall.command_palette.isVisible(), timeout=3000)
    palette = hall.command_palette
    qtbot.waitUntil(palette.search.hasFocus, timeout=3000)
    return palette


def test_the_f1_list_fits_the_screen_and_scrolls(qtbot, hall) -> None:  # noqa: ANN001
    """Forty commands in a message box were taller than a 768-pixel screen: the end of the
    list and its button were off the bottom edge, and only Esc got out."""
    _back_to(qtbot, hall)
    _press(qtbot, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: hall.shortcut_box is not None and hall.shortcut_box.isVisible(), timeout=3000)
    box = hall.shortcut_box
    room = box.screen().availableGeometry()
    assert box.frameGeometry().height() <= room.height() and box.frameGeometry().width() <= room.width()
    assert len(box.rows()) == len(hall.commands.commands) > 30
    # the last command can be scrolled to and seen, and the dialog closes by its own button
    last = box.list.topLevelItem(box.list.topLevelItemCount() - 1)
    box.list.scrollToItem(last)
    assert box.list.visualItemRect(last).bottom() <= box.list.viewport().height()
    close = box.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
    assert close.isVisible() and box.rect().contains(close.mapTo(box, close.rect().center()))
    close.click()
    assert not box.isVisible()


def _listed(palette: CommandPalette) -> list[tuple[str, str]]:
    return [(palette.list.topLevelItem(i).text(0), palette.list.topLevelItem(i).text(1))
            for i in range(palette.list.topLevelItemCount())]


def test_the_palette_lists_what_f1_lists_in_the_interface_language(qtbot, hall, conn) -> None:  # noqa: ANN001
    palette = _open_palette(qtbot, hall)
    listed = _listed(palette)
    palette.reject()
    _back_to(qtbot, hall)
    _press(qtbot, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: hall.shortcut_box is not None and hall.shortcut_box.isVisible(), timeout=3000)
    f1 = hall.shortcut_box.rows()
    hall.shortcut_box.reject()
    assert [(title, key) for key, title in f1] == listed
    keys = [k for _, k in listed]
    assert len(keys) == len(set(keys))                     # one key, one command
    actions = dict(conn.execute("SELECT code, name FROM cc.workflow_action").fetchall())
    conn.commit()
    for code in ("dispatch", "verify_pass", "urge", "supervise"):
        assert (actions[code], {"dispatch": "F3", "verify_pass": "F7", "urge": "F4", "supervise": "Ctrl+Shift+S"}[code]) \
            in listed
    for _cid, key, english in VIEW_COMMANDS:           # every view command in Chinese, none left in English
        title = dict((k, t) for t, k in listed)[key]
        assert title != english and any("\u4e00" <= ch <= "\u9fff" for ch in title), (key, title)


@pytest.mark.parametrize(("typed", "first"), [("pq", "action.dispatch"), ("dispatch", "action.dispatch"),
                                              ("派遣", "action.dispatch"), ("f7", "action.verify_pass"),
                                              ("hctg", "action.verify_pass"), ("jjb", "handover"),
                                              ("map", "view_map"), ("地图", "view_map"), ("dt", "view_map")])
def test_the_palette_finds_commands_in_chinese_pinyin_and_english(qtbot, hall, typed: str, first: str) -> None:  # noqa: ANN001
    palette = _open_palette(qtbot, hall)
    palette.search.setText(typed)
    found = hall.commands.find(typed)
    assert found and found[0].id == first, [c.id for c in found[:4]]
    assert palette.list.topLevelItem(0).data(0, Qt.ItemDataRole.UserRole) == first


def test_the_palette_acts_on_every_selected_case_as_the_database_allows(qtbot, hall, conn) -> None:  # noqa: ANN001
    grid = _street_grid(conn, hall)
    made = dict(new_case_in(conn, state, grid_id=grid) for state in ("dispatched", "dispatched", "closed"))
    visible, closed = list(made)[:2], list(made)[2]
    live = hall.session.live.rows
    qtbot.waitUntil(lambda: all(i in live and live[i].version == v for i, v in made.items()), timeout=10000)
    urged = {i: case_row(conn, i)["urge_count"] for i in visible}
    # a closed case: dispatch and urge are listed, greyed, and Enter runs nothing
    hall.session.selection.select_case(closed)
    qtbot.waitUntil(lambda: hall.detail.detail is not None and hall.detail.detail.case["id"] == closed, timeout=5000)
    settle(qtbot, hall.session)
    palette = _open_palette(qtbot, hall)
    palette.search.setText("cb")                              # 催办 by initials
    item = palette.list.topLevelItem(0)
    assert item.data(0, Qt.ItemDataRole.UserRole) == "action.urge"
    assert not item.flags() & Qt.ItemFlag.ItemIsEnabled
    _press(qtbot, Qt.Key.Key_Return)
    assert palette.ran is None and palette.isVisible()
    palette.reject()
    _back_to(qtbot, hall)
    # two open cases selected on the board: urge both from the palette, by keys
    hall.board.search.setText("")
    for i in visible:
        assert hall.board_model.view_row_of(i) is not None
    hall.board.show_case(visible[0])
    sm = hall.board.table.selectionModel()
    sm.select(hall.board_model.index(hall.board_model.view_row_of(visible[1]), 0),
              QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    qtbot.waitUntil(lambda: set(hall.session.selection.case_ids) == set(visible), timeout=3000)
    qtbot.waitUntil(lambda: hall.detail.allows("urge"), timeout=5000)
    hall.board.table.setFocus()
    palette = _open_palette(qtbot, hall)
    qtbot.keyClicks(palette.search, "cb")
    _press(qtbot, Qt.Key.Key_Return)
    assert palette.ran is not None and palette.ran.id == "action.urge"
    qtbot.waitUntil(lambda: isinstance(hall.runner.dialog, NoteDialog), timeout=3000)
    note = hall.runner.dialog
    qtbot.waitUntil(note.text.hasFocus, timeout=3000)
    qtbot.keyClicks(note.text, "please hurry")
    _press(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: all(case_row(conn, i)["urge_count"] == urged[i] + 1 for i in visible), timeout=10000)


# ---------------------------------------------------------------- floated views

def test_f11_fills_a_floated_views_screen_and_brings_it_back(qtbot, hall) -> None:  # noqa: ANN001
    dock = hall.dock_map
    dock.setFloating(True)
    dock.setGeometry(120, 90, 600, 420)
    dock.show()
    dock.activateWindow()
    qtbot.waitUntil(dock.isActiveWindow, timeout=3000)
    hall.map.canvas.setFocus()
    before = dock.geometry()
    _press(qtbot, Qt.Key.Key_F11)
    assert layouts.is_full(dock) and dock.geometry() == layouts.screen_of(dock).geometry()
    _press(qtbot, Qt.Key.Key_F11)
    assert not layouts.is_full(dock) and dock.geometry() == before


# ---------------------------------------------------------------- the whole loop

def test_a_shift_by_keys_only_call_file_dispatch_verify_close(qtbot, hall, db, conn) -> None:  # noqa: ANN001
    """Take a call (Ctrl+N), file it (Ctrl+Enter), dispatch it (F3, the ★ assignee, Enter); the
    assignee handles it; then, as the handler's supervisor, find it (Ctrl+F, its code, Enter),
    verify and close it (F7, Ctrl+Enter). No mouse, no widget poked."""
    grid_name = conn.execute("SELECT name FROM cc.grid WHERE id = %s", (_street_grid(conn, hall),)).fetchone()[0]
    before = conn.execute('SELECT max(id) FROM cc."case"').fetchone()[0]
    conn.commit()
    _press(qtbot, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: hall.intake is not None and hall.intake.isActiveWindow(), timeout=5000)
    intake = hall.intake
    assert isinstance(intake, IntakeDialog)
    if intake.caller.isEnabled():
        qtbot.keyClicks(intake.caller, "Li")
        _press(qtbot, Qt.Key.Key_Tab)
        qtbot.keyClicks(intake.phone, "13900139000")
        _press(qtbot, Qt.Key.Key_Tab)
    assert intake.focusWidget() is intake.place.line
    qtbot.keyClicks(intake.place.line, _pinyin(grid_name)[1])
    qtbot.waitUntil(lambda: intake.place.results.count() > 0, timeout=3000)
    _press(qtbot, Qt.Key.Key_Down)
    for _ in range(intake.place.results.count()):
        if intake.place.results.currentItem().text().startswith(grid_name):
            break
        _press(qtbot, Qt.Key.Key_Down)
    _press(qtbot, Qt.Key.Key_Return)
    assert intake.focusWidget() is intake.category.line
    qtbot.keyClicks(intake.category.line, "baolulaji")      # 暴露垃圾: the street's sanitation station handles it
    _press(qtbot, Qt.Key.Key_Return)
    assert intake.item_code == "010201"
    _press(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: hall.intake is None, timeout=10000)
    case_id, code = conn.execute('SELECT id, code FROM cc."case" WHERE id > %s ORDER BY id DESC LIMIT 1',
                                 (before,)).fetchone()
    conn.commit()
    assert case_row(conn, case_id)["state"] == "filed"
    qtbot.waitUntil(lambda: hall.session.selection.case_id == case_id, timeout=5000)

    # dispatch: F3 on the case the call opened; the ★ assignee is chosen; Enter
    hall.activateWindow()
    qtbot.waitUntil(hall.isActiveWindow, timeout=3000)
    qtbot.waitUntil(lambda: hall.detail.allows("dispatch"), timeout=5000)
    _press(qtbot, Qt.Key.Key_1, CTRL)
    _press(qtbot, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: isinstance(hall.runner.dialog, DispatchDialog), timeout=3000)
    dialog = hall.runner.dialog
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() > 0 and dialog.tree.currentItem() is not None, timeout=5000)
    assert dialog.tree.currentItem().text(4) == "★"
    kind, ident = dialog.tree.currentItem().data(0, Qt.ItemDataRole.UserRole + 1)
    qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
    _press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: hall.runner.dialog is None, timeout=5000)          # Enter dispatched
    qtbot.waitUntil(lambda: case_row(conn, case_id)["state"] == "dispatched" or hall.detail.banner.isVisible(),
                    timeout=10000)
    assert case_row(conn, case_id)["state"] == "dispatched", hall.detail.banner.text()
    row = case_row(conn, case_id)
    assert (row["assignee_person_id"] if kind == "person" else row["assignee_unit_id"]) == ident

    # the assignee's part, on its own terminal (here: the administrator acting for it)
    with db.connect() as admin:
        wf = Workflow(admin)
        v = wf.accept(case_id, row["version"])
        wf.feedback(case_id, v, "已处理 moved on")
    qtbot.waitUntil(lambda: hall.session.live.rows[case_id].state == "handled", timeout=10000)

    # the supervisor finds it by its code and closes it
    hall.activateWindow()
    qtbot.waitUntil(hall.isActiveWindow, timeout=3000)
    _press(qtbot, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(hall.board.search, code)
    _press(qtbot, Qt.Key.Key_Return)
    assert hall.board.table.hasFocus() and hall.session.selection.case_id == case_id
    qtbot.waitUntil(lambda: hall.detail.allows("verify_pass"), timeout=5000)
    _press(qtbot, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: isinstance(hall.runner.dialog, NoteDialog), timeout=3000)
    note = hall.runner.dialog
    qtbot.waitUntil(note.isActiveWindow, timeout=3000)
    qtbot.keyClicks(note.text, "checked on site")
    _press(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: case_row(conn, case_id)["state"] == "closed", timeout=10000)
    actors = conn.execute("SELECT action, actor FROM cc.case_event WHERE case_id = %s ORDER BY id", (case_id,)).fetchall()
    conn.commit()
    assert [a for a, who in actors if who == "dhm_supervisor"] == ["report", "file", "dispatch", "verify_pass"]


@pytest.mark.parametrize(("floated", "pressed_in"), [("board", "board"), ("detail", "hall"), ("detail", "detail")])
def test_the_case_keys_work_from_a_floated_view(qtbot, hall, conn, floated: str, pressed_in: str) -> None:  # noqa: ANN001
    """F3 with the board floated on another monitor (the detail docked in the hall), with the
    detail floated and the keyboard in the hall, and in the floated detail itself: the dispatch
    opens for the selected case (one live shortcut per key, never two that cancel out)."""
    case_id, version = new_case_in(conn, "filed", grid_id=_street_grid(conn, hall))
    qtbot.waitUntil(lambda: case_id in hall.session.live.rows
                    and hall.session.live.rows[case_id].version == version, timeout=10000)
    dock = hall.docks[floated]
    dock.setFloating(True)
    dock.show()
    hall.session.selection.select_case(case_id)
    qtbot.waitUntil(lambda: hall.detail.allows("dispatch"), timeout=10000)
    settle(qtbot, hall.session)
    window = {"board": hall.dock_board, "hall": hall, "detail": hall.dock_detail}[pressed_in]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    focus = hall.detail.timeline if pressed_in == "detail" else hall.board.table
    focus.setFocus()
    qtbot.waitUntil(focus.hasFocus, timeout=3000)
    _press(qtbot, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: isinstance(hall.runner.dialog, DispatchDialog), timeout=5000)
    assert [c["id"] for c in hall.runner.dialog.cases] == [case_id]
    hall.runner.dialog.reject()
