"""A start-up failure of the hall or the wall shown where the user looks: in a dialog.

Someone who starts the hall from a desktop entry never sees stderr. When Qt can open a window
the message appears in a Qt dialog in the interface language; when Qt itself cannot (the
desktop lacks its libraries) a dialog tool of the desktop is tried. Headless and test
platforms (offscreen, minimal) get stderr only.
"""

from __future__ import annotations

import os
import shutil
import subprocess

from ..desktop import desktop_problem, platform_name

TITLE = {"zh": "指挥大厅无法启动", "en": "The command hall could not start"}


def show_startup_error(message: str, lang: str | None) -> None:
    if platform_name() in ("offscreen", "minimal", "vnc") or not (os.environ.get("DISPLAY")
                                                                  or os.environ.get("WAYLAND_DISPLAY")):
        return
    zh = (lang or os.environ.get("LANG", "")).startswith("zh")
    title = TITLE["zh" if zh else "en"]
    if desktop_problem() is None:
        import signal

        from PySide6.QtWidgets import QMessageBox

        from .application import application
        app = application(lang)     # language, theme, a timer that lets signal handlers run
        box = QMessageBox(QMessageBox.Icon.Critical, title, message)
        box.finished.connect(lambda _r: app.exit(0))
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: app.exit(0))
        box.show()
        app.exec()
        return
    for tool, args in (("zenity", ["--error", "--title", title, "--text", message]),
                       ("kdialog", ["--title", title, "--error", message]),
                       ("xmessage", ["-center", f"{title}\n\n{message}"])):
        if shutil.which(tool):
            subprocess.run([tool, *args], check=False)
            return
