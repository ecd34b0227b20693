"""`bench map`: the grid map at Beijing scale — 16 real districts cut into ~30,000 grids and
50,000 open-case markers: the first draw (MapView built and painted on the GUI thread), pan
and zoom frames, the re-clustering after a zoom settles, and hover picking."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np

from ..domain.cases import BoardRow, Snapshot
from ..domain.mapgeom import MapGeometry
from ..domain.reference import Named, Reference
from .city import LEVELS, build
from .harness import BenchResult, peak_rss_mb, percentiles

if TYPE_CHECKING:
    from PySide6.QtCore import QObject

TARGETS = {"first_draw_ms": 1000.0, "frame_p95_ms": 16.0, "hover_p95_ms": 5.0, "peak_rss_mb": 600.0}
MARKERS = 50_000
STATES = ("reported", "filed", "returned", "dispatched", "in_progress", "rework", "handled")


@dataclass
class _Paints:
    count: int = 0


def _paint_counter(paints: _Paints) -> QObject:
    """An event filter that counts the paints it sees in `paints` (its QObject class is made
    when Qt is loaded)."""
    from PySide6.QtCore import QEvent, QObject

    class Counter(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                paints.count += 1
            return False

    return Counter()


def city_reference() -> Reference:
    """Code tables for the synthetic city: codes as names, every state of STATES open."""
    def named(codes: Iterable[str]) -> dict[str, Named]:
        return {c: Named(c, c, c) for c in codes}

    return Reference(district="北京市", district_en="Beijing", tz="Asia/Shanghai",
                     states=named(STATES + ("closed",)), open_states=list(STATES),
                     urgencies=named(("normal", "urgent", "critical")), sources=named(("patrol", "hotline")),
                     tiers=named(("grid", "street", "district")), roles=named(()), core_roles=[],
                     grid_types=named(("residential", "commercial", "enterprise", "crowded")), levels=named(LEVELS))


def city_cases(geo: MapGeometry, n: int, rng: random.Random) -> list[BoardRow]:
    """n open cases spread over random grids, deadlines from 5 h overdue to 20 h ahead (so
    markers, clusters and overdue flags all have work), reproducible from the rng."""
    now = datetime.now(UTC)
    rows = []
    picks = [geo.grids[rng.randrange(len(geo.grids))] for _ in range(n)]
    for i, g in enumerate(picks):
        p = g.geom.representative_point()
        jitter = rng.uniform(-20, 20), rng.uniform(-20, 20)
        lon, lat = geo.projection.points_to_lonlat(np.array([[p.x + jitter[0], p.y + jitter[1]]]))[0]
        rows.append(BoardRow(
            id=i + 1, code=f"C{i:07d}", source="patrol", category_id=1, category_name="乱停车", category_name_en="x",
            title="case", address="", lon=float(lon), lat=float(lat), grid_id=g.id, grid_name=g.name,
            community_id=1, community_name="", street_id=g.attrs["street_id"], street_name="", street_name_en="",
            urgency=rng.choice(("normal", "normal", "urgent")), state=rng.choice(STATES), is_open=True,
            tier="grid", assignee_unit_name=None, assignee_person_name=None, reported_at=now,
            deadline=(d := now + timedelta(hours=rng.uniform(-5, 20))), urge_count=0, escalation_count=0,
            rework_count=0, version=1, warn_at=d - timedelta(hours=2), repeat_count=0))
    return rows


def run() -> BenchResult:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ..ui.live import LiveData
    from ..ui.map_view import MapView
    from ..ui.selection import Selection

    app = QApplication.instance() or QApplication([])
    result = BenchResult("map", targets=dict(TARGETS))
    rng = random.Random(9)
    t = time.perf_counter()
    city = build()
    t_city = time.perf_counter() - t
    t = time.perf_counter()
    geo = MapGeometry(city.outline, city.streets, city.communities, city.grids)
    t_geo = time.perf_counter() - t
    live = LiveData("", city_reference())
    live._on_snapshot(Snapshot(city_cases(geo, MARKERS, rng), 0))

    t = time.perf_counter()
    view = MapView(live, Selection(), geo)
    view.resize(1600, 1000)
    view.show()
    app.processEvents()
    view.canvas.viewport().repaint()
    first_draw = time.perf_counter() - t

    vb = view.vb
    paints = _Paints()
    painter = _paint_counter(paints)
    view.canvas.viewport().installEventFilter(painter)
    (x0, x1), (y0, y1) = vb.viewRange()
    cx, cy, w, h = (x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0
    frames = []
    for i in range(80):
        if i % 2:    # pan
            dx = w * 0.03 * (1 if (i // 10) % 2 else -1)
            cx += dx
        else:        # zoom in, then out
            f = 0.93 if i < 40 else 1 / 0.93
            w, h = w * f, h * f
        t = time.perf_counter()
        vb.setRange(xRange=(cx - w / 2, cx + w / 2), yRange=(cy - h / 2, cy + h / 2), padding=0)
        paints.count = 0
        app.processEvents()
        if paints.count == 0:          # the loop did not paint yet: paint now, once
            view.canvas.viewport().repaint()
        frames.append((time.perf_counter() - t) * 1000)
    settles = []
    for _ in range(5):
        t = time.perf_counter()
        view._on_zoom()          # what the debounce timer runs once a zoom settles
        view.canvas.viewport().repaint()
        settles.append((time.perf_counter() - t) * 1000)

    (x0, x1), (y0, y1) = vb.viewRange()
    picks = []
    for _ in range(500):
        x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        t = time.perf_counter()
        view.describe(x, y)
        picks.append((time.perf_counter() - t) * 1000)
    view.close()

    fp = percentiles(frames)
    hp = percentiles(picks)
    result.figures.update({
        "grids": len(geo.grids), "markers": MARKERS,
        "city_build_s": round(t_city, 2), "geometry_ms": round(t_geo * 1000, 1),
        "first_draw_ms": round(first_draw * 1000, 1),
        "frame_p50_ms": fp["p50_ms"], "frame_p95_ms": fp["p95_ms"], "frame_max_ms": fp["max_ms"],
        "zoom_settle_p95_ms": percentiles(settles)["p95_ms"],
        "hover_p95_ms": hp["p95_ms"], "hover_max_ms": hp["max_ms"],
        "peak_rss_mb": peak_rss_mb(),
    })
    result.notes.append("geometry (projection, outlines, STRtree) is built off the GUI thread at sign-in; "
                        "first draw = MapView built and painted on the GUI thread")
    return result
