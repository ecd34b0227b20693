"""Two-way assessment (条块双向考评, migration 0007): the form, a street rating a unit and a
department rating a street, the summary against averages worked out by hand, every refusal,
row-level security, attacks as the lowest roles with plain psycopg, and the rating dialog
submitting through the real database."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from functools import partial

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from commandcenter.store import assessment as asm
from commandcenter.store.errors import InvalidArgument, NotFound, PermissionRefused

from .helpers import sign_in

SRU = asm.STREET_RATES_UNIT
DRS = asm.DEPARTMENT_RATES_STREET
H1 = (date(2025, 1, 1), date(2025, 6, 30))      # a past half-year: the hand-worked figures live here
H2 = (date(2025, 7, 1), date(2025, 12, 31))
BIG = "评" * 5_000_000


@pytest.fixture(scope="module")
def ids(db) -> dict[str, int]:  # noqa: ANN001
    """Streets, units and departments the tests name."""
    with db.connect() as c:
        streets = dict(c.execute("SELECT name, id FROM cc.street").fetchall())
        dhm, dhs = streets["东华门街道"], streets["东花市街道"]
        district_units = c.execute("SELECT id, department_id FROM cc.unit WHERE street_id IS NULL "
                                   "ORDER BY department_id, id").fetchall()
        dhm_unit = c.execute("SELECT id, department_id FROM cc.unit WHERE street_id = %s ORDER BY id LIMIT 1",
                             (dhm,)).fetchone()
        dhs_unit = c.execute("SELECT id, department_id FROM cc.unit WHERE street_id = %s ORDER BY id LIMIT 1",
                             (dhs,)).fetchone()
        other_street = c.execute("SELECT id FROM cc.street WHERE id NOT IN (%s, %s) ORDER BY id LIMIT 1",
                                 (dhm, dhs)).fetchone()[0]
    assert len(district_units) >= 2 and dhm_unit and dhs_unit
    return {"dhm": dhm, "dhs": dhs, "other_street": other_street,
            "u0": district_units[0][0], "u0_dept": district_units[0][1],
            "u1": district_units[1][0], "u1_dept": district_units[1][1],
            "dhm_unit": dhm_unit[0], "dhs_unit": dhs_unit[0], "dhs_unit_dept": dhs_unit[1]}


@pytest.fixture(scope="module")
def unit_console(login_role, ids):  # noqa: ANN001, ANN201
    """The console of a district-level unit: it rates streets for its department."""
    return login_role(["cc_handler"], unit_id=ids["u0"])


@pytest.fixture(scope="module")
def street_unit_console(login_role, ids):  # noqa: ANN001, ANN201
    """The console of a unit of 东花市 street: it rates only its own street."""
    return login_role(["cc_handler"], street_id=ids["dhs"], unit_id=ids["dhs_unit"])


def _sru(a: int, b: int, c: int, d: int) -> dict[str, int]:
    return {"response_speed": a, "handling_quality": b, "cooperation": c, "service_attitude": d}


def _drs(a: int, b: int, c: int) -> dict[str, int]:
    return {"report_quality": a, "coordination": b, "follow_through": c}


def _log_count(db) -> int:  # noqa: ANN001
    with db.connect() as c:
        return int(c.execute("SELECT count(*) FROM cc.assessment_log").fetchone()[0])


def _state(db) -> tuple:  # noqa: ANN001
    with db.connect() as c:
        return (c.execute("SELECT count(*) FROM cc.assessment_log").fetchone()[0],
                c.execute("SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY id), '')) FROM cc.assessment t").fetchone()[0],
                c.execute("SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY assessment_id, item_code), '')) "
                          "FROM cc.assessment_score t").fetchone()[0])


# ---------------------------------------------------------------- the form

def test_the_form_is_rows_in_both_languages(conn) -> None:  # noqa: ANN001
    unit_form = asm.items(conn, SRU)
    street_form = asm.items(conn, DRS)
    assert [i.code for i in unit_form] == ["response_speed", "handling_quality", "cooperation", "service_attitude"]
    assert [i.code for i in street_form] == ["report_quality", "coordination", "follow_through"]
    for form in (unit_form, street_form):
        assert sum(i.weight for i in form) == 100
        assert all(i.max_score == 10 and i.name and i.name_en and i.description and i.description_en for i in form)
    assert unit_form[0].name == "响应速度" and unit_form[0].name_en == "Response speed"
    # the form is configurable: a retired item leaves the form, a new one joins it
    conn.execute("UPDATE cc.assessment_item SET active = false WHERE code = 'service_attitude'")
    conn.execute("INSERT INTO cc.assessment_item (code, direction, name, name_en, weight, max_score, sort) "
                 "VALUES ('innovation', 'street_rates_unit', '创新', 'Innovation', 5, 5, 9)")
    conn.commit()
    try:
        assert [i.code for i in asm.items(conn, SRU)][-2:] == ["cooperation", "innovation"]
    finally:
        conn.execute("DELETE FROM cc.assessment_item WHERE code = 'innovation'")
        conn.execute("UPDATE cc.assessment_item SET active = true WHERE code = 'service_attitude'")
        conn.commit()
    assert [i.code for i in asm.items(conn, SRU)] == [i.code for i in unit_form]


# ---------------------------------------------------------------- rating and the summary by hand

def test_streets_rate_a_unit_and_the_summary_is_worked_out_by_hand(db, ids) -> None:  # noqa: ANN001
    with sign_in(db, "dhm_operator") as c:
        assert [s.id for s in asm.raters(c, SRU)] == [ids["dhm"]]
        assert asm.raters(c, DRS) == []
        offered = {t.id for t in asm.targets(c, SRU)}
        assert {ids["u0"], ids["u1"], ids["dhm_unit"]} <= offered and ids["dhs_unit"] not in offered
        first = asm.assess(c, SRU, *H1, ids["u0"], _sru(8, 6, 10, 5), "响应快 fast")
        assert first.revision == 1
    with sign_in(db, "dhs_operator") as c:
        asm.assess(c, SRU, *H1, ids["u0"], _sru(10, 10, 10, 10))
    # 东华门: 100 × (30×8/10 + 30×6/10 + 20×10/10 + 20×5/10) / 100 = 72.0; 东花市: 100.0
    with sign_in(db, "wall") as c:
        rows = {r.target_id: r for r in asm.summary(c, *H1, SRU)}
    u0 = rows[ids["u0"]]
    assert (u0.raters, u0.ratings, u0.score) == (2, 2, Decimal("86.0"))
    assert u0.items == {"response_speed": Decimal("9.00"), "handling_quality": Decimal("8.00"),
                        "cooperation": Decimal("10.00"), "service_attitude": Decimal("7.50")}
    assert u0.group_name                                     # the unit's department
    # 东华门 rates again: its form is replaced (revision 2), the first one stays in the log
    with sign_in(db, "dhm_operator") as c:
        again = asm.assess(c, SRU, *H1, ids["u0"], _sru(4, 4, 4, 4), "复评 second look")
        assert (again.assessment_id, again.revision) == (first.assessment_id, 2)
        prev = asm.previous(c, SRU, *H1, ids["u0"], ids["dhm"])
        assert prev is not None and prev.scores == _sru(4, 4, 4, 4) and prev.revision == 2
    with db.connect() as c:
        log = c.execute("SELECT revision, scores, comment, rated_by FROM cc.assessment_log WHERE assessment_id = %s "
                        "ORDER BY revision", (first.assessment_id,)).fetchall()
    assert [(r[0], r[1]["response_speed"], r[2], r[3]) for r in log] == [
        (1, 8, "响应快 fast", "dhm_operator"), (2, 4, "复评 second look", "dhm_operator")]
    with sign_in(db, "wall") as c:
        u0 = {r.target_id: r for r in asm.summary(c, *H1, SRU)}[ids["u0"]]
        # (40.0 + 100.0) / 2 = 70.0; response speed (4 + 10) / 2 = 7
        assert (u0.raters, u0.ratings, u0.score, u0.items["response_speed"]) == (2, 2, Decimal("70.0"), Decimal("7.00"))
        # forms count in every range that overlaps their period, and only there
        assert {r.target_id: r.score for r in asm.summary(c, date(2025, 3, 1), date(2025, 3, 31), SRU)}[ids["u0"]] == 70
        assert {r.target_id: r.score for r in asm.summary(c, date(2025, 6, 30), date(2025, 6, 30), SRU)}[ids["u0"]] == 70
        assert ids["u0"] not in {r.target_id for r in asm.summary(c, date(2024, 12, 1), date(2024, 12, 31), SRU)}
        assert ids["u0"] not in {r.target_id for r in asm.summary(c, date(2025, 7, 1), date(2025, 7, 31), SRU)}
        with pytest.raises(InvalidArgument, match="needs a period"):
            asm.summary(c, H1[1], H1[0], SRU)


def test_departments_rate_streets_and_the_centre_records_a_paper_form(  # noqa: ANN201
        db, ids, unit_console, street_unit_console):  # noqa: ANN001
    with psycopg.connect(unit_console) as c:
        assert [s.id for s in asm.raters(c, DRS)] == [ids["u0_dept"]]
        assert asm.raters(c, SRU) == []
        assert len(asm.targets(c, DRS)) == 17                 # a district unit's department rates every street
        asm.assess(c, DRS, *H1, ids["dhm"], _drs(9, 7, 8))
    with sign_in(db, "dc_supervisor") as c:
        assert len(asm.raters(c, DRS)) >= 13 and len(asm.raters(c, SRU)) == 17
        with pytest.raises(InvalidArgument, match="name the department"):
            asm.assess(c, DRS, *H1, ids["dhm"], _drs(5, 5, 5))
        paper = asm.assess(c, DRS, *H1, ids["dhm"], _drs(5, 5, 5), "纸质表 paper form", rater=ids["u1_dept"])
        assert paper.revision == 1
    with db.connect() as c:
        assert c.execute("SELECT on_behalf, rated_by FROM cc.assessment WHERE id = %s",
                         (paper.assessment_id,)).fetchone() == (True, "dc_supervisor")
    # 80.5 = (35×0.9 + 30×0.7 + 35×0.8); 50.0; mean 65.25 → 65.3
    with sign_in(db, "dhs_operator") as c:
        dhm = {r.target_id: r for r in asm.summary(c, *H1, DRS)}[ids["dhm"]]
    assert (dhm.raters, dhm.score) == (2, Decimal("65.3"))
    assert dhm.items == {"report_quality": Decimal("7.00"), "coordination": Decimal("6.00"),
                         "follow_through": Decimal("6.50")}
    # a street's unit rates its own street only
    with psycopg.connect(street_unit_console) as c:
        assert [t.id for t in asm.targets(c, DRS)] == [ids["dhs"]]
        with pytest.raises(NotFound, match="outside your area"):
            asm.assess(c, DRS, *H1, ids["dhm"], _drs(1, 1, 1))
        asm.assess(c, DRS, *H1, ids["dhs"], _drs(10, 10, 10))


# ---------------------------------------------------------------- refusals

def _today(db) -> date:  # noqa: ANN001
    with db.connect() as c:
        return c.execute("SELECT (cc.clock() AT TIME ZONE cc.local_tz())::date").fetchone()[0]


def test_every_bad_rating_is_refused_with_a_clear_message_and_changes_nothing(db, ids, unit_console) -> None:  # noqa: ANN001
    today = _today(db)
    before = _state(db)
    with sign_in(db, "dhm_operator") as c:
        s, d, one = partial(asm.assess, c, SRU), partial(asm.assess, c, DRS), _sru(1, 1, 1, 1)
        bad = [
            (PermissionRefused, "a street does not rate streets", lambda: d(*H2, ids["dhm"], _drs(1, 1, 1))),
            (PermissionRefused, "own street only", lambda: s(*H2, ids["u0"], one, rater=ids["dhs"])),
            (NotFound, "outside your area", lambda: s(*H2, ids["dhs_unit"], one)),
            (NotFound, "outside your area", lambda: s(*H2, 987654, one)),
            (InvalidArgument, "name the unit", lambda: s(*H2, None, one)),  # type: ignore[arg-type]
            (InvalidArgument, "unknown assessment item \"speed\"",
             lambda: s(*H2, ids["u0"], {**one, "speed": 3})),
            (InvalidArgument, "unknown assessment item \"report_quality\"",
             lambda: s(*H2, ids["u0"], {**one, "report_quality": 3})),
            (InvalidArgument, "missing: cooperation, service_attitude",
             lambda: s(*H2, ids["u0"], {"response_speed": 1, "handling_quality": 1})),
            (InvalidArgument, "11 for response_speed \\(0 to 10\\)", lambda: s(*H2, ids["u0"], _sru(11, 1, 1, 1))),
            (InvalidArgument, "-1 for cooperation", lambda: s(*H2, ids["u0"], _sru(1, 1, -1, 1))),
            (InvalidArgument, "no score for handling_quality",
             lambda: s(*H2, ids["u0"], _sru(1, None, 1, 1))),  # type: ignore[arg-type]
            (InvalidArgument, "starts in the future",
             lambda: s(today + timedelta(days=1), today + timedelta(days=30), ids["u0"], one)),
            (InvalidArgument, "ends .* before it starts", lambda: s(H1[1], H1[0], ids["u0"], one)),
            (InvalidArgument, "367 days long", lambda: s(date(2024, 1, 1), date(2025, 1, 1), ids["u0"], one)),
            (InvalidArgument, "first and a last day", lambda: s(None, H1[1], ids["u0"], one)),  # type: ignore[arg-type]
            (InvalidArgument, "comment is too long: 1001", lambda: s(*H2, ids["u0"], one, "评" * 1001)),
            (InvalidArgument, "comment is too long: 5000000", lambda: s(*H2, ids["u0"], one, BIG)),
            (InvalidArgument, "unknown assessment direction", lambda: asm.assess(c, "unit_rates_unit", *H2, ids["u0"], one)),  # type: ignore[arg-type]
        ]
        for kind, message, call in bad:
            with pytest.raises(kind, match=message) as err:
                call()
            assert err.value.hint, message
        # raw calls a client library would not make: NULL arrays, uneven lists, infinite dates, 2-D arrays
        raw = [
            ("SELECT cc.assess('street_rates_unit', '2025-07-01', '2025-12-31', %s, NULL, NULL)", (ids["u0"],), "two lists"),
            ("SELECT cc.assess('street_rates_unit', '2025-07-01', '2025-12-31', %s, "
             "'{response_speed,handling_quality,cooperation,service_attitude}', '{1,1,1}')", (ids["u0"],), "two lists"),
            ("SELECT cc.assess('street_rates_unit', '2025-07-01', '2025-12-31', %s, "
             "'{{response_speed,handling_quality},{cooperation,service_attitude}}', '{{1,1},{1,1}}')", (ids["u0"],), "two lists"),
            ("SELECT cc.assess('street_rates_unit', '-infinity', '2025-12-31', %s, "
             "'{response_speed,handling_quality,cooperation,service_attitude}', '{1,1,1,1}')", (ids["u0"],), "first and a last"),
            ("SELECT cc.assess('street_rates_unit', '2025-07-01', '2025-12-31', %s, "
             "'{response_speed,response_speed,cooperation,service_attitude}', '{1,1,1,1}')", (ids["u0"],), "scored twice"),
            ("SELECT cc.assess('street_rates_unit', '2025-07-01', '2025-12-31', %s, "
             "'{response_speed,NULL,cooperation,service_attitude}', '{1,1,1,1}')", (ids["u0"],), "unknown assessment item NULL"),
        ]
        for query, args, message in raw:
            with pytest.raises(psycopg.Error, match=message) as perr:
                c.execute(query, args)
            assert perr.value.diag.sqlstate == "CC009" and perr.value.diag.message_hint
            c.rollback()
    # the other side, and roles that may not rate at all
    with psycopg.connect(unit_console) as c:
        with pytest.raises(PermissionRefused, match="does not rate units"):
            asm.assess(c, SRU, *H2, ids["u1"], _sru(1, 1, 1, 1))
        with pytest.raises(PermissionRefused, match="own department only"):
            asm.assess(c, DRS, *H2, ids["dhm"], _drs(1, 1, 1), rater=ids["u1_dept"])
    for login in ("wall", "dhm_field"):
        with sign_in(db, login) as c:
            with pytest.raises(PermissionRefused):
                asm.assess(c, SRU, *H2, ids["u0"], _sru(1, 1, 1, 1))
            with pytest.raises(PermissionRefused):
                asm.assess(c, DRS, *H2, ids["dhm"], _drs(1, 1, 1))
            assert asm.raters(c, SRU) == [] and asm.raters(c, DRS) == []
    with sign_in(db, "dc_supervisor") as c:
        with pytest.raises(NotFound, match="street 987654 does not exist"):
            asm.assess(c, SRU, *H2, ids["u0"], _sru(1, 1, 1, 1), rater=987654)
        with pytest.raises(NotFound, match="outside your area"):    # 东华门's form cannot rate 东花市's unit
            asm.assess(c, SRU, *H2, ids["dhs_unit"], _sru(1, 1, 1, 1), rater=ids["dhm"])
    with sign_in(db, "dc_operator") as c:           # the district operator does not record paper forms
        with pytest.raises(PermissionRefused, match="supervisor role"):
            asm.assess(c, SRU, *H2, ids["u0"], _sru(1, 1, 1, 1), rater=ids["dhm"])
    assert _state(db) == before


def test_a_comment_is_stored_without_controls_or_bidi_overrides(db, ids) -> None:  # noqa: ANN001
    with sign_in(db, "dhs_operator") as c:
        rated = asm.assess(c, SRU, *H2, ids["u1"], _sru(3, 3, 3, 3), "好\u202e<b>坏</b>\x07\u200f\n第二行")
    with db.connect() as c:
        stored = c.execute("SELECT comment FROM cc.assessment WHERE id = %s", (rated.assessment_id,)).fetchone()[0]
    assert stored == "好<b>坏</b>\n第二行"


# ---------------------------------------------------------------- who sees what

def test_row_level_security_shows_each_side_its_own_forms_and_the_wall_only_aggregates(
        db, ids, unit_console) -> None:  # noqa: ANN001
    # forms both ways for every side below (and whatever the tests before it made)
    h2_2024 = (date(2024, 7, 1), date(2024, 12, 31))
    with sign_in(db, "dhm_operator") as c:
        asm.assess(c, SRU, *h2_2024, ids["u0"], _sru(3, 3, 3, 3))
        asm.assess(c, SRU, *h2_2024, ids["dhm_unit"], _sru(3, 3, 3, 3))
    with sign_in(db, "dhs_operator") as c:
        asm.assess(c, SRU, *h2_2024, ids["u0"], _sru(2, 2, 2, 2))
    with psycopg.connect(unit_console) as c:
        asm.assess(c, DRS, *h2_2024, ids["dhs"], _drs(6, 6, 6))
        asm.assess(c, DRS, *h2_2024, ids["dhm"], _drs(6, 6, 6))
    with sign_in(db, "dc_supervisor") as c:
        asm.assess(c, DRS, *h2_2024, ids["dhm"], _drs(4, 4, 4), rater=ids["u1_dept"])
        asm.assess(c, SRU, *h2_2024, ids["u1"], _sru(4, 4, 4, 4), rater=ids["other_street"])

    def visible(conn: psycopg.Connection) -> set[tuple]:
        rows = conn.execute("SELECT rater_street_id, rater_department_id, target_unit_id, target_street_id "
                            "FROM cc.assessment").fetchall()
        scores = conn.execute("SELECT count(*) FROM cc.assessment_score").fetchone()[0]
        logs = conn.execute("SELECT count(*) FROM cc.assessment_log").fetchone()[0]
        conn.rollback()
        assert (scores == 0) == (not rows) and (logs == 0) == (not rows)
        return set(rows)

    with db.connect() as c:
        every = set(c.execute("SELECT rater_street_id, rater_department_id, target_unit_id, target_street_id "
                              "FROM cc.assessment").fetchall())
    assert len(every) >= 6
    with sign_in(db, "dhm_operator") as c:
        mine = visible(c)
    assert mine and mine == {r for r in every if ids["dhm"] in (r[0], r[3])}
    with sign_in(db, "dhs_operator") as c:
        theirs = visible(c)
    assert theirs == {r for r in every if ids["dhs"] in (r[0], r[3])}
    assert not mine & {r for r in theirs if r[0] == ids["dhs"]}          # neither sees the other's forms
    with psycopg.connect(unit_console) as c:
        unit_sees = visible(c)
    assert unit_sees == {r for r in every if r[1] == ids["u0_dept"] or r[2] == ids["u0"]}
    with sign_in(db, "dc_operator") as c:
        assert visible(c) == every
    with sign_in(db, "wall") as c:
        assert visible(c) == set()
        assert asm.summary(c, *h2_2024, SRU) and asm.summary(c, *h2_2024, DRS)      # aggregates only
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("SELECT * FROM cc.assessment_quota")
        c.rollback()


# ---------------------------------------------------------------- attacks with plain psycopg

def test_no_console_writes_the_tables_or_rewrites_history(db, ids) -> None:  # noqa: ANN001
    before = _state(db)
    for login in ("wall", "dhm_operator", "dc_supervisor"):
        with sign_in(db, login, autocommit=True) as c:
            for statement in (
                    "INSERT INTO cc.assessment (direction, period_start, period_end, rater_street_id, target_unit_id, "
                    f"rated_by, rated_at) VALUES ('street_rates_unit', '2025-01-01', '2025-06-30', {ids['dhs']}, "
                    f"{ids['u0']}, 'forged', now())",
                    "UPDATE cc.assessment_score SET score = 10",
                    "DELETE FROM cc.assessment_log",
                    "UPDATE cc.assessment_item SET weight = 1000 WHERE code = 'cooperation'",
                    "INSERT INTO cc.assessment_quota VALUES ('x', now())",
                    "TRUNCATE cc.assessment_log"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    c.execute(statement)
    # not even the owner rewrites the log
    with db.connect() as c:
        c.execute("SET ROLE cc_owner")
        with pytest.raises(psycopg.Error, match="append-only"):
            c.execute("UPDATE cc.assessment_log SET comment = 'rewritten'")
    assert _state(db) == before


def test_temporary_objects_cannot_run_inside_the_assessment_functions(db, login_role, ids) -> None:  # noqa: ANN001
    with sign_in(db, "dhm_operator") as c:             # as the console is: no TEMPORARY
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="temporary"):
            c.execute("CREATE TEMP TABLE assessment (id int)")
    # a street operator given TEMPORARY back, so that the pinned search_path is what is tested
    dsn = login_role(["cc_operator"], street_id=ids["dhm"])
    login = conninfo_to_dict(dsn)["user"]
    with db.connect(autocommit=True) as admin:
        admin.execute(sql.SQL("GRANT TEMPORARY ON DATABASE {} TO {}").format(
            sql.Identifier(admin.info.dbname), sql.Identifier(login)))
        # … and plpgsql (consoles have none since 0013): the shadow below is plpgsql
        admin.execute(sql.SQL("GRANT USAGE ON LANGUAGE plpgsql TO {}").format(sql.Identifier(login)))
        definers = {r[0] for r in admin.execute(
            "SELECT proname FROM pg_proc WHERE pronamespace = 'cc'::regnamespace AND prosecdef "
            "AND (proname LIKE 'assess%%' OR proname = 'sees_assessment') AND "
            "'search_path=pg_catalog, cc, pg_temp' = ANY(proconfig) AND pg_get_userbyid(proowner) = 'cc_exec'")}
    assert definers == {"assess", "assessment_raters", "assessment_targets", "assessment_summary", "sees_assessment"}
    ran_as: set[str] = set()
    with psycopg.connect(dsn, autocommit=True) as c:
        c.add_notice_handler(lambda d: ran_as.add((d.message_primary or "").removeprefix("pwn ran as ")))
        for statement in (
                "CREATE FUNCTION pg_temp.pwn(x anyelement) RETURNS boolean LANGUAGE plpgsql AS $f$ BEGIN "
                "RAISE NOTICE 'pwn ran as %', current_user; "
                "BEGIN UPDATE cc.assessment_score SET score = 0; EXCEPTION WHEN OTHERS THEN NULL; END; "
                "RETURN true; END $f$",
                "CREATE DOMAIN pg_temp.text AS pg_catalog.text CHECK (pg_temp.pwn(VALUE))",
                "CREATE DOMAIN pg_temp.date AS pg_catalog.date CHECK (pg_temp.pwn(VALUE))",
                "CREATE DOMAIN pg_temp.integer AS pg_catalog.int4 CHECK (pg_temp.pwn(VALUE))",
                "CREATE DOMAIN pg_temp.numeric AS pg_catalog.numeric CHECK (pg_temp.pwn(VALUE))",
                "CREATE DOMAIN pg_temp.jsonb AS pg_catalog.jsonb CHECK (pg_temp.pwn(VALUE))",
                "CREATE TABLE pg_temp.assessment_item (code text, direction text, active boolean, sort int)",
                "CREATE TABLE pg_temp.assessment_log (rated_by text, rated_at timestamptz)",
                "CREATE VIEW pg_temp.pg_roles AS SELECT * FROM pg_catalog.pg_roles WHERE pg_temp.pwn(1)"):
            c.execute(statement)
        rated = asm.assess(c, SRU, date(2025, 1, 1), date(2025, 3, 31), ids["u0"], _sru(7, 7, 7, 7))
        asm.summary(c, *H1, SRU)
        asm.targets(c, SRU)
        asm.raters(c, SRU)
        c.execute("SELECT count(*) FROM cc.assessment").fetchall()
    assert ran_as <= {login}, f"the caller's code ran as {ran_as - {login}}"
    with db.connect() as c:
        assert c.execute("SELECT min(score) FROM cc.assessment_score WHERE assessment_id = %s",
                         (rated.assessment_id,)).fetchone()[0] == 7


def test_one_login_submits_a_bounded_number_of_forms_a_day(db, login_role, ids) -> None:  # noqa: ANN001
    dsn = login_role(["cc_operator"], street_id=ids["other_street"])
    with db.connect() as admin:
        admin.execute("UPDATE cc.input_limit SET value = 5 WHERE code = 'assessments_per_login_day'")
        admin.commit()
    try:
        with psycopg.connect(dsn) as c:
            for i in range(5):                # replacing a form counts too: each is a submission
                asm.assess(c, SRU, *H2, ids["u0"], _sru(i, i, i, i))
            with pytest.raises(InvalidArgument, match="5 assessment forms in the last 24 hours") as err:
                asm.assess(c, SRU, *H2, ids["u1"], _sru(9, 9, 9, 9))
            assert "assessments_per_login_day" in (err.value.hint or "")
            revision = asm.previous(c, SRU, *H2, ids["u0"], ids["other_street"])
            assert revision is not None and revision.revision == 5 and revision.scores == _sru(4, 4, 4, 4)
            assert asm.previous(c, SRU, *H2, ids["u1"], ids["other_street"]) is None
        with sign_in(db, "dhm_operator") as c:      # another login is not held back by it
            asm.assess(c, SRU, *H2, ids["u1"], _sru(9, 9, 9, 9))
    finally:
        with db.connect() as admin:
            admin.execute("UPDATE cc.input_limit SET value = 300 WHERE code = 'assessments_per_login_day'")
            admin.commit()


# ---------------------------------------------------------------- the dialog and the summary widget

def test_the_dialog_rates_through_the_database_and_a_refusal_keeps_what_was_typed(qtbot, db, ids) -> None:  # noqa: ANN001
    from psycopg.conninfo import make_conninfo
    from PySide6.QtCore import QDate, Qt

    from commandcenter.demo.accounts import DEMO_ACCOUNTS
    from commandcenter.domain.search import _pinyin
    from commandcenter.ui.assessment import AssessmentDialog, AssessmentSummary

    from .ui_support import hall_session, settle

    period = (date(2024, 1, 1), date(2024, 6, 30))          # no form of this module lies here yet
    today = _today(db)
    with db.connect() as c:
        name = c.execute("SELECT name FROM cc.unit WHERE id = %s", (ids["u1"],)).fetchone()[0]
    password = {a.login: a.password for a in DEMO_ACCOUNTS}["dhm_operator"]
    with hall_session(make_conninfo(db.dsn, user="dhm_operator", password=password), "en") as session:
        summary = AssessmentSummary(session.worker, session.display, *period)
        dialog = AssessmentDialog(session)
        dialog.assessed.connect(lambda _d: summary.refresh())
        qtbot.addWidget(summary)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.target_list.count() > 0, timeout=10_000)
        # a street sub-centre rates units for its own street only
        assert dialog.current_direction() == SRU
        assert (dialog.rater.count(), dialog.rater.currentData(), dialog.rater.isEnabled()) == (1, ids["dhm"], False)
        assert not dialog.direction.model().item(1).isEnabled()
        assert sorted(dialog.spins) == sorted(_sru(0, 0, 0, 0))
        # the unit found by the initials of its name
        qtbot.keyClicks(dialog.search, _pinyin(name)[1])
        rows = [dialog.target_list.item(i) for i in range(dialog.target_list.count())]
        assert 0 < len(rows) < len(dialog.targets)                 # the search narrowed the list
        match = [r for r in rows if r.data(Qt.ItemDataRole.UserRole + 1) == ids["u1"]]
        assert match, [r.text() for r in rows]
        dialog.target_list.setCurrentItem(match[0])
        dialog.start.setDate(QDate(period[0].year, period[0].month, period[0].day))
        dialog.end.setDate(QDate(period[1].year, period[1].month, period[1].day))
        assert dialog.preset.currentData() is None                  # "Custom"
        for code, value in _sru(7, 8, 9, 10).items():
            dialog.spins[code].setValue(value)
        dialog.comment.setPlainText("配合积极 cooperative")
        # first a period the database refuses: it has not begun
        tomorrow = today + timedelta(days=1)
        dialog.start.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
        dialog.end.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day).addDays(30))
        before = _state(db)
        qtbot.waitUntil(dialog.save.isEnabled, timeout=5000)
        qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "starts in the future" in dialog.banner.text(), timeout=10_000)
        assert "An entry was not accepted" in dialog.banner.text()
        assert _state(db) == before
        assert dialog.scores() == _sru(7, 8, 9, 10) and dialog.comment.toPlainText() == "配合积极 cooperative"
        assert dialog.current_target() == ids["u1"]
        # the right period: stored
        dialog.start.setDate(QDate(period[0].year, period[0].month, period[0].day))
        dialog.end.setDate(QDate(period[1].year, period[1].month, period[1].day))
        qtbot.waitUntil(dialog.save.isEnabled, timeout=5000)
        qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.banner.text().startswith("Saved"), timeout=10_000)
        with db.connect() as c:
            stored = c.execute(
                "SELECT a.comment, a.rated_by, a.revision, jsonb_object_agg(s.item_code, s.score) FROM cc.assessment a "
                "JOIN cc.assessment_score s ON s.assessment_id = a.id WHERE a.direction = 'street_rates_unit' "
                "AND a.rater_street_id = %s AND a.target_unit_id = %s AND a.period_start = %s AND a.period_end = %s "
                "GROUP BY a.id", (ids["dhm"], ids["u1"], *period)).fetchall()
        assert stored == [("配合积极 cooperative", "dhm_operator", 1, _sru(7, 8, 9, 10))]
        # the dialog now says the form exists and offers its scores
        qtbot.waitUntil(dialog.load_previous.isVisible, timeout=5000)
        assert "revision 1" in dialog.previous_label.text()
        # the summary beside the measures: 30×0.7 + 30×0.8 + 20×0.9 + 20×1.0 = 83.0
        settle(qtbot, session)
        qtbot.waitUntil(lambda: summary.table.rowCount() == 1, timeout=10_000)
        headers = [summary.table.horizontalHeaderItem(i).text() for i in range(summary.table.columnCount())]
        assert headers == ["Unit", "Department", "Raters", "Score", "Response speed", "Handling quality",
                           "Cooperation", "Service attitude"]
        cells = [summary.table.item(0, i).text() for i in range(summary.table.columnCount())]
        assert cells[2:] == ["1", "83.0", "7.00", "8.00", "9.00", "10.00"]
        # the other direction, and a period without forms
        h2_2023 = (date(2023, 7, 1), date(2023, 12, 31))
        with sign_in(db, "dc_supervisor") as c:          # two paper forms of one department
            asm.assess(c, DRS, *h2_2023, ids["dhm"], _drs(9, 7, 8), rater=ids["u0_dept"])
            asm.assess(c, DRS, *h2_2023, ids["dhs"], _drs(10, 10, 10), rater=ids["u0_dept"])
            names = dict(c.execute("SELECT id, name_en FROM cc.street WHERE id IN (%s, %s)",
                                   (ids["dhm"], ids["dhs"])).fetchall())
        summary.direction.setCurrentIndex(1)
        summary.set_period(*h2_2023)
        qtbot.waitUntil(lambda: summary.table.rowCount() == 2 and
                        summary.table.horizontalHeaderItem(0).text() == "Street", timeout=10_000)
        shown = [[summary.table.item(r, i).text() for i in range(summary.table.columnCount())]
                 for r in range(summary.table.rowCount())]
        # best first: 100.0, then 35×0.9 + 30×0.7 + 35×0.8 = 80.5
        assert shown == [[names[ids["dhs"]], "1", "100.0", "10.00", "10.00", "10.00"],
                         [names[ids["dhm"]], "1", "80.5", "9.00", "7.00", "8.00"]]
        summary.set_period(date(2020, 1, 1), date(2020, 6, 30))
        qtbot.waitUntil(lambda: summary.table.rowCount() == 0, timeout=10_000)
        assert summary.message.text() == "No assessment forms in this period."
        dialog.close()


def test_the_demo_records_a_half_year_of_forms_through_the_rules(db) -> None:  # noqa: ANN001
    from datetime import UTC, datetime

    from commandcenter.demo.assessment import last_half_year, seed_assessments

    assert last_half_year(date(2026, 11, 20)) == (date(2026, 1, 1), date(2026, 6, 30))
    assert last_half_year(date(2026, 7, 10)) == (date(2025, 7, 1), date(2025, 12, 31))
    assert last_half_year(date(2026, 1, 20)) == (date(2025, 7, 1), date(2025, 12, 31))
    with db.connect() as c:
        expected_units = c.execute("SELECT count(*) FROM cc.street s JOIN cc.unit u ON u.street_id IS NULL "
                                   "OR u.street_id = s.id").fetchone()[0]
        expected_streets = c.execute("SELECT (SELECT count(*) FROM cc.department) * (SELECT count(*) FROM cc.street)"
                                     ).fetchone()[0]
        c.commit()
        # a half-year no other test uses (the template's own demo may hold forms of another)
        stored = seed_assessments(c, seed=7, until=datetime(2023, 3, 1, 9, 30, tzinfo=UTC))
        assert stored == expected_units + expected_streets
        rows = c.execute("SELECT direction, count(*), bool_and(on_behalf), min(rated_at), max(rated_at), "
                         "count(DISTINCT revision) FROM cc.assessment WHERE period_start = '2022-07-01' "
                         "AND period_end = '2022-12-31' GROUP BY direction ORDER BY direction").fetchall()
    assert [(r[0], r[1], r[2], r[5]) for r in rows] == [(DRS, expected_streets, True, 1), (SRU, expected_units, True, 1)]
    assert all(r[3] >= datetime(2022, 12, 31, 16, tzinfo=UTC) and r[4] < datetime(2023, 3, 1, tzinfo=UTC) for r in rows)
    with sign_in(db, "wall") as c:
        streets = asm.summary(c, date(2022, 7, 1), date(2022, 12, 31), DRS)
    assert len(streets) == 17 and all(r.raters == expected_streets // 17 and 0 <= r.score <= 100 for r in streets)
