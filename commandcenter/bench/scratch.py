"""Scratch databases for benchmarks, beside the user's data (never in it): created in the same
server, migrated, seeded small, dropped afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from ..demo import DEFAULT_DISTRICT
from ..demo.seed import seed_demo
from ..store import migrate
from ..store.database import Database

SMALL = dict(district=DEFAULT_DISTRICT, seed=7, cases=400, days=30, communities=34, grids=60)


@contextmanager
def scratch_database(db: Database, seeded: bool = True, **seed: object) -> Iterator[Database]:
    name = f"cc_bench_{uuid.uuid4().hex[:8]}"
    admin = make_conninfo(db.dsn, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    scratch = Database(make_conninfo(db.dsn, dbname=name))
    try:
        migrate.upgrade(scratch)
        if seeded:
            with scratch.connect() as conn:
                seed_demo(conn, **{**SMALL, "until": datetime.now(UTC), **seed})
        yield scratch
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
