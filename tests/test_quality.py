"""Lint and types as tests: ruff over the code, mypy over the whole package (strict flags on
domain and store). The rules are pyproject.toml's ([tool.ruff], [tool.mypy]); both tools come
with the `test` extra."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
TIMEOUT_S = 600     # a cold mypy run takes ~25 s alone; the machine may be shared


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=PROJECT, capture_output=True, text=True,
                          timeout=TIMEOUT_S)


def test_ruff_is_clean() -> None:
    out = _run("ruff", "check", "commandcenter", "tests", "db")
    assert out.returncode == 0, out.stdout + out.stderr


def test_mypy_is_clean() -> None:
    out = _run("mypy")          # files and flags from pyproject.toml: every module of commandcenter
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues found" in out.stdout, out.stdout


def test_strict_typing_is_not_switched_on_everywhere_by_mistake() -> None:
    """`strict = true` in a per-module override turns strict mode on for every module
    (python/mypy#11401): the override spells the flags out instead."""
    text = (PROJECT / "pyproject.toml").read_text(encoding="utf-8")
    overrides = text.split("[[tool.mypy.overrides]]", 1)[1].split("\n[", 1)[0]
    assert "strict = true" not in overrides and "disallow_untyped_defs = true" in overrides
