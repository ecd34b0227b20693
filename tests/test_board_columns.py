"""The board's vectorised filter and sort (domain/board_columns.py) give exactly what the rule
for one row gives (`BoardIndex.matches` and `key`), after any stream of changes, for every filter
and every column. No Qt."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from commandcenter.domain.board import COLUMNS, BoardFilter, BoardIndex
from commandcenter.domain.board_columns import BoardColumns, ColumnsFiller, Ranks
from commandcenter.domain.cases import WATCHES, Snapshot

from .test_board_index import NOW, STATES, row

GRIDS = ["东华门社区第1网格", "北新桥社区第2网格", "安定门社区第3网格"]
PEOPLE = [None, "王刚", "李娜"]
UNITS = [None, "城管", "环卫所"]


def varied(i: int, rng: random.Random, version: int = 1):  # noqa: ANN201
    r = row(i, rng, version)
    return r._replace(grid_name=rng.choice(GRIDS), assignee_person_name=rng.choice(PEOPLE),
                   assignee_unit_name=rng.choice(UNITS), title=rng.choice(["井盖缺失", "占道经营", "title"]),
                   code=rng.choice([f"C{i:05d}", f"B{i:05d}", f"C{i:05d}x"]),
                   supervision_level=rng.choice([None, None, "district"]))


def _index(rng: random.Random, n: int = 400) -> BoardIndex:
    index = BoardIndex(state_rank={s: i for i, s in enumerate(STATES)}, category_class={1: 10, 2: 10, 3: 20, 4: 20},
                       now=lambda: NOW, state_terms={"filed": "待派遣 daipaiqian dpq filed"},
                       urgency_terms={"urgent": "紧急 jinji jj urgent"})
    index.load(varied(i, rng) for i in range(n))
    return index


def _shown(index: BoardIndex) -> list[int]:
    return [index.id_at(r) for r in range(len(index))]


def _expected(index: BoardIndex) -> list[int]:
    rows = [r for r in index.rows.values() if index.matches(r, NOW)]
    rows.sort(key=index.key, reverse=index.descending)
    return [r.id for r in rows]


FILTERS = [BoardFilter(), BoardFilter(state=None), BoardFilter(state="filed"), BoardFilter(street_id=2),
           BoardFilter(state=None, category_class=20), BoardFilter(urgency="critical"),
           BoardFilter(state=None, urgency="no-such-urgency"), BoardFilter(overdue_only=True),
           BoardFilter(state=None, text="dhm"), BoardFilter(state=None, text="ln 井盖"),
           BoardFilter(state=None, text="c0001"), BoardFilter(state=None, text="城管 dpq"),
           BoardFilter(state=None, text="jj"), BoardFilter(state="no-such-state"),
           *(BoardFilter(state=None, watch=w) for w in WATCHES)]


@pytest.mark.parametrize("column", COLUMNS)
def test_every_filter_and_sort_equals_the_one_row_rule_after_changes(column: str) -> None:
    rng = random.Random(hash(column) & 0xFFFF)
    index = _index(rng)
    index.set_filter(BoardFilter(state=None, text="dhm"))     # the joined texts exist before the changes
    for _ in range(300):                                      # changes and new cases (new codes between old)
        i = rng.randrange(480)
        held = index.rows.get(i)
        index.upsert(varied(i, rng, version=(held.version + 1) if held else 1))
    index.set_sort(column, rng.random() < 0.5)                # the same rows, newly ordered
    assert _shown(index) == _expected(index)
    for f in FILTERS:
        index.set_filter(f)
        assert _shown(index) == _expected(index), f
        passing = [r for r in index.rows.values() if index._passes_all_but_state(r, NOW)]
        assert index.state_counts == Counter(r.state for r in passing), f


def test_code_order_holds_when_new_codes_keep_falling_into_one_gap() -> None:
    """A code's rank is the midpoint of its neighbours'; 200 codes into one gap run out of
    floating-point room and every rank is renumbered, with the order kept."""
    rng = random.Random(1)
    index = _index(rng, 50)
    index.set_sort("code", False)
    generation = index.columns.code_ranks.generation
    code = "C00010"
    for k in range(200):
        code += "a"                                  # each sorts just after the one before
        index.upsert(row(1000 + k, rng)._replace(code=code))
    assert index.columns.code_ranks.generation > generation
    index.set_filter(BoardFilter(state=None))
    assert _shown(index) == _expected(index)
    codes = [index.row_at(r).code for r in range(len(index))]
    assert codes == sorted(codes)


def test_ranks_order_as_the_texts_do() -> None:
    ranks = Ranks()
    ranks.reset(["b", "d"])
    rng = random.Random(2)
    words = ["b", "d"] + ["".join(rng.choice("abcde") for _ in range(rng.randint(1, 6))) for _ in range(500)]
    for w in words:
        ranks.of(w)
    assert sorted(set(words), key=ranks.number) == sorted(set(words)) == ranks.sorted
    assert all(a < b for a, b in zip(ranks.numbers, ranks.numbers[1:]))
    assert ranks.number("zz") is None


def test_a_board_copies_the_snapshots_columns_and_never_shares_them() -> None:
    rng = random.Random(4)
    rows = [varied(i, rng) for i in range(200)]
    snap = Snapshot(rows, 0, None, BoardColumns.of(rows))
    a, b = BoardIndex(now=lambda: NOW), BoardIndex(now=lambda: NOW)
    a.load(snap.rows, snap.columns)
    b.load(snap.rows, snap.columns)
    assert a.columns is not snap.columns and a.columns.state is not snap.columns.state
    changed = rows[0]._replace(version=2, state="closed", is_open=False)
    a.upsert(changed)
    assert _shown(b) == _expected(b) and rows[0].id in _shown(b)       # b did not see a's change
    assert rows[0].id not in _shown(a)
    # columns of other rows than the board's are not used
    c = BoardIndex(now=lambda: NOW)
    c.load(rows[:100], snap.columns)
    assert len(c.columns) == 100 and _shown(c) == _expected(c)


def _same_columns(a: BoardColumns, b: BoardColumns) -> None:
    """The same values in every slot (interned texts compared as texts: their small numbers
    depend on the order the texts arrived in)."""
    assert a.rows == b.rows and a.slot == b.slot
    for attr in ("id", "reported", "is_open", "street", "category", "code_rank"):
        assert a.view(getattr(a, attr)).tolist() == b.view(getattr(b, attr)).tolist(), attr
    assert str(a.view(a.deadline).tolist()) == str(b.view(b.deadline).tolist())        # NaN included
    texts = [(t, c, getattr(a, t), getattr(a, c), getattr(b, t), getattr(b, c)) for t, c in
             (("states", "state"), ("urgencies", "urgency"), ("tiers", "tier"), ("sources", "source"))]
    texts += [(attr, attr, a.names[attr], a.name[attr], b.names[attr], b.name[attr]) for attr in a.name]
    for table, column, ta, ca, tb, cb in texts:
        assert [ta.values[k] for k in a.view(ca)] == [tb.values[k] for k in b.view(cb)], (table, column)
    assert a.code_ranks.sorted == b.code_ranks.sorted


def test_columns_filled_in_batches_as_a_snapshot_streams_equal_those_of_all_rows_at_once() -> None:
    """The snapshot's reader builds the columns batch by batch as rows arrive: any cut of the
    rows gives the same columns, and the search finds the same rows, as one pass over them all
    (and as each row's own rule, `BoardRow.search`)."""
    rng = random.Random(6)
    odd = ["Straße", "İSTANBUL", "ǅemal", "ΣΊΣΥΦΟΣ", "井盖ABC"]        # folds that change lengths
    rows = [varied(i, rng)._replace(title=rng.choice(odd + ["占道经营"]), address=rng.choice(odd + [""]))
            for i in range(300)]
    whole = BoardColumns.of(rows)
    for cuts in ([1, 7, 100], [150], [299], list(range(1, 300, 13))):
        filler = ColumnsFiller()
        for a, b in zip([0, *cuts], [*cuts, len(rows)]):
            filler.add(rows[a:b])
        filler.add([])
        batched = filler.done()
        _same_columns(batched, whole)
        for word in ("strasse", "i̇stanbul", "ǆemal", "σίσυφοσ", "abc", "c0001", "井盖", "dhm", "ln", "x", "zz"):
            mask = batched.text_mask(word)
            assert mask.tolist() == whole.text_mask(word).tolist(), (cuts, word)
            assert [i for i in range(len(rows)) if mask[i]] == \
                [i for i, r in enumerate(rows) if word in r.search or word in r.name_terms()], (cuts, word)
    index = BoardIndex(state_rank={s: i for i, s in enumerate(STATES)}, now=lambda: NOW)
    filler = ColumnsFiller()
    filler.add(rows[:120])
    filler.add(rows[120:])
    index.load(rows, filler.done())
    for f in FILTERS:
        index.set_filter(f)
        assert _shown(index) == _expected(index), f
