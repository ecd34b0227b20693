"""Events: NOTIFY only after commit, one doorbell per transaction, gap-safe resync, append-only."""

from __future__ import annotations

import contextlib
import json
import threading
import time

import psycopg
import pytest

from commandcenter.store.commands import Workflow
from commandcenter.store.events import CHANNEL, CaseEvent, read_changes

from .helpers import grid_point, new_case_in


def _listener(db) -> psycopg.Connection:  # noqa: ANN001
    listener = db.connect(autocommit=True)
    listener.execute(f"LISTEN {CHANNEL}")
    return listener


def _drain(listener: psycopg.Connection, timeout: float = 0.5) -> list[dict]:
    return [json.loads(n.payload) for n in listener.notifies(timeout=timeout, stop_after=None)]


def test_notify_arrives_only_after_commit(db) -> None:  # noqa: ANN001
    listener = _listener(db)
    with db.connect() as writer:
        _, lon, lat = grid_point(writer)
        writer.execute("SELECT cc.report('hotline', '010201', '未提交 uncommitted', %s, %s)", (lon, lat))
        assert _drain(listener) == []          # still inside the writer's transaction
        writer.commit()
        got = _drain(listener)
    assert len(got) == 1
    # the doorbell names only the event (NOTIFY bypasses row-level security)
    with db.connect() as c:
        newest = c.execute("SELECT max(id) FROM cc.case_event").fetchone()[0]
    assert got[0] == {"e": newest}
    listener.close()


def test_rolled_back_changes_ring_no_bell_and_leave_no_hole(db) -> None:  # noqa: ANN001
    listener = _listener(db)
    with db.connect() as writer:
        _, lon, lat = grid_point(writer)
        before = writer.execute("SELECT cc.event_horizon()").fetchone()[0]
        writer.execute("SELECT cc.report('hotline', '010201', '回滚 rolled back', %s, %s)", (lon, lat))
        writer.rollback()
        assert _drain(listener) == []
        Workflow(writer).report("hotline", "010201", "提交 committed", lon, lat)
        after = writer.execute("SELECT cc.event_horizon()").fetchone()[0]
    assert after == before + 1                 # ids stay dense
    assert [p["e"] for p in _drain(listener)] == [after]
    listener.close()


def test_one_doorbell_per_transaction_and_no_private_data(db) -> None:  # noqa: ANN001
    listener = _listener(db)
    with db.connect() as writer:
        _, lon, lat = grid_point(writer)
        for k in range(5):
            writer.execute("SELECT cc.report('hotline', '010201', %s, %s, %s, 'desc', 'addr', 'normal', "
                           "NULL, NULL, '秘密姓名', '13900000000')", (f"批量 {k}", lon, lat))
        writer.commit()
    got = _drain(listener)
    assert len(got) == 1
    raw = json.dumps(got)
    assert "秘密姓名" not in raw and "13900000000" not in raw and "批量" not in raw
    listener.close()


def test_a_savepoint_rolled_back_takes_its_doorbell_and_the_next_event_rings(db) -> None:  # noqa: ANN001
    """The doorbell is remembered per transaction (0012): a rolled-back savepoint forgets both
    its notification and that it rang, so the transaction's first kept event rings, once for
    all its events; the next transaction rings again."""
    listener = _listener(db)
    with db.connect() as writer:
        _, lon, lat = grid_point(writer)
        writer.commit()
        with writer.transaction():
            with contextlib.suppress(_Rollback), writer.transaction():
                writer.execute("SELECT cc.report('hotline', '010201', '撤回 undone', %s, %s)", (lon, lat))
                raise _Rollback
            kept = writer.execute("SELECT cc.report('hotline', '010201', '保留 kept', %s, %s)", (lon, lat)).fetchone()
            writer.execute("SELECT cc.report('hotline', '010201', '又一 another', %s, %s)", (lon, lat))
        first_kept = writer.execute("SELECT min(id) FROM cc.case_event WHERE case_id = %s", kept).fetchone()[0]
        got = _drain(listener)
        assert got == [{"e": first_kept}]
        Workflow(writer).report("hotline", "010201", "下一事务 next", lon, lat)
        assert len(_drain(listener)) == 1
    listener.close()


class _Rollback(Exception):
    pass


def events_after(conn, after: int, limit: int = 1000) -> tuple[list[CaseEvent], int]:  # noqa: ANN001
    """The one reader the change feed uses, seen as (events, cursor)."""
    changes = read_changes(conn, after, limit)
    return changes.events, changes.cursor


def test_resync_returns_everything_after_an_id_once(db) -> None:  # noqa: ANN001
    with db.connect(autocommit=True) as reader, db.connect() as writer:
        _, cursor = events_after(reader, 0, limit=100000)
        ids = [new_case_in(writer, "filed")[0] for _ in range(3)]
        events, new_cursor = events_after(reader, cursor)
        assert [e.case_id for e in events] == [ids[0], ids[0], ids[1], ids[1], ids[2], ids[2]]
        assert [e.id for e in events] == list(range(cursor + 1, cursor + 7))
        assert new_cursor == events[-1].id
        again, same = events_after(reader, new_cursor)
        assert again == [] and same == new_cursor
        page, page_cursor = events_after(reader, cursor, limit=4)
        assert len(page) == 4 and page_cursor == page[-1].id


def test_the_feeds_one_plan_reads_what_a_fresh_plan_reads(db) -> None:  # noqa: ANN001
    """The feed plans read_changes once (GENERIC_PLANS): from the first event, a page of 4 and
    the last few, its answers (events and rows) equal those of a connection that plans anew."""
    from commandcenter.store.events import GENERIC_PLANS

    with db.connect(autocommit=True) as fresh, db.connect(autocommit=True) as kept, db.connect() as writer:
        kept.execute(GENERIC_PLANS)
        for _ in range(3):
            new_case_in(writer, "filed")
        top = read_changes(fresh, 0, 100000).cursor
        for _ in range(8):                     # past the point where a plan is kept
            for after, limit in ((0, 100000), (0, 4), (top - 5, 1000), (top, 1000)):
                a, b = read_changes(fresh, after, limit), read_changes(kept, after, limit)
                assert (a.events, a.rows, a.cursor, a.full) == (b.events, b.rows, b.cursor, b.full)
        assert kept.execute("SELECT count(*) FROM pg_prepared_statements WHERE generic_plans > 0").fetchone()[0]


def test_resync_is_gap_safe_with_writers_committing_out_of_order(db) -> None:  # noqa: ANN001
    """Writer A takes an event id first but commits last. A reader polling meanwhile must not
    move its cursor past A's event, and must see it once A commits."""
    with db.connect() as a, db.connect() as b, db.connect(autocommit=True) as reader:
        _, lon, lat = grid_point(a)
        a.commit()
        _, start = events_after(reader, 0, limit=100000)
        a.execute("SELECT cc.report('hotline', '010201', 'A first id', %s, %s)", (lon, lat))
        b_done = threading.Event()

        def write_b() -> None:
            b.execute("SELECT cc.report('hotline', '010201', 'B second id', %s, %s)", (lon, lat))
            b.commit()
            b_done.set()

        tb = threading.Thread(target=write_b)
        tb.start()
        time.sleep(0.3)                        # B is blocked behind A's event id
        assert not b_done.is_set()
        seen, cursor = events_after(reader, start)
        assert seen == [] and cursor == start  # nothing visible, cursor stays
        a.commit()
        tb.join(5)
        assert b_done.is_set()
        seen, cursor = events_after(reader, cursor)
        titles = [reader.execute('SELECT title FROM cc."case" WHERE id = %s', (e.case_id,)).fetchone()[0]
                  for e in seen]
        assert titles == ["A first id", "B second id"]
        assert [e.id for e in seen] == [start + 1, start + 2]


def test_event_table_is_append_only_even_for_the_superuser(db) -> None:  # noqa: ANN001
    with db.connect() as c:
        for stmt in ("UPDATE cc.case_event SET note = 'x'", "DELETE FROM cc.case_event",
                     "TRUNCATE cc.case_event CASCADE"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                c.execute(stmt)
            c.rollback()


def test_direct_writes_are_refused_to_console_roles(db, login_role) -> None:  # noqa: ANN001
    with psycopg.connect(login_role(["cc_supervisor"])) as c:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("UPDATE cc.\"case\" SET state = 'closed'")
        c.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("INSERT INTO cc.case_event (case_id, street_id, action, to_state, actor, at) "
                      "VALUES (1, 1, 'forged', 'closed', 'someone', now())")


def test_actor_is_the_signed_in_role(db, login_role) -> None:  # noqa: ANN001
    dsn = login_role(["cc_operator"])
    user = psycopg.conninfo.conninfo_to_dict(dsn)["user"]
    with psycopg.connect(dsn) as c:
        _, lon, lat = grid_point(c)
        case_id = Workflow(c).report("walk_in", "020101", "邻里纠纷 dispute", lon, lat)
        actor = c.execute("SELECT actor FROM cc.case_event WHERE case_id = %s", (case_id,)).fetchone()[0]
    assert actor == user


def test_street_console_sees_only_its_street(db, login_role) -> None:  # noqa: ANN001
    with db.connect() as admin:
        street = admin.execute("SELECT min(street_id) FROM cc.\"case\"").fetchone()[0]
        total = admin.execute("SELECT count(DISTINCT street_id) FROM cc.\"case\"").fetchone()[0]
    assert total > 1
    with psycopg.connect(login_role(["cc_operator"], street_id=street), autocommit=True) as c:
        streets = {r[0] for r in c.execute('SELECT DISTINCT street_id FROM cc."case"')}
        event_streets = {r[0] for r in c.execute("SELECT DISTINCT street_id FROM cc.case_event")}
        events, cursor = events_after(c, 0, limit=100000)
    assert streets == {street} and event_streets == {street}
    assert {e.street_id for e in events} == {street}
    assert cursor >= max(e.id for e in events)   # the horizon moves past hidden events
