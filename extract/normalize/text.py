"""Small text helpers shared by the normalisers: NFKC with an index map back to the original."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # imported here: the C++ converter loads its dictionaries once per process

    return opencc.OpenCC("t2s")


def _simplified_only(ch: str) -> bool:
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def simplified(text: str) -> str:
    """Traditional characters as their simplified forms (縣 → 县, 國 → 国), by OpenCC. Only a
    character outside GB 2312 is converted: one inside it is itself simplified usage, and a
    name's 乾 or 於 stays as written (OpenCC would make them 干 and 于)."""
    if _simplified_only(text):
        return text  # the common case, without a call into the converter
    converted = _t2s().convert(text)
    if len(converted) != len(text):  # a phrase mapped to another length: convert char by char
        converted = "".join(_t2s().convert(ch) for ch in text)
    return "".join(ch if _simplified_only(ch) or len(new) != 1 else new for ch, new in zip(text, converted))


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
