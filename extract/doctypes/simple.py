"""Short documents.

subsidy_voucher (待安置生活补助发放表, 一次性补助领取凭证): name, id_number and discharge_date
(退伍时间 / 退役时间) from their labels (a payroll's column headers: the FIRST row is taken;
extract_rows gives every row — extract/doctypes/rows.py).
political_review (无犯罪记录证明, 政审表): name ("兹证明 周立新（男，…" or a label), gender (性别
label or "（男，"), id_number, issue_date (the certificate's own date at the bottom, or a
出具日期/签发日期 label). The "截至2020年3月18日" query date in the body is taken only when
the date at the bottom is unreadable (under the seal) — at a low confidence, the check being run
the day the certificate is issued — or was read only in part (its year cut short, so a digit of
the day may be lost too: "二年五月十日" for 二〇二〇年五月十五日) in the same month.
"""
from __future__ import annotations

import re

from extract.anchors import Candidate, fields_from, from_labels
from extract.document import DocText
from extract.doctypes.common import id_candidates
from extract.doctypes.rows import person_rows
from extract.prose import NAME, closing_date, closing_match, dates_in_context, gender_candidates, name_candidates
from extract.values import parse_date_value, parse_gender, parse_name

SUBSIDY_FIELDS = ("name", "id_number", "discharge_date")
REVIEW_FIELDS = ("name", "id_number", "gender", "issue_date")

REVIEW_NAME = re.compile(rf"兹\s*证\s*明\s*(?P<v>{NAME})\s*(?:同\s*志)?\s*[(（,，]")
# (before the date, after it, rule): the records query date, a fallback for the issue date
QUERY_DATE = (r"截\s*至\s*", None, 0.6)


def extract_subsidy(doc: DocText):
    found = fields_from(
        {
            "name": from_labels(doc, "name", ("name",), parse_name),
            "id_number": id_candidates(doc),
            "discharge_date": from_labels(doc, "discharge_date", ("discharge_date",), parse_date_value),
        }
    )
    rows = person_rows(doc)
    if rows and rows[0].get("name") and found.get("name") and rows[0]["name"].value == found["name"].value:
        for name, f in rows[0].items():  # the first row's cells a header-to-value rule missed
            found.setdefault(name, f)
    return found


def _with_rule(c: Candidate, rule: float) -> Candidate:
    return Candidate(c.field, c.value, c.raw, rule, c.ocr_conf, c.page, c.bbox, c.order)


def extract_review(doc: DocText):
    names = from_labels(doc, "name", ("name",), parse_name) + name_candidates(doc, "name", REVIEW_NAME, 0.9)
    dates = from_labels(doc, "issue_date", ("issue_date",), parse_date_value)
    before, after, rule = QUERY_DATE
    query = dates_in_context(doc, "issue_date", before, after, rule)
    closing = closing_date(doc, "issue_date", 0.9)
    if closing is None:
        dates += query
    else:
        dates.append(closing[0])
        partial_read = closing_match(doc)[0].repaired
        same_month = [q for q in query if q.value[:7] == closing[0].value[:7]]
        if partial_read and same_month:  # the fully read date of the same check wins
            dates += [_with_rule(q, closing[0].rule_conf + 0.01) for q in same_month]
    genders = from_labels(doc, "gender", ("gender",), parse_gender) + gender_candidates(doc)
    return fields_from({"name": names, "id_number": id_candidates(doc), "gender": genders, "issue_date": dates})
