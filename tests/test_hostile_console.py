"""A hostile console: plain psycopg signed in as the lowest roles (the wall, a street operator),
trying what issue 9 found possible. Each attempt must be refused with a clear message and
change nothing; the catalogue itself is read to prove every definer function is safe."""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from commandcenter.store.commands import Workflow
from commandcenter.store.errors import ActionRefused, InvalidArgument, OutsideDistrict, PermissionRefused
from commandcenter.store.guard import start_guard

from .helpers import case_row, new_case_in, sign_in

BIG = "字" * 10_000_000          # 10 million characters (30 MB of UTF-8)


@pytest.fixture(scope="module")
def streets(db) -> dict[str, int]:  # noqa: ANN001
    with db.connect() as c:
        return dict(c.execute("SELECT name, id FROM cc.street").fetchall())


def _state(db) -> tuple:  # noqa: ANN001
    """Everything an attack could change: cases, events, audit, memberships, triggers."""
    with db.connect() as c:
        return (c.execute('SELECT md5(string_agg(t::text, \'|\' ORDER BY id)) FROM cc."case" t').fetchone()[0],
                c.execute("SELECT max(id) FROM cc.case_event").fetchone()[0],
                c.execute("SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
                          "WHERE r.rolname LIKE 'cc\\_%'").fetchone()[0],
                c.execute("SELECT string_agg(tgname::text || tgenabled::text, ',' ORDER BY tgname) FROM pg_trigger "
                          "WHERE tgrelid IN ('cc.case_event'::regclass, 'cc.audit_log'::regclass)").fetchone()[0])


def _case_in_street(db, street_id: int, state: str = "filed") -> tuple[int, int]:  # noqa: ANN001
    """A new case of the given street, driven by the district centre into `state`."""
    with db.connect() as admin:
        gid, lon, lat = admin.execute('SELECT grid_id, lon, lat FROM cc."case" WHERE street_id = %s ORDER BY id LIMIT 1',
                                      (street_id,)).fetchone()
        admin.commit()
        wf = Workflow(admin)
        case_id = wf.report("hotline", "010201", "测试 hostile", lon, lat, grid_id=gid)
        version = 1
        if state in ("filed", "dispatched"):
            version = wf.file(case_id, version)
        if state == "dispatched":
            unit = admin.execute("SELECT id FROM cc.unit WHERE street_id = %s ORDER BY id LIMIT 1", (street_id,)).fetchone()[0]
            admin.commit()
            version = wf.dispatch(case_id, version, unit_id=unit)
        return case_id, version


# ---------------------------------------------------------------- 1. definer functions

def test_every_definer_function_pins_search_path_and_runs_as_a_narrow_owner(db) -> None:  # noqa: ANN001
    with db.connect() as c:
        definers = c.execute(
            "SELECT p.oid::regprocedure::text, pg_get_userbyid(p.proowner), p.proconfig FROM pg_proc p "
            "WHERE p.pronamespace = 'cc'::regnamespace AND p.prosecdef").fetchall()
        assert len(definers) >= 25
        for name, owner, config in definers:
            assert config is not None and "search_path=pg_catalog, cc, pg_temp" in config, name
            if not name.startswith(("cc.sees_street(", "cc.console_street(")):
                assert {"debug_print_plan=off", "debug_print_parse=off", "debug_print_rewritten=off"} <= set(config), name
            assert owner in ("cc_exec", "cc_keeper"), (name, owner)
        # PUBLIC executes nothing in cc; the tables' owner runs no code and holds no extra power
        public_exec = c.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) x "
            "WHERE p.pronamespace = 'cc'::regnamespace AND x.grantee = 0 AND x.privilege_type = 'EXECUTE'").fetchall()
        assert public_exec == []
        owner = c.execute("SELECT rolcreaterole, rolcanlogin FROM pg_roles WHERE rolname = 'cc_owner'").fetchone()
        assert owner == (False, False)
        owner_of = c.execute("SELECT array_agg(r.rolname) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
                             "WHERE m.member = 'cc_owner'::regrole").fetchone()[0] or []
        assert not {"pg_signal_backend", "cc_admin", "cc_supervisor", "cc_operator", "cc_wall"} & set(owner_of)
        assert c.execute("SELECT count(*) FROM pg_class WHERE relnamespace = 'cc'::regnamespace "
                         "AND relowner = 'cc_exec'::regrole").fetchone()[0] == 0
        # no console group (nor PUBLIC) may create temporary objects here
        for role in ("cc_reader", "cc_wall", "cc_operator", "cc_supervisor", "cc_admin", "cc_exec", "cc_owner"):
            assert not c.execute("SELECT has_database_privilege(%s, current_database(), 'TEMPORARY')",
                                 (role,)).fetchone()[0], role
        checks = {r[0]: r[1] for r in c.execute("SELECT check_name, ok FROM cc.security_check()")}
    # the test cluster holds a database per test module, so other databases admit consoles here
    assert all(ok for name, ok in checks.items() if "guard" not in name and "this database only" not in name), checks


DOCUMENTED_SQLSTATES = {"CC001", "CC002", "CC005", "CC006", "CC007", "CC008", "CC009", "42501"}   # db/README.md


def test_every_refusal_is_a_documented_sqlstate_with_a_hint(db) -> None:  # noqa: ANN001
    with db.connect() as c:
        functions = c.execute("SELECT p.oid::regprocedure::text, p.prosrc FROM pg_proc p JOIN pg_language l "
                              "ON l.oid = p.prolang WHERE p.pronamespace = 'cc'::regnamespace "
                              "AND l.lanname = 'plpgsql'").fetchall()
    raises = [(name, m.group(1)) for name, src in functions
              for m in re.finditer(r"RAISE EXCEPTION(.*?);\s*\n", src, re.S)]
    assert len(raises) > 40
    for name, statement in raises:
        code = re.search(r"ERRCODE = '(\w+)'", statement)
        assert code and code.group(1) in DOCUMENTED_SQLSTATES, (name, statement)
        assert "HINT =" in statement, (name, " ".join(statement.split())[:120])


def test_a_console_cannot_create_temporary_objects(db) -> None:  # noqa: ANN001
    for login in ("wall", "dhm_operator"):
        with sign_in(db, login) as c:
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="temporary"):
                c.execute("CREATE TEMP TABLE x (a int)")


SHADOWS = [
    # runs inside whatever function resolves one of the names below to the caller's objects
    """CREATE FUNCTION pg_temp.pwn(x anyelement) RETURNS boolean LANGUAGE plpgsql AS $f$
       BEGIN
         RAISE NOTICE 'pwn ran as %', current_user;
         BEGIN EXECUTE format('GRANT cc_admin TO %I', session_user); EXCEPTION WHEN OTHERS THEN NULL; END;
         BEGIN UPDATE cc."case" SET title = 'pwned'; EXCEPTION WHEN OTHERS THEN NULL; END;
         BEGIN ALTER TABLE cc.case_event DISABLE TRIGGER USER; EXCEPTION WHEN OTHERS THEN NULL; END;
         BEGIN ALTER TABLE cc.audit_log DISABLE TRIGGER USER; EXCEPTION WHEN OTHERS THEN NULL; END;
         RETURN true;
       END $f$""",
    "CREATE DOMAIN pg_temp.text AS pg_catalog.text CHECK (pg_temp.pwn(VALUE))",
    "CREATE DOMAIN pg_temp.date AS pg_catalog.date CHECK (pg_temp.pwn(VALUE))",
    "CREATE DOMAIN pg_temp.timestamptz AS pg_catalog.timestamptz CHECK (pg_temp.pwn(VALUE))",
    "CREATE DOMAIN pg_temp.jsonb AS pg_catalog.jsonb CHECK (pg_temp.pwn(VALUE))",
    "CREATE DOMAIN pg_temp.numeric AS pg_catalog.numeric CHECK (pg_temp.pwn(VALUE))",
    "CREATE DOMAIN pg_temp.name AS pg_catalog.name CHECK (pg_temp.pwn(VALUE))",
    # unqualified catalogue views used by the account and guard functions
    "CREATE VIEW pg_temp.pg_roles AS SELECT * FROM pg_catalog.pg_roles WHERE pg_temp.pwn(1)",
    "CREATE VIEW pg_temp.pg_stat_activity AS SELECT * FROM pg_catalog.pg_stat_activity WHERE pg_temp.pwn(1)",
    "CREATE VIEW pg_temp.pg_auth_members AS SELECT * FROM pg_catalog.pg_auth_members WHERE pg_temp.pwn(1)",
    "CREATE VIEW pg_temp.pg_locks AS SELECT * FROM pg_catalog.pg_locks WHERE pg_temp.pwn(1)",
]


@pytest.mark.parametrize("groups", [["cc_wall"], ["cc_supervisor"]], ids=["wall", "supervisor"])
def test_temporary_objects_never_run_inside_a_definer_function(db, login_role, groups) -> None:  # noqa: ANN001
    """Even a login that is given TEMPORARY back (so that the pinning itself is what is tested)
    cannot make a definer function run its code."""
    dsn = login_role(groups)
    login = conninfo_to_dict(dsn)["user"]
    with db.connect(autocommit=True) as admin:
        admin.execute(sql.SQL("GRANT TEMPORARY ON DATABASE {} TO {}").format(
            sql.Identifier(admin.info.dbname), sql.Identifier(login)))
        # … and plpgsql (consoles have none since 0013): the shadows below are plpgsql
        admin.execute(sql.SQL("GRANT USAGE ON LANGUAGE plpgsql TO {}").format(sql.Identifier(login)))
    case_id, version = new_case_in(psycopg.connect(db.dsn), "filed")
    before = _state(db)
    ran_as: set[str] = set()
    with psycopg.connect(dsn, autocommit=True) as c:
        c.add_notice_handler(lambda d: ran_as.add((d.message_primary or "").removeprefix("pwn ran as ")))
        for statement in SHADOWS:
            c.execute(statement)
        calls = [
            ("SELECT * FROM cc.dispatch_options(%s)", (case_id,)),
            ("SELECT * FROM cc.allowed_actions(%s)", (case_id,)),
            ("SELECT * FROM cc.whoami()", ()),
            ("SELECT cc.event_horizon()", ()),
            ("SELECT cc.urge(%s, %s, %s)", (case_id, version, "催办 urge")),
            ("SELECT cc.report('hotline', '010201', 'x', 116.41, 39.91)", ()),
            ("SELECT * FROM cc.accounts()", ()),
            ("SELECT cc.account_set_enabled('wall', true)", ()),
            ("SELECT * FROM cc.security_check()", ()),
            ("SELECT * FROM cc.guard()", ()),
            ("SELECT count(*) FROM cc.case_board", ()),
        ]
        for query, args in calls:
            try:
                c.execute(query, args).fetchall()
            except psycopg.Error:
                pass              # refusals are fine; what matters is whose code ran
    assert ran_as <= {login}, f"the caller's code ran as {ran_as - {login}}"
    with db.connect() as c:
        assert not c.execute("SELECT pg_has_role(%s, 'cc_admin', 'MEMBER')", (login,)).fetchone()[0]
        assert c.execute("SELECT count(*) FROM cc.\"case\" WHERE title = 'pwned'").fetchone()[0] == 0
    after = _state(db)
    assert after[2:] == before[2:]        # memberships and triggers exactly as they were
    if groups == ["cc_wall"]:
        assert after == before            # the wall changed nothing at all


# ---------------------------------------------------------------- 2. forged identity

def test_the_reporter_is_the_signed_in_account(db, streets) -> None:  # noqa: ANN001
    with db.connect() as admin:
        other_person = admin.execute(
            "SELECT ga.person_id, g.id, c.lon, c.lat FROM cc.grid_assignment ga JOIN cc.grid g ON g.id = ga.grid_id "
            "JOIN cc.\"case\" c ON c.grid_id = g.id WHERE g.street_id = %s LIMIT 1", (streets["东花市街道"],)).fetchone()
        own = admin.execute('SELECT grid_id, lon, lat FROM cc."case" WHERE street_id = %s LIMIT 1',
                            (streets["东华门街道"],)).fetchone()
    before = _state(db)
    with sign_in(db, "dhm_operator") as c:
        wf = Workflow(c)
        with pytest.raises(PermissionRefused, match="reporter is the signed-in account") as err:
            wf.report("patrol", "010201", "冒名 forged", own[1], own[2], reporter_person_id=other_person[0])
        assert err.value.hint
        with pytest.raises(PermissionRefused, match="only staff of grid"):
            wf.report("patrol", "010201", "就地解决 forged micro-loop", own[1], own[2], solved_on_spot=True)
    assert _state(db) == before


def test_only_the_grids_own_staff_close_on_the_spot(db, login_role, streets) -> None:  # noqa: ANN001
    with db.connect() as admin:
        gid, person, lon, lat = admin.execute(
            "SELECT ga.grid_id, ga.person_id, c.lon, c.lat FROM cc.grid_assignment ga JOIN cc.\"case\" c "
            "ON c.grid_id = ga.grid_id WHERE ga.role_code = 'grid_manager' LIMIT 1").fetchone()
        street = admin.execute("SELECT street_id FROM cc.grid WHERE id = %s", (gid,)).fetchone()[0]
        elsewhere = admin.execute(
            "SELECT c.grid_id, c.lon, c.lat FROM cc.\"case\" c WHERE c.street_id = %s AND c.grid_id <> %s "
            "AND NOT EXISTS (SELECT 1 FROM cc.grid_assignment ga WHERE ga.grid_id = c.grid_id AND ga.person_id = %s) "
            "LIMIT 1", (street, gid, person)).fetchone()
    terminal = login_role(["cc_reporter"], street_id=street, person_id=person)   # a grid worker's handset
    with psycopg.connect(terminal) as c:
        wf = Workflow(c)
        case_id = wf.report("patrol", "010201", "井盖松动 已复位", lon, lat, solved_on_spot=True)
        with db.connect() as admin:
            row = case_row(admin, case_id)
        assert (row["state"], row["reporter_person_id"], row["tier"]) == ("handled", person, "grid")
        if elsewhere is not None:
            with pytest.raises(PermissionRefused, match="only staff of grid"):
                wf.report("patrol", "010201", "别的网格", elsewhere[1], elsewhere[2], solved_on_spot=True)
        # a terminal does not record residents' names and phones
        with pytest.raises(PermissionRefused, match="operator role"):
            wf.report("patrol", "010201", "x", lon, lat, reporter_name="张三", reporter_phone="13800000000")


# ---------------------------------------------------------------- 3. the tier ladder

def test_a_street_cannot_file_into_or_dispatch_in_the_district_loop(db, streets) -> None:  # noqa: ANN001
    dhm = streets["东华门街道"]
    reported, v = _case_in_street(db, dhm, "reported")
    with sign_in(db, "dhm_operator") as c:
        before = case_row(c, reported)
        with pytest.raises(PermissionRefused, match="not the district loop") as err:
            Workflow(c).file(reported, v, "district")
        assert "escalate" in (err.value.hint or "")
        assert case_row(c, reported) == before
    # the district centre puts a case in the big loop; the street may not dispatch it
    filed, v = _case_in_street(db, dhm, "reported")
    with db.connect() as admin:
        v = Workflow(admin).file(filed, v, "district")
        unit = admin.execute("SELECT id FROM cc.unit WHERE street_id = %s ORDER BY id LIMIT 1", (dhm,)).fetchone()[0]
    with sign_in(db, "dhm_supervisor") as c:
        before = case_row(c, filed)
        with pytest.raises(PermissionRefused, match="is in the district loop"):
            Workflow(c).dispatch(filed, v, unit_id=unit)
        assert case_row(c, filed) == before


def test_dispatch_targets_belong_to_the_cases_tier(db, streets) -> None:  # noqa: ANN001
    dhm = streets["东华门街道"]
    with db.connect() as admin:
        district_unit = admin.execute("SELECT id FROM cc.unit WHERE street_id IS NULL ORDER BY id LIMIT 1").fetchone()[0]
        street_unit = admin.execute("SELECT id FROM cc.unit WHERE street_id = %s ORDER BY id LIMIT 1", (dhm,)).fetchone()[0]
    case_id, v = _case_in_street(db, dhm, "filed")
    with sign_in(db, "dhm_supervisor") as c:
        with pytest.raises(PermissionRefused, match="district-level"):
            Workflow(c).dispatch(case_id, v, unit_id=district_unit)
        v = Workflow(c).dispatch(case_id, v, unit_id=street_unit)
        assert case_row(c, case_id)["tier"] == "street"
    # the district centre dispatching to a district department takes the case into the big loop
    case_id, v = _case_in_street(db, dhm, "filed")
    with sign_in(db, "dc_supervisor") as c:
        Workflow(c).dispatch(case_id, v, unit_id=district_unit)
        assert case_row(c, case_id)["tier"] == "district"
        data = c.execute("SELECT data FROM cc.case_event WHERE case_id = %s ORDER BY id DESC LIMIT 1",
                         (case_id,)).fetchone()[0]
        assert data["tier"] == "district"


# ---------------------------------------------------------------- 4. unbounded and hostile input

def test_huge_arguments_are_refused_with_a_short_message(db) -> None:  # noqa: ANN001
    with db.connect() as admin:
        lon, lat = admin.execute('SELECT lon, lat FROM cc."case" ORDER BY id LIMIT 1').fetchone()
    case_id, v = _case_in_street(db, _street_of(db), "dispatched")
    before = _state(db)
    with sign_in(db, "dc_operator") as c:
        wf = Workflow(c)
        for call, pattern in [
            (lambda: wf.report("hotline", "010201", "x", lon, lat, reporter_name=BIG), "caller's name is too long"),
            (lambda: wf.report("hotline", "010201", "x", lon, lat, reporter_phone=BIG), "phone number is too long"),
            (lambda: wf.report(BIG, "010201", "x", lon, lat), "unknown source"),
            (lambda: wf.report("hotline", BIG, "x", lon, lat), "unknown case category"),
            (lambda: wf.report("hotline", "010201", BIG, lon, lat), "title is too long"),
            (lambda: wf.urge(case_id, v, BIG), "note is too long"),
        ]:
            with pytest.raises(ActionRefused) as err:
                call()
            text = str(err.value)
            assert pattern in text and len(text) < 400, text[:500]
        with pytest.raises(InvalidArgument, match="not a phone number"):
            wf.report("hotline", "010201", "x", lon, lat, reporter_name="李四", reporter_phone="call me maybe")
        with pytest.raises(OutsideDistrict):
            wf.report("hotline", "010201", "x", float("nan"), lat)
        with pytest.raises(OutsideDistrict):
            wf.report("hotline", "010201", "x", float("inf"), lat)
    assert _state(db) == before


def test_a_refused_huge_literal_does_not_flood_the_server_log(db, pg_server) -> None:  # noqa: ANN001
    log = pg_server.pgdata / "log"
    before = log.stat().st_size
    with sign_in(db, "wall") as c:
        for _ in range(3):
            with pytest.raises(psycopg.Error):
                c.execute("SELECT cc.report('" + "x" * 2_000_000 + "', '010201', 't', 116.4, 39.9)")
            c.rollback()
    assert log.stat().st_size - before < 20_000


def test_deadlines_must_lie_within_a_year_from_now(db) -> None:  # noqa: ANN001
    case_id, v = _case_in_street(db, _street_of(db), "filed")
    with db.connect() as admin:
        unit = admin.execute('SELECT u.id FROM cc.unit u JOIN cc."case" c ON c.street_id = u.street_id '
                             "WHERE c.id = %s LIMIT 1", (case_id,)).fetchone()[0]
    with sign_in(db, "dc_supervisor") as c:
        before = case_row(c, case_id)
        now = datetime.now(UTC)
        for deadline in ("infinity", now + timedelta(days=800), now - timedelta(hours=1)):
            with pytest.raises(InvalidArgument, match="not between now and one year") as err:
                Workflow(c).dispatch(case_id, v, unit_id=unit, deadline=deadline)   # type: ignore[arg-type]
            assert "time limit" in (err.value.hint or "")
        assert case_row(c, case_id) == before
        Workflow(c).dispatch(case_id, v, unit_id=unit, deadline=now + timedelta(days=3))


def test_control_and_bidi_characters_are_removed(db) -> None:  # noqa: ANN001
    with db.connect() as admin:
        lon, lat = admin.execute('SELECT lon, lat FROM cc."case" ORDER BY id LIMIT 1').fetchone()
    with sign_in(db, "dc_operator") as c:
        case_id = Workflow(c).report(
            "hotline", "010201", "\x1b[31m红色\x1b[0m \u202egnp.exe\u202c\x07", lon, lat,
            description="第一行\r\n第二行\x00".replace("\x00", "") + "\u2066隔离\u2069", address="东华门\t大街\n1号",
            reporter_name=" 王\u200f五 ", reporter_phone="010-6512 3456")
        row = c.execute('SELECT title, description, address, reporter_name, reporter_phone FROM cc."case" WHERE id = %s',
                        (case_id,)).fetchone()
    assert row == ("[31m红色[0m gnp.exe", "第一行\n第二行隔离", "东华门 大街 1号", "王五", "010-6512 3456")


def test_an_unknown_person_is_a_clear_refusal_not_a_foreign_key_error(db) -> None:  # noqa: ANN001
    with db.connect() as admin:          # only administrators (history loading) may name a reporter
        lon, lat = admin.execute('SELECT lon, lat FROM cc."case" ORDER BY id LIMIT 1').fetchone()
        admin.commit()
        with pytest.raises(InvalidArgument, match="person 99999999 does not exist"):
            Workflow(admin).report("patrol", "010201", "x", lon, lat, reporter_person_id=99999999)


# ---------------------------------------------------------------- 5. holding up the others

@pytest.fixture()
def guard(db):  # noqa: ANN001, ANN201
    """The guard as the embedded server's owner process runs it (store/embedded.py watch())."""
    stop = threading.Event()
    thread = start_guard(db.dsn, stop)
    yield
    stop.set()
    thread.join(timeout=5)


@pytest.mark.parametrize("hold", ["idle", "sleeping"])
def test_an_open_transaction_after_an_action_holds_no_one_up(db, streets, guard, hold: str) -> None:  # noqa: ANN001
    mine, v_mine = _case_in_street(db, streets["东华门街道"], "dispatched")
    theirs, v_theirs = _case_in_street(db, streets["东花市街道"], "filed")
    with db.connect() as admin:
        unit = admin.execute("SELECT id FROM cc.unit WHERE street_id = %s ORDER BY id LIMIT 1",
                             (streets["东花市街道"],)).fetchone()[0]
    holder = sign_in(db, "dhm_operator")
    holder.execute("SET idle_in_transaction_session_timeout = 0")     # a login can switch its own off
    holder.execute("SELECT cc.urge(%s, %s, '催办')", (mine, v_mine))  # takes the event counter, no commit
    sleeper = None
    if hold == "sleeping":
        sleeper = threading.Thread(target=lambda: _swallow(lambda: holder.execute("SELECT pg_sleep(60)")))
        sleeper.start()
    try:
        with sign_in(db, "dhs_supervisor") as c:
            t0 = time.monotonic()
            Workflow(c).dispatch(theirs, v_theirs, unit_id=unit)
            waited = time.monotonic() - t0
        assert 1.5 < waited < 5.0, f"another street's dispatch took {waited:.2f} s"
        if sleeper is not None:
            sleeper.join(timeout=10)
        with pytest.raises(psycopg.OperationalError):
            holder.execute("SELECT 1")
    finally:
        holder.close()
    with db.connect() as admin:
        ended = admin.execute("SELECT detail->>'reason' FROM cc.audit_log WHERE action = 'session_ended' "
                              "AND subject = 'dhm_operator' ORDER BY id DESC LIMIT 1").fetchone()
        assert ended is not None and "waited for since" in ended[0]
        assert case_row(admin, mine)["urge_count"] == 0        # the held action never committed


def test_a_listener_in_an_open_transaction_is_ended(db) -> None:  # noqa: ANN001
    """It pins the NOTIFY queue: a flood would then fail every action (54000)."""
    listener = sign_in(db, "wall")
    listener.execute("LISTEN cc_events")
    listener.execute("SELECT 1")          # the transaction stays open
    pid = listener.info.backend_pid
    with db.connect(autocommit=True) as admin:
        admin.execute("BEGIN")            # a superuser's open transaction is never ended
        admin.execute("SELECT 1")
        time.sleep(1.3)
        with db.connect(autocommit=True) as guard_conn:
            ended = guard_conn.execute("SELECT * FROM cc.guard(p_idle_after => '1 second')").fetchall()
        assert (pid, "wall") in [(p, who) for p, who, _ in ended]
        assert admin.info.backend_pid not in [p for p, _, _ in ended]
        admin.execute("COMMIT")
    with pytest.raises(psycopg.OperationalError):
        listener.execute("SELECT 1")
    listener.close()


def test_the_guard_is_not_for_consoles(db) -> None:  # noqa: ANN001
    for login in ("wall", "dc_supervisor"):
        with sign_in(db, login) as c:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                c.execute("SELECT * FROM cc.guard()")


def test_db_check_names_what_is_missing_and_the_guard_satisfies_it(db, capsys) -> None:  # noqa: ANN001
    from commandcenter.cli import main

    assert main(["db", "check", "--dsn", db.dsn]) == 1          # a --dsn server with no guard running
    out = capsys.readouterr().out
    assert "a guard ends sessions that hold others up: MISSING" in out and "commandcenter db guard" in out
    assert "definer functions pin search_path with pg_temp last: ok" in out
    with sign_in(db, "wall") as fake:                           # a console naming itself the guard is not one
        fake.execute("SET application_name = 'commandcenter-guard'")
        main(["db", "check", "--dsn", db.dsn])
        assert "a guard ends sessions that hold others up: MISSING" in capsys.readouterr().out
    stop = threading.Event()
    thread = start_guard(db.dsn, stop)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            main(["db", "check", "--dsn", db.dsn])
            if "a guard ends sessions that hold others up: ok" in capsys.readouterr().out:
                break
            time.sleep(0.2)
        main(["db", "check", "--dsn", db.dsn])
        out = capsys.readouterr().out
        assert "a guard ends sessions that hold others up: ok" in out
        # everything else holds too, but that other test databases of this cluster admit consoles
        assert [line for line in out.splitlines() if "MISSING" in line and "this database only" not in line] == []
    finally:
        stop.set()
        thread.join(timeout=5)


def test_one_account_cannot_take_every_connection(db) -> None:  # noqa: ANN001
    flood: list[psycopg.Connection] = []
    try:
        with pytest.raises(psycopg.OperationalError, match="too many connections for role"):
            for _ in range(200):
                flood.append(sign_in(db, "wall"))
        with db.connect() as c:
            limit = c.execute("SELECT cc.console_connection_limit()").fetchone()[0]
        assert len(flood) == limit
        with sign_in(db, "dc_supervisor") as c:
            assert c.execute("SELECT login FROM cc.whoami()").fetchone()[0] == "dc_supervisor"
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            flood[0].execute("ALTER ROLE wall CONNECTION LIMIT -1")   # nor lift its own limit
    finally:
        for c in flood:
            c.close()


# ---------------------------------------------------------------- 6. smaller leaks

def test_staffing_is_read_by_street(db, streets) -> None:  # noqa: ANN001
    dhm = streets["东华门街道"]
    with sign_in(db, "dhm_operator") as c:
        assert {r[0] for r in c.execute("SELECT DISTINCT g.street_id FROM cc.grid_assignment ga "
                                        "JOIN cc.grid g ON g.id = ga.grid_id")} == {dhm}
        assert {r[0] for r in c.execute("SELECT DISTINCT street_id FROM cc.grid_staffing")} == {dhm}
        assert c.execute("SELECT count(*) FROM cc.unit_staff us JOIN cc.unit u ON u.id = us.unit_id "
                         "WHERE u.street_id <> %s", (dhm,)).fetchone()[0] == 0
    with sign_in(db, "wall") as c:     # the district sees every street
        assert c.execute("SELECT count(DISTINCT street_id) FROM cc.grid_staffing").fetchone()[0] == len(streets)


def test_the_audit_logs_refusal_names_the_audit_log(db) -> None:  # noqa: ANN001
    with db.connect() as admin:
        with pytest.raises(psycopg.Error, match=r"cc\.audit_log is append-only: DELETE"):
            admin.execute("DELETE FROM cc.audit_log")


def _street_of(db) -> int:  # noqa: ANN001
    with db.connect() as c:
        return int(c.execute("SELECT id FROM cc.street WHERE name = '东华门街道'").fetchone()[0])


def _swallow(fn) -> None:  # noqa: ANN001
    try:
        fn()
    except psycopg.Error:
        pass


# ---------------------------------------------------------------- 7. what a second attacker found

def test_an_advisory_lock_cannot_switch_the_guard_off(db, streets, guard) -> None:  # noqa: ANN001
    mine, v_mine = _case_in_street(db, streets["东华门街道"], "dispatched")
    theirs, v_theirs = _case_in_street(db, streets["东花市街道"], "filed")
    with db.connect() as admin:
        unit = admin.execute("SELECT id FROM cc.unit WHERE street_id = %s ORDER BY id LIMIT 1",
                             (streets["东花市街道"],)).fetchone()[0]
    blocker = sign_in(db, "wall", autocommit=True)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):     # consoles take no advisory locks at all now
        blocker.execute("SELECT pg_advisory_lock(hashtext('cc.guard'))")       # the key the guard once used
    holder = sign_in(db, "dhm_operator")
    holder.execute("SELECT cc.urge(%s, %s, '催办')", (mine, v_mine))
    try:
        with sign_in(db, "dhs_supervisor") as c:
            t0 = time.monotonic()
            Workflow(c).dispatch(theirs, v_theirs, unit_id=unit)
            assert time.monotonic() - t0 < 5.0
    finally:
        holder.close()
        blocker.close()


def test_only_the_root_of_a_queue_is_ended_never_a_waiter_in_it(db, streets) -> None:  # noqa: ANN001
    mine, v_mine = _case_in_street(db, streets["东华门街道"], "dispatched")
    theirs, v_theirs = _case_in_street(db, streets["东花市街道"], "filed")
    with db.connect() as admin:
        lon, lat = admin.execute('SELECT lon, lat FROM cc."case" WHERE street_id = %s LIMIT 1',
                                 (streets["东华门街道"],)).fetchone()
        unit = admin.execute("SELECT id FROM cc.unit WHERE street_id = %s ORDER BY id LIMIT 1",
                             (streets["东花市街道"],)).fetchone()[0]
    root = sign_in(db, "dhm_operator")
    root.execute("SELECT cc.urge(%s, %s, '催办')", (mine, v_mine))
    victim, second = sign_in(db, "dhs_supervisor"), sign_in(db, "dhm_operator")
    results: dict[str, object] = {}

    def run(name: str, fn) -> None:  # noqa: ANN001
        try:
            results[name] = fn()
        except Exception as exc:  # noqa: BLE001 - recorded for the assertions
            results[name] = exc

    threads = [threading.Thread(target=run, args=("victim", lambda: Workflow(victim).dispatch(theirs, v_theirs, unit_id=unit)))]
    threads[0].start()
    time.sleep(0.5)
    threads.append(threading.Thread(target=run, args=("second", lambda: Workflow(second).report(
        "hotline", "010201", "排队 queued", lon, lat))))
    threads[1].start()
    time.sleep(2.5)
    with db.connect(autocommit=True) as g:
        ended = [p for p, _who, _why in g.execute("SELECT * FROM cc.guard()").fetchall()]
    for t in threads:
        t.join(timeout=10)
    try:
        assert ended == [root.info.backend_pid]
        assert isinstance(results["victim"], int), results["victim"]        # the victim's dispatch went through
        assert isinstance(results["second"], int), results["second"]
    finally:
        for c in (root, victim, second):
            c.close()


def test_a_listener_that_does_not_read_is_ended(db) -> None:  # noqa: ANN001
    """It pins the cluster's NOTIFY queue; when the queue fills every action fails."""
    deaf = sign_in(db, "wall", autocommit=True)
    deaf.execute("LISTEN deaf")
    with db.connect(autocommit=True) as admin:
        admin.execute("SELECT count(pg_notify('deaf', repeat('y', 7900) || g)) FROM generate_series(1, 400) g")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not admin.execute(
                "SELECT 1 FROM pg_stat_activity WHERE pid = %s AND wait_event = 'ClientWrite'",
                (deaf.info.backend_pid,)).fetchone():
            time.sleep(0.2)
        time.sleep(1.2)
        ended = admin.execute("SELECT * FROM cc.guard(p_unread_after => '1 second')").fetchall()
    assert (deaf.info.backend_pid, "wall") in [(p, who) for p, who, _ in ended]
    deaf.close()


def test_consoles_reach_no_other_database_and_no_large_objects(db) -> None:  # noqa: ANN001
    from psycopg.conninfo import make_conninfo
    with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
        psycopg.connect(make_conninfo(db.dsn, dbname="postgres", user="wall", password="demo-wall-2026"))
    with sign_in(db, "wall") as c:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("SELECT lo_from_bytea(0, 'x')")
        c.rollback()
        assert c.execute("SHOW temp_file_limit").fetchone()[0] == "1GB"
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("SELECT home_lon FROM cc.person LIMIT 1")           # where staff live is not the wall's
    with sign_in(db, "dhm_operator") as c:
        c.execute("SELECT home_lon, home_lat FROM cc.person LIMIT 1")


def test_a_street_acts_on_the_district_loop_only_by_urging(db, streets) -> None:  # noqa: ANN001
    case_id, v = _case_in_street(db, streets["东华门街道"], "filed")
    with sign_in(db, "dhm_supervisor") as c:
        v = Workflow(c).escalate(case_id, v, "街道无法解决")
        with pytest.raises(PermissionRefused, match="district loop"):
            Workflow(c).cancel(case_id, v, "撤回")
    with sign_in(db, "dc_supervisor") as c:                    # the district centre dispatches it
        unit = c.execute("SELECT id FROM cc.unit WHERE street_id IS NULL ORDER BY id LIMIT 1").fetchone()[0]
        c.commit()
        v = Workflow(c).dispatch(case_id, v, unit_id=unit)
    with db.connect() as admin:
        before = case_row(admin, case_id)
    assert (before["tier"], before["state"]) == ("district", "dispatched")
    with sign_in(db, "dhm_supervisor") as c:
        allowed = {r[0]: r[6] for r in c.execute("SELECT * FROM cc.allowed_actions(%s)", (case_id,))}
        c.commit()
        assert allowed.get("urge") and allowed.get("attach"), allowed      # urge, and add photos
        assert not any(p for a, p in allowed.items() if a not in ("urge", "attach")), allowed
        for call in (lambda: Workflow(c).cancel(case_id, v, "x"), lambda: Workflow(c).accept(case_id, v),
                     lambda: Workflow(c).redispatch(case_id, v, unit_id=unit)):
            with pytest.raises(PermissionRefused, match="district loop"):
                call()
        Workflow(c).urge(case_id, v, "请区里尽快")
    with db.connect() as admin:
        assert case_row(admin, case_id)["urge_count"] == before["urge_count"] + 1


def test_a_read_only_session_cannot_sign_in_unrecorded(db) -> None:  # noqa: ANN001
    with pytest.raises(psycopg.OperationalError, match="sign-ins are recorded"):
        sign_in(db, "dhm_operator", options="-c default_transaction_read_only=on")


def test_an_open_transaction_cannot_backdate_an_action(db, streets) -> None:  # noqa: ANN001
    case_id, v = _case_in_street(db, streets["东华门街道"], "dispatched")
    with sign_in(db, "dhm_supervisor") as c:
        began = c.execute("SELECT now()").fetchone()[0]
        time.sleep(1.5)
        c.execute("SELECT cc.urge(%s, %s, '催办')", (case_id, v))
        at = c.execute("SELECT at FROM cc.case_event WHERE case_id = %s ORDER BY id DESC LIMIT 1", (case_id,)).fetchone()[0]
        c.commit()
    assert (at - began).total_seconds() >= 1.4


def test_the_doorbell_names_no_case_street_or_action(db, streets) -> None:  # noqa: ANN001
    with sign_in(db, "dhm_operator", autocommit=True) as listener:
        listener.execute("LISTEN cc_events")
        case_id, _ = _case_in_street(db, streets["东花市街道"], "reported")
        payloads = [n.payload for n in listener.notifies(timeout=2, stop_after=1)]
    assert payloads and set(json.loads(payloads[0])) == {"e"}


def test_a_forged_doorbell_setting_silences_only_the_forgers_own_transaction(db) -> None:  # noqa: ANN001
    """0012 remembers the ring in cc.doorbell_rang, which any session may set. A street operator
    who sets it to a huge text, or to another transaction's id, still rings; one who sets it to
    its own transaction's id silences only that transaction, whose events are committed and read
    by every console all the same; the next operator's transaction rings as ever."""
    with sign_in(db, "dhm_supervisor", autocommit=True) as listener, sign_in(db, "dhm_operator") as op:
        listener.execute("LISTEN cc_events")

        def report(title: str) -> int:
            g, x, y = op.execute('SELECT grid_id, lon, lat FROM cc."case" ORDER BY id LIMIT 1').fetchone()
            return int(op.execute("SELECT cc.report('hotline', '010201', %s, %s, %s, 'd', 'a', 'normal', %s, "
                                  "NULL, '居民', '13900000000')", (title, x, y, g)).fetchone()[0])

        def rung() -> list[dict]:
            return [json.loads(n.payload) for n in listener.notifies(timeout=1.0, stop_after=None)]

        for forged in ("x" * 1_000_000, "0", "-1"):
            op.execute("SELECT set_config('cc.doorbell_rang', %s, false)", (forged,))
            report("伪造 forged")
            op.commit()
            assert len(rung()) == 1, forged
        op.execute("SELECT set_config('cc.doorbell_rang', pg_current_xact_id()::text, true)")
        silent = report("静默 silent")
        op.commit()
        assert rung() == []                                       # its own transaction only …
        with db.connect() as reader:                             # … and the event is there for every reader
            assert reader.execute("SELECT count(*) FROM cc.case_event WHERE case_id = %s", (silent,)).fetchone()[0] >= 1
        report("下一个 next")
        op.commit()
        assert len(rung()) == 1


def test_photos_are_bounded_per_case_and_never_added_to_a_finished_case(db) -> None:  # noqa: ANN001
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    with db.connect() as admin:
        open_case, _ = new_case_in(admin, "reported")
        done, _ = new_case_in(admin, "closed")
        wf = Workflow(admin)
        with pytest.raises(ActionRefused, match="is finished"):
            wf.add_attachment(done, "p.png", png)
        for _ in range(20):
            wf.add_attachment(open_case, "p.png", png)
        with pytest.raises(ActionRefused, match="20 photos already"):
            wf.add_attachment(open_case, "p.png", png)


def test_invisible_characters_are_removed_and_a_title_needs_a_visible_one(db) -> None:  # noqa: ANN001
    with db.connect() as admin:
        lon, lat = admin.execute('SELECT lon, lat FROM cc."case" ORDER BY id LIMIT 1').fetchone()
        admin.commit()
        wf = Workflow(admin)
        with pytest.raises(InvalidArgument, match="title of 1 to 200"):
            wf.report("hotline", "010201", "\u200b\ufeff\u2060\u3000\U000e0041", lon, lat)
        case_id = wf.report("hotline", "010201", "井\u200b盖\u2028丢\u00ad失\ufeff", lon, lat)
        assert case_row(admin, case_id)["title"] == "井盖丢失"


# ---------------------------------------------------------------- 8. what a third attacker found (session 12)

ADVISORY = ["pg_advisory_lock(1)", "pg_advisory_lock(1, 2)", "pg_advisory_lock_shared(1)", "pg_try_advisory_lock(1)",
            "pg_try_advisory_lock_shared(1, 2)", "pg_advisory_xact_lock(1)", "pg_advisory_xact_lock_shared(1)",
            "pg_try_advisory_xact_lock(1)", "pg_advisory_unlock(1)", "pg_advisory_unlock_all()"]


@pytest.mark.parametrize("login", ["wall", "dhm_operator"])
def test_a_console_takes_no_advisory_lock_and_signals_no_session(db, login: str) -> None:  # noqa: ANN001
    """15,000 advisory locks from the wall filled the server's lock table: every query, every
    sign-in (the superuser's too) and the guard failed with "out of shared memory"."""
    with sign_in(db, login, autocommit=True) as c, sign_in(db, login, autocommit=True) as other:
        for call in ADVISORY:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                c.execute(f"SELECT {call}")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):      # 5,000 notifications a statement
            c.execute("SELECT pg_notify('x', 'flood')")
        for call in ("pg_terminate_backend(%s)", "pg_cancel_backend(%s)"):      # one wall display ended the others
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                c.execute(f"SELECT {call}", (other.info.backend_pid,))
        assert other.execute("SELECT 1").fetchone() == (1,)


def test_an_open311_import_still_locks_its_request(db) -> None:  # noqa: ANN001
    """The one definer function that takes an advisory lock keeps it (cc_exec may)."""
    with db.connect() as admin:
        assert admin.execute("SELECT has_function_privilege('cc_exec', 'pg_advisory_xact_lock(bigint)', 'EXECUTE'), "
                             "has_function_privilege('cc_wall', 'pg_advisory_xact_lock(bigint)', 'EXECUTE')"
                             ).fetchone() == (True, False)


def _guard(db, **limits: str) -> list[tuple]:  # noqa: ANN001
    args = ", ".join(f"{k} => %({k})s" for k in limits)
    with db.connect(autocommit=True) as g:
        return g.execute(f"SELECT * FROM cc.guard({args})", limits).fetchall()


def test_a_console_holding_very_many_locks_is_ended(db) -> None:  # noqa: ANN001
    hoarder = sign_in(db, "wall")
    hoarder.execute("SELECT count(*) FROM cc.street, cc.community, cc.grid WHERE false")   # a transaction with locks
    held = hoarder.execute("SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid()").fetchone()[0]
    ended = _guard(db, p_locks_over=str(held - 2))
    mine = [why for pid, _who, why in ended if pid == hoarder.info.backend_pid]
    assert mine and mine[0].startswith("held ") and "locks" in mine[0]
    with pytest.raises(psycopg.OperationalError):
        hoarder.execute("SELECT 1")
    hoarder.close()


def test_a_statement_running_past_the_limit_is_ended(db) -> None:  # noqa: ANN001
    """A plpgsql loop held a core for five minutes: one statement of a console is ended after a minute."""
    runner = sign_in(db, "wall", autocommit=True)
    pid = runner.info.backend_pid
    failed: list[BaseException] = []

    with pytest.raises(psycopg.errors.InsufficientPrivilege):        # no DO blocks: no loops, no hidden EXECUTE
        runner.execute("DO $$ BEGIN LOOP PERFORM 1; END LOOP; END $$")

    def spin() -> None:
        try:
            runner.execute("SELECT count(*) FROM generate_series(1, 10000000000)")
        except psycopg.Error as exc:
            failed.append(exc)

    t = threading.Thread(target=spin, daemon=True)
    t.start()
    time.sleep(1.5)
    ended = _guard(db, p_statement_after="1 second")
    assert [why for p, _who, why in ended if p == pid][0].startswith("ran one statement since")
    t.join(10)
    assert failed and isinstance(failed[0], psycopg.OperationalError)
    runner.close()


def test_a_listener_holding_back_a_filling_notify_queue_is_ended(db) -> None:  # noqa: ANN001
    """LISTEN, then one long statement: the queue's tail stays with it, and a flood of NOTIFY
    from another connection filled the 8 GB queue in 35 s; every action then failed (54000)."""
    listener = sign_in(db, "wall", autocommit=True)
    pid = listener.info.backend_pid
    listener.execute("LISTEN x")

    def sleep() -> None:
        with contextlib.suppress(psycopg.Error):
            listener.execute("SELECT pg_sleep(30)")

    t = threading.Thread(target=sleep, daemon=True)
    t.start()
    flooder = sign_in(db, "wall", autocommit=True)
    for _ in range(3):                     # past one page of the queue: its usage counts pages
        flooder.execute(sql.SQL("NOTIFY x, {}").format(sql.Literal("y" * 7000)))
    time.sleep(1.3)
    with db.connect() as admin:
        assert admin.execute("SELECT pg_notification_queue_usage() > 0").fetchone()[0]
    quiet = _guard(db, p_queue_over="1", p_queue_xact_after="1 second")        # not filling: left alone
    assert pid not in [p for p, _, _ in quiet]
    ended = {p: why for p, _who, why in _guard(db, p_queue_over="0", p_queue_xact_after="1 second")}
    assert ended[pid].startswith("held back the NOTIFY queue")
    assert ended[flooder.info.backend_pid].startswith("sent notifications while the NOTIFY queue filled")
    t.join(10)
    listener.close()
    flooder.close()


def test_a_reading_listener_is_not_ended_for_a_flood_it_keeps_up_with(db) -> None:  # noqa: ANN001
    """Under a flood the rule above ended the hall's own change feed (idle, reading) three
    times in 40 s, never the flooder."""
    feed = sign_in(db, "dhm_supervisor", autocommit=True)
    feed.execute("LISTEN x")
    with db.connect(autocommit=True) as admin:
        admin.execute("BEGIN")                 # the superuser's open transaction keeps the queue's tail back
        admin.execute("LISTEN x")
        for _ in range(3):
            admin.execute(sql.SQL("NOTIFY x, {}").format(sql.Literal("y" * 7000)))
        admin.execute("COMMIT")
        admin.execute("BEGIN")
        admin.execute("SELECT 1")
        list(feed.notifies(timeout=1.0, stop_after=3))             # the feed reads what it is sent
        time.sleep(1.3)
        ended = _guard(db, p_queue_over="0", p_queue_xact_after="1 second")
        admin.execute("ROLLBACK")
    assert feed.info.backend_pid not in [p for p, _, _ in ended]
    assert feed.execute("SELECT 1").fetchone() == (1,)
    feed.close()


def test_a_console_holding_its_login_s_settings_cannot_stall_the_guard(db) -> None:  # noqa: ANN001
    """An uncommitted ALTER ROLE of its own login held the settings row: the guard's restore
    waited on it, the round with it, and every rule was off for as long as that session lived."""
    dbname = conninfo_to_dict(db.dsn)["dbname"]
    holder = sign_in(db, "wall")
    holder.execute("SET idle_in_transaction_session_timeout = 0")
    holder.execute("ALTER ROLE wall SET work_mem = '2MB'")               # uncommitted
    holder.execute("SELECT 1")
    try:
        with sign_in(db, "wall", autocommit=True) as other:
            other.execute(sql.SQL("ALTER ROLE wall IN DATABASE {} SET work_mem = '1GB'").format(sql.Identifier(dbname)))
        t0 = time.monotonic()
        first = _guard(db)
        assert time.monotonic() - t0 < 3.0                              # the round did not wait
        assert [why for p, who, why in first if p is None and who == "wall"][0].startswith(
            "its login settings had been changed")
        with pytest.raises(psycopg.OperationalError):                   # the holder was ended …
            holder.execute("SELECT 1")
        second = _guard(db)                                             # … and the next round puts them back
        assert any(p is None and "put back" in why for p, _w, why in second)
        with db.connect() as c:
            assert c.execute("SELECT s.setconfig FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole "
                             "WHERE r.rolname = 'wall'").fetchall() == [(["idle_in_transaction_session_timeout=10s"],)]
    finally:
        holder.close()
        with db.connect(autocommit=True) as c:
            c.execute(sql.SQL("ALTER ROLE wall IN DATABASE {} RESET ALL").format(sql.Identifier(dbname)))
            c.execute("ALTER ROLE wall RESET ALL")
            c.execute("ALTER ROLE wall SET idle_in_transaction_session_timeout = '10s'")


def test_a_session_that_keeps_changing_its_login_s_settings_is_ended(db) -> None:  # noqa: ANN001
    """One wall display set its shared login read-only every 50 ms, faster than the restore, and
    kept 71 of 73 other sign-ins out."""
    changer = sign_in(db, "wall", autocommit=True)
    try:
        changer.execute("ALTER/**/ROLE wall SET default_transaction_read_only = on")   # a comment hid it from a pattern
        _guard(db)
        with pytest.raises(psycopg.OperationalError):                   # the session that changed them is gone
            changer.execute("ALTER ROLE wall SET default_transaction_read_only = on")
        with sign_in(db, "wall") as display:                            # the others sign in again
            assert display.execute("SHOW default_transaction_read_only").fetchone()[0] == "off"
    finally:
        changer.close()
        with db.connect(autocommit=True) as c:
            c.execute("ALTER ROLE wall RESET ALL")
            c.execute("ALTER ROLE wall SET idle_in_transaction_session_timeout = '10s'")


def test_many_sessions_of_one_login_holding_locks_are_ended(db) -> None:  # noqa: ANN001
    """About 500 locks a session stay under the per-session limit; 80 sessions filled the table."""
    sessions = [sign_in(db, "wall") for _ in range(3)]
    try:
        held = []
        for s in sessions:
            s.execute("SELECT count(*) FROM cc.street, cc.community, cc.grid WHERE false")
            held.append(s.execute("SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid()").fetchone()[0])
        ended = _guard(db, p_login_locks_over=str(sum(held) - 1), p_locks_over="100000")
        whys = {p: why for p, _w, why in ended}
        assert all(whys[s.info.backend_pid].startswith("held ") and "its login" in whys[s.info.backend_pid]
                   for s in sessions)
    finally:
        for s in sessions:
            s.close()


def test_a_console_login_s_changed_settings_are_put_back_and_the_check_sees_them(db) -> None:  # noqa: ANN001
    """ALTER ROLE wall IN DATABASE … SET idle_in_transaction_session_timeout = 0 (a console may
    change its own login) switched off a protection, and `db check` still said ok."""
    dbname = conninfo_to_dict(db.dsn)["dbname"]

    def settings() -> list[tuple]:
        with db.connect() as c:
            return c.execute("SELECT s.setdatabase <> 0, s.setconfig FROM pg_db_role_setting s "
                             "JOIN pg_roles r ON r.oid = s.setrole WHERE r.rolname = 'wall' ORDER BY 1").fetchall()

    def check() -> bool:
        with db.connect() as c:
            return dict((n, ok) for n, ok, _d, _f in c.execute("SELECT * FROM cc.security_check()")
                        )["no console login carries settings of its own"]

    assert settings() == [(False, ["idle_in_transaction_session_timeout=10s"])] and check()
    with sign_in(db, "wall", autocommit=True) as wall:
        wall.execute(sql.SQL("ALTER ROLE wall IN DATABASE {} SET idle_in_transaction_session_timeout = 0")
                     .format(sql.Identifier(dbname)))
        wall.execute(sql.SQL("ALTER ROLE wall IN DATABASE {} SET work_mem = '1GB'").format(sql.Identifier(dbname)))
        wall.execute("ALTER ROLE wall RESET ALL")
    try:
        assert not check()
        restored = _guard(db)
        assert [(p, who) for p, who, why in restored if "login settings" in why] == [(None, "wall")]
        assert settings() == [(False, ["idle_in_transaction_session_timeout=10s"])] and check()
        with sign_in(db, "wall") as wall:
            assert wall.execute("SHOW idle_in_transaction_session_timeout").fetchone()[0] == "10s"
            assert wall.execute("SHOW work_mem").fetchone()[0] != "1GB"
        with db.connect() as c:
            audit = c.execute("SELECT detail->>'had' FROM cc.audit_log WHERE action = 'settings_restored' "
                              "AND subject = 'wall' ORDER BY id DESC LIMIT 1").fetchone()[0]
        assert "work_mem=1GB" in audit and "idle_in_transaction_session_timeout=0" in audit
    finally:
        with db.connect(autocommit=True) as c:
            c.execute(sql.SQL("ALTER ROLE wall IN DATABASE {} RESET ALL").format(sql.Identifier(dbname)))
            c.execute("ALTER ROLE wall RESET ALL")
            c.execute("ALTER ROLE wall SET idle_in_transaction_session_timeout = '10s'")


def test_a_console_login_reports_and_urges_a_bounded_number_a_day(db, streets) -> None:  # noqa: ANN001
    """A street operator's script reported 8,716 urgent cases in 10 s, kept for ever by the
    append-only event table; reports and urges now have a daily bound per login, as photos and
    repeats had. The administrator's own tools are not counted."""
    with db.connect(autocommit=True) as admin:
        admin.execute("UPDATE cc.input_limit SET value = 2 WHERE code IN ('reports_per_login_day', 'urges_per_login_day')")
        admin.execute("DELETE FROM cc.login_day_count")              # what other tests' consoles did today
        gid, lon, lat = admin.execute('SELECT grid_id, lon, lat FROM cc."case" WHERE street_id = %s LIMIT 1',
                                      (streets["东华门街道"],)).fetchone()
    try:
        with sign_in(db, "dhm_operator", autocommit=True) as c:
            wf = Workflow(c)
            made = [wf.report("hotline", "010201", f"第{i}次", lon, lat, grid_id=gid) for i in range(2)]
            before = _state(db)
            with pytest.raises(InvalidArgument, match="has made 2 reports today"):
                wf.report("hotline", "010201", "第三次", lon, lat, grid_id=gid)
            assert _state(db) == before                               # refused: nothing written
            assert len(made) == 2
            filed, version = _case_in_street(db, streets["东华门街道"], "dispatched")
            version = wf.urge(filed, version, "催一")
            version = wf.urge(filed, version, "催二")
            with pytest.raises(InvalidArgument, match="has made 2 urges today"):
                wf.urge(filed, version, "催三")
            assert case_row(c, filed)["urge_count"] == 2
        with db.connect() as admin:                                   # the administrator is not a console
            Workflow(admin).report("hotline", "010201", "管理员", lon, lat, grid_id=gid)
            assert admin.execute("SELECT count(*) FROM cc.login_day_count WHERE login = current_user").fetchone()[0] == 0
        with sign_in(db, "wall") as wall, pytest.raises(psycopg.errors.InsufficientPrivilege):
            wall.execute("SELECT * FROM cc.login_day_count")
    finally:
        with db.connect(autocommit=True) as admin:
            admin.execute("UPDATE cc.input_limit SET value = 1000 WHERE code IN ('reports_per_login_day', "
                          "'urges_per_login_day')")
            admin.execute("DELETE FROM cc.login_day_count")
