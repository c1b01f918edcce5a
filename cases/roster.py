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
- CSV encodings: a byte-order mark says UTF-8 or UTF-16 (Excel's "Unicode text", tab-separated);
  UTF-16 without one is recognised by its zero bytes; then UTF-8, then GB18030 (a superset of GBK).
  The separator (comma, tab, semicolon) is read from the header.
- An ID number Excel turned into a number is refused with the reason: a float cell of an XLSX, or
  scientific notation (3.60899E+17) in a CSV it saved; the digits it dropped cannot be recovered.
- Every problem is one RosterError, one line: the file's name, the row, the reason in plain words.
"""
from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
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

    def __init__(self, path: Path | str, row: int | None, reason: str, shown: str | None = None):
        self.path, self.row, self.reason = str(path), row, reason
        where = f"第 {row} 行：" if row is not None else ""
        super().__init__(f"花名册 {shown or Path(path).name} {where}{reason}".replace("\n", " "))


def load_roster(path: Path, shown: str | None = None) -> list[RosterEntry]:
    """``shown``: the name the user knows the file by (an upload stored under a temporary name)."""
    path = Path(path)
    try:
        if not path.is_file():
            raise RosterError(path, None, "文件不存在" if not path.exists() else "不是文件", shown)
        suffix = (Path(shown).suffix if shown else path.suffix).lower()
        if suffix in (".xlsx", ".xlsm"):
            rows = _xlsx_rows(path)
        elif suffix in (".csv", ".txt", ".tsv"):
            rows = _csv_rows(path)
        elif suffix == ".xls":
            raise RosterError(path, None, "这是旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV 后再导入")
        else:
            raise RosterError(path, None, f"不支持的文件类型 {suffix or '(无扩展名)'}，请使用 CSV 或 XLSX")
        return _parse_rows(path, rows)
    except RosterError as exc:
        if shown and not exc.message.startswith(f"花名册 {shown} "):
            raise RosterError(exc.path, exc.row, exc.reason, shown) from None
        raise


# ---- reading cells ---------------------------------------------------------------------------


def _csv_rows(path: Path) -> list[list[object]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RosterError(path, None, "文件无法读取（没有读取权限或读取出错）") from exc
    if not data.strip():
        raise RosterError(path, None, "文件是空的")
    text = _decode(path, data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096].split("\n", 1)[0] or text[:4096], delimiters=",\t;")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    try:
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise RosterError(path, None, "不是有效的 CSV 文件（含无法解析的内容，如空字符或未闭合的引号）") from exc


def _decode(path: Path, data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        encodings = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        # No mark: UTF-16 without one decodes as GB18030 too, so the reading that shows a header
        # word wins; else the first that decodes.
        encodings = ("utf-8", "gb18030", "utf-16-le", "utf-16-be") if len(data) % 2 == 0 else ("utf-8", "gb18030")
    readings = []
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            readings.append(text)
    for text in readings:
        if NAME_COLUMN in text[:2000] or any(alias in text[:2000] for alias in ID_ALIASES):
            return text
    if readings and len(encodings) > 1:
        return readings[0]
    raise RosterError(path, None, "无法识别文件编码（应为 UTF-8、GBK/GB18030 或 UTF-16 文本）")


def _xlsx_rows(path: Path) -> list[list[object]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException ...
        raise RosterError(path, None, "无法打开 Excel 文件：文件已损坏，或不是 .xlsx 格式") from exc
    try:
        if not book.worksheets:
            raise RosterError(path, None, "Excel 文件中没有工作表")
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    except RosterError:
        raise
    except Exception as exc:  # a damaged sheet inside a readable archive
        raise RosterError(path, None, "无法读取 Excel 工作表：文件已损坏") from exc
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


_SCIENTIFIC = re.compile(r"^\s*[0-9](\.[0-9]+)?[eE]\+?[0-9]+\s*$")


def _lost_digits(value: object) -> bool:
    """An ID typed into a numeric Excel cell: a float keeps only ~15-16 significant digits, and a CSV
    Excel saved shows it in scientific notation (3.60899E+17)."""
    if isinstance(value, float):
        return abs(value) >= 1e15
    return isinstance(value, str) and bool(_SCIENTIFIC.match(value))


# ---- rows → entries --------------------------------------------------------------------------


def _find_header(path: Path, rows: list[list[object]]) -> tuple[int, int, int]:
    """(row index, name column, ID column) of the header row."""
    if not any(any(_cell_text(c) for c in row) for row in rows):
        raise RosterError(path, None, "文件中没有任何内容")
    for r, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        keys = [squeeze(_cell_text(c)) for c in row]
        id_cols = [i for i, k in enumerate(keys) if k in ID_ALIASES]
        if NAME_COLUMN in keys and id_cols:
            return r, keys.index(NAME_COLUMN), id_cols[0]
    for r, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        keys = [squeeze(_cell_text(c)) for c in row]
        if NAME_COLUMN in keys:
            raise RosterError(path, r + 1, f"找不到表头中的“{ID_COLUMN}”列（或“身份证号”“身份证号码”）；该行有：{'、'.join(k for k in keys if k)[:80]}")
        if any(k in ID_ALIASES for k in keys):
            raise RosterError(path, r + 1, f"找不到表头中的“{NAME_COLUMN}”列")
    raise RosterError(path, None, f"找不到表头：前 {_HEADER_SEARCH_ROWS} 行中没有同时含“{NAME_COLUMN}”和“{ID_COLUMN}”（或“身份证号”）两列的一行")


def _parse_rows(path: Path, rows: list[list[object]]) -> list[RosterEntry]:
    header_at, name_col, id_col = _find_header(path, rows)
    header = [squeeze(_cell_text(c)) for c in rows[header_at]]
    entries: list[RosterEntry] = []
    seen: dict[str, int] = {}
    problems: list[tuple[int, str]] = []  # every bad row is found; the first is told, the rest counted
    for r in range(header_at + 1, len(rows)):
        row_no = r + 1
        cells = [_cell_text(c) for c in rows[r]] + [""] * (len(header) - len(rows[r]))
        if not any(cells):
            continue
        problem = _row_problem(rows[r], cells, name_col, id_col, seen)
        if problem:
            problems.append((row_no, problem))
            continue
        id_number = canonical_id(clean_id(cells[id_col]))
        seen[id_number] = row_no
        attributes = {
            key: cells[i]
            for i, key in enumerate(header)
            if key and i not in (name_col, id_col) and i < len(cells)
        }
        entries.append(RosterEntry(id_number=id_number, name=normalize_name(cells[name_col]), attributes=attributes))
    if problems:
        row_no, reason = problems[0]
        if len(problems) > 1:
            others = "、".join(str(n) for n, _ in problems[1:6]) + ("等" if len(problems) > 6 else "")
            reason += f"；另有 {len(problems) - 1} 行也有问题（第 {others} 行）"
        raise RosterError(path, row_no, reason)
    if not entries:
        raise RosterError(path, None, "表头下没有任何人员")
    return entries


def _row_problem(row: list, cells: list[str], name_col: int, id_col: int, seen: dict[str, int]) -> str | None:
    id_cell = row[id_col] if id_col < len(row) else None
    if _lost_digits(id_cell):
        how = "被 Excel 显示为科学计数法" if isinstance(id_cell, str) else "被保存为数字"
        return f"公民身份号码{how}，末几位已丢失、无法恢复；请把该列设为文本格式后重新录入"
    if not normalize_name(cells[name_col]):
        return "姓名为空" if not cells[name_col].strip() else "姓名中没有汉字"
    raw_id = clean_id(cells[id_col])
    if not raw_id:
        return "公民身份号码为空"
    id_number = canonical_id(raw_id)
    if id_number is None:
        return f"公民身份号码无效（{mask_id(raw_id)}，{id_problem(raw_id)}）"
    if id_number in seen:
        return f"公民身份号码与第 {seen[id_number]} 行重复（{mask_id(id_number)}）"
    return None

