"""What one hall or wall process holds: the DSN, the code tables, the map geometry, the live
data, the worker and the shared selection. Built off the GUI thread, then handed over."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import psycopg
from PySide6.QtCore import QObject

from ..domain.display import Display
from ..domain.mapgeom import MapGeometry
from ..domain.reference import Reference
from ..store import queries
from ..store.errors import CommandCenterError
from .gc_policy import GuiThreadCollector, keep_snapshots_out_of_gc
from .handoff import run_task
from .live import LiveData
from .selection import Selection
from .worker import DbWorker


@dataclass
class Basics:
    reference: Reference
    territory: queries.TerritoryOutlines
    geometry: MapGeometry
    account: str
    account_street: int | None     # the sub-centre's street; None: district-wide
    display: Display               # the interface language and the district's time zone
    callers_visible: bool = False  # may this login read a caller's name and phone (column grants)


def load_basics(dsn: str, lang: str) -> Basics:
    """Reference data and geometry: read once, projected once (worker thread)."""
    with psycopg.connect(dsn, connect_timeout=5) as conn:
        ref = queries.reference(conn)
        terr = queries.territory(conn)
        me = conn.execute("SELECT display_name, display_name_en, street_id FROM cc.whoami()").fetchone()
        callers_visible = queries.can_see_callers(conn)
    if me is None:      # whoami() answers for every signed-in console; a login without an account gets nothing
        raise CommandCenterError("this login has no console account: ask the administrator to create one "
                                 "(commandcenter accounts add)")
    name, name_en, account_street = me
    display = Display.of(lang, ref.tz)
    account = display.pick(name, name_en)      # in the interface language where the account has both
    geo = MapGeometry(terr.district_outline, terr.streets, terr.communities, terr.grids)
    return Basics(ref, terr, geo, account, account_street, display, callers_visible)


class Session(QObject):
    def __init__(self, dsn: str, basics: Basics, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dsn = dsn
        self.basics = basics
        self.reference = basics.reference
        self.display = basics.display
        self.geometry = basics.geometry
        self.selection = Selection(self)
        self.worker = DbWorker(dsn, self)
        self.live = LiveData(dsn, basics.reference, self, display=basics.display)
        keep_snapshots_out_of_gc(self.live)
        self.collector = GuiThreadCollector(self)       # cycles freed on the GUI thread only
        self.collector.start()
        self.live.start()

    def close(self) -> None:
        self.live.stop()
        self.worker.stop()
        self.collector.stop()


def open_session(dsn: str, lang: str, on_ready: Callable[[Session], None],
                 on_error: Callable[[Exception], None]) -> None:
    """Load the basics on a thread; call back on the GUI thread (the GUI never waits). `lang`
    is the interface language the application was started in."""
    run_task(lambda: load_basics(dsn, lang), lambda basics: on_ready(Session(dsn, basics)), on_error,
             name="cc-session-loader")
