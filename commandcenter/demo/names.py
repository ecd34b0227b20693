"""Names for the demo districts: real street names, made-up communities and people."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class DistrictSpec:
    """What a demo district looks like: counts from the seeds (DOMAIN.md section 1)."""

    name: str
    name_en: str
    streets: tuple[tuple[str, str, str], ...]   # (name, English, kind)
    communities: int
    grids: int
    key_unit_grids: int = 0
    road_grids: int = 0


DONGCHENG = DistrictSpec(
    name="东城区",
    name_en="Dongcheng",
    streets=tuple((n, e, "street") for n, e in (
        ("东华门", "Donghuamen"), ("景山", "Jingshan"), ("交道口", "Jiaodaokou"),
        ("安定门", "Andingmen"), ("北新桥", "Beixinqiao"), ("东四", "Dongsi"),
        ("朝阳门", "Chaoyangmen"), ("建国门", "Jianguomen"), ("东直门", "Dongzhimen"),
        ("和平里", "Hepingli"), ("前门", "Qianmen"), ("崇文门外", "Chongwenmenwai"),
        ("东花市", "Donghuashi"), ("龙潭", "Longtan"), ("体育馆路", "Tiyuguanlu"),
        ("天坛", "Tiantan"), ("永定门外", "Yongdingmenwai"),
    )),
    communities=187,
    grids=589,
)

HAIDIAN = DistrictSpec(
    name="海淀区",
    name_en="Haidian",
    streets=tuple((n, e, "street") for n, e in (
        ("万寿路", "Wanshoulu"), ("永定路", "Yongdinglu"), ("羊坊店", "Yangfangdian"),
        ("甘家口", "Ganjiakou"), ("八里庄", "Balizhuang"), ("紫竹院", "Zizhuyuan"),
        ("北下关", "Beixiaguan"), ("北太平庄", "Beitaipingzhuang"), ("学院路", "Xueyuanlu"),
        ("中关村", "Zhongguancun"), ("海淀", "Haidian"), ("青龙桥", "Qinglongqiao"),
        ("清华园", "Qinghuayuan"), ("燕园", "Yanyuan"), ("香山", "Xiangshan"),
        ("清河", "Qinghe"), ("花园路", "Huayuanlu"), ("西三旗", "Xisanqi"),
        ("马连洼", "Malianwa"), ("田村路", "Tiancunlu"), ("上地", "Shangdi"),
        ("曙光", "Shuguang"),
    )) + tuple((n, e, "town") for n, e in (
        ("四季青镇", "Sijiqing"), ("海淀镇", "Haidian Town"), ("东升镇", "Dongsheng"),
        ("温泉镇", "Wenquan"), ("西北旺镇", "Xibeiwang"), ("苏家坨镇", "Sujiatuo"),
        ("上庄镇", "Shangzhuang"),
    )),
    communities=570,
    grids=643,
    key_unit_grids=19,
    road_grids=4,
)

DISTRICTS = {spec.name: spec for spec in (DONGCHENG, HAIDIAN)}

_COMMUNITY_ROOTS = (
    "府学", "交东", "南锣", "菊儿", "鼓楼苑", "福祥", "大兴", "北兵马", "东公街", "香饵",
    "国子监", "五道营", "钟楼湾", "宝钞", "分司厅", "民安", "青龙", "花园", "桃园", "和平",
    "柳荫", "新中街", "东环", "西营房", "海运仓", "北官厅", "小街", "南门仓", "什锦花园", "演乐",
    "史家", "内务部", "西总布", "东总布", "赵家楼", "新鲜", "朝内", "竹杆", "礼士", "南小街",
    "金宝", "外交部", "建国", "站东", "赵堂子", "东单", "崇内", "西革新", "东花市北", "广渠",
    "龙潭", "光明", "幸福", "夕照寺", "天坛", "永内", "金鱼池", "法华寺", "祈年", "景泰",
    "安乐林", "彭庄", "李村", "琉璃井", "东四", "六条", "八条", "十条", "雍和宫", "前门东",
    "草厂", "长巷", "大栅栏", "鲜鱼口", "兴隆", "地坛", "化工", "黄寺", "安贞", "青年湖",
    "和平里", "小黄庄", "砖角楼", "东河沿", "北新仓", "明珠", "京华", "清华", "燕东", "双榆树",
    "万泉", "苏州街", "紫金", "昌运宫", "万寿", "翠微", "永定", "莲花池", "甘家口", "增光",
)
_DIRECTIONS = ("东", "西", "南", "北", "中", "前", "后", "新", "老", "上")

_SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋"
    "蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
    "雷钱汤尹黎易常武乔贺赖龚文"
)
_GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志海晓东宁春梅雪峰鑫波斌"
    "宇浩凯健俊帆帅旭颖婷琳璐倩晨阳光荣德忠义利民新亮飞云鹤松柏博文思远雅欣怡嘉"
)


def community_names(n: int, rng: np.random.Generator) -> list[str]:
    """n distinct community names for one district."""
    roots = _COMMUNITY_ROOTS
    names: list[str] = []
    seen: set[str] = set()
    order = rng.permutation(len(roots))
    i = 0
    while len(names) < n:
        root = roots[order[i % len(roots)]]
        round_ = i // len(roots)
        name = root if round_ == 0 else _DIRECTIONS[(round_ - 1) % len(_DIRECTIONS)] + root
        if round_ > len(_DIRECTIONS):
            name = f"{name}{round_}"
        if name not in seen:
            seen.add(name)
            names.append(name + "社区")
        i += 1
    return names


def person_name(rng: np.random.Generator) -> str:
    surname = _SURNAMES[rng.integers(len(_SURNAMES))]
    given = "".join(_GIVEN[rng.integers(len(_GIVEN))] for _ in range(int(rng.integers(1, 3))))
    return surname + given


def phone(rng: np.random.Generator) -> str:
    """A fictional mobile number (demo data)."""
    return "1" + str(rng.choice([35, 36, 37, 38, 39, 58, 86])) + "".join(str(d) for d in rng.integers(0, 10, 8))
