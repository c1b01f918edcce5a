"""Contribution records (docs/documents.md#contribution-records, docs/periods.md#worked-example-case-a): period rows → typed periods, months by status."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cases.facts import month_index, month_str
from core.types import union_bbox
from extract.contributions import (
    STATUS_ORDER,
    ContributionPeriod,
    ContributionRecord,
    months_by_status,
    parse_contribution_record,
)
from tests.synthetic_pages import line_with, page_from_rows, page_from_text

STYLES = ("cells", "lines")

# Case A's pension record verbatim: table rules and all, as a text print or an OCR of one would read.
CASE_A = """\
              青河县社会保险事业管理局
        企业职工基本养老保险个人缴费明细（参保证明）
姓名：周立新   公民身份号码：360899197503141518   个人编号：360899197503141518
首次参保时间：199801     当前参保状态：暂停缴费
视同缴费月数：36（军龄 1993.12-1996.12）
┌────────────┬─────────────┬──────────┬──────┬────────┬────────┬──────┐
│ 费款所属期 │ 单位名称     │ 缴费基数 │ 月数 │单位缴费│个人缴费│ 状态 │
├────────────┼─────────────┼──────────┼──────┼────────┼────────┼──────┤
│199801-200112│青河县化肥厂 │   420.00 │  48  │ ……     │ ……     │已到账│
│200201-200306│青河县化肥厂 │   450.00 │  18  │ ……     │ ……     │欠费  │
└────────────┴─────────────┴──────────┴──────┴────────┴────────┴──────┘
实际缴费月数：48   累计缴费月数（含视同）：84
打印日期：2020-03-20    验证码：7K3D-92QF（示例）  （社会保险业务专用章）
"""

HEADER = [(0, "费款所属期"), (12, "单位名称"), (24, "状态")]
TITLE = [(4, "企业职工基本养老保险缴费明细")]


def parse(rows, style="cells"):
    return parse_contribution_record([(1, page_from_rows(rows, style))])


def table(*rows, title=TITLE):
    """A pension table: one (period, unit, status) triple per row."""
    return [title, HEADER] + [[(0, p), (12, u), (24, s)] for p, u, s in rows]


def months(first: str, last: str) -> frozenset[int]:
    return frozenset(range(month_index(first), month_index(last) + 1))


@pytest.mark.parametrize("style", STYLES)
def test_case_a_sample(style):
    page = page_from_text(CASE_A, style)
    record = parse_contribution_record([(3, page)])
    assert (record.holder_name, record.holder_id) == ("周立新", "360899197503141518")
    assert [(p.start, p.end, p.status, p.insurance, p.unit, p.page) for p in record.periods] == [
        ("1998-01", "2001-12", "paid", "pension", "青河县化肥厂", 3),
        ("2002-01", "2003-06", "arrears", "pension", "青河县化肥厂", 3),
    ]
    # Header values (首次参保时间, 视同 military service, 打印日期) are not table rows.
    assert record.unreadable == ()
    assert "199801-200112" in record.periods[0].raw
    # The row's box: from its period cell to its status cell (one line in tesseract style).
    assert record.periods[0].bbox == union_bbox([line_with(page, "199801-200112").bbox, line_with(page, "已到账").bbox])
    by_status = months_by_status(record)
    assert by_status["paid"] == months("1998-01", "2001-12") and len(by_status["paid"]) == 48
    assert by_status["arrears"] == months("2002-01", "2003-06") and len(by_status["arrears"]) == 18
    assert set(by_status) == set(STATUS_ORDER)
    assert months_by_status(record, "medical") == {s: frozenset() for s in STATUS_ORDER}


def test_months_are_counted_like_every_other_date():
    record = parse(table(("199801", "青河县化肥厂", "已缴")))
    assert months_by_status(record)["paid"] == {month_index("1998-01")}
    assert month_str(next(iter(months_by_status(record)["paid"]))) == "1998-01"


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize(
    "written, start, end",
    [
        ("199801–200112", "1998-01", "2001-12"),
        ("199801-200112", "1998-01", "2001-12"),
        ("1998.01—2001.12", "1998-01", "2001-12"),
        ("1998-01-2001-12", "1998-01", "2001-12"),
        ("1998年01月至2001年12月", "1998-01", "2001-12"),
        ("1998年1月至2001年2月", "1998-01", "2001-02"),
        ("1997年1月至9月", "1997-01", "1997-09"),  # docs/documents.md#dates: the end inherits the year
        ("199801~200112", "1998-01", "2001-12"),
        ("199801", "1998-01", "1998-01"),
        ("2003年06月", "2003-06", "2003-06"),
    ],
)
def test_date_formats(style, written, start, end):
    record = parse(table((written, "青河县化肥厂", "已缴")), style)
    assert [(p.start, p.end) for p in record.periods] == [(start, end)]
    assert record.unreadable == ()


@pytest.mark.parametrize(
    "marker, status",
    [
        ("已缴", "paid"), ("足额到账", "paid"), ("已到账", "paid"), ("正常", "paid"),
        ("欠费", "arrears"), ("应缴未缴", "arrears"), ("未到账", "arrears"), ("欠缴", "arrears"),
        ("未足额到账", "arrears"),
        ("暂停缴费", "interrupted"), ("中断", "interrupted"), ("停保", "interrupted"),
        ("视同缴费", "deemed"),
        ("补缴", "back_paid"), ("补缴 已到账", "back_paid"), ("补缴 未到账", "arrears"),
    ],
)
def test_status_markers(marker, status):
    record = parse(table(("199801-199812", "青河县化肥厂", marker)))
    assert [p.status for p in record.periods] == [status]


@pytest.mark.parametrize("style", STYLES)
def test_insurance_from_section_titles_and_column(style):
    rows = [
        TITLE, HEADER,
        [(0, "199801-200112"), (12, "青河县化肥厂"), (24, "已缴")],
        [(4, "职工基本医疗保险参保缴费证明")],
        HEADER,
        [(0, "200101-200112"), (12, "青河县化肥厂"), (24, "欠费")],
        # A 险种 cell overrides the section.
        [(0, "200201-200212"), (12, "青河县化肥厂"), (24, "已缴"), (30, "失业保险")],
    ]
    record = parse(rows, style)
    assert [p.insurance for p in record.periods] == ["pension", "medical", "unemployment"]
    assert months_by_status(record, "medical")["arrears"] == months("2001-01", "2001-12")
    assert months_by_status(record, "pension")["arrears"] == frozenset()
    untitled = parse(table(("199801-200112", "青河县化肥厂", "已缴"), title=[]), style)
    assert [p.insurance for p in untitled.periods] == ["unknown"]


@pytest.mark.parametrize("style", STYLES)
def test_unit_column(style):
    record = parse(
        table(
            ("199801-200112", "青河县化肥厂", "已缴"),
            # A unit named after medicine is a unit, not the insurance type.
            ("200201-200212", "青河县医疗器械厂", "已缴"),
            ("200301-200306", "", "欠费"),
        ),
        style,
    )
    assert [(p.unit, p.insurance) for p in record.periods] == [
        ("青河县化肥厂", "pension"), ("青河县医疗器械厂", "pension"), (None, "pension"),
    ]
    headless = parse([TITLE, [(0, "199801-200112"), (12, "青河县化肥厂"), (24, "已缴")]], style)
    assert [p.unit for p in headless.periods] == [None]


def test_header_row_serves_later_pages():
    page1 = page_from_rows(table(("199801-200112", "青河县化肥厂", "已缴")))
    page2 = page_from_rows([[(0, "200201-200306"), (12, "青河县化肥厂"), (24, "欠费")]])
    record = parse_contribution_record([(1, page1), (2, page2)])
    assert [(p.page, p.unit, p.insurance, p.status) for p in record.periods] == [
        (1, "青河县化肥厂", "pension", "paid"), (2, "青河县化肥厂", "pension", "arrears"),
    ]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize(
    "written",
    [
        "１９９８０１－２００１１２",  # full-width digits and dash
        "1998 01-2001 12",  # a space between year and month
        "19 98 01 - 2001 12",  # and inside the year
        "1998.01一2001.12",  # the long dash read as 一
        "1998.01——2001.12",
        "１９９８年０１月 至 ２００１年１２月",
    ],
)
def test_ocr_noise(style, written):
    record = parse(table((written, "青河县化肥厂", "已缴")), style)
    assert [(p.start, p.end) for p in record.periods] == [("1998-01", "2001-12")]


@pytest.mark.parametrize(
    "written, status",
    [
        ("199813-200112", "已缴"),  # month 13
        ("199800-199812", "已缴"),  # month 00
        ("1998.01—2001.13", "已缴"),
        ("200112-199801", "已缴"),  # reversed
        ("1998年9月至3月", "欠费"),  # reversed, inherited year
        ("199801-", "已缴"),  # range cut off
        ("199801-200112", ""),  # no status
        ("1998O1-2OO112", "已缴"),  # a status, but the period is not readable
    ],
)
def test_unreadable_rows_are_reported(written, status):
    rows = table(("199801-199812", "青河县化肥厂", "已缴"), (written, "青河县化肥厂", status))
    record = parse(rows)
    assert [(p.start, p.end) for p in record.periods] == [("1998-01", "1998-12")]
    assert len(record.unreadable) == 1 and written in record.unreadable[0]


def test_overlapping_rows_keep_the_strongest_status():
    record = parse(
        table(
            ("199801-199812", "青河县化肥厂", "欠费"),
            ("199806-199806", "青河县化肥厂", "已缴"),
            ("199810-199903", "青河县化肥厂", "中断"),
            ("199902-199904", "青河县化肥厂", "补缴"),
            ("199904-199905", "青河县化肥厂", "视同缴费"),
        )
    )
    by_status = months_by_status(record)
    assert by_status["paid"] == months("1998-06", "1998-06")
    assert by_status["arrears"] == months("1998-01", "1998-12") - months("1998-06", "1998-06")
    assert by_status["interrupted"] == months("1999-01", "1999-01")
    assert by_status["back_paid"] == months("1999-02", "1999-04")
    assert by_status["deemed"] == months("1999-05", "1999-05")


def _period(start: int, length: int, status: str, insurance: str) -> ContributionPeriod:
    return ContributionPeriod(
        month_str(start), month_str(start + length), status, insurance, None, 1, (0, 0, 1, 1), ""
    )


periods = st.builds(
    _period,
    st.integers(month_index("1990-01"), month_index("2010-12")),
    st.integers(0, 40),
    st.sampled_from(STATUS_ORDER),
    st.sampled_from(("pension", "medical")),
)


@given(st.lists(periods, max_size=12))
def test_months_by_status_partitions_the_parsed_months(parsed):
    record = ContributionRecord(tuple(parsed), None, None)
    by_status = months_by_status(record)
    sets = list(by_status.values())
    assert sum(len(s) for s in sets) == len(frozenset().union(*sets))  # no month twice
    expected = frozenset().union(
        *(months(p.start, p.end) for p in parsed if p.insurance == "pension")
    )
    assert frozenset().union(*sets) == expected
    for p in parsed:  # and each month keeps a status at least as strong as every row's
        if p.insurance == "pension":
            for s in STATUS_ORDER[STATUS_ORDER.index(p.status) + 1:]:
                assert not by_status[s] & months(p.start, p.end)


@given(st.lists(periods, min_size=1, max_size=6))
def test_written_periods_read_back(parsed):
    rows = [[(0, f"{p.start.replace('-', '')}-{p.end.replace('-', '')}"), (12, "青河县化肥厂"),
             (24, {"paid": "已缴", "back_paid": "补缴", "deemed": "视同缴费", "arrears": "欠费",
                   "interrupted": "中断"}[p.status])] for p in parsed]
    record = parse(table(*[tuple(t for _, t in r) for r in rows]))
    assert [(p.start, p.end, p.status) for p in record.periods] == [(p.start, p.end, p.status) for p in parsed]
