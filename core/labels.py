"""Chinese names of document types, fields and values: what clerks read in flags, pages and exports.

This is the one mapping from casefile's internal codes to the words a clerk reads: document types,
field names and coded values, flag codes, severities, stages, review states, sources, audit
actions and durations (P12Y → 12年). The web pages, the API's error details, the XLSX export and
the printed summary all take their words from here; it imports nothing outside core (the coded
values of core/codes.py carry their own words and the tables here are derived from them), so the
domain core and the web can both use it. `CODE_VOCABULARIES` lists every code, for the
test that no page shows one.
"""
from __future__ import annotations

import re

from core.codes import CaseStage, DocType, FlagCode, Severity

# Derived from the enums of core/codes.py, where each code is declared with its words.
DOC_TYPE_ZH = {t.value: t.zh for t in DocType}
DOC_TYPE_SHORT = {t.value: t.short for t in DocType}

FACT_ZH = {
    "enlistment": "入伍时间",
    "discharge": "退出现役时间",
    "placement": "安置介绍信开具时间",
    "termination": "解除（终止）劳动合同时间",
}

REASON_ZH = {
    "voluntary_departure": "自动离职",
    "removal": "除名",
    "dismissal": "开除",
    "criminal_sentence": "判刑（被依法追究刑事责任）",
}

# The month sets of a case (cases/monthsets.py, CaseDerived.periods), in the order the 社保 office reads them.
PERIOD_ZH = {
    "service": "服役期间（视同缴费）",
    "pending": "待安置期间",
    "employment": "安置就业期间",
    "after_termination": "解除劳动合同后",
    "paid": "已缴费",
    "arrears": "欠缴",
    "interrupted": "中断缴费",
    "back_payment": "可补缴（候选）",
}


def runs_zh(runs: list[list[str]]) -> str:
    """Runs of months ([["1997-10", "1997-12"], …]) as a clerk reads them."""
    return "、".join(f"{a} 至 {b}" for a, b in runs)


FIELD_ZH = {
    "name": "姓名",
    "id_number": "公民身份号码",
    "gender": "性别",
    "birth_date": "出生日期",
    "enlistment_date": "入伍时间",
    "discharge_date": "退出现役时间",
    "service_unit": "服役部队",
    "placement_unit": "安置单位",
    "placement_date": "安置介绍信开具时间",
    "employer": "用人单位",
    "termination_date": "解除（终止）劳动合同时间",
    "termination_reason": "解除（终止）原因",
    "issue_date": "出具日期",
    "former_name": "曾用名",
    "stated_service": "兵龄（服役年限）",
    "placement_method": "安置方式",
    "letter_serial": "介绍信编号",
    "placement_form": "介绍信形式",
    "stub_placement_date": "存根开具日期",
    "stub_placement_unit": "存根前往单位",
    "report_date": "报到（上岗）时间",
    "issuer": "出具单位",
    "payment_kind": "款项类别",
    "paid_period": "发放所属期间",
    "former_employer": "原单位名称（更名/改制前）",
    "military_status": "兵役状况",
}

# How the added fields are stored (what extraction returns and a reviewer's entry becomes).
FIELD_FORMATS = {
    "former_name": "a name, as `name`",
    "stated_service": "ISO 8601 duration as stated: P3Y (years only), P5Y9M, P69M (months only)",
    "placement_method": "one of core.types.PLACEMENT_METHODS",
    "letter_serial": "NFKC, whitespace removed: (97)青安字第056号",
    "placement_form": "one of core.types.PLACEMENT_FORMS",
    "stub_placement_date": "a date as `placement_date` (the stub half of a letter_with_stub sheet)",
    "stub_placement_unit": "a unit as `placement_unit` (the stub half of a letter_with_stub sheet)",
    "report_date": "a date: when the veteran reported to / started at the unit",
    "issuer": "a unit name: the organisation that issued the document (signature/seal line or letterhead)",
    "payment_kind": "one of core.types.PAYMENT_KINDS",
    "paid_period": "YYYY-MM/YYYY-MM: the months a payroll covers (所属期间)",
    "former_employer": "a unit name: the employer's name before a stated 更名/改制",
    "military_status": "one of core.types.MILITARY_STATUSES, as the household register words it",
}

PLACEMENT_METHOD_ZH = {
    "arranged_job": "安排工作（政府安排）",
    "self_employed": "自主就业/自谋职业",
    "returned_home": "复员/回乡",
    "retired": "退休/供养/逐月领取退役金",
    "other": "其他",
}

PLACEMENT_FORM_ZH = {"letter": "介绍信", "stub": "存根", "letter_with_stub": "介绍信（带存根）"}

PAYMENT_KIND_ZH = {
    "pending_allowance": "待安置期间生活补助",
    "self_employment_grant": "一次性自谋职业（自主就业）经济补助",
    "discharge_pay": "部队退伍费/退出现役补助费",
    "other": "其他款项",
}

FLAG_ZH = {code.value: code.zh for code in FlagCode}
SEVERITY_ZH = {severity.value: severity.zh for severity in Severity}

GENDER_ZH = {"male": "男", "female": "女"}

TERMINATION_REASON_ZH = {
    "mutual_agreement": "协商一致解除",
    "bankruptcy": "企业破产",
    "restructuring": "改制/重组",
    "expiry": "合同期满终止",
    **REASON_ZH,
    "other": "其他",
}


# The default stages of cases.workflow (the bureau's policy may rename them: pages ask
# WorkflowOptions.stage_zh, which starts from these).
STAGE_ZH = {stage.value: stage.zh for stage in CaseStage}

REVIEW_STATUS_ZH = {"pending": "待复核", "confirmed": "已确认"}
FLAG_STATUS_ZH = {"open": "待处理", "resolved": "已解决", "waived": "已豁免"}
SOURCE_ZH = {"ocr": "识别", "text_layer": "文本层", "reviewer": "人工"}

# Audit actions (records.AuditEvent.action) and the keys of their before/after, as the case
# history shows them.
ACTION_ZH = {
    "confirm_field": "确认字段",
    "correct_field": "更正字段",
    "confirm_document": "确认材料",
    "change_doc_type": "修改材料类型",
    "split_document": "拆分材料",
    "merge_documents": "合并材料",
    "attach_document": "指定所属案卷",
    "detach_document": "移出案卷",
    "send_to_review": "送复核",
    "decide_flag": "处理问题",
    "move_stage": "变更阶段",
    "record_verification": "记录核查结果",
    "import_roster": "导入花名册",
    "rotate_page": "旋转页面显示",
}
HISTORY_KEY_ZH = {
    "value": "值", "source": "来源", "confidence": "置信度", "reviewed_by": "复核人", "review_status": "复核状态",
    "doc_type": "材料类型", "doc_type_conf": "类型置信度", "pages": "页码", "status": "状态", "note": "说明",
    "new_pages": "新材料页码", "merged_pages": "并入的页码", "stage": "阶段", "verified": "已完成核查",
    "case": "所属案卷", "reason": "原因", "part": "核查项",
}

_DURATION = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?")


def duration_zh(value: str) -> str:
    """A stored service length as it is read aloud: P12Y → 12年, P4Y6M → 4年6个月, P69M → 69个月
    (as stated: months are not folded into years). Anything else is returned as it is."""
    m = _DURATION.fullmatch(value or "")
    if m is None or not any(m.groups()):
        return value
    years, months = m.groups()
    return (f"{int(years)}年" if years else "") + (f"{int(months)}个月" if months else "")


def value_zh(field: str, value: str) -> str:
    """A stored field value as a clerk should read it."""
    if field == "stated_service":
        return duration_zh(value)
    if field == "gender":
        return GENDER_ZH.get(value, value)
    if field == "termination_reason":
        return TERMINATION_REASON_ZH.get(value, value)
    coded = {"placement_method": PLACEMENT_METHOD_ZH, "placement_form": PLACEMENT_FORM_ZH, "payment_kind": PAYMENT_KIND_ZH}
    if field in coded:
        return coded[field].get(value, value)
    return value


# Every internal code a page could leak, by kind: the browser test that walks the pages fails
# when one of them appears as a word of the visible text.
CODE_VOCABULARIES: dict[str, tuple[str, ...]] = {
    "document types": tuple(DOC_TYPE_ZH),
    "fields": tuple(FIELD_ZH),
    "flags": tuple(FLAG_ZH),
    "severities": tuple(SEVERITY_ZH),
    "stages": tuple(STAGE_ZH),
    "review states": tuple(REVIEW_STATUS_ZH),
    "flag states": tuple(FLAG_STATUS_ZH),
    "sources": tuple(SOURCE_ZH),
    "actions": tuple(ACTION_ZH),
    "placement methods": tuple(PLACEMENT_METHOD_ZH),
    "placement forms": tuple(PLACEMENT_FORM_ZH),
    "payment kinds": tuple(PAYMENT_KIND_ZH),
    "termination reasons": tuple(TERMINATION_REASON_ZH),
    "genders": tuple(GENDER_ZH),
    "periods": tuple(PERIOD_ZH),
}
# A stored duration (P12Y, P4Y6M) shown as it is stored.
CODE_PATTERNS: dict[str, str] = {"durations": r"\bP\d+Y(?:\d+M)?\b|\bP\d+M\b"}
