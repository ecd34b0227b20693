"""Scratch databases for benchmarks, beside the user's data (never in it): created in the same
server, migrated, seeded small, dropped afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TypedDict, Unpack

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from ..demo import DEFAULT_DISTRICT
from ..demo.seed import seed_demo
from ..store import migrate
from ..store.database import Database


class SeedArgs(TypedDict, total=False):
    """seed_demo's keyword arguments that a bench may set."""
    district: str
    seed: int
    cases: int
    days: int
    communities: int | None
    grids: int | None
    until: datetime | None


SMALL = SeedArgs(district=DEFAULT_DISTRICT, seed=7, cases=400, days=30, communities=34, grids=60)


@contextmanager
def scratch_database(db: Database, seeded: bool = True, **seed: Unpack[SeedArgs]) -> Iterator[Database]:
    name = f"cc_bench_{uuid.uuid4().hex[:8]}"
    admin = make_conninfo(db.dsn, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    scratch = Database(make_conninfo(db.dsn, dbname=name))
    try:
        migrate.upgrade(scratch)
        if seeded:
            with scratch.connect() as conn:
                args: SeedArgs = {**SMALL, "until": datetime.now(UTC), **seed}
                seed_demo(conn, **args, connect=scratch.connect)
        yield scratch
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
