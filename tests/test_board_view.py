"""The board's model and delegate: a batch of changes tells the view about the right rows (held
until the batch ends, so a thousand changes are one repaint), and the delegate paints each cell
as its `Cell` says: the deadline's colour, the selection, an ellipsis where a name is cut."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from commandcenter.domain.cases import Snapshot
from commandcenter.ui.board_model import CASE_ID_ROLE, ROWS_SIGNALLED_ONE_BY_ONE, BoardModel
from commandcenter.ui.live import LiveData

from .test_display import _reference, _row

NOW = datetime.now(UTC)


def _rows(n: int):  # noqa: ANN202
    return [_row()._replace(id=i, code=f"C{i:05d}", reported_at=NOW - timedelta(minutes=10 * i),
                    deadline=NOW + timedelta(hours=1) if i % 2 else NOW - timedelta(minutes=5))
            for i in range(1, n + 1)]


def _model(n: int) -> tuple[LiveData, BoardModel]:
    live = LiveData("", _reference())
    model = BoardModel(live)
    live._on_snapshot(Snapshot(_rows(n), cursor=1))
    return live, model


def _signalled(model: BoardModel) -> list[tuple[int, int]]:
    got: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b, *_: got.append((a.row(), b.row())))
    return got


def test_a_change_held_to_the_end_of_its_batch_names_the_row_where_the_case_now_is(qapp) -> None:  # noqa: ANN001
    live, model = _model(5)
    got = _signalled(model)
    changed = live.rows[3]._replace(version=2, urge_count=1)          # same sort key: changes in place
    newer = [_row()._replace(id=100 + k, code=f"N{k}", reported_at=NOW + timedelta(minutes=k)) for k in range(2)]
    model.apply([changed, *newer], [live.rows[3], None, None])        # two new cases land above it
    assert len(got) == 1 and got[0][0] == got[0][1]
    assert model.data(model.index(got[0][0], 0), CASE_ID_ROLE) == 3


def test_a_batch_of_many_changes_is_one_signal_for_the_view(qapp) -> None:  # noqa: ANN001
    live, model = _model(200)
    got = _signalled(model)
    changes = [r._replace(version=2, urge_count=1) for r in list(live.rows.values())[:ROWS_SIGNALLED_ONE_BY_ONE + 5]]
    model.apply(changes, [live.rows[r.id] for r in changes])
    assert got == [(0, model.rowCount() - 1)]
    got.clear()
    model.apply([live.rows[7]._replace(version=3, urge_count=2)], [live.rows[7]])    # one change: its row only
    assert got == [(model.view_row_of(7), model.view_row_of(7))]


def test_the_delegate_paints_what_the_cell_says(qapp) -> None:  # noqa: ANN001
    from commandcenter.ui.board import BoardView
    from commandcenter.ui.board_delegate import BoardDelegate
    from commandcenter.ui.selection import Selection
    from commandcenter.ui.theme import DEADLINE_COLOURS

    live, model = _model(30)
    long_name = "东华门街道城市管理综合执法队第三分队值班组"
    live.rows[2] = live.rows[2]._replace(version=2, category_name=long_name)
    model.apply([live.rows[2]], [None])
    view = BoardView(model, Selection())
    view.resize(1300, 600)
    view.show()
    qapp.processEvents()
    table = view.table
    assert isinstance(table.itemDelegate(), BoardDelegate)
    deadline = model.columnCount() - 2
    overdue_row = next(r for r in range(model.rowCount()) if model.row(r).deadline < NOW)
    image = table.viewport().grab().toImage()
    rect = table.visualRect(model.index(overdue_row, deadline))
    assert model.cell(overdue_row, deadline).background == QColor(DEADLINE_COLOURS["red"])
    assert image.pixelColor(rect.left() + 2, rect.center().y()) == QColor(DEADLINE_COLOURS["red"])
    # the selection covers a cell's own colour, as Qt's delegate does
    table.selectRow(overdue_row)
    qapp.processEvents()
    image = table.viewport().grab().toImage()
    assert image.pixelColor(rect.left() + 2, rect.center().y()) != QColor(DEADLINE_COLOURS["red"])
    # a name wider than its column is cut with an ellipsis, never drawn over the next column
    delegate = table.itemDelegate()
    cut = [text for (name, _bold, _room), (_static, _w) in delegate._cut.items() if name == long_name
           for text in [_static.text()]]
    assert cut and all(t.endswith("…") and len(t) < len(long_name) for t in cut)
    view.close()


def test_the_model_serves_the_same_cell_to_qt_roles(qapp) -> None:  # noqa: ANN001
    live, model = _model(4)
    for r in range(model.rowCount()):
        for c in range(model.columnCount()):
            cell = model.cell(r, c)
            idx = model.index(r, c)
            assert model.data(idx) == cell.text
            fg = model.data(idx, Qt.ItemDataRole.ForegroundRole)
            assert (fg.color() if fg is not None else None) == cell.foreground
            assert (model.data(idx, Qt.ItemDataRole.FontRole) is not None) == cell.bold
    assert model.cell(model.rowCount(), 0) is None
