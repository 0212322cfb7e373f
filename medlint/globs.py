"""Path globs for ``include``, ``exclude`` and ``per_path`` settings.

``fnmatch`` lets ``*`` cross ``/``, so ``legal/*`` would also match ``x/legal/a/b.md``; a
setting meant for one folder would leak into others. These globs follow the rules writers
know from ``.gitignore``:

* paths are matched relative to the folder holding the configuration file, with ``/``;
* ``*`` and ``?`` stay inside one path segment, ``**`` spans any number of segments;
* a glob with no ``/`` (``*.txt``, ``archive``) matches a name at any depth;
* a glob that names a folder (``legal``, ``legal/``, ``legal/**``) matches everything in it.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path, PurePath, PurePosixPath
from typing import Sequence

import regex


class GlobError(ValueError):
    """A glob that cannot be used (a reversed range such as ``[z-a]``); names the glob."""


def _source(glob: str) -> str:
    """Regex source for one glob (without anchors). A leading ``./`` means "relative to the
    configuration file's folder", which every glob already is, so it is dropped."""
    while glob.startswith("./"):
        glob = glob[2:]
    anchored = "/" in glob.rstrip("/")
    body = glob.strip("/")
    out = []
    i = 0
    while i < len(body):
        c = body[i]
        if body.startswith("**/", i):
            out.append("(?:[^/]+/)*")
            i += 3
        elif body.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            close = body.find("]", i + 2 if body[i + 1:i + 2] in ("!", "]") else i + 1)
            if close < 0:
                out.append(regex.escape(c))
                i += 1
            else:
                inner = body[i + 1:close]
                if inner.startswith("!"):
                    inner = "^" + inner[1:]
                out.append("[" + inner.replace("\\", "\\\\") + "]")
                i = close + 1
        else:
            out.append(regex.escape(c))
            i += 1
    prefix = "" if anchored else "(?:.*/)?"
    # a match may end at the path's end or at a folder boundary (the glob named a folder)
    return f"{prefix}{''.join(out)}(?:/.*)?"


def _compile_source(source: str, glob: str) -> regex.Pattern[str]:
    try:
        return regex.compile(f"^(?:{source})$", regex.DOTALL)
    except (regex.error, OverflowError, RecursionError, MemoryError) as err:
        raise GlobError(f"invalid glob {glob!r}: {getattr(err, 'msg', None) or err}") from None


@lru_cache(maxsize=64)
def _compile(glob: str) -> regex.Pattern[str]:
    return _compile_source(_source(glob), glob)


class GlobSet:
    """Globs compiled ONCE into one pattern (a config's ``exclude`` or ``include``).

    Matching a path tries one combined pattern instead of compiling and trying each glob
    (a per-glob cache thrashed past its size: 600 excludes made every path recompile
    every glob). Building a set checks every glob, so a bad one is reported when the
    configuration is read, not as a traceback half-way through a run.
    """

    def __init__(self, globs: Sequence[str]) -> None:
        self.globs = tuple(globs)
        sources = [_source(g) for g in self.globs]
        for g, src in zip(self.globs, sources):
            _compile_source(src, g)  # each on its own first: the error names the glob
        self.pattern = _compile_source("|".join(f"(?:{src})" for src in sources), ", ".join(self.globs)) \
            if sources else None

    def __bool__(self) -> bool:
        return self.pattern is not None

    def match(self, path: str | PurePath, root: Path | None, is_dir: bool = False) -> bool:
        if self.pattern is None:
            return False
        rel = relative_posix(path, root) + ("/" if is_dir else "")
        return self.pattern.match(rel) is not None


def check_glob(glob: str) -> None:
    """Raise :class:`GlobError` when ``glob`` cannot be compiled."""
    _compile(glob)


def relative_posix(path: str | PurePath, root: Path | None) -> str:
    """``path`` relative to ``root`` (default: the working folder) when it lies inside it,
    with ``/``; else as given."""
    p = Path(path)
    base = Path.cwd() if root is None else root
    for norm in (os.path.abspath, os.path.realpath):
        try:
            return Path(norm(p)).relative_to(norm(base)).as_posix()
        except (ValueError, OSError):
            continue
    posix = PurePosixPath(p.as_posix()).as_posix()
    return posix[2:] if posix.startswith("./") else posix


def matches_any(path: str | PurePath, globs: Sequence[str], root: Path | None,
                is_dir: bool = False) -> bool:
    """Does any glob match ``path``? A folder (``is_dir``) matches a glob for its contents
    (``legal/**``), so a walk can skip it without listing it."""
    if not globs:
        return False
    rel = relative_posix(path, root) + ("/" if is_dir else "")
    return any(_compile(g).match(rel) for g in globs)


__all__ = ["GlobError", "GlobSet", "check_glob", "matches_any", "relative_posix"]
