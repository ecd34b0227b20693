"""Case detail: every field, photos, the timeline from the event table, and the actions the
case's state allows, as read from the database (cc.allowed_actions)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain.cases import deadline_level, now_utc
from ..store import queries
from .actions import SHORTCUTS, ActionRunner, Outcome
from .board_model import countdown
from .flow_layout import FlowLayout
from .live import LiveData
from .plain import plain_label, plain_tooltip
from .selection import Selection
from .theme import DEADLINE_COLOURS, STATE_COLOURS, URGENCY_COLOURS
from .worker import DbWorker


class CaseDetailView(QWidget):
    def __init__(self, live: LiveData, worker: DbWorker, selection: Selection, runner: ActionRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("case-detail")
        self.live = live
        self.worker = worker
        self.selection = selection
        self.runner = runner
        self.detail: queries.CaseDetail | None = None
        self.case_id: int | None = None

        self.title = plain_label(QLabel(self.tr("Select a case on the board or the map")))
        self.title.setProperty("role", "title")
        self.title.setWordWrap(True)
        self.badges = QLabel()
        self.banner = plain_label(QLabel())
        self.banner.setObjectName("detail-banner")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.hide()
        self.actions_box = FlowLayout(spacing=4)     # buttons wrap on a narrow dock, never cut
        self.action_buttons: dict[str, QPushButton] = {}
        self._actions_signature: tuple = ()

        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.fields: dict[str, QLabel] = {}
        for key, label in (("category", self.tr("Category")), ("source", self.tr("Source")),
                           ("place", self.tr("Location")), ("address", self.tr("Address")),
                           ("tier", self.tr("Tier")), ("assignee", self.tr("Assignee")),
                           ("reported", self.tr("Reported")), ("deadline", self.tr("Deadline")),
                           ("reporter", self.tr("Reporter")), ("counts", self.tr("Urged / escalated / rework")),
                           ("satisfaction", self.tr("Satisfaction")), ("description", self.tr("Description"))):
            v = plain_label(QLabel("—"))
            v.setWordWrap(True)
            v.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = v
            self.form.addRow(label, v)
        self.photos = FlowLayout(spacing=6)           # up to 20 photos a case: they wrap, never scroll away
        self.photos_label = QLabel(self.tr("No photos"))
        self.photos_label.setProperty("role", "muted")
        self.photos.addWidget(self.photos_label)
        self.photo_buttons: list[QToolButton] = []
        self.photo_dialog: PhotoDialog | None = None

        self.timeline = QTreeWidget()
        self.timeline.setObjectName("timeline")
        self.timeline.setHeaderLabels([self.tr("Time"), self.tr("Who"), self.tr("Action"), self.tr("State"),
                                       self.tr("Note")])
        self.timeline.setRootIsDecorated(False)
        self.timeline.setUniformRowHeights(True)
        self.timeline.header().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for i, w in enumerate((120, 90, 110, 140)):
            self.timeline.setColumnWidth(i, w)

        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(6, 6, 6, 6)
        tl.addWidget(self.title)
        tl.addWidget(self.badges)
        tl.addWidget(self.banner)
        tl.addLayout(self.actions_box)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        tl.addWidget(line)
        tl.addLayout(self.form)
        tl.addLayout(self.photos)
        tl.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(top)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(scroll)
        split.addWidget(self.timeline)
        split.setSizes([360, 240])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(split)

        selection.case_selected.connect(self.show_case)
        live.events_applied.connect(self._events)
        live.state_changed.connect(lambda st: self.set_online(st.live))
        runner.done.connect(self._outcomes)
        self.online = True
        self.keys_on_buttons = True      # False while the hall holds the keys (the detail floated)

    # ------------------------------------------------------------ loading
    def show_case(self, case_id: int) -> None:
        if case_id != self.case_id:
            self.banner.hide()
        self.case_id = case_id
        self.reload()

    def reload(self) -> None:
        if self.case_id is None:
            return
        cid = self.case_id
        self.worker.submit(lambda conn: queries.case_detail(conn, cid), self._loaded, self._failed, key="detail")

    def _events(self, events: list) -> None:
        if self.case_id is not None and any(e.case_id == self.case_id for e in events):
            self.reload()

    def _failed(self, exc: Exception) -> None:
        self.show_message(str(exc), error=True)

    def _loaded(self, detail: queries.CaseDetail | None) -> None:
        d = self.live.display
        if detail is None:
            self.title.setText(self.tr("This case is not visible to you"))
            return
        if detail.case["id"] != self.case_id:
            return
        self.detail = detail
        c = detail.case
        ref = self.live.reference
        self.title.setText(f"{c['code']}  {c['title']}")
        state_colour = STATE_COLOURS.get(c["state"], "#888")
        urg = c["urgency"]
        level = deadline_level(self.live.rows.get(c["id"]) or _RowLike(c), now_utc())
        deadline_html = ""
        if level:
            deadline_html = (f" <span style='background:{DEADLINE_COLOURS[level]}; color:#0b1220; padding:2px 6px;'>"
                             f"&nbsp;{countdown(_RowLike(c), now_utc())}&nbsp;</span>")
        self.badges.setText(
            f"<span style='background:{state_colour}; color:#0b1220; padding:2px 6px;'>&nbsp;"
            f"{d.named(ref.states.get(c['state']))}&nbsp;</span> "
            f"<span style='color:{URGENCY_COLOURS.get(urg, '#ccc')}; font-weight:bold;'>"
            f"{d.named(ref.urgencies.get(urg))}</span>{deadline_html}{self._watch_html(c)}")
        f = self.fields
        f["category"].setText(d.pick(c["item_name"], c["item_name_en"]))
        f["source"].setText(d.named(ref.sources.get(c["source"])))
        f["place"].setText(f"{d.pick(c['street_name'], c['street_name_en'])} / {d.place(c['community_name'])} / "
                           f"{d.place(c['grid_name'])}")
        f["address"].setText(c["address"] or "—")
        f["tier"].setText(d.named(ref.tiers.get(c["tier"])))
        f["assignee"].setText(d.assignee(c["assignee_person_name"], c["assignee_unit_name"], ref.units_en) or "—")
        f["reported"].setText(d.stamp(c["reported_at"]))
        f["deadline"].setText(d.stamp(c["deadline"]) + self._limit_text(c))
        reporter = c["reporter_person_name"] or c["reporter_name"] or "—"
        if c.get("reporter_phone"):
            reporter += f"  {c['reporter_phone']}"
        f["reporter"].setText(reporter)
        f["counts"].setText(f"{c['urge_count']} / {c['escalation_count']} / {c['rework_count']}")
        f["satisfaction"].setText("★" * c["satisfaction"] if c["satisfaction"] else "—")
        f["description"].setText(c["description"] or "—")
        self._show_photos(detail.attachments)
        self._show_timeline(detail.timeline)
        self._show_actions(detail.actions)

    def _limit_text(self, c: dict[str, Any]) -> str:
        """The time limit of the step the case is in, and how it is counted (立案结案标准): a
        continuous clock (紧急工作时: nights and holidays count), working hours or working days."""
        if c.get("limit_amount") is None or c.get("deadline") is None:
            return ""
        units = {"minutes": self.tr("min, continuous clock"), "hours": self.tr("h, continuous clock"),
                 "work_hours": self.tr("working hours"), "work_days": self.tr("working days")}
        amount = f"{float(c['limit_amount']):g}"
        return f"  ({amount} {units.get(c['limit_unit'], c['limit_unit'])})"

    def _watch_html(self, c: dict[str, Any]) -> str:
        """Badges for the watch on the case: supervision (level, reply due or answered), hold
        (review date), extensions (asked, granted)."""
        d = self.live.display
        ref = self.live.reference
        parts = []
        if c.get("supervision_level"):
            level = d.named(ref.supervision_levels.get(c["supervision_level"]))
            if c.get("supervision_replied_at"):
                state, colour = self.tr("answered"), "#22c55e"
            else:
                late = c["supervision_reply_due"] is not None and c["supervision_reply_due"] < now_utc()
                state = self.tr("reply due %1").replace("%1", d.stamp(c["supervision_reply_due"], "%m-%d %H:%M"))
                colour = "#ef4444" if late else "#f59e0b"
            parts.append((f"{level} · {state}", colour))
        if c.get("suspension_review_on"):
            parts.append((self.tr("On hold · review %1").replace("%1", c["suspension_review_on"].isoformat()),
                          "#94a3b8"))
        if c.get("extension_pending"):
            parts.append((self.tr("Extension awaiting decision"), "#f59e0b"))
        elif c.get("extension_count"):
            parts.append((self.tr("Extended %1×").replace("%1", str(c["extension_count"])), "#60a5fa"))
        return "".join(f" <span style='background:{colour}; color:#0b1220; padding:2px 6px;'>&nbsp;{text}&nbsp;</span>"
                       for text, colour in parts)

    def _show_photos(self, attachments: list[dict[str, Any]]) -> None:
        """Every photo at a glance: its thumbnail (stored beside it, made once at upload) with
        its tags; a click opens the full photo, read from the database on the worker."""
        d = self.live.display
        while self.photos.count() > 1:
            item = self.photos.takeAt(1)
            w = item.widget() if item is not None else None
            if w is not None:
                w.deleteLater()
        self.photo_buttons = []
        self.photos_label.setText(self.tr("No photos") if not attachments else self.tr("Photos:"))
        for a in attachments:
            b = QToolButton()
            b.setObjectName("photo-thumb")
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            b.setAutoRaise(True)
            b.setText(self.photo_tags(a) or a["filename"][:16])
            b.setToolTip(plain_tooltip(f"{a['filename']} · {a['uploaded_by']} · {d.stamp(a['uploaded_at'])}"))
            pix = QPixmap()
            if a.get("thumbnail") is not None and pix.loadFromData(bytes(a["thumbnail"])):
                pix = pix.scaled(THUMB_SHOWN[0], THUMB_SHOWN[1], Qt.AspectRatioMode.KeepAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
                b.setIcon(QIcon(pix))
                b.setIconSize(pix.size())
            b.clicked.connect(lambda _=False, att=dict(a): self.open_photo(att))
            self.photo_buttons.append(b)
            self.photos.addWidget(b)

    def photo_tags(self, a: dict[str, Any]) -> str:
        names = {"far": self.tr("Far view"), "near": self.tr("Close-up"),
                 "before": self.tr("Before handling"), "after": self.tr("After handling")}
        return " · ".join(names[t] for t in (a.get("view"), a.get("stage")) if t in names)

    def open_photo(self, attachment: dict[str, Any]) -> PhotoDialog:
        dlg = PhotoDialog(self.worker, attachment, self.photo_tags(attachment), self)
        self.photo_dialog = dlg
        dlg.open()
        return dlg

    def _show_timeline(self, events: list[dict[str, Any]]) -> None:
        d = self.live.display
        ref = self.live.reference
        self.timeline.clear()
        items = []
        for e in events:
            frm = d.named(ref.states.get(e["from_state"])) if e["from_state"] else ""
            to = d.named(ref.states.get(e["to_state"]))
            action = d.pick(e["action_name"], e["action_name_en"]) or e["action"]
            # who: the person acting (spelled in English), else the console login; the server's
            # own administrator (the demo builder, an import from the command line) as the system
            who = (d.person(e["actor_person"]) if e["actor_person"]
                   else self.tr("System") if e["actor_is_system"] else e["actor"])
            item = QTreeWidgetItem([d.stamp(e["at"]), who, action, f"{frm} → {to}" if frm else to, e["note"]])
            item.setToolTip(1, plain_tooltip(e["actor"]))
            item.setToolTip(4, plain_tooltip(e["note"]))
            items.append(item)
        self.timeline.addTopLevelItems(items)
        if items:
            self.timeline.scrollToItem(items[-1])

    def _show_actions(self, actions: list[dict[str, Any]]) -> None:
        """The buttons are kept while the case's actions stay the same, so a key pressed while
        a late event reloads the case still finds its button; when they change, the old
        buttons give up their keys at once (two live buttons with one key would both be
        ambiguous and neither would fire)."""
        d = self.live.display
        signature = (d.lang, tuple(tuple(sorted(a.items())) for a in actions))
        if signature == self._actions_signature and self.action_buttons:
            return
        self._actions_signature = signature
        while self.actions_box.count():
            item = self.actions_box.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                if isinstance(w, QPushButton):
                    w.setShortcut(QKeySequence())
                w.hide()
                w.deleteLater()
        self.action_buttons.clear()
        for a in actions:
            label = d.pick(a["name"], a["name_en"])
            key = SHORTCUTS.get(a["action"])
            b = QPushButton(f"{label}  {key}" if key else label)     # the key is on the button
            b.setObjectName(f"action-{a['action']}")
            if key:
                if self.keys_on_buttons:
                    b.setShortcut(QKeySequence(key))
                b.setToolTip(f"{label}  ({key})")
            if a["action"] in ("dispatch", "verify_pass"):
                b.setProperty("primary", True)
            b.setProperty("permitted", bool(a["permitted"]))
            b.setEnabled(bool(a["permitted"]) and self.online)
            if not a["permitted"]:
                b.setToolTip(self.tr("Your role may not do this"))
            b.clicked.connect(lambda _=False, act=dict(a, label=label): self.trigger(act))
            self.action_buttons[a["action"]] = b
            self.actions_box.addWidget(b)
            b.show()        # at once: the layout would show it only on the next turn of the event loop,
            #                 and a hidden button's key does not fire (a key pressed in between was lost)

    def set_keys_on_buttons(self, on: bool) -> None:
        """Whether the buttons carry their keys (the hall's window holds them otherwise)."""
        self.keys_on_buttons = on
        for code, b in self.action_buttons.items():
            key = SHORTCUTS.get(code)
            b.setShortcut(QKeySequence(key) if on and key else QKeySequence())

    def set_online(self, online: bool) -> None:
        """While the link is down the detail stays readable and the actions wait: an action
        now could not reach the database anyway, and the view may be stale."""
        self.online = online
        for b in self.action_buttons.values():
            b.setEnabled(online and bool(b.property("permitted")))
            if not online:
                b.setToolTip(self.tr("No connection to the database: actions resume when it is back"))

    # ------------------------------------------------------------ acting
    def allows(self, action: str) -> bool:
        """Whether the database allows this login the action on the case shown now, as
        cc.allowed_actions answered when the case was loaded (and the link is up)."""
        if self.detail is None or not self.online:
            return False
        return any(a["action"] == action and a["permitted"] for a in self.detail.actions)

    def focus_target(self) -> QWidget:
        """Where Ctrl+2 puts the keys: the first action the case allows, else its timeline."""
        for b in self.action_buttons.values():
            if b.isEnabled() and b.isVisible():
                return b
        return self.timeline

    def trigger(self, action: dict[str, Any] | str, all_selected: bool = False) -> None:
        """Run an action on the case shown; with `all_selected` (the palette) on every selected
        case that includes it — the database refuses, case by case, those it does not allow."""
        d = self.live.display
        if isinstance(action, str):
            match = [a for a in (self.detail.actions if self.detail else []) if a["action"] == action]
            if not match:
                return
            action = dict(match[0], label=d.pick(match[0]["name"], match[0]["name_en"]))
        cases = [self._case_ref(self.detail.case)] if self.detail else []
        ids = self.selection.case_ids
        many = all_selected or action["action"] in ("dispatch", "redispatch")
        if many and len(ids) > 1 and self.case_id in ids:
            rows = [self.live.rows[i] for i in ids if i in self.live.rows]
            cases = [{"id": r.id, "code": r.code, "version": r.version} for r in rows]
        if cases:
            self.runner.start(action, cases)

    @staticmethod
    def _case_ref(c: dict[str, Any]) -> dict[str, Any]:
        return {"id": c["id"], "code": c["code"], "version": c["version"]}

    def _outcomes(self, outcomes: list[Outcome]) -> None:
        refused = [o for o in outcomes if not o.ok]
        done = [o for o in outcomes if o.ok]
        if refused:
            lines = [f"{o.code}: {o.message}" for o in refused]
            head = self.tr("Refused by the database:") if not done else \
                self.tr("%1 done, %2 refused:").replace("%1", str(len(done))).replace("%2", str(len(refused)))
            self.show_message(head + "\n" + "\n".join(lines), error=True)
        elif done:
            self.show_message(self.tr("Done: %1").replace("%1", ", ".join(o.code for o in done)), error=False)
        self.reload()    # the view follows the database, whatever happened

    def show_message(self, text: str, error: bool) -> None:
        self.banner.setProperty("role", "banner-error" if error else "banner-ok")
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        self.banner.setText(text)
        self.banner.show()


class _RowLike:
    """Adapts a detail dict to what deadline_level / countdown read."""

    def __init__(self, c: dict[str, Any]) -> None:
        self.is_open = c["is_open"]
        self.deadline = c["deadline"]
        self.warn_at = c["warn_at"]



#: how large a thumbnail shows in the detail (the stored one fits 240 × 240)
THUMB_SHOWN = (120, 90)


class PhotoDialog(QDialog):
    """One photo full size: its bytes are read on the worker thread, never on the GUI thread."""

    def __init__(self, worker: DbWorker, attachment: dict[str, Any], tags: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("photo-dialog")
        self.attachment_id = int(attachment["id"])
        self.setWindowTitle(f"{attachment['filename']}  {tags}".strip())
        self.image = QLabel(self.tr("Loading the photo…"))
        self.image.setObjectName("photo-full")
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setMinimumSize(320, 240)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.image)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(plain_label(QLabel(tags)) if tags else QLabel())
        lay.addWidget(scroll, 1)
        lay.addWidget(buttons)
        self.resize(900, 700)
        self.loaded = False
        aid = self.attachment_id
        worker.submit(lambda conn: queries.attachment_content(conn, aid), self._loaded, self._failed,
                      receiver=self)

    def _loaded(self, content: bytes | None) -> None:
        pix = QPixmap()
        if content is None or not pix.loadFromData(content):
            self.image.setText(self.tr("This photo cannot be shown"))
            return
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        w, h = (screen.width() - 80, screen.height() - 160) if screen is not None else (1600, 1000)
        if pix.width() > w or pix.height() > h:
            pix = pix.scaled(w, h, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        self.image.setPixmap(pix)
        self.loaded = True

    def _failed(self, exc: Exception) -> None:
        self.image.setText(self.tr("The photo could not be read: %1").replace("%1", str(exc)))
