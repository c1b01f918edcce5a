"""Masking for logs and operator output: personal data never appears unmasked."""
from __future__ import annotations

import logging
import re


def mask_id(value: str | None) -> str:
    """'360899197503141518' -> '3608**********1518'."""
    if not value:
        return "-"
    value = str(value)
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_name(value: str | None) -> str:
    """'周立新' -> '周**'."""
    if not value:
        return "-"
    return value[0] + "*" * (len(value) - 1)


# 18-digit (check character 0-9/X) and 15-digit ID numbers standing alone in free text.
_ID_IN_TEXT = re.compile(r"(?<![0-9])([0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9Xx])")


def mask_ids_in_text(text: str) -> str:
    """Every ID number in a piece of text masked: a last line of defence for log messages and
    tracebacks that may quote a value (names cannot be recognised this way; code must not log them)."""
    return _ID_IN_TEXT.sub(lambda m: mask_id(m.group(1)), text)


class MaskIdNumbers(logging.Filter):
    """Logging filter: the formatted message and any traceback with ID numbers masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_ids_in_text(record.getMessage())
        record.args = ()
        if record.exc_info:
            record.exc_text = mask_ids_in_text(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True
