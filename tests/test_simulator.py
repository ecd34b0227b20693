"""The live simulator acts through the SQL functions only, so every rule holds for it."""

from __future__ import annotations

from commandcenter.sim.simulator import Simulator

from .helpers import event_count


def test_the_simulator_moves_cases_along_the_loop(conn) -> None:  # noqa: ANN001
    before = event_count(conn)
    states_before = dict(conn.execute('SELECT state, count(*) FROM cc."case" GROUP BY state').fetchall())
    conn.commit()
    sim = Simulator(conn, seed=5)
    for _ in range(150):
        sim.step()
    stats = sim.stats
    assert stats.actions + stats.refused >= 150
    assert stats.reports > 0 and len(stats.by_action) >= 6          # reports and several kinds of progress
    assert event_count(conn) == before + stats.actions              # one event per action, no more
    states_after = dict(conn.execute('SELECT state, count(*) FROM cc."case" GROUP BY state').fetchall())
    conn.commit()
    assert states_after != states_before


def test_paced_run_keeps_its_rate(conn) -> None:  # noqa: ANN001
    sim = Simulator(conn, seed=6)
    stats = sim.run(rate=40, duration=1.5, day_pattern=False)
    assert 40 <= stats.actions + stats.refused <= 75
