"""The intake dialog driven by keys only, as an operator on the hotline would, against the real
server: Ctrl+N, the caller, a place by pinyin initials, a category by pinyin, Ctrl+Enter — a
filed case; and a call about a problem already open nearby added to it as a repeat report."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt

from commandcenter.domain.search import _pinyin
from commandcenter.ui.intake import IntakeDialog
from commandcenter.ui.main_window import HallWindow

from .helpers import case_row, new_case_in
from .ui_support import hall_session, settle


@pytest.fixture()
def hall(qtbot, db, request):  # noqa: ANN001, ANN201
    with hall_session(db.dsn, getattr(request, "param", "zh_CN")) as session:
        w = HallWindow(session, restore_last=False)
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        settle(qtbot, session)
        yield w


def _open_intake(qtbot, hall) -> IntakeDialog:  # noqa: ANN001
    hall.activateWindow()
    qtbot.waitUntil(hall.isActiveWindow, timeout=5000)
    qtbot.keyClick(hall, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: hall.intake is not None and hall.intake.isVisible(), timeout=5000)
    dialog = hall.intake
    assert isinstance(dialog, IntakeDialog)
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)      # the call has the keyboard
    return dialog


def _type(qtbot, dialog: IntakeDialog, text: str) -> None:  # noqa: ANN001
    """Keys into whatever has the dialog's focus (as a keyboard would; ASCII: QTest aborts on
    characters it cannot map to keys)."""
    widget = dialog.focusWidget()
    assert widget is not None
    qtbot.keyClicks(widget, text)


def _key(qtbot, dialog: IntakeDialog, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:  # noqa: ANN001,E501
    widget = dialog.focusWidget()
    assert widget is not None
    qtbot.keyClick(widget, key, modifier)


@pytest.mark.parametrize("hall", ["zh_CN", "en"], indirect=True)
def test_a_call_by_keys_from_first_key_to_a_filed_case(qtbot, hall, conn) -> None:  # noqa: ANN001
    grid_name, street_name = conn.execute(
        "SELECT g.name, s.name FROM cc.grid g JOIN cc.street s ON s.id = g.street_id ORDER BY g.id LIMIT 1").fetchone()
    conn.commit()
    before = conn.execute('SELECT max(id) FROM cc."case"').fetchone()[0]
    conn.commit()
    dialog = _open_intake(qtbot, hall)
    assert dialog.caller.isEnabled()            # the demo's test login reads callers (an administrator)
    assert dialog.focusWidget() is dialog.caller
    dialog.caller.insert("张三")           # Chinese arrives from the input method as committed text
    _key(qtbot, dialog, Qt.Key.Key_Tab)
    _type(qtbot, dialog, "13800138000")
    _key(qtbot, dialog, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.place.line
    height = dialog.height()
    category_at = dialog.category.line.mapTo(dialog, dialog.category.line.rect().topLeft())
    _type(qtbot, dialog, _pinyin(grid_name)[1])             # the grid by its pinyin initials
    qtbot.waitUntil(lambda: dialog.place.results.count() > 0, timeout=3000)
    shown = hall.session.display.place(grid_name)          # the English hall spells it ("… Community Grid 1")
    texts = [dialog.place.results.item(i).text() for i in range(dialog.place.results.count())]
    assert any(shown in t for t in texts)
    if hall.session.display.english:                       # places and their streets all in English
        assert shown != grid_name and not any(re.search(r"[\u3400-\u9fff]", t) for t in texts)
    qtbot.keyClick(dialog.place.line, Qt.Key.Key_Down)      # into the results …
    for _ in range(dialog.place.results.count()):           # … to the grid (initials may be shared)
        if dialog.place.results.currentItem().text().startswith(shown):
            break
        qtbot.keyClick(dialog.place.results, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.place.results, Qt.Key.Key_Return)
    assert dialog.point is not None and dialog.focusWidget() is dialog.category.line
    assert dialog.where.text().startswith(shown)
    # the list folded away once chosen: the fields below are back where they were
    assert not dialog.place.results.isVisible()
    qtbot.waitUntil(lambda: dialog.height() <= height + 2, timeout=3000)
    assert dialog.category.line.mapTo(dialog, dialog.category.line.rect().topLeft()) == category_at
    _type(qtbot, dialog, "luantingche")                      # 乱停车 by pinyin
    qtbot.keyClick(dialog.category.line, Qt.Key.Key_Return)
    assert dialog.item_code == "010503" and "乱停车" in dialog.title.text()
    _key(qtbot, dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: hall.intake is None or dialog.banner.isVisible(), timeout=10000)
    assert hall.intake is None, dialog.banner.text()         # closed (and deleted) once done
    row = conn.execute('SELECT id, state, source, reporter_name, reporter_phone, grid_id FROM cc."case" '
                       "WHERE id > %s ORDER BY id DESC LIMIT 1", (before,)).fetchone()
    grid_id = conn.execute("SELECT id FROM cc.grid WHERE name = %s", (grid_name,)).fetchone()[0]
    conn.commit()
    assert row[1:] == ("filed", "hotline", "张三", "13800138000", grid_id)
    qtbot.waitUntil(lambda: hall.session.selection.case_id == row[0], timeout=5000)


def test_a_duplicate_nearby_is_offered_and_the_call_is_added_to_it(qtbot, hall, conn) -> None:  # noqa: ANN001
    case_id, _ = new_case_in(conn, "dispatched", category="010201")
    lon, lat = conn.execute('SELECT lon, lat FROM cc."case" WHERE id = %s', (case_id,)).fetchone()
    conn.commit()
    dialog = _open_intake(qtbot, hall)
    hall.session.selection.pick_point(lon, lat + 20 / 110_574.0)       # a click on the map, 20 m away
    dialog.category.line.setFocus()
    _type(qtbot, dialog, "baolulaji")                       # 暴露垃圾
    qtbot.keyClick(dialog.category.line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.duplicates.topLevelItemCount() > 0, timeout=5000)
    codes = [dialog.duplicates.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole + 1)
             for i in range(dialog.duplicates.topLevelItemCount())]
    assert case_id in codes
    while dialog.duplicates.currentItem().data(0, Qt.ItemDataRole.UserRole + 1) != case_id:
        qtbot.keyClick(dialog.duplicates, Qt.Key.Key_Down)
    _key(qtbot, dialog, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: hall.intake is None or dialog.banner.isVisible(), timeout=10000)
    assert hall.intake is None, dialog.banner.text()         # closed (and deleted) once done
    assert case_row(conn, case_id)["repeat_count"] == 1
    qtbot.waitUntil(lambda: hall.session.live.rows[case_id].repeat_count == 1, timeout=5000)
    model = hall.board_model                                  # the board raises it: "×2" in its code, coloured
    qtbot.waitUntil(lambda: model.view_row_of(case_id) is not None, timeout=5000)
    row = model.view_row_of(case_id)
    assert model.data(model.index(row, 0)).endswith("×2")
    assert model.data(model.index(row, 0), Qt.ItemDataRole.ForegroundRole) is not None


def test_a_refusal_is_shown_and_nothing_typed_is_lost(qtbot, hall, conn) -> None:  # noqa: ANN001
    dialog = _open_intake(qtbot, hall)
    hall.session.selection.pick_point(100.0, 10.0)           # far outside the district
    dialog.category.line.setFocus()
    _type(qtbot, dialog, "ltc")
    qtbot.keyClick(dialog.category.line, Qt.Key.Key_Return)
    dialog.description.setPlainText("居民反映 a caller said")
    _key(qtbot, dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.banner.isVisible(), timeout=10000)
    assert dialog.isVisible() and dialog.banner.text()
    assert dialog.description.toPlainText() == "居民反映 a caller said" and dialog.item_code is not None


def test_the_callbacks_dock_lists_a_due_callback_and_records_it(qtbot, hall, conn) -> None:  # noqa: ANN001
    from .test_callbacks import _closed_hotline_case

    case_id = _closed_hotline_case(conn)
    view = hall.callbacks
    qtbot.waitUntil(lambda: any(r["case_id"] == case_id for r in view.rows), timeout=10000)
    i = next(i for i, r in enumerate(view.rows) if r["case_id"] == case_id)
    view.table.selectRow(i)
    view.satisfaction.setValue(4)
    qtbot.mouseClick(view.reached, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: all(r["case_id"] != case_id for r in view.rows), timeout=10000)
    outcome = conn.execute("SELECT outcome, satisfaction FROM cc.callback WHERE case_id = %s", (case_id,)).fetchone()
    conn.commit()
    assert outcome == ("reached", 4)


def test_a_photo_attached_in_the_hall_is_tagged(qtbot, hall, conn, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    from commandcenter.domain.pictures import scene_picture
    from commandcenter.ui.actions import PhotoTagDialog

    case_id, _ = new_case_in(conn, "dispatched")
    photo = tmp_path / "site.png"
    photo.write_bytes(scene_picture(7).content)
    monkeypatch.setattr(hall.runner, "choose_photo", lambda: str(photo))
    hall.session.selection.select_case(case_id)
    qtbot.waitUntil(lambda: "attach" in hall.detail.action_buttons, timeout=5000)
    hall.detail.trigger("attach")
    qtbot.waitUntil(lambda: isinstance(hall.runner.dialog, PhotoTagDialog), timeout=5000)
    tags = hall.runner.dialog
    tags.view.setCurrentIndex(tags.view.findData("far"))
    tags.stage.setCurrentIndex(tags.stage.findData("after"))
    tags.accept()

    def stored() -> tuple | None:
        row = conn.execute("SELECT view, stage, thumbnail IS NOT NULL FROM cc.attachment WHERE case_id = %s",
                           (case_id,)).fetchone()
        conn.commit()
        return row

    qtbot.waitUntil(lambda: stored() is not None, timeout=10000)
    assert stored() == ("far", "after", True)
