"""The shift handover (交接班) in the hall, by keys, against the real server: 东华门's operator
signs out with Ctrl+Shift+L, reads the server's summary, types a note and hands over with
Ctrl+Enter (the hall closes); 东华门's supervisor signs in, is shown the handover and
acknowledges it with Enter; 东花市's operator is shown nothing of it."""

from __future__ import annotations

from psycopg.conninfo import make_conninfo
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from commandcenter.demo.accounts import DEMO_ACCOUNTS
from commandcenter.ui.main_window import HallWindow
from commandcenter.ui.shift_handover import HandoverDialog, PendingHandoverDialog

from .ui_support import hall_session, settle

PASSWORD = {a.login: a.password for a in DEMO_ACCOUNTS}
CTRL = Qt.KeyboardModifier.ControlModifier


def _open_hall(qtbot, session) -> HallWindow:  # noqa: ANN001
    w = HallWindow(session, restore_last=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    settle(qtbot, session)
    return w


def _press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:  # noqa: ANN001
    target = QApplication.focusWidget() or QApplication.activeWindow()
    assert target is not None, "nothing has the keyboard"
    qtbot.keyClick(target, key, modifier)


def test_handed_over_at_sign_out_shown_at_the_next_sign_in_and_acknowledged(qtbot, db, conn) -> None:  # noqa: ANN001
    before = conn.execute("SELECT coalesce(max(id), 0) FROM cc.handover").fetchone()[0]
    conn.commit()
    with hall_session(make_conninfo(db.dsn, user="dhm_operator", password=PASSWORD["dhm_operator"]), "zh_CN") as s:
        hall = _open_hall(qtbot, s)
        assert hall.handover is None                  # nothing left for this street yet
        hall.activateWindow()
        qtbot.waitUntil(hall.isActiveWindow, timeout=3000)
        _press(qtbot, Qt.Key.Key_L, CTRL | Qt.KeyboardModifier.ShiftModifier)
        qtbot.waitUntil(lambda: isinstance(hall.handover, HandoverDialog) and hall.handover.isVisible(), timeout=3000)
        dialog = hall.handover
        assert dialog.sign_out
        qtbot.waitUntil(lambda: "本席位" in dialog.summary.toPlainText(), timeout=5000)    # the server's count
        qtbot.waitUntil(dialog.note.hasFocus, timeout=3000)
        dialog.note.insertPlainText("注意东华门两件超期案件")       # Chinese comes from the input method, committed
        qtbot.keyClicks(dialog.note, " - call back Mr Li")
        # a note longer than the database takes cannot be sent
        dialog.note.insertPlainText("长" * dialog.max_chars)
        assert not dialog.ok.isEnabled() and dialog.status.text()
        dialog.note.setPlainText("注意东华门两件超期案件 - call back Mr Li")
        assert dialog.ok.isEnabled()
        _press(qtbot, Qt.Key.Key_Return, CTRL)
        qtbot.waitUntil(lambda: not hall.isVisible(), timeout=10000)          # signed out
        assert hall.signed_out
    row = conn.execute("SELECT id, author, note, summary FROM cc.handover WHERE id > %s ORDER BY id", (before,)).fetchall()
    conn.commit()
    assert len(row) == 1 and row[0][1] == "dhm_operator" and row[0][2] == "注意东华门两件超期案件 - call back Mr Li"
    handover_id = row[0][0]

    # another street's operator is shown nothing of it
    with hall_session(make_conninfo(db.dsn, user="dhs_operator", password=PASSWORD["dhs_operator"]), "zh_CN") as s:
        hall = _open_hall(qtbot, s)
        assert hall.handover is None
        hall.close()

    # the next operator of 东华门 (its supervisor) is shown it at sign-in, and acknowledges it by Enter
    with hall_session(make_conninfo(db.dsn, user="dhm_supervisor", password=PASSWORD["dhm_supervisor"]), "zh_CN") as s:
        hall = _open_hall(qtbot, s)
        qtbot.waitUntil(lambda: isinstance(hall.handover, PendingHandoverDialog), timeout=5000)
        pending = hall.handover
        assert pending.handover.id == handover_id
        text = pending.text.toPlainText()
        assert "注意东华门两件超期案件" in text and "东华门分中心受理员" in text and "本席位" in text
        pending.activateWindow()
        qtbot.waitUntil(pending.isActiveWindow, timeout=3000)
        _press(qtbot, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: hall.handover is None, timeout=5000)
        acks = conn.execute("SELECT login FROM cc.handover_ack WHERE handover_id = %s", (handover_id,)).fetchall()
        conn.commit()
        assert acks == [("dhm_supervisor",)]
        hall.close()

    # acknowledged: the same supervisor is not shown it again
    with hall_session(make_conninfo(db.dsn, user="dhm_supervisor", password=PASSWORD["dhm_supervisor"]), "en") as s:
        hall = _open_hall(qtbot, s)
        assert hall.handover is None
        # on demand (Ctrl+Shift+J) the shift can be handed over without signing out
        hall.activateWindow()
        qtbot.waitUntil(hall.isActiveWindow, timeout=3000)
        _press(qtbot, Qt.Key.Key_J, CTRL | Qt.KeyboardModifier.ShiftModifier)
        qtbot.waitUntil(lambda: isinstance(hall.handover, HandoverDialog), timeout=3000)
        dialog = hall.handover
        assert not dialog.sign_out
        qtbot.waitUntil(lambda: "This console" in dialog.summary.toPlainText(), timeout=5000)
        dialog.submit()
        qtbot.waitUntil(lambda: hall.handover is None, timeout=5000)
        assert hall.isVisible() and not hall.signed_out
        written = conn.execute("SELECT count(*) FROM cc.handover").fetchone()[0]
        conn.commit()
        # Ctrl+Q offers the handover first; the operator may still leave without one
        hall.activateWindow()
        qtbot.waitUntil(hall.isActiveWindow, timeout=3000)
        _press(qtbot, Qt.Key.Key_Q, CTRL)
        qtbot.waitUntil(lambda: isinstance(hall.handover, HandoverDialog), timeout=3000)
        dialog = hall.handover
        assert dialog.sign_out and dialog.quit is not None
        dialog.quit.click()
        qtbot.waitUntil(lambda: not hall.isVisible(), timeout=5000)
        assert not hall.signed_out
        assert conn.execute("SELECT count(*) FROM cc.handover").fetchone()[0] == written
        conn.commit()
