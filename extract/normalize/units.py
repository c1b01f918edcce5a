"""Unit (organisation) names: display form, comparison key, military unit codes (docs/documents.md#unit-names).

normalize_unit(name): NFKC, no spaces, seal marks and a signature label's residue removed
((盖章)：开远市纺织厂, 青河县化肥厂（章）), and a unit in
liquidation named as the unit itself (青河县化肥厂破产清算组 → 青河县化肥厂). The administrative
prefix is KEPT: this is the value we show and store. normalize_issuer(name): the same without
the liquidation step, for the organisation that signed a document.

unit_key(name): comparison key. normalize_unit, then drop the administrative prefix
(临江省, 青河县, 青河市…) and one trailing company-form suffix of the family
厂 / 有限公司 / 有限责任公司 / 股份有限公司 / 总公司 / 公司 / 集团, so that
青河县化肥厂 ≡ 化肥厂 ≡ 青河县化肥有限公司. Renames (改制, 合并) are not resolved here: that needs
the per-county rename graph (cases/).

service_unit(text): military unit as `05318部队`, without 中国人民解放军 and without
sub-units (三营九连, 政治处, 司令部).
"""
from __future__ import annotations

import re

from extract.normalize.text import HAN, simplified, squeeze

# A seal mark after a unit name; at the end of the text one of its brackets may be lost to OCR
# ("梅岗县木材公司破产清算组（章", "槐安县供销合作社章）").
SEAL_MARKS = re.compile(
    r"[(（\[【]\s*(?:公\s*章|章|印|盖\s*章|签\s*章|钢\s*印|财务专用章|业务专用章|人事专用章|[^)）\]】]{0,8}专用章)\s*(?:[)）\]】]|$)"
    r"|(?:盖\s*章|公\s*章|章)\s*[)）\]】]$"
    # 盖章 printed without brackets after the signing unit (青河县电机厂盖章): no unit ends so
    r"|(?:盖\s*章|签\s*章)$"
)
# The rest of a signature line's label in front of the name: (盖章)：, 盖章):, (签章)
LEADING_RESIDUE = re.compile(r"^(?:[(（\[【]?(?:盖|签|公)章[)）\]】]?[:：]?|名称[:：]|[:：])+")
# Punctuation that is never part of a unit name at either end: a list's separator, or a speck the
# OCR read as a full stop after the name ("青河县化肥厂.").
EDGE_PUNCTUATION = "：:，,。；;、.·"
# Nor inside it: a colon or semicolon between two characters of a name is a speck or a ruling the
# OCR read (柳塘县:三江茶厂); the name keeps its brackets and middle dots.
INNER_SPECKS = re.compile(r"(?<=\S)[:：;；](?=\S)")
# Nor one or two Latin letters or digits after its last character: a misread 厂 or a speck of the
# ruling (桐川县双河石灰5). Unit codes (05318部队) are read by service_unit, not here.
TRAILING_SPECKS = re.compile(rf"(?<=[{HAN}])[0-9A-Za-z]{{1,2}}$")
LIQUIDATION = re.compile(r"(?:破产)?清算(?:工作)?(?:组|小组|委员会)$|破产管理人$")
# Longest first: the first matching suffix is removed.
COMPANY_SUFFIXES: tuple[str, ...] = (
    "股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团公司", "总公司", "分公司", "公司", "集团", "总厂", "分厂", "厂",
)
# Administrative prefixes, applied in order, each at most once.
_PROVINCE = re.compile(rf"^(?:中华人民共和国)?[{HAN}]{{2,7}}?(?:省|自治区)")
_CITY = re.compile(rf"^[{HAN}]{{2,6}}?(?:市(?![场政容民])|自治州|地区|盟)")
_COUNTY = re.compile(rf"^[{HAN}]{{1,6}}?(?:县|自治县|旗|(?<!城)区(?!域))")

# A unit code (番号) is five digits and 部队; the 部 alone is enough to know one, because OCR often
# misreads the 队 of a worn or dot-matrix print (部从, 部以) and nothing else is "five digits + 部".
UNIT_CODE = re.compile(r"(?<!\d)(\d{5})\s*部(?:\s*队)?(?![门分位])")
_PLA_PREFIX = re.compile(r"^(?:中国人民解放军|中国人民武装警察部队|解放军)")
_SUB_UNITS = re.compile(
    r"(?:[一二三四五六七八九十百\d]+(?:营|连|排|班|分队|中队|大队)|政治处|政治部|司令部|后勤处|后勤部|机关|直属队|卫生队|警卫连)+$"
)


def normalize_unit(name: str | None) -> str:
    s = LEADING_RESIDUE.sub("", simplified(squeeze(name)))
    s = INNER_SPECKS.sub("", SEAL_MARKS.sub("", s).strip(EDGE_PUNCTUATION))
    s = TRAILING_SPECKS.sub("", s).strip(EDGE_PUNCTUATION)
    s = LIQUIDATION.sub("", s)
    return s


def normalize_issuer(name: str | None) -> str:
    """An issuing organisation as signed: like normalize_unit, but a liquidation group stays
    itself (青河县化肥厂破产清算组 issued the certificate; the employer is 青河县化肥厂)."""
    return SEAL_MARKS.sub("", LEADING_RESIDUE.sub("", simplified(squeeze(name)))).strip(EDGE_PUNCTUATION)


def strip_admin_prefix(name: str) -> str:
    """Drop a leading province/city/county (临江省青河县化肥厂 → 化肥厂); never to an empty name."""
    s = name
    for pattern in (_PROVINCE, _CITY, _COUNTY):
        m = pattern.match(s)
        if m and len(s) - m.end() >= 2:
            s = s[m.end():]
    return s


def unit_key(name: str | None) -> str:
    s = strip_admin_prefix(normalize_unit(name))
    for suffix in COMPANY_SUFFIXES:
        if s.endswith(suffix) and len(s) > len(suffix):
            s = s[: -len(suffix)]
            break
    return s


def same_unit(a: str | None, b: str | None) -> bool:
    ka, kb = unit_key(a), unit_key(b)
    return bool(ka) and ka == kb


def unit_fragment_of(fragment: str | None, whole: str | None) -> bool:
    """A unit name read in part — a round seal's arc, a signature missing its first characters
    (二运输公司 of 青河县第二运输公司): the fragment's key is at least three characters inside the
    whole's and both end in the same organisation word."""
    kf, kw = unit_key(fragment), unit_key(whole)
    if len(kf) < 3 or kf == kw or kf not in kw:
        return False
    return _company_suffix(normalize_unit(fragment)) == _company_suffix(normalize_unit(whole)) != ""


# The shortest tail of a unit's name that is read as that unit's, not as a kind of unit.
MIN_TAIL = 4


def read_without_start(part: str | None, whole: str | None) -> bool:
    """A unit name read without its first characters — a signature's start under the seal (工程公司
    of 云溪县建筑工程公司): at least MIN_TAIL characters, the last ones of the whole. A reading
    no other unit would contradict, though too short to tell whose it is (unit_fragment_of)."""
    a, b = normalize_unit(part or ""), normalize_unit(whole or "")
    return len(a) >= MIN_TAIL and len(b) > len(a) and b.endswith(a)


# A document's number: a year in brackets (桐安〔2001〕50号, 青安字(97)第056号) or a count before 号.
DOCUMENT_NUMBER = re.compile(r"[〔\[【(（]\s*\d{2,4}\s*[〕\]】)）]|\d\s*号$")


def is_document_number(value: str) -> bool:
    """Whether a would-be unit name is a document's number: 号 ends many old shop names, so
    the organisation word alone does not tell them apart."""
    return bool(DOCUMENT_NUMBER.search(value))


# A numeral lost or gained names another works (化工二厂 is not 化工厂), never an OCR loss.
_NUMERALS = frozenset("0123456789〇零一二三四五六七八九十第")


def lost_character(read: str | None, whole: str | None) -> str | None:
    """The character `whole` has that `read` lacks, when `read` is `whole` with one character
    lost (not a numeral), both names of at least five characters: 云溪县路管理段 read for
    云溪县公路管理段, a glyph the OCR did not detect. None otherwise."""
    r, w = normalize_unit(read), normalize_unit(whole)
    if len(r) < 5 or len(w) != len(r) + 1:
        return None
    for i, ch in enumerate(w):
        if w[:i] + w[i + 1:] == r:
            return None if ch in _NUMERALS else ch
    return None


def _company_suffix(name: str) -> str:
    return next((suffix for suffix in COMPANY_SUFFIXES if name.endswith(suffix)), "")


def service_unit(text: str | None) -> str | None:
    """'05318部队三营九连' → '05318部队'; other unit names lose PLA prefix and sub-units."""
    s = squeeze(text)
    s = SEAL_MARKS.sub("", s)
    m = UNIT_CODE.search(s)
    if m:
        return f"{m.group(1)}部队"
    s = _PLA_PREFIX.sub("", s)
    s = _SUB_UNITS.sub("", s)
    return s or None
