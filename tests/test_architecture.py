"""Guards the architecture: the core imports no Qt; PySide6 is a version that survives."""

from __future__ import annotations

import subprocess
import sys

CORE = ["commandcenter.domain", "commandcenter.store", "commandcenter.demo", "commandcenter.cli",
        "commandcenter.store.database", "commandcenter.store.commands", "commandcenter.store.events",
        "commandcenter.store.migrate", "commandcenter.store.status", "commandcenter.demo.seed",
        "commandcenter.demo.history", "commandcenter.demo.territory", "commandcenter.demo.accounts",
        "commandcenter.store.queries", "commandcenter.store.listener", "commandcenter.store.accounts",
        "commandcenter.domain.board", "commandcenter.domain.mapgeom", "commandcenter.sim.simulator",
        "commandcenter.bench.harness", "commandcenter.bench.scratch", "commandcenter.bench.city",
        "commandcenter.bench.realtime", "commandcenter.bench.board", "commandcenter.bench.mapbench",
        "commandcenter.bench.memory", "commandcenter.bench.startup"]


def test_core_imports_no_qt() -> None:
    code = ("import sys\n" + "".join(f"import {m}\n" for m in CORE) +
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6'))\n"
            "print(bad); sys.exit(1 if bad else 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr


def test_pyside6_survives_many_signal_emits() -> None:
    """PySide6 6.12.0 on CPython 3.11 aborts ("Fatal Python error: bool_dealloc") after a few
    hundred thousand Signal.emit() calls; the pin keeps us below it. Run in a child process so
    an abort fails this test instead of killing the run."""
    code = """
import os
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QCoreApplication, QObject, Signal
class Source(QObject):
    changed = Signal(bool)
app = QCoreApplication([])
src = Source()
seen = []
src.changed.connect(lambda v: seen.append(v) if len(seen) < 1 else None)
for i in range(200_000):
    src.changed.emit(i % 2 == 0)
print("ok", len(seen))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and out.stdout.startswith("ok"), out.stdout + out.stderr
