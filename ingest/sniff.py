"""Name a file's real type from its first bytes."""
from __future__ import annotations

import io
import zipfile

from core.errors import EmptyFile, UnsupportedFile

SCAN_KINDS = ("jpeg", "png", "tiff", "pdf")

# Formats a clerk may well upload, refused with what to do instead.
_OTHER_KINDS = (
    (b"Rar!\x1a\x07", "RAR 压缩包", "请改用 ZIP 格式压缩后再上传"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包", "请改用 ZIP 格式压缩后再上传"),
    (b"\x1f\x8b", "gzip 压缩文件", "请改用 ZIP 格式压缩后再上传"),
    (b"BZh", "bzip2 压缩文件", "请改用 ZIP 格式压缩后再上传"),
    (b"\xfd7zXZ\x00", "xz 压缩文件", "请改用 ZIP 格式压缩后再上传"),
    (b"BM", "BMP 图像", "请另存为 JPEG、PNG 或 TIFF 后再上传"),
    (b"GIF8", "GIF 图像", "请另存为 JPEG、PNG 或 TIFF 后再上传"),
    (b"\x00\x00\x00\x0cjP  ", "JPEG 2000 图像", "请另存为 JPEG、PNG 或 TIFF 后再上传"),
    (b"AT&TFORM", "DjVu 文件", "请导出为 PDF 后再上传"),
    (b"{\\rtf", "RTF 文档", "请导出为 PDF 或打印后扫描再上传"),
)


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
    if head[:4] in (b"II+\x00", b"MM\x00+"):
        raise UnsupportedFile(f"{name}：这是 BigTIFF（超大 TIFF）文件，暂不支持；请拆分或另存为普通 TIFF/PDF")
    # A ZIP's signature is at its start; before the PDF test, since a stored PDF entry puts
    # "%PDF-" within the archive's first kilobyte.
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        office = _office_kind(data)
        if office:
            raise UnsupportedFile(
                f"{name}：这是一个{office}文件，不是扫描件或 PDF；请导出为 PDF 或扫描后再上传"
            )
        return "zip"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnsupportedFile(f"{name}：这是旧版 Office（.doc/.xls）文件，不是扫描件或 PDF")
    if head[:4] == b"RIFF" and data[8:12] == b"WEBP":
        raise UnsupportedFile(f"{name}：这是 WebP 图像，不受支持；请另存为 JPEG、PNG 或 TIFF 后再上传")
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"heim", b"heis", b"avif"):
        raise UnsupportedFile(f"{name}：这是手机的 HEIC/HEIF 照片，不受支持；请在手机上设为“兼容性最佳”或另存为 JPEG 后再上传")
    for magic, what, instead in _OTHER_KINDS:
        if head.startswith(magic):
            raise UnsupportedFile(f"{name}：这是 {what}，不受支持；{instead}")
    if len(data) > 262 and data[257:262] == b"ustar":
        raise UnsupportedFile(f"{name}：这是 tar 归档，不受支持；请改用 ZIP 格式压缩后再上传")
    raise UnsupportedFile(f"{name}：无法识别的文件类型，仅支持 JPEG、PNG、TIFF、PDF 和 ZIP")


def _office_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except Exception:  # not a readable ZIP: collect says so when it expands it
        return None
    if "OFD.xml" in names:
        return " OFD 版式"
    if "[Content_Types].xml" not in names:
        return None
    if any(n.startswith("word/") for n in names):
        return " Word（.docx）"
    if any(n.startswith("xl/") for n in names):
        return " Excel（.xlsx）"
    if any(n.startswith("ppt/") for n in names):
        return " PowerPoint（.pptx）"
    return " Office"
