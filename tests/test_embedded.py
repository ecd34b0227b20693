"""The embedded server: two app processes on one data directory share one server, and the
last to leave stops it."""

from __future__ import annotations

import subprocess
import sys
import time

OPEN_AND_WAIT = """
import sys
from pathlib import Path
from commandcenter.store.database import Database
db = Database.open(data_dir=Path(sys.argv[1]))
with db.connect() as c:
    print(c.execute("SELECT pg_postmaster_start_time()").fetchone()[0], flush=True)
sys.stdin.readline()
db.close()
"""


def _start(data_dir: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", OPEN_AND_WAIT, data_dir], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_processes_share_one_server_and_the_last_stops_it(tmp_path) -> None:  # noqa: ANN001
    data_dir = str(tmp_path / "shared")
    first = _start(data_dir)
    started_first = first.stdout.readline().strip()
    second = _start(data_dir)
    started_second = second.stdout.readline().strip()
    assert started_first and started_first == started_second, first.stderr.read() if not started_first else ""
    pid_file = tmp_path / "shared" / "pgdata" / "postmaster.pid"
    first.communicate("\n", timeout=60)
    assert pid_file.exists()                     # the second process still holds it
    second.communicate("\n", timeout=60)
    for _ in range(100):
        if not pid_file.exists():
            break
        time.sleep(0.1)
    assert not pid_file.exists()
