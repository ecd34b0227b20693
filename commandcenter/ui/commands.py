"""The hall's commands, registered once: every workflow action and every view command with its
key. The command palette (Ctrl+K) and the F1 list are both built from this registry, so they
cannot disagree, and both speak the interface language.

Every command is searchable in Chinese, in pinyin (whole or by initials) and in English,
whatever the interface language: the workflow actions carry both names from the database, the
view commands take their Chinese from the shipped translation. Whether an action can run now
is not decided here: it is what the database answered for the selected case
(cc.allowed_actions, read by the case detail)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QTranslator

from ..domain.search import SearchIndex, entry
from ..paths import resources_dir

#: the view commands: id, key, English source text (translated in context "Commands")
VIEW_COMMANDS: tuple[tuple[str, str, str], ...] = tuple((cid, key, str(text)) for cid, key, text in (
    ("palette", "Ctrl+K", QT_TRANSLATE_NOOP("Commands", "Command palette")),
    ("keys", "F1", QT_TRANSLATE_NOOP("Commands", "Keyboard shortcuts")),
    ("take_call", "Ctrl+N", QT_TRANSLATE_NOOP("Commands", "Take a call")),
    ("search", "Ctrl+F", QT_TRANSLATE_NOOP("Commands", "Search the board")),
    ("view_board", "Ctrl+1", QT_TRANSLATE_NOOP("Commands", "Go to the live case board")),
    ("view_detail", "Ctrl+2", QT_TRANSLATE_NOOP("Commands", "Go to the case detail")),
    ("view_map", "Ctrl+3", QT_TRANSLATE_NOOP("Commands", "Go to the grid map")),
    ("view_staffing", "Ctrl+4", QT_TRANSLATE_NOOP("Commands", "Go to staffing")),
    ("view_kpi", "Ctrl+5", QT_TRANSLATE_NOOP("Commands", "Go to the key figures")),
    ("view_grid", "Ctrl+6", QT_TRANSLATE_NOOP("Commands", "Go to the grid card")),
    ("view_callbacks", "Ctrl+7", QT_TRANSLATE_NOOP("Commands", "Go to the callbacks")),
    ("view_evaluation", "Ctrl+E", QT_TRANSLATE_NOOP("Commands", "Open the evaluation")),
    ("full_screen", "F11", QT_TRANSLATE_NOOP("Commands", "Full screen (the view or window in front)")),
    ("handover", "Ctrl+Shift+J", QT_TRANSLATE_NOOP("Commands", "Shift handover")),
    ("sign_out", "Ctrl+Shift+L", QT_TRANSLATE_NOOP("Commands", "Hand over and sign out")),
    ("quit", "Ctrl+Q", QT_TRANSLATE_NOOP("Commands", "Quit (offers the shift handover first)")),
))


@lru_cache(maxsize=1)
def _chinese() -> QTranslator | None:
    """The shipped Chinese translation, read once: view commands are found by their Chinese
    names also in the English interface (a bilingual hall has operators of both)."""
    t = QTranslator()
    return t if t.load(str(resources_dir() / "translations" / "commandcenter_zh_CN.qm")) else None


def chinese(context: str, source: str) -> str:
    """The Chinese of one of our strings, whatever language the interface is in."""
    t = _chinese()
    return (t.translate(context, source) if t is not None else "") or source


@dataclass
class Command:
    """One thing the operator can do by key or from the palette."""
    id: str                        # "view_board", "action.dispatch", …
    kind: str                      # "view" | "action"
    key: str                       # portable key text, as QKeySequence reads it
    title: str                     # in the interface language
    name_zh: str
    name_en: str
    run: Callable[[], object]
    #: can it run now? An action: the database allows it on the selected case (cc.allowed_actions)
    available: Callable[[], bool] = field(default=lambda: True)


class CommandRegistry:
    """The hall's commands in the order the F1 list shows them: views first, then actions."""

    def __init__(self) -> None:
        self.commands: list[Command] = []
        self._index: SearchIndex | None = None

    def add(self, command: Command) -> Command:
        self.commands.append(command)
        self._index = None
        return command

    def get(self, command_id: str) -> Command | None:
        return next((c for c in self.commands if c.id == command_id), None)

    def find(self, text: str) -> list[Command]:
        """Every command for an empty text; else the matches, best first."""
        if not "".join(text.split()):
            return list(self.commands)
        if self._index is None:            # at the first search, not at the hall's start (pinyin is slow)
            # the key is searchable too ("f3" finds dispatch); pinyin of the Chinese name, by initials as well
            self._index = SearchIndex(entry(c.kind, c.id, c.name_zh, c.name_en, (c.key, c.title))
                                      for c in self.commands)
        by_id = {c.id: c for c in self.commands}
        return [by_id[str(e.key)] for e in self._index.find(text, limit=len(self.commands))]

    def lines(self) -> list[str]:
        """The F1 list: each key and what it does, in the interface language."""
        return [f"{c.key:>16}   {c.title}" for c in self.commands]


def view_title(source: str) -> str:
    """A view command's title in the interface language."""
    return QCoreApplication.translate("Commands", source)
