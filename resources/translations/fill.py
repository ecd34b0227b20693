"""Fill unfinished entries of the .ts from a table of (source → translation): for strings added
by a change, so the translation lives in review, not only in Qt Linguist's GUI.

    .venv/bin/python resources/translations/fill.py 'English=中文' ...
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

TS = Path(__file__).with_name("commandcenter_zh_CN.ts")


def fill(pairs: dict[str, str]) -> int:
    text = TS.read_text(encoding="utf-8")
    done = 0

    def one(m: re.Match[str]) -> str:
        nonlocal done
        source = html.unescape(m.group(1))
        if source not in pairs:
            return m.group(0)
        done += 1
        return (f"<source>{m.group(1)}</source>{m.group(2)}"
                f"<translation>{html.escape(pairs[source], quote=False)}</translation>")

    text = re.sub(r"<source>([^<]*)</source>(\s*(?:<(?:extra)?comment>[^<]*</(?:extra)?comment>\s*)*)<translation type=\"unfinished\"></translation>",
                  one, text, flags=re.S)
    TS.write_text(text, encoding="utf-8")
    return done


if __name__ == "__main__":
    table = dict(arg.split("=", 1) for arg in sys.argv[1:])
    print(f"filled {fill(table)} of {len(table)}")
