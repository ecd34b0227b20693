"""The grid borders kept as an image (ui/map_outline_cache.py) look as the borders stroked
directly whenever the view rests, reuse their image while it pans or zooms a little, and are
stroked afresh past the margin, past the rescale factor, and once a zoom settles."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPen, QTransform
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsScene, QGraphicsView

from commandcenter.ui import map_outline_cache
from commandcenter.ui.map_outline_cache import OutlineCache
from commandcenter.ui.theme import HALL_QSS

SIZE = (400, 300)


def _tiles() -> list:
    """A 40 × 30 lattice of 100 m cells in metres, cut into 4 × 3 tiles: segments as pairs."""
    paths = []
    for tx in range(4):
        for ty in range(3):
            xs, ys, conn = [], [], []
            for i in range(10):
                for j in range(10):
                    x, y = (tx * 10 + i) * 100.0 + 5e5, (ty * 10 + j) * 100.0 + 4e6
                    for (ax, ay), (bx, by) in (((x, y), (x + 100, y)), ((x, y), (x, y + 100))):
                        xs += [ax, bx]
                        ys += [ay, by]
                        conn += [1, 0]
            paths.append(pg.arrayToQPath(np.array(xs), np.array(ys), connect=np.array(conn)))
    return paths


def _view(item) -> QGraphicsView:  # noqa: ANN001
    view = QGraphicsView()
    scene = QGraphicsScene(view)          # the view does not own its scene: parent it
    scene.addItem(item)
    view.setScene(scene)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setFrameShape(QGraphicsView.Shape.NoFrame)
    view.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
    view.setBackgroundBrush(QColor("#0b1220"))
    view.resize(*SIZE)
    view.show()
    return view


def _look(view: QGraphicsView, scale: float, cx: float, cy: float) -> QImage:
    """The view at `scale` pixels per metre centred on (cx, cy), y up as on the map."""
    view.setSceneRect(QRectF(-1e7, -1e7, 2e7, 2e7))
    view.setTransform(QTransform(scale, 0, 0, -scale, 0, 0))
    view.centerOn(cx, cy)
    view.viewport().repaint()
    return view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def _differ(a: QImage, b: QImage) -> float:
    pa = np.frombuffer(a.constBits(), np.uint8).reshape(a.height(), a.width(), 4)[..., :3].astype(int)
    pb = np.frombuffer(b.constBits(), np.uint8).reshape(b.height(), b.width(), 4)[..., :3].astype(int)
    return float((np.abs(pa - pb).max(axis=2) > 3).mean())


def _pair() -> tuple[OutlineCache, QGraphicsView, QGraphicsView]:
    """The cached borders in one view, the same borders as plain path items in another."""
    pen = QPen(QColor(91, 122, 153, 150))
    pen.setWidth(0)
    pen.setCosmetic(True)
    cached = OutlineCache(_tiles(), pen)
    direct = QGraphicsPathItem()
    for path in _tiles():
        item = QGraphicsPathItem(path, direct)
        item.setPen(pen)
    return cached, _view(cached), _view(direct)


@pytest.fixture(params=["bare", "hall style"])
def pair(qapp, request):  # noqa: ANN001, ANN201
    """Bare, and under the hall's style sheet (its frame makes the viewport 396 × 296: margins
    of fractional pixels once put the image's pixels between the screen's)."""
    old = qapp.styleSheet()
    if request.param == "hall style":
        qapp.setStyleSheet(HALL_QSS)
    cached, a, b = _pair()
    yield cached, a, b
    a.close()
    b.close()
    qapp.setStyleSheet(old)


def test_at_rest_the_image_is_the_borders_stroked_directly(pair) -> None:  # noqa: ANN001
    cached, a, b = pair
    centre = (5e5 + 2000, 4e6 + 1500)
    for scale in (0.05, 0.11, 0.3):
        got, want = _look(a, scale, *centre), _look(b, scale, *centre)
        assert _differ(got, want) < 0.002, scale
        # the borders are there at all: the picture differs from an empty view
        assert (np.frombuffer(want.constBits(), np.uint8) != np.frombuffer(want.constBits(), np.uint8)[0]).any()


def test_pans_within_the_margin_reuse_the_image_and_still_look_right(pair) -> None:  # noqa: ANN001
    cached, a, b = pair
    x, y = 5e5 + 2000, 4e6 + 1500
    _look(a, 0.11, x, y)
    shots = cached.shots
    step = round(SIZE[0] * map_outline_cache.MARGIN / 3) / 0.11   # a third of the margin, whole pixels, in metres
    for k in (1, 2):
        got, want = _look(a, 0.11, x + k * step, y), _look(b, 0.11, x + k * step, y)
        assert _differ(got, want) < 0.01
    assert cached.shots == shots
    _look(a, 0.11, x + 2 * SIZE[0] * map_outline_cache.MARGIN / 0.11, y)    # past the margin
    assert cached.shots == shots + 1


def test_a_small_zoom_is_scaled_then_stroked_crisp_once_it_settles(pair, qtbot) -> None:  # noqa: ANN001
    cached, a, b = pair
    x, y = 5e5 + 2000, 4e6 + 1500
    _look(a, 0.11, x, y)
    shots = cached.shots
    _look(a, 0.11 * 1.15, x, y)                 # within RESCALE: the image, scaled
    assert cached.shots == shots
    qtbot.waitUntil(lambda: cached.shots == shots + 1, timeout=map_outline_cache.SETTLE_MS * 10)
    got, want = _look(a, 0.11 * 1.15, x, y), _look(b, 0.11 * 1.15, x, y)
    assert _differ(got, want) < 0.002
    _look(a, 0.11 * 1.15 * map_outline_cache.RESCALE * 1.1, x, y)    # past RESCALE: at once
    assert cached.shots == shots + 2


def test_a_pan_between_pixels_is_stroked_exact_once_it_rests(pair, qtbot) -> None:  # noqa: ANN001
    """The map pans by moving its items, not by whole pixels as a scrolled view does: an image
    shifted by 3.3 pixels is blitted between pixels, then stroked exact once the view rests."""
    cached, a, b = pair
    x, y = 5e5 + 2000, 4e6 + 1500
    _look(a, 0.11, x, y)
    shots = cached.shots
    direct = next(i for i in b.scene().items() if i.parentItem() is None)
    for item in (cached, direct):
        item.setPos(3.3 / 0.11, 0)
    _look(a, 0.11, x, y)
    qtbot.waitUntil(lambda: cached.shots == shots + 1, timeout=map_outline_cache.SETTLE_MS * 10)
    got, want = _look(a, 0.11, x, y), _look(b, 0.11, x, y)
    assert _differ(got, want) < 0.002
