"""Floated views on two monitors (issue 15), on a real X server split into two RandR monitors
(as `xrandr --setmonitor` does): a view sent to the second screen fills it, one the operator
sized keeps its size, F11 in a floated view fills its own monitor and brings it back, and a
restored layout's floated views are stacked above the hall, never behind it.

(The stacking check has no window manager to fight here: Xvfb alone already keeps these views
above the hall, with or without the hall raising them — measured by switching the raise off.
It guards against our own code putting the hall over its views; the report of a view opening
behind the hall came from a desk with a window manager, which this machine does not have.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .x_support import MONITORS, start_xvfb

SCRIPT = MONITORS + r'''
import json
import os
import re
import subprocess
import sys

keep = split_into_monitors(os.environ["DISPLAY"], [(0, 0, 1920, 1080), (1920, 0, 1920, 1080)])

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from commandcenter.ui import layouts
from commandcenter.ui.app import application, open_blocking, wait_until
from commandcenter.ui.main_window import HallWindow

app = application("en")
out = {}


def rect(r):
    return [r.x(), r.y(), r.width(), r.height()]


def settle(seconds=0.5):
    wait_until(lambda: False, seconds)


out["screens"] = [rect(s.geometry()) for s in QGuiApplication.screens()]
session = open_blocking(sys.argv[1], "en")
hall = HallWindow(session, restore_last=False, check_handover=False)
first, second = QGuiApplication.screens()[:2]
hall.setGeometry(first.availableGeometry())
hall.show()
wait_until(lambda: hall.windowHandle() is not None and hall.windowHandle().isExposed(), 15)
settle()

dock = hall.dock_map
layouts.move_to_screen(dock, 1)                      # never sized: it fills screen 2
settle()
out["sent"] = rect(dock.geometry())
out["sent_screen"] = layouts.screen_of(dock).name()
dock.resize(700, 500)                                # the operator sizes it …
settle()
layouts.move_to_screen(dock, 0)                      # … and it keeps that size on screen 1
settle()
out["sized"] = rect(dock.geometry())
layouts.move_to_screen(dock, 1)
settle()
dock.activateWindow()
wait_until(dock.isActiveWindow, 5)
hall.map.canvas.setFocus()
out["before_f11"] = rect(dock.geometry())
QTest.keyClick(hall.map.canvas, Qt.Key.Key_F11)      # F11 in the floated view
settle()
out["full"] = rect(dock.geometry())
out["full_screen"] = layouts.screen_of(dock).name()
QTest.keyClick(hall.map.canvas, Qt.Key.Key_F11)
settle()
out["back"] = rect(dock.geometry())

# a layout with views floated over the hall on screen 1 and on screen 2, restored in a new hall
detail = hall.dock_detail
layouts.move_to_screen(detail, 0)
detail.resize(600, 400)
settle()
layouts.save(hall, "desk")
hall.close()
settle()
again = HallWindow(session, restore_last=False, check_handover=False)
assert layouts.restore(again, "desk")
again.show()
settle(1.0)
again.activateWindow()        # the operator goes on in the hall: it comes to the front, its views stay above it
wait_until(again.isActiveWindow, 5)
settle(1.0)
tree = subprocess.run(["xwininfo", "-root", "-children"], capture_output=True, text=True).stdout
order = [int(m, 16) for m in re.findall(r"^\s+(0x[0-9a-f]+) ", tree, re.M)]      # xwininfo: top-most first
ids = {"hall": int(again.winId()), "map": int(again.dock_map.winId()), "detail": int(again.dock_detail.winId())}
out["stacking"] = {k: order.index(v) if v in order else None for k, v in ids.items()}
out["restored_floating"] = [again.dock_map.isFloating(), again.dock_detail.isFloating()]
out["restored_screens"] = [layouts.screen_of(again.dock_map).name(), layouts.screen_of(again.dock_detail).name()]
again.close()
session.close()
print("RESULT " + json.dumps(out), flush=True)
'''


@pytest.fixture()
def two_monitor_x() -> tuple[dict[str, str], str]:  # noqa: ANN001
    import os
    proc, display = start_xvfb(3840, 1080)
    try:
        yield dict(os.environ, QT_QPA_PLATFORM="xcb", DISPLAY=display), display
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_floated_views_on_two_monitors(db, two_monitor_x, tmp_path: Path) -> None:  # noqa: ANN001
    env, _display = two_monitor_x
    script = tmp_path / "two_screens.py"
    script.write_text(SCRIPT, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), db.dsn], env=env, capture_output=True, text=True, timeout=240)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert done.returncode == 0 and lines, done.stderr[-3000:]
    out = json.loads(lines[-1][len("RESULT "):])
    assert out["screens"] == [[0, 0, 1920, 1080], [1920, 0, 1920, 1080]]
    # sent to screen 2 and never sized by the operator: it fills screen 2
    assert out["sent"] == [1920, 0, 1920, 1080] and out["sent_screen"] == "CC-2"
    # sized by the operator (700×500): moved to screen 1, it keeps that size, centred there
    assert out["sized"] == [(1920 - 700) // 2, (1080 - 500) // 2, 700, 500]
    # F11 in the floated view: its own monitor, whole; again: back where it was
    assert out["full"] == [1920, 0, 1920, 1080] and out["full_screen"] == "CC-2"
    assert out["back"] == out["before_f11"]
    # the restored layout: both views floating where they were, stacked above the hall
    assert out["restored_floating"] == [True, True]
    assert out["restored_screens"] == ["CC-2", "CC-1"]
    stack = out["stacking"]
    assert None not in stack.values(), stack
    assert stack["map"] < stack["hall"] and stack["detail"] < stack["hall"], stack    # listed above the hall
