"""Map labels are placed without collisions (Qt-free rule)."""

from __future__ import annotations

import numpy as np

from commandcenter.domain.labels import declutter


def test_overlapping_labels_give_way_to_earlier_ones() -> None:
    centres = np.array([[100, 100], [130, 104], [300, 100], [100, 140]], dtype=float)
    sizes = np.array([[80, 20], [80, 20], [80, 20], [80, 20]], dtype=float)
    assert declutter(centres, sizes).tolist() == [True, False, True, True]


def test_kept_labels_never_overlap() -> None:
    rng = np.random.default_rng(7)
    centres = rng.uniform(0, 800, (300, 2))
    sizes = rng.uniform(20, 90, (300, 2)) * [1, 0.3]
    keep = declutter(centres, sizes, margin=0)
    lo, hi = (centres - sizes / 2)[keep], (centres + sizes / 2)[keep]
    for i in range(len(lo)):
        for j in range(i + 1, len(lo)):
            assert not (lo[i, 0] < hi[j, 0] and hi[i, 0] > lo[j, 0] and lo[i, 1] < hi[j, 1] and hi[i, 1] > lo[j, 1])
    assert keep.sum() > 30 and keep[0]
