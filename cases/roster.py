"""The county's roster (花名册) of veterans: one row per case, read from CSV or XLSX.

Rules:
- Required columns 姓名 and 公民身份号码 (aliases 身份证号, 身份证号码, 公民身份证号码). Header cells
  are compared after NFKC and removing spaces, so `姓  名` works. The header may sit below a title
  row: the first row (of the first 10) that holds both required columns is the header.
- Names are stored as extract.normalize.names.normalize_name gives them (no spaces or separator
  dots, listed traditional characters simplified), the form every document name is compared in.
- Other columns are kept as attributes (text; dates as YYYY-MM-DD).
- 15-digit legacy numbers are converted to 18; an 18-char number must pass the checksum.
- Fully empty rows are skipped. Any other bad row raises RosterError naming the file, the row
  number as a spreadsheet shows it (the header row counts) and the reason. ID numbers in the
  message are masked: the row number is enough to find the row.
- CSV encodings tried: UTF-8 (with or without BOM), then GB18030 (a superset of GBK).
"""
from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import InputError
from core.privacy import mask_id
from extract.normalize.idnumbers import canonical_id, clean_id, id_problem
from extract.normalize.names import normalize_name
from extract.normalize.text import squeeze

NAME_COLUMN = "姓名"
ID_COLUMN = "公民身份号码"
ID_ALIASES = ("公民身份号码", "身份证号", "身份证号码", "公民身份证号码", "公民身份证号")
_HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class RosterEntry:
    id_number: str  # 18-char canonical
    name: str
    attributes: dict[str, str] = field(default_factory=dict)


class RosterError(InputError):
    code = "bad_roster"

    def __init__(self, path: Path | str, row: int | None, reason: str):
        self.path, self.row, self.reason = str(path), row, reason
        where = f"第 {row} 行：" if row is not None else ""
        super().__init__(f"花名册 {Path(path).name} {where}{reason}")


def load_roster(path: Path) -> list[RosterEntry]:
    path = Path(path)
    if not path.is_file():
        raise RosterError(path, None, "文件不存在")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(path)
    elif suffix in (".csv", ".txt"):
        rows = _csv_rows(path)
    else:
        raise RosterError(path, None, f"不支持的文件类型 {suffix or '(无扩展名)'}，请使用 CSV 或 XLSX")
    return _parse_rows(path, rows)


# ---- reading cells ---------------------------------------------------------------------------


def _csv_rows(path: Path) -> list[list[object]]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RosterError(path, None, "无法识别文件编码（应为 UTF-8 或 GBK）")
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""))]


def _xlsx_rows(path: Path) -> list[list[object]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException ...
        raise RosterError(path, None, f"无法打开 Excel 文件（{type(exc).__name__}）") from exc
    try:
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _lost_digits(value: object) -> bool:
    """An ID typed into a numeric Excel cell: a float keeps only ~15-16 significant digits."""
    return isinstance(value, float) and abs(value) >= 1e15


# ---- rows → entries --------------------------------------------------------------------------


def _find_header(path: Path, rows: list[list[object]]) -> tuple[int, int, int]:
    """(row index, name column, ID column) of the header row."""
    for r, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        keys = [squeeze(_cell_text(c)) for c in row]
        id_cols = [i for i, k in enumerate(keys) if k in ID_ALIASES]
        if NAME_COLUMN in keys and id_cols:
            return r, keys.index(NAME_COLUMN), id_cols[0]
    raise RosterError(path, None, f"找不到表头：需要“{NAME_COLUMN}”和“{ID_COLUMN}”（或“身份证号”）两列")


def _parse_rows(path: Path, rows: list[list[object]]) -> list[RosterEntry]:
    header_at, name_col, id_col = _find_header(path, rows)
    header = [squeeze(_cell_text(c)) for c in rows[header_at]]
    entries: list[RosterEntry] = []
    seen: dict[str, int] = {}
    for r in range(header_at + 1, len(rows)):
        row_no = r + 1
        cells = [_cell_text(c) for c in rows[r]] + [""] * (len(header) - len(rows[r]))
        if not any(cells):
            continue
        if _lost_digits(rows[r][id_col] if id_col < len(rows[r]) else None):
            raise RosterError(path, row_no, "公民身份号码被保存为数字，末几位已丢失；请把该列设为文本格式后重新录入")
        name = normalize_name(cells[name_col])
        raw_id = clean_id(cells[id_col])
        if not name:
            raise RosterError(path, row_no, "姓名为空" if not cells[name_col].strip() else "姓名中没有汉字")
        if not raw_id:
            raise RosterError(path, row_no, "公民身份号码为空")
        id_number = canonical_id(raw_id)
        if id_number is None:
            raise RosterError(path, row_no, f"公民身份号码无效（{mask_id(raw_id)}，{id_problem(raw_id)}）")
        if id_number in seen:
            raise RosterError(path, row_no, f"公民身份号码与第 {seen[id_number]} 行重复（{mask_id(id_number)}）")
        seen[id_number] = row_no
        attributes = {
            key: cells[i]
            for i, key in enumerate(header)
            if key and i not in (name_col, id_col) and i < len(cells)
        }
        entries.append(RosterEntry(id_number=id_number, name=name, attributes=attributes))
    return entries

