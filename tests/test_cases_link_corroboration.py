"""Linking by name + a corroborating fact: near-miss ID, discharge month, same scanned file, same
unit, and facts lent by documents linked in an earlier round. Each method links the document it
was built for and stays silent where it must."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cases import CaseOptions, DocumentFacts, Link, RosterEntry, evaluate_case, link_documents
from core.types import ExtractedField

WEI = "360896196706245591"  # 魏德国, born 1967-06
FANG = "360894196806262070"  # 方新, born 1968-06
QIAN = "360894197409140197"  # 钱东胜, born 1974-09
TANG = "360894196707249014"  # 汤建国, born 1967-07
XIA = "360896197803145351"  # 夏新, born 1978-03
STRANGER = "360896197803149993"  # valid, not on the roster

WEI_TYPO = "360896196706245491"  # one digit mistyped (5 → 4): fails the checksum
WEI_SWAPPED = "360896196706245951"  # two neighbours swapped: fails the checksum
WEI_LEGACY_TYPO = "360896670624558"  # WEI's legacy form 360896670624559 with the last digit mistyped

ROSTER = [
    RosterEntry(WEI, "魏德国", {}),
    RosterEntry(FANG, "方新", {}),
    RosterEntry(QIAN, "钱东胜", {}),
    RosterEntry(TANG, "汤建国", {}),
    RosterEntry(XIA, "夏新", {}),
]


def fields(**values: str) -> dict[str, ExtractedField]:
    return {k: ExtractedField(k, v, v, 0.9, 1, (0, 0, 10, 10)) for k, v in values.items()}


def doc(doc_id: str, doc_type: str = "other", file: str | None = None, **values: str) -> DocumentFacts:
    return DocumentFacts(doc_id, doc_type, fields(**values), file=file)


def link_of(docs, roster=ROSTER) -> dict[str, Link]:
    return {link.document_id: link for link in link_documents(docs, roster)}


def got(links: dict[str, Link], doc_id: str) -> tuple[str | None, str | None]:
    return links[doc_id].case_id_number, links[doc_id].method


def no_personal_data(link: Link, *secrets: str) -> bool:
    return not any(s in link.reason for s in secrets)


# ---- name_near_id ------------------------------------------------------------------------------


def test_one_mistyped_digit_links_by_name_and_near_id():
    links = link_of([doc("police", "political_review", name="魏德国", id_number=WEI_TYPO)])
    assert got(links, "police") == (WEI, "name_near_id")
    assert "仅差一位" in links["police"].reason
    assert no_personal_data(links["police"], WEI, WEI_TYPO, "魏德国")


def test_two_swapped_neighbours_link_by_name_and_near_id():
    links = link_of([doc("police", "political_review", name="魏德国", id_number=WEI_SWAPPED)])
    assert got(links, "police") == (WEI, "name_near_id")


def test_mistyped_legacy_number_not_on_roster_links_only_by_near_id():
    links = link_of([doc("old", "enlistment", name="魏德国", id_number=WEI_LEGACY_TYPO)])
    assert got(links, "old") == (WEI, "name_near_id")


def test_near_id_with_a_different_name_stays_unmatched():
    links = link_of([doc("police", "political_review", name="王建军", id_number=WEI_TYPO)])
    assert got(links, "police") == (None, None)


def test_near_id_close_to_two_roster_numbers_stays_unmatched():
    # 360896196706245495 is valid and also one slip (the check char) from WEI_TYPO
    roster = ROSTER + [RosterEntry("360896196706245495", "李明", {})]
    links = link_of([doc("police", "political_review", name="魏德国", id_number=WEI_TYPO)], roster)
    # the number does not decide; the name, his alone, does — as the last resort, to be confirmed
    assert got(links, "police") == (WEI, "name_only")


def test_near_id_with_a_contradicting_birth_month_stays_unmatched():
    links = link_of([doc("police", name="魏德国", id_number=WEI_TYPO, birth_date="1970-01")])
    assert got(links, "police") == (None, None)


def test_legacy_number_not_on_roster_and_not_near_stays_unmatched_even_with_name_and_birth():
    links = link_of([doc("old", name="魏德国", id_number="360896670624777", birth_date="1967-06")])
    assert got(links, "old") == (None, None)
    assert "视为他人" in links["old"].reason


def test_near_id_document_raises_invalid_id_number_on_its_case():
    docs = [
        doc("card", "id_card", name="魏德国", id_number=WEI, birth_date="1967-06-24"),
        doc("police", "political_review", name="魏德国", id_number=WEI_TYPO),
    ]
    links = link_of(docs)
    linked = [d for d in docs if links[d.id].case_id_number == WEI]
    flags = evaluate_case(ROSTER[0], linked, CaseOptions()).flags
    assert [(f.code, f.evidence[0].document) for f in flags if f.code == "invalid_id_number"] == [
        ("invalid_id_number", "police")
    ]


# ---- name_discharge ----------------------------------------------------------------------------


def test_discharge_month_of_a_document_linked_by_id_backs_the_name():
    docs = [
        doc("discharge", "discharge", name="夏新", id_number=XIA, discharge_date="1999-12-25"),
        doc("voucher", "subsidy_voucher", name="夏新", discharge_date="1999-12"),
        doc("other_month", "subsidy_voucher", name="夏新", discharge_date="1999-11"),
    ]
    links = link_of(docs)
    assert got(links, "voucher") == (XIA, "name_discharge")
    assert "discharge" in links["voucher"].reason
    assert got(links, "other_month") == (None, None)


def test_discharge_month_from_a_roster_column():
    roster = [RosterEntry(XIA, "夏新", {"退伍时间": "1999年12月"})]
    links = link_of([doc("voucher", "subsidy_voucher", name="夏新", discharge_date="1999-12")], roster)
    assert got(links, "voucher") == (XIA, "name_discharge")


# ---- name_same_file ----------------------------------------------------------------------------


def test_letter_in_the_same_scan_as_a_document_linked_by_id():
    docs = [
        doc("card", "id_card", file="F34", name="汤建国", id_number=TANG),
        doc("letter", "placement", file="F34", name="汤建国", placement_unit="槐安县建筑工程公司", placement_date="2001-10-23"),
        doc("loose", "placement", file="F99", name="汤建国", placement_date="2001-10-23"),
    ]
    links = link_of(docs)
    assert got(links, "letter") == (TANG, "name_same_file")
    assert "card" in links["letter"].reason and no_personal_data(links["letter"], "F34", "汤建国")
    assert got(links, "loose") == (TANG, "name_only")  # another scan, nothing else agrees: the last resort


def test_the_last_resort_never_takes_a_scan_of_another_persons_documents():
    docs = [
        doc("card", "id_card", file="F34", name="汤建国", id_number=TANG),
        doc("letter", "placement", file="F34", name="钱东胜", placement_date="2001-10-23"),
    ]
    links = link_of(docs)
    assert got(links, "letter") == (None, None)
    assert "同属一个扫描文件" in links["letter"].reason


def test_same_file_with_a_different_name_stays_unmatched():
    docs = [
        doc("card", "id_card", file="F34", name="汤建国", id_number=TANG),
        doc("letter", "placement", file="F34", name="王建军", placement_date="2001-10-23"),
    ]
    assert got(link_of(docs), "letter") == (None, None)


def test_same_file_holding_two_cases_with_the_name_stays_unmatched():
    twin = "360894196707249030"  # another 汤建国
    roster = ROSTER + [RosterEntry(twin, "汤建国", {})]
    docs = [
        doc("card1", "id_card", file="F34", name="汤建国", id_number=TANG),
        doc("card2", "id_card", file="F34", name="汤建国", id_number=twin),
        doc("letter", "placement", file="F34", name="汤建国", placement_date="2001-10-23"),
    ]
    links = link_of(docs, roster)
    assert got(links, "letter") == (None, None)
    assert "2 人" in links["letter"].reason


def test_same_file_holding_another_veteran_with_another_name_still_links():
    docs = [
        doc("card1", "id_card", file="F34", name="汤建国", id_number=TANG),
        doc("card2", "id_card", file="F34", name="钱东胜", id_number=QIAN),
        doc("letter", "placement", file="F34", name="汤建国", placement_date="2001-10-23"),
    ]
    assert got(link_of(docs), "letter") == (TANG, "name_same_file")


def test_documents_without_a_file_key_are_not_of_the_same_file():
    docs = [
        doc("card", "id_card", name="汤建国", id_number=TANG),
        doc("letter", "placement", name="汤建国", placement_date="2001-10-23"),
    ]
    assert got(link_of(docs), "letter") == (TANG, "name_only")  # no file in common: only the name


TANG_MISREAD = "360894196707241012"  # valid, two digits from TANG's: what one misreading in eleven gives


def test_a_valid_number_a_few_digits_from_a_namesakes_is_a_misreading_not_another_person():
    docs = [
        doc("card", "id_card", file="F34", name="汤建国", id_number=TANG),
        doc("end", "termination", file="F34", name="汤建国", id_number=TANG_MISREAD),
        doc("other", "termination", file="F34", name="钱东胜", id_number=TANG_MISREAD),
    ]
    links = link_of(docs)
    assert got(links, "end") == (TANG, "name_same_file")  # decides nothing: the name and the scan do
    assert "可能识别有误" in links["end"].reason and no_personal_data(links["end"], TANG_MISREAD)
    assert got(links, "other") == (None, None)  # near no one of ITS name: someone else's number
    assert "视为他人" in links["other"].reason


def test_a_page_without_a_name_in_one_persons_scan_links_by_the_scan_and_a_month():
    card = doc("card", "id_card", file="F34", name="汤建国", id_number=TANG)
    page = doc("booklet", "discharge", file="F34", birth_date="1967-07", discharge_date="1990-12")
    links = link_of([card, page])
    assert got(links, "booklet") == (TANG, "file_only")
    assert "出生年月一致" in links["booklet"].reason and "待核实" in links["booklet"].reason
    other_birth = doc("booklet", "discharge", file="F34", birth_date="1970-01", discharge_date="1990-12")
    assert got(link_of([card, other_birth]), "booklet") == (None, None)  # a month contradicts
    no_month = doc("booklet", "discharge", file="F34", service_unit="02325部队")
    assert got(link_of([card, no_month]), "booklet") == (None, None)  # nothing agrees
    elsewhere = doc("booklet", "discharge", file="F99", birth_date="1967-07")
    assert got(link_of([card, elsewhere]), "booklet") == (None, None)  # another scan
    two = doc("card2", "id_card", file="F34", name="钱东胜", id_number=QIAN)
    assert got(link_of([card, two, page]), "booklet") == (None, None)  # a scan of two people's papers
    # an excluding page in his folder is his too: its flag stops the case, provisional (below)
    excluding = doc("booklet", "termination", file="F34", birth_date="1967-07", termination_reason="removal")
    assert got(link_of([card, excluding]), "booklet") == (TANG, "file_only")


def test_an_exclusion_on_a_page_linked_by_its_scan_alone_is_provisional_until_confirmed():
    from dataclasses import replace

    card = doc("card", "id_card", file="F34", name="汤建国", id_number=TANG, birth_date="1967-07-24")
    page = doc("booklet", "termination", file="F34", birth_date="1967-07", termination_reason="removal",
               termination_date="1995-03-01")
    [card_link, page_link] = link_documents([card, page], ROSTER)
    linked = [replace(card, link_method=card_link.method or ""), replace(page, link_method=page_link.method or "", pages=(3,))]
    [flag] = [f for f in evaluate_case(ROSTER[3], linked, CaseOptions()).flags if f.code == "disqualifying_termination"]
    assert flag.severity == "error" and "仅按同一扫描文件关联，待核实" in flag.message
    assert flag.provisional == {"documents": ["booklet"], "pages": [{"document": "booklet", "page": 3, "cause": "link"}]}
    confirmed = [linked[0], replace(linked[1], confirmed=True)]
    [flag] = [f for f in evaluate_case(ROSTER[3], confirmed, CaseOptions()).flags if f.code == "disqualifying_termination"]
    assert flag.provisional is None and "暂定" not in flag.message


def test_a_nameless_page_in_one_persons_scan_links_by_the_unit_of_his_papers():
    end = doc("end", "termination", file="F34", name="汤建国", id_number=TANG, employer="槐安县氮肥厂")
    letter = doc("letter", "placement", file="F34", placement_unit="槐安县氮肥厂", placement_date="1990-09-18")
    links = link_of([end, letter])
    assert got(links, "letter") == (TANG, "file_only") and "安置单位" in links["letter"].reason
    other_unit = doc("letter", "placement", file="F34", placement_unit="槐安县酒厂", placement_date="1990-09-18")
    assert got(link_of([end, other_unit]), "letter") == (None, None)


def test_a_nameless_page_with_a_near_number_links_in_any_scan_when_a_fact_agrees():
    """A termination photographed alone, its name not read, its number one digit off WEI's."""
    letter = doc("letter", "placement", file="F1", name="魏德国", id_number=WEI, placement_unit="槐安县缫丝厂")
    end = doc("end", "termination", file="F2", id_number=WEI_TYPO, employer="槐安县缫丝厂")
    links = link_of([letter, end])
    assert got(links, "end") == (WEI, "near_id_only")
    assert "仅差一位" in links["end"].reason and "用人单位一致" in links["end"].reason and "待核实" in links["end"].reason
    assert no_personal_data(links["end"], WEI, WEI_TYPO)
    # nothing agrees; a month contradicts; a number someone else's too; the scan another person's
    assert got(link_of([letter, doc("end", "termination", file="F2", id_number=WEI_TYPO)]), "end") == (None, None)
    contradicts = doc("end", "termination", file="F2", id_number=WEI_TYPO, employer="槐安县缫丝厂", birth_date="1970-01")
    assert got(link_of([letter, contradicts]), "end") == (None, None)
    twin = RosterEntry("360896196706245495", "魏德民", {})  # WEI_TYPO is one digit from his number too
    assert got(link_of([letter, end], ROSTER + [twin]), "end") == (None, None)
    other = doc("card", "id_card", file="F2", name="钱东胜", id_number=QIAN)
    assert got(link_of([letter, end, other]), "end") == (None, None)


def unsure(document: DocumentFacts, field: str, *positions: int) -> DocumentFacts:
    from dataclasses import replace

    value = document.fields[field]
    return replace(document, fields={**document.fields, field: replace(value, doubtful=positions)})


def test_a_name_read_unsure_where_it_differs_links_with_a_fact_like_any_name():
    card = doc("card", "id_card", name="汤建国", id_number=TANG)
    form = doc("form", "enlistment", name="汤建图", birth_date="1967-07-24", enlistment_date="1985-10")
    assert got(link_of([card, form]), "form") == (None, None)  # 图 read sure: another name
    links = link_of([card, unsure(form, "name", 2)])
    assert got(links, "form") == (TANG, "name_birth") and "识别不确定" in links["form"].reason
    other_birth = unsure(doc("form", "enlistment", name="汤建图", birth_date="1970-01-02"), "name", 2)
    assert got(link_of([card, other_birth]), "form") == (None, None)  # the fact must still agree
    nothing = unsure(doc("form", "enlistment", name="汤建图"), "name", 2)
    assert got(link_of([card, nothing]), "form") == (None, None)  # no name_only for an unsure name


def test_a_name_read_unsure_reaches_its_case_through_the_index_as_linking_does():
    """cases/reach.py: incremental linking must find the case an unsure name may be."""
    from cases.reach import case_keys, document_keys

    tang = case_keys(RosterEntry(TANG, "汤建国", {}))
    form = doc("form", "enlistment", name="汤建图", birth_date="1967-07-24")
    assert not document_keys(form) & tang
    assert document_keys(unsure(form, "name", 2)) & tang
    assert not document_keys(unsure(form, "name", 0)) & tang  # 图 is read sure: not 汤建国


TANG_TWIN_MONTH = "360894196707103015"  # 唐建华, born 1967-07 like 汤建国


def test_a_page_without_name_or_number_links_by_birth_and_service_facts_to_the_one_person_possible():
    card = doc("card", "id_card", file="F1", name="汤建国", id_number=TANG)
    discharge = doc("dis", "discharge", file="F2", name="汤建国", id_number=TANG, enlistment_date="1985-10",
                    discharge_date="1989-12", service_unit="05318部队")
    form = doc("form", "enlistment", file="F9", birth_date="1967-07-24", enlistment_date="1985-10", service_unit="05318部队")
    links = link_of([card, discharge, form])
    assert got(links, "form") == (TANG, "facts_only")
    assert "入伍年月、部队番号" in links["form"].reason and "待核实" in links["form"].reason
    assert no_personal_data(links["form"], TANG, "汤建国", "05318")
    # another man born that month whose papers say nothing against the page: it may be his
    roster = ROSTER + [RosterEntry(TANG_TWIN_MONTH, "唐建华", {})]
    assert got(link_of([card, discharge, form], roster), "form") == (None, None)
    # ... unless they contradict it
    twin = doc("twin", "discharge", name="唐建华", id_number=TANG_TWIN_MONTH, enlistment_date="1986-12")
    assert got(link_of([card, discharge, twin, form], roster), "form") == (TANG, "facts_only")
    # one fact besides the birth month is not enough; a contradicting one vetoes
    one_fact = doc("form", "enlistment", file="F9", birth_date="1967-07", enlistment_date="1985-10")
    assert got(link_of([card, discharge, one_fact]), "form") == (None, None)
    contradicts = doc("form", "enlistment", file="F9", birth_date="1967-07", enlistment_date="1985-10",
                      service_unit="05318部队", discharge_date="1990-12")
    assert got(link_of([card, discharge, contradicts]), "form") == (None, None)
    # a scan of another person's papers, or an excluding page, is never linked so
    other_scan = doc("form", "enlistment", file="F5", birth_date="1967-07", enlistment_date="1985-10", service_unit="05318部队")
    qian = doc("qian", "id_card", file="F5", name="钱东胜", id_number=QIAN)
    assert got(link_of([card, discharge, qian, other_scan]), "form") == (None, None)


def test_a_page_without_name_or_number_reaches_the_people_of_its_birth_month_through_the_index():
    from cases.reach import case_keys, document_keys

    form = doc("form", "enlistment", birth_date="1967-07-24", enlistment_date="1985-10")
    assert document_keys(form) & case_keys(RosterEntry(TANG, "汤建国", {}))
    assert not document_keys(form) & case_keys(RosterEntry(QIAN, "钱东胜", {}))


# ---- name_unit ---------------------------------------------------------------------------------


def test_placement_unit_matching_the_employer_of_a_linked_termination():
    docs = [
        doc("end", "termination", name="钱东胜", id_number=QIAN, employer="槐安县酒厂", termination_date="2017-12-22"),
        doc("letter", "placement", name="钱东胜", placement_unit="酒厂（章）", placement_date="2004-07-16"),
    ]
    links = link_of(docs)
    assert got(links, "letter") == (QIAN, "name_unit")
    assert "end" in links["letter"].reason and "酒厂" not in links["letter"].reason


def test_an_excluding_decision_signed_by_a_fragment_of_his_unit_links_and_excludes():
    """A 除名 decision names him and is sealed by 二运输公司 (the round seal lost 青河县第): the unit
    his letter placed him at. Name and unit agree, so the exclusion reaches his case; the
    issuer of any other document (the bureau that signs every letter) lends nothing: that decision
    links by the name alone, awaiting a reviewer."""
    letter = doc("letter", "placement", name="钱东胜", id_number=QIAN, placement_unit="槐安县第二运输公司",
                 placement_date="2004-07-16")
    decision = doc("decision", "termination", name="钱东胜", issuer="二运输公司", termination_reason="removal")
    assert got(link_of([letter, decision]), "decision") == (QIAN, "name_unit")
    bureau = doc("decision", "termination", name="钱东胜", issuer="槐安县民政局", termination_reason="removal")
    assert got(link_of([letter, bureau]), "decision") == (QIAN, "name_only")


def test_unit_of_a_different_cases_document_does_not_link():
    docs = [
        doc("end", "termination", name="方新", id_number=FANG, employer="槐安县自来水公司"),
        doc("letter", "placement", name="钱东胜", placement_unit="槐安县自来水公司", placement_date="1993-05-10"),
    ]
    # 方新's unit lends 钱东胜 nothing (a county places many at one factory): only the last resort
    assert got(link_of(docs), "letter") == (QIAN, "name_only")


def test_unit_with_a_different_name_does_not_link():
    docs = [
        doc("end", "termination", name="钱东胜", id_number=QIAN, employer="槐安县酒厂"),
        doc("letter", "placement", name="王建军", placement_unit="槐安县酒厂", placement_date="2004-07-16"),
    ]
    assert got(link_of(docs), "letter") == (None, None)


# ---- a valid number not on the roster never links by name --------------------------------------


def test_valid_id_not_on_roster_never_links_whatever_else_agrees():
    docs = [
        doc("card", "id_card", file="F1", name="夏新", id_number=XIA),
        doc("discharge", "discharge", file="F1", name="夏新", id_number=XIA, discharge_date="1999-12"),
        doc("end", "termination", file="F1", name="夏新", id_number=XIA, employer="梅岗县物资公司"),
        doc("theirs", "termination", file="F1", name="夏新", id_number=STRANGER, birth_date="1978-03",
            discharge_date="1999-12", employer="梅岗县物资公司"),
    ]
    links = link_of(docs)
    assert got(links, "theirs") == (None, None)
    assert "不在花名册" in links["theirs"].reason


# ---- rounds: facts lent by documents linked earlier --------------------------------------------


def fang_folder() -> list[DocumentFacts]:
    """方新 as in the sample batch: only the ID card and the police certificate carry the number."""
    return [
        doc("card", "id_card", name="方新", id_number=FANG, birth_date="1968-06-26"),
        doc("police", "political_review", name="方新", id_number=FANG, issue_date="2020-03-29"),
        doc("enlist", "enlistment", name="方新", birth_date="1968-06", enlistment_date="1989-11"),
        doc("discharge", "discharge", name="方新", birth_date="1968-06", enlistment_date="1989-11-02",
            discharge_date="1992-12"),
        doc("letter", "placement", name="方新", enlistment_date="1989-11", discharge_date="1992-12",
            placement_unit="槐安县自来水公司", placement_date="1993-05-10"),
        doc("decision", "termination", name="方新", employer="槐安县自来水公司", termination_date="1995-05-24",
            termination_reason="voluntary_departure"),
    ]


def test_chain_birth_then_enlistment_then_unit():
    links = link_of(fang_folder())
    assert {d: got(links, d) for d in ("enlist", "discharge", "letter", "decision")} == {
        "enlist": (FANG, "name_birth"),
        "discharge": (FANG, "name_birth"),
        "letter": (FANG, "name_enlistment"),  # round 2: the enlistment form lends its month
        "decision": (FANG, "name_unit"),  # round 3: the letter lends its unit
    }
    assert "letter" in links["decision"].reason


def test_linked_by_any_method_counts_for_the_case_rules():
    docs = fang_folder()
    links = link_of(docs)
    linked = [d for d in docs if links[d.id].case_id_number == FANG]
    flags = evaluate_case(ROSTER[1], linked, CaseOptions()).flags
    assert [f.doc_type for f in flags if f.code == "missing_document"] == []
    assert [f.code for f in flags if f.severity != "info"] == ["disqualifying_termination"]


def test_homophone_linked_by_same_file_gets_a_name_warning():
    docs = [
        doc("card", "id_card", file="F1", name="方新", id_number=FANG),
        doc("letter", "placement", file="F1", name="芳新", placement_date="1993-05-10"),
    ]
    links = link_of(docs)
    assert got(links, "letter") == (FANG, "name_same_file")
    assert "同音" in links["letter"].reason
    flags = evaluate_case(ROSTER[1], docs, CaseOptions()).flags
    assert [(f.code, f.severity) for f in flags if f.code == "name_mismatch"] == [("name_mismatch", "warning")]


# ---- a link that becomes ambiguous later is taken back -----------------------------------------

ZHANG_A = "360899197001151011"  # 张伟, born 1970-01
ZHANG_B = "36089919720520201X"  # 张伟, born 1972-05
ZHANG_ROSTER = [RosterEntry(ZHANG_A, "张伟", {}), RosterEntry(ZHANG_B, "张伟", {})]


def zhang_docs() -> list[DocumentFacts]:
    return [
        doc("a_enlist", "enlistment", name="张伟", id_number=ZHANG_A, enlistment_date="1990-12"),
        doc("b_card", "id_card", file="FB", name="张伟", id_number=ZHANG_B),
        # round 1: B's scan, and a birth month that rules A out
        doc("e", "discharge", file="FB", name="张伟", birth_date="1972-05", discharge_date="1993-12"),
        # round 1: A's enlistment month; but B's discharge month (lent by e) agrees as well
        doc("d", "placement", name="张伟", enlistment_date="1990-12", discharge_date="1993-12"),
    ]


def test_document_that_also_matches_another_case_after_the_rounds_stays_unmatched():
    links = link_of(zhang_docs(), ZHANG_ROSTER)
    assert got(links, "e") == (ZHANG_B, "name_birth")
    assert got(links, "d") == (None, None)
    assert "多人" in links["d"].reason


# ---- the result does not depend on the order of documents or roster rows -----------------------

POOL = fang_folder() + zhang_docs() + [
    doc("police_w", "political_review", name="魏德国", id_number=WEI_TYPO),
    doc("card_t", "id_card", file="F34", name="汤建国", id_number=TANG),
    doc("letter_t", "placement", file="F34", name="汤建国", placement_unit="槐安县建筑工程公司"),
    doc("contrib_t", "contribution", name="汤建国", employer="建筑工程公司"),  # round 2, by the letter's unit
    doc("end_q", "termination", name="钱东胜", id_number=QIAN, employer="槐安县酒厂"),
    doc("letter_q", "placement", name="钱东胜", placement_unit="槐安县酒厂"),
    doc("letter_x", "placement", name="钱东胜", placement_unit="槐安县自来水公司"),  # FANG's unit
    doc("dis_x", "discharge", name="夏新", id_number=XIA, discharge_date="1999-12-25"),
    doc("voucher_x", "subsidy_voucher", name="夏新", discharge_date="1999-12"),
    doc("theirs", "termination", name="夏新", id_number=STRANGER, discharge_date="1999-12"),
]


@settings(max_examples=60, deadline=None)
@given(st.permutations(POOL), st.permutations(ROSTER + ZHANG_ROSTER))
def test_corroborated_linking_is_independent_of_document_and_roster_order(docs, roster):
    assert link_of(docs, roster) == link_of(POOL, ROSTER + ZHANG_ROSTER)


def test_pool_links_as_expected():
    links = link_of(POOL, ROSTER + ZHANG_ROSTER)
    expected = {
        "card": (FANG, "id_number"), "police": (FANG, "id_number"), "enlist": (FANG, "name_birth"),
        "discharge": (FANG, "name_birth"), "letter": (FANG, "name_enlistment"), "decision": (FANG, "name_unit"),
        "a_enlist": (ZHANG_A, "id_number"), "b_card": (ZHANG_B, "id_number"), "e": (ZHANG_B, "name_birth"),
        "d": (None, None), "police_w": (WEI, "name_near_id"), "card_t": (TANG, "id_number"),
        "letter_t": (TANG, "name_same_file"), "contrib_t": (TANG, "name_unit"), "end_q": (QIAN, "id_number"),
        "letter_q": (QIAN, "name_unit"), "letter_x": (QIAN, "name_only"), "dis_x": (XIA, "id_number"),
        "voucher_x": (XIA, "name_discharge"), "theirs": (None, None),
    }  # fmt: skip
    assert {k: got(links, k) for k in links} == expected


def test_a_former_name_on_the_household_register_links_papers_in_that_name():
    old_form = doc("enlist", "enlistment", name="夏建华", enlistment_date="1996-12", birth_date="1978-03")
    assert got(link_of([old_form]), "enlist") == (None, None)  # a different name: nobody's
    register = doc("register", "id_card", name="夏新", id_number=XIA, former_name="夏建华")
    links = link_of([register, old_form])
    assert got(links, "enlist") == (XIA, "name_birth")
    assert "曾用名" in links["enlist"].reason and no_personal_data(links["enlist"], "夏建华", XIA)
