"""A hostile console against migration 0005 (one home for every rule): the limits table, the
capability rule per action, the key figures, the recommended assignee and the replaced definer
functions. Plain psycopg signed in as the lowest roles: the wall, a street operator, a handler
of one unit. What was found is fixed in db/sql/0005_rules.sql; what held is pinned here."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import dict_row

from commandcenter.store.commands import Workflow
from commandcenter.store.errors import InvalidArgument, NotFound, PermissionRefused

from .helpers import case_row, sign_in
from .test_hostile_console import SHADOWS

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
CONSOLE_GROUPS = ("cc_reader", "cc_wall", "cc_reporter", "cc_handler", "cc_operator", "cc_supervisor", "cc_admin")


@pytest.fixture(scope="module")
def streets(db) -> dict[str, int]:  # noqa: ANN001
    with db.connect() as c:
        return dict(c.execute("SELECT name, id FROM cc.street").fetchall())


def _new_case(db, street_id: int, unit_id: int | None = None, person_id: int | None = None) -> tuple[int, int]:  # noqa: ANN001
    """A new case of the street, filed, and dispatched when an assignee is named (by the district)."""
    with db.connect() as admin:
        gid, lon, lat = admin.execute('SELECT grid_id, lon, lat FROM cc."case" WHERE street_id = %s ORDER BY id LIMIT 1',
                                      (street_id,)).fetchone()
        admin.commit()
        wf = Workflow(admin)
        case_id = wf.report("hotline", "010201", "测试 hostile rules", lon, lat, grid_id=gid)
        version = wf.file(case_id, 1)
        if unit_id is not None or person_id is not None:
            version = wf.dispatch(case_id, version, unit_id=unit_id, person_id=person_id)
        return case_id, version


def _units(db, street_id: int | None, n: int = 2) -> list[int]:  # noqa: ANN001
    with db.connect() as c:
        if street_id is None:
            rows = c.execute("SELECT id FROM cc.unit WHERE street_id IS NULL ORDER BY id LIMIT %s", (n,)).fetchall()
        else:
            rows = c.execute("SELECT id FROM cc.unit WHERE street_id = %s ORDER BY id LIMIT %s", (street_id, n)).fetchall()
    assert len(rows) == n
    return [r[0] for r in rows]


def _row(db, case_id: int) -> dict:  # noqa: ANN001
    """The case as the district sees it (a handler may not read the caller's name and phone)."""
    with db.connect() as admin:
        return case_row(admin, case_id)


def _allowed(conn: psycopg.Connection, case_id: int) -> dict[str, bool]:
    rows = conn.execute("SELECT action, permitted FROM cc.allowed_actions(%s)", (case_id,)).fetchall()
    conn.commit()
    return dict(rows)


def _same_login(dsn: str, n: int) -> list[psycopg.Connection]:
    return [psycopg.connect(dsn) for _ in range(n)]


# ---------------------------------------------------------------- 1. a handler and other units' cases

def test_a_unit_handler_cannot_act_on_another_units_case(db, login_role, streets) -> None:  # noqa: ANN001
    """0004's rule compared with IS DISTINCT FROM: a unit's handler (person_id NULL) matched
    every case assigned to another unit (assignee_person_id NULL) and accepted, returned and
    reported it handled."""
    dhm = streets["东华门街道"]
    mine, theirs = _units(db, dhm)
    handler = login_role(["cc_handler"], street_id=dhm, unit_id=mine)
    case_id, v = _new_case(db, dhm, unit_id=theirs)
    with psycopg.connect(handler) as h:
        before = _row(db, case_id)
        allowed = _allowed(h, case_id)
        assert "accept" in allowed and not any(allowed.values()), allowed   # the list says so too
        wf = Workflow(h)
        for call in (lambda: wf.accept(case_id, v), lambda: wf.return_case(case_id, v, "非本单位 not ours")):
            with pytest.raises(PermissionRefused, match="not assigned to you") as err:
                call()
            assert err.value.hint
        assert _row(db, case_id) == before
    # the assigned unit's handler still does its work, from accept to feedback
    with psycopg.connect(login_role(["cc_handler"], street_id=dhm, unit_id=theirs)) as h:
        assert _allowed(h, case_id)["accept"] is True
        v = Workflow(h).accept(case_id, v)
    with psycopg.connect(handler) as h:              # … and the other unit cannot report it handled
        with pytest.raises(PermissionRefused, match="not assigned to you"):
            Workflow(h).feedback(case_id, v, "已处理 done")
    with db.connect() as admin:
        assert case_row(admin, case_id)["state"] == "in_progress"


def test_a_district_units_handler_cannot_act_on_a_street_units_case(db, login_role, streets) -> None:  # noqa: ANN001
    """A district-level unit's handler has no street (it sees the whole district): it must
    still act only on what is assigned to it."""
    dhs = streets["东花市街道"]
    district_unit = _units(db, None, 1)[0]
    street_unit = _units(db, dhs, 1)[0]
    case_id, v = _new_case(db, dhs, unit_id=street_unit)
    with psycopg.connect(login_role(["cc_handler"], unit_id=district_unit)) as h:
        before = _row(db, case_id)
        with pytest.raises(PermissionRefused, match="not assigned to you"):
            Workflow(h).return_case(case_id, v, "退回 not ours")
        with pytest.raises(PermissionRefused, match="not assigned to you"):
            Workflow(h).accept(case_id, v)
        assert _row(db, case_id) == before


def test_grid_staff_act_only_on_cases_dispatched_to_them(db, login_role) -> None:  # noqa: ANN001
    with db.connect() as admin:
        street, p1, p2 = admin.execute(
            "SELECT g.street_id, a.person_id, b.person_id FROM cc.grid_assignment a "
            "JOIN cc.grid_assignment b ON b.grid_id = a.grid_id AND b.person_id <> a.person_id "
            "JOIN cc.grid g ON g.id = a.grid_id JOIN cc.person p ON p.id = b.person_id "
            "WHERE p.on_duty ORDER BY a.grid_id LIMIT 1").fetchone()
        gid, lon, lat = admin.execute(
            'SELECT c.grid_id, c.lon, c.lat FROM cc."case" c JOIN cc.grid_assignment ga ON ga.grid_id = c.grid_id '
            "WHERE ga.person_id = %s LIMIT 1", (p2,)).fetchone()
        admin.commit()
        wf = Workflow(admin)
        case_id = wf.report("hotline", "010201", "测试 person", lon, lat, grid_id=gid)
        v = wf.dispatch(case_id, wf.file(case_id, 1), person_id=p2)
    with psycopg.connect(login_role(["cc_handler"], street_id=street, person_id=p1)) as h:
        with pytest.raises(PermissionRefused, match="not assigned to you"):
            Workflow(h).accept(case_id, v)
        with pytest.raises(PermissionRefused, match="not assigned to you"):
            Workflow(h).add_attachment(case_id, "x.png", PNG)
    with psycopg.connect(login_role(["cc_handler"], street_id=street, person_id=p2)) as h:
        Workflow(h).add_attachment(case_id, "before.png", PNG)
        Workflow(h).accept(case_id, v)


# ---------------------------------------------------------------- 2. photos

def test_a_handler_adds_photos_only_to_the_cases_it_handles(db, login_role, streets) -> None:  # noqa: ANN001
    dhm = streets["东华门街道"]
    mine, theirs = _units(db, dhm)
    handler = login_role(["cc_handler"], street_id=dhm, unit_id=mine)
    own, _ = _new_case(db, dhm, unit_id=mine)
    other, _ = _new_case(db, dhm, unit_id=theirs)
    undispatched, _ = _new_case(db, dhm)
    with psycopg.connect(handler) as h:
        wf = Workflow(h)
        for case_id in (other, undispatched):
            assert _allowed(h, case_id).get("attach") is False
            with pytest.raises(PermissionRefused, match="not assigned to you") as err:
                wf.add_attachment(case_id, "after.png", PNG)
            assert err.value.hint
        assert _allowed(h, own)["attach"] is True
        wf.add_attachment(own, "after.png", PNG)
    # a field terminal or operator (the reporter capability) adds photos to any case of its street
    with sign_in(db, "dhm_operator") as c:
        Workflow(c).add_attachment(undispatched, "scene.png", PNG)
    with db.connect() as admin:
        assert admin.execute("SELECT count(*) FROM cc.attachment WHERE case_id IN (%s, %s)",
                             (other, undispatched)).fetchone()[0] == 1


def test_no_photo_on_another_streets_case(db, streets) -> None:  # noqa: ANN001
    case_id, _ = _new_case(db, streets["东花市街道"])
    with sign_in(db, "dhm_operator") as c:
        with pytest.raises(NotFound, match="outside your area"):
            Workflow(c).add_attachment(case_id, "x.png", PNG)
        assert _allowed(c, case_id) == {}
    with db.connect() as admin:
        assert admin.execute("SELECT count(*) FROM cc.attachment WHERE case_id = %s", (case_id,)).fetchone()[0] == 0


@pytest.fixture()
def limit(db):  # noqa: ANN001, ANN201
    """Set a row of cc.input_limit for one test (as the administrator), restored afterwards."""
    saved: dict[str, int] = {}
    with db.connect(autocommit=True) as admin:
        def set_limit(code: str, value: int) -> None:
            saved.setdefault(code, admin.execute("SELECT value FROM cc.input_limit WHERE code = %s", (code,)).fetchone()[0])
            admin.execute("UPDATE cc.input_limit SET value = %s WHERE code = %s", (value, code))
        yield set_limit
        for code, value in saved.items():
            admin.execute("UPDATE cc.input_limit SET value = %s WHERE code = %s", (value, code))


def test_the_daily_photo_limit_holds_across_parallel_connections(db, login_role, streets, limit) -> None:  # noqa: ANN001
    """Each connection of one login counted the day's photos before the others committed: with
    the limit at 3, six connections added six. The count now runs under the event counter."""
    dhm = streets["东华门街道"]
    cases = [_new_case(db, dhm)[0] for _ in range(6)]
    terminal = login_role(["cc_reporter"], street_id=dhm)
    limit("photos_per_login_day", 3)
    conns = _same_login(terminal, 6)
    results: dict[int, object] = {}

    def add(i: int) -> None:
        try:
            results[i] = conns[i].execute("SELECT cc.add_attachment(%s, 'p.png', %s)", (cases[i], PNG)).fetchone()[0]
            conns[i].commit()
        except psycopg.Error as exc:
            results[i] = exc
            conns[i].rollback()

    try:
        conns[0].execute("SELECT cc.add_attachment(%s, 'p.png', %s)", (cases[0], PNG))   # first, not committed yet
        threads = [threading.Thread(target=add, args=(i,)) for i in range(1, 6)]
        for t in threads:
            t.start()
        time.sleep(1.0)                          # every other connection is at its count (or waiting)
        conns[0].commit()
        for t in threads:
            t.join(timeout=20)
    finally:
        for c in conns:
            c.close()
    login = conninfo_to_dict(terminal)["user"]
    with db.connect() as admin:
        added = admin.execute("SELECT count(*) FROM cc.attachment WHERE uploaded_by = %s", (login,)).fetchone()[0]
    assert added == 3, results
    refused = [r for r in results.values() if isinstance(r, psycopg.Error)]
    assert len(refused) == 3 and all("in the last 24 hours" in str(r) for r in refused), results


def test_repeatable_read_does_not_stretch_the_per_case_limit(db, login_role, streets, limit) -> None:  # noqa: ANN001
    """Two transactions whose snapshots predate each other's photos: the second may not count
    from its old snapshot and add beyond the limit."""
    dhm = streets["东华门街道"]
    case_id, _ = _new_case(db, dhm)
    limit("photos_per_case", 2)
    terminal = login_role(["cc_reporter"], street_id=dhm)
    first, second = _same_login(terminal, 2)
    try:
        for c in (first, second):
            c.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            c.execute("SELECT count(*) FROM cc.attachment")          # the snapshot is taken here
        for _ in range(2):
            first.execute("SELECT cc.add_attachment(%s, 'a.png', %s)", (case_id, PNG))
        first.commit()
        with pytest.raises(psycopg.Error):
            second.execute("SELECT cc.add_attachment(%s, 'b.png', %s)", (case_id, PNG))
        second.rollback()
        with pytest.raises(psycopg.Error, match="2 photos already"):     # and afresh: the limit
            second.execute("SELECT cc.add_attachment(%s, 'b.png', %s)", (case_id, PNG))
    finally:
        first.close()
        second.close()
    with db.connect() as admin:
        assert admin.execute("SELECT count(*) FROM cc.attachment WHERE case_id = %s", (case_id,)).fetchone()[0] == 2


# ---------------------------------------------------------------- 3. the limits table

def test_consoles_cannot_change_the_limits(db, login_role) -> None:  # noqa: ANN001
    admin_login = login_role(["cc_admin"])
    for connect in (lambda: sign_in(db, "wall"), lambda: sign_in(db, "dhm_supervisor"), lambda: psycopg.connect(admin_login)):
        with connect() as c:
            for statement in ("UPDATE cc.input_limit SET value = 2147483647",
                              "INSERT INTO cc.input_limit VALUES ('x', 1, 'count', 'x')",
                              "DELETE FROM cc.input_limit", "TRUNCATE cc.input_limit",
                              "ALTER TABLE cc.input_limit DROP CONSTRAINT input_limit_value_check",
                              "CREATE OR REPLACE FUNCTION cc._limit_of(p text) RETURNS integer "
                              "LANGUAGE sql AS 'SELECT 2147483647'",
                              "CREATE TEMP TABLE input_limit (code text, value int)"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    c.execute(statement)
                c.rollback()
            assert c.execute("SELECT cc._limit_of('note_chars')").fetchone()[0] == 2000


def test_a_missing_limit_refuses_instead_of_lifting_the_bound(db, streets) -> None:  # noqa: ANN001
    """length(p) > NULL refuses nothing: a row deleted by mistake lifted the bound silently."""
    case_id, v = _new_case(db, streets["东华门街道"], unit_id=_units(db, streets["东华门街道"], 1)[0])
    with db.connect() as admin:
        admin.execute("DELETE FROM cc.input_limit WHERE code = 'note_chars'")       # not committed
        with pytest.raises(psycopg.Error, match="no limit \"note_chars\"") as err:
            admin.execute("SELECT cc.urge(%s, %s, %s)", (case_id, v, "催" * 5000))
        assert err.value.diag.sqlstate == "CC009" and err.value.diag.message_hint
        admin.rollback()
        assert admin.execute("SELECT cc._limit_of('note_chars')").fetchone()[0] == 2000
        admin.rollback()
    with sign_in(db, "dhm_operator") as c:
        with pytest.raises(InvalidArgument, match="no limit"):
            Workflow(c)._call("_limit_of", "no_such_limit")


@pytest.mark.parametrize("groups", [["cc_wall"], ["cc_supervisor"]], ids=["wall", "supervisor"])
def test_temporary_shadows_do_not_reach_the_new_rules(db, login_role, streets, groups) -> None:  # noqa: ANN001
    """Given TEMPORARY back (so the pinning itself is tested): a temporary input_limit,
    workflow_action, state_action or event_counter, and the shadows of the first attack, change
    no limit and run no code inside the replaced definer functions."""
    dhm = streets["东华门街道"]
    dsn = login_role(groups, street_id=dhm if groups == ["cc_supervisor"] else None)
    login = conninfo_to_dict(dsn)["user"]
    with db.connect(autocommit=True) as admin:
        admin.execute(sql.SQL("GRANT TEMPORARY ON DATABASE {} TO {}").format(
            sql.Identifier(admin.info.dbname), sql.Identifier(login)))
        # … and plpgsql (consoles have none since 0013): the shadows below are plpgsql
        admin.execute(sql.SQL("GRANT USAGE ON LANGUAGE plpgsql TO {}").format(sql.Identifier(login)))
    unit = _units(db, dhm, 1)[0]
    case_id, v = _new_case(db, dhm, unit_id=unit)
    filed, fv = _new_case(db, dhm)
    ran_as: set[str] = set()
    try:
        with psycopg.connect(dsn, autocommit=True) as c:
            c.add_notice_handler(lambda d: ran_as.add((d.message_primary or "").removeprefix("pwn ran as ")))
            for statement in [*SHADOWS,
                              "CREATE TABLE pg_temp.input_limit AS SELECT code, 2147483647 AS value, unit, description "
                              "FROM cc.input_limit",
                              "CREATE TABLE pg_temp.workflow_action AS SELECT code, name, name_en, 'reader'::text AS capability, "
                              "irreversible, needs_note, sort, 'reader'::text AS also_capability FROM cc.workflow_action",
                              "CREATE TABLE pg_temp.state_action AS SELECT s.from_state, a.code AS action, s.to_state "
                              "FROM cc.state_action s, cc.workflow_action a",
                              "CREATE TABLE pg_temp.event_counter (one boolean, last_id bigint)",
                              "CREATE DOMAIN pg_temp.int4 AS pg_catalog.int4 CHECK (pg_temp.pwn(VALUE))",
                              "CREATE DOMAIN pg_temp.int8 AS pg_catalog.int8 CHECK (pg_temp.pwn(VALUE))",
                              "SET search_path = pg_temp, cc, pg_catalog"]:
                c.execute(statement)
            calls = [("SELECT cc.urge(%s, %s, %s)", (case_id, v, "催" * 2500)),
                     ("SELECT cc.add_attachment(%s, %s, %s)", (case_id, "x" * 300, PNG)),
                     ("SELECT cc.add_attachment(%s, 'p.png', %s)", (case_id, PNG)),
                     ("SELECT cc.accept(%s, %s)", (case_id, v)),
                     ("SELECT cc.reject(%s, %s, 'x')", (filed, fv)),
                     ("SELECT cc.file(%s, %s)", (filed, fv)),
                     ("SELECT cc.verify(%s, %s, false, 'x')", (case_id, v)),
                     ("SELECT cc.evaluate(%s, %s, 5)", (case_id, v)),
                     ("SELECT cc.return_case(%s, %s, 'x')", (case_id, v)),
                     ("SELECT * FROM cc.dispatch_options(%s)", (case_id,)),
                     ("SELECT * FROM cc.allowed_actions(%s)", (case_id,)),
                     ("SELECT * FROM cc.kpi('-infinity', 'infinity')", ())]
            refusals = {}
            for query, args in calls:
                try:
                    c.execute(query, args).fetchall()
                except psycopg.Error as exc:
                    refusals[query.split("(")[0]] = exc.diag.sqlstate
    finally:
        with db.connect(autocommit=True) as admin:
            admin.execute(sql.SQL("REVOKE TEMPORARY ON DATABASE {} FROM {}").format(
                sql.Identifier(admin.info.dbname), sql.Identifier(login)))
    assert ran_as <= {login}, f"the caller's code ran as {ran_as - {login}}"
    with db.connect() as admin:
        row = case_row(admin, case_id)
        photos = admin.execute("SELECT count(*), max(length(filename)) FROM cc.attachment WHERE case_id = %s",
                               (case_id,)).fetchone()
    assert refusals["SELECT cc.urge"] == ("CC009" if groups == ["cc_supervisor"] else "42501")   # 2,500 > 2,000
    if groups == ["cc_wall"]:                       # the wall's fake capabilities gave it nothing
        assert (row["state"], row["urge_count"], photos[0]) == ("dispatched", 0, 0)
        assert {"SELECT cc.add_attachment", "SELECT cc.accept", "SELECT cc.file"} <= set(refusals)
    else:
        assert photos == (1, 5)                     # the 300-character name was refused, p.png taken


# ---------------------------------------------------------------- 4. forged composite rows

def test_no_console_can_call_a_function_that_takes_a_row(db) -> None:  # noqa: ANN001
    """_may, _may_on, _handles, _roles_of, _recommended, _tier_allows, _log trust the row they
    are given; only the definer functions (cc_exec) may hand them one."""
    with db.connect() as c:
        rows = c.execute(
            "SELECT p.oid::regprocedure::text, g.role FROM pg_proc p CROSS JOIN unnest(%s::text[]) g(role) "
            "WHERE p.pronamespace = 'cc'::regnamespace AND EXISTS (SELECT 1 FROM unnest(p.proargtypes) t "
            "  JOIN pg_type ty ON ty.oid = t WHERE ty.typtype = 'c') "
            "AND has_function_privilege(g.role, p.oid, 'EXECUTE')", (list(CONSOLE_GROUPS),)).fetchall()
        taking_rows = c.execute(
            "SELECT count(*) FROM pg_proc p WHERE p.pronamespace = 'cc'::regnamespace AND EXISTS "
            "(SELECT 1 FROM unnest(p.proargtypes) t JOIN pg_type ty ON ty.oid = t WHERE ty.typtype = 'c')").fetchone()[0]
    assert rows == []
    assert taking_rows >= 7


def test_consoles_call_only_the_harmless_helpers(db) -> None:  # noqa: ANN001
    """Of the internal helpers (_…), a console may call only those that decide nothing for it:
    text cleaning and quoting, its own capability, a limit, a percentage, the admin check."""
    with db.connect() as c:
        callable_ = {r[0] for r in c.execute(
            "SELECT DISTINCT p.proname::text FROM pg_proc p CROSS JOIN unnest(%s::text[]) g(role) "
            "WHERE p.pronamespace = 'cc'::regnamespace AND p.proname LIKE '\\_%%' "
            "AND has_function_privilege(g.role, p.oid, 'EXECUTE')", (list(CONSOLE_GROUPS),))}
    assert callable_ == {"_has_capability", "_clean_text", "_quote", "_require_admin", "_limit_of", "_rate",
                         # the measures' parts (0007): they run as the caller, under its row-level security
                         "_kpi_facts", "_kpi_sum", "_kpi_member", "_kpi_period", "_kpi_scope", "_in_day",
                         "_work_mark",   # 0008: arithmetic on its arguments only
                         "_point_arg"}   # 0010: refuses a point outside Beijing (the directory's invoker functions)
    with db.connect() as c:
        definer = {r[0] for r in c.execute(
            "SELECT p.proname::text FROM pg_proc p WHERE p.pronamespace = 'cc'::regnamespace AND p.prosecdef "
            "AND p.proname = ANY(%s)", (sorted(callable_),))}
    assert definer == {"_require_admin"}           # the others decide nothing with rights of their own


FORGED = [
    "SELECT cc._may(ROW('dispatch', 'x', 'x', 'reader', false, false, 1, 'reader')::cc.workflow_action)",
    "SELECT cc._roles_of(ROW('dispatch', 'x', 'x', 'reader', false, false, 1, NULL)::cc.workflow_action)",
    "SELECT cc._may_on(ROW('dispatch', 'x', 'x', 'reader', false, false, 1, NULL)::cc.workflow_action, "
    "NULL::cc.\"case\", NULL::cc.console_account)",
    "SELECT cc._handles(NULL::cc.\"case\", NULL::cc.console_account)",
    "SELECT * FROM cc._recommended(NULL::cc.\"case\")",
    "SELECT cc._tier_allows('district', NULL::cc.console_account, 'cancel')",
    "SELECT cc._log(NULL::cc.\"case\", 'cancel', 'filed', 'x', NULL::cc.console_account)",
]


@pytest.mark.parametrize("login", ["wall", "dhm_operator"])
def test_forged_rows_are_refused(db, login: str) -> None:  # noqa: ANN001
    with sign_in(db, login) as c:
        for query in FORGED:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                c.execute(query)
            c.rollback()
        if login == "dhm_operator":          # a real row of its own street, then of another
            for where in ("street_id = 1", "true"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    c.execute(f'SELECT r.* FROM cc."case" c, cc._recommended(c) r WHERE {where} LIMIT 1')
                c.rollback()


def test_the_recommended_assignee_of_another_street_is_out_of_reach(db, streets) -> None:  # noqa: ANN001
    case_id, _ = _new_case(db, streets["东花市街道"])
    with sign_in(db, "dhm_operator") as c:
        with pytest.raises(NotFound):
            Workflow(c)._call("dispatch_options", case_id)
    with sign_in(db, "dhs_operator") as c:        # its own street's case: one ★, in its street or the district
        rows = c.execute("SELECT kind, id FROM cc.dispatch_options(%s) WHERE recommended", (case_id,)).fetchall()
        assert len(rows) == 1


# ---------------------------------------------------------------- 5. key figures

#: periods a console may not ask for: unbounded, missing, reversed, or longer than measure_period_days
HOSTILE_PERIODS = [("-infinity", "infinity"), (None, None), ("infinity", "-infinity"), ("-infinity", None),
                   ("1900-01-01", "9999-12-31"), ("4713-01-01 BC", "294275-01-01"), ("2026-11-20", "2026-11-01")]
#: the longest period allowed, ending now: every case of the demo
WHOLE = "SELECT cc.clock() - interval '799 days', cc.clock()"


def test_a_street_counts_only_its_own_street(db, login_role, streets) -> None:  # noqa: ANN001
    dhm, dhs = streets["东华门街道"], streets["东花市街道"]
    with db.connect() as admin:
        p_from, p_to = admin.execute(WHOLE).fetchone()
        with admin.cursor(row_factory=dict_row) as cur:
            total = cur.execute("SELECT * FROM cc.kpi(%s, %s)", (p_from, p_to)).fetchone()
            measures = list(total)                   # every measure cc.kpi returns, by name
            truth = {r["id"]: {m: r[m] for m in measures} for r in cur.execute(
                "SELECT * FROM cc.kpi_by_street(%s, %s)", (p_from, p_to))}
        backlog = {r[0]: r[1:] for r in admin.execute("SELECT * FROM cc.backlog_by_street()")}
    assert len(truth) > 2 and truth[dhm]["closed"] > 0
    handler = login_role(["cc_handler"], street_id=dhm, unit_id=_units(db, dhm, 1)[0])
    for connect in (lambda: sign_in(db, "dhm_operator"), lambda: psycopg.connect(handler)):
        with connect() as c:
            for bad_from, bad_to in HOSTILE_PERIODS:
                for sql_text in ("SELECT * FROM cc.kpi_by_street(%s, %s)", "SELECT * FROM cc.kpi(%s, %s)"):
                    with pytest.raises(psycopg.Error) as refused:
                        c.execute(sql_text, (bad_from, bad_to))
                    assert refused.value.sqlstate == "CC009", (bad_from, bad_to, refused.value)
                    c.rollback()
            with c.cursor(row_factory=dict_row) as cur:
                by_street = cur.execute("SELECT * FROM cc.kpi_by_street(%s, %s)", (p_from, p_to)).fetchall()
                assert {r["id"] for r in by_street} == {dhm}
                for street in (None, dhm, dhs, -1):
                    row = cur.execute("SELECT * FROM cc.kpi(%s, %s, %s)", (p_from, p_to, street)).fetchone()
                    if street in (dhs, -1):
                        assert all(row[m] in (0, None) for m in measures), (street, row)
                    else:
                        assert {m: row[m] for m in measures} == truth[dhm], street
            assert {r[0]: r[1:] for r in c.execute("SELECT * FROM cc.backlog_by_street()")} == {dhm: backlog[dhm]}
    with sign_in(db, "wall") as c, c.cursor(row_factory=dict_row) as cur:   # the district sees the district
        assert cur.execute("SELECT * FROM cc.kpi(%s, %s)", (p_from, p_to)).fetchone() == total


def test_key_figures_lock_nothing_and_hold_no_one_up(db, streets) -> None:  # noqa: ANN001
    """The heaviest call (every event, every case) from every connection the wall has: another
    street's dispatch still goes through; the figures take no lock beyond reading."""
    with sign_in(db, "wall") as c:
        c.execute(f"SELECT k.* FROM ({WHOLE}) p(f, t), cc.kpi(p.f, p.t) k")      # the heaviest call allowed
        c.execute("SELECT * FROM cc.backlog_by_street()")
        modes = {r[0] for r in c.execute("SELECT mode FROM pg_locks WHERE pid = pg_backend_pid() "
                                          "AND locktype = 'relation'")}
        c.rollback()
    assert modes <= {"AccessShareLock"}, modes
    with db.connect() as admin:
        limit = admin.execute("SELECT cc.console_connection_limit()").fetchone()[0]
    dhs = streets["东花市街道"]
    case_id, v = _new_case(db, dhs)
    unit = _units(db, dhs, 1)[0]
    stop = threading.Event()
    hammers = [sign_in(db, "wall", autocommit=True) for _ in range(limit - 1)]

    def hammer(c: psycopg.Connection) -> None:
        while not stop.is_set():
            c.execute(f"SELECT k.* FROM ({WHOLE}) p(f, t), cc.kpi(p.f, p.t) k").fetchone()

    threads = [threading.Thread(target=hammer, args=(c,)) for c in hammers]
    for t in threads:
        t.start()
    try:
        time.sleep(0.5)
        with sign_in(db, "dhs_supervisor") as c:
            t0 = time.monotonic()
            Workflow(c).dispatch(case_id, v, unit_id=unit)
            waited = time.monotonic() - t0
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=20)
        for c in hammers:
            c.close()
    assert waited < 5.0, f"a dispatch took {waited:.2f} s while the wall counted"


# ---------------------------------------------------------------- 6. the migration as a whole

def test_the_migrated_database_passes_its_own_security_check(db, login_role) -> None:  # noqa: ANN001
    with psycopg.connect(login_role(["cc_admin"])) as c:
        checks = {r[0]: (r[1], r[2]) for r in c.execute("SELECT check_name, ok, detail FROM cc.security_check()")}
    # the guard is not running here, and the test cluster holds a database per test module
    failing = {k: v for k, v in checks.items() if not v[0] and "guard" not in k and "this database only" not in k}
    assert failing == {}
    with db.connect() as c:
        # every definer function replaced by 0005 is pinned, also without harden.sql's help
        unpinned = c.execute(
            "SELECT p.proname FROM pg_proc p WHERE p.pronamespace = 'cc'::regnamespace AND p.prosecdef "
            "AND NOT coalesce(p.proconfig, '{}') @> ARRAY['search_path=pg_catalog, cc, pg_temp']").fetchall()
        assert unpinned == []
        public = c.execute("SELECT count(*) FROM pg_default_acl d WHERE d.defaclrole = 'cc_owner'::regrole "
                           "AND d.defaclnamespace = 0 AND d.defaclobjtype = 'f' "
                           "AND NOT EXISTS (SELECT 1 FROM aclexplode(d.defaclacl) x WHERE x.grantee = 0)").fetchone()[0]
        assert public == 1                   # new functions of cc_owner start without EXECUTE for PUBLIC


def test_the_source_pins_every_definer_function_it_replaces() -> None:
    """harden.sql repins at the end of the migration; the file itself should not rely on it."""
    import pathlib
    import re
    text = (pathlib.Path(__file__).parent.parent / "db" / "sql" / "0005_rules.sql").read_text()
    definers = re.findall(r"SECURITY DEFINER([^\n]*)", text)
    assert definers and all("SET search_path = pg_catalog, cc, pg_temp" in d for d in definers), definers
