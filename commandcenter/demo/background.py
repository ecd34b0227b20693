"""The first start's demo built on its own thread and connection while the sign-in dialog is
already on screen: the district (territory, staff, accounts) is written, then its history
plays through the workflow functions; the dialog shows both and lets the operator in once
the demo is whole. A marker file says a demo is unfinished; a start that finds it rebuilds
the demo (an interrupted history cannot be resumed: it was planned as a whole)."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg

if TYPE_CHECKING:       # a later start imports this module but builds no demo (demo.seed is heavy)
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
    def __init__(self, dsn: str, prepare: Callable[[psycopg.Connection], DemoPlan], marker: Path) -> None:
        """`prepare` writes the district and plans its history (demo.seed.prepare_demo)."""
        self.dsn = dsn
        self.prepare = prepare
        self.plan: DemoPlan | None = None        # None while the district is being written
        self.marker = marker
        self.done = threading.Event()
        self.error: Exception | None = None
        self.played = 0
        self.left = 0
        self.stopping = False
        self._thread = threading.Thread(target=self._run, name="cc-demo-history", daemon=True)

    @property
    def fraction(self) -> float:
        total = self.played + self.left
        return 1.0 if self.done.is_set() else (self.played / total if total else 0.0)

    def start(self) -> None:
        self.marker.write_text(f"{os.getpid()}\nthe demo history is being played by this process; if the process "
                               "is gone and this file remains, the history was interrupted\n")
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """End the history where it is, before the server it plays on stops (the hall was
        closed, or its sign-in cancelled, while the demo was built). The marker stays: the next
        start builds the demo again. Waits for the lanes to leave, at most `timeout` seconds."""
        if self.done.is_set() or not self._thread.is_alive():
            return
        self.stopping = True
        plan = self.plan
        if plan is not None:
            plan.player.halt.set()
        self.done.wait(timeout)

    def _step(self, done: int, left: int) -> None:
        self.played, self.left = done, left

    def _run(self) -> None:
        try:
            with psycopg.connect(self.dsn) as conn:
                plan = self.prepare(conn)
                self.left = len(plan.scripts)
                self.plan = plan
                if self.stopping:          # stopped while the district was written
                    plan.player.halt.set()
                plan.play(conn, progress=lambda msg: log.info(msg), on_step=self._step,
                          connect=lambda: psycopg.connect(self.dsn))
            self.marker.unlink(missing_ok=True)
        except Exception as exc:  # noqa: BLE001 - reported by the hall
            if self.stopping:
                log.warning("the demo history was stopped before its end; the next start builds the demo again")
            else:
                log.exception("playing the demo history failed")
            self.error = exc
        finally:
            self.done.set()
