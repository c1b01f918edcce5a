"""Chinese names of document types, fields and values: what clerks read in flags, pages and exports."""
from __future__ import annotations

DOC_TYPE_ZH = {
    "enlistment": "入伍材料（入伍登记表/入伍批准书）",
    "discharge": "退出现役材料（退出现役登记表/退伍证）",
    "placement": "安置介绍信（或存根）",
    "termination": "解除（终止）劳动合同证明",
    "id_card": "居民身份证",
    "contribution": "参保缴费记录",
    "subsidy_voucher": "待安置生活补助发放表",
    "political_review": "政审/无犯罪记录证明",
    "other": "其他材料",
}

DOC_TYPE_SHORT = {
    "enlistment": "入伍材料",
    "discharge": "退出现役材料",
    "placement": "安置介绍信",
    "termination": "解除劳动合同证明",
    "id_card": "居民身份证",
    "contribution": "参保缴费记录",
    "subsidy_voucher": "生活补助发放表",
    "political_review": "政审/无犯罪记录证明",
    "other": "其他材料",
}

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
}

FLAG_ZH = {
    "missing_document": "缺少材料",
    "name_mismatch": "姓名不一致",
    "id_mismatch": "身份证号不一致",
    "invalid_id_number": "身份证号无效",
    "date_order": "时间顺序矛盾",
    "disqualifying_termination": "属排除情形",
}

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}

GENDER_ZH = {"male": "男", "female": "女"}

TERMINATION_REASON_ZH = {
    "mutual_agreement": "协商一致解除",
    "bankruptcy": "企业破产",
    "restructuring": "改制/重组",
    "expiry": "合同期满终止",
    **REASON_ZH,
    "other": "其他",
}


def value_zh(field: str, value: str) -> str:
    """A stored field value as a clerk should read it."""
    if field == "gender":
        return GENDER_ZH.get(value, value)
    if field == "termination_reason":
        return TERMINATION_REASON_ZH.get(value, value)
    return value
