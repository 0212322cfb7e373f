"""Walking paths and reading drafts, with errors that name the file and the cause.

Decoding is strict: UTF-8 (with or without a BOM), or UTF-16/32 when a BOM says so. A file
that is not valid in its encoding is reported with the byte offset of the first bad byte
rather than guessed at, because a guessed decoding would put findings at wrong columns and
a ``--fix`` could corrupt the file.
"""
from __future__ import annotations

import codecs
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Sequence

from fnmatch import fnmatch

DEFAULT_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class ReadError(Exception):
    """A file could not be read or decoded; the message names the file and the cause."""


class SkipFile(Exception):
    """A file that is deliberately not linted (binary); the message says why."""


@dataclass(frozen=True)
class Source:
    """A decoded draft and what is needed to write it back unchanged in form."""

    path: str
    text: str
    encoding: str
    bom: bytes
    raw_size: int


def decode(data: bytes, path: str = "<bytes>") -> Source:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            break
    else:
        bom, encoding, body = b"", "utf-8", data
    if not bom and b"\x00" in data[:8192] and encoding == "utf-8":
        raise SkipFile(f"{path}: binary file (NUL bytes), skipped")
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as err:
        offset = err.start + len(bom)
        raise ReadError(f"{path}: not valid {encoding.upper()}: byte 0x{body[err.start]:02x} at offset "
                        f"{offset} ({err.reason}); convert the file to UTF-8") from None
    return Source(path, text, encoding, bom, len(data))


def read_source(path: Path) -> Source:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReadError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ReadError(f"{path}: is a directory") from None
    except PermissionError:
        raise ReadError(f"{path}: permission denied") from None
    except OSError as err:
        raise ReadError(f"{path}: cannot read: {err.strerror or err}") from None
    return decode(data, str(path))


def read_text(path: Path) -> str:
    return read_source(path).text


#: ``accept(path, kind)`` decides, per file, what a configuration includes; ``kind`` is
#: "explicit" (named on the command line), "file" (found in a folder) or "dir" (a folder
#: about to be walked). Given, it replaces the suffix and ``exclude`` filters.
Accept = Callable[[Path, str], bool]


def iter_paths(paths: Sequence[str], suffixes: Sequence[str] = DEFAULT_SUFFIXES,
               exclude: Sequence[str] = (), accept: Accept | None = None,
               ) -> Iterator[tuple[str, Path | None, str | None]]:
    """(display path, path or None for stdin, error) for every file to lint, in order.

    Folders are walked in sorted order; symlinked folders are followed once (a loop is
    reported, not followed forever). Files named explicitly are linted whatever their
    suffix; files found in folders only when their suffix is one of ``suffixes``.
    """
    if accept is None:
        def accept(p: Path, kind: str) -> bool:
            if _excluded(p, exclude):
                return False
            return kind != "file" or p.suffix.lower() in suffixes
    for arg in paths:
        if arg == "-":
            yield "-", None, None
            continue
        p = Path(arg)
        if p.is_dir():
            yield from _walk(p, accept)
        elif p.exists() or p.is_symlink():
            if accept(p, "explicit"):
                yield str(p), p, None
        else:
            yield str(p), p, f"{p}: no such file or directory"


def _excluded(p: Path, exclude: Sequence[str]) -> bool:
    posix = p.as_posix()
    return any(fnmatch(posix, g) or fnmatch(posix, f"*/{g}") or fnmatch(p.name, g) for g in exclude)


def _walk(root: Path, accept: Accept) -> Iterator[tuple[str, Path | None, str | None]]:
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            st = folder.stat()
        except OSError as err:
            yield str(folder), folder, f"{folder}: cannot read folder: {err.strerror or err}"
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen:
            yield str(folder), folder, f"{folder}: symlink loop, not followed"
            continue
        seen.add(key)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as err:
            yield str(folder), folder, f"{folder}: cannot list folder: {err.strerror or err}"
            continue
        subdirs = []
        for entry in entries:
            p = Path(entry.path)
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if accept(p, "dir"):
                    subdirs.append(p)
            elif accept(p, "file"):
                yield str(p), p, None
        stack.extend(reversed(subdirs))
