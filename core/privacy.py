"""Masking for logs and operator output: personal data never appears unmasked."""
from __future__ import annotations


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
