"""What every rule sees (CaseContext) and the message templates; its thresholds (RuleOptions) are
in cases/options.py, re-exported here for the rules."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from core.labels import DOC_TYPE_SHORT
from extract.doubt import reading_reconciles

from cases.facts import DocumentFacts
from cases.monthsets import MonthSets
from cases.options import REQUIRED_DOC_TYPES, RuleOptions
from cases.periods import FactSource
from cases.plausible import DateBounds
from cases.roster import RosterEntry


MESSAGES = {
    "missing_document": "缺少{doc_type_zh}，请补充。",
    "name_mismatch/homophone": "{doc}上的姓名“{doc_name}”与花名册姓名“{roster_name}”不一致，可能为同音字或曾用名，请核对。",
    "name_mismatch/different": "{doc}上的姓名“{doc_name}”与花名册姓名“{roster_name}”不一致，请核实是否为本人材料。",
    "name_mismatch/doubtful": "{doc}上的姓名识别为“{doc_name}”，其中“{chars}”字识别不确定，其余与花名册姓名“{roster_name}”一致，请对照扫描件核对。",
    "name_mismatch/incomplete": "{doc}上的姓名识别为“{doc_name}”，比花名册姓名“{roster_name}”少一个字，可能是识别时缺漏，请对照扫描件核对。",
    "name_mismatch/alias": "{doc}上的姓名“{doc_name}”与花名册姓名“{roster_name}”不同，为登记的曾用名（花名册或户口簿），请核对。",
    "invalid_id_number": "{doc}上的公民身份号码“{value}”无效（{problem}），请核对原件。",
    "invalid_id_number/incomplete": "{doc}上的公民身份号码识别为“{value}”，是本案号码的一部分，可能是识别时缺漏了数字，请对照扫描件核对。",
    "invalid_id_number/card": "{doc}上的公民身份号码识别为“{value}”，校验不通过，与本案号码仅差几位；居民身份证号码均能通过校验，应为识别误差，请对照扫描件核对。",
    "id_mismatch": "{doc}上的公民身份号码“{value}”与本案公民身份号码“{case_id}”不一致，请核实是否为本人材料。",
    "id_mismatch/legacy_slip": "{doc}上的旧15位公民身份号码“{value}”与本案号码的15位形式“{legacy}”仅差一位数字，可能为识别误差或笔误，请对照扫描件核对。",
    "id_number/doubtful": "{doc}上的公民身份号码识别为“{value}”，其中“{chars}”识别不确定，其余与本案公民身份号码一致，可能为识别误差，请对照扫描件核对。",
    "date_order": "{a_fact}{a_month}（{a_doc}）应{op}{b_fact}{b_month}（{b_doc}），时间顺序矛盾。",
    "disqualifying_termination": "{doc}记载的解除（终止）原因为“{reason_zh}”{when}，属于排除情形（自动离职、除名、开除、判刑），{scope}，须复核确认。",
    "birth_date_mismatch": "{doc}上的出生年月“{doc_birth}”与公民身份号码中的出生年月“{id_birth}”不一致，请核对。",
    "birth_date_mismatch/doubtful": "{doc}上的出生年月识别为“{doc_birth}”，其中“{chars}”识别不确定，其余与公民身份号码中的出生年月“{id_birth}”一致，可能为识别误差，请对照扫描件核对。",
    "gender_mismatch": "{doc}上的性别“{doc_gender}”与公民身份号码所示性别“{id_gender}”不一致，请核对。",
    "enlistment_age": "入伍时年龄 {age} 岁（出生 {birth}，入伍 {enlisted}，依据文件 {document}），不在通常的 {low}–{high} 岁之间，请核对。",
    "pending_long": "待安置时间 {months} 个月（{start} 至 {end}），{note}。",
    "unit_mismatch": "安置介绍信（文件 {letter}）的接收单位“{placed}”与解除劳动合同证明（文件 {ended}）的用人单位“{employer}”不一致{note}。",
    "anachronism_id": "{doc}日期为 {date}，却载有 18 位公民身份号码（1999 年前的材料通常为 15 位），可能为事后补填，请核对原件。",
    "missing_document/substitute": "缺少{doc_type_zh}。本案已有可替代的材料：{found}，请复核是否足以证明{fact_zh}。",
    "missing_document/options": "缺少{doc_type_zh}，请补充（也可提供：{substitutes}）。",
    "fact_evidence/substitute": "{fact_zh}未见{primary}，由替代材料证明：{found}。",
    "fact_evidence/none": "未见能证明{fact_zh}的材料（可提供：{options}）。",
    "service_length": "退出现役材料（文件 {doc}）记载{label}“{stated}”，按入伍时间 {enlisted} 至退出现役时间 {discharged} 计算为 {months} 个月，相差 {diff} 个月，请核对。",
    "military_status": "{doc}上的兵役状况为“{status}”，与已退出现役不符（户口登记可能未随退役更新），请留意。",
    "service_minimum": "{discharged} 退出现役，服现役 {months} 个月，不满 12 年；2011 年 11 月起由政府安排工作的士官须服现役满 12 年（烈士子女、因战致残等情形除外），请核实安置依据。",
    "service_dates": "{doc}上的{fact_zh}“{value}”与本案采用的 {chosen}（文件 {chosen_doc}）相差 {diff} 个月{note}。",
    "report_date/before_letter": "报到（上岗）时间 {report}（文件 {report_doc}）早于安置介绍信开具时间 {letter}（文件 {letter_doc}），请核对。",
    "report_date/late": "报到（上岗）时间 {report}（文件 {report_doc}）晚于安置介绍信开具时间 {letter}（文件 {letter_doc}）超过 {limit} 个月，请核实原因。",
    "report_date/after_termination": "报到（上岗）时间 {report}（文件 {report_doc}）晚于解除（终止）劳动合同时间 {ended}（文件 {ended_doc}），时间顺序矛盾。",
    "payroll_months/outside": "待安置生活补助发放表（文件 {doc}）所属期间 {period} 超出待安置期间 {pending}，请核对。",
    "payroll_months/last": "待安置生活补助发放表（文件 {doc}）最后发放月份 {last} 与安置介绍信开具月份 {letter} 不衔接（应为当月或上月），请核对。",
    "impossible_date": "{doc}上的{field_zh}识别为“{value}”，{why}，不可能属实，应为识别错误或填写错误，请对照扫描件核对；本案的期间计算未采用此日期。",
    "future_date": "{doc}上的{field_zh}“{value}”晚于今天（{today}），请核对。",
    "anachronism_issuer": "{doc}日期为 {date}，出具单位“{issuer}”在当时尚未设立（{family}约自 {since} 年起），请核对原件。",
    "placement_method": "退出现役材料（文件 {doc}）记载安置方式为“{method_zh}”，不属于政府安排工作，请核实是否属于本项目对象。",
    "self_employment_grant": "本案有一次性自谋职业（自主就业）经济补助的领取凭证（文件 {doc}），与政府安排工作（{claim}）相矛盾，请核实。",
    "stub_mismatch": "安置介绍信（文件 {letter}）与其存根（文件 {stub}）的{part_zh}不一致：“{letter_value}” / “{stub_value}”，请核对原件。",
    "stub_mismatch/lost": "安置介绍信（文件 {letter}）与其存根（文件 {stub}）的{part_zh}识别为“{letter_value}” / “{stub_value}”，仅差一个“{chars}”字，可能是识别时缺漏，请对照扫描件核对。",
    "stub_mismatch/doubtful": "安置介绍信（文件 {letter}）与其存根（文件 {stub}）的{part_zh}识别为“{letter_value}” / “{stub_value}”，仅差识别不确定的“{chars}”字，可能为识别误差，请对照扫描件核对。",
    "contribution_employer": "缴费记录（文件 {record}）在工作期间的参保单位（{units}）中没有解除劳动合同证明（文件 {ended}）的用人单位“{employer}”，请核实。",
    "contribution_overlap": "缴费记录（文件 {record}）中 {months} 由两个以上单位缴费（{units}），可能重复或记录有误，请核实。",
    "contribution_after_termination": "用人单位“{employer}”在解除（终止）劳动合同（{ended}）之后仍有缴费记录（{months}，文件 {record}），请核实。",
    "resignation": "{doc}记载的解除原因含“{word}”。辞职、辞退是否属于本项目对象尚待明确，须复核确认。",
    "contribution_before_service": "缴费记录（文件 {record}）自 {start} 起有缴费，早于入伍时间 {enlisted}，为入伍前参加工作的缴费，可合并计算。",
    "clean_record_date": "无犯罪记录证明（文件 {doc}）出具于 {issued}，早于解除（终止）劳动合同时间 {ended}，未覆盖安置后的期间，请补充近期证明。",
}


@dataclass(frozen=True)
class CaseContext:
    entry: RosterEntry
    docs: list[DocumentFacts]
    dates: dict[str, FactSource]
    options: RuleOptions = RuleOptions()
    required_doc_types: tuple[str, ...] = REQUIRED_DOC_TYPES  # CaseOptions.required_doc_types
    exclusion_scope: str = "whole_case"  # CaseOptions.exclusion_scope: said in the flag's message
    pending_months: int | None = None  # as derived (cases.periods), for T-07
    pending_period: tuple[str, str] | None = None
    sets: MonthSets | None = None  # the derived month sets (cases.monthsets), for T-11 and the C-xx checks
    # what the person's papers can date (cases/plausible.py); None: every date is taken as read
    bounds: DateBounds | None = None

    def possible(self, fact: str, month: int | None) -> bool:
        """Whether a document's month may date this fact (an impossible one is flagged on its own)."""
        return self.bounds is None or self.bounds.possible(fact, month)


def doubtful_difference(
    a: DocumentFacts, a_field: str, b_value: str, same: Callable[[str, str], bool],
    b: DocumentFacts | None = None, b_field: str | None = None,
) -> str | None:
    """The characters the OCR read unsure when they alone make a's field differ from b_value (b's
    field when given): its value with them read as b's is `same` as b_value. None otherwise —
    the difference is a confident reading, and the rule's error stands (extract/doubt.py)."""
    a_value = a.value(a_field)
    if not a_value:
        return None
    a_doubt = a.doubt(a_field)
    b_doubt = b.doubt(b_field) if b is not None and b_field else ()
    found = reading_reconciles(a_value, a_doubt, b_value, b_doubt)
    if found is None or not same(found[0], b_value):
        return None
    return found[1]


def doc_ref(doc: DocumentFacts) -> str:
    return f"文件 {doc.id}（{DOC_TYPE_SHORT.get(doc.doc_type, doc.doc_type)}）"

