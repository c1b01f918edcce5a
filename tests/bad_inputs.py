"""Builders for the bad files a clerk may upload (each one small and made on the fly)."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from PIL import Image, ImageDraw


def good_jpeg(text: str = "scan") -> bytes:
    img = Image.new("RGB", (400, 300), "white")
    ImageDraw.Draw(img).text((20, 20), text, fill="black")
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def corrupt_jpeg() -> bytes:
    data = good_jpeg("corrupt")
    return data[:200] + b"\x00" * 64  # header survives, the entropy-coded data does not


def encrypted_pdf() -> bytes:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    enc = pdfencrypt.StandardEncryption("user-secret", ownerPassword="owner-secret")
    c = canvas.Canvas(buf, encrypt=enc)
    c.drawString(100, 700, "locked")
    c.save()
    return buf.getvalue()


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def traversal_zip(good: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("../../etc/evil.jpg", good)
        zf.writestr("inside/ok.jpg", good)
    return buf.getvalue()


def write_bad_batch(folder: Path) -> dict[str, bytes]:
    """A folder holding every bad kind plus one good scan; returns name -> bytes as written."""
    folder.mkdir(parents=True, exist_ok=True)
    good = good_jpeg("good page")
    files = {
        "corrupt.jpg": corrupt_jpeg(),
        "locked.pdf": encrypted_pdf(),
        "empty.png": b"",
        "letter.pdf": docx_bytes(),
        "bundle.zip": traversal_zip(good),
        "good.jpg": good,
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files
