"""Access control in the database, checked with plain psycopg connections signed in as each
demo account (not the application's code paths): what a street sub-centre may read and do,
that tables are written only through the functions, that the actor cannot be forged, that
the audit trails cannot be altered, and that accounts are the administrators' business."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from psycopg import sql

from commandcenter.store import accounts
from commandcenter.store.commands import Workflow
from commandcenter.store.errors import ActionRefused

from .helpers import case_row, new_case_in, sign_in


@pytest.fixture(scope="module")
def streets(db) -> dict[str, int]:  # noqa: ANN001
    with db.connect() as c:
        return dict(c.execute("SELECT name, id FROM cc.street").fetchall())


def test_a_street_operator_reads_only_its_street(db, streets) -> None:  # noqa: ANN001
    dhm, dhs = streets["东华门街道"], streets["东花市街道"]
    with db.connect() as admin:
        other_case = admin.execute('SELECT id FROM cc."case" WHERE street_id = %s LIMIT 1', (dhs,)).fetchone()[0]
        case_id, _ = new_case_in(admin, "filed")
        Workflow(admin).add_attachment(case_id, "photo.png", _png())
        attach_street = case_row(admin, case_id)["street_id"]
        outsider = admin.execute(
            "SELECT p.id FROM cc.person p JOIN cc.grid_assignment ga ON ga.person_id = p.id "
            "JOIN cc.grid g ON g.id = ga.grid_id GROUP BY p.id HAVING bool_and(g.street_id = %s) LIMIT 1",
            (dhs,)).fetchone()[0]
        admin.commit()
    with sign_in(db, "dhm_operator") as c:
        assert {r[0] for r in c.execute("SELECT DISTINCT street_id FROM cc.case_board")} == {dhm}
        assert {r[0] for r in c.execute('SELECT DISTINCT street_id FROM cc."case"')} == {dhm}
        assert {r[0] for r in c.execute("SELECT DISTINCT street_id FROM cc.case_event")} == {dhm}
        assert c.execute('SELECT count(*) FROM cc."case" WHERE id = %s', (other_case,)).fetchone()[0] == 0
        assert c.execute("SELECT count(*) FROM cc.case_event WHERE case_id = %s", (other_case,)).fetchone()[0] == 0
        visible_photos = c.execute("SELECT count(*) FROM cc.attachment").fetchone()[0]
        assert visible_photos == (1 if attach_street == dhm else 0)
        # residents and staff of other streets are not theirs to see
        assert c.execute("SELECT count(*) FROM cc.person WHERE id = %s", (outsider,)).fetchone()[0] == 0
        # and the function that lists options refuses a case it cannot see
        with pytest.raises(psycopg.Error, match="outside your scope"):
            c.execute("SELECT * FROM cc.dispatch_options(%s)", (other_case,))


STREET_KEPT = ("case_event", "attachment", "repeat_report", "callback", "open311_request", "extension",
               "suspension", "supervision")


def test_every_table_kept_by_street_shows_a_console_exactly_its_street(db, streets) -> None:  # noqa: ANN001
    # Since 0008 the policies look the console's scope up once a statement, not once a row:
    # the same rows as cc.sees_street must come out, for a street, the whole district and a
    # login without a console account (which sees nothing).
    dhm = streets["东华门街道"]
    with db.connect() as admin:
        policies = dict(admin.execute(
            "SELECT tablename, qual FROM pg_policies WHERE schemaname = 'cc' AND roles = '{cc_reader}' "
            "AND qual LIKE '%%console_street%%'").fetchall())
        totals = {t: admin.execute(f"SELECT count(*), count(*) FILTER (WHERE street_id = %s) FROM cc.{t}",
                                   (dhm,)).fetchone() for t in STREET_KEPT}
        cases = admin.execute('SELECT count(*), count(*) FILTER (WHERE street_id = %s) FROM cc."case"',
                              (dhm,)).fetchone()
    assert set(policies) == {*STREET_KEPT, "case"}
    with sign_in(db, "dhm_operator") as street, sign_in(db, "dc_operator") as district:
        for t in STREET_KEPT:
            assert street.execute(f"SELECT count(*) FROM cc.{t}").fetchone()[0] == totals[t][1], t
            assert district.execute(f"SELECT count(*) FROM cc.{t}").fetchone()[0] == totals[t][0], t
        assert street.execute('SELECT count(*) FROM cc."case"').fetchone()[0] == cases[1]
        assert district.execute('SELECT count(*) FROM cc."case"').fetchone()[0] == cases[0]
    # a login in a console group but without a console account (made by hand) sees nothing
    login = f"u_{uuid.uuid4().hex[:10]}"
    with db.connect(autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD 'x-123456789' IN ROLE cc_operator").format(
            sql.Identifier(login)))
    try:
        with psycopg.connect(psycopg.conninfo.make_conninfo(db.dsn, user=login, password="x-123456789")) as bare:
            for t in (*STREET_KEPT, "case"):
                assert bare.execute(f'SELECT count(*) FROM cc."{t}"').fetchone()[0] == 0, t
    finally:
        with db.connect(autocommit=True) as admin:
            admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(login)))


def test_residents_private_data_is_for_operators_not_the_wall(db) -> None:  # noqa: ANN001
    with sign_in(db, "dc_operator") as c:
        c.execute('SELECT reporter_name, reporter_phone FROM cc."case" LIMIT 1').fetchall()
    with sign_in(db, "wall") as c:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute('SELECT reporter_phone FROM cc."case" LIMIT 1')
        c.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute('SELECT * FROM cc."case" LIMIT 1')
        c.rollback()
        # the board the wall shows carries no private data at all
        cols = [d.name for d in c.execute("SELECT * FROM cc.case_board LIMIT 1").description]
        assert not {"reporter_name", "reporter_phone"} & set(cols)


@pytest.mark.parametrize("statement", [
    'UPDATE cc."case" SET state = \'closed\'',
    'DELETE FROM cc."case"',
    "INSERT INTO cc.case_event (id, case_id, street_id, action, to_state, actor, at) "
    "VALUES (999999, 1, 1, 'report', 'closed', 'someone', now())",
    "UPDATE cc.person SET phone = '110'",
    "DELETE FROM cc.grid_assignment",
    "INSERT INTO cc.console_account (login, display_name) VALUES ('x', 'x')",
    "UPDATE cc.audit_log SET actor = 'nobody'",
])
@pytest.mark.parametrize("login", ["dhm_operator", "dc_supervisor", "wall"])
def test_no_console_writes_tables_directly(db, login: str, statement: str) -> None:  # noqa: ANN001
    with sign_in(db, login) as c:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute(statement)


def test_the_actor_is_the_signed_in_role_whatever_the_client_sets(db) -> None:  # noqa: ANN001
    with db.connect() as admin:
        case_id, version = new_case_in(admin, "dispatched")
    with sign_in(db, "dc_operator") as c:
        c.execute("SET application_name = 'dc_supervisor'")
        c.execute("SELECT set_config('cc.clock', '2020-01-01', false)")   # a forged clock is ignored
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("SET ROLE dc_supervisor")
        c.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("SET SESSION AUTHORIZATION dc_supervisor")
        c.rollback()
        Workflow(c).urge(case_id, version, "请尽快")
    with db.connect() as admin:
        actor, at = admin.execute("SELECT actor, at FROM cc.case_event WHERE case_id = %s ORDER BY id DESC LIMIT 1",
                                  (case_id,)).fetchone()
    assert actor == "dc_operator" and at.year >= 2026


def test_nobody_alters_the_event_table_or_the_audit_log(db) -> None:  # noqa: ANN001
    with db.connect() as admin:          # the superuser, then the owner
        for who in ("postgres", "cc_owner"):
            if who == "cc_owner":
                admin.execute("SET ROLE cc_owner")
            for statement in ("UPDATE cc.case_event SET note = 'x' WHERE id = 1", "DELETE FROM cc.case_event WHERE id = 1",
                              "TRUNCATE cc.case_event CASCADE", "UPDATE cc.audit_log SET actor = 'x'",
                              "DELETE FROM cc.audit_log", "TRUNCATE cc.audit_log"):
                with pytest.raises(psycopg.Error, match="append-only"):
                    admin.execute(statement)
                admin.rollback()
                if who == "cc_owner":
                    admin.execute("SET ROLE cc_owner")


def test_a_street_supervisor_cannot_act_on_another_streets_case(db, streets) -> None:  # noqa: ANN001
    with db.connect() as admin:
        gid, lon, lat = admin.execute('SELECT grid_id, lon, lat FROM cc."case" WHERE street_id = %s LIMIT 1',
                                      (streets["东花市街道"],)).fetchone()
        admin.commit()
        wf = Workflow(admin)
        case_id = wf.report("hotline", "010201", "东花市的案件", lon, lat, grid_id=gid)
        version = wf.file(case_id, 1)
        before = case_row(admin, case_id)
    assert before["street_id"] == streets["东花市街道"]
    with sign_in(db, "dhm_supervisor") as c:
        for call in (lambda: Workflow(c).urge(case_id, version), lambda: Workflow(c).escalate(case_id, version, "x"),
                     lambda: Workflow(c).cancel(case_id, version, "x")):
            with pytest.raises(ActionRefused) as refused:
                call()
            assert "scope" in str(refused.value) or "not exist" in str(refused.value)
    with db.connect() as admin:
        assert case_row(admin, case_id) == before


def test_accounts_are_for_administrators_and_audited(db) -> None:  # noqa: ANN001
    with sign_in(db, "dc_supervisor") as c:
        with pytest.raises(ActionRefused, match="only administrators"):
            accounts.add(c, "intruder_x", "a long enough password", "x", "admin")
    with db.connect() as admin:
        accounts.add(admin, "t_operator_sec", "correct horse battery", "测试 受理员", "operator", "东华门街道")
        with pytest.raises(ActionRefused, match="already exists"):
            accounts.add(admin, "t_operator_sec", "correct horse battery", "x", "operator")
        with pytest.raises(ActionRefused, match="shorter than"):
            accounts.add(admin, "t_short_pw", "short", "x", "operator")
        with pytest.raises(ActionRefused, match="not allowed"):
            accounts.add(admin, "Robert'); DROP TABLE", "correct horse battery", "x", "operator")
    with sign_in(db, "t_operator_sec", "correct horse battery") as c:
        assert c.execute("SELECT display_name FROM cc.whoami()").fetchone()[0] == "测试 受理员"
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        sign_in(db, "t_operator_sec", "wrong password")
    with db.connect() as admin:
        accounts.set_enabled(admin, "t_operator_sec", False)
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        sign_in(db, "t_operator_sec", "correct horse battery")
    with db.connect() as admin:
        log = admin.execute("SELECT action, actor FROM cc.audit_log WHERE subject = 't_operator_sec' ORDER BY id").fetchall()
        listed = {a.login: a for a in accounts.listing(admin)}
    assert [a for a, _ in log] == ["account_add", "sign_in", "account_disable"]
    assert log[1][1] == "t_operator_sec"
    assert listed["t_operator_sec"].can_login is False and listed["t_operator_sec"].street == "东华门街道"


def _png() -> bytes:
    import base64
    return base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def test_an_account_has_its_name_in_both_interface_languages(db) -> None:  # noqa: ANN001
    with sign_in(db, "dc_supervisor") as c:
        assert c.execute("SELECT display_name, display_name_en FROM cc.whoami()").fetchone() == \
            ("区指挥中心值班长", "District supervisor")
    with db.connect() as admin:
        accounts.add(admin, "t_bilingual", "correct horse battery", "东华门受理员 王芳", "operator", "东华门街道",
                     "Donghuamen operator Wang Fang")
    with sign_in(db, "t_bilingual", "correct horse battery") as c:
        assert c.execute("SELECT display_name_en FROM cc.whoami()").fetchone()[0] == "Donghuamen operator Wang Fang"
