"""The grid information base (issue 14, first part): its demo data are consistent with each
grid's figures and with GB 11643, and its privacy rules hold, checked with plain psycopg as
each role: a street sees only its street's residents, the wall counts and no names, identity
numbers only masked."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date

import psycopg
import pytest

from commandcenter.demo.accounts import DEMO_ACCOUNTS
from commandcenter.demo.base import BaseRefused, build_base
from commandcenter.store.status import database_status

from .conftest import SMALL_DEMO
from .helpers import sign_in

PASSWORD = {a.login: a.password for a in DEMO_ACCOUNTS}
MASKED = re.compile(r"^[0-9]{6}\*{10}[0-9][0-9X]$")


@pytest.fixture(scope="module")
def streets(db) -> dict[str, int]:  # noqa: ANN001
    with db.connect() as c:
        return dict(c.execute("SELECT name, id FROM cc.street").fetchall())


def test_the_base_follows_each_grids_figures_and_the_identity_number_rules(db) -> None:  # noqa: ANN001
    scale = SMALL_DEMO["base_scale"]
    with db.connect() as c:
        off = c.execute(
            "SELECT count(*) FROM cc.grid g JOIN cc.base_counts() b ON b.grid_id = g.id "
            "WHERE b.residents <> greatest(1, round(g.population * %s)) "
            "   OR b.households <> greatest(1, round(g.households * %s)) "
            "   OR b.buildings <> greatest(1, round(g.buildings * %s))", (scale, scale, scale)).fetchone()
        assert off == (0,)
        # 人进户，户进房，房进网格: each household has people and one head, in its building's grid
        assert c.execute(
            "SELECT count(*) FROM cc.household h WHERE (SELECT count(*) FILTER (WHERE r.head) FROM cc.resident r "
            "WHERE r.household_id = h.id) <> 1 OR NOT EXISTS (SELECT 1 FROM cc.building b "
            "WHERE b.id = h.building_id AND b.grid_id = h.grid_id AND b.street_id = h.street_id)").fetchone() == (0,)
        assert c.execute(
            "SELECT count(*) FROM cc.resident r JOIN cc.household h ON h.id = r.household_id "
            "WHERE (r.grid_id, r.street_id) <> (h.grid_id, h.street_id)").fetchone() == (0,)
        # what a grid worker keeps: recorded for everyone (education from school age), fitting the age
        age = "extract(year FROM now())::int - birth_year"
        assert c.execute(
            f"SELECT count(*) FROM cc.resident WHERE employment IS NULL OR marital IS NULL "
            f"OR (education IS NULL) <> ({age} < 7) OR (employment = 'retired') <> ({age} >= 60) "
            f"OR (employment = 'preschool') <> ({age} < 6) OR (marital <> 'single' AND {age} < 20)").fetchone() == (0,)
        assert {r[0] for r in c.execute("SELECT DISTINCT employment FROM cc.resident")} >= {
            "employed", "retired", "student", "unemployed"}
        rows = c.execute("SELECT id_number, gender, birth_year, residence FROM cc.resident").fetchall()
        district = c.execute("SELECT code FROM cc.district").fetchone()[0]
    numbers = [r[0] for r in rows]
    assert len(set(numbers)) == len(numbers) > 5000
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    for number, gender, born, residence in rows:
        total = sum(int(ch) * w for ch, w in zip(number[:17], weights, strict=True))
        assert number[17] == "10X98765432"[total % 11], number
        assert (int(number[16]) % 2 == 1) == (gender == "m"), number
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        assert birth.year == born and birth <= date.today()
        assert (number[:6] == district) == (residence != "floating"), number


def test_a_street_sees_its_residents_the_wall_counts_and_nobody_an_identity_number(db, streets) -> None:  # noqa: ANN001
    dhm, dhs = streets["东华门街道"], streets["东花市街道"]
    with db.connect() as admin:
        own_grid = admin.execute("SELECT id FROM cc.grid WHERE street_id = %s ORDER BY id LIMIT 1", (dhm,)).fetchone()[0]
        other_grid = admin.execute("SELECT id FROM cc.grid WHERE street_id = %s LIMIT 1", (dhs,)).fetchone()[0]
        own_households = admin.execute("SELECT count(*) FROM cc.household WHERE grid_id = %s", (own_grid,)).fetchone()[0]
        own_household, own_number = admin.execute(
            "SELECT r.household_id, r.id_number FROM cc.resident r WHERE r.grid_id = %s ORDER BY r.id LIMIT 1",
            (own_grid,)).fetchone()
        other_household = admin.execute(
            "SELECT household_id FROM cc.resident WHERE street_id = %s LIMIT 1", (dhs,)).fetchone()[0]
        other_resident = admin.execute("SELECT id FROM cc.resident WHERE street_id = %s LIMIT 1", (dhs,)).fetchone()[0]
        grids, everyone = admin.execute("SELECT count(*), (SELECT count(*) FROM cc.resident) FROM cc.grid").fetchone()
    assert own_households > 0

    with sign_in(db, "dhm_operator") as street:
        households = street.execute("SELECT * FROM cc.grid_households(%s)", (own_grid,)).fetchall()
        assert len(households) == own_households and all(h[5] >= 1 for h in households)
        assert street.execute("SELECT count(*) FROM cc.grid_households(%s)", (other_grid,)).fetchone() == (0,)
        card = street.execute("SELECT * FROM cc.resident_card(%s)", (own_household,)).fetchall()
        assert card and all(MASKED.match(r[4]) for r in card)
        assert own_number not in {r[4] for r in card} and (own_number[:6], own_number[-2:]) in {
            (r[4][:6], r[4][-2:]) for r in card}
        assert street.execute("SELECT count(*) FROM cc.resident_card(%s)", (other_household,)).fetchone() == (0,)
        assert street.execute("SELECT count(*) FROM cc.base_counts(%s)", (other_grid,)).fetchone() == (0,)
        assert {r[0] for r in street.execute("SELECT grid_id FROM cc.base_counts()")} <= set(
            r[0] for r in street.execute("SELECT id FROM cc.grid WHERE street_id = %s", (dhm,)))
        # no table of the base is readable, so not even EXPLAIN ANALYZE's count of the rows a
        # policy removed can tell who in another street is in a special population
        for query in ("SELECT id_number FROM cc.resident LIMIT 1", "SELECT count(*) FROM cc.resident",
                      f"EXPLAIN ANALYZE SELECT 1 FROM cc.resident_group WHERE resident_id = {other_resident}",
                      "SELECT count(*) FROM cc.household", "SELECT count(*) FROM cc.building"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                street.execute(query)
            street.rollback()

    with sign_in(db, "dc_operator") as district:
        assert district.execute("SELECT count(*) FROM cc.grid_households(%s)", (other_grid,)).fetchone()[0] > 0

    with sign_in(db, "wall") as wall:
        counts = wall.execute("SELECT count(*), sum(residents) FROM cc.base_counts()").fetchone()
        assert counts == (grids, everyone)
        assert wall.execute("SELECT count(*) FROM cc.resident_card(%s)", (own_household,)).fetchone() == (0,)
        assert wall.execute("SELECT count(*) FROM cc.grid_households(%s)", (own_grid,)).fetchone() == (0,)
        for query in ("SELECT name FROM cc.resident LIMIT 1", "SELECT count(*) FROM cc.household",
                      "SELECT name FROM cc.building LIMIT 1", "SELECT count(*) FROM cc.resident_group"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                wall.execute(query)
            wall.rollback()

    with sign_in(db, "dhm_field") as field:           # a grid worker keeps its street's people
        assert field.execute("SELECT count(*) FROM cc.grid_households(%s)", (own_grid,)).fetchone() == (own_households,)
        assert field.execute("SELECT count(*) FROM cc.resident_card(%s)", (own_household,)).fetchone()[0] > 0


def test_hostile_arguments_get_nothing_and_the_base_is_built_once(db) -> None:  # noqa: ANN001
    with sign_in(db, "dhm_operator") as street:
        for household in (-1, 0, 2**62, None):
            assert street.execute("SELECT count(*) FROM cc.resident_card(%s)", (household,)).fetchone() == (0,)
        for grid in (-1, 2**31 - 1):
            assert street.execute("SELECT count(*) FROM cc.base_counts(%s)", (grid,)).fetchone() == (0,)
        for household in (-1, None):
            assert street.execute("SELECT count(*) FROM cc.grid_households(%s)", (household,)).fetchone() == (0,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):     # consoles write nothing here
            street.execute("DELETE FROM cc.resident")
    with db.connect() as admin:
        with pytest.raises(BaseRefused, match="already holds"):
            build_base(admin)
        admin.rollback()
        with pytest.raises(BaseRefused, match="more than 0"):
            build_base(admin, scale=2)


def test_db_status_reports_the_base(db) -> None:  # noqa: ANN001
    status = database_status(db)["base"]
    with db.connect() as c:
        residents, households = c.execute(
            "SELECT (SELECT count(*) FROM cc.resident), (SELECT count(*) FROM cc.household)").fetchone()
    assert status["residents"] == residents and status["households"] == households
    assert status["registered"] + status["permanent"] + status["floating"] == residents
    assert set(status["special_populations"]) >= {"low_income", "empty_nest", "party_member"}
    with db.connect() as c:
        places, organisations, providers, streets = c.execute(
            "SELECT (SELECT count(*) FROM cc.place), (SELECT count(*) FROM cc.organisation), "
            "(SELECT count(*) FROM cc.provider), (SELECT count(*) FROM cc.street)").fetchone()
    assert (status["places"], status["organisations"]) == (places, organisations) and places > 0
    assert (status["service_providers"], status["streets_with_providers"]) == (providers, streets)


# ---------------------------------------------------------------- visits (九必访, 民情日志)
def _overdue_household(db, street: int) -> tuple[int, int, int]:  # noqa: ANN001
    """(household, grid, cycle days) of an overdue must-visit household of the street."""
    with db.connect() as admin:
        row = admin.execute(
            "SELECT id, grid_id, visit_days FROM cc.household WHERE street_id = %s "
            "AND cc._visit_due(visit_days, visit_since, last_visit_at) < cc.clock() ORDER BY id LIMIT 1",
            (street,)).fetchone()
    assert row is not None
    return row


def test_a_visit_resets_the_cycle_a_diary_does_not_and_a_visit_raises_a_case(db, streets) -> None:  # noqa: ANN001
    dhm = streets["东华门街道"]
    household, grid, days = _overdue_household(db, dhm)
    with sign_in(db, "dhm_field") as field:
        before = field.execute("SELECT visits_overdue FROM cc.base_counts(%s)", (grid,)).fetchone()[0]
        mine = {r[0] for r in field.execute("SELECT grid_id FROM cc.overdue_visits()")}
        assert grid in mine
        # a diary entry (民情日志) is kept but is not the visit
        diary = field.execute("SELECT * FROM cc.record_visit(%s, %s, 'diary')", (household, "邻里反映夜间噪音")).fetchone()
        field.commit()
        assert diary[1] is None and diary[2] < field.execute("SELECT cc.clock()").fetchone()[0]
        assert field.execute("SELECT visits_overdue FROM cc.base_counts(%s)", (grid,)).fetchone()[0] == before
        # the visit resets the cycle: due a cycle from now, one overdue fewer
        visit = field.execute("SELECT * FROM cc.record_visit(%s, %s)", (household, "老人身体好，药已送到")).fetchone()
        now = field.execute("SELECT cc.clock()").fetchone()[0]
        field.commit()
        assert abs((visit[2] - now).total_seconds() - days * 86400) < 5
        assert field.execute("SELECT visits_overdue FROM cc.base_counts(%s)", (grid,)).fetchone()[0] == before - 1
        due = dict((r[0], r[6]) for r in field.execute("SELECT * FROM cc.grid_households(%s)", (grid,)))
        assert due[household] == visit[2]
        # a must-report item (九必报) found at the door becomes a case in the household's grid
        raised = field.execute("SELECT * FROM cc.record_visit(%s, %s, 'visit', '010201')",
                               (household, "楼道堆放杂物，堵塞消防通道")).fetchone()
        field.commit()
        case = field.execute("SELECT grid_id, source, state FROM cc.case_board WHERE id = %s", (raised[1],)).fetchone()
        assert case == (grid, "patrol", "reported")
        # the same item again while that case is open: refused, not a second case
        with pytest.raises(psycopg.Error, match="already raised case"):
            field.execute("SELECT * FROM cc.record_visit(%s, %s, 'visit', '010201')", (household, "还是杂物"))
        field.rollback()
    with db.connect() as admin:
        rows = admin.execute("SELECT kind, visitor, person_id IS NOT NULL, case_id FROM cc.visit WHERE household_id = %s "
                             "ORDER BY id", (household,)).fetchall()
        reporter = admin.execute('SELECT reporter_person_id IS NOT NULL FROM cc."case" WHERE id = %s',
                                 (raised[1],)).fetchone()
    assert rows == [("diary", "dhm_field", True, None), ("visit", "dhm_field", True, None),
                    ("visit", "dhm_field", True, raised[1])] and reporter == (True,)


def test_visits_are_refused_with_reasons_and_record_nothing(db, streets) -> None:  # noqa: ANN001
    household, _grid, _days = _overdue_household(db, streets["东花市街道"])
    own, _g, _d = _overdue_household(db, streets["东华门街道"])
    with db.connect() as admin:
        visits = admin.execute("SELECT count(*) FROM cc.visit").fetchone()[0]
    with sign_in(db, "dhm_field") as field:
        for args, refusal in (((household, "另一街道"), "no household"),          # another street's household
                              ((own, ""), "a visit needs a note"), ((own, "x" * 5000), "a visit needs a note"),
                              ((own, "\n\n "), "says something"), ((own, "\u3000\u3000"), "says something"),
                              ((own, "\u0600\u034f\u180b\U0001d173\ufe0f"), "says something"),   # invisible marks
                              ((own, "note", "chat"), "unknown kind"),
                              ((own, "note", "visit", "999999"), "unknown case category")):   # cc.report says
            with pytest.raises(psycopg.Error, match=refusal):
                field.execute(f"SELECT * FROM cc.record_visit({', '.join(['%s'] * len(args))})", args)
            field.rollback()
    with sign_in(db, "wall") as wall:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="only grid workers and operators"):
            wall.execute("SELECT * FROM cc.record_visit(%s, %s)", (own, "墙上"))
        wall.rollback()
        assert wall.execute("SELECT count(*) FROM cc.overdue_visits()").fetchone() == (0,)
    with db.connect() as admin:
        assert admin.execute("SELECT count(*) FROM cc.visit").fetchone()[0] == visits


def test_the_terminal_records_a_visit_from_the_command_line(db, streets) -> None:  # noqa: ANN001
    household, _grid, _days = _overdue_household(db, streets["东华门街道"])
    out = subprocess.run([sys.executable, "-m", "commandcenter", "--dsn", db.dsn, "field", "visit",
                          "--household", str(household), "--note", "入户走访，一切正常", "--login", "dhm_field",
                          "--password-stdin"], input=PASSWORD["dhm_field"] + "\n", capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert "visit" in out.stdout and "recorded by dhm_field" in out.stdout and "next visit due" in out.stdout
    refused = subprocess.run([sys.executable, "-m", "commandcenter", "--dsn", db.dsn, "field", "visit",
                              "--household", str(household), "--note", " ", "--login", "dhm_field",
                              "--password-stdin"], input=PASSWORD["dhm_field"] + "\n", capture_output=True,
                             text=True, timeout=120)
    assert refused.returncode == 2 and "a visit needs a note" in refused.stderr and "Traceback" not in refused.stderr


# ---------------------------------------------------------------- the people search
def test_the_people_search_finds_by_name_initials_phone_id_or_building_in_its_street_only(db, streets) -> None:  # noqa: ANN001
    dhm, dhs = streets["东华门街道"], streets["东花市街道"]
    with db.connect() as admin:
        rid, name, initials, phone, number, building = admin.execute(
            "SELECT r.id, r.name, r.initials, r.phone, r.id_number, b.name FROM cc.resident r "
            "JOIN cc.household h ON h.id = r.household_id JOIN cc.building b ON b.id = h.building_id "
            "WHERE r.street_id = %s AND r.phone IS NOT NULL ORDER BY r.id LIMIT 1", (dhm,)).fetchone()
        stranger = admin.execute("SELECT id_number, phone FROM cc.resident WHERE street_id = %s AND phone IS NOT NULL "
                                 "LIMIT 1", (dhs,)).fetchone()
    assert initials and len(initials) == len(name)
    with sign_in(db, "dhm_operator") as street:
        def found(text: str) -> list[tuple]:
            return street.execute("SELECT * FROM cc.find_people(%s, 50)", (text,)).fetchall()

        for text in (name, initials, initials.upper(), phone[-4:], phone, number):
            rows = found(text)
            assert rid in {r[0] for r in rows}, text
            assert all(MASKED.match(r[6]) for r in rows) and number not in {r[6] for r in rows}
        at_building = found(building)               # an address: its residents, a page of them
        assert at_building and all(r[8].startswith(building + " ") for r in at_building)
        assert found(stranger[0]) == [] and stranger[1] not in {r[7] for r in found(stranger[1][-4:])}
        for text in ("%", "_", "' OR true --", "\\"):          # pattern characters are text, not wildcards
            assert found(text) == [], text
        assert len(found(name[:1])) <= 50
        with pytest.raises(psycopg.Error, match="search for 1 to 40 characters"):
            found("x" * 41)
    with sign_in(db, "wall") as wall:
        assert wall.execute("SELECT count(*) FROM cc.find_people(%s)", (name,)).fetchone() == (0,)


def test_an_operator_finds_a_resident_from_the_grid_card(qtbot, db, streets) -> None:  # noqa: ANN001
    from psycopg.conninfo import make_conninfo

    from commandcenter.ui.grid_card import GridCardView

    from .ui_support import hall_session, settle

    with db.connect() as admin:
        name, phone = admin.execute("SELECT name, phone FROM cc.resident WHERE street_id = %s AND phone IS NOT NULL "
                                    "ORDER BY id LIMIT 1", (streets["东华门街道"],)).fetchone()
    dsn = make_conninfo(db.dsn, user="dhm_operator", password=PASSWORD["dhm_operator"])
    with hall_session(dsn, "zh_CN") as session:
        card = GridCardView(session.live, session.worker, session.selection, people=session.basics.callers_visible)
        qtbot.addWidget(card)
        assert card.people_search is not None
        qtbot.keyClicks(card.people_search, phone[-4:])
        qtbot.keyClick(card.people_search, "\r")
        settle(qtbot, session)
        qtbot.waitUntil(lambda: card.people.topLevelItemCount() > 0, timeout=10_000)
        shown = {(card.people.topLevelItem(i).text(0), card.people.topLevelItem(i).text(4))
                 for i in range(card.people.topLevelItemCount())}
        assert (name, phone) in shown and "仅本街道" in card.people_note.text()
    wall = make_conninfo(db.dsn, user="wall", password=PASSWORD["wall"])
    with hall_session(wall, "zh_CN") as session:           # the wall gets no search at all
        card = GridCardView(session.live, session.worker, session.selection, people=session.basics.callers_visible)
        qtbot.addWidget(card)
        assert card.people_search is None


def test_whole_identity_number_searches_are_limited_per_login(db, streets, login_role) -> None:  # noqa: ANN001
    # with the masked number and the birth year shown, unlimited "is this the number?" questions
    # rebuilt a resident's number in ~900 tries; a day allows cc.input_limit id_searches_per_login_day
    with db.connect() as admin:
        limit = admin.execute("SELECT value FROM cc.input_limit WHERE code = 'id_searches_per_login_day'").fetchone()[0]
        number, phone = admin.execute("SELECT id_number, phone FROM cc.resident WHERE street_id = %s "
                                      "AND phone IS NOT NULL LIMIT 1", (streets["东华门街道"],)).fetchone()
    with psycopg.connect(login_role(["cc_operator"], street_id=streets["东华门街道"])) as operator:
        for _ in range(limit):
            assert operator.execute("SELECT count(*) FROM cc.find_people(%s)", (number,)).fetchone() == (1,)
            operator.commit()
        with pytest.raises(psycopg.Error, match="identity numbers in the last 24 hours"):
            operator.execute("SELECT count(*) FROM cc.find_people(%s)", (number,))
        operator.rollback()
        # other searches go on
        assert operator.execute("SELECT count(*) FROM cc.find_people(%s)", (phone,)).fetchone()[0] >= 1


def test_the_kept_counts_follow_every_change_to_the_base(db) -> None:  # noqa: ANN001
    """cc.base_counts reads counts kept by statement triggers (counting 3.4 million residents per
    call took 33 s): whatever changes the base, they equal a count of the rows."""
    direct = (
        "SELECT g.id, (SELECT count(*) FROM cc.building x WHERE x.grid_id = g.id), "
        "(SELECT count(*) FROM cc.household x WHERE x.grid_id = g.id), "
        "(SELECT count(*) FROM cc.household x WHERE x.grid_id = g.id AND x.must_visit), "
        "(SELECT count(*) FROM cc.resident x WHERE x.grid_id = g.id), "
        "(SELECT count(*) FROM cc.resident x WHERE x.grid_id = g.id AND x.residence = 'floating'), "
        "(SELECT coalesce(jsonb_object_agg(q.group_code, q.n), '{}') FROM (SELECT group_code, count(*) AS n "
        "   FROM cc.resident_group x WHERE x.grid_id = g.id GROUP BY group_code) q) FROM cc.grid g ORDER BY g.id")
    kept = ("SELECT grid_id, buildings, households, must_visit, residents, floating, special "
            "FROM cc.base_counts() ORDER BY grid_id")
    with db.connect() as c:
        assert c.execute(kept).fetchall() == c.execute(direct).fetchall()
        grid, household, resident = c.execute(
            "SELECT r.grid_id, r.household_id, r.id FROM cc.resident r WHERE NOT r.head "
            "AND EXISTS (SELECT 1 FROM cc.resident_group g WHERE g.resident_id = r.id) ORDER BY r.id LIMIT 1").fetchone()
        # a resident moves out (with their groups), another changes residence, a household's duty ends
        c.execute("DELETE FROM cc.resident_group WHERE resident_id = %s", (resident,))
        c.execute("DELETE FROM cc.resident WHERE id = %s", (resident,))
        c.execute("UPDATE cc.resident SET residence = 'floating' WHERE household_id = %s AND residence <> 'floating'",
                  (household,))
        c.execute("UPDATE cc.household SET must_visit = NOT must_visit, visit_days = CASE WHEN must_visit THEN NULL "
                  "ELSE 30 END, visit_since = CASE WHEN must_visit THEN NULL ELSE now() END WHERE id = %s",
                  (household,))
        c.execute("INSERT INTO cc.resident_group (resident_id, group_code, grid_id, street_id) "
                  "SELECT id, 'veteran', grid_id, street_id FROM cc.resident WHERE household_id = %s "
                  "ON CONFLICT DO NOTHING", (household,))
        assert c.execute(kept).fetchall() == c.execute(direct).fetchall()
        c.rollback()
