"""The command line: db upgrade/status and the errors a user meets."""

from __future__ import annotations

import json
import subprocess
import sys

import psycopg

from commandcenter.store import migrate
from commandcenter.store.errors import SchemaMismatch


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "commandcenter", *args], capture_output=True, text=True,
                          timeout=300)


def test_status_json_has_the_documented_keys(db) -> None:  # noqa: ANN001
    out = _cli("--dsn", db.dsn, "db", "status", "--json")
    assert out.returncode == 0, out.stderr
    status = json.loads(out.stdout)
    for key in ("revision", "streets", "communities", "grids", "grids_fully_staffed", "staff", "cases",
                "cases_by_state", "events"):
        assert key in status
    assert status["revision"] == migrate.head_revision() and status["streets"] == 17


def test_upgrade_creates_the_schema_and_is_idempotent(empty_db) -> None:  # noqa: ANN001
    try:
        migrate.check_schema(empty_db)
        raise AssertionError("an empty database must be refused")
    except SchemaMismatch as exc:
        assert "commandcenter db upgrade" in str(exc)
    first = _cli("db", "upgrade", "--dsn", empty_db.dsn)
    assert first.returncode == 0 and "was empty" in first.stdout, first.stderr
    second = _cli("--dsn", empty_db.dsn, "db", "upgrade")
    assert second.returncode == 0 and "was" not in second.stdout
    assert migrate.check_schema(empty_db) == migrate.head_revision()


def test_a_start_knows_a_current_schema_without_alembic(empty_db) -> None:  # noqa: ANN001
    """is_current (a start's check, no Alembic imported) agrees with Alembic: the head named by
    the revision files is Alembic's head; an empty, older or newer database is not current."""
    assert migrate.head_in_files() == migrate.head_revision()
    assert not migrate.is_current(empty_db)                      # no schema at all
    migrate.upgrade(empty_db)
    assert migrate.is_current(empty_db)
    with psycopg.connect(empty_db.dsn) as c:
        for other in ("0011", "9999"):
            c.execute("UPDATE alembic_version SET version_num = %s", (other,))
            c.commit()
            assert not migrate.is_current(empty_db)
        c.execute("UPDATE alembic_version SET version_num = %s", (migrate.head_revision(),))
    code = ("import sys, commandcenter.store.migrate as m; from commandcenter.store.database import Database; "
            f"assert m.is_current(Database({empty_db.dsn!r})); print(sorted(k for k in sys.modules "
            "if k.split('.')[0] in ('alembic', 'sqlalchemy')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stderr


def test_a_newer_database_is_refused(empty_db) -> None:  # noqa: ANN001
    migrate.upgrade(empty_db)
    with psycopg.connect(empty_db.dsn) as c:
        c.execute("UPDATE alembic_version SET version_num = '9999'")
    out = _cli("--dsn", empty_db.dsn, "db", "upgrade")
    assert out.returncode == 2 and "older than the database" in out.stderr
    try:
        migrate.check_schema(empty_db)
        raise AssertionError("a newer schema must be refused")
    except SchemaMismatch as exc:
        assert "older than the database" in str(exc)


def test_unreachable_and_malformed_databases_get_clear_messages() -> None:
    out = _cli("--dsn", "postgresql://nobody@127.0.0.1:1/none", "db", "status")
    assert out.returncode == 2 and "cannot connect to the database" in out.stderr
    assert "Traceback" not in out.stderr
    bad = _cli("--dsn", "this is not a dsn", "db", "status")
    assert bad.returncode == 2 and "not valid" in bad.stderr and "Traceback" not in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1        # libpq's message ended in a newline: ". Use …" alone
    # libpq's lines are kept apart, not run together ("Connection refused Is the server running")
    assert "refused Is" not in out.stderr and "refused; is the server running" in out.stderr


def test_seed_refuses_an_unknown_district(empty_db) -> None:  # noqa: ANN001
    out = _cli("--dsn", empty_db.dsn, "demo", "seed", "--district", "火星区")
    assert out.returncode == 2 and "东城区" in out.stderr and "海淀区" in out.stderr


def test_an_unknown_district_is_refused_before_anything_is_created(tmp_path) -> None:  # noqa: ANN001
    out = _cli("--data-dir", str(tmp_path / "d"), "demo", "seed", "--district", "西城区")
    assert out.returncode == 2
    assert "no demo for district '西城区'; choose one of: 东城区, 海淀区" in out.stderr
    assert not (tmp_path / "d").exists()


def test_a_bad_dsn_is_one_clear_sentence(tmp_path) -> None:  # noqa: ANN001
    out = _cli("--dsn", "postgresql://nobody@127.0.0.1:1/none", "db", "status")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "cannot connect to the database" in out.stderr and "omit --dsn" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_a_console_login_may_check_the_schema_it_works_on(db) -> None:  # noqa: ANN001
    """`commandcenter --dsn postgresql://dc_supervisor@…` checks the revision before opening."""
    from psycopg.conninfo import make_conninfo

    from commandcenter.store.database import Database
    console = Database(make_conninfo(db.dsn, user="wall", password="demo-wall-2026"))
    assert migrate.check_schema(console) == migrate.head_revision()


def test_asking_for_status_creates_no_database(tmp_path) -> None:  # noqa: ANN001
    out = _cli("--data-dir", str(tmp_path / "new"), "db", "status")
    assert out.returncode == 2 and "there is no commandcenter database" in out.stderr
    assert not (tmp_path / "new").exists()


def test_the_main_thread_waits_for_the_start_up_imports_before_qt_and_the_demo(db, qapp, monkeypatch) -> None:  # noqa: ANN001
    """cli._meanwhile imports the views (and draws a first start's territory) on a thread; the
    main thread must not build the demo or touch Qt again before those imports are done: two
    threads importing shapely, or making PySide6's enums, at once break one of them."""
    import threading

    from commandcenter import cli
    from commandcenter.launch import first_run
    from commandcenter.ui import splash as splash_module

    imported = threading.Event()

    def meanwhile(args) -> threading.Event:  # noqa: ANN001
        threading.Timer(0.4, imported.set).start()      # the imports take a while
        return imported

    seen: dict[str, bool] = {}
    monkeypatch.setattr(cli, "_meanwhile", meanwhile)
    monkeypatch.setattr(splash_module.StartupSplash, "upgrading_schema",
                        lambda self: seen.setdefault("qt", imported.is_set()))
    monkeypatch.setattr(first_run, "prepare", lambda db, **kw: seen.setdefault("prepare", imported.is_set()))
    monkeypatch.setattr(cli, "_hall", lambda args, db, history=None: seen.setdefault("hall", imported.is_set()) and 0)
    assert cli.main(["--dsn", db.dsn]) == 0
    assert seen == {"qt": True, "prepare": True, "hall": True}
