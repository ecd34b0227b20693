"""Screenshots of the hall as a real X11 window (Xvfb, Qt's xcb platform), not the offscreen
renderer: `python docs/screenshots/x11.py --data-dir DIR` after `commandcenter --data-dir DIR
demo seed`. Writes x11_hall_<lang>_<W>x<H>.png beside this file, signed in as the demo
district supervisor, the window maximised as on a first start."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from psycopg.conninfo import make_conninfo

HERE = Path(__file__).resolve().parent
GRAB = ("import sys\nfrom PySide6.QtGui import QGuiApplication\napp = QGuiApplication([])\n"
        "app.primaryScreen().grabWindow(0).save(sys.argv[1])\n")


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--sizes", default="1366x768,1920x1080")
    p.add_argument("--langs", default="zh_CN,en")
    p.add_argument("--wait", type=float, default=12.0)
    args = p.parse_args()

    from commandcenter.demo.accounts import DEMO_ACCOUNTS
    from commandcenter.store.embedded import EmbeddedServer
    server = EmbeddedServer(args.data_dir)
    server.start()
    sup = next(a for a in DEMO_ACCOUNTS if a.login == "dc_supervisor")
    dsn = make_conninfo(server.dsn, user=sup.login, password=sup.password)
    try:
        for n, size in enumerate(args.sizes.split(",")):
            display = f":{90 + n}"
            xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", f"{size}x24", "-nolisten", "tcp"])
            time.sleep(1.5)
            env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
            try:
                for lang in args.langs.split(","):
                    env["XDG_CONFIG_HOME"] = tempfile.mkdtemp()     # no saved layout: a first start
                    hall = subprocess.Popen([sys.executable, "-m", "commandcenter", "--dsn", dsn, "--lang", lang],
                                            env=env)
                    time.sleep(args.wait)
                    out = HERE / f"x11_hall_{lang}_{size}.png"
                    subprocess.run([sys.executable, "-c", GRAB, str(out)], env=env, check=True)
                    hall.terminate()
                    hall.wait(30)
                    print("wrote", out)
            finally:
                xvfb.terminate()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
