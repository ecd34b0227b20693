"""Upgrading a database made by an earlier release: the schema changes must carry its data,
accounts and rights along, not only work on an empty database (what every other test starts
from). Roles are cluster-wide, so each case here has a cluster of its own."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from commandcenter.store import accounts, migrate
from commandcenter.store.database import Database
from commandcenter.store.embedded import EmbeddedServer
from commandcenter.store.errors import SchemaMismatch


def test_a_database_with_accounts_from_0003_upgrades_and_its_consoles_still_sign_in(tmp_path: Path) -> None:
    # Before the fix, 0004 failed here with "dependent privileges exist": cc_owner had given the
    # console groups to every account and could not lose its ADMIN on them while those stood.
    server = EmbeddedServer(tmp_path / "old")
    server.start()
    try:
        db = Database(server.dsn)
        assert migrate.upgrade(db, to="0003") == "0003"
        with db.connect() as conn:
            for login, role in (("old_wall", "wall"), ("old_chief", "supervisor")):
                conn.execute("SELECT cc.account_add(%s, %s, %s, %s, NULL)",       # 0003's signature
                             (login, accounts.scram_verifier(conn, login, "correct horse 1"), login, role))
            conn.commit()
        assert migrate.upgrade(db) == migrate.head_revision()
        with db.connect() as conn:
            grants = conn.execute(
                "SELECT m.rolname, g.rolname, gr.rolname FROM pg_auth_members am "
                "JOIN pg_roles m ON m.oid = am.member JOIN pg_roles g ON g.oid = am.roleid "
                "JOIN pg_roles gr ON gr.oid = am.grantor WHERE m.rolname IN ('old_wall', 'old_chief') "
                "ORDER BY 1").fetchall()
            owner_admin = conn.execute(
                "SELECT count(*) FROM pg_auth_members WHERE member = 'cc_owner'::regrole "
                "AND roleid::regrole::text IN ('cc_operator', 'cc_supervisor', 'cc_wall', 'cc_admin')").fetchone()
        assert grants == [("old_chief", "cc_supervisor", "cc_keeper"), ("old_wall", "cc_wall", "cc_keeper")]
        assert owner_admin == (0,)
        for login in ("old_wall", "old_chief"):
            with psycopg.connect(make_conninfo(db.dsn, user=login, password="correct horse 1")) as console:
                assert console.execute("SELECT login FROM cc.whoami()").fetchone() == (login,)
                console.execute("SELECT count(*) FROM cc.case_board").fetchone()
    finally:
        server.stop()


def test_an_upgrade_that_fails_says_why_and_changes_nothing(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path / "clash")
    server.start()
    try:
        db = Database(server.dsn)
        migrate.upgrade(db, to="0007")
        with db.connect() as conn:        # something in the way of 0008 (as a local change might be)
            conn.execute('ALTER TABLE cc."case" ADD COLUMN first_dispatched_at text')
            conn.commit()
        with pytest.raises(SchemaMismatch) as refused:
            migrate.upgrade(db)
        message = str(refused.value)
        assert "from revision 0007 to head" in message and "first_dispatched_at" in message
        assert "Nothing was changed" in message
        assert migrate.current_revision(db) == "0007"
        with db.connect() as conn:        # 0008's other objects are not there either
            assert conn.execute("SELECT to_regproc('cc._first_dispatch')").fetchone() == (None,)
    finally:
        server.stop()
