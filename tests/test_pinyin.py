"""The spellings kept between sessions (domain.pinyin): a later start spells the names it met
before without importing pypinyin, and what it spells is exactly what pypinyin gives."""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from commandcenter.domain import pinyin

#: polyphones in names and places (长, 重, 单, 朝阳门 by our reading), ü (吕, 女), mixed text
TEXTS = ["东华门街道", "朝阳门", "朝内南小街", "长安街", "重庆饭店", "单雪", "吕娜", "女子学校", "曾伟",
         "永定社区第2网格", "V3楼 B座", "Öl 100号", "", "　", "大栅栏", "欧阳明", "交道口"]


def _python(code: str, cache: Path) -> dict:
    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_later_process_spells_kept_names_exactly_and_without_pypinyin(tmp_path: Path) -> None:
    texts = json.dumps(TEXTS, ensure_ascii=False)
    spell = f"""
        import json, sys
        from commandcenter.domain import pinyin
        from commandcenter.paths import spelling_cache
        TEXTS = json.loads({texts!r})
        def spelled():
            return [[list(f(t)) for f in (pinyin.syllables, pinyin.syllables_u, pinyin.first_letters)] for t in TEXTS]
        """
    first = _python(spell + """
        got = spelled()
        print(json.dumps({"saved": pinyin.save(spelling_cache()), "again": pinyin.save(spelling_cache())}))
        """, tmp_path)
    assert first == {"saved": True, "again": False}        # nothing new the second time: not rewritten
    later = _python(spell + """
        taken = pinyin.load(spelling_cache())
        kept = spelled()
        imported = "pypinyin" in sys.modules
        pinyin.syllables("新来的网格员")                    # a name never met: pypinyin now
        lib = pinyin.library()
        direct = [[lib.lazy_pinyin(t), lib.lazy_pinyin(t, v_to_u=True),
                   lib.lazy_pinyin(t, style=lib.Style.FIRST_LETTER)] for t in TEXTS]
        print(json.dumps({"taken": taken, "imported_before_a_new_name": imported, "kept": kept,
                          "direct": direct, "imported_after": "pypinyin" in sys.modules}))
        """, tmp_path)
    assert later["taken"] == 3 * len(TEXTS)
    assert later["imported_before_a_new_name"] is False
    assert later["imported_after"] is True
    assert later["kept"] == later["direct"]
    by_text = dict(zip(TEXTS, later["kept"]))
    assert by_text["朝阳门"][0] == ["chao", "yang", "men"]             # our reading, not pypinyin's zhao
    assert by_text["吕娜"][1] == ["lü", "na"] and by_text["吕娜"][0] == ["lv", "na"]


def test_the_hall_and_wall_views_import_no_pypinyin() -> None:
    code = ("import sys, commandcenter.cli, commandcenter.ui.app, commandcenter.ui.main_window, commandcenter.ui.wall, "
            "commandcenter.ui.session, commandcenter.domain.search, commandcenter.domain.display; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pypinyin'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("content", [
    b"",
    b"\x00garbage\xff" * 10,
    marshal.dumps(("another fingerprint", {"n东华门": "x"})),
    marshal.dumps(["not", "a", "tuple"]),
    "truncated",
])
def test_a_damaged_or_foreign_cache_is_ignored(tmp_path: Path, content: bytes | str) -> None:
    path = tmp_path / "pinyin-spellings.bin"
    if content == "truncated":
        content = marshal.dumps((pinyin.fingerprint(), {f"n名{i}": f"ming{pinyin.SEP}{i}" for i in range(500)}))[:-700]
    assert isinstance(content, bytes)
    path.write_bytes(content)
    assert pinyin.load(path) == 0
    assert pinyin.syllables("东华门") == ("dong", "hua", "men")


def test_entries_of_the_wrong_shape_are_not_taken(tmp_path: Path) -> None:
    path = tmp_path / "pinyin-spellings.bin"
    path.write_bytes(marshal.dumps((pinyin.fingerprint(), {
        "n未见过的字甲": "wei", "x乙": "y", 3: "z", "n丙": ["list"], "n丁": 1, ("n", "戊"): "a"})))
    assert pinyin.load(path) == 1
    assert pinyin.syllables("未见过的字甲") == ("wei",)      # taken as kept: the file is trusted for its own key


def test_the_fingerprint_follows_the_readings(monkeypatch: pytest.MonkeyPatch) -> None:
    before = pinyin.fingerprint()
    assert before
    monkeypatch.setattr(pinyin, "PLACE_READINGS", {**pinyin.PLACE_READINGS, "长安": [["cháng"], ["ān"]]})
    assert pinyin.fingerprint() != before


def test_a_cache_that_cannot_be_written_is_left(tmp_path: Path) -> None:
    pinyin.syllables(f"写不了的缓存{os.getpid()}")           # something new to save
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    assert pinyin.save(blocked / "pinyin-spellings.bin") is False
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_later_hall_start_spells_from_what_the_first_kept(db, tmp_path: Path) -> None:  # noqa: ANN001
    """The hall keeps its spellings at the end and the next start reads them: `-X importtime`
    lists every module a process imports, and the second start's list has no pypinyin."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CACHE_HOME=str(tmp_path))

    def start(*flags: str) -> subprocess.CompletedProcess:
        done = subprocess.run([sys.executable, *flags, "-m", "commandcenter", "--dsn", db.dsn, "--lang", "en",
                               "--ready-exit"], env=env, capture_output=True, text=True, timeout=180)
        assert done.returncode == 0 and "ready" in done.stdout, done.stderr[-3000:]
        return done

    first = start("-X", "importtime")
    assert " pypinyin\n" in first.stderr                  # the first start spelled with pypinyin …
    assert (tmp_path / "commandcenter" / "pinyin-spellings.bin").is_file()     # … and kept what it spelled
    later = start("-X", "importtime")
    assert "pypinyin" not in later.stderr


def test_warming_loads_pypinyin_off_the_calling_thread_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    threads: list[str] = []
    done = threading.Event()

    def load() -> None:
        threads.append(threading.current_thread().name)
        done.set()

    monkeypatch.setattr(pinyin, "library", load)
    monkeypatch.setattr(pinyin, "_library", None)
    pinyin.warm_in_background()
    assert done.wait(10)
    assert threads == ["cc-pinyin"]
    monkeypatch.setattr(pinyin, "_library", object())       # loaded: nothing more to do
    pinyin.warm_in_background()
    assert threads == ["cc-pinyin"]
