"""Person names (domain.md §6.4).

normalize_name: NFKC, a few traditional/variant characters → simplified, no spaces or
punctuation inside, no trailing 同志/先生/女士.

same_name(a, b) → "same" | "homophone" | "different":
- same: equal after normalize_name;
- homophone: same length and every character pair shares a toneless pinyin reading (polyphonic
  characters with all their readings, via pypinyin): 周利新 / 周立新. A warning for a clerk,
  resolvable with a 曾用名;
- different: anything else (visually similar OCR misreads included — the clerk decides).

name_similarity(a, b) → 0..1 blends character and pinyin edit distances (rapidfuzz) for
ranking candidates when no ID number is available (domain.md ID-06).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from pypinyin import Style, pinyin
from rapidfuzz.distance import Levenshtein

from extract.normalize.text import HAN, nfkc

NameRelation = Literal["same", "homophone", "different"]

# Traditional/variant → simplified for characters frequent in names on old handwritten forms.
# Not exhaustive (no OpenCC in our dependencies); extend as reviewers report cases.
_TRAD = "張陳劉趙吳黃楊孫錢鄭馮許鄧蕭葉蘇盧韓謝龍鳳華偉強勝輝傑麗艷陽劍貴漢發寶雲興濤鵬廣慶瑩懷鳴義維綱紀東衛國軍紅長蘭樂書禮鐵權節達運進連邊遠陸隊麥嚴顧譚賀龔羅魯嶺歲聶萬蔣鍾閻關紹"
_SIMP = "张陈刘赵吴黄杨孙钱郑冯许邓萧叶苏卢韩谢龙凤华伟强胜辉杰丽艳阳剑贵汉发宝云兴涛鹏广庆莹怀鸣义维纲纪东卫国军红长兰乐书礼铁权节达运进连边远陆队麦严顾谭贺龚罗鲁岭岁聂万蒋钟阎关绍"
TRAD_TO_SIMP = str.maketrans(_TRAD, _SIMP)

_TITLES = ("同志", "先生", "女士", "同学", "君")
_NOT_NAME_CHARS = re.compile(f"[^{HAN}]")

# The ~150 most frequent surnames (single and compound). Used only to raise or lower the
# confidence of names found by prose patterns, never to reject a labelled name.
COMMON_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮"
    "柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古"
    "吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫"
    "寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
) | frozenset({"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "长孙"})


def normalize_name(raw: str | None) -> str:
    s = nfkc(raw or "").translate(TRAD_TO_SIMP)
    s = _NOT_NAME_CHARS.sub("", s)  # spaces, punctuation, middle dots, digits
    for title in _TITLES:
        if s.endswith(title) and len(s) - len(title) >= 2:
            s = s[: -len(title)]
            break
    return s


def has_common_surname(name: str) -> bool:
    n = normalize_name(name)
    return n[:1] in COMMON_SURNAMES or n[:2] in COMMON_SURNAMES


@lru_cache(maxsize=8192)
def _readings(ch: str) -> frozenset[str]:
    return frozenset(r.lower() for r in pinyin(ch, style=Style.NORMAL, heteronym=True)[0])


def same_name(a: str | None, b: str | None) -> NameRelation:
    x, y = normalize_name(a), normalize_name(b)
    if not x or not y:
        return "different"
    if x == y:
        return "same"
    if len(x) == len(y) and all(_readings(p) & _readings(q) for p, q in zip(x, y)):
        return "homophone"
    return "different"


def _syllables(name: str) -> list[str]:
    return [min(_readings(c)) if _readings(c) else c for c in name]


def name_similarity(a: str | None, b: str | None) -> float:
    """0..1: mean of character and pinyin-syllable normalized Levenshtein similarity."""
    x, y = normalize_name(a), normalize_name(b)
    if not x or not y:
        return 0.0
    if same_name(x, y) != "different":
        return 1.0 if x == y else 0.95
    chars = Levenshtein.normalized_similarity(x, y)
    sounds = Levenshtein.normalized_similarity(_syllables(x), _syllables(y))
    return round((chars + sounds) / 2, 3)
