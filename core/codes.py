"""The coded values casefile stores and reports, each with the Chinese words a clerk reads for it.

A member is its code (a `str`: it compares equal to the stored text, goes into JSON and the
database as it is) and carries its labels, so a code and its words are declared once:

    DocType.PLACEMENT == "placement"      # True: a row's doc_type compares with it
    DocType("placement").short            # '安置介绍信'
    FlagCode.UNIT_MISMATCH.zh              # '安置单位与用人单位不一致'

core/labels.py derives its tables (DOC_TYPE_ZH, FLAG_ZH, SEVERITY_ZH, STAGE_ZH) from these.
"""
from __future__ import annotations

from enum import StrEnum


def _member(cls, code: str, zh: str):
    member = str.__new__(cls, code)
    member._value_ = code
    member.zh = zh
    return member


class Coded(StrEnum):
    """A code with its Chinese label (`zh`); `labelled` gives (code, label) pairs for form choices."""

    zh: str

    def __new__(cls, code: str, zh: str):
        return _member(cls, code, zh)

    @classmethod
    def labelled(cls) -> list[tuple[str, str]]:
        return [(member.value, member.zh) for member in cls]


class DocType(Coded):
    """Page and document types (report contract casefile.report/1). `zh` names the type with its
    usual papers; `short` is the name the checklist and flag messages use."""

    short: str

    def __new__(cls, code: str, zh: str, short: str):
        member = _member(cls, code, zh)
        member.short = short
        return member

    ENLISTMENT = "enlistment", "入伍材料（入伍登记表/入伍批准书）", "入伍材料"  # 应征公民入伍登记表 / 入伍批准书 / 入伍通知书
    DISCHARGE = "discharge", "退出现役材料（退出现役登记表/退伍证）", "退出现役材料"  # 退出现役登记表 / 退伍证
    PLACEMENT = "placement", "安置介绍信（或存根）", "安置介绍信"  # 安置介绍信 and its 存根
    TERMINATION = "termination", "解除（终止）劳动合同证明", "解除劳动合同证明"  # 解除(终止)劳动合同证明书, 除名/开除决定
    ID_CARD = "id_card", "居民身份证（或户口簿常住人口登记卡）", "居民身份证"  # 居民身份证, 户口簿 常住人口登记卡
    CONTRIBUTION = "contribution", "参保缴费记录", "参保缴费记录"  # 缴费记录 / 参保证明
    SUBSIDY_VOUCHER = "subsidy_voucher", "待安置生活补助发放表", "生活补助发放表"  # 待安置生活补助发放表, 一次性补助领取凭证
    POLITICAL_REVIEW = "political_review", "政审/无犯罪记录证明", "政审/无犯罪记录证明"  # 政治审查表 / 无犯罪记录证明
    OTHER = "other", "其他材料", "其他材料"


class Severity(Coded):
    ERROR = "error", "错误"
    WARNING = "warning", "警告"
    INFO = "info", "提示"


class FlagCode(Coded):
    """What a flag says is wrong or worth a look; the rules that raise each are in cases/rules/pack.py."""

    MISSING_DOCUMENT = "missing_document", "缺少材料"
    NAME_MISMATCH = "name_mismatch", "姓名不一致"
    ID_MISMATCH = "id_mismatch", "身份证号不一致"
    INVALID_ID_NUMBER = "invalid_id_number", "身份证号无效"
    DATE_ORDER = "date_order", "时间顺序矛盾"
    DISQUALIFYING_TERMINATION = "disqualifying_termination", "属排除情形"
    BIRTH_DATE_MISMATCH = "birth_date_mismatch", "出生年月不一致"
    GENDER_MISMATCH = "gender_mismatch", "性别不一致"
    ENLISTMENT_AGE = "enlistment_age", "入伍年龄异常"
    PENDING_LONG = "pending_long", "待安置时间较长"
    UNIT_MISMATCH = "unit_mismatch", "安置单位与用人单位不一致"
    ANACHRONISM_ID = "anachronism_id", "身份证号与年代不符"
    ANACHRONISM_ISSUER = "anachronism_issuer", "出具单位与年代不符"
    SERVICE_LENGTH = "service_length", "兵龄与服役时间不符"
    SERVICE_MINIMUM = "service_minimum", "服役不满12年"
    SERVICE_DATES = "service_dates", "入伍/退伍时间不一致"
    REPORT_DATE = "report_date", "报到时间异常"
    PAYROLL_MONTHS = "payroll_months", "生活补助月份与待安置期间不符"
    FUTURE_DATE = "future_date", "日期晚于今天"
    IMPOSSIBLE_DATE = "impossible_date", "日期与本人年龄不符"
    PLACEMENT_METHOD = "placement_method", "安置方式不属于政府安排工作"
    SELF_EMPLOYMENT_GRANT = "self_employment_grant", "领取过自谋职业补助"
    STUB_MISMATCH = "stub_mismatch", "介绍信与存根不一致"
    CONTRIBUTION_EMPLOYER = "contribution_employer", "参保单位与用人单位不符"
    CONTRIBUTION_OVERLAP = "contribution_overlap", "同月多单位缴费"
    CONTRIBUTION_AFTER_TERMINATION = "contribution_after_termination", "解除后仍有缴费"
    CLEAN_RECORD_DATE = "clean_record_date", "无犯罪记录证明日期过早"
    MILITARY_STATUS = "military_status", "户口簿兵役状况"
    RESIGNATION = "resignation", "辞职/辞退须复核"
    CONTRIBUTION_BEFORE_SERVICE = "contribution_before_service", "入伍前已参保"
    FACT_EVIDENCE = "fact_evidence", "证明材料情况"


class CaseStage(Coded):
    """The default stages of a case (cases/workflow.py; the bureau's policy may rename them:
    pages ask WorkflowOptions.stage_zh, which starts from these)."""

    DRAFT = "draft", "暂存"
    ACCEPTED = "accepted", "受理"
    FIRST_REVIEW = "first_review", "初审"
    VERIFICATION = "verification", "核查"
    HARDSHIP = "hardship", "困难人员认定"
    PAYMENT = "payment", "缴费"
    COMPLETED = "completed", "办结"
    RETURNED = "returned", "退回补正"
    REJECTED = "rejected", "不予受理"
