"""A per-user cache of compiled rule sets, so the CLI does not recompile on every start.

Reading the YAML packs, validating every pattern and compiling them takes about a second;
a pre-commit hook pays that on every commit. A compiled :class:`~medlint.ruleset.RuleSet`
pickles to ~150 KB (``regex`` pickles its compiled code, not its source) and loads in
~20 ms, so it is stored under the user's cache folder, keyed by a hash of everything it
was built from: the bytes of every rule file, the medlint source files' sizes and times,
and the versions of medlint, ``regex``, ``pyahocorasick`` and Python. Any change gives a
new key; an old entry is simply never read again (the newest few are kept).

The cache never changes results and never stops a run: an unreadable, unwritable, corrupt
or foreign-owned cache is ignored and the rule set is compiled as before. Set
``MEDLINT_NO_CACHE=1`` to turn it off, ``MEDLINT_CACHE_DIR`` to move it.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")
KEEP = 8


def cache_dir() -> Path | None:
    if os.environ.get("MEDLINT_NO_CACHE"):
        return None
    explicit = os.environ.get("MEDLINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "medlint"


def _versions() -> str:
    from . import __version__

    parts = [__version__, sys.version, str(pickle.HIGHEST_PROTOCOL)]
    for name in ("regex", "ahocorasick", "yaml"):
        module = sys.modules.get(name)
        parts.append(f"{name}={getattr(module, '__version__', '?')}")
    return "|".join(parts)


def key(files: Iterable[Path], extra: str = "") -> str:
    """A hash of the rule files' bytes, medlint's own sources and the library versions."""
    h = hashlib.sha256()
    h.update(_versions().encode())
    h.update(extra.encode())
    for f in sorted(set(files)):
        h.update(str(f).encode())
        h.update(f.read_bytes())
    package = Path(__file__).resolve().parent
    for src in sorted(package.rglob("*.py")):
        st = src.stat()
        h.update(f"{src.relative_to(package)}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:32]


def _trusted(path: Path) -> bool:
    """Our own file, not writable by others (a pickle runs code when loaded)."""
    try:
        st = path.stat()
    except OSError:
        return False
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return False
    return not st.st_mode & 0o022


def cached(kind: str, files: Iterable[Path], extra: str, build: Callable[[], T],
           expect: type) -> T:
    """``build()``, or its pickled result from an earlier run with the same inputs."""
    folder = cache_dir()
    if folder is None:
        return build()
    try:
        path = folder / f"{kind}-{key(files, extra)}.pickle"
    except OSError:
        return build()
    if _trusted(path):
        try:
            with open(path, "rb") as fh:
                value = pickle.load(fh)
            if isinstance(value, expect):
                return value  # type: ignore[return-value]
        except Exception:  # noqa: BLE001 - a bad cache entry is never fatal
            pass
    value = build()
    try:
        import tempfile

        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{kind}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        old = sorted(folder.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[KEEP:]:
            stale.unlink()
    except Exception:  # noqa: BLE001 - read-only home, full disk, race with another process
        pass
    return value
