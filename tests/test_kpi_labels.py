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
