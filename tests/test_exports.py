"""Exports: the case spreadsheet rows, the .xlsx file and the printable evidence summary."""
from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.template import Context, Engine, TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone

from cases import CaseOptions
from casework.exports import case_rows, case_summary, write_cases_xlsx
from records.models import Case, Document, Field, Flag, SourceFile

CASE_OPTIONS = CaseOptions()  # the default policy

pytestmark = pytest.mark.django_db

ID = "110101199003071234"  # all digits: the case Excel would turn into 1.10101E+17


def _date(field: str, value: str, doc: Document) -> dict:
    return {"field": field, "month": value[:7], "value": value, "document": doc.public_id}


@pytest.fixture
def case():
    case = Case.objects.create(
        id_number=ID,
        name="张三",
        attributes={"安置方式": "安排工作", "联系电话": "13800000000", "低保": "是", "备注": "=1+1"},
        stage=Case.Stage.FIRST_REVIEW,
    )
    src = SourceFile.objects.create(sha256="a" * 64, kind="pdf", size=1, storage_key="k", first_name="张三材料.pdf")
    discharge = Document.objects.create(file=src, index=0, pages=[1, 2], doc_type="discharge", case=case)
    placement = Document.objects.create(file=src, index=1, pages=[3], doc_type="placement", case=case)
    Field.objects.create(document=discharge, name="enlistment_date", value="1992-12", page=1, confidence=0.9)
    Field.objects.create(document=discharge, name="discharge_date", value="1996-12", page=2, confidence=0.9)
    Field.objects.create(
        document=discharge, name="gender", value="male", page=1, source=Field.Source.REVIEWER, reviewed_by="李科员"
    )
    Field.objects.create(document=placement, name="issue_date", value="1997-09-20", page=3, source="text_layer")
    case.derived = {
        "service_months": 48,
        "pending_placement_months": 9,
        "pending_period": {
            "start": "1997-01",
            "end": "1997-09",
            "start_rule": "after_discharge_month",
            "end_rule": "letter_month",
            "start_evidence": {"document": discharge.public_id, "field": "discharge_date"},
            "end_evidence": {"document": placement.public_id, "field": "issue_date"},
        },
        "dates": {
            "enlistment": _date("enlistment_date", "1992-12", discharge),
            "discharge": _date("discharge_date", "1996-12", discharge),
            "placement": _date("issue_date", "1997-09-20", placement),
        },
    }
    case.save()
    Flag.objects.create(
        case=case, code="missing_document", doc_type="termination", severity="error", message="缺少解除（终止）劳动合同证明"
    )
    Flag.objects.create(
        case=case, code="low_confidence", severity="warning", message="入伍时间识别置信度低",
        status=Flag.Status.WAIVED, resolved_by="王股长", note="已核对原件",
    )
    return case


def test_case_rows(case):
    Case.objects.create(id_number="110101199105052345", name="李四")
    rows = case_rows(CASE_OPTIONS)
    assert [r["姓名"] for r in rows] == ["张三", "李四"]
    row = rows[0]
    assert list(row)[:4] == ["姓名", "公民身份号码", "阶段", "花名册其他信息"]
    assert list(row)[-1] == "未处理问题"
    assert row["公民身份号码"] == ID
    assert row["阶段"] == "初审"
    assert row["花名册其他信息"] == "安置方式：安排工作；联系电话：13800000000；低保：是；备注：=1+1"
    assert (row["入伍时间"], row["退出现役时间"], row["安置介绍信开具时间"]) == ("1992-12", "1996-12", "1997-09")
    assert row["解除（终止）劳动合同时间"] == ""
    assert (row["服役月数"], row["待安置月数"], row["待安置起止"]) == (48, 9, "1997-01 至 1997-09")
    assert row["材料数"] == 2
    assert row["缺少材料"] == "入伍材料、解除劳动合同证明、居民身份证"
    assert row["未处理问题数"] == 1
    assert row["未处理问题"] == "缺少解除（终止）劳动合同证明"
    empty = rows[1]
    assert empty["材料数"] == 0 and empty["服役月数"] == "" and empty["待安置起止"] == ""
    assert empty["缺少材料"].count("、") == 4


def test_write_cases_xlsx(case):
    buf = io.BytesIO()
    write_cases_xlsx(buf, CASE_OPTIONS)
    buf.seek(0)
    wb = openpyxl.load_workbook(buf)
    ws = wb["案卷"]
    headers = [c.value for c in ws[1]]
    assert headers == list(case_rows(CASE_OPTIONS)[0])
    assert ws[1][0].font.bold and ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:AA2"
    id_cell = ws.cell(row=2, column=headers.index("公民身份号码") + 1)
    assert id_cell.data_type == "s" and id_cell.value == ID and len(id_cell.value) == 18
    attrs = ws.cell(row=2, column=headers.index("花名册其他信息") + 1)
    assert attrs.data_type == "s"  # "=1+1" inside stays text, not a formula
    assert ws.cell(row=2, column=headers.index("未处理问题") + 1).alignment.wrap_text
    info = {r[0]: r[1] for r in wb["说明"].iter_rows(values_only=True)}
    assert info["案卷数"] == 1
    assert info["导出时间"].startswith(timezone.localtime().strftime("%Y-%m-%d"))


def test_formula_like_text_stays_text():
    Case.objects.create(id_number="110101199003071235", name="=HYPERLINK(\"x\")")
    buf = io.BytesIO()
    write_cases_xlsx(buf, CASE_OPTIONS)
    buf.seek(0)
    cell = openpyxl.load_workbook(buf)["案卷"]["A2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("x")'


def test_case_summary(case):
    s = case_summary(case, CASE_OPTIONS)
    assert (s["name"], s["id_number"], s["stage"], s["gender"]) == ("张三", ID, "初审", "男")
    assert {"key": "低保", "value": "是"} in s["attributes"]
    checklist = {c["doc_type"]: c for c in s["checklist"]}
    assert [t for t, c in checklist.items() if not c["present"]] == ["enlistment", "termination", "id_card"]
    assert checklist["discharge"]["documents"][0]["file_name"] == "张三材料.pdf"
    assert checklist["discharge"]["documents"][0]["pages"] == [1, 2]
    assert s["missing"] == ["入伍材料（入伍登记表/入伍批准书）", "解除（终止）劳动合同证明", "居民身份证（或户口簿常住人口登记卡）"]
    dates = {d["label"]: d for d in s["dates"]}
    assert dates["退出现役时间"]["document"]["pages"] == [2]  # the page of the field, not the whole document
    assert dates["安置介绍信开具时间"]["field"] == "出具日期"
    assert dates["解除（终止）劳动合同时间"]["document"] is None
    assert s["pending_period"] == "1997-01 至 1997-09" and s["pending_rule"].startswith("自退出现役次月起")
    fields = {f["label"]: f for d in s["documents"] for f in d["fields"]}
    assert fields["性别"]["value"] == "男" and fields["性别"]["source"] == "人工"
    assert fields["性别"]["reviewed_by"] == "李科员" and fields["出具日期"]["source"] == "文本层"
    assert [(f["severity"], f["status"]) for f in s["flags"]] == [("错误", "待处理"), ("警告", "已豁免")]
    assert s["flags"][1]["resolved_by"] == "王股长" and s["open_flag_count"] == 1


def _render(context: dict) -> str:
    try:
        return render_to_string("web/case_print.html", context)
    except TemplateDoesNotExist:  # the web app is not in INSTALLED_APPS yet
        engine = Engine(dirs=[str(Path(__file__).parent.parent / "web" / "templates")])
        return engine.get_template("web/case_print.html").render(Context(context))


def test_print_template(case):
    html = _render({"s": case_summary(case, CASE_OPTIONS), "printed_at": "2024-05-01 10:00"})
    for text in ("退役士兵社会保险接续材料核查表", "张三", ID, "缺少解除（终止）劳动合同证明", "入伍时间识别置信度低",
                 "已核对原件", "王股长", "张三材料.pdf", "1997-01 至 1997-09", "经办人（签字）", "复核人（签字）", "日期"):
        assert text in html, text
    for heading in ("基本信息", "关键时间与期间", "材料"):  # one A4 page: no per-document field tables
        assert f"<h2>{heading}</h2>" in html
    assert "<h2>问题提示（未处理" in html
    assert "{{" not in html and "{%" not in html
    # text read from a page is text: no markup of it, and the only script is the print button's file
    assert "=1+1" in html and re.findall(r"<script[^>]*>", html) == ['<script src="/static/web/print.js" defer>']


def test_print_template_for_an_empty_case():
    bare = Case.objects.create(id_number="110101199105052345", name="李四")
    s = case_summary(bare, CASE_OPTIONS)
    assert len(s["missing"]) == 5 and s["documents"] == [] and s["flags"] == []
    html = _render({"s": s, "printed_at": "2024-05-01 10:00"})
    assert "无法推算" in html and "本案卷尚无材料" in html and "无问题提示" in html
    assert "{{" not in html


def test_the_month_sets_are_exported_and_printed(case):
    case.derived = {
        **case.derived,
        "periods": {
            "employment": {"months": 69, "ranges": [["1997-10", "2003-06"]]},
            "paid": {"months": 48, "ranges": [["1997-10", "2001-12"]]},
            "back_payment": {"months": 21, "ranges": [["1997-10", "1997-12"], ["2002-01", "2003-06"]]},
            "contribution_record": True,
        },
    }
    case.save()
    [row] = case_rows(CASE_OPTIONS)
    assert (row["可补缴（候选）月数"], row["可补缴（候选）起止"]) == (21, "1997-10 至 1997-12、2002-01 至 2003-06")
    assert (row["欠缴月数"], row["欠缴起止"]) == ("", "")
    printed = case_summary(case, CASE_OPTIONS)["periods"]
    assert [(p["label"], p["months"]) for p in printed] == [("安置就业期间", 69), ("已缴费", 48), ("可补缴（候选）", 21)]
