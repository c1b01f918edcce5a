"""安置方式 → PLACEMENT_METHODS (docs/documents.md#placement-methods) and payment wording → PAYMENT_KINDS (docs/documents.md#allowance-payroll-and-one-off-payments)."""
import pytest

from core.labels import PAYMENT_KIND_ZH, PLACEMENT_METHOD_ZH
from core.types import PAYMENT_KINDS, PLACEMENT_METHODS
from extract.normalize.kinds import payment_kind, placement_method


@pytest.mark.parametrize(
    "text, code",
    [
        ("安排工作", "arranged_job"),
        ("政府安排工作", "arranged_job"),
        ("分配工作", "arranged_job"),
        ("转业", "arranged_job"),
        ("安置到青河县化肥厂", "arranged_job"),
        ("临江省青河县　安排工作", "arranged_job"),  # place + method: only the method matters
        ("临江省青河县 城镇入伍，由政府安排工作", "arranged_job"),
        ("转业（由安置地人民政府安排工作）", "arranged_job"),
        ("自主就业", "self_employed"),
        ("自谋职业", "self_employed"),
        ("自谋职业（不再安排工作）", "self_employed"),  # the method first, then its explanation
        ("不由政府安排工作，自主就业", "self_employed"),  # a negated keyword is no hit
        ("复员", "returned_home"),
        ("回乡", "returned_home"),
        ("回农村", "returned_home"),
        ("回原籍", "returned_home"),
        ("退休", "retired"),
        ("供养", "retired"),
        ("逐月领取退役金", "retired"),
        ("本人自行联系", "other"),
    ],
)
def test_placement_methods(text, code):
    assert placement_method(text) == code


@pytest.mark.parametrize("text", ["", "临江省青河县", "青河县城关镇", "(空)"])
def test_a_place_alone_is_no_method(text):
    assert placement_method(text) is None


@pytest.mark.parametrize(
    "text, code",
    [
        ("青河县待安置退伍军人生活补助费发放花名册", "pending_allowance"),
        ("青河县待安置退役士兵生活补助费发放表", "pending_allowance"),
        ("青河县待分配期间生活费发放表", "pending_allowance"),
        ("城镇退役士兵自谋职业一次性经济补助金领取凭证", "self_employment_grant"),
        ("自主就业一次性退役金", "self_employment_grant"),
        ("地方一次性经济补助", "self_employment_grant"),
        ("退伍费", "discharge_pay"),
        ("退出现役补助费领取凭证", "discharge_pay"),
    ],
)
def test_payment_kinds(text, code):
    assert payment_kind(text) == code


def test_no_payment_keyword():
    assert payment_kind("医疗救助金发放表") is None


def test_every_code_has_a_chinese_name():
    assert set(PLACEMENT_METHOD_ZH) == set(PLACEMENT_METHODS)
    assert set(PAYMENT_KIND_ZH) == set(PAYMENT_KINDS)
