"""The board's snapshot is streamed in chunks and its columns are built batch by batch while
rows arrive, with the times read in UTC for that one transaction: what it holds must be exactly
what the board's view holds, read the plain way."""

from __future__ import annotations

import pytest

from commandcenter.domain.board_columns import BoardColumns
from commandcenter.domain.cases import BoardRow
from commandcenter.store import queries
from commandcenter.store.database import connect_console

from .test_board_columns import _same_columns


def test_the_streamed_snapshot_holds_exactly_what_the_board_view_holds(db, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(queries, "SNAPSHOT_CHUNK", 17)          # many chunks and batches on the test demo
    monkeypatch.setattr(queries, "SNAPSHOT_BATCH", 45)
    with connect_console(db.dsn, "commandcenter-test", autocommit=True) as conn:
        conn.execute("SET TimeZone = 'Asia/Shanghai'")
        snap = queries.board_snapshot(conn)
        assert conn.execute("SHOW TimeZone").fetchone()[0] == "Asia/Shanghai"      # UTC was for the snapshot only
        plain = conn.execute(f"SELECT {queries.BOARD_COLUMNS} FROM cc.case_board").fetchall()
    assert len(plain) > 300 and len(snap.rows) == len(plain)
    assert all(type(r) is BoardRow for r in snap.rows)
    assert {r.id: r for r in snap.rows} == {r[0]: BoardRow(*r) for r in plain}     # times equal as instants
    assert all(r.reported_at.utcoffset().total_seconds() == 0 for r in snap.rows)
    assert snap.columns is not None and snap.columns.rows is snap.rows
    _same_columns(snap.columns, BoardColumns.of(snap.rows))


def test_a_street_consoles_snapshot_holds_its_street_only(db, login_role) -> None:  # noqa: ANN001
    with db.connect() as c:
        street_id = c.execute("SELECT id FROM cc.street WHERE name = '东花市街道'").fetchone()[0]
    with connect_console(login_role(["cc_operator"], street_id=street_id), "commandcenter-test",
                         autocommit=True) as conn:
        snap = queries.board_snapshot(conn)
    assert snap.rows and {r.street_id for r in snap.rows} == {street_id}
    assert set(snap.columns.view(snap.columns.street).tolist()) == {street_id}


def test_a_failure_building_the_columns_is_raised_by_the_snapshot_and_the_connection_stays_usable(
        db, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    """The columns are built on a second thread: its error must reach the reader, not vanish."""
    monkeypatch.setattr(queries, "SNAPSHOT_BATCH", 50)
    calls = []
    real_add = queries.ColumnsFiller.add

    def add(self, batch) -> None:  # noqa: ANN001
        calls.append(len(batch))
        if len(calls) == 2:
            raise RuntimeError("columns broke")
        real_add(self, batch)

    monkeypatch.setattr(queries.ColumnsFiller, "add", add)
    with connect_console(db.dsn, "commandcenter-test", autocommit=True) as conn:
        with pytest.raises(RuntimeError, match="columns broke"):
            queries.board_snapshot(conn)
        assert conn.execute("SELECT 1").fetchone() == (1,)
    assert len(calls) > 2                                   # the stream went on to its end
