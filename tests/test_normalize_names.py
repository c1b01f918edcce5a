"""Names (docs/documents.md#names): normalisation and same / homophone / different."""
import pytest

from extract.normalize.names import has_common_surname, name_similarity, normalize_name, same_name, sound_keys


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
        ("阿依古丽・买买提", "阿依古丽买买提"),  # separator dots of minority names, in every form
        ("阿依古丽•买买提", "阿依古丽买买提"),
        ("阿依古丽.买买提", "阿依古丽买买提"),
        ("阿依古丽．买买提", "阿依古丽买买提"),
        ("王丽君", "王丽君"),  # 君 ends given names; it is not a title to strip
        ("王建君同志", "王建君"),
        ("王𠮷明", "王𠮷明"),  # rare characters (extension B) and 造字 (private use) are kept
        ("张\ue000华", "张\ue000华"),
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
    assert same_name("周利新", "周立新") == "homophone"  # the 曾用名 of Case A (docs/documents.md#identity)
    assert same_name("李海波", "李海博") == "homophone"
    assert same_name("王建君", "王建军") == "homophone"  # not 王建 vs 王建军


def test_polyphonic_characters_count_with_every_reading():
    assert same_name("曾立新", "层立新") == "homophone"  # 曾 zeng / ceng
    assert same_name("单立新", "山立新") == "homophone"  # 单 dan / shan
    assert same_name("单立新", "丹立新") == "homophone"


def test_traditional_forms():
    # a traditional form (OpenCC) is the same character: same name, no warning for the clerk
    assert same_name("陳衛東", "陈卫东") == "same"
    assert same_name("週立新", "周立新") == "same"
    assert same_name("周利新", "周立新") == "homophone"  # another character stays another
    # a character of simplified usage is never converted: 乾 is not 干 in a name
    assert normalize_name("于乾") == "于乾"


def test_sound_keys_meet_exactly_when_names_are_same_or_homophones():
    pairs = [("周立新", "周 立新"), ("周利新", "周立新"), ("曾立新", "层立新"), ("陳衛東", "陈卫东"),
             ("周立新", "周新立"), ("周立新", "周立"), ("周立新", "陈卫东"), ("王建君", "王建军")]
    for a, b in pairs:
        assert bool(sound_keys(a) & sound_keys(b)) == (same_name(a, b) != "different"), (a, b)
    assert ("zeng", "li", "xin") in sound_keys("曾立新") and ("ceng", "li", "xin") in sound_keys("曾立新")
    assert sound_keys("") == sound_keys(None) == frozenset()


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
