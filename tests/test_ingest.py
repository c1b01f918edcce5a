"""Ingest: real types from content, every bad file named with its reason, nothing else lost."""
from __future__ import annotations

import numpy as np
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


# --- #11: hostile inputs, one by one (tests/hostile.py; the whole corpus runs in test_hostile.py) ---

def _pages(data: bytes, kind: str, **limits):
    return list(open_pages(data, kind, "x", IngestOptions(**limits)))


@pytest.mark.parametrize("build", ["grey16_png", "grey16_tif", "grey_alpha", "rgba", "palette", "cmyk_jpg", "cmyk_tif"])
def test_unusual_image_modes_come_out_as_paper(build):
    """White paper, black ink: not clipped to white (16-bit), not black (alpha), colours converted."""
    from tests import hostile

    data = {
        "grey16_png": lambda: hostile.grey16("7", "PNG"), "grey16_tif": lambda: hostile.grey16("7", "TIFF"),
        "grey_alpha": lambda: hostile.grey_alpha("7"), "rgba": lambda: hostile.rgba("7"),
        "palette": lambda: hostile.palette_transparent("7"), "cmyk_jpg": lambda: hostile.cmyk("7", "JPEG"),
        "cmyk_tif": lambda: hostile.cmyk("7", "TIFF"),
    }[build]()
    (page,) = _pages(data, "png" if data[:4] == b"\x89PNG" else "tiff" if data[:2] == b"II" else "jpeg")
    reference = np.asarray(hostile.page_image("7"))
    grey = page.image.mean(axis=2)
    assert abs(grey.mean() - reference.mean()) < 4  # the same share of ink as the page drawn
    assert (grey < 60).sum() > 0.5 * (reference < 60).sum()  # the ink is there and dark


def test_exif_orientation_is_honoured():
    from tests.hostile import exif_rotated

    (page,) = _pages(exif_rotated("7"), "jpeg")
    assert page.image.shape[:2] == (420, 900)  # stored 420 wide, shown upright 900 wide


def test_a_bad_frame_fails_alone_and_the_readable_frames_are_kept():
    from tests.hostile import tiff_bad_strip, tiff_next_ifd_past_eof

    pages = _pages(tiff_next_ifd_past_eof(["1", "2", "3"], 1), "tiff")  # Pillow: TypeError Missing dimensions
    assert [p.image is not None for p in pages] == [True, False] and "第 2 页" in pages[1].error
    pages = _pages(tiff_bad_strip(["1", "2", "3"], 2), "tiff")
    assert [p.image is not None for p in pages] == [True, False, True] and "第 2 页" in pages[1].error


def test_page_limits_hold_for_tiff_and_pdf_and_empty_pdfs_are_called_empty():
    from core.errors import EmptyPdf, TooManyPages
    from tests.hostile import many_frames_tiff, many_pages_pdf, zero_page_pdf

    with pytest.raises(TooManyPages):
        _pages(many_frames_tiff(12), "tiff", max_pages=10)
    with pytest.raises(TooManyPages):
        _pages(many_pages_pdf(12), "pdf", max_pages=10)
    with pytest.raises(EmptyPdf, match="0 页"):
        _pages(zero_page_pdf(), "pdf")


def test_names_that_are_not_utf8_are_decoded_and_kept():
    import os

    from ingest.names import disk_name, printable, zip_entry_name
    from tests.hostile import zip_raw_names

    on_disk = os.fsdecode("扫描/入伍登记表.jpg".encode("gbk"))  # what os.listdir gives for GBK bytes
    assert disk_name(on_disk) == ("扫描/入伍登记表.jpg", "扫描/入伍登记表.jpg".encode("gbk"))
    assert disk_name(os.fsdecode(b"\xff.jpg")) == ("\\xff.jpg", b"\xff.jpg")  # lossless escape
    assert disk_name("好.jpg") == ("好.jpg", None)
    import io
    import zipfile

    for raw, name in (("入伍登记表.jpg".encode("gbk"), "入伍登记表.jpg"), ("退伍证.jpg".encode(), "退伍证.jpg")):
        (info,) = zipfile.ZipFile(io.BytesIO(zip_raw_names([(raw, b"x")]))).infolist()
        assert zip_entry_name(info) == (name, raw)
    assert printable("a\nb\x1b[31m\u202ec") == "a\\nb\\x1b[31m\\u202ec"


def test_one_decompression_budget_per_upload_across_nested_archives():
    from ingest.collect import from_bytes
    from tests.hostile import deep_zip, good_jpeg_bytes, nested_bomb

    options = IngestOptions(max_unpacked_bytes=10 << 20, max_archive_depth=3)
    items = list(from_bytes("bomb.zip", nested_bomb(2, 4, 3 << 20), options))
    assert sum(i.code == "archive_bomb" for i in items) == 1 and "解压总量" in items[-1].message
    items = list(from_bytes("deep.zip", deep_zip(5, good_jpeg_bytes()), options))
    assert [i.code for i in items] == ["archive_bomb"] and "嵌套" in items[0].message


def test_empty_and_junk_only_folders_and_archives_are_reported(tmp_path):
    from tests.hostile import zip_of

    (tmp_path / "空").mkdir()
    (tmp_path / "系统" / "__MACOSX").mkdir(parents=True)
    (tmp_path / "系统" / "Thumbs.db").write_bytes(b"x")
    (tmp_path / "empty.zip").write_bytes(zip_of([]))
    (tmp_path / "junk.zip").write_bytes(zip_of([("__MACOSX/._a.jpg", b"x"), ("Thumbs.db", b"y")]))
    import os

    os.mkfifo(tmp_path / "管道")
    names = ("空", "系统", "empty.zip", "junk.zip", "管道")
    codes = {i.source: i.code for i in collect([tmp_path / n for n in names], IngestOptions())}
    assert codes == {str(tmp_path / "空"): "empty_archive", str(tmp_path / "系统"): "empty_archive",
                     "empty.zip": "empty_archive", "junk.zip": "empty_archive", str(tmp_path / "管道"): "unreadable"}


def test_sixteen_bit_grey_held_in_a_32_bit_mode_is_scaled_not_clipped():
    """Some decoders give 16-bit grey as mode I, which older Pillow's own conversion clipped:
    every value above 255 white, the page lost. casefile scales it itself, whatever Pillow does."""
    from PIL import Image

    from ingest.pages import to_rgb
    from tests.hostile import page_image

    reference = np.asarray(page_image("7"))
    wide = Image.fromarray(reference.astype(np.int32) * 257, "I")
    grey = np.asarray(to_rgb(wide)).mean(axis=2)
    assert abs(grey.mean() - reference.mean()) < 2 and (grey < 60).sum() > 0.5 * (reference < 60).sum()


def test_libtiff_says_nothing_on_stderr(capfd):
    """libtiff prints its own complaints on file descriptor 2, past Python's sys.stderr."""
    from tests.hostile import bilevel_g4

    with pytest.raises(InputError):
        _pages(bilevel_g4("9")[:-40], "tiff")
    assert "TIFF" not in capfd.readouterr().err
