"""Names (domain.md §6.4): normalisation and same / homophone / different."""
import pytest

from extract.normalize.names import has_common_surname, name_similarity, normalize_name, same_name


@pytest.mark.parametrize(
    "raw, name",
    [
        ("周 立新", "周立新"),
        ("周立新同志", "周立新"),
        ("周 立 新 同志：", "周立新"),
        ("「周立新」", "周立新"),
        ("周立新，", "周立新"),
        ("陳衛東", "陈卫东"),
        ("阿依古丽·买买提", "阿依古丽买买提"),
        ("\u3000周立新\u3000", "周立新"),
    ],
)
def test_normalize(raw, name):
    assert normalize_name(raw) == name


def test_same_name():
    assert same_name("周立新", "周 立新") == "same"
    assert same_name("陳衛東", "陈卫东") == "same"
    assert same_name("周立新 同志", "周立新") == "same"


def test_homophones():
    assert same_name("周利新", "周立新") == "homophone"  # domain.md §5.12 曾用名 example
    assert same_name("李海波", "李海博") == "homophone"


def test_different():
    assert same_name("周立新", "周新立") == "different"
    assert same_name("周立新", "周立") == "different"
    assert same_name("周立新", "陈卫东") == "different"
    assert same_name("", "周立新") == "different"
    assert same_name(None, None) == "different"


def test_similarity_ranks_near_misses_above_strangers():
    assert name_similarity("周立新", "周立新") == 1.0
    assert name_similarity("周立新", "周利新") > name_similarity("周立新", "周立信心") > name_similarity("周立新", "陈卫东")
    assert name_similarity("周立新", "") == 0.0


def test_common_surnames():
    assert has_common_surname("周立新") and has_common_surname("欧阳明华")
    assert not has_common_surname("兵周立")
