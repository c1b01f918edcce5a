"""Lists of several veterans (待安置生活补助费发放花名册): each row is tried as if it were the
document's own fields and links to its one matching case (Link.rows); the document is a case's
when its linked rows are all that case's, with Link.row = the first."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cases import CaseOptions, DocumentFacts, Link, RosterEntry, evaluate_case, link_documents
from core.types import ExtractedField

TANG = "360894196707249014"  # 汤建国, born 1967-07
XIA = "360896197803145351"  # 夏新, born 1978-03
WEI = "360896196706245591"  # 魏德国, born 1967-06
STRANGER = "360896197803149993"  # valid, not on the roster

ROSTER = [RosterEntry(TANG, "汤建国", {}), RosterEntry(XIA, "夏新", {}), RosterEntry(WEI, "魏德国", {})]


def fields(**values: str) -> dict[str, ExtractedField]:
    return {k: ExtractedField(k, v, v, 0.9, 1, (0, 0, 10, 10)) for k, v in values.items()}


def doc(doc_id: str, doc_type: str = "other", file: str | None = None, **values: str) -> DocumentFacts:
    return DocumentFacts(doc_id, doc_type, fields(**values), file=file)


def payroll(doc_id: str, *rows: dict[str, str], file: str | None = None) -> DocumentFacts:
    return DocumentFacts(doc_id, "subsidy_voucher", fields(issue_date="2000-03"), file=file,
                         rows=tuple(fields(**row) for row in rows))  # fmt: skip


XIA_DISCHARGE = doc("dis", "discharge", name="夏新", id_number=XIA, discharge_date="1999-12-25")


def link_of(docs, roster=ROSTER) -> dict[str, Link]:
    return {link.document_id: link for link in link_documents(docs, roster)}


def got(link: Link) -> tuple[str | None, str | None, int | None]:
    return link.case_id_number, link.method, link.row


def test_the_single_row_backed_by_a_discharge_month_links_the_list():
    sheet = payroll("sheet", {"name": "刘大海", "discharge_date": "1999-12"}, {"name": "夏新", "discharge_date": "1999-12"})
    links = link_of([XIA_DISCHARGE, sheet])
    assert got(links["sheet"]) == (XIA, "name_discharge", 1)
    assert "第 2 行" in links["sheet"].reason and "夏新" not in links["sheet"].reason


def test_a_row_with_a_roster_number_links_by_id_first():
    sheet = payroll("sheet", {"name": "夏新", "id_number": XIA}, {"name": "刘大海", "id_number": STRANGER})
    assert got(link_of([sheet])["sheet"]) == (XIA, "id_number", 0)


def test_a_row_backed_by_its_birth_month_or_a_near_id():
    by_birth = payroll("b", {"name": "魏德国", "birth_date": "1967-06"})
    near = payroll("n", {"name": "魏德国", "id_number": "360896196706245491"})
    links = link_of([by_birth, near])
    assert got(links["b"]) == (WEI, "name_birth", 0)
    assert got(links["n"]) == (WEI, "name_near_id", 0)


def test_rows_of_two_roster_cases_link_each_row_to_its_veteran():
    sheet = payroll("sheet", {"name": "夏新", "discharge_date": "1999-12"}, {"name": "汤建国", "id_number": TANG})
    links = link_of([XIA_DISCHARGE, sheet])
    assert got(links["sheet"]) == (None, None, None)  # the list as a whole is nobody's
    assert "2 人" in links["sheet"].reason
    assert [(r.row, r.case_id_number, r.method) for r in links["sheet"].rows] == [
        (0, XIA, "name_discharge"), (1, TANG, "id_number")
    ]  # fmt: skip
    assert "第 1 行" in links["sheet"].rows[0].reason and XIA not in links["sheet"].rows[0].reason


def test_a_row_that_two_veterans_match_links_to_neither():
    roster = ROSTER + [RosterEntry("360896197803140016", "夏欣", {})]  # a homophone, same birth month
    sheet = payroll("sheet", {"name": "夏新", "discharge_date": "1999-12"}, {"name": "汤建国", "id_number": TANG})
    link = link_of([XIA_DISCHARGE, doc("dis2", "discharge", name="夏欣", id_number=roster[-1].id_number,
                                       discharge_date="1999-12"), sheet], roster)["sheet"]
    assert [(r.row, r.case_id_number) for r in link.rows] == [(1, TANG)]


def test_a_row_with_a_valid_number_not_on_the_roster_matches_nobody():
    sheet = payroll("sheet", {"name": "夏新", "id_number": STRANGER, "discharge_date": "1999-12"})
    assert got(link_of([XIA_DISCHARGE, sheet])["sheet"]) == (None, None, None)


def test_a_row_is_not_backed_by_the_file_or_a_name_alone():
    sheet = payroll("sheet", {"name": "汤建国"}, file="F34")
    card = doc("card", "id_card", file="F34", name="汤建国", id_number=TANG)
    assert got(link_of([card, sheet])["sheet"]) == (None, None, None)


def test_two_rows_of_the_same_case_link_with_the_first_row():
    sheet = payroll("sheet", {"name": "刘大海"}, {"name": "夏新", "id_number": XIA}, {"name": "夏新", "discharge_date": "1999-12"})
    assert got(link_of([XIA_DISCHARGE, sheet])["sheet"]) == (XIA, "id_number", 1)


def test_the_matched_row_lends_its_facts_to_the_next_round():
    sheet = payroll("sheet", {"name": "夏新", "id_number": XIA, "discharge_date": "1999-12"})
    voucher = doc("voucher", "subsidy_voucher", name="夏新", discharge_date="1999-12")
    links = link_of([sheet, voucher])
    assert got(links["voucher"]) == (XIA, "name_discharge", None)
    assert "sheet" in links["voucher"].reason


def test_ordinary_documents_have_no_row():
    assert link_of([XIA_DISCHARGE])["dis"].row is None


def test_the_row_view_is_what_the_case_evaluates():
    sheet = payroll("sheet", {"name": "刘大海"}, {"name": "夏心", "discharge_date": "1999-12"})
    link = link_of([XIA_DISCHARGE, sheet])["sheet"]
    assert got(link) == (XIA, "name_discharge", 1)
    view = sheet.for_row(link.row)
    assert (view.id, view.doc_type, view.rows, view.value("name"), view.value("issue_date")) == (
        "sheet", "subsidy_voucher", (), "夏心", "2000-03"
    )  # fmt: skip  (the person is the row's; the list's own date stays)
    flags = evaluate_case(ROSTER[1], [XIA_DISCHARGE, view], CaseOptions()).flags
    assert [(f.code, f.severity, f.evidence[0].document) for f in flags if f.code == "name_mismatch"] == [
        ("name_mismatch", "warning", "sheet")
    ]


POOL = [
    XIA_DISCHARGE,
    payroll("s1", {"name": "刘大海", "discharge_date": "1999-12"}, {"name": "夏新", "discharge_date": "1999-12"}),
    payroll("s2", {"name": "夏新", "discharge_date": "1999-12"}, {"name": "汤建国", "id_number": TANG}),
    payroll("s3", {"name": "魏德国", "id_number": WEI, "discharge_date": "1988-12"}),
    doc("v1", "subsidy_voucher", name="魏德国", discharge_date="1988-12"),  # round 2, from s3's row
    doc("card", "id_card", file="F34", name="汤建国", id_number=TANG),
    payroll("s4", {"name": "汤建国"}, file="F34"),
]


@settings(max_examples=40, deadline=None)
@given(st.permutations(POOL), st.permutations(ROSTER))
def test_row_linking_is_independent_of_document_and_roster_order(docs, roster):
    assert link_of(docs, roster) == link_of(POOL, ROSTER)


def test_pool_links_as_expected():
    assert {k: got(v) for k, v in link_of(POOL).items()} == {
        "dis": (XIA, "id_number", None),
        "s1": (XIA, "name_discharge", 1),
        "s2": (None, None, None),
        "s3": (WEI, "id_number", 0),
        "v1": (WEI, "name_discharge", None),
        "card": (TANG, "id_number", None),
        "s4": (None, None, None),
    }
