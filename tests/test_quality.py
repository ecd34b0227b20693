"""Lint and types as tests: ruff over the code, mypy over the modules that are typed clean. The
rules are pyproject.toml's ([tool.ruff], [tool.mypy]); both tools come with the `test` extra."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
TIMEOUT_S = 600     # a cold mypy run takes ~25 s alone; the machine may be shared

# What mypy must pass. A package or module joins TYPED once it is clean: move its line up from
# NOT_YET_TYPED. Once nothing is left there, this is the same as a plain `mypy`.
TYPED = (
    "commandcenter",            # the package's own __init__; its subpackages are listed one by one
    "commandcenter.__main__",
    "commandcenter.cli",
    "commandcenter.bench",
    "commandcenter.launch",
    "commandcenter.sim",
    "commandcenter.demo",
    "commandcenter.store",
    "commandcenter.domain",
    "commandcenter.paths",
    "commandcenter.termtext",
    "commandcenter.desktop",
)
NOT_YET_TYPED = (
    "commandcenter.ui",
)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=PROJECT, capture_output=True, text=True,
                          timeout=TIMEOUT_S)


def test_ruff_is_clean() -> None:
    out = _run("ruff", "check", "commandcenter", "tests", "db")
    assert out.returncode == 0, out.stdout + out.stderr


def _mypy_targets(names: tuple[str, ...]) -> list[str]:
    """-p for a package and what is under it, -m for one module (and for the top package,
    whose subpackages are listed themselves)."""
    targets = []
    for name in names:
        is_package = (PROJECT / name.replace(".", "/")).is_dir() and name != "commandcenter"
        targets += ["-p" if is_package else "-m", name]
    return targets


def test_mypy_is_clean_on_the_typed_modules() -> None:
    # Errors are reported for the listed modules only; what they import from the others is
    # still read for its types.
    out = _run("mypy", "--follow-imports=silent", *_mypy_targets(TYPED))
    assert out.returncode == 0, out.stdout + out.stderr


def test_every_module_is_either_typed_or_known_not_to_be() -> None:
    """A new package or top-level module has to be put in one of the two lists (not left out)."""
    root = PROJECT / "commandcenter"
    on_disk = {"commandcenter"} | {
        f"commandcenter.{p.stem}" for p in root.iterdir()
        if (p.is_dir() and (p / "__init__.py").exists()) or (p.suffix == ".py" and p.stem != "__init__")}
    listed = set(TYPED) | set(NOT_YET_TYPED)
    assert on_disk == listed, f"not listed: {sorted(on_disk - listed)}; gone: {sorted(listed - on_disk)}"
    assert not set(TYPED) & set(NOT_YET_TYPED)
