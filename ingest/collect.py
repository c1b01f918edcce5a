"""Walk files, folders and ZIP archives into uploads, never losing one silently."""
from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from core.errors import CorruptFile, InputError, TooLarge, UnsafeArchive
from ingest.sniff import sniff

SKIPPED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


@dataclass(frozen=True)
class Upload:
    source: str  # path relative to the INPUT given, forward slashes; "a.zip/inner/b.jpg" in archives
    data: bytes
    kind: str  # jpeg / png / tiff / pdf


@dataclass(frozen=True)
class UploadError:
    source: str
    code: str
    message: str


def collect(inputs: list[Path], max_file_bytes: int) -> Iterator[Upload | UploadError]:
    """Yield every scan found under ``inputs`` in a stable order, or an error naming it."""
    for root in inputs:
        if root.is_dir():
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                if path.name in SKIPPED_NAMES:
                    continue
                yield from _from_file(path, path.relative_to(root).as_posix(), max_file_bytes)
        elif root.is_file():
            yield from _from_file(root, root.name, max_file_bytes)
        else:
            yield UploadError(str(root), "not_found", f"{root}：文件或文件夹不存在")


def _from_file(path: Path, source: str, max_file_bytes: int) -> Iterator[Upload | UploadError]:
    try:
        _check_size(source, path.stat().st_size, max_file_bytes)
        data = path.read_bytes()
    except InputError as exc:
        yield UploadError(source, exc.code, exc.message)
        return
    except OSError as exc:
        yield UploadError(source, "unreadable", f"{source}：无法读取文件（{exc.strerror}）")
        return
    yield from from_bytes(source, data, max_file_bytes)


def from_bytes(source: str, data: bytes, max_file_bytes: int) -> Iterator[Upload | UploadError]:
    """One uploaded file's bytes: a scan, or a ZIP expanded in memory (never onto disk)."""
    try:
        _check_size(source, len(data), max_file_bytes)
        kind = sniff(data, source)
    except InputError as exc:
        yield UploadError(source, exc.code, exc.message)
        return
    if kind != "zip":
        yield Upload(source, data, kind)
        return
    yield from _expand_zip(source, data, max_file_bytes)


def _check_size(source: str, size: int, max_file_bytes: int) -> None:
    if size > max_file_bytes:
        raise TooLarge(f"{source}：文件过大（{size // 1048576} MB），上限 {max_file_bytes // 1048576} MB")


def _expand_zip(source: str, data: bytes, max_file_bytes: int) -> Iterator[Upload | UploadError]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        err = CorruptFile(f"{source}：ZIP 压缩包已损坏，无法打开（{exc}）")
        yield UploadError(source, err.code, err.message)
        return
    with archive:
        for info in sorted(infos, key=lambda i: i.filename):
            if info.is_dir():
                continue
            inner = info.filename.replace("\\", "/")
            member = f"{source}/{inner}"
            if _unsafe_member(inner):
                err = UnsafeArchive(
                    f"{member}：压缩包中的路径“{inner}”指向压缩包之外（路径穿越），已拒绝该条目"
                )
                yield UploadError(member, err.code, err.message)
                continue
            if posixpath.basename(inner) in SKIPPED_NAMES or inner.startswith("__MACOSX/"):
                continue
            if info.file_size > max_file_bytes:
                err = TooLarge(f"{member}：解压后文件过大（{info.file_size // 1048576} MB）")
                yield UploadError(member, err.code, err.message)
                continue
            if info.flag_bits & 0x1:
                yield UploadError(member, "encrypted_archive", f"{member}：压缩包条目已加密，无法读取")
                continue
            try:
                inner_data = archive.read(info)
            except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
                yield UploadError(member, "corrupt_file", f"{member}：压缩包条目已损坏（{exc}）")
                continue
            yield from from_bytes(member, inner_data, max_file_bytes)


def _unsafe_member(name: str) -> bool:
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return True
    return ".." in posixpath.normpath(name).split("/")
