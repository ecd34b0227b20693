"""The selection every view shares: a case chosen on the board, the map or the wall is the
case the detail shows; a grid clicked on the map is the grid the card and staffing show."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class Selection(QObject):
    case_selected = Signal(int)
    cases_selected = Signal(list)     # multi-select on the board (for batch dispatch)
    grid_selected = Signal(int)
    street_selected = Signal(int)
    point_picked = Signal(float, float)   # lon, lat (GCJ-02) of a click on a map: where a call is about

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.case_id: int | None = None
        self.case_ids: list[int] = []
        self.grid_id: int | None = None

    def select_case(self, case_id: int) -> None:
        if case_id != self.case_id:
            self.case_id = case_id
            self.case_selected.emit(case_id)

    def select_cases(self, ids: list[int]) -> None:
        self.case_ids = list(ids)
        self.cases_selected.emit(self.case_ids)

    def pick_point(self, lon: float, lat: float) -> None:
        self.point_picked.emit(lon, lat)

    def select_grid(self, grid_id: int) -> None:
        self.grid_id = grid_id
        self.grid_selected.emit(grid_id)
