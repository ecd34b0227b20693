"""The service directory and the places of the information base (issue 14, items 1 and 4),
checked with plain psycopg as each role: the nearest open provider against hand-placed
providers, a service request as a case that closes when the provider's completion is recorded,
the refusals (each leaving nothing behind), the 15-minute coverage, and who sees places and
organisations."""

from __future__ import annotations

import math

import psycopg
import pytest

from .helpers import new_case_in, sign_in

WALK = 80.0          # metres a minute (cc.input_limit walk_metres_per_minute)
DETOUR = 1.3         # walk_detour_percent 130


def _offset(lon: float, lat: float, east_m: float, north_m: float) -> tuple[float, float]:
    return (lon + east_m / (6371008.8 * math.cos(math.radians(lat))) * 180 / math.pi,
            lat + north_m / 6371008.8 * 180 / math.pi)


@pytest.fixture(scope="module")
def place(db) -> dict:  # noqa: ANN001
    """A grid of 东华门 and its centre, three hand-placed legal-advice providers around it (the
    demo's own legal providers removed, so these are the only ones), and one that offers
    cleaning only: A 300 m east, open round the clock; B 100 m north, never open; C 2 km south,
    open round the clock; D 50 m west, cleaning only."""
    with db.connect() as c:
        grid, street, lon, lat = c.execute(
            "SELECT g.id, g.street_id, (point(gp.shape))[0], (point(gp.shape))[1] FROM cc.grid g "
            "JOIN cc.street s ON s.id = g.street_id JOIN cc.grid_part gp ON gp.grid_id = g.id "
            "WHERE s.name = '东华门街道' ORDER BY g.id, npoints(gp.shape) DESC LIMIT 1").fetchone()
        c.execute("DELETE FROM cc.provider WHERE category = 'legal'")
        ids = {}
        for key, east, north, cat, item, always in (("A", 300, 0, "legal", "legal", True),
                                                    ("B", 0, 100, "legal", "legal", False),
                                                    ("C", 0, -2000, "legal", "legal", True),
                                                    ("D", -50, 0, "housekeeping", "cleaning", True)):
            plon, plat = _offset(lon, lat, east, north)
            pid = c.execute(
                "INSERT INTO cc.provider (street_id, grid_id, category, name, address, lon, lat, phone) "
                "VALUES (%s, %s, %s, %s, '测试地址', %s, %s, '010-60000000') RETURNING id",
                (street, grid, cat, f"测试服务商{key}", plon, plat)).fetchone()[0]
            c.execute("INSERT INTO cc.provider_item VALUES (%s, %s)", (pid, item))
            if always:
                c.execute("INSERT INTO cc.provider_hours SELECT %s, d, '00:00', '24:00' FROM generate_series(1, 7) d",
                          (pid,))
            ids[key] = pid
        c.commit()
    return {"grid": grid, "street": street, "lon": lon, "lat": lat, **ids}


def test_the_demo_directory_has_dongzhimens_providers_and_a_set_for_every_street(db) -> None:  # noqa: ANN001
    with db.connect() as c:
        per_street = dict(c.execute(
            "SELECT s.name, count(p.id) FROM cc.street s LEFT JOIN cc.provider p ON p.street_id = s.id "
            "AND p.name NOT LIKE '测试%%' GROUP BY s.name").fetchall())
        assert c.execute("SELECT count(*) FROM cc.service_category").fetchone() == (13,)
        # every provider offers something of its own category, and stands in a grid of its street
        assert c.execute(
            "SELECT count(*) FROM cc.provider p WHERE NOT EXISTS (SELECT 1 FROM cc.provider_item pi "
            "JOIN cc.service_item i ON i.code = pi.item WHERE pi.provider_id = p.id AND i.category = p.category) "
            "OR NOT EXISTS (SELECT 1 FROM cc.grid g WHERE g.id = p.grid_id AND g.street_id = p.street_id)"
        ).fetchone() == (0,)
    assert per_street.pop("东直门街道") >= 240      # 250, less the legal ones the fixture removes
    assert min(per_street.values()) >= 20


def test_the_nearest_open_provider_against_hand_placed_ones(db, place) -> None:  # noqa: ANN001
    for login in ("dhm_operator", "dhs_operator", "wall"):      # a public directory: every console
        with sign_in(db, login) as c:
            rows = c.execute("SELECT provider_id, metres, walk_minutes, open_until FROM "
                             "cc.nearest_providers('legal', %s, %s, 5)", (place["lon"], place["lat"])).fetchall()
            assert [r[0] for r in rows] == [place["A"], place["C"]], login
            assert rows[0][1] == pytest.approx(300, rel=0.01)
            assert rows[0][2] == pytest.approx(300 * DETOUR / WALK, rel=0.01)     # 4.9 minutes
            assert rows[1][1] == pytest.approx(2000, rel=0.01)
            assert rows[0][3] == "24:00"          # round the clock
            everything = c.execute("SELECT provider_id, open_until FROM cc.nearest_providers('legal', %s, %s, 5, false)",
                                   (place["lon"], place["lat"])).fetchall()
            assert [r[0] for r in everything] == [place["A"], place["C"], place["B"]]   # open first
            assert everything[2][1] is None
            cleaning = c.execute("SELECT provider_id FROM cc.nearest_providers('cleaning', %s, %s, 1)",
                                 (place["lon"], place["lat"])).fetchone()
            assert cleaning == (place["D"],)


def test_opening_hours_follow_the_local_clock(db) -> None:  # noqa: ANN001
    with db.connect() as c:
        pid = c.execute(
            "INSERT INTO cc.provider (street_id, grid_id, category, name, address, lon, lat, phone) "
            "SELECT street_id, id, 'meals', '测试午餐', '', 116.4, 39.9, '010-60000001' FROM cc.grid LIMIT 1 "
            "RETURNING id").fetchone()[0]
        c.execute("INSERT INTO cc.provider_hours VALUES (%s, 1, '10:30', '13:30'), (%s, 1, '16:30', '19:00')",
                  (pid, pid))
        until = "SELECT cc.provider_open_until(%s, %s::timestamptz)"
        # 2026-11-23 is a Monday; Beijing is UTC+8
        assert c.execute(until, (pid, "2026-11-23 12:00+08")).fetchone()[0].isoformat() == "13:30:00"
        assert c.execute(until, (pid, "2026-11-23 13:30+08")).fetchone()[0] is None
        assert c.execute(until, (pid, "2026-11-23 17:00+08")).fetchone()[0].isoformat() == "19:00:00"
        assert c.execute(until, (pid, "2026-11-24 12:00+08")).fetchone()[0] is None     # Tuesday
        assert c.execute(until, (pid, "2026-11-23 03:00Z")).fetchone()[0].isoformat() == "13:30:00"   # 11:00 local
        c.rollback()


def _counts(db) -> tuple[int, int, int]:  # noqa: ANN001
    with db.connect() as c:
        return c.execute("SELECT (SELECT count(*) FROM cc.\"case\"), (SELECT count(*) FROM cc.service_order), "
                         "(SELECT count(*) FROM cc.case_event)").fetchone()


def test_a_service_request_is_a_case_that_closes_when_the_provider_is_done(db, place) -> None:  # noqa: ANN001
    with sign_in(db, "dhm_operator") as op:
        case_id = op.execute("SELECT cc.request_service(%s, 'legal', %s, %s, '张大爷', '13800138000', '咨询遗嘱')",
                             (place["A"], place["lon"], place["lat"])).fetchone()[0]
        op.commit()
        row = op.execute("SELECT c.state, k.code, c.source, c.service_provider_id, c.handle_deadline IS NOT NULL, "
                         "c.title, c.description, c.version FROM cc.\"case\" c JOIN cc.category k ON k.id = c.category_id "
                         "WHERE c.id = %s", (case_id,)).fetchone()
        # the case tells the wall nothing private: the need and the provider are the order's
        assert row[:7] == ("dispatched", "020502", "hotline", place["A"], True, "便民服务请求 Service request", "")
        version = row[7]
        allowed = {r[0] for r in op.execute("SELECT action FROM cc.allowed_actions(%s)", (case_id,))}
        assert "service_done" in allowed and not allowed & {"accept", "return", "feedback", "order_service"}
        order = op.execute("SELECT provider, item, note, done_at FROM cc.service_order_of(%s)", (case_id,)).fetchone()
        assert order == ("测试服务商A", "legal", "咨询遗嘱", None)
    with sign_in(db, "wall") as wall:
        assert wall.execute("SELECT count(*) FROM cc.service_order_of(%s)", (case_id,)).fetchone() == (0,)
    # the unit's steps do not apply while the provider is doing it; the supervisor is told why
    with sign_in(db, "dhm_supervisor") as sup:
        allowed = {r[0] for r in sup.execute("SELECT action FROM cc.allowed_actions(%s)", (case_id,))}
        assert "redispatch" not in allowed and "supervise" not in allowed and "cancel" in allowed
        for call in ("cc.redispatch(%s, %s, NULL, NULL)", "cc.supervise(%s, %s, 'street', now() + interval '1 day', 'x')"):
            with pytest.raises(psycopg.Error, match="contracted provider is doing it"):
                sup.execute(f"SELECT {call}", (case_id, version))
            sup.rollback()
    with sign_in(db, "dhs_operator") as other:          # another street's operator: not its case
        with pytest.raises(psycopg.Error, match="outside your area"):
            other.execute("SELECT cc.complete_service(%s, %s, 'done')", (case_id, version))
    with sign_in(db, "dhm_operator") as op:
        op.execute("SELECT cc.complete_service(%s, %s, '律师已上门')", (case_id, version))
        op.commit()
        state, closed, late = op.execute("SELECT state, closed_at IS NOT NULL, handled_late FROM cc.\"case\" "
                                         "WHERE id = %s", (case_id,)).fetchone()
        assert (state, closed, late) == ("closed", True, False)
        assert op.execute("SELECT done_note, done_by FROM cc.service_order_of(%s)", (case_id,)).fetchone() == \
            ("律师已上门", "dhm_operator")
        steps = [r[0] for r in op.execute("SELECT action FROM cc.case_event WHERE case_id = %s ORDER BY id", (case_id,))]
        assert steps == ["report", "file", "order_service", "service_done"]
        with pytest.raises(psycopg.Error, match="version"):      # done once
            op.execute("SELECT cc.complete_service(%s, %s)", (case_id, version))


@pytest.mark.parametrize("login,args,message", [
    ("dhm_operator", ("B", "legal", 0, 0), "is closed now"),
    ("dhm_operator", ("D", "legal", 0, 0), "does not offer"),
    ("dhm_operator", ("A", "no-such-item", 0, 0), "unknown service item"),
    ("dhm_operator", (999999, "legal", 0, 0), "there is no provider"),
    ("dhm_operator", ("A", "legal", -120, 0), "not in Beijing"),
    ("dhm_operator", ("A", "legal", float("nan"), 0), "not in Beijing"),
    ("dhm_operator", ("A", "legal", 0, 0, "x" * 5000), "note|description|characters"),
    ("dhm_operator", ("A", "legal", 0, 0, "", None), "needs the caller's phone"),
    ("wall", ("A", "legal", 0, 0), "operator role"),
    ("dhm_field", ("A", "legal", 0, 0), "operator role"),
])
def test_a_refused_request_says_why_and_leaves_nothing(db, place, login, args, message) -> None:  # noqa: ANN001
    before = _counts(db)
    provider, item, dlon, dlat, *rest = args
    note, phone = (rest + ["", "13800138000"])[:2] if len(rest) < 2 else rest
    provider = place.get(provider, provider) if isinstance(provider, str) else provider
    lon = place["lon"] + dlon if not math.isnan(dlon) else dlon
    with sign_in(db, login) as c:
        with pytest.raises(psycopg.Error, match=message):
            c.execute("SELECT cc.request_service(%s, %s, %s, %s, NULL, %s, %s)",
                      (provider, item, lon, place["lat"] + dlat, phone, note))
    assert _counts(db) == before


def test_a_street_operator_takes_requests_only_in_its_own_street_and_within_its_daily_bound(db, place) -> None:  # noqa: ANN001
    with db.connect() as c:
        far_lon, far_lat = c.execute(
            "SELECT (point(gp.shape))[0], (point(gp.shape))[1] FROM cc.grid_part gp JOIN cc.grid g ON g.id = gp.grid_id "
            "JOIN cc.street s ON s.id = g.street_id WHERE s.name = '东花市街道' ORDER BY npoints(gp.shape) DESC LIMIT 1"
        ).fetchone()
        c.execute("UPDATE cc.input_limit SET value = 2 WHERE code = 'service_requests_per_login_day'")
        c.commit()
    try:
        before = _counts(db)
        with sign_in(db, "dhm_operator") as op:
            with pytest.raises(psycopg.Error, match="area|street|scope"):
                op.execute("SELECT cc.request_service(%s, 'legal', %s, %s, NULL, '13800138000')",
                           (place["A"], far_lon, far_lat))
            op.rollback()
            assert _counts(db) == before
            # the completed request of the test before counts: one more, then the bound
            op.execute("SELECT cc.request_service(%s, 'legal', %s, %s, NULL, '13800138000')",
                       (place["A"], place["lon"], place["lat"]))
            op.commit()
            with pytest.raises(psycopg.Error, match="service requests in the last 24 hours"):
                op.execute("SELECT cc.request_service(%s, 'legal', %s, %s, NULL, '13800138000')",
                           (place["A"], place["lon"], place["lat"]))
    finally:
        with db.connect() as c:
            c.execute("UPDATE cc.input_limit SET value = 300 WHERE code = 'service_requests_per_login_day'")
            c.commit()


def test_completion_applies_only_to_a_service_request(db) -> None:  # noqa: ANN001
    with db.connect() as c:
        (grid,) = c.execute("SELECT c.grid_id FROM cc.\"case\" c JOIN cc.street s ON s.id = c.street_id "
                            "WHERE s.name = '东华门街道' ORDER BY c.id LIMIT 1").fetchone()
        case_id, version = new_case_in(c, "dispatched", grid_id=grid)     # an ordinary case, no provider
        c.commit()
    with sign_in(db, "dhm_operator") as op:
        assert "service_done" not in {r[0] for r in op.execute("SELECT action FROM cc.allowed_actions(%s)", (case_id,))}
        with pytest.raises(psycopg.Error, match="no contracted provider"):
            op.execute("SELECT cc.complete_service(%s, %s)", (case_id, version))


def test_coverage_marks_the_grids_beyond_a_15_minute_walk(db, place) -> None:  # noqa: ANN001
    with db.connect() as c:
        centres = c.execute(
            "SELECT DISTINCT ON (gp.grid_id) gp.grid_id, g.street_id, (point(gp.shape))[0], (point(gp.shape))[1] "
            "FROM cc.grid_part gp JOIN cc.grid g ON g.id = gp.grid_id ORDER BY gp.grid_id, npoints(gp.shape) DESC"
        ).fetchall()
        providers = c.execute("SELECT lon, lat FROM cc.provider WHERE category = 'legal'").fetchall()

    def metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
        x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
        return 6371008.8 * math.hypot(x, math.radians(lat2 - lat1))

    expected = {g: min(metres(x, y, plon, plat) for plon, plat in providers) * DETOUR / WALK <= 15
                for g, _s, x, y in centres}
    assert expected[place["grid"]] and not all(expected.values())
    with sign_in(db, "wall") as wall:
        got = dict(wall.execute("SELECT grid_id, covered FROM cc.service_coverage('legal')").fetchall())
    assert got == expected
    with sign_in(db, "dhm_operator") as street:
        mine = dict(street.execute("SELECT grid_id, covered FROM cc.service_coverage('legal')").fetchall())
    assert mine == {g: expected[g] for g, s, _x, _y in centres if s == place["street"]}
    with sign_in(db, "wall") as wall, pytest.raises(psycopg.Error, match="unknown service category"):
        wall.execute("SELECT * FROM cc.service_coverage('nothing'' OR true --')")


def test_places_and_organisations_keep_to_the_street_and_the_wall_sees_counts(db, place) -> None:  # noqa: ANN001
    with db.connect() as c:
        total = c.execute("SELECT (SELECT count(*) FROM cc.place), (SELECT count(*) FROM cc.organisation)").fetchone()
        other_grid = c.execute("SELECT g.id FROM cc.grid g JOIN cc.street s ON s.id = g.street_id "
                               "WHERE s.name = '东花市街道' AND EXISTS (SELECT 1 FROM cc.organisation o "
                               "WHERE o.grid_id = g.id) LIMIT 1").fetchone()[0]
        own_grid, own_name, own_initials = c.execute(
            "SELECT o.grid_id, o.name, o.initials FROM cc.organisation o WHERE o.street_id = %s ORDER BY o.id LIMIT 1",
            (place["street"],)).fetchone()
        other_name = c.execute("SELECT name FROM cc.organisation WHERE grid_id = %s LIMIT 1", (other_grid,)).fetchone()[0]
    assert total[0] > 50 and total[1] > 20
    with sign_in(db, "wall") as wall:
        counts = wall.execute("SELECT sum(places), sum(organisations) FROM cc.place_counts()").fetchone()
        assert tuple(int(v) for v in counts) == total
        assert wall.execute("SELECT count(*) FROM cc.grid_places(%s)", (own_grid,)).fetchone() == (0,)
        assert wall.execute("SELECT count(*) FROM cc.find_places('a')").fetchone() == (0,)
        for table in ("place", "organisation"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                wall.execute(f"SELECT name FROM cc.{table} LIMIT 1")
            wall.rollback()
    with sign_in(db, "dhm_operator") as op:
        rows = op.execute("SELECT what, name, contact FROM cc.grid_places(%s)", (own_grid,)).fetchall()
        assert any(r[0] == "organisation" and r[1] == own_name and r[2] for r in rows)
        assert op.execute("SELECT count(*) FROM cc.grid_places(%s)", (other_grid,)).fetchone() == (0,)
        found = {r[0] for r in op.execute("SELECT name FROM cc.find_places(%s, 50)", (own_initials,))}
        assert own_name in found
        assert other_name not in {r[0] for r in op.execute("SELECT name FROM cc.find_places(%s, 50)", (other_name,))}
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            op.execute("EXPLAIN ANALYZE SELECT 1 FROM cc.organisation WHERE street_id = 2")
        op.rollback()
        assert op.execute("SELECT count(*) FROM cc.place_counts(%s)", (other_grid,)).fetchone() == (0,)
        for hostile in ("%", "_", "\\", "' OR 1=1 --"):
            op.execute("SELECT * FROM cc.find_places(%s)", (hostile,)).fetchall()
        with pytest.raises(psycopg.Error, match="1 to 40 characters"):
            op.execute("SELECT * FROM cc.find_places(%s)", ("x" * 41,))


def test_service_requests_stay_out_of_the_handling_measures(db, place) -> None:  # noqa: ANN001
    """Ordered and completed at once, requests lifted a street's closure rate and handling time
    (hostile review): they are the provider's work, counted as reported, not as handled."""
    measures = ("SELECT reported, closed, first_dispatched, handled_judged, handling_hours_median "
                "FROM cc.kpi(now() - interval '1 day', now() + interval '1 hour', %s)")
    with sign_in(db, "dhm_supervisor") as sup:
        before = sup.execute(measures, (place["street"],)).fetchone()
    with sign_in(db, "dhm_operator") as op:
        for _ in range(3):
            case_id = op.execute("SELECT cc.request_service(%s, 'legal', %s, %s, NULL, '13800138000')",
                                 (place["A"], place["lon"], place["lat"])).fetchone()[0]
            version = op.execute('SELECT version FROM cc."case" WHERE id = %s', (case_id,)).fetchone()[0]
            op.execute("SELECT cc.complete_service(%s, %s)", (case_id, version))
            op.commit()
    with sign_in(db, "dhm_supervisor") as sup:
        after = sup.execute(measures, (place["street"],)).fetchone()
    assert after[0] == before[0] + 3               # the line's volume counts them
    assert after[1:] == before[1:]                 # dispatch, closure and handling do not


def test_no_plan_made_inside_a_definer_function_reaches_the_console(db, place) -> None:  # noqa: ANN001
    """debug_print_plan with client_min_messages = log sent a console the plans made inside
    definer functions, with the street id of the rows they filtered out: another street's
    person or place confirmed by name (hostile review). Every definer function turns it off."""
    with db.connect() as c:
        name, phone = c.execute("SELECT r.name, r.phone FROM cc.resident r JOIN cc.street s ON s.id = r.street_id "
                                "WHERE s.name = '东花市街道' AND r.phone IS NOT NULL LIMIT 1").fetchone()
        org = c.execute("SELECT o.name FROM cc.organisation o JOIN cc.street s ON s.id = o.street_id "
                        "WHERE s.name = '东花市街道' LIMIT 1").fetchone()[0]
    with sign_in(db, "dhm_operator", autocommit=True) as op:
        said: list[str] = []
        op.add_notice_handler(lambda n: said.append(f"{n.message_primary} {n.message_detail}"))
        op.execute("SET client_min_messages = log")
        op.execute("SET debug_print_plan = on")
        for call, arg in (("cc.find_people(%s)", name), ("cc.find_people(%s)", phone), ("cc.find_places(%s)", org),
                          ("cc.service_order_of(%s)", 1)):
            said.clear()
            assert op.execute(f"SELECT * FROM {call}", (arg,)).fetchall() == []
            # the plan of the call itself may be told (one); none of the plans made inside it
            plans = [m for m in said if m.startswith("plan")]
            assert len(plans) <= 1, (call, len(plans))
        assert said                 # the setting works: the console was told the plan of its own call
