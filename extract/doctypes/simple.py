"""Short documents.

subsidy_voucher (待安置生活补助发放表, 一次性补助领取凭证): name and id_number from their labels
(a payroll's column headers: the FIRST row is taken — see the report on multi-person lists).
political_review (无犯罪记录证明, 政审表): name ("兹证明 周立新（男，…" or a label), id_number,
issue_date (the certificate's own date at the bottom, or a 出具日期/签发日期 label; never the
"截至2020年3月18日" query date in the body).
"""
from __future__ import annotations

import re

from extract.anchors import fields_from, from_labels
from extract.document import DocText
from extract.doctypes.common import id_candidates
from extract.prose import NAME, closing_date, name_candidates
from extract.values import parse_date_value, parse_name

SUBSIDY_FIELDS = ("name", "id_number")
REVIEW_FIELDS = ("name", "id_number", "issue_date")

REVIEW_NAME = re.compile(rf"兹\s*证\s*明\s*(?P<v>{NAME})\s*(?:同\s*志)?\s*[(（,，]")


def extract_subsidy(doc: DocText):
    return fields_from({"name": from_labels(doc, "name", ("name",), parse_name), "id_number": id_candidates(doc)})


def extract_review(doc: DocText):
    names = from_labels(doc, "name", ("name",), parse_name) + name_candidates(doc, "name", REVIEW_NAME, 0.9)
    dates = from_labels(doc, "issue_date", ("issue_date",), parse_date_value)
    closing = closing_date(doc, "issue_date", 0.9)
    if closing:
        dates.append(closing[0])
    return fields_from({"name": names, "id_number": id_candidates(doc), "issue_date": dates})
