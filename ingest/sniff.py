"""Name a file's real type from its first bytes."""
from __future__ import annotations

import io
import zipfile

from core.errors import EmptyFile, UnsupportedFile

SCAN_KINDS = ("jpeg", "png", "tiff", "pdf")


def sniff(data: bytes, name: str) -> str:
    """Return one of jpeg, png, tiff, pdf, zip; raise UnsupportedFile/EmptyFile otherwise."""
    if not data:
        raise EmptyFile(f"{name}：文件为空（0 字节），没有可处理的内容")
    head = data[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        office = _office_kind(data)
        if office:
            raise UnsupportedFile(
                f"{name}：这是一个{office}文件，不是扫描件或 PDF；请导出为 PDF 或扫描后再上传"
            )
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnsupportedFile(f"{name}：这是旧版 Office（.doc/.xls）文件，不是扫描件或 PDF")
    raise UnsupportedFile(f"{name}：无法识别的文件类型，仅支持 JPEG、PNG、TIFF、PDF 和 ZIP")


def _office_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except zipfile.BadZipFile:
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(n.startswith("word/") for n in names):
        return " Word（.docx）"
    if any(n.startswith("xl/") for n in names):
        return " Excel（.xlsx）"
    if any(n.startswith("ppt/") for n in names):
        return " PowerPoint（.pptx）"
    return " Office"
