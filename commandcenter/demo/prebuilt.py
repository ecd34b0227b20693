"""The first start's district drawn while the embedded server is created.

Drawing the demo territory (outlines cut into streets, communities and grids, staff placed)
is Python and shapely work that needs no database, while creating a cluster is initdb and a
server start in child processes: the two overlap. The command line promises the territory
and draws it on its start-up thread (cli._meanwhile); prepare_demo takes it when it asks for
the same district, seed and counts (waiting for the drawing to end), and draws it itself
otherwise."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .territory import Territory

log = logging.getLogger(__name__)

#: how long take() waits for a promised drawing (it takes ~2 s)
DRAW_TIMEOUT_S = 120.0
_Key = tuple[str, int, int | None, int | None]
_lock = threading.Lock()
_promised: dict[_Key, tuple[threading.Event, list[Territory]]] = {}


def promise(district: str, seed: int, communities: int | None = None,
            grids: int | None = None) -> Callable[[], None]:
    """Say that this territory is being drawn; returns the function that draws it, to be run
    on some thread (its imports included: calling this is cheap). An unknown district, or a
    drawing that fails, leaves take() with nothing and prepare_demo to refuse or redo it."""
    key = (district, seed, communities, grids)
    done = threading.Event()
    out: list[Territory] = []
    with _lock:
        _promised[key] = (done, out)

    def draw() -> None:
        try:
            from .names import DISTRICTS
            from .territory import build_territory

            spec = DISTRICTS.get(district)
            if spec is not None:
                out.append(build_territory(spec, seed, communities, grids))
        except Exception:  # noqa: BLE001 - prepare_demo draws it again and reports the error
            log.exception("drawing the demo territory ahead failed")
        finally:
            done.set()

    return draw


def take(district: str, seed: int, communities: int | None = None, grids: int | None = None) -> Territory | None:
    """The territory promised for this key (waiting for its drawing to end), or None."""
    with _lock:
        entry = _promised.pop((district, seed, communities, grids), None)
    if entry is None:
        return None
    done, out = entry
    if not done.wait(DRAW_TIMEOUT_S):      # its thread is gone: draw it here
        return None
    return out[0] if out else None
