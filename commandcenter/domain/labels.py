"""Map labels without collisions: which labels to show so that none overlaps another.

Greedy by priority, the way cartographic label engines start: a label is kept when its box,
grown by a margin, meets no box kept before it. Works in screen pixels (the caller projects);
no Qt here, so the rule is tested on its own.
"""

from __future__ import annotations

import numpy as np


def declutter(centres: np.ndarray, sizes: np.ndarray, margin: float = 3.0) -> np.ndarray:
    """Boolean mask of the labels to show. `centres` and `sizes` are (n, 2) arrays in pixels
    (x, y and width, height), in priority order: earlier labels win."""
    n = len(centres)
    keep = np.zeros(n, dtype=bool)
    if n == 0:
        return keep
    half = sizes / 2.0 + margin / 2.0
    lo = centres - half
    hi = centres + half
    kept_lo = np.empty((n, 2))
    kept_hi = np.empty((n, 2))
    k = 0
    for i in range(n):
        if k and np.any((lo[i, 0] < kept_hi[:k, 0]) & (hi[i, 0] > kept_lo[:k, 0])
                        & (lo[i, 1] < kept_hi[:k, 1]) & (hi[i, 1] > kept_lo[:k, 1])):
            continue
        keep[i] = True
        kept_lo[k] = lo[i]
        kept_hi[k] = hi[i]
        k += 1
    return keep
