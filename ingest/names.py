"""File names as they arrive: on disk (bytes, often GBK from a Windows archive), inside ZIPs (an
encoding flag that Windows' own zip never sets), and on a console (a name may hold a newline)."""
from __future__ import annotations

import os
import struct
import unicodedata
import zipfile
import zlib

# What Chinese Windows writes: GBK, of which GB18030 is a superset.
LEGACY_ENCODING = "gb18030"


def decode_name_bytes(raw: bytes) -> str:
    """UTF-8, else GB18030, else a lossless escape (every undecodable byte as \\xNN)."""
    for encoding in ("utf-8", LEGACY_ENCODING):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "backslashreplace")


def disk_name(name: str) -> tuple[str, bytes | None]:
    """A path (component) from the file system: its text, and its raw bytes when they were not
    UTF-8 (Python then hands us lone surrogates, which no database column can hold)."""
    try:
        name.encode("utf-8")
        return name, None
    except UnicodeEncodeError:
        raw = os.fsencode(name)
        return "/".join(decode_name_bytes(part) for part in raw.split(b"/")), raw


_UTF8_FLAG = 0x800
_UNICODE_PATH_EXTRA = 0x7075  # Info-ZIP Unicode Path Extra Field (7-Zip, WinRAR write it)


def zip_entry_name(info: zipfile.ZipInfo) -> tuple[str, bytes]:
    """An entry's name and its raw bytes. The UTF-8 flag is believed; else the Unicode Path extra
    field when its CRC matches the raw name; else UTF-8 (macOS omits the flag), GB18030 (Windows'
    built-in zip in a Chinese office), and cp437 as the ZIP specification says."""
    if info.flag_bits & _UTF8_FLAG:
        return info.filename, info.filename.encode("utf-8")
    raw = info.filename.encode("cp437")  # zipfile decoded the raw bytes as cp437: undo it
    unicode_path = _unicode_path_extra(info.extra, raw)
    if unicode_path is not None:
        return unicode_path, raw
    for encoding in ("utf-8", LEGACY_ENCODING):
        try:
            return raw.decode(encoding), raw
        except UnicodeDecodeError:
            continue
    return info.filename, raw


def _unicode_path_extra(extra: bytes, raw: bytes) -> str | None:
    at = 0
    while at + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, at)
        body = extra[at + 4 : at + 4 + size]
        at += 4 + size
        if tag == _UNICODE_PATH_EXTRA and len(body) >= 5 and body[0] == 1:
            if struct.unpack_from("<I", body, 1)[0] != zlib.crc32(raw):
                return None  # the name was changed after the field was written: stale
            try:
                return body[5:].decode("utf-8")
            except UnicodeDecodeError:
                return None
    return None


def printable(text: str) -> str:
    """Text safe to print on one console line: control characters (newlines, escapes) and the
    bidirectional overrides a hostile name may hold shown as \\n, \\x1b, \\u202e."""
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if ch in "\n\r\t":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}[ch])
        elif category in ("Cc", "Cs") or (category == "Cf" and ch in _BIDI):
            out.append(ch.encode("unicode_escape", "backslashreplace").decode("ascii"))
        else:
            out.append(ch)
    return "".join(out)


_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
