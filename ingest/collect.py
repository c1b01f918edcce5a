"""Walk files, folders and ZIP archives into uploads, never losing one silently.

Every input ends as an ``Upload`` or an ``UploadError`` naming it: a folder or archive with nothing
to read, a dangling or looping link, a special file, a name that is not UTF-8 (decoded, its raw
bytes kept), an archive nested too deep or expanding past the upload's one decompression budget.
"""
from __future__ import annotations

import errno
import io
import os
import posixpath
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from core.errors import (
    ArchiveBomb,
    CorruptFile,
    EmptyArchive,
    EncryptedArchive,
    InputError,
    TooLarge,
    Unreadable,
    UnsafeArchive,
    UnsupportedFile,
    incident,
)
from ingest.names import disk_name, zip_entry_name
from ingest.options import IngestOptions
from ingest.sniff import sniff

SKIPPED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini", "ehthumbs.db"}
SKIPPED_DIRS = {"__MACOSX", ".Spotlight-V100", ".Trashes", ".fseventsd"}


@dataclass(frozen=True)
class Upload:
    source: str  # path relative to the INPUT given, forward slashes; "a.zip/inner/b.jpg" in archives
    data: bytes
    kind: str  # jpeg / png / tiff / pdf
    raw_name: bytes | None = None  # the name's bytes when it was not UTF-8 (decoded in source)


@dataclass(frozen=True)
class UploadError:
    source: str
    code: str
    message: str
    raw_name: bytes | None = None


def _skipped(name: str) -> bool:
    return name in SKIPPED_NAMES or name.startswith("._")  # ._x: macOS AppleDouble metadata


@dataclass
class _Budget:
    """One decompression budget per upload: every archive inside it, however deep, draws on it."""

    bytes_left: int
    entries_left: int
    exhausted: bool = False  # said once, on the entry that broke it; nothing more is expanded


def collect(inputs: list[Path], options: IngestOptions) -> Iterator[Upload | UploadError]:
    """Yield every scan found under ``inputs`` in a stable order, or an error naming it."""
    for root in inputs:
        root = Path(root)
        shown, raw = disk_name(str(root))
        try:
            info = root.lstat()
        except OSError:
            yield UploadError(shown, "not_found", f"{shown}：文件或文件夹不存在", raw)
            continue
        if stat.S_ISLNK(info.st_mode):
            problem = _link_problem(root, shown)
            if problem:
                yield problem
                continue
        if root.is_dir():
            yield from _from_folder(root, shown, options)
        elif not root.is_file():  # a pipe would block the read for ever
            yield UploadError(shown, Unreadable.code, f"{shown}：不是普通文件（设备、管道或套接字），已跳过", raw)
        else:
            name, raw = disk_name(root.name)
            yield from _from_path(root, name, raw, options)


def _link_problem(path: Path, shown: str) -> UploadError | None:
    """A symbolic link that leads nowhere, or to itself."""
    try:
        path.stat()
        return None
    except FileNotFoundError:
        return UploadError(shown, Unreadable.code, f"{shown}：这是一个快捷链接（符号链接），其指向的文件不存在")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return UploadError(shown, Unreadable.code, f"{shown}：这是一个循环的符号链接（指向自身），无法读取")
        return UploadError(shown, Unreadable.code, f"{shown}：符号链接无法读取")


def _from_folder(root: Path, shown_root: str, options: IngestOptions) -> Iterator[Upload | UploadError]:
    seen_dirs: set[tuple[int, int]] = set()
    yielded = skipped = 0

    def walk(folder: Path, rel: str) -> Iterator[Upload | UploadError]:
        nonlocal yielded, skipped
        info = folder.stat()
        if (info.st_dev, info.st_ino) in seen_dirs:  # a link back to a folder already walked
            name, raw = disk_name(rel)
            yielded += 1
            yield UploadError(name, Unreadable.code, f"{name}：符号链接指回上层文件夹（循环），已跳过", raw)
            return
        seen_dirs.add((info.st_dev, info.st_ino))
        try:
            entries = sorted(os.scandir(folder), key=lambda e: os.fsencode(e.name))
        except OSError as exc:
            name, raw = disk_name(rel or shown_root)
            yielded += 1
            yield UploadError(name, Unreadable.code, f"{name}：文件夹无法读取（{_os_reason(exc)}）", raw)
            return
        for entry in entries:
            rel_path = f"{rel}/{entry.name}" if rel else entry.name
            path = Path(entry.path)
            if entry.is_symlink():
                problem = _link_problem(path, disk_name(rel_path)[0])
                if problem:
                    yielded += 1
                    yield UploadError(problem.source, problem.code, problem.message, disk_name(rel_path)[1])
                    continue
            try:
                is_dir = entry.is_dir()
                mode = entry.stat().st_mode
            except OSError as exc:
                name, raw = disk_name(rel_path)
                yielded += 1
                yield UploadError(name, Unreadable.code, f"{name}：无法读取（{_os_reason(exc)}）", raw)
                continue
            if is_dir:
                if entry.name in SKIPPED_DIRS:
                    skipped += 1
                    continue
                yield from walk(path, rel_path)
            elif _skipped(entry.name):
                skipped += 1
            elif not stat.S_ISREG(mode):
                name, raw = disk_name(rel_path)
                yielded += 1
                yield UploadError(name, Unreadable.code, f"{name}：不是普通文件（设备、管道或套接字），已跳过", raw)
            else:
                name, raw = disk_name(rel_path)
                yielded += 1
                yield from _from_path(path, name, raw, options)

    yield from walk(root, "")
    if not yielded:
        what = "只有系统文件（如 Thumbs.db、.DS_Store、__MACOSX）" if skipped else "是空的"
        yield UploadError(shown_root, EmptyArchive.code, f"{shown_root}：文件夹{what}，没有可处理的扫描件")


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "没有读取权限"
    if isinstance(exc, FileNotFoundError):
        return "文件已不存在"
    return "读取出错"


def _from_path(path: Path, source: str, raw: bytes | None, options: IngestOptions) -> Iterator[Upload | UploadError]:
    try:
        _check_size(source, path.stat().st_size, options.max_file_bytes)
        data = path.read_bytes()
    except InputError as exc:
        yield UploadError(source, exc.code, exc.message, raw)
        return
    except OSError as exc:
        yield UploadError(source, Unreadable.code, f"{source}：无法读取文件（{_os_reason(exc)}）", raw)
        return
    yield from from_bytes(source, data, options, raw_name=raw)


def from_bytes(
    source: str, data: bytes, options: IngestOptions, raw_name: bytes | None = None
) -> Iterator[Upload | UploadError]:
    """One uploaded file's bytes: a scan, or a ZIP expanded in memory (never onto disk) within one
    decompression budget for the whole upload."""
    budget = _Budget(options.max_unpacked_bytes, options.max_archive_entries)
    try:
        yield from _item(source, data, options, raw_name, budget, depth=0)
    except Exception as exc:  # a bug must cost this upload only, and say so
        ident = incident(exc, "ingest.collect")
        yield UploadError(source, "internal_error", f"{source}：处理该文件时发生内部错误（事件编号 {ident}），请联系维护人员", raw_name)


def _item(source, data, options, raw_name, budget, depth) -> Iterator[Upload | UploadError]:
    try:
        _check_size(source, len(data), options.max_file_bytes)
        kind = sniff(data, source)
    except InputError as exc:
        yield UploadError(source, exc.code, exc.message, raw_name)
        return
    if kind != "zip":
        yield Upload(source, data, kind, raw_name)
        return
    if depth >= options.max_archive_depth:
        err = ArchiveBomb(f"{source}：压缩包嵌套超过 {options.max_archive_depth} 层，已拒绝（疑似压缩炸弹）")
        yield UploadError(source, err.code, err.message, raw_name)
        return
    yield from _expand_zip(source, data, options, raw_name, budget, depth)


def _check_size(source: str, size: int, max_file_bytes: int) -> None:
    if size > max_file_bytes:
        raise TooLarge(f"{source}：文件过大（{_mb(size)}），上限 {_mb(max_file_bytes)}")


def _mb(size: int) -> str:
    return f"{size / 1048576:.0f} MB" if size >= 1048576 else f"{size / 1024:.0f} KB"


_S_IFLNK = 0o120000


def _expand_zip(source, data, options, raw_name, budget, depth) -> Iterator[Upload | UploadError]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception:  # BadZipFile, OSError, ValueError, struct.error: the central directory lies
        err = CorruptFile(f"{source}：ZIP 压缩包已损坏或不完整，无法打开")
        yield UploadError(source, err.code, err.message, raw_name)
        return
    if not infos:
        yield UploadError(source, EmptyArchive.code, f"{source}：压缩包是空的（没有任何文件）", raw_name)
        return
    named = []
    for info in infos:
        name, raw = zip_entry_name(info)
        # Raw bytes are kept for the record only when the name was not UTF-8 to begin with.
        kept = None if raw == name.encode("utf-8", "surrogatepass") else raw
        named.append((name.replace("\\", "/"), kept, info))
    named.sort(key=lambda n: n[0])
    yielded = 0
    with archive:
        for index, (inner, member_raw, info) in enumerate(named):
            if budget.exhausted:
                return
            member = f"{source}/{inner}"
            if _unsafe_member(inner):
                err = UnsafeArchive(f"{member}：压缩包中的路径“{inner}”指向压缩包之外（路径穿越或绝对路径），已拒绝该条目")
                yielded += 1
                yield UploadError(member, err.code, err.message, member_raw)
                continue
            if inner.endswith("/"):
                continue
            parts = inner.split("/")
            if SKIPPED_DIRS.intersection(parts[:-1]) or _skipped(parts[-1]):
                continue
            if info.create_system == 3 and (info.external_attr >> 16) & 0o170000 == _S_IFLNK:
                err = UnsafeArchive(f"{member}：压缩包中的符号链接，可能指向本机的其他文件，已拒绝该条目")
                yielded += 1
                yield UploadError(member, err.code, err.message, member_raw)
                continue
            yielded += 1
            budget.entries_left -= 1
            if budget.entries_left < 0:
                left = len(named) - index
                budget.exhausted = True
                err = ArchiveBomb(f"{source}：压缩包中的文件超过 {options.max_archive_entries} 个，其余 {left} 个条目未解压")
                yield UploadError(source, err.code, err.message, raw_name)
                return
            if info.flag_bits & 0x1:
                err = EncryptedArchive(f"{member}：压缩包条目已加密（需要密码），无法读取")
                yield UploadError(member, err.code, err.message, member_raw)
                continue
            if info.file_size > options.max_file_bytes:
                err = TooLarge(f"{member}：解压后文件过大（{_mb(info.file_size)}），上限 {_mb(options.max_file_bytes)}")
                yield UploadError(member, err.code, err.message, member_raw)
                continue
            if info.file_size > budget.bytes_left:
                budget.exhausted = True
                err = ArchiveBomb(
                    f"{member}：解压总量超过本次上传的上限 {_mb(options.max_unpacked_bytes)}（疑似压缩炸弹），"
                    f"该条目及其后 {len(named) - index - 1} 个条目未解压"
                )
                yield UploadError(member, err.code, err.message, member_raw)
                return
            try:
                # zipfile stops at the declared size and checks the CRC: a lying header cannot inflate more.
                inner_data = archive.read(info)
            except NotImplementedError:
                yield UploadError(member, UnsupportedFile.code, f"{member}：压缩包条目使用了不支持的压缩方式，请用常规 ZIP（Deflate）重新压缩", member_raw)
                continue
            except Exception:  # BadZipFile (bad CRC), zlib.error, EOFError, OSError
                yield UploadError(member, CorruptFile.code, f"{member}：压缩包条目已损坏或不完整，无法解压", member_raw)
                continue
            budget.bytes_left -= len(inner_data)
            yield from _item(member, inner_data, options, member_raw, budget, depth + 1)
    if not yielded:
        yield UploadError(
            source, EmptyArchive.code,
            f"{source}：压缩包中没有可处理的文件（只有文件夹或 __MACOSX、Thumbs.db 等系统文件）", raw_name,
        )


def _unsafe_member(name: str) -> bool:
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return True
    return ".." in posixpath.normpath(name).split("/")
