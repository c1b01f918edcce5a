"""A reviewer's typed value is stored in the format extraction returns (core/labels.FIELD_FORMATS)."""
import pytest

from core.labels import PAYMENT_KIND_ZH, PLACEMENT_FORM_ZH, PLACEMENT_METHOD_ZH
from extract.reviewed import normalize_entry


@pytest.mark.parametrize(
    "field, typed, stored",
    [
        ("stated_service", "3年", "P3Y"),
        ("stated_service", "叁年", "P3Y"),
        ("stated_service", "5年9个月", "P5Y9M"),
        ("stated_service", "69个月", "P69M"),
        ("stated_service", "军龄12年", "P12Y"),
        ("placement_method", "安排工作", "arranged_job"),
        ("placement_method", "arranged_job", "arranged_job"),
        ("placement_method", "临江省青河县 政府安排工作", "arranged_job"),
        ("placement_method", "自谋职业", "self_employed"),
        ("placement_method", "复员", "returned_home"),
        ("placement_method", "其他", "other"),
        ("placement_form", "letter_with_stub", "letter_with_stub"),
        ("placement_form", "存根", "stub"),
        ("payment_kind", "退伍费", "discharge_pay"),
        ("payment_kind", "待安置期间生活补助费", "pending_allowance"),
        ("payment_kind", "self_employment_grant", "self_employment_grant"),
        ("payment_kind", "困难补助", "other"),
        ("military_status", "退役", "退出现役"),
        ("military_status", "服现役", "服现役"),
        ("paid_period", "1997年1月至9月", "1997-01/1997-09"),
        ("paid_period", "1997年1月至1997年9月", "1997-01/1997-09"),
        ("paid_period", "1997.01-1997.09", "1997-01/1997-09"),
        ("letter_serial", "（97）青安字第 056 号", "(97)青安字第056号"),
        ("letter_serial", "梅民安字[2000]第138号", "梅民安字〔2000〕第138号"),
        ("report_date", "1997年10月6日", "1997-10-06"),
        ("stub_placement_date", "一九九七年九月二十日", "1997-09-20"),
        ("former_name", "周 利新", "周利新"),
        ("stub_placement_unit", "青河县 化肥厂（章）", "青河县化肥厂"),
        ("former_employer", "青河县粮食局城南粮站", "青河县粮食局城南粮站"),
        ("issuer", "青河县化肥厂破产清算组（章）", "青河县化肥厂破产清算组"),
    ],
)
def test_entries_are_stored_like_extracted_values(field, typed, stored):
    assert normalize_entry(field, typed) == stored


@pytest.mark.parametrize(
    "field, names",
    [("placement_method", PLACEMENT_METHOD_ZH), ("placement_form", PLACEMENT_FORM_ZH), ("payment_kind", PAYMENT_KIND_ZH)],
)
def test_coded_values_accept_their_chinese_names(field, names):
    for code, zh in names.items():
        assert normalize_entry(field, zh) == code


@pytest.mark.parametrize(
    "field, typed, words",
    [
        ("stated_service", "三", "服役年限"),
        ("stated_service", "1996年12月", "服役年限"),
        ("placement_method", "临江省青河县", "安置方式"),
        ("placement_form", "信", "介绍信形式"),
        ("paid_period", "九月", "期间"),
        ("report_date", "十月", "日期"),
        ("former_name", "123", "姓名"),
        ("letter_serial", "  ", "请填写"),
        ("military_status", "已婚", "兵役状况"),
    ],
)
def test_impossible_entries_are_refused_in_chinese(field, typed, words):
    with pytest.raises(ValueError) as err:
        normalize_entry(field, typed)
    assert words in str(err.value)
