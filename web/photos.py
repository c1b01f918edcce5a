"""Photos a clerk takes with a phone at the window, several pages of one paper: joined into one
PDF, one page per photo, so that they are read as one document. JPEG photos go in as they are
(reportlab embeds their bytes, no re-encoding) unless their EXIF says they must be turned; other
images are embedded losslessly. The PDF is then received like any uploaded file."""
from __future__ import annotations

import io

from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import FormError

MAX_PHOTOS = 50


def photos_pdf(photos: list[tuple[str, bytes]], max_pixels: int, dpi: int) -> bytes:
    """One PDF page per photo, each page sized so that rendering it at `dpi` (the ingest's PDF
    resolution) gives back the photo's own pixels."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    if not photos:
        raise FormError("没有收到照片")
    if len(photos) > MAX_PHOTOS:
        raise FormError(f"一份材料最多 {MAX_PHOTOS} 张照片（收到 {len(photos)} 张）")
    out = io.BytesIO()
    pdf = canvas.Canvas(out, invariant=1)
    for number, (name, data) in enumerate(photos, start=1):
        try:
            with Image.open(io.BytesIO(data)) as probe:
                width, height = probe.size
                if width * height > max_pixels:
                    raise FormError(f"第 {number} 张照片（{name}）像素过多（{width}×{height}）")
                orientation = probe.getexif().get(0x0112, 1)
                kind = probe.format
                if kind == "JPEG" and orientation in (1, None) and probe.mode in ("L", "RGB", "CMYK"):
                    source = io.BytesIO(data)  # embedded as is
                else:
                    turned = ImageOps.exif_transpose(probe).convert("RGB")
                    width, height = turned.size
                    buf = io.BytesIO()
                    turned.save(buf, format="PNG")
                    source = io.BytesIO(buf.getvalue())
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as exc:
            raise FormError(f"第 {number} 张照片（{name}）不是可读取的图片") from exc
        w, h = width * 72 / dpi, height * 72 / dpi
        pdf.setPageSize((w, h))
        pdf.drawImage(ImageReader(source), 0, 0, width=w, height=h)
        pdf.showPage()
    pdf.save()
    return out.getvalue()
