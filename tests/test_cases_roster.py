"""Importing the county roster (花名册) from CSV and XLSX."""
from __future__ import annotations

import datetime

import openpyxl
import pytest

from cases import RosterEntry, RosterError, load_roster
from core.errors import InputError

ZHOU = "360899197503141518"
CHEN = "360899197608220933"


def write_csv(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_csv_roster_keeps_other_columns_as_attributes(tmp_path):
    path = write_csv(tmp_path / "roster.csv", f"姓名,公民身份号码,安置方式,出生日期\n周立新,{ZHOU},安排工作,1975-03-14\n陈卫东,{CHEN},安排工作,\n")
    roster = load_roster(path)
    assert roster == [
        RosterEntry(ZHOU, "周立新", {"安置方式": "安排工作", "出生日期": "1975-03-14"}),
        RosterEntry(CHEN, "陈卫东", {"安置方式": "安排工作", "出生日期": ""}),
    ]


def test_csv_with_bom_gbk_alias_header_spaced_names_and_blank_rows(tmp_path):
    utf8_bom = write_csv(tmp_path / "bom.csv", f"\ufeff姓  名,身份证号\n周 立新,{ZHOU.lower()}\n,\n", "utf-8")
    gbk = write_csv(tmp_path / "gbk.csv", f"序号,姓名,身份证号码\n1,周立新,{ZHOU}\n", "gbk")
    assert [(e.id_number, e.name) for e in load_roster(utf8_bom)] == [(ZHOU, "周立新")]
    assert load_roster(gbk) == [RosterEntry(ZHOU, "周立新", {"序号": "1"})]


def test_names_are_stored_normalised(tmp_path):
    path = write_csv(tmp_path / "roster.csv", f"姓名,公民身份号码\n陳衛東,{CHEN}\n阿依古丽·买买提,{ZHOU}\n")
    assert [e.name for e in load_roster(path)] == ["陈卫东", "阿依古丽买买提"]


def test_legacy_15_digit_number_is_converted_to_18(tmp_path):
    path = write_csv(tmp_path / "roster.csv", "姓名,公民身份号码\n周立新,360899750314151\n")
    assert load_roster(path)[0].id_number == ZHOU


def test_xlsx_roster_below_a_title_row_with_dates_and_numeric_cells(tmp_path):
    path = write_xlsx(
        tmp_path / "roster.xlsx",
        [
            ["青河县部分退役士兵花名册"],
            ["序号", "姓名", "公民身份号码", "入伍时间"],
            [1, "周立新", ZHOU, datetime.datetime(1993, 12, 5)],
            [2, "陈卫东", 360899760822093, None],  # legacy number typed as a number
        ],
    )
    roster = load_roster(path)
    assert roster[0] == RosterEntry(ZHOU, "周立新", {"序号": "1", "入伍时间": "1993-12-05"})
    assert roster[1].id_number == CHEN


@pytest.mark.parametrize(
    "body, row, reason",
    [
        (f"周立新,{ZHOU}\n陈卫东,360899197608220934\n", 3, "校验位错误"),
        (f"周立新,{ZHOU}\n,{CHEN}\n", 3, "姓名为空"),
        (f"周立新,{ZHOU}\n—,{CHEN}\n", 3, "姓名中没有汉字"),
        (f"周立新,{ZHOU}\n陈卫东,\n", 3, "公民身份号码为空"),
        ("周立新,36089919750314\n", 2, "实为14位"),
        (f"周立新,{ZHOU}\n周立新,360899750314151\n", 3, "与第 2 行重复"),
    ],
)
def test_bad_row_names_file_row_and_reason(tmp_path, body, row, reason):
    path = write_csv(tmp_path / "qinghe.csv", "姓名,公民身份号码\n" + body)
    with pytest.raises(RosterError) as info:
        load_roster(path)
    err = info.value
    assert isinstance(err, InputError)
    assert (err.row, err.path) == (row, str(path))
    assert "qinghe.csv" in err.message and f"第 {row} 行" in err.message and reason in err.message
    assert "360899197608220934" not in err.message  # ID numbers are masked in messages


def test_id_number_stored_as_excel_number_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "roster.xlsx", [["姓名", "公民身份号码"], ["周立新", float(ZHOU)]])
    with pytest.raises(RosterError, match="第 2 行.*文本格式"):
        load_roster(path)


def test_missing_required_column_and_unsupported_files(tmp_path):
    with pytest.raises(RosterError, match="找不到表头"):
        load_roster(write_csv(tmp_path / "r.csv", f"姓名,电话\n周立新,{ZHOU}\n"))
    with pytest.raises(RosterError, match="不支持"):
        load_roster(write_csv(tmp_path / "r.ods", "x"))
    with pytest.raises(RosterError, match="无法打开"):
        load_roster(write_csv(tmp_path / "broken.xlsx", "not a zip"))
