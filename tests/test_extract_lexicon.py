"""Labels learned from reviewers: found beside a confirmed value (extract/label_learning.py), then
read (extract/lexicon.py)."""
from __future__ import annotations

import pytest

from extract import extract_fields
from extract.label_learning import label_beside
from extract.lexicon import Lexicon
from tests.synthetic_pages import page_from_text

FORM = "退出现役登记表\n姓名      周立新\n离队时间      1996年12月\n"


@pytest.mark.parametrize("style", ["cells", "lines"])
def test_an_unknown_label_beside_a_confirmed_value_is_learned_and_then_read(style):
    page = page_from_text(FORM, style=style)
    assert "discharge_date" not in extract_fields("discharge", [(1, page)])
    learned = label_beside([(1, page)], "discharge_date", "1996-12")
    assert learned == ("discharge_date", "离队时间")
    fields = extract_fields("discharge", [(1, page)], learned=Lexicon().with_label(*learned))
    assert fields["discharge_date"].value == "1996-12"


def test_a_value_under_a_known_label_teaches_nothing():
    page = page_from_text(FORM)
    assert label_beside([(1, page)], "name", "周立新") is None


def test_a_value_inside_a_sentence_teaches_nothing():
    page = page_from_text("证明\n兹证明周立新同志于1996年12月退伍\n")
    assert label_beside([(1, page)], "discharge_date", "1996-12") is None


def test_a_label_printed_above_its_value_is_learned():
    page = page_from_text("复员军人登记表\n复员日子\n1996年12月\n")
    assert label_beside([(1, page)], "discharge_date", "1996-12") == ("discharge_date", "复员日子")


def test_the_learned_lexicon_applies_only_inside_its_extraction():
    page = page_from_text(FORM)
    extract_fields("discharge", [(1, page)], learned=Lexicon().with_label("discharge_date", "离队时间"))
    assert "discharge_date" not in extract_fields("discharge", [(1, page)])
    with pytest.raises(ValueError):
        Lexicon().with_label("no_such_concept", "离队时间")


# ---- labels never seen, read by their words (labels.INFERRED_LABELS) ------------------------------


@pytest.mark.parametrize("style", ["cells", "lines"])
def test_a_label_never_seen_is_read_by_its_words(style):
    page = page_from_text(
        "复员军人登记表\n被查询人：周立新\n复员日期：1996年12月\n分配部队：05318部队\n经办人：王某某\n", style=style
    )
    fields = extract_fields("discharge", [(1, page)])
    assert fields["discharge_date"].value == "1996-12"
    assert fields["service_unit"].value == "05318部队"
    assert fields["name"].value == "周立新"  # the person the paper is about, not its 经办人


def test_a_label_naming_someone_else_names_no_field_of_the_veteran():
    page = page_from_text("证明\n核对人：刘某某\n父亲工作单位：青河县化肥厂\n")
    assert "name" not in extract_fields("political_review", [(1, page)])
    assert "employer" not in extract_fields("termination", [(1, page)]) or \
        extract_fields("termination", [(1, page)])["employer"].value != "青河县化肥厂"


def test_another_value_beside_a_value_is_no_label():
    """A name left of an ID number, the issuer above a date: text without a label's head word."""
    page = page_from_text("证明\n罗杰永      360899197503141518\n槐安县公安局\n2020年3月18日\n", style="cells")
    assert label_beside([(1, page)], "id_number", "360899197503141518") is None
    assert label_beside([(1, page)], "issue_date", "2020-03-18") is None
