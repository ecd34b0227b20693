"""The shift handover (交接班, issue 15) in the database, with plain psycopg as each role: the
server counts the shift (what this console took, filed, dispatched and closed; what its scope
leaves open, urgent, supervised or overdue), the next operator of the same scope sees it and
acknowledges it; another street, the district, the wall and a field terminal can neither read
nor acknowledge it, forged ids and hostile notes are refused with short messages, and nothing
written can be changed."""

from __future__ import annotations

import psycopg
import pytest

from commandcenter.store import handover as ho
from commandcenter.store.commands import Workflow
from commandcenter.store.errors import InvalidArgument, NotFound, PermissionRefused

from .helpers import sign_in


@pytest.fixture(scope="module")
def streets(db) -> dict[str, int]:  # noqa: ANN001
    with db.connect() as c:
        return dict(c.execute("SELECT name, id FROM cc.street").fetchall())


def _handler_steps(db, case_id: int, version: int) -> int:  # noqa: ANN001
    """The assignee's part of the loop (accept, feedback), as the administrator acts for it."""
    with db.connect() as admin:
        wf = Workflow(admin)
        version = wf.accept(case_id, version)
        return wf.feedback(case_id, version, "已清理 cleaned")


def test_the_server_counts_the_shift_and_the_next_operator_acknowledges_it(db, streets) -> None:  # noqa: ANN001
    dhm = streets["东华门街道"]
    with db.connect() as admin:
        grid, lon, lat = admin.execute('SELECT grid_id, lon, lat FROM cc."case" WHERE street_id = %s ORDER BY id LIMIT 1',
                                       (dhm,)).fetchone()
        unit = admin.execute("SELECT id FROM cc.unit WHERE street_id = %s ORDER BY id LIMIT 1", (dhm,)).fetchone()[0]
    with sign_in(db, "dhm_supervisor") as sup:
        ho.write_handover(sup, "上一班 previous shift")       # the shift below starts here
        wf = Workflow(sup)
        case_id = wf.report("hotline", "010201", "井盖缺失 交接班测试", lon, lat, grid_id=grid, urgency="urgent")
        v = wf.file(case_id, 1)
        v = wf.dispatch(case_id, v, unit_id=unit)
        open_id = wf.report("hotline", "010201", "第二件 still open", lon, lat, grid_id=grid, urgency="critical")
    v = _handler_steps(db, case_id, v)
    with sign_in(db, "dhm_supervisor") as sup:
        Workflow(sup).verify(case_id, v, True, "现场核实 checked")
        preview = ho.shift_summary(sup)
        hid = ho.write_handover(sup, "注意 SX-1 井盖\n第二件待立案 the second waits to be filed")
    assert (preview.taken, preview.filed, preview.dispatched, preview.closed) == (2, 1, 1, 1)
    with db.connect() as admin:
        # the open, urgent and overdue figures are the street's, as the board counts them
        board = admin.execute(
            "SELECT count(*), count(*) FILTER (WHERE urgency <> 'normal'), count(*) FILTER (WHERE deadline < now()), "
            "count(*) FILTER (WHERE supervision_level IS NOT NULL) FROM cc.case_board WHERE is_open AND street_id = %s",
            (dhm,)).fetchone()
        stored = admin.execute("SELECT author, street_id, summary, note FROM cc.handover WHERE id = %s", (hid,)).fetchone()
    assert (preview.open, preview.urgent, preview.overdue, preview.supervised) == board
    assert stored[0] == "dhm_supervisor" and stored[1] == dhm
    assert stored[3].startswith("注意 SX-1 井盖\n第二件")         # newlines kept in the note
    assert open_id in [c.id for c in ho.ShiftSummary.from_json(stored[2]).urgent_cases]

    # the next operator of the same street sees it at sign-in and acknowledges it, once
    with sign_in(db, "dhm_operator") as op:
        pending = ho.pending_handover(op)
        assert pending is not None and pending.id == hid and pending.author == "dhm_supervisor"
        assert (pending.summary.taken, pending.summary.closed) == (2, 1)
        assert pending.note.endswith("the second waits to be filed")
        first = ho.acknowledge_handover(op, hid)
        assert ho.acknowledge_handover(op, hid) == first          # a second time changes nothing
        assert ho.pending_handover(op) is None
        history = ho.handovers(op, 1)
        assert history[0].id == hid and [a[0] for a in history[0].acknowledged] == ["dhm_operator"]
    with db.connect() as admin:
        assert admin.execute("SELECT count(*) FROM cc.handover_ack WHERE handover_id = %s", (hid,)).fetchone() == (1,)


def test_another_scope_and_forged_ids_are_refused(db, streets) -> None:  # noqa: ANN001
    with sign_in(db, "dhm_operator") as op:
        hid = ho.write_handover(op, "东华门 only")
    for other in ("dhs_operator", "dc_supervisor", "dc_operator"):
        with sign_in(db, other) as c:
            pending = ho.pending_handover(c)
            assert pending is None or pending.id != hid, other
            assert hid not in [h.id for h in ho.handovers(c, 7)]
            with pytest.raises(NotFound):
                ho.acknowledge_handover(c, hid)
    with sign_in(db, "dhm_operator") as op:
        for forged in (hid + 10**9, -1, 0):
            with pytest.raises(NotFound):
                ho.acknowledge_handover(op, forged)
        with pytest.raises(NotFound):
            ho.acknowledge_handover(op, None)  # type: ignore[arg-type]
        for days in (0, -5, 100000):
            with pytest.raises(InvalidArgument):
                ho.handovers(op, days)
    with db.connect() as admin:
        assert admin.execute("SELECT count(*) FROM cc.handover_ack WHERE handover_id = %s", (hid,)).fetchone() == (0,)


@pytest.mark.parametrize("login", ["wall", "dhm_field"])
def test_the_wall_and_field_terminals_neither_write_nor_read_handovers(db, login: str) -> None:  # noqa: ANN001
    with sign_in(db, "dhm_operator") as op:
        hid = ho.write_handover(op, "for the street's next operator")
    with sign_in(db, login) as c:
        for call in (lambda: ho.shift_summary(c), lambda: ho.write_handover(c, "x"), lambda: ho.pending_handover(c),
                     lambda: ho.acknowledge_handover(c, hid), lambda: ho.handovers(c)):
            with pytest.raises(PermissionRefused):
                call()
        # nor the tables themselves, nor the helpers
        for statement in ("SELECT * FROM cc.handover", "SELECT * FROM cc.handover_ack",
                          f"INSERT INTO cc.handover_ack VALUES ({hid}, 'wall', now())",
                          "SELECT cc._shift_summary(NULL, now() - interval '1 day', now())"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                c.execute(statement)
            c.rollback()


def test_operators_reach_the_tables_only_through_the_functions(db) -> None:  # noqa: ANN001
    with sign_in(db, "dhm_supervisor") as sup:
        hid = ho.write_handover(sup, "x")
        for statement in ("SELECT * FROM cc.handover",
                          "INSERT INTO cc.handover (street_id, author, author_name, since, written_at, summary) "
                          "VALUES (NULL, 'dc_supervisor', 'forged', now(), now(), '{}')",
                          f"INSERT INTO cc.handover_ack VALUES ({hid}, 'dhs_operator', now())",
                          f"UPDATE cc.handover SET note = 'changed' WHERE id = {hid}",
                          "SELECT cc._require_shift_console()"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                sup.execute(statement)
            sup.rollback()


def test_hostile_notes_are_bounded_cleaned_and_refused_briefly(db) -> None:  # noqa: ANN001
    with db.connect() as admin:
        limit = admin.execute("SELECT value FROM cc.input_limit WHERE code = 'handover_note_chars'").fetchone()[0]
        before = admin.execute("SELECT count(*) FROM cc.handover").fetchone()[0]
    with sign_in(db, "dhm_operator") as op:
        for note in ("长" * (limit + 1), "x" * 10_000_000):
            with pytest.raises(InvalidArgument) as refused:
                ho.write_handover(op, note)
            assert len(str(refused.value)) < 300 and "长长长长长" not in str(refused.value)
        exact = ho.write_handover(op, "满" * limit)
        tricky = ho.write_handover(op, "\u202e注意\u0007 three \u200bcases\x7f\r\nnext line\u3000 ")
        empty = ho.write_handover(op, None)  # type: ignore[arg-type]   # a note is optional
    with db.connect() as admin:
        notes = dict(admin.execute("SELECT id, note FROM cc.handover WHERE id IN (%s, %s, %s)",
                                   (exact, tricky, empty)).fetchall())
        assert admin.execute("SELECT count(*) FROM cc.handover").fetchone()[0] == before + 3
    assert len(notes[exact]) == limit
    assert notes[tricky] == "注意 three cases\nnext line"
    assert notes[empty] == ""


def test_handovers_are_append_only_and_bounded_per_login(db, login_role, streets) -> None:  # noqa: ANN001
    dsn = login_role(["cc_operator"], street_id=streets["东花市街道"])
    with psycopg.connect(dsn) as c:
        hid = ho.write_handover(c, "one")
    with db.connect() as admin:          # not even the administrator's superuser changes one
        for statement in (f"UPDATE cc.handover SET note = 'rewritten' WHERE id = {hid}",
                          f"DELETE FROM cc.handover WHERE id = {hid}", "TRUNCATE cc.handover_ack",
                          "DELETE FROM cc.handover_ack"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                admin.execute(statement)
            admin.rollback()
        limit = admin.execute("SELECT value FROM cc.input_limit WHERE code = 'handovers_per_login_day'").fetchone()[0]
    with psycopg.connect(dsn) as c:
        for _ in range(limit - 1):
            ho.write_handover(c, "")
        from commandcenter.store.errors import BadAttachment  # CC007: too many of a kind
        with pytest.raises(BadAttachment, match="handovers in the last 24 hours"):
            ho.write_handover(c, "one too many")
