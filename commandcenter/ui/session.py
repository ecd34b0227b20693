"""What one hall or wall process holds: the DSN, the code tables, the map geometry, the live
data, the worker and the shared selection. Built off the GUI thread, then handed over."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import psycopg
from PySide6.QtCore import QObject

from ..domain.mapgeom import MapGeometry
from ..domain.reference import Reference
from ..store import queries
from .fmt import set_zone
from .handoff import run_task
from .i18n import pick
from .live import LiveData
from .selection import Selection
from .worker import DbWorker


@dataclass
class Basics:
    reference: Reference
    territory: queries.Territory
    geometry: MapGeometry
    account: str
    account_street: int | None     # the sub-centre's street; None: district-wide


def load_basics(dsn: str) -> Basics:
    """Reference data and geometry: read once, projected once (worker thread)."""
    with psycopg.connect(dsn, connect_timeout=5) as conn:
        ref = queries.reference(conn)
        terr = queries.territory(conn)
        name, name_en, account_street = conn.execute(
            "SELECT display_name, display_name_en, street_id FROM cc.whoami()").fetchone()
        account = pick(name, name_en)          # in the interface language where the account has both
    geo = MapGeometry(terr.district_outline, terr.streets, terr.communities, terr.grids)
    return Basics(ref, terr, geo, account, account_street)


class Session(QObject):
    def __init__(self, dsn: str, basics: Basics, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dsn = dsn
        self.basics = basics
        self.reference = basics.reference
        set_zone(basics.reference.tz)
        self.geometry = basics.geometry
        self.selection = Selection(self)
        self.worker = DbWorker(dsn, self)
        self.live = LiveData(dsn, basics.reference, self)
        self.live.start()

    def close(self) -> None:
        self.live.stop()
        self.worker.stop()


def open_session(dsn: str, on_ready: Callable[[Session], None], on_error: Callable[[Exception], None]) -> None:
    """Load the basics on a thread; call back on the GUI thread (the GUI never waits)."""
    run_task(lambda: load_basics(dsn), lambda basics: on_ready(Session(dsn, basics)), on_error,
             name="cc-session-loader")
