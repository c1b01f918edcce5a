"""Termination: 解除(终止)劳动合同证明书, 除名/开除/自动离职 decisions, unit 证明.

- name: 姓名 label; "周立新 同志（公民身份号码…）：" at a line start; "关于对陈卫东同志作除名处理";
  "兹证明李海波同志";
- gender: 性别 label (the 证明书 table), or "陈卫东同志（男，…" in a letter;
- employer: 单位名称 / 用人单位 label, else the unit signing above the closing date
  ("本单位/我公司" is that unit), 破产清算组 and seal marks removed — also when only the
  date's tail ("十四日") is readable under the seal, or no date at all (the unit alone on its
  line after 特此证明);
- termination_date: the date the relation ended — "于2003年6月30日终止", "自1999年5月5日起解除",
  "2005年8月因企业改制解除劳动关系", or a 解除日期 label; never the contract term
  ("自1997年10月6日至2000年10月5日") nor the certificate's own date;
- termination_reason: a 解除原因 label, else the whole text through extract.normalize.reasons
  (disqualifying reasons win);
- report_date: when the veteran started — "你于1997年10月6日进入本单位工作", "1997年10月报到上岗",
  "1998年3月经县退伍军人安置办公室介绍来公司工作" (doctypes/common.REPORT_CONTEXTS); never the
  contract term, the termination date or the certificate's own date;
- issuer: the signing unit as signed (青河县化肥厂破产清算组 — the employer stays 青河县化肥厂);
- former_employer: the employer's name before a stated rename — "（原青河县粮食局城南粮站，2004年
  改制为…）", "原名XX", "由XX更名为YY", "XX于2004年改制为YY" → XX; absent without such wording.
"""
from __future__ import annotations

import re

from extract.anchors import FieldCandidate, fields_from, from_labels, pick
from extract.document import DocText
from extract.doctypes.common import id_candidates, parse_reason, report_date_candidates
from extract.labels import UNIT_SUFFIXES
from extract.normalize.reasons import winning_hit
from extract.normalize.text import HAN, is_han
from extract.normalize.units import normalize_unit, same_unit, unit_fragment_of
from extract.prose import (
    NAME,
    candidate_at,
    dates_in_context,
    flow_candidates,
    gender_candidates,
    issuer_candidates,
    issuer_unit,
    name_candidates,
    signature_line,
    undated_signature,
    subject_names,
)
from extract.values import parse_date_value, parse_gender, parse_name, parse_unit

FIELDS = (
    "name", "id_number", "gender", "employer", "termination_date", "termination_reason",
    "report_date", "issuer", "former_employer",
)

NAME_PATTERNS = (
    (re.compile(rf"关于\s*(?:对|给予)\s*(?P<v>{NAME})\s*同\s*志"), 0.9),
    (re.compile(rf"关于\s*(?:对|给予)\s*(?P<v>{NAME})\s*(?:作|给予|予以|的|开除|除名|按)"), 0.85),
    (re.compile(rf"(?:^|\n)\s*(?P<v>{NAME})\s*同\s*志\s*[(（,，:]"), 0.9),
    (re.compile(rf"兹\s*证\s*明\s*(?P<v>{NAME})\s*(?:同\s*志)?\s*[(（,，]"), 0.9),
)
# The employer's former name (NFKC flowing text): (pattern, rule); the unit is checked by _former_unit.
_U = rf"(?P<v>[{HAN}\d]{{3,30}}?)"
_RENAMED = r"(?:整体\s*)?(?:改制|更名|改名|变更名称|名称变更|转制)\s*(?:为|成)"
_WHEN = r"(?:于?\s*\d{4}\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?\s*)?"
FORMER_PATTERNS = (
    (re.compile(rf"[(]\s*原\s*(?:名\s*称?\s*(?:为|是)?\s*:?\s*)?{_U}\s*[),;，；]"), 0.9),
    (re.compile(rf"原\s*(?:名\s*称?|单位名称|厂名|企业名称)\s*(?:为|是)?\s*:?\s*{_U}(?=[\s,;。，；)]|{_WHEN}{_RENAMED})"), 0.9),
    (re.compile(rf"由\s*{_U}\s*{_WHEN}{_RENAMED}"), 0.85),
    (re.compile(rf"(?:^|(?<=[,;。:，；(\s]))(?:原\s*)?{_U}\s*{_WHEN}{_RENAMED}"), 0.8),
)
# Where the body says he was placed to work: "经青河县安置部门分配到青河县邮电局工作".
PLACED_AT = re.compile(rf"(?:分\s*配|安\s*置|安\s*排|介\s*绍|调)\s*(?:到|至|进|入|在)\s*{_U}\s*(?:工\s*作|上\s*班|就\s*业|任\s*职)")
# not a unit of its own: "我单位", "本厂", "该公司"
_SELF = re.compile(r"^(?:我|本|该|你|贵|原)")

# after the date: (起) (正式) (与你/与其) 终止/解除/期满
END = r"\s*(?:起\s*)?(?:正式\s*)?(?:与\s*(?:你|其|该同志)\s*)?(?:终止|解除|期满|届满)"
DATE_CONTEXTS = (  # (before, after, rule)
    (r"(?:于|在)\s*", END, 0.9),
    (r"自\s*", r"\s*起\s*(?:正式\s*)?(?:与\s*(?:你|其|该同志)\s*)?(?:终止|解除)", 0.9),
    (None, r"\s*(?:因[^,，。]{0,14})?(?:解除|终止)\s*(?:了\s*)?劳\s*动", 0.75),
)


def reason_candidates(doc: DocText) -> list[FieldCandidate]:
    out = from_labels(doc, "termination_reason", ("term_reason", "term_split"), parse_reason)
    hit = winning_hit(doc.joined)
    if hit is not None:
        out.append(candidate_at(doc, "termination_reason", hit.reason, hit.start, hit.end, 0.9))
    return out


def _former_unit(text: str) -> str | None:
    value = normalize_unit(text)
    if _SELF.match(value) or value.endswith("部队") or sum(is_han(c) for c in value) < 4:
        return None
    return value if value.endswith(UNIT_SUFFIXES) else None


def former_employer_candidates(doc: DocText) -> list[FieldCandidate]:
    out = []
    for pattern, rule in FORMER_PATTERNS:
        out += flow_candidates(doc, "former_employer", pattern, _former_unit, rule)
    return out


def extract(doc: DocText):
    names = from_labels(doc, "name", ("name",), parse_name)
    for pattern, rule in NAME_PATTERNS:
        names += name_candidates(doc, "name", pattern, rule)
    names += subject_names(doc)

    labelled = from_labels(doc, "employer", ("employer",), parse_unit)
    # a form's own employer field first, then where the body says he was placed (the unit may
    # have been renamed since), then the unit that signed — only where the form names no
    # employer or names the same one: on an approval form with several signatures the last is
    # a supervising authority (劳动和社会保障局), whatever the employer's field reads
    employers = labelled + flow_candidates(doc, "employer", PLACED_AT, _former_unit, 0.75)
    signed = signature_line(doc)
    issuer = issuer_unit(doc, "employer", signed, rule=0.8) if signed is not None else undated_signature(doc, "employer")
    if issuer and (not labelled or any(_related(issuer.value, c.value) for c in labelled)):
        employers.append(issuer)

    dates = from_labels(doc, "termination_date", ("term_date", "term_split"), parse_date_value)
    for before, after, rule in DATE_CONTEXTS:
        dates += dates_in_context(doc, "termination_date", before, after, rule)

    ended = pick(dates)
    # The job began before it ended: a later start is a misread year ("二四年" for 二〇〇四年,
    # taken as 2024), better left for the reviewer than flagged as a contradiction.
    started = [c for c in report_date_candidates(doc) if ended is None or c.value[:7] <= ended.value[:7]]
    return fields_from(
        {
            "name": names,
            "id_number": id_candidates(doc),
            "gender": from_labels(doc, "gender", ("gender",), parse_gender) + gender_candidates(doc),
            "employer": employers,
            "termination_date": dates,
            "termination_reason": reason_candidates(doc),
            "report_date": started,
            "issuer": issuer_candidates(doc),
            "former_employer": former_employer_candidates(doc),
        }
    )


def _related(a: str, b: str) -> bool:
    """The same unit, or one read as a fragment of the other (a seal over 厂, a misread end)."""
    return same_unit(a, b) or unit_fragment_of(a, b) or unit_fragment_of(b, a)
