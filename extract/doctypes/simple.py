"""Short documents.

subsidy_voucher (待安置生活补助发放表, 一次性补助领取凭证): name, id_number and discharge_date
(退伍时间 / 退役时间) from their labels (a payroll's column headers: the FIRST row is taken;
extract_rows gives every row — extract/doctypes/rows.py); payment_kind from the 款项 label, else the
title (the first lines of the first page), else any line, by keyword (extract/normalize/kinds.py:
待安置…生活补助 → pending_allowance, 自谋职业/自主就业/一次性退役金 → self_employment_grant,
退伍费/退出现役补助费 → discharge_pay; a 款项 or a payment title without one → other);
paid_period from 所属期间 ("1997年1月至1997年9月" → 1997-01/1997-09); issuer (prose.issuer_candidates:
"青河县民政局（财务专用章） 1997年10月8日", a sealed "青河县民政局（章）" at the bottom).
political_review (无犯罪记录证明, 政审表): name ("兹证明 周立新（男，…" or a label), gender (性别
label or "（男，"), id_number, issue_date (the certificate's own date at the bottom, or a
出具日期/签发日期 label). The "截至2020年3月18日" query date in the body is taken only when
the date at the bottom is unreadable (under the seal) — at a low confidence, the check being run
the day the certificate is issued — or was read only in part (its year cut short, so a digit of
the day may be lost too: "二年五月十日" for 二〇二〇年五月十五日) in the same month. issuer: the
signing police station (青河县公安局城关派出所).
"""
from __future__ import annotations

import re

from extract.anchors import FieldCandidate, fields_from, from_labels
from extract.document import DocText
from extract.doctypes.common import id_candidates
from extract.doctypes.rows import person_rows
from extract.normalize.kinds import payment_kind
from extract.prose import (
    NAME,
    closing_date,
    closing_match,
    dates_in_context,
    gender_candidates,
    issuer_candidates,
    name_candidates,
    subject_names,
)
from extract.values import parse_date_value, parse_gender, parse_name, parse_paid_period, parse_payment_kind

SUBSIDY_FIELDS = ("name", "id_number", "discharge_date", "payment_kind", "paid_period", "issuer")
REVIEW_FIELDS = ("name", "id_number", "gender", "issue_date", "issuer")

REVIEW_NAME = re.compile(rf"兹\s*证\s*明\s*(?P<v>{NAME})\s*(?:同\s*志)?\s*[(（,，]")
# (before the date, after it, rule): the records query date, a fallback for the issue date
QUERY_DATE = (r"截\s*至\s*", None, 0.6)


# A title names a payment: the line holding the kind of payroll / voucher it is.
PAYMENT_TITLE = re.compile(r"补\s*助|费|金|凭\s*证|发\s*放|领\s*取|花\s*名\s*册")
TITLE_LINES = 3  # lines at the top of the first page that may hold the title
# (rule) payment kind from: the 款项 label, the title, any other line
KIND_LABEL, KIND_TITLE, KIND_ELSEWHERE = 0.95, 0.85, 0.7


def payment_kind_candidates(doc: DocText) -> list[FieldCandidate]:
    out = from_labels(doc, "payment_kind", ("payment_item",), parse_payment_kind, base=KIND_LABEL)
    first = doc.lines[0].page if doc.lines else None
    top = {tl.order for tl in [t for t in doc.reading_order() if t.page == first][:TITLE_LINES]}
    for tl in doc.lines:
        if any(h.key == "payment_item" for h in tl.hits):
            continue  # read through its label above
        kind = payment_kind(tl.text)
        is_title = tl.order in top and not tl.hits and PAYMENT_TITLE.search(tl.text) is not None
        if kind is None and not is_title:
            continue
        rule = (KIND_TITLE if is_title else KIND_ELSEWHERE) * (1.0 if kind else 0.8)
        out.append(FieldCandidate("payment_kind", kind or "other", tl.line.text, rule, tl.conf, tl.page, tl.src_bbox, tl.order))
    return out


def extract_subsidy(doc: DocText):
    found = fields_from(
        {
            "name": from_labels(doc, "name", ("name",), parse_name),
            "id_number": id_candidates(doc),
            "discharge_date": from_labels(doc, "discharge_date", ("discharge_date",), parse_date_value),
            "payment_kind": payment_kind_candidates(doc),
            "paid_period": from_labels(doc, "paid_period", ("paid_period",), parse_paid_period),
            "issuer": issuer_candidates(doc),
        }
    )
    rows = person_rows(doc)
    if rows and rows[0].get("name") and found.get("name") and rows[0]["name"].value == found["name"].value:
        for name, f in rows[0].items():  # the first row's cells a header-to-value rule missed
            found.setdefault(name, f)
    return found


def _with_rule(c: FieldCandidate, rule: float) -> FieldCandidate:
    return FieldCandidate(c.field, c.value, c.raw, rule, c.ocr_conf, c.page, c.bbox, c.order)


def extract_review(doc: DocText):
    names = from_labels(doc, "name", ("name",), parse_name) + name_candidates(doc, "name", REVIEW_NAME, 0.9)
    names += subject_names(doc)
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
    return fields_from(
        {
            "name": names,
            "id_number": id_candidates(doc),
            "gender": genders,
            "issue_date": dates,
            "issuer": issuer_candidates(doc),
        }
    )
