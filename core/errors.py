"""One family of errors for what a user did, and what happens to everything else.

- ``UserError`` and its members: what a clerk, reviewer or administrator gave cannot be used. Each
  has a stable ``code`` (the report's and the API's) and a Chinese message that names the file, row
  or value and says why in plain words. They are shown as they are, never with a traceback.
- Any other exception is a bug in casefile: ``incident()`` logs it with its traceback (ID numbers
  masked) under a short incident id, and the user is told that id, not the exception's text.
- ``ExitCode``: the only exit statuses the command line uses.
"""
from __future__ import annotations

import logging
import re
import traceback
import uuid
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    NOT_READY = 1  # `casefile health`: no worker answers (monitors rely on it)
    USER_ERROR = 2  # what the user gave cannot be used (also click's usage errors)
    BUG = 70  # an internal error, logged with an incident id (sysexits EX_SOFTWARE)


class CasefileError(Exception):
    """Base of every error casefile raises on purpose."""

    code = "error"

    def __init__(self, message: str = ""):
        super().__init__(message)
        self.message = message


class UserError(CasefileError):
    """What a user did or gave cannot be used; the message (zh-CN) says which and why."""

    code = "user_error"
    exit_code = ExitCode.USER_ERROR


class InputError(UserError):
    """A file of the batch cannot be processed; the rest of the batch goes on."""

    code = "bad_input"


class EmptyFile(InputError):
    code = "empty_file"


class UnsupportedFile(InputError):
    code = "unsupported_file"


class CorruptFile(InputError):
    code = "corrupt_file"


class EncryptedPdf(InputError):
    code = "encrypted_pdf"


class EmptyPdf(InputError):
    code = "empty_pdf"


class UnsafeArchive(InputError):
    code = "unsafe_archive"


class EncryptedArchive(InputError):
    code = "encrypted_archive"


class EmptyArchive(InputError):
    code = "empty_archive"


class TooLarge(InputError):
    code = "too_large"


class TooManyPages(TooLarge):
    code = "too_many_pages"


class ArchiveBomb(TooLarge):
    """Nested archives or an expansion beyond the upload's decompression budget."""

    code = "archive_bomb"


class Unreadable(InputError):
    """Missing, a dangling or looping link, no permission: the file itself cannot be read."""

    code = "unreadable"


class FormError(UserError):
    """A value typed into a form or sent to the API is not what the field takes."""

    code = "bad_form_value"


class NotFound(UserError):
    """The object a user acted on does not exist (any more)."""

    code = "not_found"


class OcrFailed(CasefileError):
    code = "ocr_failed"


class OcrTimeout(OcrFailed):
    code = "ocr_timeout"


# --- bugs ---------------------------------------------------------------------------------------

incident_log = logging.getLogger("casefile.incident")


def incident(exc: BaseException, where: str = "") -> str:
    """Log an unexpected exception with its traceback and return the incident id to show the user.
    The text goes through core.privacy's masking, so an ID number quoted by it is never logged."""
    from core.privacy import mask_ids_in_text

    ident = uuid.uuid4().hex[:10]
    # Masked here, not only by the handlers' filter: before Django configures logging there is none.
    trace = mask_ids_in_text("".join(traceback.format_exception(exc)))
    where = f" in {mask_ids_in_text(where)}" if where else ""
    incident_log.error("incident %s%s: %s\n%s", ident, where, type(exc).__name__, trace.rstrip())
    return ident


def bug_message(ident: str) -> str:
    return f"内部错误（事件编号 {ident}）：这是 casefile 的缺陷，不是您所给内容的问题；详情已记入日志，请把事件编号告知维护人员"


# --- plain words for validation problems ----------------------------------------------------------

_PYDANTIC_ZH = {
    "extra_forbidden": lambda ctx: "未知的设置项",
    "missing": lambda ctx: "缺少该项",
    "greater_than_equal": lambda ctx: f"应不小于 {ctx.get('ge')}",
    "greater_than": lambda ctx: f"应大于 {ctx.get('gt')}",
    "less_than_equal": lambda ctx: f"应不大于 {ctx.get('le')}",
    "less_than": lambda ctx: f"应小于 {ctx.get('lt')}",
    "int_parsing": lambda ctx: "应为整数",
    "int_type": lambda ctx: "应为整数",
    "int_from_float": lambda ctx: "应为整数",
    "float_parsing": lambda ctx: "应为数字",
    "float_type": lambda ctx: "应为数字",
    "bool_parsing": lambda ctx: "应为 true 或 false",
    "bool_type": lambda ctx: "应为 true 或 false",
    "string_type": lambda ctx: "应为文字",
    "list_type": lambda ctx: "应为列表",
    "tuple_type": lambda ctx: "应为列表",
    "dict_type": lambda ctx: "应为表",
    "literal_error": lambda ctx: f"应为 {ctx.get('expected')} 之一",
    "enum": lambda ctx: f"应为 {ctx.get('expected')} 之一",
    "too_short": lambda ctx: f"至少需要 {ctx.get('min_length')} 项",
    "too_long": lambda ctx: f"至多 {ctx.get('max_length')} 项",
}


def describe_validation(errors: list[dict]) -> str:
    """pydantic's error list as '<key>：<reason>' in Chinese; our own validators' messages (value_error)
    are kept without pydantic's 'Value error, ' prefix."""
    parts = []
    for error in errors:
        where = ".".join(str(p) for p in error.get("loc", ()))
        kind = error.get("type", "")
        if kind in _PYDANTIC_ZH:
            reason = _PYDANTIC_ZH[kind](error.get("ctx") or {})
        else:
            reason = re.sub(r"^(Value|Assertion) error, ", "", str(error.get("msg", "")))
        parts.append(f"{where}：{reason}" if where else reason)
    return "；".join(parts)
