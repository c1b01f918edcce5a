"""Errors a clerk can read. Each has a stable code for the CLI and the report."""
from __future__ import annotations


class CasefileError(Exception):
    code = "error"


class InputError(CasefileError):
    """A file of the batch cannot be processed; the rest of the batch goes on."""

    code = "bad_input"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class EmptyFile(InputError):
    code = "empty_file"


class UnsupportedFile(InputError):
    code = "unsupported_file"


class CorruptFile(InputError):
    code = "corrupt_file"


class EncryptedPdf(InputError):
    code = "encrypted_pdf"


class UnsafeArchive(InputError):
    code = "unsafe_archive"


class TooLarge(InputError):
    code = "too_large"


class OcrFailed(CasefileError):
    code = "ocr_failed"


class OcrTimeout(OcrFailed):
    code = "ocr_timeout"
