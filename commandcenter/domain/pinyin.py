"""The one door to pypinyin: every name the app spells in pinyin is spelled here.

Importing pypinyin unmarshals a phrase table of some 400,000 entries and trains a segmenter on
it: 0.2–0.35 s, a sixth of a later start, for a district whose names (streets, grids, staff,
categories) are the same from one start to the next. So each spelling is kept, and the kept
spellings are written to a cache file at the end of a session and read at the start of the
next: a start that meets only known names never imports pypinyin. A spelling read from the
file is exactly what pypinyin gave for that text, with these readings, in an earlier process
with the same pypinyin files (the file is keyed by them), so nothing a user sees can differ.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import marshal
import os
import threading
from pathlib import Path
from types import ModuleType
from typing import Any

# Beijing place names that pypinyin reads otherwise (朝阳门 as zhāo, "morning sun"), loaded into
# its phrase table before any pinyin is made, so that typing "cym" finds 朝阳门 and sorting puts
# it among the c's.
PLACE_READINGS = {
    "朝阳门": [["cháo"], ["yáng"], ["mén"]],
    "朝内": [["cháo"], ["nèi"]],
    "大栅栏": [["dà"], ["shí"], ["làr"]],
}

FORMAT = 2
SEP = "\x1f"                             # between syllables in a kept spelling (no name holds it)
#: more spellings than this are kept in memory but not written (a city has ~30,000 grid names)
MAX_SAVED = 300_000

NORMAL, U, FIRST = "n", "u", "f"        # lazy_pinyin(text); … v_to_u=True; … style=FIRST_LETTER

_lock = threading.Lock()
_library: ModuleType | None = None
# kind + text → the syllables joined by SEP: one string an entry, not a tuple of strings (a
# city's 30,000 grid names in three spellings took 30 MB as tuples)
_spelled: dict[str, str] = {}
_loaded = 0                              # how many of them came from the file


def library() -> ModuleType:
    """pypinyin with the Beijing readings loaded, imported on first need by one thread only
    (two threads importing one module at once can leave one a half-made module)."""
    global _library
    with _lock:
        if _library is None:
            import pypinyin
            pypinyin.load_phrases_dict(PLACE_READINGS)
            _library = pypinyin
        return _library


def warm_in_background() -> None:
    """Import pypinyin on a thread of its own, if no name has needed it yet: a view calls this
    once it is up, so that the first name never met before (a new member of staff, a search
    typed) costs a lookup, not a stall of the GUI thread while 58 MB of tables load."""
    if _library is None:
        threading.Thread(target=library, name="cc-pinyin", daemon=True).start()


def _spell(kind: str, text: str) -> tuple[str, ...]:
    key = kind + text
    got = _spelled.get(key)
    if got is None:
        lib = library()
        if kind == NORMAL:
            spelled = lib.lazy_pinyin(text)
        elif kind == U:
            spelled = lib.lazy_pinyin(text, v_to_u=True)
        else:
            spelled = lib.lazy_pinyin(text, style=lib.Style.FIRST_LETTER)
        if any(SEP in s or not s for s in spelled):   # not kept: it could not be split back the same
            return tuple(spelled)
        got = _spelled[key] = SEP.join(spelled)
    return tuple(got.split(SEP)) if got else ()


def syllables(text: str) -> tuple[str, ...]:
    """`lazy_pinyin(text)`: toneless syllables, ü as v (吕 lv); other text as it stands."""
    return _spell(NORMAL, text)


def syllables_u(text: str) -> tuple[str, ...]:
    """`lazy_pinyin(text, v_to_u=True)`: as written for people in English (吕 lü)."""
    return _spell(U, text)


def first_letters(text: str) -> tuple[str, ...]:
    """`lazy_pinyin(text, style=FIRST_LETTER)`: each syllable's first letter."""
    return _spell(FIRST, text)


def fingerprint() -> str:
    """What a spelling depends on besides its text: pypinyin's files and our readings. Read
    from the files' sizes and times, without importing pypinyin."""
    h = hashlib.sha256(repr((FORMAT, sorted(PLACE_READINGS.items()))).encode())
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or spec.origin is None:
        return ""
    folder = Path(spec.origin).parent
    for name in ("__init__.py", "constants.py", "core.py", "pinyin_dict.py", "phrases_dict.py"):
        try:
            st = (folder / name).stat()
        except OSError:
            return ""
        h.update(f"{folder}|{name}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()


def load(path: Path) -> int:
    """Take the spellings kept in `path` by an earlier session; a missing, foreign, stale or
    damaged file is ignored (the names are then spelled afresh). Returns how many were taken."""
    global _loaded
    try:
        data: Any = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return 0
    if not (isinstance(data, tuple) and len(data) == 2 and data[0] == fingerprint() and data[0]
            and isinstance(data[1], dict)):
        return 0
    taken = 0
    for key, value in data[1].items():
        if isinstance(key, str) and key[:1] in (NORMAL, U, FIRST) and isinstance(value, str):
            _spelled.setdefault(key, value)
            taken += 1
    _loaded = len(_spelled)
    return taken


def save(path: Path) -> bool:
    """Keep this process's spellings for the next session, if it made any new ones. Written
    whole to a temporary file and renamed over the old one, so a reader (another hall on the
    same account) sees the old file or the new one, never half of one. A cache that cannot be
    written is left: the next start spells afresh."""
    global _loaded
    spelled = dict(_spelled)             # a copy: other threads may spell while this writes
    if len(spelled) <= _loaded or len(spelled) > MAX_SAVED:
        return False
    key = fingerprint()
    if not key:
        return False
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(marshal.dumps((key, spelled)))
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        return False
    _loaded = len(spelled)
    return True
