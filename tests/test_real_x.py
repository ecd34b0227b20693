"""The hall and the wall in real windows on a real X server (Xvfb through pytest-xvfb), as on
a desktop: not only the offscreen platform. Where Xvfb or Qt's xcb libraries are missing the
tests skip on a developer's machine and fail in CI (.ci/run installs both)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from commandcenter.desktop import desktop_problem

from .x_support import grab


def _start(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "commandcenter", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("command", [[], ["wall"]], ids=["hall", "wall"])
def test_the_hall_and_the_wall_open_real_windows(db, x_env, tmp_path, command: list[str]) -> None:  # noqa: ANN001
    assert desktop_problem() is None or "DISPLAY" in desktop_problem()      # this test's own env differs
    blank = grab(x_env, tmp_path / "before.png")
    proc = _start(x_env, "--dsn", db.dsn, "--lang", "zh_CN", *command)
    try:
        time.sleep(8)
        assert proc.poll() is None, proc.communicate()[1]
        shot = grab(x_env, tmp_path / "window.png")
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Traceback" not in err, err
    assert blank[2] <= 2 < shot[2], (blank, shot)      # the screen was empty, then a window was drawn


def test_a_start_up_failure_is_shown_in_a_dialog(x_env, tmp_path) -> None:  # noqa: ANN001
    proc = _start(x_env, "--dsn", "postgresql://nobody@127.0.0.1:1/none", "--lang", "en")
    try:
        time.sleep(6)
        assert proc.poll() is None, proc.communicate()        # the dialog waits for the user
        shot = grab(x_env, tmp_path / "dialog.png")
        assert shot[2] > 2
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=30)
    assert "cannot connect to the database" in err


def test_without_a_display_the_hall_says_so_before_building_anything(tmp_path) -> None:  # noqa: ANN001
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    proc = subprocess.run([sys.executable, "-m", "commandcenter", "--data-dir", str(tmp_path / "d")], env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "no display" in proc.stderr and "commandcenter screenshot" in proc.stderr
    assert not (tmp_path / "d").exists()                  # no cluster, no district was built


def test_a_display_nobody_answers_on_is_named_before_building_anything(tmp_path) -> None:  # noqa: ANN001
    """DISPLAY=:99 with no X server there: Qt aborted the process (exit 134) blaming
    libxcb-cursor0, which was installed, and suggested reinstalling the application."""
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["DISPLAY"] = ":93"
    assert not Path("/tmp/.X11-unix/X93").exists()
    proc = subprocess.run([sys.executable, "-m", "commandcenter", "--data-dir", str(tmp_path / "d")], env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert "the display :93 cannot be opened" in proc.stderr and "commandcenter screenshot" in proc.stderr
    assert "libxcb-cursor0" not in proc.stderr
    assert not (tmp_path / "d").exists()


def test_a_display_that_answers_is_not_a_problem(x_env) -> None:  # noqa: ANN001
    from commandcenter.desktop import x_display_answers

    assert x_display_answers(x_env["DISPLAY"]) is True
    assert x_display_answers(":93") is False
