"""居民身份证 (both sides as OCR text) and the 户口簿 常住人口登记卡 page: 姓名, 性别, 出生 (weak
label: "出生 1975 年 3 月 14 日"; 出生地 is a distractor), 公民身份号码 (often printed in spaced
groups, or read as several boxes), 曾用名 (register page) → former_name, absent when the cell is
empty, （空） or 无; 兵役状况 (register page) → military_status. The back side's 签发机关 /
有效期限 are distractor labels, so their dates never become the birth date."""
from __future__ import annotations

import re

from extract.anchors import fields_from, from_labels
from extract.document import DocText
from extract.doctypes.common import person_candidates
from extract.normalize.kinds import MILITARY_STATUS_WORDS
from extract.prose import regex_candidates
from extract.values import parse_name

FIELDS = ("name", "gender", "birth_date", "id_number", "former_name", "military_status")

MILITARY_STATUS = re.compile(
    r"兵\s*役\s*状\s*况\s*:?\s*(?P<v>" + "|".join(sorted(MILITARY_STATUS_WORDS, key=len, reverse=True)) + ")"
)


def extract(doc: DocText):
    cands = person_candidates(doc)
    cands["former_name"] = from_labels(doc, "former_name", ("former_name",), parse_name)
    # a regex, not the label's value: its value 退出现役 is itself a (weak) label and would end it
    cands["military_status"] = regex_candidates(doc, "military_status", MILITARY_STATUS, MILITARY_STATUS_WORDS.get, 0.95)
    return fields_from(cands)
