"""Person names (docs/documents.md#names): the one home for name normalisation and name comparison.
extract/ normalises the names it reads with these functions; cases/ compares document names
with roster names and indexes the roster by sound_keys (cases/ keeps only 曾用名 handling).

normalize_name: NFKC, a few traditional/variant characters → simplified, nothing but name
characters kept (spaces, punctuation, separator dots of minority names `阿依古丽·买买提`, digits
and Latin letters go), no trailing 同志/先生/女士/同学. Name characters are CJK ideographs including
the rare-character extensions B…H and the private-use area that county systems use for 造字, so a
生僻字 is never silently dropped from a name.

same_name(a, b) → "same" | "homophone" | "different":
- same: equal after normalize_name (so 陳衛東 = 陈卫东: the table maps only characters whose
  traditional form is the same character, not a different name);
- homophone: same length and every character pair shares a toneless pinyin reading (polyphonic
  characters with all their readings, via pypinyin): 周利新 / 周立新, 曾(zeng/ceng) / 层. A warning
  for a clerk, resolvable with a 曾用名. Variant characters outside the table (週 for 周) land
  here too: the cautious outcome;
- different: anything else (visually similar OCR misreads included — the clerk decides).

sound_keys(name): every toneless pinyin spelling; two names are the same or homophones exactly
when their key sets intersect, so a dict keyed by them finds candidates without a scan.

name_similarity(a, b) → 0..1 blends character and pinyin edit distances (rapidfuzz) for
ranking candidates when no ID number is available (ID-06, docs/rules.md#identity-and-matching).
"""
from __future__ import annotations

import itertools
import re
from functools import lru_cache
from typing import Literal

from pypinyin import Style, pinyin
from rapidfuzz.distance import Levenshtein

from extract.normalize.text import HAN, nfkc, simplified

NameRelation = Literal["same", "homophone", "different"]

# Traditional/variant → simplified for characters frequent in names on old handwritten forms.

# Not 君: it ends many given names (王丽君, and 王建君 as a homophone of 王建军).
_TITLES = ("同志", "先生", "女士", "同学")
# CJK ideographs: HAN (basic + extension A), extensions B…H, and the private-use area where
# GBK-era systems put self-made characters (造字) for rare name characters.
NAME_CHARS = HAN + "\U00020000-\U000323AF\uE000-\uF8FF"
_NOT_NAME_CHARS = re.compile(f"[^{NAME_CHARS}]")

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
    s = simplified(nfkc(raw or ""))
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


def sound_keys(raw: str | None) -> frozenset[tuple[str, ...]]:
    """Every toneless pinyin spelling of the normalised name (one reading per character, all
    combinations). same_name(a, b) != "different" exactly when the key sets of a and b meet."""
    name = normalize_name(raw)
    if not name:
        return frozenset()
    return frozenset(itertools.product(*(sorted(_readings(ch)) for ch in name)))


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
