"""What the desktop must provide before Qt is loaded, said in words a user can act on.

Qt's xcb platform plugin (X11) needs system libraries that pip cannot install; without them
Qt aborts the process (exit 134) with a message about plugins. So before the hall or the wall
creates its application, this module asks the dynamic linker which of those libraries are
missing and names the Debian/Ubuntu packages that provide them. No Qt is imported here.
"""

from __future__ import annotations

import ctypes.util
import importlib.util
import os
import subprocess
import sys
import threading
from pathlib import Path

# soname → Debian/Ubuntu package
PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libSM.so.6": "libsm6",
    "libICE.so.6": "libice6",
}



def _qt_dir() -> Path | None:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "Qt"


def _unresolved(library: Path) -> set[str]:
    try:
        out = subprocess.run(["ldd", str(library)], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    return {line.split()[0] for line in out.splitlines() if "not found" in line}


def platform_name() -> str:
    """The Qt platform plugin this process would load."""
    chosen = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip()
    if chosen:
        return chosen
    if os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("DISPLAY"):
        return "wayland"
    return "xcb"


def missing_libraries(platform: str | None = None) -> list[str]:
    """Sonames the chosen platform plugin needs and the system lacks (Linux only)."""
    if not sys.platform.startswith("linux"):
        return []
    qt = _qt_dir()
    if qt is None:
        return []
    platform = platform or platform_name()
    libs = [qt / "lib" / "libQt6Gui.so.6"]
    if platform == "xcb":
        libs += [qt / "plugins" / "platforms" / "libqxcb.so", qt / "lib" / "libQt6XcbQpa.so.6"]
    elif platform == "offscreen":
        libs.append(qt / "plugins" / "platforms" / "libqoffscreen.so")
    missing: set[str] = set()
    for lib in libs:
        if lib.exists():
            missing |= _unresolved(lib)
    if platform == "xcb" and ctypes.util.find_library("xcb-cursor") is None:
        missing.add("libxcb-cursor.so.0")      # loaded by the plugin at run time, not linked
    return sorted(missing)


def x_display_answers(display: str, timeout: float = 5.0) -> bool | None:
    """Whether the X server named by `display` accepts a connection from this user: True,
    False, or None when it cannot be told (no libxcb, or no answer within `timeout`: a remote
    display may just be slow, and Qt is then left to try)."""
    name = ctypes.util.find_library("xcb")
    if name is None:
        return None
    try:
        xcb = ctypes.CDLL(name)
    except OSError:
        return None
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    answer: list[bool] = []

    def ask() -> None:
        conn = xcb.xcb_connect(display.encode(), None)
        if conn:
            answer.append(xcb.xcb_connection_has_error(conn) == 0)
            xcb.xcb_disconnect(conn)     # an error connection is freed the same way

    asking = threading.Thread(target=ask, name="cc-x-display", daemon=True)
    asking.start()
    asking.join(timeout)
    return answer[0] if answer else None


def desktop_problem() -> str | None:
    """Why the hall or the wall cannot open a window here, and what to do; None if it can."""
    platform = platform_name()
    if platform == "xcb" and not os.environ.get("DISPLAY"):
        return ("there is no display to open the window on (DISPLAY is not set). Start it from a "
                "desktop session, or render views without one: commandcenter screenshot --view hall --out hall.png")
    missing = missing_libraries(platform)
    if missing:
        packages = sorted({PACKAGES.get(m, m) for m in missing})
        return (f"the desktop lacks libraries Qt needs to open a window ({', '.join(missing)}). "
                f"Install them: sudo apt-get install {' '.join(packages)}")
    display = os.environ.get("DISPLAY", "")
    if platform == "xcb" and x_display_answers(display) is False:
        return (f"the display {display} cannot be opened: no X server answers there, or it refuses this user. "
                "Start the hall from the desktop session itself (its DISPLAY and XAUTHORITY), or render views "
                "without a display: commandcenter screenshot --view hall --out hall.png")
    return None


def cjk_font_missing() -> bool:
    """True when fontconfig knows no font with Chinese glyphs: the interface would show boxes."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False               # no fontconfig tool to ask: say nothing rather than guess
    return out.returncode == 0 and not out.stdout.strip()
