"""The board's filter and sort (core, no Qt): a stream of row changes keeps the same order a
full re-sort would give, and the hooks describe exactly the row moves a view must see."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from commandcenter.domain.board import COLUMNS, BoardFilter, BoardIndex, RowHooks
from commandcenter.domain.cases import BoardRow
from commandcenter.domain.collation import collation_key

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
STATES = ["reported", "filed", "dispatched", "in_progress", "handled", "closed"]
# code point order: 东 北 安 朝 第; pinyin order: an, bei, chao (朝阳门: cháo, not zhāo), di 2, di 10, dong
STREETS = ["东华门街道", "北新桥街道", "安定门街道", "朝阳门外街道", "第2网格", "第10网格"]
PINYIN_ORDER = ["安定门街道", "北新桥街道", "朝阳门外街道", "第2网格", "第10网格", "东华门街道"]


def row(i: int, rng: random.Random, version: int = 1) -> BoardRow:
    state = rng.choice(STATES)
    d = None if state == "closed" else rng.choice([None, NOW + timedelta(minutes=rng.randint(-600, 600))])
    return BoardRow(
        id=i, code=f"C{i:05d}", source=rng.choice(["patrol", "hotline"]), category_id=rng.randint(1, 4),
        category_name=rng.choice(["乱停车", "暴露垃圾", "道路不洁"]), category_name_en="x", title=f"title {i}",
        address="", lon=116.4, lat=39.9, grid_id=rng.randint(1, 9), grid_name=f"G{rng.randint(1, 9)}",
        community_id=1, community_name="社区", street_id=rng.randint(1, 3), street_name=rng.choice(STREETS), street_name_en="S",
        urgency=rng.choice(["normal", "urgent", "critical"]), state=state, is_open=state != "closed",
        tier=rng.choice(["grid", "street", "district"]), assignee_unit_name=rng.choice([None, "城管", "安监", "环卫所"]),
        assignee_person_name=None, reported_at=NOW - timedelta(minutes=rng.randint(0, 5000)),
        deadline=d,
        urge_count=0, escalation_count=0, rework_count=0, version=version,
        warn_at=d - timedelta(hours=2) if d is not None else None, repeat_count=0)


class Mirror(RowHooks):
    """A list of ids kept in view order from the hooks alone, as a Qt view would."""

    def __init__(self, index: BoardIndex) -> None:
        self.index = index
        self.view = [index.id_at(r) for r in range(len(index))]
        self.pending: tuple[str, int] | None = None

    def changed(self, view_row: int) -> None:
        assert 0 <= view_row < len(self.view)

    def begin_remove(self, view_row: int) -> None:
        self.pending = ("remove", view_row)

    def end_remove(self) -> None:
        assert self.pending and self.pending[0] == "remove"
        del self.view[self.pending[1]]

    def begin_insert(self, view_row: int) -> None:
        self.pending = ("insert", view_row)

    def end_insert(self) -> None:
        assert self.pending and self.pending[0] == "insert"
        r = self.pending[1]
        self.view.insert(r, self.index.id_at(r))


def expected(index: BoardIndex) -> list[int]:
    rows = [r for r in index.rows.values() if index.matches(r, NOW)]
    rows.sort(key=index.key, reverse=index.descending)
    return [r.id for r in rows]


@pytest.mark.parametrize("column", COLUMNS)
@pytest.mark.parametrize("descending", [False, True])
def test_row_changes_keep_the_order_a_full_sort_gives(column: str, descending: bool) -> None:
    rng = random.Random(hash((column, descending)) & 0xFFFF)
    index = BoardIndex(state_rank={s: i for i, s in enumerate(STATES)}, now=lambda: NOW)
    index.load(row(i, rng) for i in range(300))
    index.set_sort(column, descending)
    mirror = Mirror(index)
    for step in range(600):
        i = rng.randrange(360)           # some new cases, mostly changes
        held = index.rows.get(i)
        new = row(i, rng, version=(held.version + 1) if held else 1)
        index.upsert(new, mirror)
        if step % 50 == 0:
            assert mirror.view == [index.id_at(r) for r in range(len(index))]
    assert [index.id_at(r) for r in range(len(index))] == expected(index)
    assert mirror.view == expected(index)


def test_an_older_or_repeated_version_changes_nothing() -> None:
    rng = random.Random(3)
    index = BoardIndex(now=lambda: NOW)
    r = row(1, rng, version=5)
    index.load([r])
    assert index.upsert(r._replace(version=5, title="dup")) == "same"
    assert index.upsert(r._replace(version=4, title="old")) == "same"
    assert index.rows[1].title == "title 1"


def test_filters_and_counts_per_state() -> None:
    rng = random.Random(5)
    index = BoardIndex(now=lambda: NOW)
    index.load(row(i, rng) for i in range(500))
    index.set_filter(BoardFilter(state="filed", street_id=2))
    assert len(index) > 0
    assert all(index.row_at(r).state == "filed" and index.row_at(r).street_id == 2 for r in range(len(index)))
    # counts follow every filter but the state filter
    assert index.state_counts["in_progress"] == sum(
        1 for r in index.rows.values() if r.street_id == 2 and r.state == "in_progress")
    index.set_filter(BoardFilter(state="open", overdue_only=True))
    assert all(index.row_at(r).deadline < NOW and index.row_at(r).is_open for r in range(len(index)))
    index.set_filter(BoardFilter(state=None, text="C0004"))
    assert {index.row_at(r).code for r in range(len(index))} == {f"C{i:05d}" for i in range(40, 50)}
    # hostile text is only text
    for hostile in ("'; DROP TABLE cc.case; --", ".*", "[", "\\", "%", "\x00"):
        index.set_filter(BoardFilter(state=None, text=hostile))
        assert len(index) == 0


def test_names_sort_by_pinyin_and_numbers_by_value() -> None:
    assert sorted(STREETS, key=collation_key) == PINYIN_ORDER
    assert sorted(STREETS) != PINYIN_ORDER                       # what the code points would give
    rng = random.Random(3)
    index = BoardIndex(state_rank={s: i for i, s in enumerate(STATES)}, now=lambda: NOW,
                       filter=BoardFilter(state=None))
    index.load(row(i, rng) for i in range(200))
    index.set_sort("street", False)
    shown = [index.row_at(r).street_name for r in range(len(index))]
    assert list(dict.fromkeys(shown)) == PINYIN_ORDER           # each street's rows together, in pinyin order
    index.set_sort("street", True)
    assert list(dict.fromkeys(index.row_at(r).street_name for r in range(len(index)))) == PINYIN_ORDER[::-1]


def test_the_free_text_finds_states_urgencies_and_names_by_pinyin_and_initials() -> None:
    """Every word must be found: in the case's names (Chinese, pinyin, initials), its state's or
    urgency's names (as the database gives them), its code, title or address."""
    rng = random.Random(7)
    rows = [row(i, rng)._replace(grid_name=rng.choice(["东华门社区第1网格", "北新桥社区第2网格"]),
                    assignee_person_name=rng.choice([None, "王刚", "李娜"])) for i in range(400)]
    terms = {"filed": "待派遣 daipaiqian dpq filed", "dispatched": "已派遣 yipaiqian ypq dispatched",
             "reported": "待立案 dailian dla reported"}
    idx = BoardIndex(state_terms=terms, urgency_terms={"urgent": "紧急 jinji jj urgent"}, now=lambda: NOW)
    idx.load(rows)

    def shown(text: str) -> list[BoardRow]:
        idx.set_filter(BoardFilter(state=None, text=text))
        return [idx.row_at(r) for r in range(len(idx))]

    assert {r.state for r in shown("待派遣")} == {"filed"} == {r.state for r in shown("DPQ")}
    assert {r.state for r in shown("pq")} == {"filed", "dispatched"}          # 派遣 in both names
    assert {r.urgency for r in shown("jj")} == {"urgent"}
    assert {r.category_name for r in shown("ltc")} == {"乱停车"}               # a category by initials
    assert {r.category_name for r in shown("baolu")} == {"暴露垃圾"}           # … by pinyin
    assert {r.grid_name for r in shown("bxqsq")} == {"北新桥社区第2网格"}       # a grid by initials
    assert {r.assignee_person_name for r in shown("ln")} == {"李娜"}            # a person by initials
    assert {r.assignee_person_name for r in shown("wanggang")} == {"王刚"}      # (wg: 网格 too)
    both = shown("dpq 乱停车 jj")                                               # every word, anywhere
    assert both and all((r.state, r.category_name, r.urgency) == ("filed", "乱停车", "urgent") for r in both)
    assert len(both) == sum(1 for r in rows if (r.state, r.category_name, r.urgency) == ("filed", "乱停车", "urgent"))
    assert shown("dpq ypq") == []
    assert all(idx.text_matches(r, "dpq") == (r.state == "filed" or "dpq" in r.search) for r in rows)
