"""How the map's keys look: the colour of a fill class or a marker key, marker and cluster
sizes, the density ramp. The map state names keys; only this module turns them into paint, so
the legend and the scene cannot colour the same key differently."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QBrush

from ..domain.mapstate import NO_FIGURE
from .theme import (
    DENSITY_COLOURS,
    GRID_TYPE_COLOURS,
    LEVEL_COLOURS,
    LOAD_COLOURS,
    ROLE_COLOURS,
    STATE_COLOURS,
    URGENCY_COLOURS,
    qcolor,
)

OTHER_FILL = "#64748b"
NO_FIGURE_FILL = "#1f2937"              # outside the console's scope, or not loaded
SPECIAL_COLOURS = ["#1e293b", "#3b2f63", "#6d28d9", "#a855f7", "#f0abfc"]
COVERED = "#15803d"
UNCOVERED = "#dc2626"
OTHER_MARKER = "#94a3b8"
FILL_ALPHA = 120
CLUSTER_LATE = "#ef4444"
CLUSTER_IN_TIME = "#2563eb"

_brushes: dict[str, QBrush] = {}


def fill_colour(mode: str, key: str) -> str:
    """Colour of a fill key: a grid type or level code, or a load class index as text."""
    if mode == "type":
        return GRID_TYPE_COLOURS.get(key, OTHER_FILL)
    if mode == "level":
        return LEVEL_COLOURS.get(key, OTHER_FILL)
    if key == NO_FIGURE:
        return NO_FIGURE_FILL
    if mode == "people":
        return DENSITY_COLOURS[int(key)]
    if mode == "special":
        return SPECIAL_COLOURS[int(key)]
    if mode == "coverage":
        return COVERED if key == "covered" else UNCOVERED
    return LOAD_COLOURS[int(key)]


def marker_colour(mode: str, key: str) -> str:
    return (STATE_COLOURS.get(key) if mode == "state" else URGENCY_COLOURS.get(key)) or OTHER_MARKER


def brush(colour: str) -> QBrush:
    """One brush per colour, shared: 50,000 markers hold references, not brushes."""
    b = _brushes.get(colour)
    if b is None:
        b = _brushes[colour] = pg.mkBrush(colour)
    return b


def marker_brushes(mode: str, keys: list[str]) -> list[QBrush]:
    by_key = {k: brush(marker_colour(mode, k)) for k in set(keys)}
    return [by_key[k] for k in keys]


def marker_sizes(urgent: np.ndarray) -> np.ndarray:
    """Urgent and critical cases stand out by size as well as colour."""
    return np.where(urgent, 11.0, 8.0)


def cluster_brushes() -> tuple[QBrush, QBrush]:
    """(late, in time)"""
    return pg.mkBrush(qcolor(CLUSTER_LATE, 190)), pg.mkBrush(qcolor(CLUSTER_IN_TIME, 190))


def cluster_sizes(counts: np.ndarray) -> np.ndarray:
    return np.clip(14 + np.sqrt(counts) * 3.0, 18, 44)


def role_brushes(staff: list[dict]) -> list[QBrush]:
    """One brush per role, shared: pyqtgraph draws a symbol once per brush it is given (a new
    brush per person rendered 1,824 symbols at every start: 0.5 s)."""
    return [brush(ROLE_COLOURS.get(s["role"], OTHER_MARKER)) for s in staff]


def density_lut() -> np.ndarray:
    """Transparent through red to yellow: sparse areas stay readable beneath."""
    lut = np.zeros((256, 4), dtype=np.ubyte)
    t = np.linspace(0, 1, 256)
    lut[:, 0] = np.clip(255 * np.minimum(1, t * 2), 0, 255)
    lut[:, 1] = np.clip(255 * np.maximum(0, t * 2 - 1) * 0.9 + 40 * t, 0, 255)
    lut[:, 2] = np.clip(80 * (1 - t), 0, 255)
    lut[:, 3] = np.clip(230 * np.sqrt(t), 0, 255)
    lut[0, 3] = 0
    return lut
