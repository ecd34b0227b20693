"""Fixtures: one embedded PostgreSQL per test session, a seeded template database, and a
fresh copy of it per test module. Real SQL, real LISTEN/NOTIFY, no fakes."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import psycopg
import pytest
from psycopg import sql

from commandcenter.demo.seed import seed_demo
from commandcenter.store import migrate
from commandcenter.store.database import Database
from commandcenter.store.embedded import EmbeddedServer

TEMPLATE = "cc_template"
# A small Dongcheng: every street, fewer communities and grids, a few hundred cases.
SMALL_DEMO = dict(district="东城区", seed=7, cases=400, days=30, communities=34, grids=60,
                  until=datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
                  base_scale=0.02)     # the grid information base: ~6,000 residents of the grids' ~300,000


@pytest.fixture(autouse=True)
def _qt_objects_die_on_the_gui_thread() -> Iterator[None]:
    """After each test, the cycles its Qt objects sit in are collected here, on the GUI thread.
    Left for later, the cyclic collector could
    free one from a database or feed thread of the next test, and a timer of a destroyed
    object fired in a later test's event loop (a segmentation fault, reproducible in the full
    suite)."""
    yield
    import gc

    from PySide6.QtCore import QCoreApplication
    app = QCoreApplication.instance()
    if app is None:
        return
    gc.collect()


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read or write the developer's real data directory or database."""
    monkeypatch.delenv("COMMANDCENTER_DSN", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.getbasetemp() / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.getbasetemp() / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))


@pytest.fixture()
def x_env(xvfb) -> dict[str, str]:  # noqa: ANN001
    """The environment of a process on the real X server (skips without one; fails in CI)."""
    from .x_support import real_x_env
    return real_x_env(xvfb)


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServer]:
    server = EmbeddedServer(tmp_path_factory.mktemp("embedded"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def template_db(pg_server: EmbeddedServer) -> str:
    """Name of a migrated database holding the small demo district."""
    with psycopg.connect(pg_server.admin_dsn(), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(TEMPLATE)))
    db = Database(pg_server.admin_dsn(TEMPLATE))
    migrate.upgrade(db)
    with db.connect() as conn:
        seed_demo(conn, **SMALL_DEMO, connect=db.connect)
    return TEMPLATE


def _fresh_database(pg_server: EmbeddedServer, template: str | None, prefix: str) -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_server.admin_dsn(), autocommit=True) as conn:
        if template:
            conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template)))
            # A copy does not inherit the template's database grants; the migration's revoke
            # (db/sql/harden.sql) must be repeated, as it would be for any copied database.
            conn.execute(sql.SQL("REVOKE TEMPORARY ON DATABASE {} FROM PUBLIC, cc_owner").format(sql.Identifier(name)))
        else:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return name


@pytest.fixture(scope="module")
def db(pg_server: EmbeddedServer, template_db: str) -> Database:
    """A fresh copy of the seeded demo database for this test module."""
    return Database(pg_server.admin_dsn(_fresh_database(pg_server, template_db, "t")))


@pytest.fixture()
def empty_db(pg_server: EmbeddedServer) -> Database:
    """A database with nothing in it, not even the schema."""
    return Database(pg_server.admin_dsn(_fresh_database(pg_server, None, "e")))


@pytest.fixture()
def conn(db: Database) -> Iterator[psycopg.Connection]:
    with db.connect() as c:
        yield c


@pytest.fixture(scope="module")
def login_role(pg_server: EmbeddedServer, db: Database):  # noqa: ANN201
    """Factory: a login role in the given cc_* groups with a console account; returns a
    connect() for it. Roles are cluster-wide, so names are unique per call."""
    made: list[str] = []

    def make(groups: list[str], street_id: int | None = None, unit_id: int | None = None,
             person_id: int | None = None) -> str:
        name = f"u_{uuid.uuid4().hex[:10]}"
        password = uuid.uuid4().hex          # the embedded cluster asks every console for a password
        with db.connect(autocommit=True) as c:
            limit = c.execute("SELECT cc.console_connection_limit()").fetchone()[0]   # as account_add does
            c.execute(sql.SQL("CREATE ROLE {} LOGIN CONNECTION LIMIT {} PASSWORD {}").format(
                sql.Identifier(name), sql.Literal(limit), sql.Literal(password)))
            c.execute(sql.SQL("ALTER ROLE {} SET idle_in_transaction_session_timeout = '10s'").format(
                sql.Identifier(name)))
            for g in groups:
                c.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(g), sql.Identifier(name)))
            c.execute("INSERT INTO cc.console_account (login, display_name, street_id, unit_id, person_id) "
                      "VALUES (%s, %s, %s, %s, %s)", (name, name, street_id, unit_id, person_id))
        made.append(name)
        return psycopg.conninfo.make_conninfo(db.dsn, user=name, password=password)

    return make
