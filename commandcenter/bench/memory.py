"""`bench memory`: peak resident memory of one console at Beijing scale — one live data model
holding 100,000 cases (50,000 of them open, drawn as markers) feeding the board and the map of
the 16 districts cut into 30,000 grids, as the hall holds them."""

from __future__ import annotations

import gc
import os
import random

from ..domain.cases import Snapshot
from ..domain.mapgeom import MapGeometry
from .city import build
from .harness import BenchResult, peak_rss_mb
from .mapbench import city_cases, city_reference

TARGETS = {"peak_rss_mb": 600.0}
CASES = 100_000


def run() -> BenchResult:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ..ui.board import BoardView
    from ..ui.board_model import BoardModel
    from ..ui.live import LiveData
    from ..ui.map_view import MapView
    from ..ui.selection import Selection

    app = QApplication.instance() or QApplication([])
    base = peak_rss_mb()
    city = build()
    geo = MapGeometry(city.outline, city.streets, city.communities, city.grids)
    del city
    gc.collect()
    rows = city_cases(geo, CASES, random.Random(4))
    rows = [r if i % 2 else r._replace(state="closed", is_open=False) for i, r in enumerate(rows)]
    live = LiveData("", city_reference())
    live._on_snapshot(Snapshot(rows, 0))
    del rows
    selection = Selection()
    board = BoardView(BoardModel(live), selection)
    board.state_box.setCurrentIndex(board.state_box.findData(None))
    board.resize(1400, 900)
    board.show()
    view = MapView(live, selection, geo)
    view.resize(1600, 1000)
    view.show()
    app.processEvents()
    view.canvas.viewport().repaint()
    board.table.viewport().repaint()
    result = BenchResult("memory", targets=dict(TARGETS))
    result.figures.update({"grids": len(geo.grids), "cases": CASES,
                           "markers": sum(1 for r in live.rows.values() if r.is_open),
                           "qt_and_python_baseline_mb": base, "peak_rss_mb": peak_rss_mb()})
    result.notes.append("one process, one live model feeding a 100k-row board and the Beijing map")
    board.close()
    view.close()
    return result
