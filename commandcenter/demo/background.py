"""The demo's history played behind an open hall: on a first start the territory, staff and
accounts are written first (seconds), the hall opens on them, and the 90 days of cases play
through the workflow functions on their own connection — the hall watches them arrive as any
change arrives. A marker file says a history is unfinished; a start that finds it rebuilds
the demo (an interrupted history cannot be resumed: it was planned as a whole)."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import psycopg

from .seed import DemoPlan

log = logging.getLogger(__name__)
MARKER = "demo-history.pending"


def interrupted(marker: Path) -> bool:
    """A history marker left by a process that is gone (another hall still playing it is not
    an interruption: that process is alive)."""
    try:
        pid = int(marker.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return marker.exists()
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class BackgroundHistory:
    def __init__(self, dsn: str, plan: DemoPlan, marker: Path) -> None:
        self.dsn = dsn
        self.plan = plan
        self.marker = marker
        self.done = threading.Event()
        self.error: Exception | None = None
        self.played = 0
        self.left = len(plan.scripts)
        self._thread = threading.Thread(target=self._run, name="cc-demo-history", daemon=True)

    @property
    def fraction(self) -> float:
        total = self.played + self.left
        return 1.0 if self.done.is_set() else (self.played / total if total else 0.0)

    def start(self) -> None:
        self.marker.write_text(f"{os.getpid()}\nthe demo history is being played by this process; if the process "
                               "is gone and this file remains, the history was interrupted\n")
        self._thread.start()

    def _step(self, done: int, left: int) -> None:
        self.played, self.left = done, left

    def _run(self) -> None:
        try:
            with psycopg.connect(self.dsn) as conn:
                self.plan.play(conn, progress=lambda msg: log.info(msg), on_step=self._step)
            self.marker.unlink(missing_ok=True)
        except Exception as exc:  # noqa: BLE001 - reported by the hall
            log.exception("playing the demo history failed")
            self.error = exc
        finally:
            self.done.set()
