"""`commandcenter screenshot` renders each view offscreen with the current data."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QTabBar

from commandcenter.cli import main
from commandcenter.ui import app as ui_app

from .ui_support import hall_session


@pytest.mark.parametrize("view,lang", [("hall", "zh_CN"), ("wall", "en"), ("map", "en"), ("staffing", "zh_CN"),
                                      ("keyboard", "zh_CN")])
def test_screenshot_writes_a_png_of_the_requested_size(tmp_path: Path, db, view: str, lang: str) -> None:  # noqa: ANN001
    out = tmp_path / f"{view}.png"
    assert main(["--dsn", db.dsn, "screenshot", "--view", view, "--lang", lang, "--out", str(out),
                 "--size", "1280x800"]) == 0
    img = QImage(str(out))
    assert (img.width(), img.height()) == (1280, 800)
    # not a blank canvas: many distinct colours
    colours = {img.pixel(x, y) for x in range(0, 1280, 16) for y in range(0, 800, 16)}
    assert len(colours) > 40


def test_a_bad_size_is_refused_with_a_clear_message(capsys, db) -> None:  # noqa: ANN001
    with pytest.raises(SystemExit):
        main(["--dsn", db.dsn, "screenshot", "--view", "hall", "--out", "x.png", "--size", "huge"])
    assert "is not WIDTHxHEIGHT" in capsys.readouterr().err


def test_a_hall_screenshot_shows_only_the_tab_bars_the_hall_uses(db) -> None:  # noqa: ANN001
    """QMainWindow discards tab bars as its docks are tabified and deletes them later. The
    screenshot's wait ran no deferred deletes, so at 2560×1440 the discarded "Staffing |
    Callbacks" bar stood over the board in the picture, though never in the hall itself."""
    with hall_session(db.dsn) as session:
        hall = ui_app._screenshot_widget(session, "hall")
        hall.resize(2560, 1440)
        hall.show()
        ui_app._settle(session, hall, "hall")
        shown = [b for b in hall.findChildren(QTabBar) if b.parent() is hall and b.isVisible()]
        groups = sorted(tuple(b.tabText(i) for i in range(b.count())) for b in shown)
        hall.close()
    assert groups == [("Case detail", "Grid card"), ("Live case board", "Evaluation"), ("Staffing", "Callbacks")]
