"""The demo district obeys the rules: counts, staffing, positions, states consistent with events."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pytest

from commandcenter.demo.names import DISTRICTS
from commandcenter.demo.territory import build_territory
from commandcenter.domain.forces import CORE_ROLES

from .conftest import SMALL_DEMO


def test_counts_and_real_street_names(conn) -> None:  # noqa: ANN001
    names = [r[0] for r in conn.execute("SELECT name FROM cc.street ORDER BY id")]
    assert len(names) == 17
    assert {n.removesuffix("街道") for n in names} == {s[0] for s in DISTRICTS["东城区"].streets}
    assert conn.execute("SELECT count(*) FROM cc.community").fetchone()[0] == SMALL_DEMO["communities"]
    assert conn.execute("SELECT count(*) FROM cc.grid").fetchone()[0] == SMALL_DEMO["grids"]


def test_every_grid_has_all_seven_forces(conn) -> None:  # noqa: ANN001
    assert conn.execute("SELECT count(*) FROM cc.grid_staffing WHERE NOT fully_staffed").fetchone()[0] == 0
    roles = {r[0] for r in conn.execute("SELECT code FROM cc.force_role WHERE is_core")}
    assert roles == set(CORE_ROLES)
    # one person may hold several grids and roles
    multi = conn.execute("SELECT count(*) FROM (SELECT person_id FROM cc.grid_assignment GROUP BY person_id "
                         "HAVING count(*) > 1) m").fetchone()[0]
    assert multi > 0


def test_every_case_lies_inside_its_grid(conn) -> None:  # noqa: ANN001
    outside = conn.execute(
        'SELECT count(*) FROM cc."case" c WHERE NOT EXISTS (SELECT 1 FROM cc.grid_part p '
        "WHERE p.grid_id = c.grid_id AND p.shape @> point(c.lon, c.lat))").fetchone()[0]
    assert outside == 0
    mismatched = conn.execute('SELECT count(*) FROM cc."case" c JOIN cc.grid g ON g.id = c.grid_id '
                              "WHERE g.community_id <> c.community_id OR g.street_id <> c.street_id").fetchone()[0]
    assert mismatched == 0


def test_states_are_consistent_with_events(conn) -> None:  # noqa: ANN001
    bad_state = conn.execute(
        'SELECT count(*) FROM cc."case" c, LATERAL (SELECT to_state FROM cc.case_event e '
        "WHERE e.case_id = c.id ORDER BY id DESC LIMIT 1) last WHERE last.to_state <> c.state").fetchone()[0]
    assert bad_state == 0
    # every change of a case is an event: version = number of events except photos and callbacks
    # (they annotate the case; its row does not change)
    bad_version = conn.execute(
        'SELECT count(*) FROM cc."case" c WHERE c.version <> (SELECT count(*) FROM cc.case_event e '
        "WHERE e.case_id = c.id AND e.action NOT IN ('attach', 'callback'))").fetchone()[0]
    assert bad_version == 0
    # events chain: each from_state is the previous to_state
    broken = conn.execute(
        "SELECT count(*) FROM (SELECT from_state, lag(to_state) OVER (PARTITION BY case_id ORDER BY id) prev, "
        "action FROM cc.case_event) x WHERE action NOT IN ('report', 'report_solved') "
        "AND from_state IS DISTINCT FROM prev").fetchone()[0]
    assert broken == 0


def test_history_has_the_texture_of_a_real_district(conn) -> None:  # noqa: ANN001
    row = conn.execute(
        'SELECT count(*) FILTER (WHERE rework_count > 0), count(*) FILTER (WHERE escalation_count > 0), '
        'count(*) FILTER (WHERE return_count > 0), count(*) FILTER (WHERE urge_count > 0), '
        "count(*) FILTER (WHERE handled_late), count(DISTINCT source), count(DISTINCT urgency) "
        'FROM cc."case"').fetchone()
    assert all(v > 0 for v in row), row
    assert conn.execute("SELECT count(*) FROM cc.case_board WHERE overdue").fetchone()[0] > 0


def test_territory_is_deterministic_for_a_seed() -> None:
    spec = DISTRICTS["东城区"]
    a = build_territory(spec, 3, communities=20, grids=30)
    b = build_territory(spec, 3, communities=20, grids=30)
    c = build_territory(spec, 4, communities=20, grids=30)
    assert [g.shape_m.wkt for g in a.grids] == [g.shape_m.wkt for g in b.grids]
    assert [p.name for p in a.persons] == [p.name for p in b.persons]
    assert [g.shape_m.wkt for g in a.grids] != [g.shape_m.wkt for g in c.grids]


def test_haidian_has_key_unit_and_road_grids() -> None:
    t = build_territory(DISTRICTS["海淀区"], 1)
    assert len(t.streets) == 29 and sum(s.kind == "town" for s in t.streets) == 7
    assert len(t.communities) == 570 and len(t.grids) == 643
    assert Counter(g.grid_class for g in t.grids) == {"community": 620, "key_unit": 19, "road": 4}
    assert abs(sum(g.shape_m.area for g in t.grids) / t.outline_m.area - 1) < 1e-6


def _cli(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "commandcenter", *args], capture_output=True, text=True,
                          timeout=timeout)


@pytest.mark.slow
def test_full_dongcheng_from_an_empty_data_directory(tmp_path, x_env) -> None:  # noqa: ANN001
    """The README's first command on an empty data directory, in a real X window: the sign-in
    dialog shows the demo being built, the hall opens on a whole demo (a screenshot shows it),
    and the demo it leaves is whole. (--ready-exit: sign in as the demo supervisor as soon as
    the dialog allows, leave once the hall is usable.)"""
    from .x_support import grab

    env = x_env
    # with live traffic asked for too: it must wait until the demo district exists and is whole
    proc = subprocess.Popen([sys.executable, "-m", "commandcenter", "--data-dir", str(tmp_path / "d"),
                             "--simulate", "20", "--ready-exit"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    assert proc.stdout is not None
    ready = False
    try:
        for line in proc.stdout:
            if line.startswith("ready"):
                ready = True
                assert grab(env, tmp_path / "hall.png")[2] > 2      # a window is drawn on the X screen
                break
        _out, err = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:      # never leave a window on the X screen the next tests photograph
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert "Traceback" not in err, err
    assert ready                       # how soon is `bench startup`'s figure, not a test's (CI machines vary 2x)
    assert not (tmp_path / "d" / "demo-history.pending").exists()
    status = _cli("--data-dir", str(tmp_path / "d"), "db", "status", "--json")
    assert status.returncode == 0, status.stderr
    s = json.loads(status.stdout.strip().splitlines()[-1])
    assert (s["streets"], s["communities"], s["grids"], s["grids_fully_staffed"]) == (17, 187, 589, 589)
    assert s["cases"] >= 3000                        # the first start's two weeks (demo seed builds 90 days)
    # the history leaves cases in every state; a few seconds of live traffic may move the last
    # case or two out of a thin one (returned, rework), never most of them
    assert sum(n > 0 for n in s["cases_by_state"].values()) >= len(s["cases_by_state"]) - 2, s["cases_by_state"]
    assert s["events"] == s["last_event_id"] > s["cases"]
    again = _cli("--data-dir", str(tmp_path / "d"), "demo", "seed")
    assert again.returncode == 2 and "already holds the district 东城区" in again.stderr


def test_an_interrupted_history_is_told_apart_from_one_still_playing(tmp_path) -> None:  # noqa: ANN001
    import os

    from commandcenter.demo.background import interrupted
    marker = tmp_path / "demo-history.pending"
    assert not interrupted(marker)                     # no marker: nothing to rebuild
    marker.write_text(f"{os.getpid()}\nplaying\n")
    assert not interrupted(marker)                     # a live process is still playing it
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    marker.write_text(f"{dead}\nplaying\n")
    assert interrupted(marker)                         # its process is gone: rebuild


def test_a_territory_drawn_ahead_is_the_one_prepare_demo_would_draw() -> None:
    """demo.prebuilt: the first start draws the territory while the server is created; what
    prepare_demo takes is the same as drawing it then, and anything not promised (or not
    drawable) is None, so prepare_demo draws it itself."""
    import threading

    from commandcenter.demo import prebuilt

    draw = prebuilt.promise("东城区", 5, 30, 50)
    thread = threading.Thread(target=draw)
    thread.start()
    got = prebuilt.take("东城区", 5, 30, 50)
    thread.join()
    assert got is not None
    want = build_territory(DISTRICTS["东城区"], 5, 30, 50)
    assert [g.shape_m.wkt for g in got.grids] == [g.shape_m.wkt for g in want.grids]
    assert got.assignments == want.assignments
    assert prebuilt.take("东城区", 5, 30, 50) is None          # taken once
    assert prebuilt.take("东城区", 6) is None                  # never promised
    prebuilt.promise("no such district", 1)()
    assert prebuilt.take("no such district", 1) is None
