"""The evaluation panel (issue 13, item 6): periods in the district's zone, the drill-down path,
and the panel in a real hall on the seeded demo — period changes, drill-down, the cases behind
a count, the same numbers as the key-figure strip, the CSV of the ranking."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction

from commandcenter.domain import periods
from commandcenter.store import measures
from commandcenter.ui.evaluation_data import (
    Level,
    Measure,
    Scope,
    explain,
    format_value,
    sorted_rows,
    write_csv,
)
from commandcenter.ui.main_window import HallWindow

from .helpers import new_case_in
from .ui_support import hall_session, settle

BEIJING = ZoneInfo("Asia/Shanghai")


# ------------------------------------------------------------ periods (no Qt, no database)
def test_today_is_the_district_s_calendar_day_not_utc_s() -> None:
    # 23 November 01:30 in Beijing is still 22 November in UTC
    now = datetime(2026, 11, 22, 17, 30, tzinfo=UTC)
    p = periods.preset("today", now, BEIJING)
    assert (p.start, p.end) == (datetime(2026, 11, 23, tzinfo=BEIJING), datetime(2026, 11, 24, tzinfo=BEIJING))
    assert (p.first_day, p.last_day, p.days) == (date(2026, 11, 23), date(2026, 11, 23), 1)
    assert p.until(now) == now                   # a running period is read up to now
    assert p.shifted(-1).first_day == date(2026, 11, 22)


def test_week_month_and_the_chinese_half_years() -> None:
    now = datetime(2026, 11, 25, 4, 0, tzinfo=UTC)           # a Wednesday in Beijing
    week = periods.preset("week", now, BEIJING)
    assert (week.first_day, week.last_day) == (date(2026, 11, 23), date(2026, 11, 29))     # Monday–Sunday
    month = periods.preset("month", now, BEIJING)
    assert (month.first_day, month.last_day) == (date(2026, 11, 1), date(2026, 11, 30))
    assert month.shifted(2).first_day == date(2027, 1, 1)
    second = periods.preset("half_year", now, BEIJING)
    assert (second.first_day, second.last_day, second.half()) == (date(2026, 7, 1), date(2026, 12, 31), 2)
    first = second.shifted(-1)                               # the half-yearly review looks back
    assert (first.first_day, first.last_day, first.half()) == (date(2026, 1, 1), date(2026, 6, 30), 1)
    assert second.shifted(1).first_day == date(2027, 1, 1)
    # 30 June 23:59 in Beijing is the first half, 1 July 00:00 the second
    assert periods.preset("half_year", datetime(2026, 6, 30, 15, 59, tzinfo=UTC), BEIJING).half() == 1
    assert periods.preset("half_year", datetime(2026, 6, 30, 16, 0, tzinfo=UTC), BEIJING).half() == 2


def test_custom_days_are_inclusive_and_checked() -> None:
    p = periods.custom(date(2026, 10, 30), date(2026, 11, 2), BEIJING)
    assert (p.start, p.end, p.days) == (datetime(2026, 10, 30, tzinfo=BEIJING), datetime(2026, 11, 3, tzinfo=BEIJING), 4)
    assert p.shifted(-1).last_day == date(2026, 10, 29) and p.shifted(-1).days == 4
    with pytest.raises(ValueError, match="before the first"):
        periods.custom(date(2026, 11, 2), date(2026, 11, 1), BEIJING)
    with pytest.raises(ValueError, match="time zone"):
        periods.preset("today", datetime(2026, 11, 2), BEIJING)
    # a period still to come reads as empty, a past one to its end
    assert p.until(datetime(2026, 1, 1, tzinfo=UTC)) == p.start
    assert p.until(datetime(2027, 1, 1, tzinfo=UTC)) == p.end


def test_a_trend_has_points_enough_and_buckets_by_the_calendar() -> None:
    today = periods.preset("today", datetime(2026, 11, 23, 2, 0, tzinfo=UTC), BEIJING)
    start, end, bucket = today.trend_range()
    assert bucket == "day" and (end - start).days == periods.TREND_MIN_DAYS
    half = periods.half_year_of(date(2026, 9, 1), BEIJING)
    assert half.trend_range()[2] == "week"
    year = periods.custom(date(2026, 1, 1), date(2026, 12, 31), BEIJING)
    assert year.trend_range()[2] == "month"
    weeks = periods.buckets(half.start, half.end, "week")
    assert weeks[0] == datetime(2026, 6, 29, tzinfo=BEIJING)          # the Monday of the week holding 1 July
    assert all(w.weekday() == 0 for w in weeks) and weeks[-1] < half.end
    months = periods.buckets(year.start, year.end, "month")
    assert [m.month for m in months] == list(range(1, 13))


# ------------------------------------------------------------ drill-down path and values
def test_the_drill_down_goes_street_community_grid_and_department_unit_person() -> None:
    s = Scope.root(Level("district", None, "东城区", "Dongcheng"))
    assert (s.listing, s.within, s.figures_of) == ("street", None, (None, None))
    s = s.drill(3, "东华门街道")
    assert (s.listing, s.within, s.figures_of, s.parent_within) == ("community", 3, ("street", 3), None)
    s = s.drill(31, "社区")
    assert (s.listing, s.within, s.can_drill) == ("grid", 31, False)    # a grid has no ranking below it
    with pytest.raises(ValueError):
        s.drill(311, "网格")
    assert s.up_to(0).path == (Level("district", None, "东城区", "Dongcheng"),)
    d = Scope.root(Level("departments", None, "", "")).drill(5, "城管").drill(51, "城管一队")
    assert (d.listing, d.within, d.figures_of, d.parent_within, d.can_drill) == ("person", 51, ("unit", 51), 5, False)
    with pytest.raises(ValueError):
        Scope.root(Level("grid", 1, "g"))


def test_values_are_written_by_unit_and_blanks_sort_last() -> None:
    assert format_value(1234, "count") == "1,234"
    assert format_value(Decimal("93.7"), "percent") == "93.7%"
    assert format_value(Decimal("12.25"), "hours", english=True) == "12.2 h"
    assert format_value(None, "percent") == "—"
    assert format_value(Decimal("4.25"), "score") == "4.25"
    rows = [{"id": 1, "rank": None}, {"id": 2, "rank": 2}, {"id": 3, "rank": 1}]
    assert [r["id"] for r in sorted_rows(rows, "rank", descending=False)] == [3, 2, 1]
    assert [r["id"] for r in sorted_rows(rows, "rank", descending=True)] == [2, 3, 1]


def test_explanations_name_the_measures_in_the_language_asked() -> None:
    ms = [Measure("closed", "结案数", "Closed", "count"), Measure("due", "应结案数", "Due", "count"),
          Measure("closure_rate", "结案率", "Closure rate", "percent", description_en="closed / due")]
    assert explain(ms[2], ms, english=False) == "结案数 / 应结案数"
    assert explain(ms[2], ms, english=True) == "Closed / Due"
    # in a sentence an ordinary word stays a word; a code with an underscore is named
    ms.append(Measure("open_overdue", "超期未结案数", "Open and overdue", "count"))
    ms.append(Measure("x", "应", "Due", "count", description_en="cases closed in the period + open_overdue"))
    assert explain(ms[-1], ms, english=True) == "cases closed in the period + Open and overdue"


def test_the_csv_opens_in_excel_utf8_with_a_bom(tmp_path: Path) -> None:
    out = write_csv(tmp_path / "r.csv", ["排名", "名称", "结案率 (%)"], [[1, "东华门街道", 93.75], [None, "景山街道", None]])
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    assert list(csv.reader(raw.decode("utf-8-sig").splitlines())) == [
        ["排名", "名称", "结案率 (%)"], ["1", "东华门街道", "93.8"], ["", "景山街道", ""]]


# ------------------------------------------------------------ the panel in a real hall
@pytest.fixture()
def hall(qtbot, db):  # noqa: ANN001, ANN201
    with hall_session(db.dsn) as session:
        w = HallWindow(session, restore_last=False)
        qtbot.addWidget(w)
        w.resize(1600, 950)
        w.show()
        settle(qtbot, session)
        yield w
        w.close()


def _opened(qtbot, hall, kind: str = "half_year"):  # noqa: ANN001, ANN202
    """The panel in front (Ctrl+E), showing `kind`, read."""
    assert hall._evaluation is None                  # behind the board: not even made at the start
    panel = hall.evaluation
    assert hall.dock_evaluation.widget() is panel
    assert not panel.shown()                         # tabbed behind the board: nothing read yet
    assert panel.data is None and panel.stale
    qtbot.keyClick(hall, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.shown() and panel.data is not None, timeout=15_000)
    if panel.period.kind != kind:
        with qtbot.waitSignal(panel.loaded, timeout=15_000):
            panel.period_box.setCurrentIndex(panel.period_box.findData(kind))
    settle(qtbot, hall.session)
    return panel


def _double_click(qtbot, view, index) -> None:  # noqa: ANN001
    """As a hand does it: Qt 6's QTest sends the double-click alone, and an item view opens
    only the item its press was on."""
    pos = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def _direct(conn, panel, fn, *args: Any, **kw: Any):  # noqa: ANN001, ANN202
    """The same reading straight from the database, for comparison."""
    out = fn(conn, panel.data.period.start, panel.data.until, *args, **kw)
    conn.commit()
    return out


def test_the_period_picker_reloads_what_the_database_says(qtbot, hall, conn) -> None:  # noqa: ANN001
    panel = _opened(qtbot, hall, "half_year")
    data = panel.data
    assert data.period.kind == "half_year" and data.period.days in (181, 184)
    assert data.bucket == "week"
    assert data.figures["filed"] > 0                 # the demo's month of history lies in this half-year
    assert data.figures == _direct(conn, panel, measures.kpi)
    assert [(r["id"], r["filed"], r["rank"]) for r in data.rows] == sorted(
        [(r["id"], r["filed"], r["rank"]) for r in _direct(conn, panel, measures.kpi_by, "street")],
        key=lambda t: [(r["id"]) for r in data.rows].index(t[0]))
    assert panel.tiles["filed"].value.text() == f"{data.figures['filed']:,}"
    # the trend's counts add up to the period's (the trend starts with the period here)
    assert sum(panel.trend.values["filed"]) == data.figures["filed"]
    # custom: the dates become editable and a narrower period is read
    with qtbot.waitSignal(panel.loaded, timeout=15_000):
        panel.period_box.setCurrentIndex(panel.period_box.findData("custom"))
    assert panel.first.isEnabled() and panel.data.period.kind == "custom"
    with qtbot.waitSignal(panel.loaded, timeout=15_000):
        panel.last.setDate(QDate(2026, 11, 10))          # the demo's history: 21 October – 20 November
    with qtbot.waitSignal(panel.loaded, timeout=15_000):
        panel.first.setDate(QDate(2026, 11, 1))
    assert (panel.data.period.days, panel.data.until) == (10, panel.data.period.end)
    assert 0 < panel.data.figures["filed"] < data.figures["filed"]
    assert panel.data.figures == _direct(conn, panel, measures.kpi)
    # ◀ moves a month back: October's figures, as the database has them
    with qtbot.waitSignal(panel.loaded, timeout=15_000):
        panel.period_box.setCurrentIndex(panel.period_box.findData("month"))
    month = panel.data.period
    with qtbot.waitSignal(panel.loaded, timeout=15_000):
        panel.earlier.click()
    assert panel.data.period == month.shifted(-1)
    assert panel.data.figures == _direct(conn, panel, measures.kpi)


def test_drill_down_street_community_grid_and_back(qtbot, hall) -> None:  # noqa: ANN001
    panel = _opened(qtbot, hall)
    assert {r["scope"] for r in panel.data.rows} == {"street"}
    row = next(i for i, r in enumerate(panel.model.rows) if r["filed"])
    street = panel.model.rows[row]
    with qtbot.waitSignal(panel.loaded, timeout=15_000):
        _double_click(qtbot, panel.table, panel.model.index(row, 1))
    data = panel.data
    assert [lv.id for lv in data.scope.path] == [None, street["id"]]
    assert {r["scope"] for r in data.rows} == {"community"}
    assert {r["parent_id"] for r in data.rows} == {street["id"]}
    assert data.figures["filed"] == street["filed"]          # the street's own figures, as in its row above
    assert sum(r["filed"] for r in data.rows) == street["filed"]
    assert panel.findChild(type(panel.earlier), "evaluation-crumb-1").text() == street["name_en"]
    community = next(r for r in panel.model.rows if r["filed"])
    with qtbot.waitSignal(panel.loaded, timeout=15_000):
        assert panel.drill(panel.model.rows.index(community))
    assert {r["scope"] for r in panel.data.rows} == {"grid"}
    assert {r["parent_id"] for r in panel.data.rows} == {community["id"]}
    assert sum(r["filed"] for r in panel.data.rows) == community["filed"]
    assert not panel.drill(0)                                  # a grid has nothing below it
    with qtbot.waitSignal(panel.loaded, timeout=15_000):
        panel.findChild(type(panel.earlier), "evaluation-crumb-0").click()
    assert panel.data.scope.at_root and {r["scope"] for r in panel.data.rows} == {"street"}


def test_drill_down_department_unit_person(qtbot, hall) -> None:  # noqa: ANN001
    panel = _opened(qtbot, hall)
    with qtbot.waitSignal(panel.loaded, timeout=15_000):
        panel.perspective.setCurrentIndex(panel.perspective.findData("departments"))
    assert {r["scope"] for r in panel.data.rows} == {"department"}
    department = next(r for r in panel.model.rows if r["dispatched"])
    with qtbot.waitSignal(panel.loaded, timeout=15_000):
        assert panel.drill(panel.model.rows.index(department))
    assert {r["scope"] for r in panel.data.rows} == {"unit"}
    assert {r["parent_id"] for r in panel.data.rows} == {department["id"]}
    assert panel.data.figures["dispatched"] == department["dispatched"]
    unit = next(r for r in panel.model.rows if r["dispatched"])
    with qtbot.waitSignal(panel.loaded, timeout=15_000):
        assert panel.drill(panel.model.rows.index(unit))
    assert {r["scope"] for r in panel.data.rows} <= {"person"}
    assert all(r["parent_id"] == unit["id"] for r in panel.data.rows)


def test_a_count_lists_its_cases_and_a_case_opens_in_the_hall(qtbot, hall) -> None:  # noqa: ANN001
    panel = _opened(qtbot, hall)
    column = panel.model.keys.index("filed")
    row = max(range(len(panel.model.rows)), key=lambda i: panel.model.rows[i]["filed"])
    street = panel.model.rows[row]
    with qtbot.waitSignal(panel.cases_loaded, timeout=15_000) as got:
        qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton,
                         pos=panel.table.visualRect(panel.model.index(row, column)).center())
    cases = got.args[0]
    assert len(cases) == street["filed"] > 0
    assert {c["street_id"] for c in cases} == {street["id"]}
    assert panel.cases_model.rowCount() == street["filed"]
    assert str(street["filed"]) in panel.cases_title.text()
    # a count a case may add to more than once: the list adds up to it
    with qtbot.waitSignal(panel.cases_loaded, timeout=15_000):
        qtbot.mouseClick(panel.tiles["dispatched"], Qt.MouseButton.LeftButton)
    assert panel.cases_model.counted() == panel.data.figures["dispatched"]
    # double-click: the hall's selection, so the case detail shows it
    first = panel.cases_model.index(0, 0)
    case_id = first.data(Qt.ItemDataRole.UserRole + 2)
    _double_click(qtbot, panel.cases, first)
    assert hall.session.selection.case_id == case_id
    qtbot.waitUntil(lambda: hall.detail.detail is not None and hall.detail.detail.case["id"] == case_id,
                    timeout=10_000)
    assert not hall.dock_detail.visibleRegion().isEmpty()       # brought forward


def test_the_strip_and_the_panel_show_the_same_numbers_today(qtbot, hall, conn) -> None:  # noqa: ANN001
    panel = _opened(qtbot, hall, "today")
    new_case_in(conn, "dispatched")
    new_case_in(conn, "closed")
    new_case_in(conn, "filed")

    def same() -> bool:
        k, data = hall.kpi_model.kpis, panel.data
        return (k is not None and data is not None and k.filed >= 3
                and all(getattr(k, m) == data.figures[m] for m in ("reported", "filed", "dispatched", "closed")))
    # both follow the events on their own (the strip 1.5 s after them, the panel 5 s)
    qtbot.waitUntil(same, timeout=20_000)
    assert panel.tiles["filed"].value.text() == hall.kpis.values["filed"].text()
    assert panel.tiles["closed"].value.text() == hall.kpis.values["closed"].text()
    # the strip's 按期结案率 is the measure of that name (closed on time over due), last 30 days
    k = hall.kpi_model.kpis
    rate = conn.execute("SELECT on_time_closure_rate FROM cc.kpi(cc.clock() - interval '30 days', cc.clock())"
                        ).fetchone()[0]
    conn.commit()
    assert k is not None and k.on_time_rate == float(rate)
    assert hall.kpis.values["on_time"].text() == f"{float(rate):.1f}%"


def test_the_ranking_exports_to_csv_as_shown(qtbot, hall, tmp_path: Path) -> None:  # noqa: ANN001
    panel = _opened(qtbot, hall)
    closure = panel.model.keys.index("closure_rate")
    panel.table.sortByColumn(closure, Qt.SortOrder.DescendingOrder)
    out = panel.export_csv(tmp_path / "ranking.csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert lines[0] == panel.model.header_labels()
    assert lines[0][:3] == ["Rank", "Name", "Score"] and "Closure rate (%)" in lines[0]
    assert len(lines) == 1 + len(panel.data.rows)
    names = [r[1] for r in lines[1:]]
    assert names == [r["name_en"] for r in panel.model.rows]      # the order shown
    rates = [float(r[closure]) for r in lines[1:] if r[closure]]
    assert rates == sorted(rates, reverse=True)
    by_name = {r["name_en"]: r for r in panel.data.rows}
    filed = panel.model.keys.index("filed")
    assert all(int(line[filed]) == by_name[line[1]]["filed"] for line in lines[1:])
    ranks = {line[1]: line[0] for line in lines[1:]}
    assert all(ranks[n] == ("" if r["rank"] is None else str(r["rank"])) for n, r in by_name.items())
    # the names whole on screen ("Donghuamen Street" was cut to "Donghua…" beside a wide rank)
    name_col = panel.model.keys.index("name")
    fm = panel.table.fontMetrics()
    assert panel.table.columnWidth(name_col) >= max(fm.horizontalAdvance(n) for n in names)


def test_the_panel_prints_what_it_shows(qtbot, hall, tmp_path: Path) -> None:  # noqa: ANN001
    panel = _opened(qtbot, hall)
    out = tmp_path / "report.pdf"
    pages = panel.print_pdf(out)
    assert pages >= 2 and out.read_bytes().startswith(b"%PDF")


def test_the_assessment_sits_beside_the_measures_and_the_menu_opens_its_form(qtbot, hall, conn) -> None:  # noqa: ANN001
    """Two-way assessment in the hall: the panel's previous half-year shows the demo's forms as
    cc.assessment_summary counts them; File → Two-way assessment opens the form, once."""
    from commandcenter.store import assessment as asm
    from commandcenter.ui.assessment import AssessmentDialog

    panel = _opened(qtbot, hall)
    with qtbot.waitSignal(panel.loaded, timeout=15_000):
        panel.shift(-1)
    first, last = panel.period.first_day, panel.period.last_day
    expected = asm.summary(conn, first, last, asm.STREET_RATES_UNIT)
    conn.commit()
    assert expected                                      # the demo holds a half-year of forms
    qtbot.waitUntil(lambda: (panel.assessment.start, panel.assessment.end) == (first, last)
                    and panel.assessment.table.rowCount() == len(expected), timeout=15_000)
    table = panel.assessment.table                       # each item's heading whole ("esponse spee")
    for c in range(1, table.columnCount()):
        heading = table.horizontalHeaderItem(c).text()
        assert table.columnWidth(c) >= table.horizontalHeader().fontMetrics().horizontalAdvance(heading), heading
    menu = hall.findChild(QAction, "action-assessment")
    assert menu is not None
    menu.trigger()
    assert isinstance(hall.assessment, AssessmentDialog) and hall.assessment.isVisible()
    first_dialog = hall.assessment
    menu.trigger()
    assert hall.assessment is first_dialog               # brought to the front, not a second one
    first_dialog.close()


def test_each_trend_series_is_in_its_legend_once(qapp) -> None:  # noqa: ANN001
    from commandcenter.ui.evaluation_trend import TrendChart
    chart = TrendChart()
    assert [len(chart.rate_legend.items), len(chart.count_legend.items)] == [2, 2]


def test_raising_the_evaluation_tab_makes_the_panel_and_reads_it(qtbot, hall) -> None:  # noqa: ANN001
    """The panel is made when its tab first comes to the front (not at the hall's start), and
    then reads its period as if it had always been there."""
    assert hall._evaluation is None
    hall.dock_evaluation.raise_()
    qtbot.waitUntil(lambda: hall._evaluation is not None and hall._evaluation.shown()
                    and hall._evaluation.data is not None, timeout=15_000)
    assert hall.dock_evaluation.widget() is hall._evaluation
    hall.dock_board.raise_()
    qtbot.waitUntil(lambda: not hall._evaluation.shown(), timeout=5_000)
