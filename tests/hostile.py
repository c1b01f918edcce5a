"""A hostile-input generator: what clerks' scanners, Windows archives and bad days really deliver,
each input with what casefile must make of it.

``hostile_inputs()`` returns ``Hostile`` items: a path in the batch folder (or a link, a pipe, a
folder), its bytes, and the expectation — the sources that must be read (with their page counts)
and the sources that must be refused (with a word the reason must hold). ``write_batch(folder)``
writes them among good pages. Everything is small and made on the fly; bombs are bombs only
against the limits ``LIMITS`` sets (the test runs casefile with them), so the corpus stays a few MB.
``bad_rosters()`` gives roster files with the word their refusal must hold (or None: readable).
"""
from __future__ import annotations

import functools
import gzip
import io
import os
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
MB = 1024 * 1024

# The limits the hostile run uses (CASEFILE_<NAME>): small, so each bomb is a few hundred KB.
LIMITS = {
    "CASEFILE_MAX_FILE_BYTES": str(8 * MB),
    "CASEFILE_MAX_UNPACKED_BYTES": str(24 * MB),
    "CASEFILE_MAX_ARCHIVE_ENTRIES": "300",
    "CASEFILE_MAX_ARCHIVE_DEPTH": "3",
    "CASEFILE_MAX_PAGES": "40",
    "CASEFILE_MAX_PDF_STREAM_BYTES": str(32 * MB),
}

LONG_DIR_1 = "退役士兵社会保险接续材料" * 7  # 84 characters, 252 bytes: one path component fits
LONG_DIR_2 = "青河县退役军人事务局扫描件" * 6  # 78
LONG_DIR_3 = "原件" * 10  # 20
LONG_FILE = "周立新入伍登记表第一页原件扫描" * 5 + ".jpg"  # 79 characters, 229 bytes
LONG_PATH = f"{LONG_DIR_1}/{LONG_DIR_2}/{LONG_DIR_3}/{LONG_FILE}"  # 264 characters


@dataclass
class Hostile:
    path: str  # the path in the batch folder as a clerk sees it (the report's source)
    data: bytes | None = None  # None: not a plain file (kind says what)
    reads: dict[str, int] = field(default_factory=dict)  # source -> pages that must be read
    errors: dict[str, str] = field(default_factory=dict)  # source -> a word its reason must hold
    either: bool = False  # a document or an error naming it, whichever (a repairable file)
    disk: bytes | None = None  # the path's bytes on disk when they are not UTF-8
    kind: str = "file"  # file / symlink / fifo / dir
    target: str = ""  # a link's target
    token: str = ""  # a word the OCR must find on the read pages: the page came out right
    api: bool = True  # also sent through the upload API (links, pipes and folders cannot be)
    duplicate: bool = False  # the same bytes as another input: listed as a repeat of it
    nothing: bool = False  # nothing to say about it (system files, an empty subfolder)

    def __post_init__(self):
        if not (self.reads or self.errors or self.either or self.duplicate or self.nothing):
            self.reads = {self.path: 1}


# --- pages --------------------------------------------------------------------------------------

def page_image(token: str, size=(900, 420), mode="L") -> Image.Image:
    """A small clean page: a heading and a number tesseract reads at once."""
    img = Image.new("L", size, 255)
    draw = ImageDraw.Draw(img)
    draw.text((40, 60), "退伍军人登记表", font=ImageFont.truetype(FONT, 56), fill=0)
    draw.text((40, 220), f"编号 {token}", font=ImageFont.truetype(FONT, 64), fill=0)
    return img.convert(mode) if mode != "L" else img


def save(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def good_jpeg_bytes() -> bytes:
    return jpeg("1001")


def jpeg(token: str) -> bytes:
    return save(page_image(token).convert("RGB"), "JPEG", quality=85)


def grey16(token: str, fmt: str) -> bytes:
    """16-bit greyscale as archive scanners write it: the page's full range over 0..65535."""
    arr = np.asarray(page_image(token), dtype=np.uint16) * 257
    return save(Image.fromarray(arr), fmt)


def grey_alpha(token: str) -> bytes:
    """Black ink on a transparent background: naive conversion makes the whole page black."""
    ink = 255 - np.asarray(page_image(token))
    la = np.stack([np.zeros_like(ink), ink], axis=-1)
    return save(Image.fromarray(la, "LA"), "PNG")


def rgba(token: str) -> bytes:
    img = page_image(token).convert("RGBA")
    arr = np.asarray(img).copy()
    arr[..., 3] = np.where(arr[..., 0] > 128, 0, 255)  # paper transparent, ink opaque
    arr[..., :3] = np.where(arr[..., :3] > 128, 0, arr[..., :3])  # the transparent paper is black underneath
    return save(Image.fromarray(arr, "RGBA"), "PNG")


def palette_transparent(token: str) -> bytes:
    img = page_image(token).convert("P")
    return save(img, "PNG", transparency=255)


def cmyk(token: str, fmt: str) -> bytes:
    return save(page_image(token).convert("RGB").convert("CMYK"), fmt)


def exif_rotated(token: str) -> bytes:
    """Stored lying on its side, with EXIF orientation 6 (rotate 90° clockwise to view)."""
    img = page_image(token).convert("RGB").transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    return save(img, "JPEG", exif=exif.tobytes())


def bilevel_g4(token: str) -> bytes:
    return save(page_image(token).convert("1"), "TIFF", compression="group4", dpi=(300, 300))


def tiff_pages(tokens: list[str]) -> bytes:
    frames = [page_image(t) for t in tokens]
    return save(frames[0], "TIFF", save_all=True, append_images=frames[1:])


def _ifd_offsets(data: bytes) -> list[tuple[int, int]]:
    """(IFD offset, position of its next-IFD pointer) of each frame of a little-endian TIFF."""
    out = []
    offset = struct.unpack_from("<I", data, 4)[0]
    while offset:
        entries = struct.unpack_from("<H", data, offset)[0]
        pointer = offset + 2 + 12 * entries
        out.append((offset, pointer))
        offset = struct.unpack_from("<I", data, pointer)[0]
    return out


def tiff_next_ifd_past_eof(tokens: list[str], after_frame: int) -> bytes:
    """The next-IFD pointer of frame ``after_frame`` (1-based) points past the end of the file:
    Pillow raises TypeError 'Missing dimensions' while seeking."""
    data = bytearray(tiff_pages(tokens))
    _, pointer = _ifd_offsets(bytes(data))[after_frame - 1]
    struct.pack_into("<I", data, pointer, len(data) + 4096)
    return bytes(data)


def tiff_bad_strip(tokens: list[str], frame: int) -> bytes:
    """Frame ``frame``'s strip offsets point past the end: that frame cannot be decoded."""
    data = bytearray(tiff_pages(tokens))
    offset, _ = _ifd_offsets(bytes(data))[frame - 1]
    entries = struct.unpack_from("<H", data, offset)[0]
    for i in range(entries):
        at = offset + 2 + 12 * i
        tag, typ, count = struct.unpack_from("<HHI", data, at)
        if tag == 273:  # StripOffsets
            if count == 1:
                struct.pack_into("<I", data, at + 8, len(data) + 100000)
            else:
                table = struct.unpack_from("<I", data, at + 8)[0]
                for k in range(count):
                    struct.pack_into("<I", data, table + 4 * k, len(data) + 100000 + k)
    return bytes(data)


def many_frames_tiff(frames: int) -> bytes:
    tiny = Image.new("L", (40, 40), 255)
    return save(tiny, "TIFF", save_all=True, append_images=[tiny] * (frames - 1))


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_claiming(width: int, height: int, bits: int = 1, colour: int = 0) -> bytes:
    """A PNG whose header claims width × height; the data behind it is a few rows only."""
    ihdr = struct.pack(">IIBBBBB", width, height, bits, colour, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width // 8 + 2) * 4)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", rows) + _png_chunk(b"IEND", b"")


def png_bomb(side: int) -> bytes:
    """A real, complete decompression bomb: side × side bilevel pixels, all white, deflated."""
    row = b"\x00" + b"\xff" * ((side + 7) // 8)
    z = zlib.compressobj(9)
    body = b"".join(z.compress(row) for _ in range(side)) + z.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", body) + _png_chunk(b"IEND", b"")


def tiff_claiming(width: int, height: int) -> bytes:
    data = bytearray(save(Image.new("L", (64, 64), 255), "TIFF"))
    offset, _ = _ifd_offsets(bytes(data))[0]
    entries = struct.unpack_from("<H", data, offset)[0]
    for i in range(entries):
        at = offset + 2 + 12 * i
        tag, typ = struct.unpack_from("<HH", data, at)
        if tag in (256, 257):
            if typ == 3:
                struct.pack_into("<HH", data, at + 8, min(width if tag == 256 else height, 65535), 0)
            else:
                struct.pack_into("<I", data, at + 8, width if tag == 256 else height)
    return bytes(data)


def jpeg_claiming(width: int, height: int) -> bytes:
    data = bytearray(jpeg("1"))
    at = data.index(b"\xff\xc0")  # baseline SOF: length(2) precision(1) height(2) width(2)
    struct.pack_into(">HH", data, at + 5, height, width)
    return bytes(data)


# --- PDFs --------------------------------------------------------------------------------------

def _canvas():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("zenhei", FONT, subfontIndex=0))
    buf = io.BytesIO()
    return buf, canvas


def text_pdf(sizes: list[tuple[float, float]], encrypt=None) -> bytes:
    """Born-digital pages (read from their text layer, no OCR) of the given sizes in points."""
    buf, canvas = _canvas()
    c = canvas.Canvas(buf, encrypt=encrypt)
    for width, height in sizes:
        c.setPageSize((width, height))
        c.setFont("zenhei", 14)
        c.drawString(40, height - 60, "无犯罪记录证明")
        c.setFont("zenhei", 11)
        c.drawString(40, height - 90, "兹证明 周立新（男，公民身份号码：360899197503141518）")
        c.drawString(40, height - 110, "经查询，截至2020年3月18日，未发现其有犯罪记录。")
        c.showPage()
    c.save()
    return buf.getvalue()


A4 = (595.0, 842.0)


def encrypted_pdf() -> bytes:
    from reportlab.lib import pdfencrypt

    return text_pdf([A4], encrypt=pdfencrypt.StandardEncryption("user-secret", ownerPassword="owner"))


def owner_only_pdf() -> bytes:
    """Restricted (owner password) but opens without one: readable."""
    from reportlab.lib import pdfencrypt

    return text_pdf([A4], encrypt=pdfencrypt.StandardEncryption("", ownerPassword="owner", canPrint=0))


def _pdf_of(objects: list[bytes]) -> bytes:
    """A well-formed PDF (valid cross-reference table) of the given objects, 1 the catalogue."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def content_bomb_pdf(size: int) -> bytes:
    """One page whose content stream is ``size`` spaces, deflated to a few hundred KB."""
    content = zlib.compress(b" " * size, 9)
    return _pdf_of([
        b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>",
        b"<</Length %d/Filter/FlateDecode>>\nstream\n%s\nendstream" % (len(content), content),
    ])


def zero_page_pdf() -> bytes:
    """A well-formed PDF whose page tree is empty."""
    return _pdf_of([b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[]/Count 0>>"])


def many_pages_pdf(pages: int) -> bytes:
    buf, canvas = _canvas()
    c = canvas.Canvas(buf)
    for _ in range(pages):
        c.showPage()
    c.save()
    return buf.getvalue()


# --- archives ----------------------------------------------------------------------------------

def zip_of(entries: list[tuple[str | zipfile.ZipInfo, bytes]], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return buf.getvalue()


def zip_raw_names(entries: list[tuple[bytes, bytes]]) -> bytes:
    """A ZIP whose entry names are the given bytes with no UTF-8 flag, as Windows' own zip writes
    them (GBK on a Chinese system). zipfile would encode str names itself, so the names are
    patched into the local and central headers afterwards."""
    placeholders = [(f"N{i:0{len(raw) - 1}d}"[: len(raw)] if len(raw) > 1 else "N", raw) for i, (raw, _) in enumerate(entries)]
    data = zip_of([(ph, body) for (ph, _), (_, body) in zip(placeholders, entries)])
    for ph, raw in placeholders:
        assert len(ph) == len(raw)
        data = data.replace(ph.encode("ascii"), raw)
    return data


def symlink_entry_zip(good: bytes) -> bytes:
    link = zipfile.ZipInfo("scans/passwd.jpg")
    link.create_system = 3
    link.external_attr = (0o120777 << 16)
    return zip_of([(link, b"/etc/passwd"), ("scans/ok.jpg", good)])


def encrypted_entry_zip() -> bytes:
    data = bytearray(zip_of([("secret.jpg", jpeg("1"))], zipfile.ZIP_STORED))
    # Set the encryption bit in both headers: the entry then asks for a password.
    for sig, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        pos = data.index(sig)
        flags = struct.unpack_from("<H", data, pos + at)[0] | 0x1
        struct.pack_into("<H", data, pos + at, flags)
    return bytes(data)


def deflate_bomb(size: int) -> bytes:
    return zip_of([("zeros.jpg", b"\x00" * size)])


def lying_size_zip(real: int) -> bytes:
    """An entry that declares 1 KB but inflates to ``real`` bytes: a reader trusting the stream
    would inflate it all."""
    data = bytearray(zip_of([("small.jpg", b"\xff" * real)]))
    for sig, at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = data.index(sig)
        struct.pack_into("<I", data, pos + at, 1024)
    return bytes(data)


def nested_bomb(levels: int, fan: int, leaf: int) -> bytes:
    """fan ** levels leaves of ``leaf`` zero bytes each, nested ``levels`` deep (42.zip in small)."""
    data = zip_of([("leaf.bin", b"\x00" * leaf)])
    for level in range(levels):
        data = zip_of([(f"l{level}_{i}.zip", data) for i in range(fan)])
    return data


def deep_zip(depth: int, good: bytes) -> bytes:
    data = good
    for level in range(depth):
        data = zip_of([(f"level{depth - level}.zip" if level else "page.jpg", data)])
    return data


# --- rosters -----------------------------------------------------------------------------------

ZHOU = "360899197503141518"
CHEN = "360899197608220933"


def bad_rosters() -> list[tuple[str, bytes, str | None]]:
    """(file name, bytes, a word the one-line refusal must hold — None when it must be read)."""
    import openpyxl

    def xlsx(rows):
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        buf = io.BytesIO()
        book.save(buf)
        return buf.getvalue()

    body = f"姓名,公民身份号码\n周立新,{ZHOU}\n刘䶮,{CHEN}\n"
    return [
        ("gbk.csv", f"姓名,公民身份号码\n周立新,{ZHOU}\n".encode("gbk"), None),
        ("gb18030.csv", body.encode("gb18030"), None),
        ("bom.csv", body.encode("utf-8-sig"), None),
        ("utf16.txt", body.replace(",", "\t").encode("utf-16"), None),  # Excel's "Unicode text"
        ("utf16-nobom.csv", body.encode("utf-16-le"), None),
        ("roster.xlsx", xlsx([["姓名", "公民身份号码"], ["周立新", ZHOU]]), None),
        ("duplicate.csv", f"姓名,公民身份号码\n周立新,{ZHOU}\n周力新,{ZHOU}\n".encode(), "重复"),
        ("no-id-column.csv", f"姓名,电话\n周立新,{ZHOU}\n".encode(), "公民身份号码"),
        ("scientific.csv", "姓名,公民身份号码\n周立新,3.60899E+17\n".encode(), "科学计数法"),
        ("float.xlsx", xlsx([["姓名", "公民身份号码"], ["周立新", float(ZHOU)]]), "文本格式"),
        ("bad-check.csv", f"姓名,公民身份号码\n周立新,{ZHOU[:-1]}9\n".encode(), "校验位"),
        ("empty.csv", b"", "空"),
        ("header-only.csv", "姓名,公民身份号码\n".encode(), "没有任何人员"),
        ("broken.xlsx", b"PK\x03\x04 not really", "无法打开"),
        ("old.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, ".xls"),
        ("nul.csv", b"\xff\xfe\x00\x00\x00garbage\x00\x00", "编码"),
    ]


# --- the corpus ----------------------------------------------------------------------------------

def hostile_inputs() -> list[Hostile]:
    return list(_hostile_inputs())


@functools.lru_cache(maxsize=1)
def _hostile_inputs() -> tuple[Hostile, ...]:
    """Built once per test session (the bombs take a few seconds to deflate)."""
    good = jpeg("1001")
    gbk_name = "入伍登记表.jpg".encode("gbk")
    items = [
        # unusual images that are good pages, read right
        Hostile("图像/灰度16位.png", grey16("1602", "PNG"), token="1602"),
        Hostile("图像/灰度16位.tif", grey16("1603", "TIFF"), token="1603"),
        Hostile("图像/透明背景灰度.png", grey_alpha("1604"), token="1604"),
        Hostile("图像/透明背景彩色.png", rgba("1605"), token="1605"),
        Hostile("图像/调色板透明.png", palette_transparent("1606"), token="1606"),
        Hostile("图像/印刷CMYK.jpg", cmyk("1607", "JPEG"), token="1607"),
        Hostile("图像/印刷CMYK.tif", cmyk("1608", "TIFF"), token="1608"),
        Hostile("图像/手机横拍EXIF旋转.jpg", exif_rotated("1609"), token="1609"),
        Hostile("图像/传真G4.tif", bilevel_g4("1610")),
        Hostile("图像/扩展名是pdf.pdf", jpeg("1611")),  # a JPEG named .pdf: read by its content
        Hostile("图像/渐进式.jpg", save(page_image("1612").convert("RGB"), "JPEG", progressive=True)),
        # multi-page files with a bad frame: the readable frames kept, the bad one reported
        Hostile("多页/第二帧指针越界.tif", tiff_next_ifd_past_eof(["2101", "2102", "2103"], 1),
                reads={"多页/第二帧指针越界.tif": 1}, errors={"多页/第二帧指针越界.tif": "第 2 页"}),
        Hostile("多页/第三帧指针越界.tif", tiff_next_ifd_past_eof(["2201", "2202", "2203"], 2),
                reads={"多页/第三帧指针越界.tif": 2}, errors={"多页/第三帧指针越界.tif": "第 3 页"}),
        Hostile("多页/第二帧数据越界.tif", tiff_bad_strip(["2301", "2302", "2303"], 2),
                reads={"多页/第二帧数据越界.tif": 2}, errors={"多页/第二帧数据越界.tif": "第 2 页"}),
        Hostile("多页/超大页夹在中间.pdf", text_pdf([A4, (14400, 14400), A4]),
                reads={"多页/超大页夹在中间.pdf": 2}, errors={"多页/超大页夹在中间.pdf": "第 2 页"}),
        # corrupt, truncated and lying headers of every format
        Hostile("坏/空文件.png", b"", errors={"坏/空文件.png": "0 字节"}),
        Hostile("坏/数据清零.jpg", good[:200] + b"\x00" * 64, errors={"坏/数据清零.jpg": "损坏"}),
        Hostile("坏/截断一半.jpg", good[: len(good) // 2], either=True),
        Hostile("坏/截断.png", save(page_image("9"), "PNG")[:300], errors={"坏/截断.png": "图像"}),
        Hostile("坏/截断.tif", tiff_pages(["9"])[:150], errors={"坏/截断.tif": "图像"}),
        # libtiff itself reads this one and complains on stderr ("TIFFFetchDirectory: ...")
        Hostile("坏/截断的传真G4.tif", bilevel_g4("9")[:-40], errors={"坏/截断的传真G4.tif": "损坏"}),
        Hostile("坏/假PNG头.png", b"\x89PNG\r\n\x1a\n" + os.urandom(300), errors={"坏/假PNG头.png": "损坏"}),
        Hostile("坏/假JPEG头.jpg", b"\xff\xd8\xff\xe0" + os.urandom(300), errors={"坏/假JPEG头.jpg": "损坏"}),
        Hostile("坏/假TIFF头.tif", b"II*\x00" + os.urandom(300), errors={"坏/假TIFF头.tif": "损坏"}),
        Hostile("坏/假PDF头.pdf", b"%PDF-1.7\n" + os.urandom(300), errors={"坏/假PDF头.pdf": "损坏"}),
        Hostile("坏/截断一半.pdf", text_pdf([A4, A4])[:900], either=True),
        Hostile("坏/加密.pdf", encrypted_pdf(), errors={"坏/加密.pdf": "加密"}),
        Hostile("坏/仅限制权限.pdf", owner_only_pdf()),
        Hostile("坏/零页.pdf", zero_page_pdf(), errors={"坏/零页.pdf": "0 页"}),
        Hostile("坏/其实是Word.pdf", zip_of([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w/>")]),
                errors={"坏/其实是Word.pdf": "Word"}),
        Hostile("坏/其实是Excel.jpg", zip_of([("[Content_Types].xml", b"<Types/>"), ("xl/workbook.xml", b"<w/>")]),
                errors={"坏/其实是Excel.jpg": "Excel"}),
        Hostile("坏/旧版Word.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, errors={"坏/旧版Word.doc": "旧版 Office"}),
        Hostile("坏/电子证照.ofd", zip_of([("OFD.xml", b"<ofd:OFD/>")]), errors={"坏/电子证照.ofd": "OFD"}),
        Hostile("坏/压缩包.rar", b"Rar!\x1a\x07\x01\x00" + b"\x00" * 64, errors={"坏/压缩包.rar": "RAR"}),
        Hostile("坏/压缩包.7z", b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x00" * 64, errors={"坏/压缩包.7z": "7z"}),
        Hostile("坏/zlib流.bin", zlib.compress(b"\x00" * (4 * MB)), errors={"坏/zlib流.bin": "无法识别"}),
        Hostile("坏/gzip炸弹.jpg.gz", gzip.compress(b"\x00" * (64 * MB)), errors={"坏/gzip炸弹.jpg.gz": "gzip"}),
        Hostile("坏/手机照片.heic", b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64, errors={"坏/手机照片.heic": "HEIC"}),
        Hostile("坏/网页图.webp", save(page_image("9").convert("RGB"), "WEBP"), errors={"坏/网页图.webp": "WebP"}),
        Hostile("坏/画图.bmp", save(page_image("9"), "BMP"), errors={"坏/画图.bmp": "BMP"}),
        Hostile("坏/动图.gif", save(page_image("9"), "GIF"), errors={"坏/动图.gif": "GIF"}),
        Hostile("坏/说明.txt.jpg", "这是一段文字，不是扫描件\n".encode(), errors={"坏/说明.txt.jpg": "无法识别"}),
        Hostile("坏/网页.html", b"<!doctype html><html><body>scan</body></html>", errors={"坏/网页.html": "无法识别"}),
        # sizes: bombs, 1x1, 40,000 px
        Hostile("大小/一像素.png", save(Image.new("L", (1, 1), 255), "PNG"), errors={"大小/一像素.png": "过小"}),
        Hostile("大小/四万像素长条.png", save(Image.new("1", (40000, 40), 1), "PNG"), errors={"大小/四万像素长条.png": "边长"}),
        Hostile("大小/图像炸弹.png", png_bomb(40000), errors={"大小/图像炸弹.png": "像素"}),
        Hostile("大小/头部谎称巨大.png", png_claiming(60000, 60000), errors={"大小/头部谎称巨大.png": "像素"}),
        Hostile("大小/头部谎称巨大.tif", tiff_claiming(100000, 100000), errors={"大小/头部谎称巨大.tif": "像素"}),
        Hostile("大小/头部谎称巨大.jpg", jpeg_claiming(60000, 60000), errors={"大小/头部谎称巨大.jpg": "像素"}),
        Hostile("大小/超大页面.pdf", text_pdf([(14400, 14400)]), errors={"大小/超大页面.pdf": "过大"}),
        Hostile("大小/六百帧.tif", many_frames_tiff(600), errors={"大小/六百帧.tif": "上限 40 页"}),
        Hostile("大小/内容流炸弹.pdf", content_bomb_pdf(100 * MB), errors={"大小/内容流炸弹.pdf": "压缩炸弹"}),
        Hostile("大小/五十页.pdf", many_pages_pdf(50), errors={"大小/五十页.pdf": "上限 40 页"}),
        Hostile("大小/过大文件.jpg", good + b"\x00" * (9 * MB), errors={"大小/过大文件.jpg": "过大"}),
        # archives
        Hostile("包/路径穿越.zip", zip_of([("../../etc/evil.jpg", jpeg("3101")), ("里面/正常.jpg", jpeg("3102"))]),
                reads={"包/路径穿越.zip/里面/正常.jpg": 1}, errors={"包/路径穿越.zip/../../etc/evil.jpg": "路径穿越"}),
        Hostile("包/绝对路径.zip", zip_of([("/etc/evil.jpg", jpeg("3103"))]),
                errors={"包/绝对路径.zip//etc/evil.jpg": "绝对路径"}),
        Hostile("包/盘符路径.zip", zip_of([("C:/Windows/evil.jpg", jpeg("3104"))]),
                errors={"包/盘符路径.zip/C:/Windows/evil.jpg": "压缩包之外"}),
        Hostile("包/符号链接条目.zip", symlink_entry_zip(jpeg("3105")),
                reads={"包/符号链接条目.zip/scans/ok.jpg": 1}, errors={"包/符号链接条目.zip/scans/passwd.jpg": "符号链接"}),
        Hostile("包/加密条目.zip", encrypted_entry_zip(), errors={"包/加密条目.zip/secret.jpg": "加密"}),
        Hostile("包/空压缩包.zip", zip_of([]), errors={"包/空压缩包.zip": "空的"}),
        Hostile("包/只有系统文件.zip", zip_of([("__MACOSX/._a.jpg", b"\x00\x05"), ("Thumbs.db", b"\x00" * 10), ("空目录/", b"")]),
                errors={"包/只有系统文件.zip": "系统文件"}),
        Hostile("包/损坏.zip", b"PK\x03\x04" + os.urandom(200), errors={"包/损坏.zip": "损坏"}),
        Hostile("包/截断.zip", zip_of([("a.jpg", jpeg("3106")), ("b.jpg", jpeg("3107"))])[:-60], errors={"包/截断.zip": "损坏"}),
        Hostile("包/解压炸弹.zip", deflate_bomb(10 * MB), errors={"包/解压炸弹.zip/zeros.jpg": "过大"}),
        Hostile("包/谎报大小.zip", lying_size_zip(4 * MB), errors={"包/谎报大小.zip/small.jpg": "损坏"}),
        Hostile("包/嵌套炸弹.zip", nested_bomb(2, 6, 6 * MB), errors={"包/嵌套炸弹.zip/*": "解压总量"}),
        Hostile("包/嵌套过深.zip", deep_zip(5, jpeg("3108")), errors={"包/嵌套过深.zip/*": "嵌套"}),
        Hostile("包/条目过多.zip", zip_of([(f"p{i:03d}.jpg", jpeg("3199")) for i in range(320)]),
                reads={"包/条目过多.zip/p000.jpg": 1}, errors={"包/条目过多.zip": "超过 300 个"}),
        Hostile("包/国标文件名.zip", zip_raw_names([(gbk_name, jpeg("3109"))]), reads={"包/国标文件名.zip/入伍登记表.jpg": 1},
                token="3109"),
        Hostile("包/苹果UTF8无标记.zip", zip_raw_names([("退伍证.jpg".encode("utf-8"), jpeg("3110"))]),
                reads={"包/苹果UTF8无标记.zip/退伍证.jpg": 1}),
        Hostile("包/Windows反斜杠.zip", zip_of([("文件夹\\安置介绍信.jpg", jpeg("3111"))]),
                reads={"包/Windows反斜杠.zip/文件夹/安置介绍信.jpg": 1}),
        # names on disk
        Hostile("名/入伍登记表.jpg", jpeg("4101"), disk="名/入伍登记表.jpg".encode("gbk"), token="4101"),
        Hostile("名/\\xff\\xfe无法解码.jpg", jpeg("4102"), disk=b"\xe5\x90\x8d/\xff\xfe" + "无法解码.jpg".encode("utf-8")),
        Hostile(LONG_PATH, jpeg("4103")),
        Hostile("名/换行\n第二行.jpg", jpeg("4104")),
        Hostile("名/[red]标记[/red].jpg", jpeg("4105")),
        Hostile("名/[/oops].jpg", jpeg("4106")),
        Hostile("名/\u202egpj.exe", jpeg("4107")),
        Hostile("名/:thumbs_up: 表情.jpg", jpeg("4108")),
        Hostile("名/-rf 空格 .jpg", jpeg("4109")),
        Hostile("重复/good的副本.jpg", good, duplicate=True),  # the same bytes as 好/good.jpg, walked after it
        # links, pipes, folders
        Hostile("链接/断开的链接.jpg", kind="symlink", target="不存在.jpg", errors={"链接/断开的链接.jpg": "不存在"}, api=False),
        Hostile("链接/自己指向自己.jpg", kind="symlink", target="自己指向自己.jpg", errors={"链接/自己指向自己.jpg": "循环"}, api=False),
        Hostile("链接/上层/回环", kind="symlink", target="..", errors={"链接/上层/回环": "循环"}, api=False),
        Hostile("链接/上层/正常.jpg", jpeg("5101"), api=True),
        Hostile("链接/有效链接.jpg", kind="symlink", target="上层/正常.jpg", duplicate=True, api=False),
        Hostile("特殊/管道", kind="fifo", errors={"特殊/管道": "不是普通文件"}, api=False),
        Hostile("特殊/空文件夹", kind="dir", nothing=True, api=False),
        Hostile("特殊/系统文件/Thumbs.db", b"\x00" * 32, nothing=True, api=False),
        Hostile("特殊/系统文件/._入伍登记表.jpg", b"\x00\x05\x16\x07", nothing=True, api=False),
    ]
    return tuple(items)


GOOD = {"好/good.jpg": "1001", "好/第二张.jpg": "1002"}


def good_pages() -> dict[str, bytes]:
    from tests.born_digital import certificate_pdf

    return {"好/good.jpg": jpeg("1001"), "好/第二张.jpg": jpeg("1002"), "好/证明.pdf": certificate_pdf(2)}


def write_batch(folder: Path) -> list[Hostile]:
    """Write the good pages and every hostile input under ``folder``; returns the inputs."""
    items = hostile_inputs()
    for path, data in good_pages().items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    for item in items:
        where = os.path.join(os.fsencode(folder), item.disk) if item.disk else os.fsencode(folder / item.path)
        os.makedirs(os.path.dirname(where), exist_ok=True)
        if item.kind == "file":
            with open(where, "wb") as out:
                out.write(item.data)
        elif item.kind == "symlink":
            os.symlink(item.target, where)
        elif item.kind == "fifo":
            os.mkfifo(where)
        elif item.kind == "dir":
            os.makedirs(where, exist_ok=True)
    return items
