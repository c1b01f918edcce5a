"""Born-digital evidence (a PDF with a text layer): pipeline tests run without OCR."""
from __future__ import annotations

import io


def certificate_pdf(pages: int = 2) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("zenhei", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", subfontIndex=0))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for _ in range(pages):
        c.setFont("zenhei", 16)
        c.drawString(200, 760, "无犯罪记录证明")
        c.setFont("zenhei", 11)
        c.drawString(72, 720, "兹证明 周立新（男，公民身份号码：360899197503141518）")
        c.drawString(72, 700, "经查询，截至2020年3月18日，未发现其有犯罪记录。")
        c.drawString(300, 640, "青河县公安局城关派出所  2020年3月18日")
        c.showPage()
    c.save()
    return buf.getvalue()
