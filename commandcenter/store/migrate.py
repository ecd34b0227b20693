"""Schema revisions: upgrade with Alembic, and refuse to run on a schema we do not know.

Alembic and SQLAlchemy take a second to import on the development machine: a start whose
schema is already at this app's head (every start but the first after an update) learns that
from one query and the revision files, and never imports them (`is_current`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import psycopg

from ..paths import db_dir
from .database import Database
from .errors import SchemaMismatch

if TYPE_CHECKING:
    from alembic.config import Config

_REVISION = re.compile(r"""^(down_revision|revision)\s*=\s*["']([^"']+)["']""", re.MULTILINE)


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(db_dir()))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def head_in_files() -> str | None:
    """The one revision no other revision file names as its parent, read from the files; None
    when that is not a single revision (Alembic then decides)."""
    revisions, parents = set(), set()
    for path in (db_dir() / "versions").glob("*.py"):
        found = dict((k, v) for k, v in _REVISION.findall(path.read_text(encoding="utf-8")))
        if "revision" in found:
            revisions.add(found["revision"])
        if "down_revision" in found:
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def is_current(db: Database) -> bool:
    """Whether the schema is exactly at this app's head, asked without Alembic."""
    head = head_in_files()
    if head is None:
        return False
    try:
        with psycopg.connect(db.dsn, connect_timeout=5) as conn:
            row = conn.execute("SELECT version_num FROM public.alembic_version").fetchone()
    except psycopg.errors.UndefinedTable:
        return False
    return row is not None and row[0] == head


def current_revision(db: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy.exc import DBAPIError

    engine = db.engine()
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except DBAPIError as exc:
        raise SchemaMismatch(
            f"cannot read the schema revision as this login ({str(exc.orig).strip().splitlines()[0]}). "
            "Ask the administrator to run `commandcenter db upgrade`, which lets every console read it."
        ) from exc
    finally:
        engine.dispose()


def upgrade(db: Database, to: str = "head") -> str:
    """Bring the schema to this app's head revision (or an earlier one, `to`: how a database
    made by an older release is reproduced to test its upgrade); returns it."""
    from alembic import command
    from sqlalchemy.exc import DBAPIError

    current = current_revision(db)
    _refuse_unknown(current)
    cfg = alembic_config()
    engine = db.engine()
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, to)
    except (psycopg.Error, DBAPIError) as exc:
        # All revisions run in one transaction: a failure leaves the database as it was.
        first = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise SchemaMismatch(
            f"could not upgrade the database from revision {current or 'none'} to {to}: {first}. "
            f"Nothing was changed: the database is still at revision {current or 'none'}. Keep a copy of it "
            "(the data directory, or pg_dump) and report this message; to work on at once, start "
            "with another --data-dir for a fresh demo."
        ) from exc
    finally:
        engine.dispose()
    return head_revision() if to == "head" else to


def check_schema(db: Database) -> str:
    """The revision, if it is exactly this app's head; otherwise a SchemaMismatch saying what to do."""
    current = current_revision(db)
    if current is None:
        raise SchemaMismatch(
            "the database has no commandcenter schema yet. Run `commandcenter db upgrade` "
            "(with the same --dsn) to create it."
        )
    _refuse_unknown(current)
    head = head_revision()
    if current != head:
        raise SchemaMismatch(
            f"the database schema is at revision {current}, this app needs {head}. "
            "Run `commandcenter db upgrade` to bring it up to date."
        )
    return current


def _refuse_unknown(current: str | None) -> None:
    if current is None:
        return
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    try:
        script.get_revision(current)
    except Exception as exc:  # alembic raises ResolutionError / CommandError variants
        raise SchemaMismatch(
            f"the database schema is at revision {current}, which this app does not know: "
            "this app is older than the database. Install the newer commandcenter that "
            "created it; do not downgrade the database."
        ) from exc
