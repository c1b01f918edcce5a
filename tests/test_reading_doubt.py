"""Reading doubt (docs/findings.md#reading-doubt): an OCR engine's unsure characters reach the rules,
which do not raise an error on a difference that lies only there — and still do on a confident one."""
from __future__ import annotations

from dataclasses import replace

from core.types import EvidenceRef, ExtractedField, Line, PageText, Word
from extract import extract_fields
from extract.contributions import parse_contribution_record
from extract.doubt import reading_reconciles
from extract.normalize.units import normalize_unit, same_unit
from tests.test_cases_rules import case_a_documents, codes
from tests.test_cases_rules_evidence import evaluate, flags_of, row


def han_line(text: str, x: int, y: int, unsure: dict[int, float] | None = None, h: int = 40) -> Line:
    """A line boxed character by character, as RapidOCR gives Han text; `unsure` {index: conf}."""
    unsure = unsure or {}
    words = tuple(
        Word(ch, (x + i * h, y, x + (i + 1) * h - 4, y + h), unsure.get(i, 0.99)) for i, ch in enumerate(text)
    )
    return Line(text, (x, y, x + len(text) * h, y + h), min(w.conf for w in words), words)


def page(*lines: Line) -> PageText:
    return PageText(width=1654, height=2339, lines=list(lines), source="ocr", engine="rapidocr")


def doubtful(field: ExtractedField, positions: tuple[int, ...]) -> ExtractedField:
    return replace(field, doubtful=positions)


# ---- extraction keeps the unsure positions -------------------------------------------------------


def test_a_name_read_with_an_unsure_character_keeps_its_position():
    p = page(han_line("姓名：李平奋", 100, 300, {5: 0.67}), han_line("性别：男", 100, 380))
    field = extract_fields("discharge", [(1, p)])["name"]
    assert field.value == "李平奋" and field.doubtful == (2,)


def test_a_crisply_read_name_has_no_doubt():
    p = page(han_line("姓名：李平春", 100, 300), han_line("性别：男", 100, 380))
    assert extract_fields("discharge", [(1, p)])["name"].doubtful == ()


def test_positions_follow_the_value_not_the_raw_text():
    """The label residue in front of a signature's unit is dropped; the position is the value's."""
    p = page(han_line("用人单位：（盖章）梅岗县氨肥厂", 100, 300, {12: 0.49}))
    field = extract_fields("termination", [(1, p)])["employer"]
    assert field.value == "梅岗县氨肥厂" and field.doubtful == (3,)


# ---- reconciling two readings --------------------------------------------------------------------


def test_only_doubtful_differences_are_read_as_the_other_value():
    assert reading_reconciles("梅岗县氨肥厂", (3,), "梅岗县氮肥厂") == ("梅岗县氮肥厂", "氨")
    assert reading_reconciles("梅岗县氮肥厂", (), "梅岗县氨肥厂", (3,)) == ("梅岗县氨肥厂", "氨")
    assert reading_reconciles("梅岗县氨肥厂", (0,), "梅岗县氮肥厂") is None  # the unsure char is not the different one
    assert reading_reconciles("梅岗县氨肥厂", (), "梅岗县氮肥厂") is None
    assert reading_reconciles("李平奋", (0, 1, 2), "王立春") is None  # a whole other name is not one misread


def test_other_differences_are_left_for_the_unit_comparison():
    reconciled, unsure = reading_reconciles("槐安具物资回收公司", (2,), "槐安县物资回收有限公司")
    assert unsure == "具" and same_unit(reconciled, "槐安县物资回收有限公司")


# ---- the rules -----------------------------------------------------------------------------------


def with_fields(docs, doc_id: str, **fields: ExtractedField):
    return [replace(d, fields={**d.fields, **fields}) if d.id == doc_id else d for d in docs]


def test_a_name_differing_only_in_an_unsure_character_is_a_note():
    docs = case_a_documents()
    misread = ExtractedField("name", "周立亲", "周立亲", 0.6, 1, (0, 0, 10, 10))
    [flag] = flags_of(evaluate(with_fields(docs, "discharge", name=doubtful(misread, (2,)))), "name_mismatch")
    assert flag.severity == "info" and "“亲”字识别不确定" in flag.message


def test_a_confidently_read_different_name_stays_an_error():
    docs = case_a_documents()
    other = ExtractedField("name", "周立亲", "周立亲", 0.95, 1, (0, 0, 10, 10))
    assert ("name_mismatch", "error") in codes(evaluate(with_fields(docs, "discharge", name=other)))


def test_a_reviewer_confirmed_name_has_no_doubt_left():
    docs = case_a_documents()
    misread = doubtful(ExtractedField("name", "周立亲", "周立亲", 0.6, 1, (0, 0, 10, 10)), (2,))
    docs = [replace(d, reviewed_fields=frozenset({"name"})) if d.id == "discharge" else d
            for d in with_fields(docs, "discharge", name=misread)]
    assert ("name_mismatch", "error") in codes(evaluate(docs))


def test_a_unit_misread_in_one_character_is_a_note_and_a_real_other_unit_an_error():
    docs = case_a_documents()
    misread = doubtful(ExtractedField("employer", "青河县化肥广", "青河县化肥广", 0.5, 1, (0, 0, 10, 10)), (5,))
    [flag] = flags_of(evaluate(with_fields(docs, "termination", employer=misread)), "unit_mismatch")
    assert flag.severity == "info" and "识别不确定的“广”字" in flag.message
    other = ExtractedField("employer", "青河县氮肥厂", "青河县氮肥厂", 0.95, 1, (0, 0, 10, 10))
    assert ("unit_mismatch", "error") in codes(evaluate(with_fields(docs, "termination", employer=other)))


def test_a_unit_read_with_one_character_lost_is_a_note_a_lost_numeral_another_works():
    """The letter's unit is case A's 青河县化肥厂: read without 肥, it is a glyph not detected; a
    number lost or gained (化肥二厂) names another works and stays an error."""
    from extract.normalize.units import lost_character

    docs = case_a_documents()
    placed = next(d for d in docs if d.id == "letter").value("placement_unit")
    assert placed == "青河县化肥厂"
    short = ExtractedField("employer", "青河县化厂", "青河县化厂", 0.97, 1, (0, 0, 10, 10))
    [flag] = flags_of(evaluate(with_fields(docs, "termination", employer=short)), "unit_mismatch")
    assert flag.severity == "info" and "仅差一个“肥”字" in flag.message
    branch = ExtractedField("employer", "青河县化肥二厂", "青河县化肥二厂", 0.97, 1, (0, 0, 10, 10))
    assert ("unit_mismatch", "error") in codes(evaluate(with_fields(docs, "termination", employer=branch)))
    assert lost_character("县化厂", "县化肥厂") is None  # too short to tell a loss from another name


def test_an_employer_read_only_in_part_is_a_note_another_unit_an_error():
    docs = case_a_documents()  # the letter sends him to 青河县化肥厂
    tail = ExtractedField("employer", "县化肥厂", "县化肥厂", 0.97, 1, (0, 0, 10, 10))  # the signature's start lost
    [flag] = flags_of(evaluate(with_fields(docs, "termination", employer=tail)), "unit_mismatch")
    assert flag.severity == "info" and "后半部分" in flag.message
    other = ExtractedField("employer", "水泥厂", "水泥厂", 0.97, 1, (0, 0, 10, 10))
    assert ("unit_mismatch", "error") in codes(evaluate(with_fields(docs, "termination", employer=other)))


def test_a_number_read_with_digits_lost_in_the_middle_is_a_note():
    from tests.test_cases_rules import ZHOU, with_values
    lost = ZHOU[:8] + ZHOU[11:]  # fifteen digits: three skipped by the recogniser
    [flag] = flags_of(evaluate(with_values(case_a_documents(), "termination", id_number=lost)), "invalid_id_number")
    assert flag.severity == "info" and "缺漏" in flag.message


def test_a_contribution_record_that_passes_to_the_employer_shows_the_rename():
    docs = with_fields(case_a_documents(), "termination",
                       employer=ExtractedField("employer", "青河县化工有限责任公司", "", 0.95, 1, (0, 0, 10, 10)))
    assert ("unit_mismatch", "error") in codes(evaluate(docs))
    record = replace(docs[0], id="record", doc_type="contribution", fields={}, contributions=(
        row("1997-10", "2001-05", "青河县化肥厂"), row("2001-06", "2003-06", "青河县化工有限责任公司"),
    ))
    [flag] = flags_of(evaluate(docs + [record]), "unit_mismatch")
    assert flag.severity == "info" and "缴费记录（文件 record）显示 2001-06 起" in flag.message
    assert EvidenceRef("record", "contributions") in flag.evidence
    unpaid = replace(record, contributions=(row("1997-10", "2001-05", "青河县化肥厂"),
                                           row("2001-06", "2003-06", "青河县化工有限责任公司", status="interrupted")))
    # the rows paid during the job name the employer by its former name: that is the employer
    assert not flags_of(evaluate(docs + [unpaid]), "contribution_employer")
    gap = replace(record, contributions=(row("1997-10", "2000-05", "青河县化肥厂"), row("2001-06", "2003-06", "青河县化工有限责任公司")))
    assert ("unit_mismatch", "error") in codes(evaluate(docs + [gap]))  # a year between is not a rename


# ---- small readings that fed false inconsistencies -----------------------------------------------


def test_a_speck_after_a_unit_is_not_part_of_its_name():
    assert normalize_unit("青河县城市公共资源物业管理有限公司.") == "青河县城市公共资源物业管理有限公司"


def test_contribution_rows_boxed_character_by_character_keep_their_unit_column():
    p = page(
        han_line("费款所属期", 100, 480), han_line("单位名称", 500, 480), han_line("缴费状态", 1000, 480),
        Line("200102-200505", (100, 550, 300, 590), 0.99, (Word("200102-200505", (100, 550, 300, 590), 0.99),)),
        han_line("梅岗县物资回收公司", 500, 550), han_line("已到账", 1000, 550),
    )
    [period] = parse_contribution_record([(1, p)]).periods
    assert (period.start, period.end, period.unit) == ("2001-02", "2005-05", "梅岗县物资回收公司")


def test_a_number_read_with_digits_missing_is_a_note_a_changed_digit_an_error():
    from tests.test_cases_rules import ZHOU, with_values
    short = with_values(case_a_documents(), "termination", id_number=ZHOU[:15])
    [flag] = flags_of(evaluate(short), "invalid_id_number")
    assert flag.severity == "info" and "缺漏" in flag.message
    slip = with_values(case_a_documents(), "termination", id_number=ZHOU[:3] + str((int(ZHOU[3]) + 1) % 10) + ZHOU[4:])
    assert ("invalid_id_number", "error") in codes(evaluate(slip))


def test_a_number_differing_only_in_unsure_digits_is_a_note_a_sure_difference_an_error():
    from stdnum.cn.ric import calc_check_digit

    from tests.test_cases_rules import ZHOU

    changed = ZHOU[:3] + str((int(ZHOU[3]) + 1) % 10) + ZHOU[4:17]
    invalid = changed + ZHOU[17]  # the case's check character no longer fits: an invalid number
    valid = changed + calc_check_digit(changed)  # someone else's number, as far as the digits go
    docs = case_a_documents()
    for value, unsure, code in ((invalid, (3,), "invalid_id_number"), (valid, (3, 17), "id_mismatch")):
        field = ExtractedField("id_number", value, value, 0.5, 1, (0, 0, 10, 10))
        [flag] = flags_of(evaluate(with_fields(docs, "termination", id_number=doubtful(field, unsure))), code)
        assert flag.severity == "info" and "识别不确定" in flag.message and f"“{value[3]}" in flag.message
        assert (code, "error") in codes(evaluate(with_fields(docs, "termination", id_number=field)))


def test_an_id_number_read_with_an_unsure_digit_carries_it_from_the_page_to_the_rule():
    """Each digit of a line holding Han text is a word of its own with its confidence: the one
    read unsure reaches the rule, which notes the number instead of calling it invalid."""
    from tests.test_cases_rules import ZHOU

    misread = ZHOU[:3] + str((int(ZHOU[3]) + 1) % 10) + ZHOU[4:]
    label = "公民身份号码："
    unsure = extract_fields("termination", [(1, page(han_line(label + misread, 100, 300, {len(label) + 3: 0.45})))])
    sure = extract_fields("termination", [(1, page(han_line(label + misread, 100, 300)))])
    assert unsure["id_number"].value == misread and unsure["id_number"].doubtful == (3,)
    assert sure["id_number"].doubtful == ()
    docs = case_a_documents()
    [note] = flags_of(evaluate(with_fields(docs, "termination", id_number=unsure["id_number"])), "invalid_id_number")
    assert note.severity == "info" and f"“{misread[3]}”识别不确定" in note.message
    assert ("invalid_id_number", "error") in codes(evaluate(with_fields(docs, "termination", id_number=sure["id_number"])))


def test_a_birth_month_differing_from_the_id_number_only_in_an_unsure_digit_is_a_note():
    from tests.test_cases_rules import ZHOU

    docs = case_a_documents()
    year = ZHOU[6:10]
    wrong = f"{year[:2]}{(int(year[2]) + 1) % 10}{year[3]}-{ZHOU[10:12]}"
    field = ExtractedField("birth_date", wrong, wrong, 0.7, 1, (0, 0, 10, 10))
    [note] = flags_of(evaluate(with_fields(docs, "discharge", birth_date=doubtful(field, (2,)))), "birth_date_mismatch")
    assert note.severity == "info" and "识别不确定" in note.message
    [flag] = flags_of(evaluate(with_fields(docs, "discharge", birth_date=field)), "birth_date_mismatch")
    assert flag.severity == "warning"


def test_a_legacy_number_one_digit_from_the_cases_is_a_note_two_digits_someone_elses():
    """A 15-digit number has no check character: a misread digit converts to another valid
    18-digit number. One digit from the case's legacy form on a linked document is a note."""
    from extract.normalize.idnumbers import from_legacy
    from tests.test_cases_rules import ZHOU

    legacy = ZHOU[:6] + ZHOU[8:17]

    def changed(number: str, *positions: int) -> str:
        for at in positions:
            number = number[:at] + str((int(number[at]) + 1) % 10) + number[at + 1:]
        return number

    docs = case_a_documents()
    for printed, severity in ((changed(legacy, 12), "info"), (changed(legacy, 9, 12), "error")):
        field = ExtractedField("id_number", from_legacy(printed), printed, 0.99, 1, (0, 0, 10, 10))
        [flag] = flags_of(evaluate(with_fields(docs, "termination", id_number=field)), "id_mismatch")
        assert flag.severity == severity and ("仅差一位" in flag.message) == (severity == "info")


def test_a_legacy_numbers_unsure_digit_is_found_past_the_century_it_gained():
    """The century and check character a legacy number gains were never read: the unsure digit is
    the value's own position, and the number differing there only is a note."""
    from tests.test_cases_rules import ZHOU

    legacy = ZHOU[:6] + ZHOU[8:17]
    printed = legacy[:12] + str((int(legacy[12]) + 1) % 10) + legacy[13:]
    label = "公民身份号码："
    line = han_line(label + printed, 100, 300, {len(label) + 12: 0.5})
    field = extract_fields("termination", [(1, page(line))])["id_number"]
    assert field.raw == printed and field.doubtful == (14,)  # 12 + the two century digits
    [flag] = flags_of(evaluate(with_fields(case_a_documents(), "termination", id_number=field)), "id_mismatch")
    assert flag.severity == "info" and "识别不确定" in flag.message


# ---- dates ---------------------------------------------------------------------------------------


def test_a_date_keeps_the_position_of_its_unsure_digit_not_of_the_digits_it_gained():
    line = han_line("退出现役时间：1991.12.25", 100, 300, {10: 0.77})
    field = extract_fields("discharge", [(1, page(line))])["discharge_date"]
    assert field.value == "1991-12-25" and field.doubtful == (3,)
    short = han_line("退伍时间：91年3月", 100, 300, {6: 0.7})  # the 1 of 91
    field = extract_fields("discharge", [(1, page(short))])["discharge_date"]
    assert field.value == "1991-03" and field.doubtful == (3,)


def test_an_issue_date_one_digit_off_its_serial_year_is_unsure_there():
    """A letter numbered 〔2001〕 and dated 二〇〇二 (read crisply): its serial says which digit to doubt."""

    def letter(closing: str, serial: str = "梅民安字〔2001〕第167号") -> ExtractedField:
        lines = [han_line("退伍军人安置介绍信", 400, 100), han_line(serial, 500, 180),
                 han_line("梅岗县建筑工程公司：", 100, 260),
                 han_line("兹有退伍军人卢勇正同志，分配到你单位工作，请接洽安排为盼。", 100, 320),
                 han_line("梅岗县退役士兵安置办公室", 800, 600), han_line(closing, 800, 660)]
        return extract_fields("placement", [(1, page(*lines))])["placement_date"]

    off = letter("二〇〇二年七月十三日")
    assert off.value == "2002-07-13" and off.doubtful == (3,)
    assert letter("二〇〇一年七月十三日").doubtful == ()
    assert letter("一九九九年七月十三日").doubtful == ()  # three digits off: another year, not a misreading
    assert letter("二〇〇二年七月十三日", serial="第167号").doubtful == ()  # no year to hold it against


def test_the_case_takes_the_sure_reading_and_notes_the_unsure_one():
    unsure = doubtful(ExtractedField("discharge_date", "1991-12-25", "1991.12.25", 0.9, 1, (0, 0, 10, 10)), (3,))
    docs = with_fields(case_a_documents(), "discharge", discharge_date=unsure)
    docs = [replace(d, fields={**d.fields, "discharge_date": replace(d.fields["discharge_date"], value="1994-12")})
            if d.id == "letter" else d for d in docs]
    result = evaluate(docs)
    assert result.derived.dates["discharge"].document == "letter"
    [flag] = flags_of(result, "service_dates")
    assert flag.severity == "info" and "“1”字" in flag.message
    sure = with_fields(docs, "discharge", discharge_date=replace(unsure, doubtful=()))
    assert ("service_dates", "error") in codes(evaluate(sure))


def test_the_stub_on_the_letters_sheet_dates_the_placement_when_the_letters_year_is_unsure():
    # case A's letter 1997-09-20 read 1998 with its year digit in doubt; the stub beside it is sure
    unsure = doubtful(ExtractedField("placement_date", "1998-09-20", "一九九八年九月二十日", 0.95, 1, (0, 0, 10, 10)), (3,))
    stub = ExtractedField("stub_placement_date", "1997-09-20", "1997.09.20", 0.95, 1, (0, 0, 10, 10))
    result = evaluate(with_fields(case_a_documents(), "letter", placement_date=unsure, stub_placement_date=stub))
    assert (result.derived.dates["placement"].field, result.derived.dates["placement"].value) == ("stub_placement_date", "1997-09-20")
    sure = evaluate(with_fields(case_a_documents(), "letter", placement_date=replace(unsure, doubtful=()), stub_placement_date=stub))
    assert sure.derived.dates["placement"].field == "placement_date"  # the letter's own date, when read sure


def test_a_name_read_without_its_first_character_is_a_note():
    from tests.test_cases_rules import with_values
    [flag] = flags_of(evaluate(with_values(case_a_documents(), "discharge", name="立新")), "name_mismatch")
    assert flag.severity == "info" and "少一个字" in flag.message
    assert ("name_mismatch", "error") in codes(evaluate(with_values(case_a_documents(), "discharge", name="立军")))


# ---- ID numbers ----------------------------------------------------------------------------------


def digit_line(text: str, x: int, y: int, unsure: dict[int, float] | None = None, h: int = 40) -> Line:
    """A digit run as RapidOCR gives it: one word, one confidence per digit (Word.char_confs)."""
    confs = tuple((unsure or {}).get(i, 0.9999) for i in range(len(text)))
    box = (x, y, x + len(text) * h // 2, y + h)
    return Line(text, box, sum(confs) / len(confs), (Word(text, box, sum(confs) / len(confs), confs),))


def test_an_unsure_digit_of_a_digit_run_is_kept_as_read_and_only_softens_the_flag():
    """A digit run is one word with a confidence per digit (Word.char_confs). The unsure digit is
    never repaired to make the checksum pass — a clerk's slip read unsure looks the same — but the
    rule says the number is in doubt there instead of calling it invalid; read sure, it is an error."""
    from tests.test_cases_rules import ZHOU
    slip = ZHOU[:4] + str((int(ZHOU[4]) + 1) % 10) + ZHOU[5:]
    p = page(han_line("公民身份号码", 100, 300), digit_line(slip, 400, 300, {4: 0.75}))
    field = extract_fields("discharge", [(1, p)])["id_number"]
    assert field.value == slip and field.doubtful == (4,)
    [note] = flags_of(evaluate(with_fields(case_a_documents(), "discharge", id_number=field)), "invalid_id_number")
    assert note.severity == "info"
    sure = extract_fields("discharge", [(1, page(han_line("公民身份号码", 100, 300), digit_line(slip, 400, 300)))])
    assert ("invalid_id_number", "error") in codes(
        evaluate(with_fields(case_a_documents(), "discharge", id_number=sure["id_number"])))


def test_rapidocr_digit_runs_carry_each_digits_confidence():
    """RapidOCR pairs the k-th non-space character with the k-th confidence of the whole text,
    spaces included: text[i]'s confidence is the i-th triple's (ocr/engines/rapid.py)."""
    from ocr.engines.rapid import _words
    box = [[0, 0], [10, 0], [10, 10], [0, 10]]
    # "12 345": confidences of the decoded text "1", "2", " ", "3", "4", "5" → the five triples
    # carry the first five of them (0.9, 0.8, space's 0.7, 0.6, 0.5)
    words = _words("12 345", [(c, conf, box) for c, conf in zip("12345", (0.9, 0.8, 0.7, 0.6, 0.5))], 0.75)
    assert [(w.text, w.char_confs) for w in words] == [("12", (0.9, 0.8)), ("345", ())]
    assert words[1].conf == 0.55  # the 5's own confidence was not reported: 345 has none per digit
    han = _words("第3页", [(c, conf, box) for c, conf in zip("第3页", (0.99, 0.6, 0.98))], 0.86)
    assert [(w.text, w.conf) for w in han] == [("第", 0.99), ("3", 0.6), ("页", 0.98)]


def test_char_confidences_survive_storage():
    line = digit_line("360895198311078859", 100, 100, {2: 0.63})
    stored = PageText.from_dict(page(line).to_dict())
    assert stored.lines[0].words[0].char_confs == line.words[0].char_confs
    assert "char_confs" not in page(han_line("姓名", 0, 0)).to_dict()["lines"][0]["words"][0]


def test_a_skewed_or_turned_page_keeps_each_digits_confidence():
    """The upright frame (extract/document.upright_lines) moves boxes, not what was read: a
    worn digit of a date on a phone photo stays unsure."""
    from extract.document import upright_lines

    word = Word("1994.11", (100, 100, 300, 140), 0.9, (0.99, 0.4, 0.99, 0.99, 0.99, 0.98, 0.99))
    line = Line("1994.11", (100, 100, 300, 140), 0.9, (word,))
    for rotation, skew in ((0, 2.5), (90, 0.0)):
        page = PageText(width=1654, height=2339, lines=[line], source="ocr", engine="rapidocr", rotation=rotation, skew=skew)
        [up], _ = upright_lines(page)
        assert up.words[0].char_confs == word.char_confs and up.words[0].bbox != word.bbox


def test_a_stub_date_differing_from_its_letter_only_in_an_unsure_digit_is_a_note():
    from tests.test_cases_rules import with_values

    sheet = with_values(case_a_documents(), "letter", placement_form="letter_with_stub",
                        stub_placement_date="1997-09-20", stub_placement_unit="青河县化肥厂")
    misread = ExtractedField("stub_placement_date", "1997-09-28", "1997.9.28", 0.8, 1, (0, 0, 10, 10))
    [note] = flags_of(evaluate(with_fields(sheet, "letter", stub_placement_date=doubtful(misread, (9,)))), "stub_mismatch")
    assert note.severity == "info" and "开具日期" in note.message and "“8”" in note.message
    [flag] = flags_of(evaluate(with_fields(sheet, "letter", stub_placement_date=misread)), "stub_mismatch")
    assert flag.severity == "error"
