"""`commandcenter screenshot` renders each view offscreen with the current data."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from commandcenter.cli import main


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
