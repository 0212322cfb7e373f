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


@lru_cache(maxsize=512)
def _compile(glob: str) -> regex.Pattern[str]:
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
    return regex.compile(f"^{prefix}{''.join(out)}(?:/.*)?$", regex.DOTALL)


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


__all__ = ["matches_any", "relative_posix"]
