"""Walking paths and reading drafts, with errors that name the file and the cause.

Decoding is strict and never guesses:

1. a byte-order mark decides (UTF-8, UTF-16 or UTF-32);
2. otherwise the file is read as UTF-8;
3. a file that is not valid UTF-8 but declares its encoding (``<meta charset=...>``, an
   HTML ``http-equiv`` content type or an XML declaration in its first 1024 bytes) is
   read in the encoding it declares;
4. anything else is a :class:`ReadError` naming the byte offset and line of the first bad
   byte. A guessed decoding would put findings at wrong columns, and ``--fix`` could
   corrupt the file when writing it back.

A file with a NUL byte in its first 8 KiB and no byte-order mark is binary (git uses the
same test) and is skipped with a note, not reported as an error. Only regular files are
read: a FIFO or a device named by mistake would otherwise block or never end.
"""
from __future__ import annotations

import codecs
import errno
import os
import stat
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from .digest import sha256_hex

DEFAULT_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: How far into a file an encoding declaration or a NUL byte is looked for.
_SNIFF = 1024
_BINARY_SNIFF = 8192
#: Largest draft read: a draft costs 20-60 bytes of memory per byte while it is linted
#: (docs/reliability.md), so 64 MB stays within a few gigabytes. ``MEDLINT_MAX_FILE_MB``
#: changes it.
MAX_FILE_BYTES = 64 * 1024 * 1024
_DECLARED: Any = None  # compiled on first use: only a file that is not UTF-8 needs it


def _declared_pattern() -> Any:
    global _DECLARED
    if _DECLARED is None:
        import regex

        _DECLARED = regex.compile(
            rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)"""
            rb"""|<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""",
            regex.IGNORECASE,
        )
    return _DECLARED


class ReadError(Exception):
    """A file could not be read or decoded; the message names the file and the cause."""


class SkipFile(Exception):
    """A file that is deliberately not linted (binary); the message says why."""


@dataclass(frozen=True)
class Source:
    """A decoded draft and what is needed to write it back unchanged in form.

    ``digest`` (SHA-256 of the bytes read) lets ``--fix`` refuse a file that changed on
    disk after it was linted.
    """

    path: str
    text: str
    encoding: str
    bom: bytes
    raw_size: int
    digest: str = ""


def declared_encoding(data: bytes) -> str | None:
    """The encoding a file names in its first 1024 bytes, or None."""
    m = _declared_pattern().search(data[:_SNIFF])
    if m is None:
        return None
    return (m.group(1) or m.group(2)).decode("ascii").lower()


# WHATWG Encoding Standard labels (https://encoding.spec.whatwg.org/#names-and-labels)
# -> the Python codec that reads that encoding. Only these: a declared "unicode_escape" or
# "rot13" is a Python codec, not a web encoding, and would turn "\\x41" into "A" (and
# --fix would write that back). As in browsers, iso-8859-1, latin1 and ascii mean
# windows-1252, and a declared UTF-16 in a file without a BOM is not believed.
_WHATWG_GROUPS = {
    "utf-8": "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8",
    "cp866": "866 cp866 csibm866 ibm866",
    "iso8859-2": "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 iso_8859-2:1987 l2 latin2",
    "iso8859-3": "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 iso_8859-3:1988 l3 latin3",
    "iso8859-4": "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 iso_8859-4:1988 l4 latin4",
    "iso8859-5": "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 iso_8859-5 "
                 "iso_8859-5:1988",
    "iso8859-6": "arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 iso-8859-6 iso-8859-6-e "
                 "iso-8859-6-i iso-ir-127 iso8859-6 iso88596 iso_8859-6 iso_8859-6:1987",
    "iso8859-7": "csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 iso8859-7 iso88597 "
                 "iso_8859-7 iso_8859-7:1987 sun_eu_greek",
    "iso8859-8": "csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 iso8859-8 iso88598 "
                 "iso_8859-8 iso_8859-8:1988 visual csiso88598i iso-8859-8-i logical",
    "iso8859-10": "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6",
    "iso8859-13": "iso-8859-13 iso8859-13 iso885913",
    "iso8859-14": "iso-8859-14 iso8859-14 iso885914",
    "iso8859-15": "csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9",
    "iso8859-16": "iso-8859-16",
    "koi8-r": "cskoi8r koi koi8 koi8-r koi8_r",
    "koi8-u": "koi8-ru koi8-u",
    "mac-roman": "csmacintosh mac macintosh x-mac-roman",
    "cp874": "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874",
    "cp1250": "cp1250 windows-1250 x-cp1250",
    "cp1251": "cp1251 windows-1251 x-cp1251",
    "cp1252": "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1 "
              "iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252",
    "cp1253": "cp1253 windows-1253 x-cp1253",
    "cp1254": "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 iso_8859-9:1989 l5 "
              "latin5 windows-1254 x-cp1254",
    "cp1255": "cp1255 windows-1255 x-cp1255",
    "cp1256": "cp1256 windows-1256 x-cp1256",
    "cp1257": "cp1257 windows-1257 x-cp1257",
    "cp1258": "cp1258 windows-1258 x-cp1258",
    "mac-cyrillic": "x-mac-cyrillic x-mac-ukrainian",
    "gb18030": "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk gb18030",
    "big5hkscs": "big5 big5-hkscs cn-big5 csbig5 x-x-big5",
    "euc-jp": "cseucpkdfmtjapanese euc-jp x-euc-jp",
    "iso2022-jp": "csiso2022jp iso-2022-jp",
    "cp932": "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis",
    "cp949": "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 ksc5601 "
             "ksc_5601 windows-949",
}
_WHATWG = {label: codec for codec, labels in _WHATWG_GROUPS.items() for label in labels.split()}
#: labels of UTF-16 (and UCS-2): only a byte-order mark can make a file UTF-16
_UTF16_LABELS = frozenset("csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff unicodefffe utf-16 "
                          "utf-16be utf-16le utf-32 utf-32be utf-32le".split())


_BY_PYTHON_NAME: dict[str, str] | None = None


def _text_codec(name: str) -> str | None:
    """The Python codec for a WHATWG encoding label, or None for anything else.

    A spelling that is not a WHATWG label but that Python reads as the same encoding as
    one (``latin-1`` for ``latin1``) is read as that label is."""
    global _BY_PYTHON_NAME
    label = name.strip().lower()
    if label in _WHATWG:
        return _WHATWG[label]
    if _BY_PYTHON_NAME is None:
        table: dict[str, str] = {}
        for known, codec in _WHATWG.items():
            try:
                table.setdefault(codecs.lookup(known).name, codec)
            except LookupError:
                continue
        _BY_PYTHON_NAME = table
    try:
        return _BY_PYTHON_NAME.get(codecs.lookup(label).name)
    except LookupError:
        return None


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes, path: str = "<bytes>") -> Source:
    """Decode a file's bytes strictly (see the module docstring for the order of tries)."""
    digest = sha256_hex(data)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            break
    else:
        bom, encoding, body = b"", "utf-8", data
    if not bom and b"\x00" in data[:_BINARY_SNIFF]:
        raise SkipFile(f"{path}: binary file (NUL bytes), skipped")
    try:
        return Source(path, body.decode(encoding), encoding, bom, len(data), digest)
    except UnicodeDecodeError as err:
        first_error = err
    declared = declared_encoding(data) if not bom else None
    if declared is not None:
        codec = _text_codec(declared)
        if declared in _UTF16_LABELS:
            raise ReadError(f"{path}: not valid UTF-8, and it declares {declared!r} without a byte-order "
                            "mark (browsers read such a file as UTF-8); convert the file to UTF-8") from None
        if codec is None:
            raise ReadError(f"{path}: not valid UTF-8, and the encoding it declares ({declared!r}) "
                            "is unknown or not a web (WHATWG) encoding; convert the file to UTF-8") from None
        if codec != "utf-8":
            try:
                text = body.decode(codec)
            except UnicodeDecodeError as err:
                encoding, first_error = codec, err
            else:
                # only an encoding that writes back exactly the bytes it read is used:
                # --fix re-encodes the whole file, and must change nothing but the fix
                if text.encode(codec, errors="replace") != body:
                    raise ReadError(f"{path}: declares {declared!r}, but its bytes do not read back "
                                    f"unchanged in {codec}; convert the file to UTF-8") from None
                return Source(path, text, codec, bom, len(data), digest)
    offset = first_error.start + len(bom)
    raise ReadError(f"{path}:{_line_of(data, offset)}: not valid {encoding.upper()}: byte "
                    f"0x{data[offset]:02x} at offset {offset} ({first_error.reason}); "
                    "convert the file to UTF-8") from None


def _fingerprint(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _max_file_bytes() -> int:
    """The largest draft read (:data:`MAX_FILE_BYTES`, or ``MEDLINT_MAX_FILE_MB``)."""
    value = os.environ.get("MEDLINT_MAX_FILE_MB")
    if value:
        try:
            return max(0, int(float(value) * 1024 * 1024))
        except ValueError:
            pass
    return MAX_FILE_BYTES


def _too_large(path: Path | str, size: int, limit: int) -> ReadError:
    return ReadError(f"{path}: too large to lint ({size / 1048576:.1f} MB; the limit is "
                     f"{limit / 1048576:.0f} MB, set MEDLINT_MAX_FILE_MB to change it); not read")


def read_bytes(path: Path, limit: int | None = None, sniff: bool = False) -> bytes:
    """A regular file's bytes, checked not to have changed while being read.

    The file is opened without blocking (a FIFO must not hang the run), checked to be a
    regular file and no larger than ``limit`` (default :data:`MAX_FILE_BYTES`) BEFORE
    anything is read, so a 2 GB file in a walked folder is one error (exit 2), not a
    MemoryError that ends the run. With ``sniff``, the first 8 KiB are read first and a
    binary file (a NUL byte and no byte-order mark) is skipped without reading the rest. The size and
    modification time are compared before and after reading: a file an editor is saving
    at that moment is reported, never linted half-written.
    """
    limit = _max_file_bytes() if limit is None else limit
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        if path.is_symlink():
            raise ReadError(f"{path}: broken symbolic link") from None
        raise ReadError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ReadError(f"{path}: is a directory") from None
    except PermissionError:
        raise ReadError(f"{path}: permission denied") from None
    except OSError as err:
        if err.errno in (errno.ENXIO, errno.ENODEV, errno.EOPNOTSUPP):  # a socket, a device
            raise ReadError(f"{path}: not a regular file (a pipe, socket or device), not read") from None
        raise ReadError(f"{path}: cannot read: {err.strerror or err}") from None
    try:
        before = os.fstat(fd)
        if stat.S_ISDIR(before.st_mode):
            raise ReadError(f"{path}: is a directory")
        if not stat.S_ISREG(before.st_mode):
            raise ReadError(f"{path}: not a regular file (a pipe, socket or device), not read")
        if before.st_size > limit:
            raise _too_large(path, before.st_size, limit)
        chunks = []
        left = before.st_size + 1
        if sniff:
            head = os.read(fd, _BINARY_SNIFF)
            if b"\x00" in head and not any(head.startswith(bom) for bom, _ in _BOMS):
                raise SkipFile(f"{path}: binary file (NUL bytes), skipped")
            chunks.append(head)
            left -= len(head)
        # read what fstat promised plus one byte: a file that keeps growing (a log being
        # written) is caught as changed instead of being read forever
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        after = os.fstat(fd)
    except OSError as err:
        raise ReadError(f"{path}: cannot read: {err.strerror or err}") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if _fingerprint(before) != _fingerprint(after) or len(data) != after.st_size:
        raise ReadError(f"{path}: changed while being read; run again once it is saved")
    return data


def read_stream(stream: Any, name: str = "-", limit: int | None = None) -> bytes:
    """All of a binary stream (stdin), refused past the same size limit as a file."""
    limit = _max_file_bytes() if limit is None else limit
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise _too_large(name, len(data), limit)
    return data


def read_source(path: Path) -> Source:
    return decode(read_bytes(Path(path), sniff=True), str(path))


def read_text(path: Path) -> str:
    return read_source(path).text


#: ``accept(path, kind)`` decides, per file, what a configuration includes; ``kind`` is
#: "explicit" (named on the command line), "file" (found in a folder) or "dir" (a folder
#: about to be walked). Given, it replaces the suffix and ``exclude`` filters.
Accept = Callable[[Path, str], bool]


def iter_paths(paths: Sequence[str], suffixes: Sequence[str] = DEFAULT_SUFFIXES,
               exclude: Sequence[str] = (), accept: Accept | None = None,
               ) -> Iterator[tuple[str, Path | None, Exception | None]]:
    """(display path, path or None for stdin, problem) for every file to lint, in order.

    The problem is None, a :class:`ReadError` (the run exits 2) or a :class:`SkipFile`
    (a note: a folder already visited through a symbolic link is skipped, not an error,
    because every file in it is still linted once).

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
                yield _shown(p), p, None
        else:
            yield _shown(p), p, ReadError(f"{p}: no such file or directory")


def _shown(p: Path) -> str:
    """How a file is named in reports: a file called ``-`` is ``./-``, never stdin's ``-``."""
    shown = str(p)
    return os.path.join(os.curdir, shown) if shown == "-" else shown


def _excluded(p: Path, exclude: Sequence[str]) -> bool:
    posix = p.as_posix()
    return any(fnmatch(posix, g) or fnmatch(posix, f"*/{g}") or fnmatch(p.name, g) for g in exclude)


def _inside(real: str, root_real: str) -> bool:
    return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)


def link_outside(path: Path, root: Path) -> str | None:
    """The first symbolic link on ``path``, below ``root``, that leads outside ``root``; None
    when there is none, or when ``path`` is not below ``root`` at all (named on purpose)."""
    root_abs = os.path.abspath(root)
    root_real = os.path.realpath(root)
    try:
        rel = os.path.relpath(os.path.abspath(path), root_abs)
    except ValueError:  # another drive (Windows)
        return None
    if rel == os.curdir or rel.split(os.sep)[0] == os.pardir:
        return None
    current = root_abs
    for part in Path(rel).parts:
        current = os.path.join(current, part)
        if os.path.islink(current) and not _inside(os.path.realpath(current), root_real):
            return current
    return None


def _walk(root: Path, accept: Accept) -> Iterator[tuple[str, Path | None, Exception | None]]:
    """Files under ``root``. A symbolic link is followed only when it resolves inside
    ``root`` (resolved too): a link to ``/usr`` or ``/etc/passwd`` in a repository is noted
    and not followed, as git and ruff do, so a walk never leaves the tree it was given and
    ``--fix`` never writes outside it."""
    root_real = os.path.realpath(root)
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            st = folder.stat()
        except OSError as err:
            yield str(folder), folder, ReadError(f"{folder}: cannot read folder: {err.strerror or err}")
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen:
            yield str(folder), folder, SkipFile(
                f"{folder}: folder already visited (symbolic link loop or second link), not followed again")
            continue
        seen.add(key)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as err:
            yield str(folder), folder, ReadError(f"{folder}: cannot list folder: {err.strerror or err}")
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
            outside = False
            try:
                if entry.is_symlink():
                    target = os.path.realpath(entry.path)
                    outside = not _inside(target, root_real)
            except OSError:
                outside = False
            if is_dir:
                if accept(p, "dir"):
                    if outside:
                        yield str(p), p, SkipFile(f"{p}: symbolic link to {target}, outside {root}; not followed")
                    else:
                        subdirs.append(p)
            elif accept(p, "file"):
                if outside:
                    yield _shown(p), p, SkipFile(f"{p}: symbolic link to {target}, outside {root}; not followed")
                else:
                    yield _shown(p), p, None
        stack.extend(reversed(subdirs))
