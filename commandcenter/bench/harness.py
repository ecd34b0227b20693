"""Figures against targets, printed for people and as one JSON line for machines."""

from __future__ import annotations

import json
import resource
import sys
from dataclasses import dataclass, field
from typing import Any, TextIO

import numpy as np


@dataclass
class BenchResult:
    name: str
    figures: dict[str, Any] = field(default_factory=dict)
    targets: dict[str, float] = field(default_factory=dict)   # every target is an upper bound
    notes: list[str] = field(default_factory=list)

    def missed_targets(self) -> list[str]:
        out = []
        for key, limit in self.targets.items():
            value = self.figures.get(key)
            if value is None or value > limit:
                out.append(key)
        return out

    @property
    def met(self) -> bool:
        return not self.missed_targets()

    def as_json(self) -> str:
        return json.dumps({"name": self.name, "figures": self.figures, "targets": self.targets, "met": self.met},
                          ensure_ascii=False, default=float)

    def print(self, as_json: bool = False, out: TextIO = sys.stdout) -> None:
        print(f"bench {self.name}", file=out)
        missed = set(self.missed_targets())
        width = max((len(k) for k in self.figures), default=10)
        for key, value in self.figures.items():
            shown = f"{value:,.2f}" if isinstance(value, float) else f"{value:,}" if isinstance(value, int) else str(value)
            if key in self.targets:
                verdict = "MISSED" if key in missed else "ok"
                print(f"  {key:<{width}}  {shown:>12}   target ≤ {self.targets[key]:g}   {verdict}", file=out)
            else:
                print(f"  {key:<{width}}  {shown:>12}", file=out)
        for n in self.notes:
            print(f"  note: {n}", file=out)
        print(f"  {'all targets met' if self.met else 'MISSED: ' + ', '.join(sorted(missed))}", file=out)
        if as_json:
            print(self.as_json(), file=out, flush=True)


def percentiles(samples_ms: list[float] | np.ndarray, prefix: str = "") -> dict[str, float]:
    a = np.asarray(samples_ms, dtype=float)
    if a.size == 0:
        return {f"{prefix}p50_ms": float("nan"), f"{prefix}p95_ms": float("nan"),
                f"{prefix}p99_ms": float("nan"), f"{prefix}max_ms": float("nan")}
    return {f"{prefix}p50_ms": round(float(np.percentile(a, 50)), 3), f"{prefix}p95_ms": round(float(np.percentile(a, 95)), 3),
            f"{prefix}p99_ms": round(float(np.percentile(a, 99)), 3), f"{prefix}max_ms": round(float(a.max()), 3)}


def peak_rss_mb() -> float:
    """Peak resident set of this process (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
