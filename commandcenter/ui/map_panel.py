"""The map's side panel: layer toggles, fill and marker modes, the legend and the hover text.
It reports choices as signals; the map view applies them to the map state."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QVBoxLayout, QWidget

from ..domain.display import Display
from ..domain.mapstate import (
    DENSITY_BREAKS,
    FIGURE_FILLS,
    FILL_MODES,
    LAYERS,
    MARKER_MODES,
    NO_FIGURE,
    SPECIAL_BREAKS,
    VISIT_BREAKS,
    Legend,
    MapState,
    load_labels,
)
from ..domain.reference import Reference
from .map_style import fill_colour, marker_colour
from .plain import plain_label
from .theme import MUTED


class MapLegend(QLabel):
    """Fill classes, then marker colours, for the current modes. It exists without the panel
    too (the wall has none), so its text is always current."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("map-legend")
        self.setTextFormat(Qt.TextFormat.RichText)

    def show_legend(self, legend: Legend, ref: Reference, display: Display) -> None:
        mode = legend.fill_mode
        if mode == "load":
            labels = load_labels()
            fills = [self.tr("%1 open cases").replace("%1", labels[int(k)]) for k in legend.fill_keys]
        elif mode == "people":
            labels = load_labels(tuple(b // 1000 for b in DENSITY_BREAKS))
            fills = [self.tr("%1k residents per km²").replace("%1", labels[int(k)]) for k in legend.fill_keys]
        elif mode in FIGURE_FILLS:
            fills = [self._figure_text(mode, k) for k in legend.fill_keys]
        else:
            names = ref.grid_types if mode == "type" else ref.levels
            fills = [display.named(names.get(k)) for k in legend.fill_keys]
        marker_names = ref.states if legend.marker_mode == "state" else ref.urgencies
        html = "".join(f"<div><span style='color:{fill_colour(mode, k)}'>■</span> {t}</div>"
                       for k, t in zip(legend.fill_keys, fills))
        markers = self.tr("Markers")
        html += f"<div style='color:{MUTED}; margin-top:6px'>{markers}</div>"
        html += "".join(f"<div><span style='color:{marker_colour(legend.marker_mode, k)}'>●</span> "
                        f"{display.named(marker_names.get(k))}</div>" for k in legend.marker_keys)
        self.setText(html)

    def _figure_text(self, mode: str, key: str) -> str:
        if key == NO_FIGURE:
            return self.tr("no figure")
        if mode == "coverage":
            return self.tr("provider ≤ 15 min walk") if key == "covered" else self.tr("none within 15 min")
        if mode == "special":
            return self.tr("%1 people").replace("%1", load_labels(SPECIAL_BREAKS)[int(key)])
        return self.tr("%1 overdue visits").replace("%1", load_labels(VISIT_BREAKS)[int(key)])


class MapPanel(QWidget):
    layer_toggled = Signal(str, bool)
    fill_chosen = Signal(str)
    coverage_chosen = Signal(str)          # a service category for the coverage fill
    marker_mode_chosen = Signal(str)

    def __init__(self, state: MapState, legend: MapLegend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("map-layers")
        self.setFixedWidth(190)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        title = QLabel(self.tr("Layers"))
        title.setProperty("role", "title")
        lay.addWidget(title)
        names = {"district": self.tr("District outline"), "street": self.tr("Street outlines"),
                 "community": self.tr("Community outlines"), "grid": self.tr("Grid outlines"),
                 "labels": self.tr("Labels"), "markers": self.tr("Case markers"),
                 "staff": self.tr("Staff positions"), "density": self.tr("Case density")}
        self.toggles: dict[str, QCheckBox] = {}
        for key in LAYERS:
            cb = QCheckBox(names[key])
            cb.setObjectName(f"layer-{key}")
            cb.setChecked(state.layer_on(key))
            cb.toggled.connect(lambda v, k=key: self.layer_toggled.emit(k, v))
            lay.addWidget(cb)
            self.toggles[key] = cb
        lay.addWidget(QLabel(self.tr("Grid fill")))
        self.fill_box = QComboBox()
        self.fill_box.setObjectName("fill-mode")
        fills = {"load": self.tr("Open-case load"), "people": self.tr("Population density"),
                 "special": self.tr("Special populations"), "visits": self.tr("Overdue visits"),
                 "coverage": self.tr("Service coverage"), "type": self.tr("Grid type"),
                 "level": self.tr("Management level"), "none": self.tr("No fill")}
        for code in FILL_MODES:
            self.fill_box.addItem(fills[code], code)
        self.fill_box.currentIndexChanged.connect(lambda _i: self.fill_chosen.emit(self.fill_box.currentData()))
        lay.addWidget(self.fill_box)
        # the service category whose 15-minute coverage the coverage fill shows
        self.coverage_box = QComboBox()
        self.coverage_box.setObjectName("coverage-category")
        self.coverage_box.setToolTip(self.tr("Grids with no provider of this kind within a 15-minute walk"))
        self.coverage_box.currentIndexChanged.connect(
            lambda _i: self.coverage_chosen.emit(self.coverage_box.currentData()))
        self.coverage_box.setVisible(False)
        self.fill_chosen.connect(lambda mode: self.coverage_box.setVisible(mode == "coverage"))
        lay.addWidget(self.coverage_box)
        lay.addWidget(QLabel(self.tr("Markers by")))
        self.marker_box = QComboBox()
        self.marker_box.setObjectName("marker-mode")
        modes = {"state": self.tr("State"), "urgency": self.tr("Urgency")}
        for code in MARKER_MODES:
            self.marker_box.addItem(modes[code], code)
        self.marker_box.currentIndexChanged.connect(
            lambda _i: self.marker_mode_chosen.emit(self.marker_box.currentData()))
        lay.addWidget(self.marker_box)
        lay.addWidget(legend)
        lay.addStretch(1)
        self.hover_label = plain_label(QLabel())
        self.hover_label.setObjectName("map-hover")
        self.hover_label.setWordWrap(True)
        self.hover_label.setProperty("role", "muted")
        lay.addWidget(self.hover_label)
