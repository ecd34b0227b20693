"""The evaluation panel's tables as Qt models: the ranking of one level (rank and score first,
then every measure with its unit; sorted in the model) and the cases behind a count. Thin
adapters over `evaluation_data`: they format, they do not compute."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from ..domain.collation import collation_key
from ..domain.display import Display
from ..domain.reference import Reference
from .evaluation_data import EvaluationData, Measure, default_order, format_value, number, sorted_rows, unit_suffix
from .theme import ACCENT

RAW_ROLE = Qt.ItemDataRole.UserRole + 1        # the value as read (numbers unformatted)
ID_ROLE = Qt.ItemDataRole.UserRole + 2         # the row's scope id / the case's id
MEASURE_ROLE = Qt.ItemDataRole.UserRole + 3    # the column's measure code, when it is a count with cases
FIXED = ("rank", "name", "score")

Index = QModelIndex | QPersistentModelIndex


class RankingModel(QAbstractTableModel):
    """One row per street, community, grid, department, unit or person of the level shown."""

    def __init__(self, display: Display, parent: Any = None) -> None:  # noqa: ANN401 - a QObject
        super().__init__(parent)
        self.display = display
        self.rows: list[dict[str, Any]] = []
        self.measures: list[Measure] = []
        self.listing: str | None = None
        self._sort: tuple[str, bool] | None = None      # column key, descending

    # ------------------------------------------------------------ contents
    @property
    def keys(self) -> list[str]:
        return [*FIXED, *(m.code for m in self.measures)]

    def show_data(self, data: EvaluationData) -> None:
        """New data: in place (dataChanged) when it is the same rows and columns reloaded after
        events — the selection and the scroll stay; otherwise a new table."""
        measures = data.shown_measures()
        rows = data.rows
        same = (data.listing == self.listing and [m.code for m in measures] == [m.code for m in self.measures]
                and sorted(r["id"] for r in rows) == sorted(r["id"] for r in self.rows))
        if same and self.rows:
            by_id = {r["id"]: r for r in rows}
            self.rows = [by_id[r["id"]] for r in self.rows]
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.keys) - 1))
            if self._sort is not None:
                self._resort(announce=True)
            return
        self.beginResetModel()
        self.listing = data.listing
        self.measures = measures
        self.rows = sorted_rows(rows, *self._sort) if self._sort and self._sort[0] != "name" else list(rows)
        self.endResetModel()

    def measure_at(self, column: int) -> Measure | None:
        i = column - len(FIXED)
        return self.measures[i] if 0 <= i < len(self.measures) else None

    def header_labels(self) -> list[str]:
        return [str(self.headerData(c, Qt.Orientation.Horizontal)) for c in range(self.columnCount())]

    def raw_table(self) -> list[list[Any]]:
        """The rows as shown, values as read (for CSV): rank blank below the minimum."""
        out = []
        for row in self.rows:
            line: list[Any] = [row.get("rank"), self.display.pick(row.get("name"), row.get("name_en")),
                               number(row.get("score"))]
            line += [number(row.get(m.code)) for m in self.measures]
            out.append(line)
        return out

    # ------------------------------------------------------------ Qt
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.keys)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: ANN401
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.keys):
            return None
        m = self.measure_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if m is None:
                return {"rank": self.tr("Rank"), "name": self.tr("Name"), "score": self.tr("Score")}[self.keys[section]]
            suffix = unit_suffix(m.unit, self.display.english).strip()
            return self.display.pick(m.name, m.name_en) + (f" ({suffix})" if suffix else "")
        if role == Qt.ItemDataRole.ToolTipRole and m is not None:
            return m.description_en if self.display.english and m.description_en else (m.description or m.description_en)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: ANN401
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        key = self.keys[index.column()]
        m = self.measure_at(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "rank":
                return "" if row.get("rank") is None else str(row["rank"])
            if key == "name":
                return self.display.pick(row.get("name"), row.get("name_en"))
            if key == "score":
                return format_value(row.get("score"), "score", self.display.english)
            return format_value(row.get(key), m.unit if m else "count", self.display.english, in_table=True)
        if role == RAW_ROLE:
            return row.get(key) if key != "name" else self.display.pick(row.get("name"), row.get("name_en"))
        if role == ID_ROLE:
            return row.get("id")
        if role == MEASURE_ROLE:
            return m.code if m is not None and m.countable else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if key == "name":
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and m is not None and m.countable and row.get(key):
            return QColor(ACCENT)            # a count with cases behind it: click it
        if role == Qt.ItemDataRole.ToolTipRole and m is not None and m.countable and row.get(key):
            return self.tr("Click to list these cases")
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.keys):
            return
        self._sort = (self.keys[column], order == Qt.SortOrder.DescendingOrder)
        self._resort(announce=True)

    def reset_sort(self) -> None:
        self._sort = None
        self.layoutAboutToBeChanged.emit()
        self._move(default_order(self.rows))

    def _resort(self, announce: bool = False) -> None:
        assert self._sort is not None
        key, descending = self._sort
        if key == "name":
            ordered = sorted(self.rows, key=lambda r: collation_key(self.display.pick(r.get("name"), r.get("name_en")) or ""),
                             reverse=descending)
        else:
            ordered = sorted_rows(self.rows, key, descending)
        if announce:
            self.layoutAboutToBeChanged.emit()
            self._move(ordered)
        else:
            self.rows = ordered

    def _move(self, ordered: list[dict[str, Any]]) -> None:
        """Reorder and keep persistent indexes (a selected row stays selected)."""
        old = {id(r): i for i, r in enumerate(self.rows)}
        new_at = {old[id(r)]: i for i, r in enumerate(ordered)}
        persistent = self.persistentIndexList()
        self.rows = ordered
        self.changePersistentIndexList(
            persistent, [self.index(new_at[p.row()], p.column()) if p.row() in new_at else QModelIndex()
                         for p in persistent])
        self.layoutChanged.emit()


class CasesModel(QAbstractTableModel):
    """The cases behind one count, as cc.kpi_cases lists them; places named from the session's
    code tables. `adds` is shown when a case counts more than once (dispatched twice, say)."""
    COLUMNS = ("code", "title", "state", "street", "grid", "reported_at", "closed_at", "adds")

    def __init__(self, display: Display, reference: Reference, grid_names: dict[int, str],
                 parent: Any = None) -> None:  # noqa: ANN401 - a QObject
        super().__init__(parent)
        self.display = display
        self.reference = reference
        self.grid_names = grid_names
        self.rows: list[dict[str, Any]] = []
        self.columns: list[str] = []

    def show_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.columns = [c for c in self.COLUMNS if c != "adds" or any((r.get("adds") or 1) != 1 for r in rows)]
        self.endResetModel()

    def counted(self) -> int:
        """What the listed cases add up to: the count they are behind."""
        return sum(int(r.get("adds") or 1) for r in self.rows)

    def _titles(self) -> dict[str, str]:
        return {"code": self.tr("Case"), "title": self.tr("Title"), "state": self.tr("State"),
                "street": self.tr("Street"), "grid": self.tr("Grid"), "reported_at": self.tr("Reported"),
                "closed_at": self.tr("Closed"), "adds": self.tr("Counted")}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: ANN401
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.columns):
            return self._titles()[self.columns[section]]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: ANN401
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == ID_ROLE:
            return row.get("case_id", row.get("id"))
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        col = self.columns[index.column()]
        if col == "state":
            return self.display.named(self.reference.states.get(row.get("state") or "")) or row.get("state")
        if col == "street":
            return self.display.named(self.reference.streets.get(row.get("street_id") or 0))
        if col == "grid":
            return self.grid_names.get(row.get("grid_id") or 0, "")
        if col.endswith("_at"):
            v = row.get(col)
            return self.display.stamp(v) if v is not None else ""
        v = row.get(col)
        return "" if v is None else str(v)
