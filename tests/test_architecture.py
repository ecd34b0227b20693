"""Guards the architecture: the core imports no Qt; PySide6 is a version that survives."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]

def _core_modules() -> list[str]:
    """Every module below the views, found on disk (not a hand-kept list)."""
    out = []
    for path in sorted((PROJECT / "commandcenter").rglob("*.py")):
        parts = path.relative_to(PROJECT).with_suffix("").parts
        if parts[1] in ("ui", "bench", "cli", "__main__"):
            continue
        out.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return out


def test_core_imports_no_qt() -> None:
    core = _core_modules()
    assert "commandcenter.domain.cases" in core and "commandcenter.launch.first_run" in core
    code = ("import sys\n" + "".join(f"import {m}\n" for m in core) +
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


# ---------------------------------------------------------------- layer contracts (pyproject.toml)

def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    """import-linter over the package found first on PYTHONPATH=root, with our contracts."""
    env = dict(os.environ, PYTHONPATH=str(root))
    return subprocess.run([sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; "
                           "sys.exit(lint_imports_command())", "--config", str(PROJECT / "pyproject.toml"),
                           "--no-cache"], capture_output=True, text=True, timeout=300, cwd=root, env=env)


def test_the_layer_contracts_hold() -> None:
    out = _lint_imports(PROJECT)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize(("module", "line", "broken"), [
    ("domain/board.py", "import PySide6.QtCore", "commandcenter.domain is not allowed to import PySide6"),
    ("store/queries.py", "from ..ui import board_model", "commandcenter.store is not allowed to import commandcenter.ui"),
    ("demo/seed.py", "from ..sim import simulator", "commandcenter.demo is not allowed to import commandcenter.sim"),
    ("domain/cases.py", "import psycopg", "commandcenter.domain is not allowed to import psycopg"),
    ("launch/sign_in.py", "def later():\n    from ..ui import app",
     "commandcenter.launch is not allowed to import commandcenter.ui"),
], ids=["qt-in-domain", "store-imports-ui", "demo-imports-sim", "sql-in-domain", "import-inside-a-function"])
def test_the_contracts_fail_when_a_forbidden_import_is_added(tmp_path: Path, module: str, line: str,
                                                             broken: str) -> None:
    shutil.copytree(PROJECT / "commandcenter", tmp_path / "commandcenter",
                    ignore=shutil.ignore_patterns("__pycache__"))
    target = tmp_path / "commandcenter" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # added by the test\n", encoding="utf-8")
    out = _lint_imports(tmp_path)
    assert out.returncode != 0, out.stdout
    assert "BROKEN" in out.stdout and broken in out.stdout, out.stdout
