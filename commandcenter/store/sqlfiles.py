"""Apply the readable .sql files under db/sql/ from Alembic migrations."""

from __future__ import annotations

from collections.abc import Iterable

import psycopg
from sqlalchemy.engine import Connection

from ..paths import db_dir


def run_sql_files(connection: Connection, names: Iterable[str]) -> None:
    """Run each file as one batch, then drop any SET ROLE the file made.

    Files go to psycopg directly, without parameters, so that colons and percent signs in
    the SQL are never taken for placeholders. They run in the migration's transaction.
    """
    raw = connection.connection.driver_connection
    if not isinstance(raw, psycopg.Connection):
        raise TypeError(f"migrations need a psycopg connection, not {type(raw).__name__}")
    for name in names:
        text = (db_dir() / "sql" / name).read_text(encoding="utf-8")
        raw.execute(text)
        raw.execute("RESET ROLE")
