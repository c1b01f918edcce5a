"""居民身份证 (both sides as OCR text): 姓名, 性别, 出生 (weak label: "出生 1975 年 3 月 14 日"),
公民身份号码 (often printed in spaced groups, or read as several boxes). The back side's
签发机关 / 有效期限 are distractor labels, so their dates never become the birth date."""
from __future__ import annotations

from extract.anchors import fields_from
from extract.document import DocText
from extract.doctypes.common import person_candidates

FIELDS = ("name", "gender", "birth_date", "id_number")


def extract(doc: DocText):
    return fields_from(person_candidates(doc))
