"""Unit names (docs/documents.md#unit-names): display form, comparison key, military unit codes."""
import pytest

from extract.normalize.units import normalize_unit, same_unit, service_unit, strip_admin_prefix, unit_key
from extract.values import parse_unit


def test_display_form_keeps_the_prefix_and_drops_seals_and_liquidation():
    assert normalize_unit("青河县化肥厂破产清算组（章）") == "青河县化肥厂"
    assert normalize_unit("青河县 化肥厂 (公章)") == "青河县化肥厂"
    assert normalize_unit("青河县城南粮油有限公司（章）") == "青河县城南粮油有限公司"


@pytest.mark.parametrize(
    "a, b",
    [
        ("青河县化肥厂", "化肥厂"),
        ("青河县化肥厂", "临江省青河县化肥厂"),
        ("青河县化肥厂", "青河县化肥有限公司"),
        ("青河县化肥厂", "青河县化肥有限责任公司"),
        ("青河县化肥总公司", "青河县化肥公司"),
        ("青河县化肥厂破产清算组", "青河县化肥厂"),
        ("青河县第二运输公司", "第二运输有限公司"),
    ],
)
def test_same_unit(a, b):
    assert same_unit(a, b), (unit_key(a), unit_key(b))


def test_different_units():
    assert not same_unit("青河县化肥厂", "青河县自来水有限公司")
    assert not same_unit("青河县粮食局城南粮站", "青河县城南粮油有限公司")  # a rename: cases/ resolves it
    assert not same_unit("", "")


def test_prefix_stripping_is_cautious():
    assert strip_admin_prefix("临江省青河县化肥厂") == "化肥厂"
    assert strip_admin_prefix("青河市自来水公司") == "自来水公司"
    assert unit_key("青河县农贸市场") == "农贸市场"  # 市场 is not a city
    assert unit_key("城区供销社") == "城区供销社"


@pytest.mark.parametrize(
    "text, unit",
    [
        ("05318部队三营九连", "05318部队"),
        ("05318 部队", "05318部队"),
        ("中国人民解放军05318部队", "05318部队"),
        ("05318部队政治处（章）", "05318部队"),
    ],
)
def test_service_unit(text, unit):
    assert service_unit(text) == unit


def test_seal_mark_with_a_bracket_lost_to_ocr():
    from extract.normalize.units import normalize_issuer

    assert normalize_unit("梅岗县木材公司破产清算组（章") == "梅岗县木材公司"
    assert normalize_unit("槐安县供销合作社章）") == "槐安县供销合作社"
    assert normalize_issuer("青河县化肥厂破产清算组（章）") == "青河县化肥厂破产清算组"
    assert normalize_unit("青河县文章出版社") == "青河县文章出版社"  # 章 inside a name stays


def test_a_signature_label_left_in_front_of_the_name_is_dropped():
    """The independent batch's termination certificates: 用人单位（盖章）：开远市纺织厂 read with
    the label matched and its residue kept (盖章):开远市纺织厂)."""
    assert normalize_unit("盖章):开远市纺织厂") == "开远市纺织厂"
    assert normalize_unit("（盖章）：开远市纺织厂（章）") == "开远市纺织厂"
    assert parse_unit("（盖章）：开远市纺织厂").value == "开远市纺织厂"


def test_organisation_kinds_beyond_the_fixtures_are_unit_names():
    for name in ("开远县粮食局直属库", "青河县红旗林场", "桐川县公路管理段", "梅岗县城关粮站", "槐安县电影公司"):
        assert parse_unit(name).value == name and parse_unit(name).conf == 1.0


def test_a_speck_read_as_a_colon_inside_a_name_is_not_part_of_it():
    assert normalize_unit("柳塘县:三江茶厂") == "柳塘县三江茶厂"
    assert same_unit("柳塘县：三江茶厂", "柳塘县三江茶厂")
    assert normalize_unit("青河县化肥厂（原青河县化工厂）") == "青河县化肥厂(原青河县化工厂)"  # brackets stay (NFKC)


def test_a_unit_printed_or_read_in_traditional_characters_is_the_same_unit():
    assert same_unit("青河縣國有资產經营有限公司", "青河县国有资产经营有限公司")


def test_a_speck_or_misread_end_after_a_unit_name_is_dropped_but_not_a_unit_code():
    assert normalize_unit("桐川县双河石灰5") == "桐川县双河石灰"
    assert normalize_unit("青河县化肥厂a") == "青河县化肥厂"
    assert service_unit("05318部队") == "05318部队"


def test_an_enumeration_is_not_a_unit_name():
    assert parse_unit("职工本人、劳动部门各执一份") is None
    assert parse_unit("青河县化肥厂").value == "青河县化肥厂"


def test_a_sentence_ending_in_an_organisation_word_is_no_unit():
    assert parse_unit("你的人事档案及社会保险关系将于十五日内转移至梅岗县人才交流中心") is None
    assert parse_unit("梅岗县人才交流中心").value == "梅岗县人才交流中心"
