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


# ---------------------------------------------------------------- two monitors on one X screen
# `xrandr --setmonitor` split as a library call (the xrandr tool is not always installed): RandR
# 1.5 monitors, which Qt's xcb plugin reads as its screens. The X server drops a client's
# monitors when that client disconnects, so the process that uses them sets them itself, before
# its QApplication starts, and keeps the connection open (`split_into_monitors` below, run in
# that process).
MONITORS = '''
import ctypes


class _Monitor(ctypes.Structure):
    _fields_ = [("name", ctypes.c_ulong), ("primary", ctypes.c_int), ("automatic", ctypes.c_int),
                ("noutput", ctypes.c_int), ("x", ctypes.c_int), ("y", ctypes.c_int), ("width", ctypes.c_int),
                ("height", ctypes.c_int), ("mwidth", ctypes.c_int), ("mheight", ctypes.c_int),
                ("outputs", ctypes.POINTER(ctypes.c_ulong))]


def split_into_monitors(display, rects):
    """One monitor per (x, y, w, h); the first is primary and takes the screen's output."""
    x11, xrr = ctypes.CDLL("libX11.so.6"), ctypes.CDLL("libXrandr.so.2")
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XDefaultRootWindow.restype = ctypes.c_ulong
    x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    x11.XInternAtom.restype = ctypes.c_ulong
    x11.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    x11.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
    xrr.XRRGetMonitors.restype = ctypes.POINTER(_Monitor)
    xrr.XRRGetMonitors.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.POINTER(ctypes.c_int)]
    xrr.XRRAllocateMonitor.restype = ctypes.POINTER(_Monitor)
    xrr.XRRAllocateMonitor.argtypes = [ctypes.c_void_p, ctypes.c_int]
    xrr.XRRSetMonitor.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(_Monitor)]
    dpy = x11.XOpenDisplay(display.encode())
    if not dpy:
        raise RuntimeError(f"cannot open display {display}")
    root = x11.XDefaultRootWindow(dpy)
    n = ctypes.c_int()
    found = xrr.XRRGetMonitors(dpy, root, 0, ctypes.byref(n))
    output = [found[i].outputs[0] for i in range(n.value) if found[i].noutput][0]
    for i, (x, y, w, h) in enumerate(rects):
        m = xrr.XRRAllocateMonitor(dpy, 1 if i == 0 else 0)
        if i == 0:
            m.contents.outputs[0] = output
        m.contents.name = x11.XInternAtom(dpy, f"CC-{i + 1}".encode(), 0)
        m.contents.primary = int(i == 0)
        m.contents.x, m.contents.y, m.contents.width, m.contents.height = x, y, w, h
        m.contents.mwidth, m.contents.mheight = 510, 290
        xrr.XRRSetMonitor(dpy, root, m)
    x11.XSync(dpy, 0)
    return dpy          # keep it: the monitors live as long as this connection
'''


def start_xvfb(width: int, height: int) -> tuple[subprocess.Popen[bytes], str]:
    """An X server of its own (one wide screen), for the tests that split it into monitors."""
    import shutil

    if shutil.which("Xvfb") is None or missing_libraries("xcb"):
        if os.environ.get("CI"):
            pytest.fail("CI must test on a real X server")
        pytest.skip("Xvfb or Qt's xcb libraries are missing")
    read, write = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
                            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as r:
        number = r.readline().strip()
    if not number:
        proc.kill()
        pytest.fail("Xvfb did not say which display it took")
    return proc, f":{number}"
