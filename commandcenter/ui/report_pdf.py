"""The printable evaluation report (考核评价报告): one period and scope on A4 — title, period,
scope, key figures, the trend chart, the ranking with every measure, and what each measure
means (cc.measure.description) — written by Qt's QPdfWriter with a Chinese font embedded.

It takes data already read (`evaluation_data.EvaluationData`) and a language, so it runs the
same from the hall, from the command line and in tests without a database. The report's
language is its argument, not the session's: a Chinese report may be printed from an English
console, so its words are kept here in both languages rather than in the interface's
translator.

Layout is done once into pages of drawing steps, then painted, so every page knows how many
pages there are ("第 2 页 / 共 3 页")."""

from __future__ import annotations

import glob
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
    QRawFont,
)

from ..domain.display import Display
from ..domain.periods import Period, buckets, from_days
from ..store.errors import CommandCenterError
from .evaluation_data import (
    EvaluationData,
    Level,
    Measure,
    Scope,
    explain,
    format_value,
    has_chinese,
    number,
    read_evaluation,
    unit_suffix,
)

#: the report's words; English is the key, as in the interface's .ts files
WORDS: dict[str, str] = {
    "Evaluation report": "考核评价报告",
    "Period": "考核期间",
    "Scope": "考核范围",
    "read up to %1": "数据截至 %1",
    "Printed %1": "打印时间 %1",
    "Key figures": "主要指标",
    "Trend by day": "按日趋势",
    "Trend by week": "按周趋势",
    "Trend by month": "按月趋势",
    "Closure rate": "结案率",
    "On-time closure rate": "按期结案率",
    "Filed": "立案数",
    "Closed": "结案数",
    "Ranking: %1": "排名：%1",
    "Rank": "排名",
    "Score": "综合得分",
    "Name": "名称",
    "Rank is blank below the minimum number of cases.": "案件数未达最低要求的不参加排名。",
    "Nothing to rank in this period.": "本期间没有可排名的数据。",
    "What the measures mean": "指标说明",
    "Page %1 of %2": "第 %1 页 / 共 %2 页",
    "All departments": "各部门",
    "Streets": "街道",
    "Communities": "社区",
    "Grids": "网格",
    "Departments": "部门",
    "Units": "单位",
    "People": "人员",
    "Today": "今日",
    "This week": "本周",
    "This month": "本月",
    "First half of %1": "%1年上半年",
    "Second half of %1": "%1年下半年",
    "Custom": "自定义",
    "(columns %1 of %2)": "（第 %1 / %2 部分）",
    "no cases in this period": "本期间无案件",
}

LISTING_WORDS = {"street": "Streets", "community": "Communities", "grid": "Grids", "department": "Departments",
                 "unit": "Units", "person": "People"}
#: families tried first; then the font files fontconfig may not know of
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "WenQuanYi Micro Hei",
                "WenQuanYi Zen Hei", "Noto Serif CJK SC", "Microsoft YaHei", "PingFang SC", "SimHei")
CJK_FILES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/**/NotoSansCJK*.tt[cf]",
             "/usr/share/fonts/**/wqy-*.tt[cf]", "/usr/share/fonts/**/SourceHanSans*.[ot]t[cf]")

INK = QColor("#111827")
MUTED = QColor("#4b5563")
RULE = QColor("#9ca3af")
HEAD_BG = QColor("#e5ebf2")
ALT_BG = QColor("#f5f7fa")
RATE_COLOURS = ("#1d4ed8", "#059669")        # closure rate, on-time closure rate
COUNT_COLOURS = ("#94a3b8", "#5eead4")       # filed, closed


class Words:
    """The report's words in its language."""

    def __init__(self, lang: str) -> None:
        self.english = lang == "en"

    def __call__(self, text: str, *args: object) -> str:
        out = text if self.english else WORDS.get(text, text)
        for i, a in enumerate(args, 1):
            out = out.replace(f"%{i}", str(a))
        return out


def cjk_family() -> str:
    """A font family with Chinese glyphs that Qt can embed; made known to Qt from its file when
    fontconfig does not list it. Raises when the machine has none (the report would print boxes)."""
    families = set(QFontDatabase.families())
    for family in CJK_FAMILIES:
        if family in families:
            return family
    for pattern in CJK_FILES:
        for path in sorted(glob.glob(pattern, recursive=True)):
            fid = QFontDatabase.addApplicationFont(path)
            found = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
            if found:
                return next((f for f in found if f.endswith(" SC")), found[0])
    raise CommandCenterError("no font with Chinese characters is installed; install one (Debian: fonts-noto-cjk) "
                             "and write the report again")


def period_words(period: Period, say: Words) -> str:
    """The period's name: 2026年下半年, 本月, Second half of 2026…"""
    if period.kind == "half_year":
        return say("First half of %1" if period.half() == 1 else "Second half of %1", period.start.year)
    return say({"today": "Today", "week": "This week", "month": "This month"}.get(period.kind, "Custom"))


def level_name(level_scope: str, name: str, name_en: str, display: Display, say: Words) -> str:
    return say("All departments") if level_scope == "departments" else display.pick(name, name_en)


@dataclass
class _Page:
    steps: list[Callable[[QPainter], None]]


def report_font(family: str, pt: float, bold: bool = False) -> QFont:
    """The report's font. Its localized forms are off: in Latin text Noto Sans CJK swaps the
    digits for glyphs no character maps to, and Qt's PDF writer then leaves them out of the
    text layer (a copied "2026" read "????"). The SC face draws Chinese the same either way."""
    f = QFont(family)
    f.setPointSizeF(pt)
    f.setBold(bold)
    f.setFeature(QFont.Tag("locl"), 0)
    return f


class _Layout:
    """Places blocks top to bottom on pages of the printable area (in device pixels)."""

    def __init__(self, writer: QPdfWriter, family: str) -> None:
        self.writer = writer
        self.family = family
        self.dpmm = writer.resolution() / 25.4
        rect = writer.pageLayout().paintRectPixels(writer.resolution())
        self.width = float(rect.width())
        self.height = float(rect.height())
        self.footer = self.mm(8)
        self.pages: list[_Page] = [_Page([])]
        self.y = 0.0
        #: every character drawn: what the PDF's text layer must say (see _fix_text_layer)
        self.drawn: set[str] = set()

    def mm(self, v: float) -> float:
        return v * self.dpmm

    def font(self, pt: float, bold: bool = False) -> QFont:
        return report_font(self.family, pt, bold)

    def metrics(self, font: QFont) -> QFontMetricsF:
        return QFontMetricsF(font, self.writer)

    @property
    def room(self) -> float:
        return self.height - self.footer - self.y

    def new_page(self) -> None:
        self.pages.append(_Page([]))
        self.y = 0.0

    def need(self, height: float) -> None:
        """Start a new page unless `height` fits below (a block taller than a page starts at the top)."""
        if height > self.room and self.y > 0:
            self.new_page()

    def draw(self, step: Callable[[QPainter], None]) -> None:
        self.pages[-1].steps.append(step)

    def text_height(self, text: str, font: QFont, width: float, flags: int) -> float:
        return self.metrics(font).boundingRect(QRectF(0, 0, width, 1e6), flags, text).height()

    def text(self, text: str, font: QFont, x: float, y: float, w: float, h: float, flags: int,
             colour: QColor = INK) -> None:
        self.drawn.update(text)

        def step(p: QPainter) -> None:
            p.setFont(font)
            p.setPen(colour)
            p.drawText(QRectF(x, y, w, h), flags, text)
        self.draw(step)

    def paragraph(self, text: str, font: QFont, colour: QColor = INK, gap_after: float = 0.0) -> None:
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
        h = self.text_height(text, font, self.width, flags)
        self.need(h)
        self.text(text, font, 0, self.y, self.width, h + 1, flags, colour)
        self.y += h + gap_after


def _paint(writer: QPdfWriter, layout: _Layout, footer_left: str, say: Words) -> None:
    painter = QPainter()
    if not painter.begin(writer):
        raise CommandCenterError("could not start writing the PDF (is the folder writable?)")
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        total = len(layout.pages)
        small = layout.font(7.5)
        for n, page in enumerate(layout.pages, 1):
            if n > 1:
                writer.newPage()
            for step in page.steps:
                painter.save()
                step(painter)
                painter.restore()
            y = layout.height - layout.footer + layout.mm(2)
            painter.setPen(QPen(RULE, layout.mm(0.2)))
            painter.drawLine(QPointF(0, y), QPointF(layout.width, y))
            painter.setFont(small)
            painter.setPen(MUTED)
            box = QRectF(0, y + layout.mm(1), layout.width, layout.footer - layout.mm(3))
            painter.drawText(box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), footer_left)
            painter.drawText(box, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop),
                             say("Page %1 of %2", n, total))
    finally:
        painter.end()


# ------------------------------------------------------------ blocks
def _header(lay: _Layout, data: EvaluationData, display: Display, say: Words, printed: datetime) -> None:
    district = display.pick(*data.district) if any(data.district) else ""
    title = say("Evaluation report")
    if district:
        title = f"{title} — {district}" if say.english else f"{district}{title}"
    lay.paragraph(title, lay.font(18, bold=True), gap_after=lay.mm(3))
    p = data.period
    span = f"{p.first_day.isoformat()} – {p.last_day.isoformat()}"
    period = f"{say('Period')}：{period_words(p, say)}，{span}" if not say.english else \
        f"{say('Period')}: {period_words(p, say)}, {span}"
    if data.until < p.end:
        period += ("（" + say("read up to %1", display.stamp(data.until)) + "）") if not say.english else \
            f" ({say('read up to %1', display.stamp(data.until))})"
    path = " › ".join(level_name(lv.scope, lv.name, lv.name_en, display, say) for lv in data.scope.path)
    scope = f"{say('Scope')}：{path}" if not say.english else f"{say('Scope')}: {path}"
    body = lay.font(10)
    lay.paragraph(period, body, gap_after=lay.mm(1))
    lay.paragraph(scope, body, gap_after=lay.mm(1))
    lay.paragraph(say("Printed %1", display.stamp(printed)), lay.font(8), MUTED, gap_after=lay.mm(2))
    y = lay.y

    def rule(pt: QPainter) -> None:
        pt.setPen(QPen(INK, lay.mm(0.4)))
        pt.drawLine(QPointF(0, y), QPointF(lay.width, y))
    lay.draw(rule)
    lay.y += lay.mm(4)


def _heading(lay: _Layout, text: str, keep_with: float) -> None:
    font = lay.font(12, bold=True)
    h = lay.metrics(font).height() + lay.mm(2)
    lay.need(h + keep_with)
    lay.text(text, font, 0, lay.y, lay.width, h, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop))
    lay.y += h


def _key_figures(lay: _Layout, data: EvaluationData, display: Display, say: Words) -> None:
    shown = data.headline()
    if not shown:
        return
    per_row = 5
    gap = lay.mm(2)
    w = (lay.width - gap * (per_row - 1)) / per_row
    h = lay.mm(17)
    rows = (len(shown) + per_row - 1) // per_row
    _heading(lay, say("Key figures"), h)
    lay.need(rows * (h + gap))
    value_font, label_font = lay.font(15, bold=True), lay.font(7.5)
    for i, m in enumerate(shown):
        x, y = (i % per_row) * (w + gap), lay.y + (i // per_row) * (h + gap)
        value = format_value(data.figures.get(m.code), m.unit, say.english)
        label = display.pick(m.name, m.name_en)

        def tile(p: QPainter, x: float = x, y: float = y) -> None:
            p.setPen(QPen(RULE, lay.mm(0.2)))
            p.setBrush(ALT_BG)
            p.drawRoundedRect(QRectF(x, y, w, h), lay.mm(1), lay.mm(1))
        lay.draw(tile)
        lay.text(value, value_font, x, y + lay.mm(1.5), w, lay.mm(8), int(Qt.AlignmentFlag.AlignCenter))
        lay.text(label, label_font, x + lay.mm(1), y + lay.mm(9.5), w - lay.mm(2), lay.mm(7),
                 int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap), MUTED)
    lay.y += rows * (h + gap) + lay.mm(3)


def bucket_label(at: datetime, bucket: str) -> str:
    return at.strftime("%Y-%m") if bucket == "month" else at.strftime("%m-%d")


def _bucket_of(row: dict[str, Any]) -> datetime | None:
    for key in ("bucket", "bucket_start", "at", "start", "day"):
        v = row.get(key)
        if isinstance(v, datetime):
            return v
    return next((v for v in row.values() if isinstance(v, datetime)), None)


def trend_series(data: EvaluationData) -> tuple[list[datetime], dict[str, list[float | None]]]:
    """The trend on every bucket of its range (a bucket without cases has counts 0 and no
    rates), by the district's calendar: x positions for the chart and the panel alike."""
    zone = data.period.zone
    starts = buckets(data.trend_from, max(data.until, data.trend_from), data.bucket) or [data.trend_from]
    index = {s.date(): i for i, s in enumerate(starts)}
    series: dict[str, list[float | None]] = {
        "closure_rate": [None] * len(starts), "on_time_closure_rate": [None] * len(starts),
        "filed": [0.0] * len(starts), "closed": [0.0] * len(starts)}
    for row in data.trend:
        at = _bucket_of(row)
        if at is None:
            continue
        i = index.get(at.astimezone(zone).date())
        if i is None:
            continue
        for key, values in series.items():
            v = number(row.get(key))
            if v is not None:
                values[i] = float(v)
    return starts, series


def _trend(lay: _Layout, data: EvaluationData, say: Words) -> None:
    starts, series = trend_series(data)
    height = lay.mm(62)
    title = say({"day": "Trend by day", "week": "Trend by week"}.get(data.bucket, "Trend by month"))
    _heading(lay, title, height)
    top = lay.y
    legend_h = lay.mm(6)
    axis_w = lay.mm(11)
    plot = QRectF(axis_w, top + legend_h, lay.width - 2 * axis_w, height - legend_h - lay.mm(8))
    n = len(starts)
    slot = plot.width() / max(n, 1)
    counts_max = max([v or 0.0 for v in series["filed"] + series["closed"]] + [1.0])
    step_count = _nice_step(counts_max / 4)
    counts_top = step_count * 4 if step_count * 4 >= counts_max else step_count * 5
    small = lay.font(7)
    lay.drawn.update("0123456789,.%-" + "".join(bucket_label(s, data.bucket) for s in starts)
                     + say("Closure rate") + say("On-time closure rate") + say("Filed") + say("Closed")
                     + say("no cases in this period"))

    def x_of(i: int) -> float:
        return plot.left() + slot * (i + 0.5)

    def chart(p: QPainter) -> None:
        p.setFont(small)
        # axes and grid: rates 0–100 % on the left, counts on the right
        for k in range(5):
            y = plot.bottom() - plot.height() * k / 4
            p.setPen(QPen(QColor("#e5e7eb"), lay.mm(0.15)))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(MUTED)
            p.drawText(QRectF(0, y - lay.mm(2), axis_w - lay.mm(1), lay.mm(4)),
                       int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), f"{25 * k}%")
            p.drawText(QRectF(plot.right() + lay.mm(1), y - lay.mm(2), axis_w, lay.mm(4)),
                       int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                       f"{counts_top * k / 4:,.0f}")
        p.setPen(QPen(RULE, lay.mm(0.25)))
        p.drawRect(plot)
        # counts: two bars per bucket
        bar = slot * 0.35
        for j, key in enumerate(("filed", "closed")):
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(COUNT_COLOURS[j]))
            for i, v in enumerate(series[key]):
                hgt = plot.height() * (v or 0.0) / counts_top
                p.drawRect(QRectF(x_of(i) - bar + j * bar, plot.bottom() - hgt, bar * 0.95, hgt))
        # rates: lines with points, broken where a bucket had nothing due
        for j, key in enumerate(("closure_rate", "on_time_closure_rate")):
            pen = QPen(QColor(RATE_COLOURS[j]), lay.mm(0.5))
            p.setPen(pen)
            p.setBrush(QColor(RATE_COLOURS[j]))
            path = QPainterPath()
            drawing = False
            for i, v in enumerate(series[key]):
                if v is None:
                    drawing = False
                    continue
                pt = QPointF(x_of(i), plot.bottom() - plot.height() * min(max(v, 0.0), 100.0) / 100)
                if drawing:
                    path.lineTo(pt)
                else:
                    path.moveTo(pt)
                    drawing = True
                p.drawEllipse(pt, lay.mm(0.6), lay.mm(0.6))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)
        # x labels: as many as fit
        p.setPen(MUTED)
        label_w = lay.metrics(small).horizontalAdvance("2026-12") + lay.mm(2)
        every = max(1, int(label_w // slot) + 1)
        for i, s in enumerate(starts):
            if i % every == 0:
                p.drawText(QRectF(x_of(i) - label_w / 2, plot.bottom() + lay.mm(1), label_w, lay.mm(4)),
                           int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop), bucket_label(s, data.bucket))
        # legend
        x = plot.left()
        for colour, name, line in ((RATE_COLOURS[0], say("Closure rate"), True),
                                   (RATE_COLOURS[1], say("On-time closure rate"), True),
                                   (COUNT_COLOURS[0], say("Filed"), False), (COUNT_COLOURS[1], say("Closed"), False)):
            y = top + legend_h / 2
            if line:
                p.setPen(QPen(QColor(colour), lay.mm(0.6)))
                p.drawLine(QPointF(x, y), QPointF(x + lay.mm(5), y))
            else:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QColor(colour))
                p.drawRect(QRectF(x + lay.mm(1), y - lay.mm(1.5), lay.mm(3), lay.mm(3)))
            p.setPen(INK)
            w = lay.metrics(small).horizontalAdvance(name) + lay.mm(2)
            p.drawText(QRectF(x + lay.mm(6), top, w, legend_h), int(Qt.AlignmentFlag.AlignVCenter), name)
            x += lay.mm(6) + w + lay.mm(4)
        if not any(series["filed"]) and not any(series["closed"]):
            p.setPen(MUTED)
            p.drawText(plot, int(Qt.AlignmentFlag.AlignCenter), say("no cases in this period"))
    lay.draw(chart)
    lay.y += height + lay.mm(4)


def _nice_step(raw: float) -> float:
    """1, 2 or 5 times a power of ten, at least raw."""
    if raw <= 1:
        return 1.0
    power = 10 ** (len(str(int(raw))) - 1)
    for m in (1, 2, 5, 10):
        if m * power >= raw:
            return float(m * power)
    return float(10 * power)


def _ranking(lay: _Layout, data: EvaluationData, display: Display, say: Words) -> None:
    listing = data.listing
    if listing is None:
        return
    what = say(LISTING_WORDS.get(listing, listing))
    measures = data.shown_measures()
    if not data.rows:
        _heading(lay, say("Ranking: %1", what), lay.mm(6))
        lay.paragraph(say("Nothing to rank in this period."), lay.font(9), MUTED, gap_after=lay.mm(4))
        return
    rank_w, name_w, score_w = lay.mm(10), lay.mm(40), lay.mm(15)
    fixed = rank_w + name_w + score_w
    fits = max(1, int((lay.width - fixed) // lay.mm(16.5)))
    parts = max(1, -(-len(measures) // fits))
    per_chunk = max(1, -(-len(measures) // parts))       # as even as the columns allow
    chunks = [measures[i:i + per_chunk] for i in range(0, len(measures), per_chunk)] or [[]]
    head_font, cell_font = lay.font(6.5, bold=True), lay.font(7.5)
    row_h = lay.metrics(cell_font).height() + lay.mm(1.6)
    centre = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
    for c, chunk in enumerate(chunks, 1):
        col_w = (lay.width - fixed) / max(len(chunk), 1)
        cols: list[tuple[str, float, str]] = [(say("Rank"), rank_w, "rank"), (say("Name"), name_w, "name"),
                                              (say("Score"), score_w, "score")]
        for m in chunk:
            suffix = unit_suffix(m.unit, say.english).strip()
            cols.append((display.pick(m.name, m.name_en) + (f" ({suffix})" if suffix else ""), col_w, m.code))
        head_h = max(lay.text_height(t, head_font, w - lay.mm(1), centre) for t, w, _ in cols) + lay.mm(2)
        title = say("Ranking: %1", what) + (" " + say("(columns %1 of %2)", c, len(chunks)) if len(chunks) > 1 else "")
        _heading(lay, title, head_h + row_h * min(3, len(data.rows)))

        def header(cols: list[tuple[str, float, str]] = cols, head_h: float = head_h) -> None:
            y = lay.y

            def bg(p: QPainter) -> None:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(HEAD_BG)
                p.drawRect(QRectF(0, y, lay.width, head_h))
            lay.draw(bg)
            x = 0.0
            for text, w, _key in cols:
                lay.text(text, head_font, x + lay.mm(0.5), y, w - lay.mm(1), head_h, centre)
                x += w
            lay.y += head_h

        header()
        by_code = {m.code: m for m in chunk}
        for r, row in enumerate(data.rows):
            if row_h > lay.room:
                lay.new_page()
                header()
            y = lay.y
            if r % 2:
                def stripe(p: QPainter, y: float = y) -> None:
                    p.setPen(Qt.PenStyle.NoPen)
                    p.setBrush(ALT_BG)
                    p.drawRect(QRectF(0, y, lay.width, row_h))
                lay.draw(stripe)
            x = 0.0
            for _text, w, key in cols:
                value, flags = _cell(row, key, by_code, display, say)
                lay.text(_elide(lay, value, cell_font, w - lay.mm(2)), cell_font, x + lay.mm(1), y, w - lay.mm(2),
                         row_h, flags)
                x += w
            lay.y += row_h
        y_end = lay.y

        def bottom(p: QPainter, y: float = y_end) -> None:
            p.setPen(QPen(RULE, lay.mm(0.25)))
            p.drawLine(QPointF(0, y), QPointF(lay.width, y))
        lay.draw(bottom)
        lay.y += lay.mm(4)
    if any(r.get("rank") is None for r in data.rows):
        lay.paragraph(say("Rank is blank below the minimum number of cases."), lay.font(7.5), MUTED,
                      gap_after=lay.mm(4))


def _cell(row: dict[str, Any], key: str, by_code: dict[str, Measure], display: Display,
          say: Words) -> tuple[str, int]:
    """A ranking cell's text and alignment: rank blank below the minimum, names left, numbers right."""
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if key == "rank":
        return ("" if row.get("rank") is None else str(row["rank"])), int(Qt.AlignmentFlag.AlignCenter)
    if key == "name":
        return display.pick(row.get("name"), row.get("name_en")), int(Qt.AlignmentFlag.AlignLeft
                                                                      | Qt.AlignmentFlag.AlignVCenter)
    if key == "score":
        return format_value(row.get("score"), "score", say.english), right
    return format_value(row.get(key), by_code[key].unit, say.english, in_table=True), right


def _elide(lay: _Layout, text: str, font: QFont, width: float) -> str:
    return lay.metrics(font).elidedText(text, Qt.TextElideMode.ElideRight, width)


def _explanations(lay: _Layout, measures: list[Measure], display: Display, say: Words) -> None:
    described = []
    for m in measures:
        text = explain(m, measures, say.english)
        # a Chinese report explains in Chinese: an English-only sentence is left out, a formula
        # of measures ("结案数 / 应结案数") is kept
        if text and (say.english or has_chinese(m.description) or not re.search("[A-Za-z]", text)):
            described.append((m, text))
    if not described:
        return
    _heading(lay, say("What the measures mean"), lay.mm(10))
    bold, body = lay.font(8.5, bold=True), lay.font(8.5)
    for m, text in described:
        name = display.pick(m.name, m.name_en)
        suffix = unit_suffix(m.unit, say.english).strip()
        head = name + (f" ({suffix})" if suffix else "")
        lay.paragraph(head, bold)
        lay.paragraph(text, body, MUTED, gap_after=lay.mm(2))


# ------------------------------------------------------------ the report
def write_report(data: EvaluationData, path: Path, lang: str, printed: datetime | None = None) -> int:
    """Write the report of `data` to `path` in `lang` ("zh_CN" or "en"); returns its page count.
    Names from the database are shown in that language (Display.pick), times in the period's
    zone (the district's)."""
    if lang not in ("zh_CN", "en"):
        raise ValueError(f"unknown language {lang!r}: use zh_CN or en")
    say = Words(lang)
    display = Display(lang, data.period.zone)
    family = cjk_family()
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(path))
    writer.setResolution(300)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 14, 15, 12), QPageLayout.Unit.Millimeter))
    district = display.pick(*data.district) if any(data.district) else ""
    scope = " › ".join(level_name(lv.scope, lv.name, lv.name_en, display, say) for lv in data.scope.path)
    writer.setTitle(f"{say('Evaluation report')} — {scope} — {period_words(data.period, say)}")
    writer.setCreator("commandcenter")
    lay = _Layout(writer, family)
    printed = printed or data.read_at
    _header(lay, data, display, say, printed)
    _key_figures(lay, data, display, say)
    _trend(lay, data, say)
    _ranking(lay, data, display, say)
    _explanations(lay, data.measures, display, say)
    footer = f"{district} · {say('Evaluation report')} · {period_words(data.period, say)}"
    lay.drawn.update(footer + say("Page %1 of %2", "0123456789", ""))
    _paint(writer, lay, footer, say)
    del writer                      # the file is complete once the writer is gone
    _fix_text_layer(path, lay.drawn, family)
    return len(lay.pages)


def _fix_text_layer(path: Path, drawn: set[str], family: str) -> None:
    """Make the text layer say what was drawn. Qt names each glyph in a font's ToUnicode map by
    the lowest code point the font maps to it, and Noto Sans CJK draws 门 and the radical ⻔
    (U+2ED4) with one glyph: a copied or searched 东华门 read 东华⻔, 页 read ⻚, – read ‒.
    Each such code point is replaced by the drawn character with the same glyph. Same length
    (four hex digits each), so no offset in the file moves."""
    raw = path.read_bytes()
    glyphs = QRawFont.fromFont(report_font(family, 24))
    chars = sorted(c for c in drawn if len(c.encode("utf-16-be")) == 2)
    by_glyph: dict[int, str] = {}
    for c, g in zip(chars, glyphs.glyphIndexesForString("".join(chars)), strict=True):
        by_glyph.setdefault(g, c)
    swaps: dict[bytes, bytes] = {}

    def fix_code(hit: re.Match[bytes]) -> bytes:
        code = hit.group(1)
        if code not in swaps:
            ch = chr(int(code, 16))
            better = ch if ch in drawn else by_glyph.get(glyphs.glyphIndexesForString(ch)[0] if ch.strip() else -1, ch)
            swaps[code] = f"{ord(better):04X}".encode()
        return b"<" + swaps[code] + b">"

    def fix_line(line: re.Match[bytes]) -> bytes:
        # the destinations only: an array, or the one code of a single-glyph range
        lo, hi, dst = line.group(1), line.group(2), line.group(3)
        if dst.startswith(b"["):
            dst = re.sub(rb"<([0-9A-Fa-f]{4})>", fix_code, dst)
        elif lo == hi:
            dst = re.sub(rb"<([0-9A-Fa-f]{4})>", fix_code, dst)
        return b"<" + lo + b"> <" + hi + b"> " + dst

    def fix_map(hit: re.Match[bytes]) -> bytes:
        return re.sub(rb"<([0-9A-Fa-f]+)> <([0-9A-Fa-f]+)> (\[[^\]]*\]|<[0-9A-Fa-f]{4}>)", fix_line, hit.group(0))

    fixed = re.sub(rb"beginbfrange.*?endbfrange", fix_map, raw, flags=re.S)
    if fixed != raw:
        path.write_bytes(fixed)


def print_period(conn: psycopg.Connection, first: date, last: date, path: Path, lang: str,
                 street_id: int | None = None, departments: bool = False) -> int:
    """`commandcenter report pdf`: read the measures of the calendar days first … last (both
    included, in the district's zone) for the district, one street, or the departments, under
    the connection's row-level security, and write the report. Makes the Qt application a
    command-line run lacks (fonts and the PDF writer need one). Returns the page count."""
    if last < first:
        raise CommandCenterError(f"the last day {last} is before the first {first}")
    if QGuiApplication.instance() is None:
        import os
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _keep_app.append(QGuiApplication([]))
    row = conn.execute("SELECT cc.local_tz(), d.name, d.name_en FROM cc.district d LIMIT 1").fetchone()
    if row is None:
        raise CommandCenterError("the database has no district")
    zone_name, district, district_en = row
    if departments:
        root = Level("departments", None, "", "")
    elif street_id is not None:
        found = conn.execute("SELECT name, name_en FROM cc.street WHERE id = %s", (street_id,)).fetchone()
        if found is None:
            raise CommandCenterError(f"no street {street_id} (or this login may not see it)")
        root = Level("street", street_id, found[0], found[1])
    else:
        root = Level("district", None, district, district_en)
    conn.commit()
    data = read_evaluation(conn, from_days(first, last, ZoneInfo(zone_name)), Scope.root(root))
    return write_report(data, path, lang)


#: the application print_period made, kept for the process (Qt wants one, alive, per process)
_keep_app: list[QGuiApplication] = []
