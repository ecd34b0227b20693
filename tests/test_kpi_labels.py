"""The street ranking's axis names: whole where the screen has room, else cut but distinct."""

from __future__ import annotations

from commandcenter.ui.kpi import abbreviate, short_street


def test_cut_names_stay_distinct_and_chinese_names_stay_whole() -> None:
    names = [short_street(n) for n in ("Donghuamen Street", "Donghuashi Street", "Dongsi Street",
                                       "Jingshan Street", "Chongwenmenwai Street")]
    assert names[0] == "Donghuamen"
    assert abbreviate(names) == ["Donghuamen", "Donghuashi", "Dongsi", "Jingshan", "Chongw."]
    assert abbreviate(["Donghuamenwai", "Donghuashi"]) == ["Donghuam.", "Donghuashi"]
    assert abbreviate(["东华门", "东花市"]) == ["东华门", "东花市"]
    assert len(set(abbreviate(["Andingmen", "Andingmenwai"]))) == 2


def test_the_first_and_last_names_have_room_at_the_axis_ends(qtbot) -> None:  # noqa: ANN001
    """The axis hides a label that runs past its edge: the first bar, the street with the most
    overdue cases (the one the wall exists to point at), had no name in English."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QFontMetrics

    from commandcenter.domain.display import Display
    from commandcenter.ui.kpi import RankingChart

    chart = RankingChart(Display("en"))
    qtbot.addWidget(chart)
    chart.resize(700, 200)
    chart.show()
    names = ["Donghuamen", "Jiaodaokou", "Jianguomen", "Chaoyangmen", "Andingmen", "Yongdingmenwai",
             "Tiyuguanlu", "Chongwenmenwai", "Longtan", "Donghuashi", "Jingshan", "Beixinqiao", "Tiantan",
             "Qianmen", "Dongzhimen", "Hepingli", "Dongsi"]
    chart.show_streets([{"name": n, "name_en": f"{n} Street", "overdue": 20 - i, "open": 40 - i}
                        for i, n in enumerate(names)])
    qtbot.wait(50)
    chart.show_streets([{"name": n, "name_en": f"{n} Street", "overdue": 20 - i, "open": 40 - i}
                        for i, n in enumerate(names)])      # again at its final size
    axis = chart.getAxis("bottom")
    ticks = axis._tickLevels[0]
    assert ticks[0] == (0, "Donghuamen")
    metrics = QFontMetrics(axis.style.get("tickFont") or chart.font())
    vb = chart.getPlotItem().vb
    left_edge = vb.mapViewToScene(QPointF(vb.viewRange()[0][0], 0)).x()
    for i, text in (ticks[0], ticks[-1]):
        centre = vb.mapViewToScene(QPointF(i, 0)).x()
        half = metrics.horizontalAdvance(text) / 2
        assert centre - half >= left_edge - 0.5
        assert centre + half <= vb.mapViewToScene(QPointF(vb.viewRange()[0][1], 0)).x() + 0.5
