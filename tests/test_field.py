"""Field reports with photos (issue 12, part 3): the grid worker's terminal command, tagged
photos with thumbnails made once, the detail's thumbnails and full photo, the micro-loop, the
refusals, and the simulator's generated pictures — against the real embedded server."""

from __future__ import annotations

import struct
import subprocess
import sys
import zlib
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from commandcenter.demo.accounts import DEMO_ACCOUNTS
from commandcenter.domain.pictures import encode_png, png_size, scene_picture
from commandcenter.launch.field import point_in_grid
from commandcenter.sim.simulator import Simulator
from commandcenter.store.commands import Workflow
from commandcenter.store.errors import BadAttachment, InvalidArgument, PermissionRefused
from commandcenter.ui.thumbnails import make_thumbnail

from .helpers import event_count, new_case_in, sign_in
from .ui_support import hall_session, settle

PASSWORD = {a.login: a.password for a in DEMO_ACCOUNTS}


def _cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "commandcenter", *args], capture_output=True, text=True,
                          input=stdin, timeout=300)


def _terminal(conn: psycopg.Connection, login: str = "dhm_field") -> tuple[int, list[str], str]:
    """(person, the grids it staffs, a grid of its street it does not staff)."""
    person, street = conn.execute("SELECT person_id, street_id FROM cc.console_account WHERE login = %s",
                                  (login,)).fetchone()
    own = [r[0] for r in conn.execute(
        "SELECT DISTINCT g.code FROM cc.grid g JOIN cc.grid_assignment ga ON ga.grid_id = g.id "
        " WHERE ga.person_id = %s ORDER BY g.code", (person,))]
    other = conn.execute("SELECT code FROM cc.grid WHERE street_id = %s AND code <> ALL(%s) ORDER BY code LIMIT 1",
                         (street, own)).fetchone()[0]
    conn.commit()
    return person, own, other


def _photos(tmp_path: Path) -> tuple[Path, Path]:
    far, near = scene_picture(11, "far"), scene_picture(11, "near")
    a, b = tmp_path / "scene far.png", tmp_path / "detail.png"
    a.write_bytes(far.content)
    b.write_bytes(near.content)
    return a, b


def _case_count(conn: psycopg.Connection) -> int:
    n = conn.execute('SELECT count(*) FROM cc."case"').fetchone()[0]
    conn.commit()
    return int(n)


def test_the_terminal_reports_with_two_tagged_photos_as_the_worker(db, conn, tmp_path) -> None:  # noqa: ANN001
    person, grids, _ = _terminal(conn)
    a, b = _photos(tmp_path)
    out = _cli("--dsn", db.dsn, "field", "report", "--grid", grids[0], "--category", "010201",
               "--photo", f"{a}:far:before", "--photo", f"{b}:near:before", "--note", "井盖破损 cover broken",
               "--login", "dhm_field", "--password-stdin", stdin=PASSWORD["dhm_field"] + "\n")
    assert out.returncode == 0, out.stderr
    assert "2 photo(s)" in out.stdout and "dhm_field" in out.stdout
    case = conn.execute('SELECT c.id, c.source, c.state, c.reporter_person_id, c.description, g.code FROM cc."case" c '
                        "JOIN cc.grid g ON g.id = c.grid_id ORDER BY c.id DESC LIMIT 1").fetchone()
    assert case[1:] == ("patrol", "reported", person, "井盖破损 cover broken", grids[0])
    rows = conn.execute("SELECT filename, view, stage, uploaded_by, mime, thumbnail_mime, thumbnail, "
                        "       length(content) FROM cc.attachment WHERE case_id = %s ORDER BY id", (case[0],)).fetchall()
    conn.commit()
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in rows] == [
        ("scene far.png", "far", "before", "dhm_field", "image/png"),
        ("detail.png", "near", "before", "dhm_field", "image/png")]
    for r in rows:                                   # a JPEG thumbnail, made once, fitting 240 × 240
        assert r[5] == "image/jpeg" and bytes(r[6]).startswith(b"\xff\xd8\xff") and len(r[6]) <= 65536
        w, h = _jpeg_size(bytes(r[6]))
        assert max(w, h) == 240 and min(w, h) == 180
    actors = {r[0] for r in conn.execute("SELECT actor FROM cc.case_event WHERE case_id = %s", (case[0],))}
    conn.commit()
    assert actors == {"dhm_field"}                    # signed in as the worker, not as the administrator


def test_solved_on_the_spot_by_the_grids_own_staff_only(db, conn, tmp_path) -> None:  # noqa: ANN001
    _person, grids, other = _terminal(conn)
    a, _b = _photos(tmp_path)
    # without --login: the demo's field terminal of that grid
    out = _cli("--dsn", db.dsn, "field", "report", "--grid", grids[0], "--category", "010201", "--solved",
               "--photo", f"{a}:near:after")
    assert out.returncode == 0, out.stderr
    assert "state handled" in out.stdout
    before, events = _case_count(conn), event_count(conn)
    refused = _cli("--dsn", db.dsn, "field", "report", "--grid", other, "--category", "010201", "--solved",
                   "--photo", f"{a}:near:after", "--login", "dhm_field", "--password-stdin",
                   stdin=PASSWORD["dhm_field"] + "\n")
    assert refused.returncode == 2 and "only staff of grid" in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr
    assert _case_count(conn) == before and event_count(conn) == events       # nothing, not even the case
    wrong = _cli("--dsn", db.dsn, "field", "report", "--grid", grids[0], "--category", "010201",
                 "--login", "dhm_field", "--password-stdin", stdin="not the password\n")
    assert wrong.returncode == 2 and "cannot sign in as dhm_field" in wrong.stderr
    assert _case_count(conn) == before


def test_bad_thumbnails_and_unknown_tags_are_refused_and_change_nothing(db, conn) -> None:  # noqa: ANN001
    photo = scene_picture(5, "far")
    with sign_in(db, "dhm_field") as t:
        wf = Workflow(t)
        _person, grids, _ = _terminal(conn)
        gid = conn.execute("SELECT id FROM cc.grid WHERE code = %s", (grids[0],)).fetchone()[0]
        conn.commit()
        lon, lat = point_in_grid(t, grids[0])
        case_id = wf.report("patrol", "010201", "测试 photos", lon, lat, grid_id=gid)
        photos, events = _attachments(conn, case_id), event_count(conn)
        big = encode_png(480, 360, [bytes(480 * 3)] * 360)        # a "thumbnail" the size of a photo
        cases = [
            (BadAttachment, dict(thumbnail=b"\x89PNG\r\n\x1a\n" + b"\0" * 40)),        # forged: no IHDR
            (BadAttachment, dict(thumbnail=b"\xff\xd8\xff\xe0" + b"\0" * 60)),         # forged: no frame header
            (BadAttachment, dict(thumbnail=b"GIF89a" + b"\0" * 60)),                   # not JPEG or PNG
            (BadAttachment, dict(thumbnail=b"\xff\xd8\xff" + b"\0" * 70_000)),         # over thumbnail_bytes
            (BadAttachment, dict(thumbnail=big)),                                     # over 240 pixels a side
            (InvalidArgument, dict(view="wide", thumbnail=photo.thumbnail)),
            (InvalidArgument, dict(stage="during", thumbnail=photo.thumbnail)),
        ]
        for error, kwargs in cases:
            with pytest.raises(error):
                wf.add_attachment(case_id, "p.png", photo.content, **kwargs)
        assert _attachments(conn, case_id) == photos and event_count(conn) == events
        ok = wf.add_attachment(case_id, "p.png", photo.content, view="far", stage="before", thumbnail=photo.thumbnail)
        row = conn.execute("SELECT view, stage, thumbnail_mime FROM cc.attachment WHERE id = %s", (ok,)).fetchone()
        conn.commit()
        assert row == ("far", "before", "image/png")
        # a database CHECK too, should a function ever forget: no other tag is storable
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute("UPDATE cc.attachment SET view = 'wide' WHERE id = %s", (ok,))
        conn.rollback()


def test_the_wall_cannot_add_photos(db, conn) -> None:  # noqa: ANN001
    case_id, _v = new_case_in(conn, "filed")
    pic = scene_picture(3)
    before = _attachments(conn, case_id)
    with sign_in(db, "wall") as w:
        with pytest.raises(PermissionRefused):
            Workflow(w).add_attachment(case_id, "x.png", pic.content, view="far", thumbnail=pic.thumbnail)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            w.execute("INSERT INTO cc.attachment (case_id, street_id, filename, mime, size_bytes, sha256, content, "
                      "uploaded_by, uploaded_at) SELECT id, street_id, 'x.png', 'image/png', 1, '', '', 'wall', now() "
                      'FROM cc."case" WHERE id = %s', (case_id,))
    assert _attachments(conn, case_id) == before


def test_a_field_report_reaches_another_console_with_two_thumbnails(qtbot, db, conn, tmp_path) -> None:  # noqa: ANN001
    from commandcenter.ui.detail import CaseDetailView, PhotoDialog
    from commandcenter.ui.main_window import HallWindow

    _person, grids, _ = _terminal(conn)
    console = make_conninfo(db.dsn, user="dhm_supervisor", password=PASSWORD["dhm_supervisor"])
    with hall_session(console) as session:
        w = HallWindow(session, restore_last=False)
        qtbot.addWidget(w)
        w.show()
        settle(qtbot, session)
        a, b = _photos(tmp_path)
        out = _cli("--dsn", db.dsn, "field", "report", "--grid", grids[0], "--category", "010201",
                   "--photo", f"{a}:far:before", "--photo", f"{b}:near:before")
        assert out.returncode == 0, out.stderr
        case_id = conn.execute('SELECT max(id) FROM cc."case"').fetchone()[0]
        conn.commit()
        qtbot.waitUntil(lambda: case_id in session.live.rows, timeout=10_000)     # the change feed
        detail: CaseDetailView = w.detail
        detail.show_case(case_id)
        qtbot.waitUntil(lambda: detail.detail is not None and detail.detail.case["id"] == case_id
                        and len(detail.photo_buttons) == 2, timeout=10_000)
        assert all("content" not in att for att in detail.detail.attachments)   # thumbnails only, not the photos
        buttons = detail.photo_buttons
        assert all(not btn.icon().isNull() for btn in buttons)
        assert [btn.text() for btn in buttons] == ["Far view · Before handling", "Close-up · Before handling"]
        buttons[1].click()
        dlg = detail.photo_dialog
        assert isinstance(dlg, PhotoDialog)
        qtbot.waitUntil(lambda: dlg.loaded, timeout=10_000)                      # read on the worker
        pix = dlg.image.pixmap()
        assert (pix.width(), pix.height()) == (480, 360)
        dlg.close()
        w.close()


def test_the_simulators_photos_are_valid_pngs_with_thumbnails(conn) -> None:  # noqa: ANN001
    events = event_count(conn)
    sim = Simulator(conn, seed=9, report_share=1.0, photo_share=1.0)
    for _ in range(30):
        sim.step()
    assert event_count(conn) == events + sim.stats.actions           # every photo is one 'attach' event
    rows = conn.execute("SELECT a.view, a.stage, a.content, a.thumbnail, a.thumbnail_mime FROM cc.attachment a "
                        "JOIN cc.case_event e ON e.case_id = a.case_id AND e.action = 'report' "
                        "WHERE e.id > %s ORDER BY a.id", (events,)).fetchall()
    conn.commit()
    assert sim.stats.by_action.get("attach", 0) == len(rows) >= 2
    assert {r[0] for r in rows} == {"far", "near"} and {r[1] for r in rows} == {"before"}
    for _view, _stage, content, thumb, mime in rows:
        content, thumb = bytes(content), bytes(thumb)
        assert png_size(content) == (480, 360) and png_size(thumb) == (240, 180) and mime == "image/png"
        _check_png(content)
        _check_png(thumb)
        assert make_thumbnail(content) is not None        # Qt reads it too


def test_the_png_encoder_writes_what_a_decoder_reads() -> None:
    rows = [bytes([10 * y, 20, 30]) for y in range(3)]
    png = encode_png(1, 3, rows)
    assert png_size(png) == (1, 3)
    _check_png(png)
    with pytest.raises(ValueError):
        encode_png(2, 2, [b"\0" * 6])


# ---------------------------------------------------------------- helpers

def _attachments(conn: psycopg.Connection, case_id: int) -> int:
    n = conn.execute("SELECT count(*) FROM cc.attachment WHERE case_id = %s", (case_id,)).fetchone()[0]
    conn.commit()
    return int(n)


def _check_png(data: bytes) -> None:
    """Every chunk's CRC holds and the image data inflates to the rows the header says."""
    w, h = png_size(data) or (0, 0)
    pos, idat = 8, b""
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        assert struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])[0] == zlib.crc32(kind + body) & 0xFFFFFFFF
        if kind == b"IDAT":
            idat += body
        pos += 12 + n
        if kind == b"IEND":
            break
    assert pos == len(data) and len(zlib.decompress(idat)) == h * (1 + 3 * w)


def _jpeg_size(data: bytes) -> tuple[int, int]:
    pos = 2
    while pos < len(data):
        marker, n = data[pos + 1], struct.unpack(">H", data[pos + 2:pos + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            h, w = struct.unpack(">HH", data[pos + 5:pos + 9])
            return w, h
        pos += 2 + n
    raise AssertionError("no frame header")
