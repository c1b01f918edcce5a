"""Ingest: real types from content, every bad file named with its reason, nothing else lost."""
from __future__ import annotations

import pytest

from core.errors import CorruptFile, EncryptedPdf, InputError
from ingest import IngestOptions, Upload, UploadError, collect, open_pages, sniff
from tests.bad_inputs import docx_bytes, good_jpeg, write_bad_batch


def test_sniff_uses_content_not_extension():
    assert sniff(good_jpeg(), "photo.pdf") == "jpeg"
    with pytest.raises(InputError, match="Word"):
        sniff(docx_bytes(), "letter.pdf")
    with pytest.raises(InputError, match="0 字节"):
        sniff(b"", "empty.png")


def test_bad_batch_gives_one_named_error_per_bad_file_and_keeps_the_good(tmp_path):
    files = write_bad_batch(tmp_path / "batch")
    items = list(collect([tmp_path / "batch"], IngestOptions()))
    errors = {i.source: i for i in items if isinstance(i, UploadError)}
    uploads = {i.source: i for i in items if isinstance(i, Upload)}
    assert set(uploads) == {"good.jpg", "bundle.zip/inside/ok.jpg", "corrupt.jpg", "locked.pdf"}
    assert errors["empty.png"].code == "empty_file"
    assert errors["letter.pdf"].code == "unsupported_file" and "letter.pdf" in errors["letter.pdf"].message
    traversal = errors["bundle.zip/../../etc/evil.jpg"]
    assert traversal.code == "unsafe_archive" and "路径穿越" in traversal.message
    # Decoding problems surface when pages are opened.
    with pytest.raises(CorruptFile, match="corrupt.jpg"):
        list(open_pages(files["corrupt.jpg"], "jpeg", "corrupt.jpg", IngestOptions()))
    with pytest.raises(EncryptedPdf, match="locked.pdf.*加密"):
        list(open_pages(files["locked.pdf"], "pdf", "locked.pdf", IngestOptions()))
    # Nothing on disk was touched.
    for name, data in files.items():
        assert (tmp_path / "batch" / name).read_bytes() == data


def test_multipage_tiff_and_pdf_render_every_page(tmp_path):
    import io

    from PIL import Image

    frames = [Image.new("RGB", (300, 400), c) for c in ("white", "gray", "black")]
    buf = io.BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:])
    pages = list(open_pages(buf.getvalue(), "tiff", "pages.tif", IngestOptions()))
    assert [p.number for p in pages] == [1, 2, 3]
    assert pages[2].image.mean() < 10

    pdf = io.BytesIO()
    frames[0].save(pdf, "PDF", save_all=True, append_images=frames[1:], resolution=100)
    rendered = list(open_pages(pdf.getvalue(), "pdf", "pages.pdf", IngestOptions(dpi=100)))
    assert len(rendered) == 3 and all(p.text_layer is None for p in rendered)
    assert abs(rendered[0].image.shape[0] - 400) <= 2  # rendered at the requested DPI


def test_born_digital_pdf_page_is_read_from_its_text_layer():
    import io

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("zenhei", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", subfontIndex=0))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("zenhei", 14)
    c.drawString(72, 760, "无犯罪记录证明")
    c.drawString(72, 730, "兹证明 周立新（男，公民身份号码：360899197503141518）经查询，未发现其有犯罪记录。")
    c.save()
    (page,) = open_pages(buf.getvalue(), "pdf", "cert.pdf", IngestOptions(dpi=150))
    assert page.text_layer is not None
    text = page.text_layer.text
    assert "无犯罪记录证明" in text and "360899197503141518" in text
    title = next(line for line in page.text_layer.lines if "无犯罪记录证明" in line.text)
    # Boxes are in rendered-pixel coordinates: 72 pt from the left at 150 dpi = 150 px.
    assert abs(title.bbox[0] - 150) < 5
