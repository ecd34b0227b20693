"""Terminal columns with Chinese text (accounts list, demo accounts) line up."""

from __future__ import annotations

from commandcenter.termtext import cells, pad


def test_chinese_takes_two_cells_and_columns_line_up() -> None:
    assert cells("东华门街道") == 10 and cells("district") == 8
    rows = [pad("东华门街道", 14) + "|", pad("区级 district", 14) + "|", pad("dc", 14) + "|"]
    assert {cells(r) for r in rows} == {15}
    assert pad("a very long street name", 4) == "a very long street name"     # never cut
