"""The hall shows a window before the database is ready (starting the embedded server and a
first start's schema take seconds, and a user who sees nothing starts the program again), and
the window gives way to whatever comes next: here the start-up error."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from commandcenter import cli
from commandcenter.store.database import Database
from commandcenter.store.errors import DatabaseUnavailable
from commandcenter.ui.splash import StartupSplash


def _splashes() -> list[StartupSplash]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, StartupSplash) and w.isVisible()]


def test_the_splash_is_up_before_the_server_starts_and_gives_way_to_an_error(
        qapp: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # noqa: ANN001
    seen: list[str] = []

    def server_that_will_not_start(*_args: object, **_kwargs: object) -> Database:
        # what the user sees while the server starts: a fault injected where the wait would be
        seen.extend(s.step.text() for s in _splashes())
        raise DatabaseUnavailable("the test's server does not start")

    monkeypatch.setattr(Database, "open", server_that_will_not_start)
    assert cli.main(["--lang", "zh_CN", "--data-dir", str(tmp_path)]) == 2
    assert seen and "正在启动数据库" in seen[0]
    qapp.processEvents()
    assert _splashes() == []           # closed, so the error dialog is not under it


def test_the_splash_speaks_english_when_asked(qapp: QApplication) -> None:
    from commandcenter.ui.app import application
    from commandcenter.ui.splash import close_splash

    application("en")
    splash = StartupSplash("en")
    splash.upgrading_schema()
    assert splash.isVisible() and splash.step.text().startswith("Checking the database")
    close_splash()
    qapp.processEvents()
    assert _splashes() == []
