"""Prose patterns for letters and certificates, and the structure of a letter.

- regex_candidates: a regex over the document's joined text; one named group is the value.
- dates_in_context: dates whose surrounding words say what they are ("于2003年6月30日终止").
- closing_date: the letter's own date at the bottom (not a body date, not a labelled
  签收日期, nothing in a 回执 tear-off). A year OCR cut short under the seal ("一年十月二十三日",
  "二〇二年三月二十九日") is completed from the year in the document's serial number
  (槐民安字〔2001〕第111号, (95)青安字第115号) — see normalize.dates — at a lower confidence.
- signature_line: the closing date's line, or, when the date is unreadable except for its tail
  ("十四日", the rest under the seal), that tail's line: where the signature block ends.
- issuer_unit: the unit signing just above (or before) the closing date, seal marks removed.
- issuer_candidates: who issued the document — the signing unit (0.85), else a unit name with a
  seal mark at the bottom ("青河县民政局（章）", no date under it; 0.8), else a letterhead (a unit
  name heading the first page, 0.7); a liquidation group stays itself. Never the unit signing a
  回执 tear-off (the receiving unit).
- flow_candidates: like regex_candidates, over the flowing text (values wrapped at a line end).
- receipt_orders: the lines of a 回执 tear-off.
- addressee_unit: the line ending in "：" that names a unit, above the letter body.
- gender_candidates: "周立新（男，…", "同志，女，…": 男/女 set off right after a name.
"""
from __future__ import annotations

import re
from typing import Callable

from extract import layout
from extract.anchors import FieldCandidate
from extract.document import DocText, TLine, find_labels
from extract.labels import LABEL_ENDINGS, NOT_NAMES, PERSON_CATEGORIES, UNIT_SUFFIXES
from extract.normalize.dates import DEFAULT_PIVOT, DateMatch, find_dates
from extract.normalize.names import COMMON_SURNAMES, has_common_surname, normalize_name
from extract.normalize.text import HAN, is_han
from extract.normalize.units import SEAL_MARKS, is_document_number, normalize_issuer, normalize_unit

NAME = rf"[{HAN}](?:\s?[{HAN}]){{1,3}}"
# category words may be broken over two lines ("兹介绍退\n役士兵 王建军 同志")
CATEGORY = "(?:" + "|".join(r"\s*".join(c) for c in sorted(PERSON_CATEGORIES, key=len, reverse=True)) + ")"
RECEIPT = re.compile(r"回\s*执")
_PROSE_BEFORE_DATE = re.compile(r"(?:于|自|至|截至|到|从|起)\s*$")
# After a closing date: a seal's mark, or the 日 of a day lost under the seal (二〇〇三年五月日).
_SEAL_ONLY = re.compile(r"^[日号]?[\s()（）]*(?:盖\s*章|公\s*章|章|印|签\s*章)?[\s()（）]*$")
_CLOSING_NOISE = re.compile(r"^(?:此致|敬礼|特此证明|特此通知|特此决定|特此函告)[。.!！\s]*$")
# The tail of a date whose beginning is lost under a seal: "十四日", "月二十四日", "24日".
_DATE_TAIL = re.compile(r"^[〇零○O0-9一二三四五六七八九十廿卅\s年月]*[一二三四五六七八九十廿卅0-9]\s*[日号]\s*$")
# Years stated by a document's serial number (NFKC text): 〔2001〕第111号, 〔1989]0180, (95)青安字第115号.
SERIAL_YEARS = (
    re.compile(r"[〔\[【(]\s*(?P<y>(?:19|20)\d{2})\s*[〕\]】)]\s*(?:第|\d)"),
    re.compile(rf"[〔\[【(]\s*(?P<y>\d{{2}}|(?:19|20)\d{{2}})\s*[〕\]】)]\s*[{HAN}]{{1,8}}字\s*第"),
)
REPAIRED_YEAR = 0.85  # rule factor for a date whose truncated year was completed
# 男/女 set off by punctuation right after a name or 同志 (NFKC: （，→ (,).
# A sentence wrapped at a line end goes on in the next line of joined text; on a sheet with the
# stub beside the letter, one short stub line ("去向：青河县化肥厂") may come in between.
LINE_WRAP = r"\s*(?:\n[^\n]{1,16}?\s)?\s*"
# "周立新同志（男，1975年…" — the opening bracket may end a line that the stub's line follows.
GENDER_NOTE = re.compile(rf"(?<=[{HAN}])\s*(?:\({LINE_WRAP}|,\s*)(?P<v>[男女])\s*[,)]")


def candidate_at(doc: DocText, field: str, value: str, start: int, end: int, rule: float) -> FieldCandidate:
    tl, _ = doc.locate(start)
    return FieldCandidate(field, value, doc.joined_raw(start, end), rule, tl.conf, tl.page, tl.src_bbox, tl.order)


def regex_candidates(
    doc: DocText,
    field: str,
    pattern: re.Pattern,
    convert: Callable[[str], str | None],
    rule: float,
    group: str = "v",
) -> list[FieldCandidate]:
    out = []
    for m in pattern.finditer(doc.joined):
        value = convert(m.group(group))
        if value:
            out.append(candidate_at(doc, field, value, m.start(group), m.end(group), rule))
    return out


def clean_name(text: str) -> str | None:
    """A prose name: 2–4 Han chars; a leading non-surname char glued on by OCR is dropped."""
    name = normalize_name(text)
    if len(name) == 4 and name[:2] not in COMMON_SURNAMES and name[0] not in COMMON_SURNAMES and name[1] in COMMON_SURNAMES:
        name = name[1:]
    if not 2 <= len(name) <= 4 or name in NOT_NAMES or name.endswith(LABEL_ENDINGS):
        return None
    if any(h.start == 0 for h in find_labels(name)):
        return None
    return name


# The person a paper is about, named in its prose: after 兹有 / 兹证明 / 兹介绍 and before a comma
# or bracket (兹有马志宝，男，…); by the 同志 after the name, after a category word (决定安排退伍军人
# 李金成同志, 兹介绍退役士兵 周立新 同志) or opening a line or clause and followed by a bracket or a
# comma (李金成同志（1996年…入伍）, 龚兵同志，壹人); introduced by his gender (肖华福，男，…); the
# subject of a decision's title (关于对肖华福擅自离职问题的处理决定). An addressee's "周长海同志：" is not him.
_SPECKS = r"[\s·・•.]*"  # OCR specks between a name and its 同志 ("侯忠正·同志")
SUBJECT_PATTERNS = (
    (re.compile(rf"兹\s*(?:有|证\s*明|介\s*绍)\s*(?:{CATEGORY}\s*)?(?P<v>{NAME}){_SPECKS}(?:同\s*志\s*)?[(,]"), 0.9),
    (re.compile(rf"{CATEGORY}\s*(?P<v>{NAME}){_SPECKS}同\s*志(?!\s*:)"), 0.9),
    (re.compile(rf"(?:^|\n|[,;。])\s*(?P<v>{NAME}){_SPECKS}同\s*志\s*[(,]"), 0.85),
    # a commitment or application in the first person: 本人丁成，身份证号…
    (re.compile(rf"本\s*人\s*(?P<v>{NAME}){_SPECKS}[,;:(]\s*(?=(?:公\s*民\s*)?身\s*份)"), 0.9),
    # a person introduced as official prose does, opening a paragraph: 肖华福，男，本单位修理工，…
    (re.compile(rf"(?:^|\n|[。;:])\s*(?P<v>{NAME})\s*,\s*[男女]\s*[,(]"), 0.85),
    # the subject of a decision's title: 关于对肖华福擅自离职问题的处理决定, 关于给予王某开除处分的决定
    # (the name lazy, {NAME}?: the shortest that a verb or 问题 follows, not 肖华福擅)
    (re.compile(rf"关\s*于\s*(?:对|给\s*予)?\s*(?P<v>{NAME}?){_SPECKS}(?:同\s*志\s*)?"
                rf"(?=擅\s*自|自\s*动|违|旷|严\s*重|作|予|开\s*除|除\s*名|辞\s*退|解\s*除|问\s*题|的\s*处)"), 0.8),
)


def subject_names(doc: DocText) -> list[FieldCandidate]:
    """Names of the person the paper is about, from its prose (SUBJECT_PATTERNS)."""
    out: list[FieldCandidate] = []
    for pattern, rule in SUBJECT_PATTERNS:
        out += name_candidates(doc, "name", pattern, rule)
    return out


def name_candidates(doc: DocText, field: str, pattern: re.Pattern, rule: float) -> list[FieldCandidate]:
    """Names from a pattern with a (?P<v>…) group; names without a common surname rank lower."""
    out = regex_candidates(doc, field, pattern, clean_name, rule)
    return [c if has_common_surname(c.value) else _scaled(c, 0.85) for c in out]


def _scaled(c: FieldCandidate, factor: float) -> FieldCandidate:
    return FieldCandidate(c.field, c.value, c.raw, c.rule_conf * factor, c.ocr_conf, c.page, c.bbox, c.order)


def reference_years(doc: DocText) -> tuple[int, ...]:
    """Years the document's serial number states (two digits → 19yy/20yy as for dates)."""
    years = set()
    for pattern in SERIAL_YEARS:
        for m in pattern.finditer(doc.joined):
            y = int(m.group("y"))
            if y < 100:
                y += 1900 if y >= DEFAULT_PIVOT else 2000
            years.add(y)
    return tuple(sorted(years))


def gender_candidates(doc: DocText, field: str = "gender", rule: float = 0.85) -> list[FieldCandidate]:
    out = []
    for m in GENDER_NOTE.finditer(doc.joined):
        value = "male" if m.group("v") == "男" else "female"
        out.append(candidate_at(doc, field, value, m.start("v"), m.end("v"), rule))
    return out


def dates_in_context(
    doc: DocText, field: str, before: str | None, after: str | None, rule: float, window: int = 24
) -> list[FieldCandidate]:
    """Dates whose preceding text matches `before` (anchored at the date) and following text
    matches `after` (anchored at the date's end). Either may be None (no condition).
    Searched in the line-joined text, then in the flowing text (a date wrapped at a line end),
    the latter at a slightly lower confidence."""
    b_re = re.compile(f"(?:{before})$") if before else None
    a_re = re.compile(after) if after else None
    out, seen = [], set()
    years = reference_years(doc)
    for text, flow in ((doc.joined, None), *((f.text, f) for f in doc.flows)):
        for d in find_dates(text, years=years):
            pre = text[max(0, d.start - window):d.start]
            post = text[d.end:d.end + window]
            if (b_re is None or b_re.search(pre)) and (a_re is None or a_re.match(post)):
                s, e = flow.to_joined(d.start, d.end) if flow else (d.start, d.end)
                if (d.value, s) in seen:
                    continue
                seen.add((d.value, s))
                factor = (0.95 if flow else 1.0) * (REPAIRED_YEAR if d.repaired else 1.0)
                out.append(candidate_at(doc, field, d.value, s, e, rule * factor))
    return out


# ---- letter structure ----------------------------------------------------------------------


def _receipt_tops(doc: DocText) -> dict[int, int]:
    """Per page, the top of the first 回执 line (a tear-off receipt the addressee fills in)."""
    tops: dict[int, int] = {}
    for tl in doc.lines:
        if RECEIPT.search(tl.text):
            tops[tl.page] = min(tops.get(tl.page, tl.bbox[1]), tl.bbox[1])
    return tops


def letter_lines(doc: DocText) -> list[TLine]:
    """Lines in reading order, without any 回执 part."""
    tops = _receipt_tops(doc)
    return [tl for tl in doc.reading_order() if tl.page not in tops or (tl.bbox[1] + tl.bbox[3]) / 2 < tops[tl.page]]


def _closing(tl: TLine, years: tuple[int, ...] = ()) -> DateMatch | None:
    if tl.hits:
        return None  # labelled dates (签收日期, 开具日期, 有效期限 …) are not the letter's date
    dates = find_dates(tl.text, years=years)
    if not dates:
        return None
    d = dates[-1]
    before, after = tl.text[: d.start].strip(), tl.text[d.end:]
    if not _SEAL_ONLY.match(after):
        return None
    if before and (_PROSE_BEFORE_DATE.search(before) or not (_signature_like(before) or len(before) <= 2)):
        return None  # (one or two stray characters before the date are OCR noise from the seal)
    return d


def _signature_like(text: str) -> bool:
    s = SEAL_MARKS.sub("", text).strip()
    return s.endswith(UNIT_SUFFIXES) or text.rstrip().endswith((")", "）"))


def closing_match(doc: DocText) -> tuple[DateMatch, TLine] | None:
    """The bottom-most line that is just a date (or 'issuer (章) date'), and that date."""
    years = reference_years(doc)
    for tl in reversed(letter_lines(doc)):
        d = _closing(tl, years)
        if d is not None:
            return d, tl
    return None


def closing_date(doc: DocText, field: str, rule: float = 0.9) -> tuple[FieldCandidate, TLine] | None:
    """The closing date as a candidate (a completed truncated year at a lower confidence)."""
    found = closing_match(doc)
    if found is None:
        return None
    d, tl = found
    r = rule * (REPAIRED_YEAR if d.repaired else 1.0)
    return FieldCandidate(field, d.value, tl.raw(d.start, d.end), r, tl.conf, tl.page, tl.src_bbox, tl.order), tl


def signature_line(doc: DocText) -> TLine | None:
    """The closing date's line; without one, the bottom-most bare date tail ("十四日")."""
    closing = closing_date(doc, "issue_date")
    if closing:
        return closing[1]
    for tl in reversed(letter_lines(doc)):
        if not tl.hits and _DATE_TAIL.match(tl.text):
            return tl
    return None


Display = Callable[[str], str]


def _unit_in(text: str, display: Display = normalize_unit) -> tuple[str, int, int] | None:
    """The unit name in a signature line: text minus seal marks, ending with a unit suffix."""
    for m in re.finditer(r"\S+", text):
        token = m.group()
        value = normalize_unit(token)
        if value.endswith(UNIT_SUFFIXES) and sum(is_han(c) for c in value) >= 3:
            return display(token), m.start(), m.end()
    return None


def issuer_unit(
    doc: DocText, field: str, date_line: TLine, rule: float = 0.85, display: Display = normalize_unit
) -> FieldCandidate | None:
    """The signing unit: before the date on its line, else the nearest signature line above.
    `display` makes the value (normalize_unit: a liquidation group named as its unit)."""
    dates = find_dates(date_line.text, years=reference_years(doc))
    prefix = date_line.text[: dates[-1].start] if dates else ""
    found = _unit_in(prefix, display)
    if found:
        value, s, e = found
        return FieldCandidate(field, value, date_line.raw(s, e), rule, date_line.conf, date_line.page, date_line.src_bbox, date_line.order)
    box = date_line.bbox
    h = layout.height(box)
    above = [
        tl
        for tl in doc.on_page(date_line.page)
        if tl is not date_line and tl.bbox[3] <= box[1] + 0.3 * h and box[1] - tl.bbox[3] <= 4 * h
        and (layout.h_overlap(box, tl.bbox) > 0 or abs(tl.bbox[2] - box[2]) <= 6 * h)
    ]
    for tl in sorted(above, key=lambda t: box[1] - t.bbox[3]):
        if _SEAL_ONLY.match(tl.text) or _CLOSING_NOISE.match(tl.text.strip()):
            continue
        if tl.text.rstrip().endswith(("。", ".")):
            return None  # a sentence of the body ("…转移至槐安县人才交流中心。") never signs a document
        found = None if tl.hits else _unit_in(tl.text, display)
        if found is None:
            if tl.hits or len(tl.text.strip()) > 12 or tl.text.rstrip().endswith(("。", ".")):
                return None  # body text or a labelled line: there is no signature above the date
            continue  # short junk (a seal's ring text read in pieces): look further up
        value, s, e = found
        return FieldCandidate(field, value, tl.raw(s, e), rule, tl.conf, tl.page, tl.src_bbox, tl.order)
    return None


def undated_signature(doc: DocText, field: str, rule: float = 0.7, display: Display = normalize_unit) -> FieldCandidate | None:
    """The signing unit of a letter whose date was not read (lost under the seal): the first
    line after the body's last sentence or closing words (特此证明, 此致 敬礼) that is a unit's
    name and nothing else but seal marks; none when a labelled line comes first."""
    lines = letter_lines(doc)
    ends = [i for i, tl in enumerate(lines) if _CLOSING_NOISE.match(tl.text.strip()) or tl.text.rstrip().endswith(("。", "."))]
    for tl in lines[ends[-1] + 1:] if ends else []:
        if tl.hits:
            return None
        found = _unit_in(tl.text, display)
        if found and _SEAL_ONLY.match(tl.text[: found[1]] + tl.text[found[2]:]):
            value, s, e = found
            return FieldCandidate(field, value, tl.raw(s, e), rule, tl.conf, tl.page, tl.src_bbox, tl.order)
    return None


def receipt_orders(doc: DocText) -> set[int]:
    """Orders of the lines in a 回执 tear-off (the receiving unit fills it in and stamps it)."""
    kept = {tl.order for tl in letter_lines(doc)}
    return {tl.order for tl in doc.lines if tl.order not in kept}


_SEALED_TOKEN = re.compile(r"^(?P<u>\S+?)(?:" + SEAL_MARKS.pattern + r")$")
_TITLE_WORDS = re.compile(r"(?:介\s*绍\s*信|证\s*明\s*书?|通\s*知\s*书?|决\s*定)$")
LETTERHEAD_LINES = 3  # how many lines at the top of the first page may hold a letterhead


def seal_line_units(doc: DocText, field: str, rule: float = 0.8) -> list[FieldCandidate]:
    """The bottom-most unit name followed by a seal mark (青河县民政局（章）), outside a 回执."""
    for tl in reversed(letter_lines(doc)):
        for m in re.finditer(r"\S+", tl.text):
            sealed = _SEALED_TOKEN.match(m.group())
            if sealed is None or any(h.start <= m.start() < h.end for h in tl.hits):
                continue
            found = _unit_in(m.group(), normalize_issuer)
            if found:
                return [FieldCandidate(field, found[0], tl.raw(m.start(), m.end()), rule, tl.conf, tl.page, tl.src_bbox, tl.order)]
    return []


def letterhead_units(doc: DocText, field: str, rule: float = 0.7) -> list[FieldCandidate]:
    """A unit name heading the first page (梅岗县民政局 above 介绍信; "XX县民政局 介绍信")."""
    if not doc.lines:
        return []
    first = doc.lines[0].page
    top = [tl for tl in doc.reading_order() if tl.page == first][:LETTERHEAD_LINES]
    for tl in top:
        if tl.hits or ":" in tl.text or _BODY.search(tl.text):
            break
        text = _TITLE_WORDS.sub("", tl.text.strip()).strip()
        value = normalize_issuer(text)
        if value and all(is_han(c) for c in value) and len(value) >= 4 and normalize_unit(value).endswith(UNIT_SUFFIXES):
            return [FieldCandidate(field, value, tl.raw(0, len(text)), rule, tl.conf, tl.page, tl.src_bbox, tl.order)]
    return []


def issuer_candidates(doc: DocText, field: str = "issuer") -> list[FieldCandidate]:
    """Who issued the document: signing unit, else a sealed unit name at the bottom, else a
    letterhead (see the module doc)."""
    out = []
    signed = signature_line(doc)
    if signed is not None:
        found = issuer_unit(doc, field, signed, 0.85, display=normalize_issuer)
        if found:
            out.append(found)
    return out + seal_line_units(doc, field) + letterhead_units(doc, field)


def flow_candidates(
    doc: DocText, field: str, pattern: re.Pattern, convert: Callable[[str], str | None], rule: float, group: str = "v"
) -> list[FieldCandidate]:
    """regex_candidates over `doc.flows` (line texts without separators): a value wrapped at a
    line end is found whole."""
    out, seen = [], set()
    for flow in doc.flows:
        for m in pattern.finditer(flow.text):
            value = convert(m.group(group))
            if value:
                s, e = flow.to_joined(m.start(group), m.end(group))
                if (value, s, e) not in seen:
                    seen.add((value, s, e))
                    out.append(candidate_at(doc, field, value, s, e, rule))
    return out


_BODY = re.compile(r"兹\s*(?:介\s*绍|有|证\s*明)|前往\s*(?:你|贵)\s*单\s*位|到\s*(?:你|贵)\s*单\s*位")
_ADDRESSEE = re.compile(r"(?P<v>[^\s:]+?)\s*:\s*$")
_ADDRESSEE_TAIL = re.compile(r"(?:负责同志|负责人|领导同志|领导)$")


def addressee_unit(doc: DocText, field: str, rule: float = 0.9) -> list[FieldCandidate]:
    """Unit names on lines ending in ':' above the letter body (青河县化肥厂：)."""
    body = _BODY.search(doc.joined)
    last = doc.locate(body.start())[0].order if body else min(len(doc.lines) - 1, 8)
    out = []
    for tl in doc.lines[: last + 1]:
        m, line_rule = _ADDRESSEE.search(tl.text), rule
        if m is None:
            right = doc.right_of(tl, tl.bbox)
            if right and right[0].text.strip().startswith(":") and ":" not in tl.text:
                m = re.search(r"(?P<v>\S+)\s*$", tl.text)  # "青河县化肥厂" + a separate "：" box
            elif ":" not in tl.text and _flush_left(doc, tl):
                # a colon lost to the OCR or never typed: a unit name alone on its line at the
                # left margin, above the body, is still whom the letter is addressed to
                m, line_rule = re.fullmatch(r"\s*(?P<v>\S+)\s*", tl.text), rule * NO_COLON
            if m is None:
                continue
        text = re.sub(r"^.*?第\s*\d+\s*号", "", m.group("v"))  # serial glued on: (97)青安字第056号青河县化肥厂
        value = _ADDRESSEE_TAIL.sub("", normalize_unit(text))
        if (
            value.endswith("同志")
            or "、" in value
            or any(h.start == 0 for h in find_labels(value))
            or not value.endswith(UNIT_SUFFIXES)
            or sum(is_han(c) for c in value) < 3
            or is_document_number(value)  # the letter's number under its title: 桐安〔2001〕50号
        ):
            continue
        s = m.start("v") + (len(m.group("v")) - len(text))
        out.append(FieldCandidate(field, value, tl.raw(s, m.end("v")), line_rule, tl.conf, tl.page, tl.src_bbox, tl.order))
    return out


NO_COLON = 0.85


def _flush_left(doc: DocText, tl: TLine) -> bool:
    """tl starts at the page's left text margin (within a few characters' indent), as an
    addressee does; a letterhead or a title is centred."""
    margin = min(o.bbox[0] for o in doc.on_page(tl.page))
    return tl.bbox[0] - margin <= 4 * layout.height(tl.bbox)
