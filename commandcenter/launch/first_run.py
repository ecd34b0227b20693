"""What a start does to the database: our own embedded server is migrated and, on first use,
given the demo district; someone else's server is only checked, never migrated unasked."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import psycopg

from ..demo import DEFAULT_DISTRICT, FIRST_START_SEED
from ..demo.background import MARKER, BackgroundHistory, interrupted
from ..store import migrate
from ..store.database import Database

if TYPE_CHECKING:
    from ..demo.seed import DemoPlan


def prepare(db: Database, background_history: bool = False,
            say: Callable[[str], None] = print) -> BackgroundHistory | None:
    """Migrate our own server and build the demo on first use: for the hall with its history
    playing behind the sign-in dialog (the running history is returned), for anything else
    to the end before returning. A history cut short last time is built again from nothing."""
    if db.embedded is None:
        migrate.check_schema(db)
        return None
    marker = db.embedded.data_dir / MARKER
    if interrupted(marker):
        say("the demo history was interrupted last time: building the demo database again…")
        db.embedded.recreate_database()
        marker.unlink()
    if not migrate.is_current(db):
        migrate.upgrade(db)   # our own server: bring it to head (checks it is not newer)
    with db.connect() as conn:
        if conn.execute("SELECT count(*) FROM cc.district").fetchone() != (0,):
            return None
    from ..demo.seed import FIRST_START_CASES, FIRST_START_DAYS, prepare_demo  # numpy, shapely: first start only

    say(f"first start: building the {DEFAULT_DISTRICT} demo district with {FIRST_START_DAYS} days of history…")

    def plan(conn: psycopg.Connection) -> DemoPlan:
        return prepare_demo(conn, DEFAULT_DISTRICT, FIRST_START_SEED, cases=FIRST_START_CASES, days=FIRST_START_DAYS,
                            progress=say)

    if not background_history:
        with db.connect() as conn:
            plan(conn).play(conn, progress=say, connect=db.connect)
        return None
    history = BackgroundHistory(db.dsn, plan, marker)
    history.start()
    say("the sign-in dialog opens now and shows the demo being built")
    return history
