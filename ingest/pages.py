"""Split a scan file into pages: decode images, render PDF pages, read PDF text layers.

Every page has its own error boundary: a frame of a TIFF or a page of a PDF that cannot be decoded
becomes a ``PageSource`` with ``error`` set, and the readable pages of the file are kept. A file is
refused as a whole only when none of it can be opened, or when it breaks a limit (IngestOptions).
"""
from __future__ import annotations

import ctypes
import io
import math
import os
import re
import threading
import warnings
import zlib
from dataclasses import dataclass
from struct import error as struct_error
from typing import Iterator

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import CorruptFile, EmptyPdf, EncryptedPdf, InputError, TooLarge, TooManyPages, incident
from core.types import PageText
from ingest.options import IngestOptions
from ingest.text_layer import text_layer

DEFAULT_IMAGE_DPI = 200  # assumed when a scan carries no resolution

# Pillow's own bomb guard would raise before our clearer message; our limit is IngestOptions.max_pixels.
Image.MAX_IMAGE_PIXELS = None


def _silence_libtiff() -> None:
    """libtiff prints its warnings and errors on stderr ("TIFFReadDirectory: Warning, ..."); Pillow
    turns the errors into exceptions anyway. Point both handlers of the libtiff Pillow loaded at
    nothing, so a clerk's console shows our messages only. Importing PIL.Image above loaded
    Pillow's core module, and libtiff with it."""
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            paths = {line.split()[-1] for line in maps if "libtiff" in line.split()[-1]}
        for path in paths:
            lib = ctypes.CDLL(path)
            for setter in ("TIFFSetWarningHandler", "TIFFSetErrorHandler"):
                getattr(lib, setter).restype = ctypes.c_void_p
                getattr(lib, setter)(None)
    except Exception:  # not Linux, no libtiff: only stderr noise is at stake
        pass


_silence_libtiff()
# Pillow's own warnings ("Corrupt EXIF data", "Truncated File Read"): what matters is reported as an
# error of the file or page; the rest would only spill on the clerk's console.
warnings.filterwarnings("ignore", module=r"PIL\.")


@dataclass
class PageSource:
    number: int  # 1-based within the file
    image: np.ndarray | None  # BGR uint8; None when the page could not be decoded, or was not rendered
    dpi: int
    text_layer: PageText | None = None  # set when a PDF page has a usable text layer
    error: str = ""  # why this page could not be decoded (the file's other pages are kept)
    code: str = ""
    size: tuple[int, int] = (0, 0)  # (width, height) in pixels, the image's or the one it would render to

    @property
    def rendered(self) -> bool:
        return self.image is not None

    def __post_init__(self) -> None:
        if self.image is not None:
            self.size = (self.image.shape[1], self.image.shape[0])


def open_pages(data: bytes, kind: str, name: str, options: IngestOptions, render: bool = True) -> Iterator[PageSource]:
    """Yield the file's pages one at a time (a long PDF is never held in memory whole). With
    `render` False, a PDF page whose text layer is used is not rendered (its image is made when
    someone first looks at it: `open_page`); its size is the size it renders to."""
    if kind == "pdf":
        yield from _pdf_pages(data, name, options, render)
    else:
        yield from _image_pages(data, name, options)


def open_page(data: bytes, kind: str, name: str, number: int, options: IngestOptions) -> PageSource:
    """One page, rendered; a PDF's other pages are not."""
    if kind == "pdf":
        page = _one_pdf_page(data, name, number, options)
        if page.error:
            raise CorruptFile(page.error)
        return page
    for page in open_pages(data, kind, name, options):
        if page.number == number:
            if page.error:
                raise CorruptFile(page.error)
            return page
    raise CorruptFile(f"{name}：没有第 {number} 页")


def _failed(number: int, name: str, reason: str, code: str = CorruptFile.code) -> PageSource:
    return PageSource(number, None, 0, error=f"{name}：第 {number} 页{reason}", code=code)


def _bug(number: int, name: str, exc: Exception, where: str) -> PageSource:
    ident = incident(exc, where)
    return _failed(number, name, f"处理时发生内部错误（事件编号 {ident}），请联系维护人员", "internal_error")


# --- images -----------------------------------------------------------------------------------

def _open_image(data: bytes, name: str) -> Image.Image:
    try:
        img = Image.open(io.BytesIO(data))
    except UnidentifiedImageError as exc:
        raise CorruptFile(f"{name}：图像文件已损坏，无法识别其内容（文件头与内容不符，或只有部分数据）") from exc
    except (OSError, SyntaxError, ValueError, TypeError, struct_error, EOFError) as exc:
        raise CorruptFile(f"{name}：图像文件已损坏，无法解码") from exc
    if img.format not in ("JPEG", "PNG", "TIFF", "MPO"):
        img.close()
        raise CorruptFile(f"{name}：文件内容不是 JPEG、PNG 或 TIFF 图像")
    return img


def _frame_count(img: Image.Image, name: str, options: IngestOptions) -> tuple[int, bool]:
    """How many frames can be reached, and whether the chain of frames breaks after them. Frames are
    only sought, not decoded, so a file over the page limit is refused before any work."""
    count = 0
    while True:
        try:
            img.seek(count)
        except EOFError:
            return count, False
        except Exception:  # an IFD pointer past the end of the file: TypeError "Missing dimensions", OSError
            return count, True
        count += 1
        if count > options.max_pages:
            raise TooManyPages(f"{name}：共超过 {options.max_pages} 页，超过上限 {options.max_pages} 页；请拆分后再上传")


def _image_pages(data: bytes, name: str, options: IngestOptions) -> Iterator[PageSource]:
    img = _open_image(data, name)
    with img:
        # Only TIFF holds pages; the extra frames of an MPO photo or an animated PNG are previews.
        frames, broken = _frame_count(img, name, options) if img.format == "TIFF" else (1, False)
        if frames == 0:
            raise CorruptFile(f"{name}：图像文件已损坏，第 1 页无法读取")
        for index in range(frames):
            number = index + 1
            try:
                img.seek(index)
                yield _image_page(img, number, name, options)
            except InputError as exc:
                if frames == 1 and not broken:
                    raise
                yield PageSource(number, None, 0, error=exc.message, code=exc.code)
            except Exception as exc:  # a decoder fault in one frame must not cost the others
                if _decoder_fault(exc):
                    reason = "图像数据不完整（文件被截断）" if "truncated" in str(exc) else "图像数据已损坏"
                    if frames == 1 and not broken:
                        raise CorruptFile(f"{name}：{reason}，无法解码") from exc
                    yield _failed(number, name, f"{reason}，无法解码")
                else:
                    yield _bug(number, name, exc, "ingest.pages")
        if broken:
            yield _failed(frames + 1, name, "及其后各页无法读取（文件中该页的位置信息已损坏或文件被截断）")


def _decoder_fault(exc: Exception) -> bool:
    """Bad data, not a bug of ours: Pillow's decoders raise OSError/SyntaxError on bad data, and
    anything else when raised inside Pillow itself (TypeError "Missing dimensions", struct.error)."""
    if isinstance(exc, (OSError, SyntaxError, EOFError, struct_error)):
        return True
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and f"{os.sep}PIL{os.sep}" in tb.tb_frame.f_code.co_filename


def _image_page(img: Image.Image, number: int, name: str, options: IngestOptions) -> PageSource:
    _check_pixels(img.size, name, number, options)
    img.load()
    dpi = _image_dpi(img)
    # A single image is not needed once its pixels are out: Pillow's copy is freed before the
    # BGR one is made (TIFF keeps its file open to seek the next frame).
    return PageSource(number, to_bgr(_upright(img), release=img if img.format != "TIFF" else None), dpi)


def to_bgr(img: Image.Image, release: Image.Image | None = None) -> np.ndarray:
    """The page as OpenCV's 8-bit BGR with as few full-size copies as possible (an 80-megapixel
    colour scan is 240 MB a copy): greyscale goes straight to BGR, and ``release`` (the decoded
    image) is closed as soon as its pixels are copied out."""
    if img.mode == "L" and "transparency" not in img.info:
        grey = np.asarray(img)
        if release is not None:
            release.close()
        return cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)
    if img.mode == "1":
        return cv2.cvtColor(np.asarray(img.convert("L")), cv2.COLOR_GRAY2BGR)
    return _bgr_by_strips(to_rgb(img))


def _bgr_by_strips(rgb: Image.Image, rows: int = 512) -> np.ndarray:
    """Copied out a strip at a time: Pillow's whole-image export (tobytes) holds two full copies
    at once, which made an 80-megapixel colour page cost 800 MB."""
    width, height = rgb.size
    out = np.empty((height, width, 3), np.uint8)
    for top in range(0, height, rows):
        strip = np.asarray(rgb.crop((0, top, width, min(height, top + rows))))
        out[top : top + strip.shape[0]] = strip[:, :, ::-1]
    return out


def _upright(img: Image.Image) -> Image.Image:
    """EXIF (or TIFF) orientation applied; an orientation tag that cannot be read is ignored.
    Only a page that needs turning is copied."""
    try:
        if img.getexif().get(0x0112, 1) not in (2, 3, 4, 5, 6, 7, 8):
            return img
        return ImageOps.exif_transpose(img) or img
    except Exception:
        return img


def to_rgb(img: Image.Image) -> Image.Image:
    """Any decoded mode as 8-bit RGB as it would look on paper: 16-bit and 32-bit grey scaled (not
    clipped to white), transparency flattened onto white (not black), palette and CMYK converted."""
    mode = img.mode
    if mode.startswith("I;16") or mode in ("I", "F"):
        values = np.asarray(img).astype(np.float64)
        top = 65535.0 if mode.startswith("I;16") else max(float(values.max()), 1.0)
        if mode == "I" and values.max() <= 255 and values.min() >= 0:
            top = 255.0  # an 8-bit image held in a 32-bit mode
        if mode == "F" and values.max() <= 1.0 and values.min() >= 0:
            top = 1.0
        grey = np.clip(values * (255.0 / top), 0, 255).astype(np.uint8)
        return Image.fromarray(grey, "L").convert("RGB")
    if mode in ("RGBA", "LA", "PA", "RGBa", "La") or (mode in ("P", "L", "RGB") and "transparency" in img.info):
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    if mode == "RGB":
        return img
    return img.convert("RGB")


def _image_dpi(img: Image.Image) -> int:
    dpi = img.info.get("dpi")
    try:
        value = int(round(float(dpi[0]))) if dpi else 0
    except (TypeError, ValueError, IndexError):
        value = 0
    return value if 72 <= value <= 1200 else DEFAULT_IMAGE_DPI


def _check_pixels(size: tuple[int, int], name: str, number: int, options: IngestOptions) -> None:
    width, height = size
    where = f"{name}：第 {number} 页图像"
    if width * height > options.max_pixels:
        raise TooLarge(f"{where}过大（{width}×{height} 像素），上限 {options.max_pixels:,} 像素（疑似图像炸弹或分辨率过高）")
    if max(width, height) > options.max_side_pixels:
        raise TooLarge(f"{where}边长过大（{width}×{height} 像素），单边上限 {options.max_side_pixels} 像素")
    if min(width, height) < options.min_side_pixels:
        raise CorruptFile(f"{where}过小（{width}×{height} 像素），不是可识别的扫描件")


# --- PDFs ---------------------------------------------------------------------------------------

# PDFium is not thread-safe, not even across documents: one call at a time per process
# (pypdfium2's docs, "Incompatibility with Threading"). The web server receives a clerk's uploads on
# several threads at once, and two PDFs opened side by side there corrupted the heap. Every pdfium
# call below holds this lock; pdfplumber (pure Python) and the page's own processing do not.
PDFIUM_LOCK = threading.RLock()


def _open_pdf(data: bytes, name: str):
    import pypdfium2 as pdfium

    try:
        with PDFIUM_LOCK:
            return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        # pdfium's error code is process-wide and may be left over from an earlier document: a
        # password is believed only when the file has an encryption dictionary.
        if "password" in str(exc).lower() and b"/Encrypt" in data:
            raise EncryptedPdf(f"{name}：PDF 已加密（需要密码），无法读取；请上传未加密的文件") from exc
        if _pdfminer_pages(data) == 0:  # pdfium refuses a document without pages as if it were broken
            raise EmptyPdf(f"{name}：PDF 中没有任何页面（0 页），没有可处理的内容") from exc
        raise CorruptFile(f"{name}：PDF 文件已损坏或不完整，无法打开") from exc
    except Exception as exc:
        raise CorruptFile(f"{name}：PDF 文件已损坏或不完整，无法打开") from exc


def _pdfminer_pages(data: bytes) -> int | None:
    """Pages pdfminer finds, or None when it cannot parse the file either."""
    try:
        from pdfminer.pdfpage import PDFPage

        return sum(1 for _ in PDFPage.get_pages(io.BytesIO(data)))
    except Exception:
        return None


_STREAM = re.compile(rb"(?<!end)stream\r?\n")


def _largest_stream_past(data: bytes, limit: int) -> bool:
    """Whether a Flate stream of the PDF inflates past ``limit`` bytes (a content-stream bomb:
    kilobytes that pdfium and pdfminer would each inflate whole). Inflated in steps and thrown
    away, so the check itself holds at most a megabyte; streams that are not Flate are skipped."""
    view = memoryview(data)
    for match in _STREAM.finditer(data):
        end = data.find(b"endstream", match.end())
        if end < 0:
            break
        inflater = zlib.decompressobj()
        pending, total = view[match.end() : end], 0
        try:
            while pending:
                total += len(inflater.decompress(pending, 1 << 20))
                if total > limit:
                    return True
                pending = inflater.unconsumed_tail
                if inflater.eof:
                    break
        except zlib.error:
            continue
    return False


def _pdf_pages(data: bytes, name: str, options: IngestOptions, render: bool = True) -> Iterator[PageSource]:
    if _largest_stream_past(data, options.max_pdf_stream_bytes):
        raise TooLarge(f"{name}：PDF 中有一段内容解压后超过 {options.max_pdf_stream_bytes // 1048576} MB（疑似压缩炸弹），已拒绝")
    pdf = _open_pdf(data, name)
    try:
        with PDFIUM_LOCK:
            total = len(pdf)
        if total == 0:
            raise EmptyPdf(f"{name}：PDF 中没有任何页面（0 页），没有可处理的内容")
        if total > options.max_pages:
            raise TooManyPages(f"{name}：PDF 共 {total} 页，超过上限 {options.max_pages} 页；请拆分后再上传")
        plumber = _open_plumber(data)
        try:
            for index in range(total):
                yield _pdf_page(pdf, plumber, index, name, options, render)
        finally:
            if plumber is not None:
                plumber.close()
    finally:
        _close_pdf(pdf)


def _close_pdf(pdf) -> None:
    with PDFIUM_LOCK:
        pdf.close()


def _one_pdf_page(data: bytes, name: str, number: int, options: IngestOptions) -> PageSource:
    """Page `number` of a PDF, rendered, with its text layer as at ingest (the same checks first)."""
    pdf = _open_pdf(data, name)
    try:
        with PDFIUM_LOCK:
            total = len(pdf)
        if not 1 <= number <= total:
            raise CorruptFile(f"{name}：没有第 {number} 页")
        plumber = _open_plumber(data)
        try:
            return _pdf_page(pdf, plumber, number - 1, name, options)
        finally:
            if plumber is not None:
                plumber.close()
    finally:
        _close_pdf(pdf)


def _open_plumber(data: bytes):
    """pdfplumber for the text layers; a PDF it cannot parse is still rendered and OCR'd."""
    import pdfplumber

    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception:
        return None


def _pdf_page(pdf, plumber, index: int, name: str, options: IngestOptions, render: bool = True) -> PageSource:
    number = index + 1
    scale = options.dpi / 72.0
    try:
        width, height = _page_size(pdf, index)
    except Exception:
        return _failed(number, name, "已损坏，无法打开")
    try:
        try:
            _check_pixels((int(width * scale), int(height * scale)), name, number, options)
        except InputError as exc:
            return PageSource(number, None, 0, error=exc.message, code=exc.code)
        if not render and plumber is not None:
            # pdfium's own arithmetic for the size of the bitmap it would render (PdfPage.render)
            shape = (math.ceil(height * scale), math.ceil(width * scale))
            try:
                layer = text_layer(plumber.pages[index], scale, shape, options)
            except Exception:  # a text layer pdfplumber cannot parse: rendered below, OCR'd later
                layer = None
            if layer is not None:
                return PageSource(number, None, options.dpi, layer, size=(shape[1], shape[0]))
        try:
            image = _render(pdf, index, scale)
        except Exception:  # pdfium raises its own error types
            return _failed(number, name, "无法渲染（页面内容已损坏）")
        layer = None
        if plumber is not None:
            try:
                layer = text_layer(plumber.pages[index], scale, image.shape, options)
            except Exception:  # a text layer pdfplumber cannot parse: the page is OCR'd instead
                layer = None
        return PageSource(number, image, options.dpi, layer)
    except Exception as exc:
        return _bug(number, name, exc, "ingest.pages.pdf")


def _page_size(pdf, index: int) -> tuple[float, float]:
    with PDFIUM_LOCK:
        page = pdf[index]
        try:
            return page.get_size()
        finally:
            page.close()


def _render(pdf, index: int, scale: float) -> np.ndarray:
    """The page as BGR (OpenCV's order), copied out of pdfium's buffer before it is freed."""
    with PDFIUM_LOCK:
        page = pdf[index]
        try:
            bitmap = page.render(scale=scale)
            try:
                return np.array(bitmap.to_numpy()[:, :, :3])
            finally:
                bitmap.close()
        finally:
            page.close()
