"""Split a scan file into pages: decode images, render PDF pages, read PDF text layers."""
from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from typing import Iterator

import numpy as np
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from core.errors import CorruptFile, EncryptedPdf, InputError, TooLarge
from core.types import Line, PageText, Word, union_bbox
from ingest.options import IngestOptions

DEFAULT_IMAGE_DPI = 200  # assumed when a scan carries no resolution
_MEANINGFUL = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]")

# Pillow's own bomb guard would raise before our clearer message; our limit is IngestOptions.max_pixels.
Image.MAX_IMAGE_PIXELS = None


@dataclass
class PageSource:
    number: int  # 1-based within the file
    image: np.ndarray  # BGR uint8
    dpi: int
    text_layer: PageText | None = None  # set when a PDF page has a usable text layer


def open_pages(data: bytes, kind: str, name: str, options: IngestOptions) -> Iterator[PageSource]:
    """Yield the file's pages one at a time (a long PDF is never held in memory whole)."""
    if kind == "pdf":
        yield from _pdf_pages(data, name, options)
    else:
        yield from _image_pages(data, name, options)


def open_page(data: bytes, kind: str, name: str, number: int, options: IngestOptions) -> PageSource:
    for page in open_pages(data, kind, name, options):
        if page.number == number:
            return page
    raise CorruptFile(f"{name}：没有第 {number} 页")


# --- images -----------------------------------------------------------------------------------

def _open_image(data: bytes, name: str) -> Image.Image:
    try:
        return Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise CorruptFile(f"{name}：图像文件已损坏，无法解码（{exc}）") from exc


def _image_pages(data: bytes, name: str, options: IngestOptions) -> Iterator[PageSource]:
    img = _open_image(data, name)
    with img:
        for index, frame in enumerate(ImageSequence.Iterator(img), start=1):
            _check_pixels(frame.size, name, index, options)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    frame.load()
                    upright = ImageOps.exif_transpose(frame) if index == 1 else frame
                    rgb = upright.convert("RGB")
            except (OSError, SyntaxError, ValueError) as exc:
                raise CorruptFile(f"{name}：第 {index} 页图像已损坏或不完整，无法解码（{exc}）") from exc
            dpi = _image_dpi(frame)
            yield PageSource(index, np.asarray(rgb)[:, :, ::-1].copy(), dpi)


def _image_dpi(img: Image.Image) -> int:
    dpi = img.info.get("dpi")
    try:
        value = int(round(float(dpi[0]))) if dpi else 0
    except (TypeError, ValueError):
        value = 0
    return value if 72 <= value <= 1200 else DEFAULT_IMAGE_DPI


def _check_pixels(size: tuple[int, int], name: str, number: int, options: IngestOptions) -> None:
    if size[0] * size[1] > options.max_pixels:
        raise TooLarge(
            f"{name}：第 {number} 页图像过大（{size[0]}×{size[1]} 像素），上限 {options.max_pixels} 像素"
        )


# --- PDFs ---------------------------------------------------------------------------------------

def _open_pdf(data: bytes, name: str):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedPdf(f"{name}：PDF 已加密（需要密码），无法读取；请上传未加密的文件") from exc
        raise CorruptFile(f"{name}：PDF 文件已损坏，无法打开（{exc}）") from exc


def _pdf_pages(data: bytes, name: str, options: IngestOptions) -> Iterator[PageSource]:
    import pdfplumber

    pdf = _open_pdf(data, name)
    try:
        if len(pdf) > options.max_pages:
            raise TooLarge(f"{name}：PDF 共 {len(pdf)} 页，超过上限 {options.max_pages} 页")
        scale = options.dpi / 72.0
        with pdfplumber.open(io.BytesIO(data)) as plumber:
            for index in range(len(pdf)):
                page = pdf[index]
                width, height = page.get_size()
                _check_pixels((int(width * scale), int(height * scale)), name, index + 1, options)
                try:
                    rgb = page.render(scale=scale).to_pil().convert("RGB")
                except Exception as exc:  # pdfium raises its own error types
                    raise CorruptFile(f"{name}：第 {index + 1} 页无法渲染（{exc}）") from exc
                image = np.asarray(rgb)[:, :, ::-1].copy()
                layer = _text_layer(plumber.pages[index], scale, image.shape, options)
                yield PageSource(index + 1, image, options.dpi, layer)
                page.close()
    except InputError:
        raise
    except Exception as exc:
        raise CorruptFile(f"{name}：PDF 内容无法解析（{exc}）") from exc
    finally:
        pdf.close()


def _text_layer(page, scale: float, shape: tuple, options: IngestOptions) -> PageText | None:
    """Words of a born-digital page with boxes in rendered-pixel coordinates, or None."""
    words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
    chars = sum(len(_MEANINGFUL.findall(w["text"])) for w in words)
    if chars < options.min_text_layer_chars:
        return None
    boxed = [
        Word(
            w["text"],
            (int(w["x0"] * scale), int(w["top"] * scale), int(w["x1"] * scale) + 1, int(w["bottom"] * scale) + 1),
            1.0,
        )
        for w in words
    ]
    return PageText(
        width=shape[1], height=shape[0], lines=_group_lines(boxed), source="text_layer", engine="pdfplumber"
    )


def _group_lines(words: list[Word]) -> list[Line]:
    """Words on the same baseline band, left to right, become one line; wide gaps split it."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: ((w.bbox[1] + w.bbox[3]) / 2, w.bbox[0])):
        centre = (word.bbox[1] + word.bbox[3]) / 2
        if rows:
            last = rows[-1]
            top = min(w.bbox[1] for w in last)
            bottom = max(w.bbox[3] for w in last)
            if top <= centre <= bottom:
                last.append(word)
                continue
        rows.append([word])
    lines: list[Line] = []
    for row in rows:
        row.sort(key=lambda w: w.bbox[0])
        height = max(w.bbox[3] - w.bbox[1] for w in row)
        segment: list[Word] = [row[0]]
        for word in row[1:]:
            if word.bbox[0] - segment[-1].bbox[2] > 2.5 * height:
                lines.append(_line(segment))
                segment = []
            segment.append(word)
        lines.append(_line(segment))
    return lines


def _line(words: list[Word]) -> Line:
    text = ""
    for word in words:
        if text and text[-1].isascii() and text[-1].isalnum() and word.text[:1].isascii() and word.text[:1].isalnum():
            text += " "
        text += word.text
    return Line(text, union_bbox([w.bbox for w in words]), 1.0, tuple(words))
