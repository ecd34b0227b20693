"""Language and time zone belong to a session, not to a module: two consoles in one process,
one Chinese in Beijing time and one English in another zone, show the same rows each its way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from commandcenter.domain.cases import BoardRow, Snapshot
from commandcenter.domain.display import Display
from commandcenter.domain.reference import Named, Reference

REPORTED = datetime(2026, 11, 20, 1, 30, tzinfo=UTC)      # 09:30 in Beijing, 20:30 the day before in New York


def _reference() -> Reference:
    return Reference(district="东城区", district_en="Dongcheng", tz="Asia/Shanghai",
                     states={"filed": Named("filed", "待派遣", "Filed")}, open_states=["filed"],
                     urgencies={"normal": Named("normal", "一般", "Normal")},
                     sources={"hotline": Named("hotline", "市民热线", "Hotline")},
                     tiers={"street": Named("street", "街道", "Street")}, roles={}, core_roles=[],
                     grid_types={}, levels={})


def _row() -> BoardRow:
    deadline = datetime.now(UTC) + timedelta(hours=5)
    return BoardRow(
        id=1, code="C00001", source="hotline", category_id=1, category_name="乱停车", category_name_en="Parking",
        title="t", address="", lon=116.4, lat=39.9, grid_id=1, grid_name="G1", community_id=1, community_name="社区",
        street_id=1, street_name="东华门街道", street_name_en="Donghuamen", urgency="normal", state="filed",
        is_open=True, tier="street", assignee_unit_name=None, assignee_person_name=None, reported_at=REPORTED,
        deadline=deadline, urge_count=0, escalation_count=0, rework_count=0, version=1,
        warn_at=deadline - timedelta(hours=2), repeat_count=0)


def test_display_picks_the_language_and_zone_it_was_made_with() -> None:
    zh, en = Display.of("zh_CN", "Asia/Shanghai"), Display.of("en", "America/New_York")
    name = Named("filed", "待派遣", "Filed")
    assert (zh.named(name), en.named(name)) == ("待派遣", "Filed")
    assert zh.pick("街道", None) == en.pick("街道", None) == "街道"     # no English: the Chinese, never blank
    assert (zh.stamp(REPORTED), en.stamp(REPORTED)) == ("2026-11-20 09:30", "2026-11-19 20:30")


def test_two_consoles_in_one_process_each_show_their_own_language_and_zone(qapp) -> None:  # noqa: ANN001
    from commandcenter.ui.board_model import BoardModel
    from commandcenter.ui.live import LiveData

    ref = _reference()
    shown = {}
    for lang, zone in (("zh_CN", "Asia/Shanghai"), ("en", "America/New_York")):
        live = LiveData("", ref, display=Display.of(lang, zone))
        model = BoardModel(live)
        live._on_snapshot(Snapshot([_row()], cursor=1))
        shown[lang] = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert "待派遣" in shown["zh_CN"] and "Filed" in shown["en"]
    assert "东华门街道" in shown["zh_CN"] and "Donghuamen" in shown["en"]
    assert "11-20 09:30" in shown["zh_CN"] and "11-19 20:30" in shown["en"]


def test_the_english_interface_spells_names_the_database_keeps_only_in_chinese() -> None:
    en, zh = Display("en"), Display("zh_CN")
    assert en.place("永定社区第2网格") == "Yongding Community Grid 2"
    assert en.place("大栅栏社区") == "Dashilar Community"           # the Beijing reading, not dà zhà lán
    assert zh.place("永定社区第2网格") == "永定社区第2网格"
    units = {"龙潭环卫所": "Longtan Sanitation Station"}
    assert en.assignee("范辉云", "龙潭环卫所", units) == "Fan Huiyun"
    assert en.assignee("欧阳修", None, units) == "Ouyang Xiu"
    assert en.assignee(None, "龙潭环卫所", units) == "Longtan Sanitation Station"
    assert en.assignee(None, "新单位", units) == "Xindanwei"          # a unit without an English name
    assert zh.assignee(None, "龙潭环卫所", units) == "龙潭环卫所" and en.assignee(None, None, units) == ""
    assert en.place("交道口派出所") == "Jiaodaokou Police Station"       # the kinds of the grid staff's employers
    assert en.person("吕磊") == "Lü Lei"                                  # ü, not the keyboard's v
