"""Two supervisors act on the same case at the same moment: one wins, the other is told who
changed it and when, and exactly one event is written."""

from __future__ import annotations

import threading

import psycopg
from psycopg.conninfo import make_conninfo

from commandcenter.demo.accounts import DEMO_ACCOUNTS
from commandcenter.store.commands import Workflow
from commandcenter.store.errors import StaleVersion

from .helpers import case_row, event_count, new_case_in


def test_two_supervisors_race_one_wins_the_other_is_told_who(db) -> None:  # noqa: ANN001
    with db.connect() as admin:
        case_id, version = new_case_in(admin, "filed")
        options = admin.execute("SELECT kind, id FROM cc.dispatch_options(%s) WHERE kind = 'unit' LIMIT 2",
                                (case_id,)).fetchall()
        admin.commit()
        events_before = event_count(admin, case_id)
    sups = [a for a in DEMO_ACCOUNTS if a.login in ("dc_supervisor",)] * 2
    barrier = threading.Barrier(2)
    results: list[object] = [None, None]

    def act(i: int) -> None:
        a = sups[i]
        with psycopg.connect(make_conninfo(db.dsn, user=a.login, password=a.password)) as conn:
            barrier.wait()
            try:
                results[i] = Workflow(conn).dispatch(case_id, version, unit_id=options[i][1])
            except StaleVersion as exc:
                results[i] = exc

    threads = [threading.Thread(target=act, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    wins = [r for r in results if isinstance(r, int)]
    losses = [r for r in results if isinstance(r, StaleVersion)]
    assert len(wins) == 1 and len(losses) == 1
    assert "dc_supervisor" in str(losses[0]) and "dispatch" in str(losses[0]).lower()
    with db.connect() as admin:
        row = case_row(admin, case_id)
        assert row["version"] == version + 1 and row["state"] == "dispatched"
        assert event_count(admin, case_id) == events_before + 1
