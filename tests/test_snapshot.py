"""The board's snapshot is streamed in chunks and its columns are built batch by batch while
rows arrive, with the times read in UTC for that one transaction: what it holds must be exactly
what the board's view holds, read the plain way."""

from __future__ import annotations

import threading

import psycopg
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
    assert len(calls) >= 2


def test_a_libpq_without_chunked_rows_reads_the_snapshot_whole(db, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    """psycopg wheels before 3.2.2 bundle libpq 16, which cannot stream in chunks: the same
    snapshot is then read whole and built in batches."""
    monkeypatch.setattr(queries, "SNAPSHOT_BATCH", 45)
    with connect_console(db.dsn, "commandcenter-test", autocommit=True) as conn:
        streamed = queries.board_snapshot(conn)
        monkeypatch.setattr(psycopg.capabilities, "has_stream_chunked", lambda check=False: False)
        whole = queries.board_snapshot(conn)
    assert whole.rows == streamed.rows and whole.cursor == streamed.cursor
    _same_columns(whole.columns, streamed.columns)


def test_an_error_while_reading_ends_the_read_instead_of_hanging(db, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    """An error in the loop that hands batches over (here: the builder refuses work, as at the
    interpreter's shutdown) closes the half-read stream, so the transaction can end."""
    monkeypatch.setattr(queries, "SNAPSHOT_BATCH", 45)

    def refuse(*_a, **_k) -> None:  # noqa: ANN002, ANN003
        raise RuntimeError("cannot schedule new futures after interpreter shutdown")

    monkeypatch.setattr(queries.ThreadPoolExecutor, "submit", refuse)
    outcome: list[BaseException | None] = []

    def read() -> None:
        with connect_console(db.dsn, "commandcenter-test", autocommit=True) as conn:
            try:
                queries.board_snapshot(conn)
                outcome.append(None)
            except RuntimeError as e:
                outcome.append(e)
            assert conn.execute("SELECT 1").fetchone() == (1,)
    t = threading.Thread(target=read, daemon=True)
    t.start()
    t.join(timeout=30)
    assert not t.is_alive(), "the snapshot hung on its own connection's lock"
    assert outcome and isinstance(outcome[0], RuntimeError)
