"""Every interface string has its Chinese translation, and the shipped .qm is current."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from commandcenter.paths import resources_dir

ROOT = Path(__file__).resolve().parent.parent
TS = resources_dir() / "translations" / "commandcenter_zh_CN.ts"


def _tool(name: str) -> str:
    exe = Path(sys.executable).parent / name
    return str(exe) if exe.exists() else (shutil.which(name) or name)


def test_every_source_string_is_translated(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    shutil.copy(TS, fresh)
    sources = sorted(str(p) for p in (ROOT / "commandcenter" / "ui").glob("*.py"))
    subprocess.run([_tool("pyside6-lupdate"), *sources, "-ts", str(fresh)], check=True, capture_output=True)
    unfinished = [m.findtext("source") for m in ET.parse(fresh).getroot().iter("message")
                  if m.find("translation").get("type") in ("unfinished",)]
    assert unfinished == [], f"untranslated (run lupdate and translate, see resources/translations/README.md): {unfinished}"


def test_the_compiled_qm_matches_the_ts(tmp_path: Path) -> None:
    qm = tmp_path / "check.qm"
    subprocess.run([_tool("pyside6-lrelease"), str(TS), "-qm", str(qm)], check=True, capture_output=True)
    assert qm.read_bytes() == (TS.parent / "commandcenter_zh_CN.qm").read_bytes(), "run pyside6-lrelease"


def test_a_database_refusal_reads_in_the_interface_language_with_its_detail(qapp) -> None:  # noqa: ANN001
    from commandcenter.store.errors import InvalidTransition
    from commandcenter.ui import i18n
    from commandcenter.ui.actions import refusal_text

    refused = InvalidTransition("CC001", '"派遣" (Dispatch) is not allowed for case X in state 已结案 / Closed',
                                "Allowed now: Evaluate")
    try:
        i18n.install(qapp, "zh_CN")
        text = refusal_text(refused)
        assert text.startswith("案件当前状态不允许此操作。")
        assert "数据库说明：" in text and "Allowed now: Evaluate" in text       # the database's words kept
        i18n.install(qapp, "en")
        assert refusal_text(refused).startswith("The case's current state does not allow this action.")
    finally:
        i18n.install(qapp, "en")
