"""The printable evaluation report (issue 13, item 8): A4 pages, a Chinese font embedded, the
text in the language asked — from data made here (no database) and from the seeded demo's
real measures. The PDF is read back by a small reader of what Qt's writer produces: page
objects, font dictionaries, and the text through each font's ToUnicode map."""

from __future__ import annotations

import re
import unicodedata
import zlib
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from commandcenter.domain import periods
from commandcenter.store.errors import CommandCenterError
from commandcenter.ui.evaluation_data import EvaluationData, Level, Measure, Scope, default_order, read_evaluation
from commandcenter.ui.report_pdf import cjk_family, print_period, write_report

BEIJING = ZoneInfo("Asia/Shanghai")


# ------------------------------------------------------------ reading a PDF back
class Pdf:
    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self.objects = {int(m.group(1)): m.group(2) for m in re.finditer(rb"(\d+) 0 obj(.*?)endobj", raw, re.S)}

    def stream(self, num: int) -> bytes:
        body = self.objects[num]
        start = body.index(b"stream") + len(b"stream")
        data = body[start:body.rindex(b"endstream")].lstrip(b"\r\n")
        return zlib.decompress(data) if b"FlateDecode" in body[:start] else data

    @property
    def pages(self) -> list[int]:
        kids = re.search(rb"/Type /Pages\s*/Kids\s*\[(.*?)\]", self.raw, re.S)
        assert kids is not None
        return [int(n) for n in re.findall(rb"(\d+) 0 R", kids.group(1))]

    def base_fonts(self) -> list[str]:
        return sorted({m.decode() for m in re.findall(rb"/BaseFont /([^\s/>]+)", self.raw)})

    def embedded(self) -> bool:
        return bool(re.search(rb"/FontFile[23]? \d+ 0 R", self.raw))

    def _to_unicode(self) -> dict[str, dict[int, str]]:
        """Font resource name → glyph code → text, from every font's ToUnicode CMap."""
        maps: dict[str, dict[int, str]] = {}
        for name, ref in re.findall(rb"/(F\d+) (\d+) 0 R", self.raw):
            font = self.objects[int(ref)]
            tu = re.search(rb"/ToUnicode (\d+) 0 R", font)
            if tu is None:
                continue
            cmap = self.stream(int(tu.group(1))).decode("latin-1")
            table: dict[int, str] = {}
            for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
                for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[.*?\]|<[0-9A-Fa-f]+>)", block,
                                              re.S):
                    lo_i, hi_i = int(lo, 16), int(hi, 16)
                    if dst.startswith("["):
                        for i, d in enumerate(re.findall(r"<([0-9A-Fa-f]+)>", dst)):
                            table[lo_i + i] = bytes.fromhex(d).decode("utf-16-be")
                    else:
                        first = int(dst[1:-1], 16)
                        for i in range(hi_i - lo_i + 1):
                            table[lo_i + i] = chr(first + i)
            for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
                for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                    table[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be")
            maps[name.decode()] = table
        return maps

    def text(self, page: int) -> str:
        """The glyphs drawn on a page in drawing order, spaces and radicals folded (NFKC, no
        whitespace): Qt's map may name a CJK glyph by its Kangxi radical (⾄ for 至)."""
        maps = self._to_unicode()
        contents = re.search(rb"/Contents (\d+) 0 R", self.objects[self.pages[page]])
        assert contents is not None
        out, font = [], ""
        for tok in re.finditer(rb"/(F\d+) [\d.]+ Tf|<([0-9A-Fa-f]*)> Tj", self.stream(int(contents.group(1)))):
            if tok.group(1):
                font = tok.group(1).decode()
            else:
                hexes = tok.group(2).decode()
                out += [maps.get(font, {}).get(int(hexes[i:i + 4], 16), "?") for i in range(0, len(hexes), 4)]
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", "".join(out)))

    def all_text(self) -> str:
        return "".join(self.text(i) for i in range(len(self.pages)))


def _flat(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


# ------------------------------------------------------------ data made here
STREETS = [("东华门街道", "Donghuamen Street"), ("景山街道", "Jingshan Street"), ("交道口街道", "Jiaodaokou Street"),
           ("安定门街道", "Andingmen Street"), ("北新桥街道", "Beixinqiao Street"), ("东四街道", "Dongsi Street"),
           ("朝阳门街道", "Chaoyangmen Street"), ("建国门街道", "Jianguomen Street"), ("东直门街道", "Dongzhimen Street"),
           ("和平里街道", "Hepingli Street"), ("前门街道", "Qianmen Street"), ("崇文门外街道", "Chongwenmenwai Street"),
           ("东花市街道", "Donghuashi Street"), ("龙潭街道", "Longtan Street"), ("体育馆路街道", "Tiyuguanlu Street"),
           ("天坛街道", "Tiantan Street"), ("永定门外街道", "Yongdingmenwai Street")]
MEASURES = [Measure("filed", "立案数", "Filed", "count", 1, "", "file events in the period"),
            Measure("due", "应结案数", "Due", "count", 2, "", "closed in the period + open_overdue"),
            Measure("closed", "结案数", "Closed", "count", 3, "", "cases closed in the period"),
            Measure("closure_rate", "结案率", "Closure rate", "percent", 4, "", "closed / due"),
            Measure("on_time_closure_rate", "按期结案率", "On-time closure rate", "percent", 5, "", "closed / due"),
            Measure("handling_hours_median", "处置用时中位数", "Handling time, median", "hours", 6, "", "hours"),
            Measure("satisfaction_avg", "回访满意度", "Callback satisfaction", "score", 7, "", "mean 1–5")]


def _made_data(rows_per_street: int = 1) -> EvaluationData:
    now = datetime(2026, 11, 23, 8, 40, tzinfo=UTC)
    period = periods.half_year_of(date(2026, 11, 23), BEIJING)
    trend_from, _to, bucket = period.trend_range()
    rows = []
    for i, (zh, en) in enumerate(STREETS * rows_per_street):
        filed = 20 + 7 * i
        due, closed = filed - 2, filed - 5
        rows.append({"scope": "street", "id": i + 1, "name": zh, "name_en": en, "filed": filed, "due": due,
                     "closed": closed, "closure_rate": round(100 * closed / due, 1),
                     "on_time_closure_rate": round(80 * closed / due, 1), "handling_hours_median": 10.5 + i,
                     "satisfaction_avg": 4.2, "score": 90.0 - i, "rank": i + 1 if i < 15 else None})
    trend = [{"bucket_start": s, "filed": 30, "closed": 25, "closure_rate": 91.0, "on_time_closure_rate": 70.0}
             for s in periods.buckets(trend_from, now, bucket)]
    return EvaluationData(period=period, until=now, scope=Scope.root(Level("district", None, "东城区", "Dongcheng")),
                          measures=MEASURES, figures={"filed": 1234, "due": 1100, "closed": 1000, "closure_rate": 90.9,
                                                      "on_time_closure_rate": 75.8},
                          rows=default_order(rows), trend=trend, trend_from=trend_from, bucket=bucket, read_at=now,
                          district=("东城区", "Dongcheng District"))


def test_a_chinese_report_embeds_a_chinese_font_and_reads_in_chinese(qapp, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "zh.pdf"
    pages = write_report(_made_data(rows_per_street=3), out, "zh_CN")
    pdf = Pdf(out.read_bytes())
    assert pages == len(pdf.pages) >= 2
    family = cjk_family().replace(" ", "").lower()
    assert any(f.lower().startswith(family) for f in pdf.base_fonts()), pdf.base_fonts()
    assert pdf.embedded()
    first, text = pdf.text(0), pdf.all_text()
    assert first.startswith("东城区考核评价报告")
    assert "考核期间:2026年下半年,2026-07-01–2026-12-31" in first       # NFKC folds the full-width ：，
    for words in ("主要指标", "按周趋势", "排名:街道", "结案率", "按期结案率", "1,234", "90.9%", "永定门外街道",
                  "指标说明", "结案数/应结案数", "案件数未达最低要求的不参加排名。"):
        assert _flat(words) in text, words
    assert f"第{pages}页/共{pages}页" in pdf.text(pages - 1)
    assert "Evaluation" not in text and "Street" not in text
    # English-only definitions are left out of a Chinese report; formulas of measures kept
    assert "fileevents" not in text


def test_an_english_report_reads_in_english(qapp, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "en.pdf"
    pages = write_report(_made_data(), out, "en")
    pdf = Pdf(out.read_bytes())
    assert pages == len(pdf.pages)
    text = pdf.all_text()
    assert pdf.text(0).startswith(_flat("Evaluation report — Dongcheng District"))
    for words in ("Period: Second half of 2026, 2026-07-01 – 2026-12-31", "Scope: Dongcheng",
                  "Key figures", "Trend by week", "Ranking: Streets", "Closure rate (%)", "Yongdingmenwai Street",
                  "What the measures mean", "file events in the period", "Closed / Due", f"Page {pages} of {pages}"):
        assert _flat(words) in text, words
    assert "街道" not in text and "考核" not in text
    assert pdf.embedded()


def test_every_street_and_measure_of_the_demo_is_in_the_report(qapp, conn, tmp_path: Path) -> None:  # noqa: ANN001
    period = periods.half_year_of(date(2026, 11, 1), BEIJING)
    data = read_evaluation(conn, period, Scope.root(Level("district", None, "东城区", "Dongcheng")))
    conn.commit()
    assert len(data.rows) == 17 and data.figures["filed"] > 0
    for lang, name in (("zh_CN", "name"), ("en", "name_en")):
        out = tmp_path / f"demo-{lang}.pdf"
        pages = write_report(data, out, lang)
        pdf = Pdf(out.read_bytes())
        assert pages == len(pdf.pages) >= 2
        text = pdf.all_text()
        assert all(_flat(r[name]) in text for r in data.rows)
        shown = data.shown_measures()
        assert {m.code for m in shown} >= {"filed", "due", "closed", "closure_rate", "on_time_closure_rate"}
        assert all(_flat(m.name if lang == "zh_CN" else m.name_en) in text for m in shown)
        assert f"{data.figures['filed']:,}" in text


def test_an_unknown_language_is_refused(qapp, tmp_path: Path) -> None:  # noqa: ANN001
    with pytest.raises(ValueError, match="zh_CN or en"):
        write_report(_made_data(), tmp_path / "x.pdf", "fr")


def test_a_report_of_calendar_days_names_its_period_and_reads_a_street(qapp, conn, tmp_path: Path) -> None:  # noqa: ANN001
    assert periods.from_days(date(2026, 7, 1), date(2026, 12, 31), BEIJING).kind == "half_year"
    assert periods.from_days(date(2026, 11, 1), date(2026, 11, 30), BEIJING).kind == "month"
    assert periods.from_days(date(2026, 11, 1), date(2026, 11, 29), BEIJING).kind == "custom"
    street_id, name = conn.execute("SELECT id, name FROM cc.street ORDER BY code LIMIT 1").fetchone()
    communities = [r[0] for r in conn.execute("SELECT name FROM cc.community WHERE street_id = %s", (street_id,))]
    conn.commit()
    out = tmp_path / "street.pdf"
    pages = print_period(conn, date(2026, 7, 1), date(2026, 12, 31), out, "zh_CN", street_id=street_id)
    text = Pdf(out.read_bytes()).all_text()
    assert pages >= 1 and _flat(f"考核范围:{name}") in text and "2026年下半年" in text
    assert "排名:社区" in text and any(_flat(c) in text for c in communities)
    with pytest.raises(CommandCenterError, match="before the first"):
        print_period(conn, date(2026, 7, 2), date(2026, 7, 1), out, "en")
