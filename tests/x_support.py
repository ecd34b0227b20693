"""Real X (Xvfb through pytest-xvfb) for the tests that open real windows."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from commandcenter.desktop import missing_libraries

GRAB = """
import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication([])
screen = app.primaryScreen()
image = screen.grabWindow(0).toImage()
image.save(sys.argv[1])
w, h = image.width(), image.height()
colours = {image.pixel(x, y) for x in range(0, w, max(1, w // 64)) for y in range(0, h, max(1, h // 64))}
print(w, h, len(colours))
"""


def real_x_env(xvfb) -> dict[str, str]:  # noqa: ANN001
    """The environment of a process on the real X server."""
    why = None
    if xvfb is None:
        why = "Xvfb is not installed (apt-get install xvfb)"
    elif missing_libraries("xcb"):
        why = f"Qt's xcb plugin lacks {missing_libraries('xcb')}"
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"CI must test on a real X server: {why}")
        pytest.skip(why)
    return dict(os.environ, QT_QPA_PLATFORM="xcb", DISPLAY=f":{xvfb.display}")


def grab(env: dict[str, str], out: Path) -> tuple[int, int, int]:
    """Screenshot of the whole X screen: width, height, colours seen on a 64×64 sample."""
    done = subprocess.run([sys.executable, "-c", GRAB, str(out)], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    w, h, colours = (int(v) for v in done.stdout.split())
    return w, h, colours
