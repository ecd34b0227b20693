"""Bad input gets a clear message and changes nothing."""

from __future__ import annotations

import pytest

from commandcenter.store.commands import Workflow
from commandcenter.store.errors import BadAttachment, InvalidArgument, OutsideDistrict, UnknownCategory

from .helpers import case_row, event_count, grid_point, new_case_in

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 64


def _unchanged(conn, fn) -> None:  # noqa: ANN001
    before_events = event_count(conn)
    before_cases = conn.execute('SELECT count(*) FROM cc."case"').fetchone()[0]
    conn.commit()
    fn()
    assert event_count(conn) == before_events
    assert conn.execute('SELECT count(*) FROM cc."case"').fetchone()[0] == before_cases


def test_unknown_category(conn) -> None:  # noqa: ANN001
    _, lon, lat = grid_point(conn)

    def go() -> None:
        with pytest.raises(UnknownCategory, match="unknown case category \"999999\"") as err:
            Workflow(conn).report("hotline", "999999", "x", lon, lat)
        assert "level = 3" in (err.value.hint or "")
        with pytest.raises(UnknownCategory):
            Workflow(conn).report("hotline", "0102", "a subclass is not an item", lon, lat)
    _unchanged(conn, go)


def test_point_outside_the_district(conn) -> None:  # noqa: ANN001
    def go() -> None:
        with pytest.raises(OutsideDistrict, match="outside every grid") as err:
            Workflow(conn).report("hotline", "010201", "天安门以西 far away", 116.20, 39.90)
        assert "GCJ-02" in (err.value.hint or "")
        with pytest.raises(OutsideDistrict, match="not a longitude/latitude"):
            Workflow(conn).report("hotline", "010201", "swapped", 39.9, 216.4)
    _unchanged(conn, go)


def test_point_outside_the_named_grid(conn) -> None:  # noqa: ANN001
    grid_id, lon, lat = grid_point(conn)
    other = conn.execute("SELECT id FROM cc.grid WHERE id <> %s ORDER BY id LIMIT 1", (grid_id,)).fetchone()[0]
    conn.commit()

    def go() -> None:
        with pytest.raises(OutsideDistrict, match="outside grid"):
            Workflow(conn).report("hotline", "010201", "wrong grid", lon, lat, grid_id=other)
    _unchanged(conn, go)


def test_unknown_source_urgency_and_empty_or_long_text(conn) -> None:  # noqa: ANN001
    _, lon, lat = grid_point(conn)
    wf = Workflow(conn)

    def go() -> None:
        with pytest.raises(InvalidArgument, match="unknown source"):
            wf.report("pigeon", "010201", "x", lon, lat)
        with pytest.raises(InvalidArgument, match="unknown urgency"):
            wf.report("hotline", "010201", "x", lon, lat, urgency="whenever")
        with pytest.raises(InvalidArgument, match="title of 1 to 200"):
            wf.report("hotline", "010201", "   ", lon, lat)
        with pytest.raises(InvalidArgument, match="too long"):
            wf.report("hotline", "010201", "x", lon, lat, description="字" * 4001)
    _unchanged(conn, go)


def test_hostile_text_is_stored_as_text(conn) -> None:  # noqa: ANN001
    _, lon, lat = grid_point(conn)
    title = "'); DROP TABLE cc.case_event; --"
    case_id = Workflow(conn).report("hotline", "010201", title, lon, lat)
    assert case_row(conn, case_id)["title"] == title
    assert event_count(conn) > 0


def test_attachments_must_be_small_images(conn) -> None:  # noqa: ANN001
    case_id, _ = new_case_in(conn, "reported")
    wf = Workflow(conn)
    before = event_count(conn, case_id)
    with pytest.raises(BadAttachment, match="not a JPEG, PNG or WebP"):
        wf.add_attachment(case_id, "photo.jpg", b"%PDF-1.4 not a photo")
    with pytest.raises(BadAttachment, match="at most 5242880 bytes"):
        wf.add_attachment(case_id, "huge.png", PNG + b"\0" * (5 * 1024 * 1024))
    with pytest.raises(BadAttachment, match="empty"):
        wf.add_attachment(case_id, "empty.png", b"")
    assert event_count(conn, case_id) == before
    assert conn.execute("SELECT count(*) FROM cc.attachment WHERE case_id = %s", (case_id,)).fetchone()[0] == 0
    att = wf.add_attachment(case_id, "现场.jpg", JPEG)
    mime, size = conn.execute("SELECT mime, size_bytes FROM cc.attachment WHERE id = %s", (att,)).fetchone()
    assert (mime, size) == ("image/jpeg", len(JPEG))
    assert event_count(conn, case_id) == before + 1
