"""The first start's district drawn on a thread while the embedded server is created.

Drawing the demo territory (outlines cut into streets, communities and grids, staff placed)
is Python and shapely work that needs no database, while creating a cluster is initdb and a
server start in child processes: the two overlap. prepare_demo takes the drawn territory
when it was asked for the same district, seed and counts, and draws it itself otherwise."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .territory import Territory

log = logging.getLogger(__name__)

_Key = tuple[str, int, int | None, int | None]
_lock = threading.Lock()
_drawing: dict[_Key, tuple[threading.Thread, list[Territory]]] = {}


def start(district: str, seed: int, communities: int | None = None, grids: int | None = None) -> None:
    """Begin drawing this territory on a thread, once per key. Cheap to call: the thread does
    the imports too (an unknown district is left to prepare_demo, which refuses it)."""
    key = (district, seed, communities, grids)
    with _lock:
        if key in _drawing:
            return
        out: list[Territory] = []

        def draw() -> None:
            try:
                from .names import DISTRICTS
                from .territory import build_territory

                spec = DISTRICTS.get(district)
                if spec is not None:
                    out.append(build_territory(spec, seed, communities, grids))
            except Exception:  # noqa: BLE001 - prepare_demo draws it again and reports the error
                log.exception("drawing the demo territory ahead failed")

        thread = threading.Thread(target=draw, name="cc-demo-territory", daemon=True)
        _drawing[key] = (thread, out)
    thread.start()


def take(district: str, seed: int, communities: int | None = None, grids: int | None = None) -> Territory | None:
    """The territory drawn ahead for this key (waiting for it to be finished), or None."""
    with _lock:
        entry = _drawing.pop((district, seed, communities, grids), None)
    if entry is None:
        return None
    thread, out = entry
    thread.join()
    return out[0] if out else None
