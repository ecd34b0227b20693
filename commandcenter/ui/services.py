"""便民服务: the nearest open providers of a service item for a place, and a caller's request
to one of them. Used by the call-taking form (the caller's place) and the grid card (the grid's
centre). Which providers are open, what they offer, the walk and every refusal are the
database's (cc.nearest_providers, cc.request_service)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..store import services
from .actions import refusal_text
from .live import LiveData
from .plain import plain_label
from .theme import MUTED
from .worker import DbWorker

PROVIDER_ROLE = Qt.ItemDataRole.UserRole

#: who calls and what they said, when the panel places a request: (name, phone, note)
CallerSource = Callable[[], tuple[str | None, str | None, str]]


class ServicesPanel(QWidget):
    """`caller`: where a request's caller comes from (the call-taking form); `caller_fields`:
    the panel asks for the caller itself (the grid card of an operator). Neither: a list only."""
    requested = Signal(int)           # the new service case

    def __init__(self, live: LiveData, worker: DbWorker, caller: CallerSource | None = None,
                 parent: QWidget | None = None, caller_fields: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("services-panel")
        self.live = live
        self.worker = worker
        self.point: tuple[float, float] | None = None
        self.busy = False
        d = live.display
        ref = live.reference
        self.item_box = QComboBox()
        self.item_box.setObjectName("service-item")
        self._items = [(code, f"{d.named(ref.service_categories.get(category))} · {d.named(named)}")
                       for code, (named, category, _case_item) in ref.service_items.items()]
        for code, text in self._items:
            self.item_box.addItem(text, code)
        self.providers = QTreeWidget()
        self.providers.setObjectName("service-providers")
        self.providers.setHeaderLabels([self.tr("Provider"), self.tr("Walk"), self.tr("Open until"), self.tr("Phone"),
                                        self.tr("Address")])
        self.providers.setRootIsDecorated(False)
        for column, width in enumerate((190, 70, 76, 110)):
            self.providers.setColumnWidth(column, width)
        self.note = plain_label(QLabel())
        self.note.setObjectName("services-note")
        self.note.setWordWrap(True)
        self.caller_row: QWidget | None = None
        if caller is None and caller_fields:
            self.caller_row = self._caller_fields(ref.limits)
            caller = self._typed_caller
        self.caller = caller
        self.request_button = QPushButton(self.tr("Order from the chosen provider"))
        self.request_button.setObjectName("service-request")
        self.request_button.setVisible(caller is not None)
        self.request_button.clicked.connect(self.request)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Service")))
        top.addWidget(self.item_box, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(top)
        lay.addWidget(self.providers, 1)
        lay.addWidget(self.note)
        if self.caller_row is not None:
            lay.addWidget(self.caller_row)
        lay.addWidget(self.request_button)
        self.item_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.providers.itemSelectionChanged.connect(self._update_button)
        self._update_button()

    def _caller_fields(self, limits: dict[str, int]) -> QWidget:
        row = QWidget()
        self.caller_name = QLineEdit()
        self.caller_name.setObjectName("service-caller")
        self.caller_name.setPlaceholderText(self.tr("Caller"))
        self.caller_name.setMaxLength(limits.get("caller_name_chars", 50))
        self.caller_phone = QLineEdit()
        self.caller_phone.setObjectName("service-phone")
        self.caller_phone.setPlaceholderText(self.tr("Phone"))
        self.caller_phone.setMaxLength(limits.get("caller_phone_chars", 30))
        self.caller_note = QLineEdit()
        self.caller_note.setObjectName("service-note")
        self.caller_note.setPlaceholderText(self.tr("What the caller needs (optional)"))
        lay = QHBoxLayout(row)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.caller_name)
        lay.addWidget(self.caller_phone)
        lay.addWidget(self.caller_note, 2)
        return row

    def _typed_caller(self) -> tuple[str | None, str | None, str]:
        return (self.caller_name.text().strip() or None, self.caller_phone.text().strip() or None,
                self.caller_note.text().strip())

    def show_items(self, codes: list[str] | None) -> None:
        """Offer only these items (the call's category), or all of them (None)."""
        current = self.item_box.currentData()
        self.item_box.blockSignals(True)
        self.item_box.clear()
        for code, text in self._items:
            if codes is None or code in codes:
                self.item_box.addItem(text, code)
        self.item_box.setCurrentIndex(max(self.item_box.findData(current), 0))
        self.item_box.blockSignals(False)

    def set_place(self, lon: float, lat: float) -> None:
        self.point = (lon, lat)
        self.refresh()

    def refresh(self) -> None:
        if self.point is None:
            self.note.setText(self.tr("Choose the caller's place first"))
            return
        lon, lat = self.point
        item = self.item_box.currentData()
        # closed ones too, after the open ones: "nobody is open" is an answer an operator can give
        self.worker.submit(lambda conn: services.nearest_providers(conn, item, lon, lat, 6, open_only=False),
                           lambda rows: self._show(item, rows), self._failed, key=f"services-{id(self)}",
                           receiver=self)

    def _show(self, item: str, rows: list[dict[str, Any]]) -> None:
        if item != self.item_box.currentData():
            return
        self.providers.clear()
        closed = self.tr("closed now")
        for r in rows:
            tree_item = QTreeWidgetItem([r["name"], self.tr("%1 min").replace("%1", f"{r['walk_minutes']:.0f}"),
                                         r["open_until"] or closed, r["phone"], r["address"]])
            tree_item.setData(0, PROVIDER_ROLE, r["provider_id"])
            tree_item.setData(1, PROVIDER_ROLE, r["open_until"] is not None)
            tree_item.setToolTip(0, self.tr("%1 m in a straight line").replace("%1", f"{r['metres']:.0f}"))
            if r["open_until"] is None:
                for column in range(5):
                    tree_item.setForeground(column, QColor(MUTED))
            self.providers.addTopLevelItem(tree_item)
        first = self.providers.topLevelItem(0)
        if first is not None:
            self.providers.setCurrentItem(first)
        walk = self.live.reference.limits.get("service_walk_minutes", 15)
        open_rows = [r for r in rows if r["open_until"] is not None]
        near = sum(1 for r in open_rows if r["walk_minutes"] <= walk)
        self.note.setText(self.tr("%1 open now, nearest first; %2 within a %3-minute walk")
                          .replace("%1", str(len(open_rows))).replace("%2", str(near)).replace("%3", str(walk))
                          if open_rows else self.tr("No provider of this service is open now"))
        self._update_button()

    def _update_button(self) -> None:
        chosen = self.providers.currentItem()
        self.request_button.setEnabled(not self.busy and self.point is not None and chosen is not None
                                       and bool(chosen.data(1, PROVIDER_ROLE)))      # open now

    def request(self) -> None:
        chosen = self.providers.currentItem()
        if self.caller is None or self.busy or chosen is None or self.point is None:
            return
        provider = int(chosen.data(0, PROVIDER_ROLE))
        item = self.item_box.currentData()
        lon, lat = self.point
        name, phone, note = self.caller()
        self.busy = True
        self._update_button()
        self.worker.submit(lambda conn: services.request_service(conn, provider, item, lon, lat, name, phone, note),
                           self._requested, self._failed, retry=False, receiver=self)

    def _requested(self, case_id: int) -> None:
        self.busy = False
        self.note.setText(self.tr("Ordered: the case follows the provider until it reports the service done"))
        self._update_button()
        self.requested.emit(case_id)

    def _failed(self, exc: Exception) -> None:
        """Refused (closed meanwhile, another street, a bound): say why; nothing was kept."""
        self.busy = False
        self.note.setText(refusal_text(exc))
        self._update_button()
