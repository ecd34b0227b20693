"""The intake's search: Chinese, pinyin in full or by initials, English, and parents' words."""

from __future__ import annotations

from commandcenter.domain.search import SearchIndex, entry

INDEX = SearchIndex([
    entry("street", 1, "东华门街道", "Donghuamen Street"),
    entry("street", 2, "东花市街道", "Donghuashi Street"),
    entry("grid", 11, "东厂社区第1网格", "", ("东华门街道", "东厂社区")),
    entry("item", "010503", "乱停车", "Illegal parking", ("城市管理", "街面秩序")),
    entry("item", "030101", "公共设施损坏", "Damaged public facility", ("网格必报", "九必报")),
    entry("item", "010101", "井盖缺损", "Missing or damaged manhole cover", ("城市管理", "公共设施")),
])


def keys(text: str, kinds: tuple[str, ...] | None = None) -> list[object]:
    return [e.key for e in INDEX.find(text, kinds=kinds)]


def test_chinese_pinyin_initials_and_english_find_the_same_place() -> None:
    for typed in ("东华门", "donghuamen", "dhm", "DHM", "Donghuamen", "dong hua men"):
        assert keys(typed)[0] == 1, typed


def test_initials_tell_near_names_apart() -> None:
    assert keys("dhs")[0] == 2 and 1 not in keys("dhs")


def test_a_parents_word_finds_its_items_after_own_names() -> None:
    assert keys("九必报") == ["030101"]
    assert keys("jbb") == ["030101"]
    found = keys("公共设施")
    assert found[0] == "030101" and "010101" in found      # own name first, then by its class


def test_kinds_and_empty_input() -> None:
    assert keys("东", kinds=("item",)) == []
    assert keys("   ") == []
    assert keys("parking") == ["010503"]


def test_a_beijing_place_name_is_read_as_beijing_reads_it() -> None:
    # 朝阳门 is Cháoyángmén (pypinyin alone reads 朝 as zhāo, "morning")
    index = SearchIndex([entry("street", 7, "朝阳门街道", "Chaoyangmen Street")])
    assert [e.key for e in index.find("cym")] == [7] and [e.key for e in index.find("chaoyangmen")] == [7]
    assert index.find("zym") == []
