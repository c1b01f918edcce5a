"""Small synthetic evidence pages for the OCR tests and the OCR benchmark.

Not fixtures/ (owned by the fixture generator): just enough to exercise ocr/ — a
退出现役登记表-style ruled table with KaiTi values, an 安置介绍信 letter and an ID card,
each with a red semi-transparent seal over text, plus degradations and rotations.
Every page knows where its key values were drawn (original pixel coordinates).
"""
from __future__ import annotations

import io
import math
import unicodedata
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

HEI = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
KAI = "/usr/share/fonts/truetype/arphic/ukai.ttc"
MING = "/usr/share/fonts/truetype/arphic/uming.ttc"

BBox = tuple[int, int, int, int]


@dataclass
class SynthPage:
    name: str
    image: np.ndarray  # BGR uint8
    keys: dict[str, tuple[str, BBox]] = field(default_factory=dict)  # label -> (value, bbox)


def norm(text: str) -> str:
    """NFKC, no whitespace: how tests compare OCR text (never raw strings)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def id_check_digit(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(c) * w for c, w in zip(first17, weights))
    return "10X98765432"[total % 11]


def make_id(first17: str) -> str:
    return first17 + id_check_digit(first17)


class _Canvas:
    def __init__(self, w_mm: float, h_mm: float, dpi: int):
        self.dpi = dpi
        self.img = Image.new("RGB", (self.px(w_mm), self.px(h_mm)), "white")
        self.draw = ImageDraw.Draw(self.img)
        self.keys: dict[str, tuple[str, BBox]] = {}
        self._fonts: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}

    def px(self, mm: float) -> int:
        return int(round(mm / 25.4 * self.dpi))

    def font(self, path: str, pt: float) -> ImageFont.FreeTypeFont:
        size = max(6, int(round(pt / 72 * self.dpi)))
        key = (path, size)
        if key not in self._fonts:
            self._fonts[key] = ImageFont.truetype(path, size)
        return self._fonts[key]

    def text(self, x_mm: float, y_mm: float, s: str, path: str = MING, pt: float = 12,
             key: str | None = None, spacing: float = 0.0) -> BBox:
        f = self.font(path, pt)
        x, y = self.px(x_mm), self.px(y_mm)
        if spacing:
            boxes = []
            for ch in s:
                self.draw.text((x, y), ch, font=f, fill=(15, 15, 15))
                boxes.append(self.draw.textbbox((x, y), ch, font=f))
                x += f.getlength(ch) + self.px(spacing)
            box = (min(b[0] for b in boxes), min(b[1] for b in boxes),
                   max(b[2] for b in boxes), max(b[3] for b in boxes))
        else:
            self.draw.text((x, y), s, font=f, fill=(15, 15, 15))
            box = self.draw.textbbox((x, y), s, font=f)
        if key:
            self.keys[key] = (s, tuple(int(v) for v in box))
        return tuple(int(v) for v in box)

    def centered(self, y_mm: float, s: str, path: str = HEI, pt: float = 18) -> None:
        f = self.font(path, pt)
        w = f.getlength(s)
        self.draw.text(((self.img.width - w) / 2, self.px(y_mm)), s, font=f, fill=(10, 10, 10))

    def rect(self, x0: float, y0: float, x1: float, y1: float, width: int = 2) -> None:
        self.draw.rectangle((self.px(x0), self.px(y0), self.px(x1), self.px(y1)),
                            outline=(20, 20, 20), width=width)

    def hline(self, x0: float, x1: float, y: float, width: int = 2) -> None:
        self.draw.line((self.px(x0), self.px(y), self.px(x1), self.px(y)), fill=(20, 20, 20), width=width)

    def vline(self, x: float, y0: float, y1: float, width: int = 2) -> None:
        self.draw.line((self.px(x), self.px(y0), self.px(x), self.px(y1)), fill=(20, 20, 20), width=width)

    def seal(self, cx_mm: float, cy_mm: float, r_mm: float, ring: str) -> None:
        """Red semi-transparent official seal: ring, star, ring text."""
        layer = Image.new("RGBA", self.img.size, (0, 0, 0, 0))
        d = ImageDraw.Draw(layer)
        cx, cy, r = self.px(cx_mm), self.px(cy_mm), self.px(r_mm)
        red = (220, 30, 30, 150)
        d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=red, width=max(3, r // 14))
        star = []
        for i in range(10):
            rad = r * (0.28 if i % 2 == 0 else 0.11)
            a = -math.pi / 2 + i * math.pi / 5
            star.append((cx + rad * math.cos(a), cy + rad * math.sin(a)))
        d.polygon(star, fill=red)
        f = ImageFont.truetype(HEI, max(8, int(r * 0.22)))
        n = len(ring)
        for i, ch in enumerate(ring):
            a = math.radians(-200 + 220 * i / max(1, n - 1))
            x, y = cx + r * 0.72 * math.cos(a), cy + r * 0.72 * math.sin(a)
            glyph = Image.new("RGBA", (f.size * 2, f.size * 2), (0, 0, 0, 0))
            ImageDraw.Draw(glyph).text((f.size // 2, f.size // 2), ch, font=f, fill=red)
            glyph = glyph.rotate(-math.degrees(a) - 90, resample=Image.BICUBIC)
            layer.alpha_composite(glyph, (int(x - f.size), int(y - f.size)))
        self.img = Image.alpha_composite(self.img.convert("RGBA"), layer).convert("RGB")
        self.draw = ImageDraw.Draw(self.img)

    def page(self, name: str) -> SynthPage:
        bgr = cv2.cvtColor(np.asarray(self.img), cv2.COLOR_RGB2BGR)
        return SynthPage(name, bgr, dict(self.keys))


# --------------------------------------------------------------------------- documents

# variant i of a page uses entry i (mod len) of each list
NAMES = ["张伟明", "李建国", "王秀英", "赵德胜", "陈志强", "刘海燕"]
ID17 = ["53252719780512031", "53250119800307122", "53250119850307104", "41032619751120203",
        "43052119790818151", "51012319830215244"]
UNITS = ["中国人民解放军第三十八集团军", "武警云南省总队红河支队", "中国人民解放军六一五三九部队"]
EMPLOYERS = ["云南锡业集团有限责任公司", "个旧市自来水有限公司", "红河州烟草公司个旧分公司"]
ENLIST = ["1996年12月", "1998年12月", "2001年9月"]

def discharge_form(dpi: int = 150, seal: bool = True, rows: int = 8, variant: int = 0) -> SynthPage:
    """退出现役登记表: ruled table, printed labels (Ming), KaiTi fill-ins."""
    c = _Canvas(210, 297 if rows > 5 else 150, dpi)
    c.centered(14, "退出现役登记表", HEI, 20)
    c.text(20, 26, "填表日期：2000年12月15日", MING, 10)
    x = [18, 48, 98, 123, 148, 192]
    y0, rh = 34, 14
    data = [
        ("姓名", (NAMES[variant % 6], "name"), "性别", "男"),
        ("出生年月", ("1978年5月", "birth"), "民族", "汉族"),
        ("公民身份号码", (make_id(ID17[variant % 6]), "id_number"), None, None),
        ("入伍时间", (ENLIST[variant % 3], "enlist"), "退伍时间", "2000年12月"),
        ("服役部队", (UNITS[variant % 3], "unit"), None, None),
        ("籍贯", ("云南省红河州个旧市", "origin"), None, None),
        ("安置地", ("个旧市退役军人事务局", "placement"), None, None),
        ("备注", ("服役期间表现良好", None), None, None),
    ][:rows]
    c.rect(x[0], y0, x[-1], y0 + rh * len(data), 3)
    for i, (lab, (val, key), lab2, val2) in enumerate(data):
        top = y0 + rh * i
        if i:
            c.hline(x[0], x[-1], top)
        c.vline(x[1], top, top + rh)
        c.text(x[0] + 2, top + 4.5, lab, MING, 11)
        if lab2:
            c.vline(x[2], top, top + rh)
            c.vline(x[3], top, top + rh)
            c.text(x[1] + 3, top + 3.5, val, KAI, 14, key=key)
            c.text(x[2] + 2, top + 4.5, lab2, MING, 11)
            c.text(x[3] + 3, top + 3.5, val2, KAI, 14)
        else:
            c.text(x[1] + 3, top + 3.5, val, KAI, 14, key=key)
    if rows > 5:
        yb = y0 + rh * len(data) + 12
        c.text(20, yb, "部队团级以上政治机关意见：同意退出现役。", MING, 12)
        c.text(120, yb + 18, "二〇〇〇年十二月十日", MING, 12)
        if seal:
            c.seal(140, yb + 14, 19, "中国人民解放军第三十八集团军政治部")
    if seal:
        # a second seal right over the unit value, the hard case
        c.seal(150, y0 + rh * 4.5, 16, "退役军人事务局专用章")
    return c.page("discharge_form")


def placement_letter(dpi: int = 150, seal: bool = True, variant: int = 0) -> SynthPage:
    """安置介绍信: a letter with paragraphs."""
    c = _Canvas(210, 200, dpi)
    c.centered(16, "安置介绍信", HEI, 22)
    c.text(20, 30, "个旧市人力资源和社会保障局：", MING, 13)
    v = variant + 1
    ident = make_id(ID17[v % 6])
    lines = [
        ("兹介绍退役士兵", None),
        (NAMES[v % 6], "name"),
        ("同志，公民身份号码", None),
    ]
    xmm = 28
    for s, key in lines:
        b = c.text(xmm, 42, s, MING, 13, key=key)
        xmm += (b[2] - b[0]) / c.dpi * 25.4 + 0.5
    c.text(20, 52, ident, MING, 13, key="id_number")
    c.text(68, 52, "，于", MING, 13)
    c.text(77, 52, ENLIST[v % 3], MING, 13, key="enlist")
    c.text(103, 52, "入伍，", MING, 13)
    c.text(20, 62, "2002年12月退出现役，", MING, 13)
    c.text(20, 72, "前往", MING, 13)
    c.text(31, 72, EMPLOYERS[variant % 3], MING, 13, key="unit")
    c.text(20, 82, "报到，请按照有关政策予以安置。", MING, 13)
    c.text(28, 96, "此致", MING, 13)
    c.text(20, 106, "敬礼", MING, 13)
    c.text(120, 130, "个旧市退役军人事务局", MING, 13)
    c.text(124, 140, "2003年3月18日", MING, 13, key="date")
    if seal:
        c.seal(140, 132, 20, "个旧市退役军人事务局")
    return c.page("placement_letter")


def id_card(dpi: int = 150, variant: int = 0) -> SynthPage:
    """居民身份证 front side, scanned on a larger sheet."""
    c = _Canvas(120, 80, dpi)
    ox, oy = 12, 12
    c.draw.rounded_rectangle((c.px(ox), c.px(oy), c.px(ox + 85.6), c.px(oy + 54)),
                             radius=c.px(3), fill=(236, 240, 232), outline=(150, 150, 150), width=2)
    c.text(ox + 4, oy + 5, "姓名", HEI, 8)
    v = variant + 2
    c.text(ox + 14, oy + 4.5, NAMES[v % 6], HEI, 10, key="name")
    c.text(ox + 4, oy + 13, "性别  女    民族  汉", HEI, 8)
    c.text(ox + 4, oy + 20, "出生", HEI, 8)
    c.text(ox + 14, oy + 20, "1985年3月7日", HEI, 8, key="birth")
    c.text(ox + 4, oy + 27, "住址", HEI, 8)
    c.text(ox + 14, oy + 27, "云南省个旧市城区金湖东路", HEI, 8)
    c.text(ox + 14, oy + 32, "88号", HEI, 8)
    c.text(ox + 4, oy + 44, "公民身份号码", HEI, 8)
    c.text(ox + 27, oy + 44, make_id(ID17[v % 6]), "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
           9.5, key="id_number")
    c.draw.rectangle((c.px(ox + 62), c.px(oy + 6), c.px(ox + 82), c.px(oy + 32)), fill=(200, 205, 210))
    return c.page("id_card")


PAGES = {"discharge_form": discharge_form, "placement_letter": placement_letter, "id_card": id_card}


# --------------------------------------------------------------------------- degradations

def rotate_page(img: np.ndarray, k90: int) -> np.ndarray:
    """Rotate by k90 * 90 degrees clockwise (as a scanner with the page the wrong way)."""
    codes = {1: cv2.ROTATE_90_CLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return img if k90 % 4 == 0 else cv2.rotate(img, codes[k90 % 4])


def rotate_box(box: BBox, shape: tuple[int, int], k90: int) -> BBox:
    """Where a box of an h x w page lands after rotate_page(k90)."""
    h, w = shape[:2]
    x0, y0, x1, y1 = box
    for _ in range(k90 % 4):  # one clockwise quarter turn at a time
        x0, y0, x1, y1 = h - y1, x0, h - y0, x1
        h, w = w, h
    return (x0, y0, x1, y1)


def skew(img: np.ndarray, degrees: float) -> tuple[np.ndarray, np.ndarray]:
    """Rotate counter-clockwise by `degrees` about the centre, same canvas; returns (image, 2x3 matrix)."""
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    out = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    return out, m


def skew_box(box: BBox, m: np.ndarray) -> BBox:
    x0, y0, x1, y1 = box
    pts = np.array([[x0, y0, 1], [x1, y0, 1], [x1, y1, 1], [x0, y1, 1]], float) @ m.T
    return (int(pts[:, 0].min()), int(pts[:, 1].min()), int(pts[:, 0].max()), int(pts[:, 1].max()))


def degrade(img: np.ndarray, seed: int = 0, angle: float = 2.0) -> tuple[np.ndarray, np.ndarray]:
    """A worn photocopy: rotated `angle`°, blurred, noisy, JPEG quality 40."""
    rng = np.random.default_rng(seed)
    out, m = skew(img, angle)
    out = cv2.GaussianBlur(out, (0, 0), 0.8)
    noise = rng.normal(0, 10, out.shape)
    out = np.clip(out.astype(np.float32) + noise, 0, 255).astype(np.uint8)
    ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, 40])
    assert ok
    return cv2.imdecode(buf, cv2.IMREAD_COLOR), m


def overlap(a: BBox, b: BBox) -> float:
    """Intersection over the smaller box's area."""
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    small = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return ix * iy / small if small > 0 else 0.0


def to_png(img: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(cv2.cvtColor(img, cv2.COLOR_BGR2RGB)).save(buf, "PNG")
    return buf.getvalue()
