"""Signing in to the hall and managing accounts from the command line, as users do."""

from __future__ import annotations

import subprocess
import sys

import pytest
from psycopg.conninfo import make_conninfo

from commandcenter.cli import main
from commandcenter.demo.accounts import DEMO_ACCOUNTS
from commandcenter.ui.app import application
from commandcenter.ui.login import LoginDialog


@pytest.mark.parametrize("password,message", [("wrong password", "Wrong user name or password."), ("", "Enter")])
def test_a_wrong_sign_in_says_why_and_stays_open(qtbot, db, password: str, message: str) -> None:  # noqa: ANN001
    application("en")
    dialog = LoginDialog(db.dsn, "dc_operator", password)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
    assert message in dialog.error.text() and dialog.isVisible()


def test_the_right_password_signs_in_as_that_role(qtbot, db) -> None:  # noqa: ANN001
    application("en")
    acc = next(a for a in DEMO_ACCOUNTS if a.login == "dhm_supervisor")
    dialog = LoginDialog(db.dsn, acc.login, acc.password)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.signed_in, timeout=10_000) as signal:
        dialog.submit()
    assert signal.args[0] == make_conninfo(db.dsn, user=acc.login, password=acc.password)


def test_a_disabled_account_is_told_so(qtbot, db) -> None:  # noqa: ANN001
    from commandcenter.store import accounts
    with db.connect() as admin:
        accounts.add(admin, "t_locked_op", "a long password 1", "锁定 测试", "operator")
        accounts.set_enabled(admin, "t_locked_op", False)
    application("en")
    dialog = LoginDialog(db.dsn, "t_locked_op", "a long password 1")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
    assert "disabled" in dialog.error.text()


def test_accounts_command_adds_lists_and_disables(db, capsys) -> None:  # noqa: ANN001
    cmd = [sys.executable, "-m", "commandcenter", "--dsn", db.dsn, "accounts"]
    out = subprocess.run(cmd + ["add", "t_cli_sup", "--role", "supervisor", "--street", "东华门街道",
                                "--name", "命令行 值班长", "--password-stdin"],
                         input="a fine long password\n", capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    listed = subprocess.run(cmd + ["list"], capture_output=True, text=True, timeout=60).stdout
    assert "t_cli_sup" in listed and "supervisor" in listed and "东华门街道" in listed
    assert main(["--dsn", db.dsn, "accounts", "disable", "t_cli_sup"]) == 0
    assert main(["--dsn", db.dsn, "accounts", "disable", "nobody_here"]) == 2
    assert "no console account" in capsys.readouterr().err
    bad = subprocess.run(cmd + ["add", "t_cli_short", "--role", "operator", "--name", "x", "--password-stdin"],
                         input="short\n", capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "shorter than 10" in bad.stderr


def test_a_database_without_the_schema_says_what_to_run(empty_db, capsys) -> None:  # noqa: ANN001
    assert main(["--dsn", empty_db.dsn, "wall"]) == 2
    assert "commandcenter db upgrade" in capsys.readouterr().err


def test_demo_accounts_are_printed(capsys, db) -> None:  # noqa: ANN001
    assert main(["--dsn", db.dsn, "demo", "accounts"]) == 0
    out = capsys.readouterr().out
    assert all(a.login in out and a.password in out for a in DEMO_ACCOUNTS)


def test_signing_in_opens_the_hall_as_that_account(db) -> None:  # noqa: ANN001
    """The whole path a user takes — the dialog, then the hall behind it, scoped to the account —
    in a process of its own (the application's event loop runs and quits there)."""
    import json
    import os

    acc = next(a for a in DEMO_ACCOUNTS if a.login == "dhm_operator")
    script = f"""
import json
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from commandcenter.ui.app import SignIn, application, run_hall
from commandcenter.ui.login import LoginDialog
from commandcenter.ui.main_window import HallWindow
seen = {{}}
def drive():
    app = QApplication.instance()
    dialogs = [w for w in app.topLevelWidgets() if isinstance(w, LoginDialog) and w.isVisible()]
    halls = [w for w in app.topLevelWidgets() if isinstance(w, HallWindow) and w.isVisible()]
    if dialogs and "submitted" not in seen:
        dialogs[0].password.setText({acc.password!r})
        dialogs[0].submit()
        seen["submitted"] = True
    if halls and halls[0].session.live.loaded:
        seen["streets"] = sorted({{r.street_id for r in halls[0].session.live.rows.values()}})
        seen["who"] = halls[0].who.text()
        halls[0].close()
        return
    QTimer.singleShot(50, drive)
application("en")
QTimer.singleShot(50, drive)
QTimer.singleShot(30000, QApplication.instance().quit)
code = run_hall({db.dsn!r}, "en", sign_in=SignIn({acc.login!r}, ""))
print(json.dumps({{"code": code, **seen}}))
"""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert "streets" in result, f"the hall never opened after signing in: {out.stderr[-1500:]}"
    assert len(result["streets"]) == 1 and "Donghuamen operator" in result["who"]
    assert result["code"] == 0          # closing the hall window ends the application


def test_failed_sign_ins_are_recorded_by_the_server(db, pg_server) -> None:  # noqa: ANN001
    import psycopg

    from commandcenter.store.signin_log import failed_sign_ins
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(make_conninfo(db.dsn, user="dhs_operator", password="guessing"))
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(make_conninfo(db.dsn, user="no_such_login", password="guessing"))
    seen = {(f.login, f.reason) for f in failed_sign_ins(pg_server.pgdata / "log")}
    assert ("dhs_operator", "wrong password") in seen
    assert ("no_such_login", "no such account") in seen or ("no_such_login", "wrong password") in seen


def test_a_first_start_signs_in_only_once_the_demo_is_whole(qtbot, empty_db, tmp_path) -> None:  # noqa: ANN001
    """The sign-in dialog shows the demo history being built and lets the operator in only when
    it is complete, so the hall never opens on a half-played history."""
    from PySide6.QtWidgets import QDialogButtonBox

    from commandcenter.demo.background import BackgroundHistory
    from commandcenter.demo.seed import prepare_demo
    from commandcenter.store import migrate

    migrate.upgrade(empty_db)
    history = BackgroundHistory(empty_db.dsn, lambda conn: prepare_demo(conn, "东城区", cases=300, days=4,
                                                                        communities=20, grids=30),
                                tmp_path / "demo-history.pending")
    application("en")
    acc = next(a for a in DEMO_ACCOUNTS if a.login == "dc_supervisor")
    dialog = LoginDialog(empty_db.dsn, acc.login, acc.password, demo=True, history=history)
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.building.isVisible() and not ok.isEnabled()
    history.start()
    dialog.submit()                                   # pressed early: remembered, not lost
    with qtbot.waitSignal(dialog.signed_in, timeout=120_000):
        pass
    assert history.done.is_set() and history.error is None
    assert not (tmp_path / "demo-history.pending").exists()
    with empty_db.connect() as conn:
        assert conn.execute('SELECT count(*) FROM cc."case"').fetchone()[0] == 300
