"""The embedded server: two app processes on one data directory share one server, and the
last to leave stops it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

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


def _wait_gone(pid_file, seconds: float) -> bool:  # noqa: ANN001
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if not pid_file.exists():
            return True
        time.sleep(0.2)
    return not pid_file.exists()


def test_a_killed_holder_does_not_keep_the_server_alive(tmp_path) -> None:  # noqa: ANN001
    data_dir = str(tmp_path / "shared")
    first = _start(data_dir)
    assert first.stdout.readline().strip(), first.stderr.read()
    second = _start(data_dir)
    assert second.stdout.readline().strip()
    first.kill()                                    # SIGKILL: its PID stays in pgserver's list
    first.wait(timeout=10)
    pid_file = tmp_path / "shared" / "pgdata" / "postmaster.pid"
    assert pid_file.exists()                        # the second still holds the server
    second.communicate("\n", timeout=60)            # … and as the last living holder, stops it
    assert _wait_gone(pid_file, 10)


@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM"])
def test_the_last_holder_ending_uncleanly_still_stops_the_server(tmp_path, how: str) -> None:  # noqa: ANN001
    data_dir = str(tmp_path / "alone")
    only = _start(data_dir)
    assert only.stdout.readline().strip(), only.stderr.read()
    only.send_signal(getattr(signal, how))          # no atexit runs: the reaper must notice
    only.wait(timeout=10)
    assert _wait_gone(tmp_path / "alone" / "pgdata" / "postmaster.pid", 15)
    for _ in range(50):                             # and the reaper itself leaves
        if not _reapers(data_dir):
            break
        time.sleep(0.2)
    assert not _reapers(data_dir)


def test_the_server_starts_under_a_locale_that_is_not_generated(tmp_path) -> None:  # noqa: ANN001
    env = dict(os.environ, LANG="zh_CN.UTF-8", LC_ALL="zh_CN.UTF-8")
    proc = subprocess.run([sys.executable, "-m", "commandcenter", "--data-dir", str(tmp_path / "zh"), "db", "upgrade"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "schema at revision" in proc.stdout


@pytest.mark.parametrize("case", ["file", "not-a-cluster"])
def test_an_unusable_data_directory_is_a_clear_message(tmp_path, case: str) -> None:  # noqa: ANN001
    if case == "file":
        target = tmp_path / "a-file"
        target.write_text("not a directory")
        expect = "cannot use"
    else:
        target = tmp_path / "d"
        (target / "pgdata").mkdir(parents=True)
        (target / "pgdata" / "notes.txt").write_text("mine")
        expect = "holds no PostgreSQL cluster"
    proc = subprocess.run([sys.executable, "-m", "commandcenter", "--data-dir", str(target), "db", "status"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert expect in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


def _reapers(data_dir: str) -> list[str]:
    """PIDs of reaper processes watching data_dir (read from /proc: no procps needed)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                args = f.read().split(b"\0")
        except OSError:
            continue
        if b"commandcenter.store.reaper" in args and data_dir.encode() in args:
            found.append(entry)
    return found
