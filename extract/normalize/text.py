"""Small text helpers shared by the normalisers: NFKC with an index map back to the original."""
from __future__ import annotations

import re
import unicodedata

# CJK unified ideographs (basic block + extension A); enough for names and units on our forms.
HAN = "\u3400-\u4dbf\u4e00-\u9fff"
HAN_RE = re.compile(f"[{HAN}]")
HAN_RUN_RE = re.compile(f"[{HAN}]+")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def nfkc_map(text: str) -> tuple[str, list[int]]:
    """NFKC-normalise `text` char by char; also return, for every output char, its input index.

    The map has one extra entry (len(text)) so that an output span [s, e) maps back to the input
    span [idx[s], idx[e]). Per-character NFKC equals whole-string NFKC for the scripts we read
    (no combining sequences in Chinese OCR output)."""
    out: list[str] = []
    idx: list[int] = []
    for i, ch in enumerate(text or ""):
        norm = unicodedata.normalize("NFKC", ch) if ord(ch) > 127 else ch
        for c in norm:
            out.append(c)
            idx.append(i)
    idx.append(len(text or ""))
    return "".join(out), idx


def is_han(ch: str) -> bool:
    return bool(ch) and HAN_RE.fullmatch(ch) is not None


def squeeze(text: str | None) -> str:
    """NFKC, then remove every whitespace character (OCR puts spaces inside names and numbers;
    clerks letter-space header cells: `姓  名`)."""
    return "".join(nfkc(text or "").split())


_SERIAL_BRACKETS = str.maketrans({"[": "〔", "【": "〔", "]": "〕", "】": "〕"})


def serial(text: str | None) -> str:
    """A document serial number as stored: squeezed, and the year's brackets as 〔〕 whichever
    way OCR read them (梅民安字[2000]第138号 → 梅民安字〔2000〕第138号); round brackets stay ((97)…)."""
    return squeeze(text).translate(_SERIAL_BRACKETS)
