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


PAYROLL_ROWS = (  # the sample payroll: 周立新 with his 1990s 15-digit number, 李海波 with none
    ("1", "周立新", "360899750314151", "1996.12", "9", "810.00"),
    ("2", "李海波", "", "1996.12", "9", "810.00"),
)


def payroll_pdf(rows=PAYROLL_ROWS) -> bytes:
    """A 待安置 allowance payroll listing several veterans (docs/documents.md#allowance-payroll-and-one-off-payments), one page."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("zenhei", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", subfontIndex=0))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(842, 595))
    c.setFont("zenhei", 16)
    c.drawString(260, 540, "青河县待安置退伍军人生活补助费发放花名册")
    c.setFont("zenhei", 11)
    c.drawString(120, 510, "所属期间：1997年1月至1997年9月")
    c.drawString(480, 510, "标准：每人每月90元")
    columns = (60, 110, 190, 360, 440, 490, 560)
    for x, text in zip(columns, ("序号", "姓名", "身份证号", "退伍时间", "月数", "金额", "领款人签章")):
        c.drawString(x, 480, text)
    for i, row in enumerate(rows):
        for x, text in zip(columns, row):
            if text:
                c.drawString(x, 455 - 25 * i, text)
    c.drawString(120, 455 - 25 * len(rows) - 20, "制表：孙某   审核：钱某   青河县民政局（财务专用章）  1997年10月8日")
    c.showPage()
    c.save()
    return buf.getvalue()
