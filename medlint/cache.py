"""A per-user cache of compiled rule sets, so the CLI does not recompile on every start.

Reading the YAML packs, validating every pattern and compiling them takes about a second;
a pre-commit hook pays that on every commit. A compiled :class:`~medlint.ruleset.RuleSet`
pickles to ~600 KB (``regex`` pickles its compiled code, not its source) and loads in
~20 ms, so it is stored under the user's cache folder, keyed by a hash of everything it
was built from: the bytes of every rule file, the medlint source files' sizes and times,
Python's and medlint's versions, and the installed files of ``regex``, ``pyahocorasick``
and PyYAML (path, size and time, found without importing them). Any change gives a new
key; an old entry is simply never read again (the newest few are kept).

The key is computed on every start, so it is kept cheap: the rule files (~80 KB) are hashed
with CPython's own BLAKE2 (no OpenSSL load) and the sources are listed
with ``os.scandir`` rather than ``pathlib``. The rule files are hashed, not stat-ed: a
checkout that rewrites a rule file within one timestamp tick, at the same size, must still
give a new key.

The cache never changes results and never stops a run: an unreadable, unwritable, corrupt
or foreign-owned cache is ignored and the rule set is compiled as before. Set
``MEDLINT_NO_CACHE=1`` to turn it off, ``MEDLINT_CACHE_DIR`` to move it.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypeVar

try:  # CPython's own BLAKE2: no OpenSSL load, and 2.5x the speed of its own SHA-256
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - other Pythons
    from hashlib import blake2b

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


#: libraries whose installed files go into the key: the pickle holds ``regex``'s compiled
#: code, ``pyahocorasick``'s automaton and Hyperscan's serialized database (formats of their
#: own; installing or upgrading Hyperscan gives a new key), and PyYAML read the rules.
#: Their files, not ``__version__``: pyahocorasick has none, and importing PyYAML costs ~20 ms.
LIBRARIES = ("regex._regex", "ahocorasick", "yaml", "hyperscan")


def _origin(name: str) -> str:
    """``name=file:size:mtime`` for an installed module, found without importing it."""
    try:
        origin = getattr(sys.modules.get(name), "__file__", None)
        if origin is None:
            for finder in sys.meta_path:
                find = getattr(finder, "find_spec", None)
                spec = find(name, None) if find is not None else None
                if spec is not None:
                    origin = spec.origin
                    break
        st = os.stat(origin)  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 - not installed, or not a file: recorded as such
        return f"{name}=?"
    return f"{name}={origin}:{st.st_size}:{st.st_mtime_ns}"


def _versions() -> str:
    import ahocorasick  # noqa: F401 - both loaded anyway to read the pickle
    import regex  # noqa: F401

    from . import __version__

    return "|".join([__version__, sys.version, *(_origin(name) for name in LIBRARIES)])


def _sources(folder: str, prefix: str = "") -> Iterator[str]:
    """``relative/path.py:size:mtime_ns`` for every Python file under ``folder``, sorted."""
    with os.scandir(folder) as it:
        entries = sorted(it, key=lambda e: e.name)
    for entry in entries:
        if entry.is_dir():
            if entry.name != "__pycache__":
                yield from _sources(entry.path, f"{prefix}{entry.name}/")
        elif entry.name.endswith(".py"):
            st = entry.stat()
            yield f"{prefix}{entry.name}:{st.st_size}:{st.st_mtime_ns}"


def key(files: Iterable[Path], extra: str = "") -> str:
    """A hash of the rule files' bytes, medlint's own sources and the library versions."""
    h = blake2b(digest_size=16)
    h.update(_versions().encode())
    h.update(extra.encode())
    for f in sorted({os.fspath(f) for f in files}):
        h.update(f.encode())
        with open(f, "rb") as fh:
            h.update(fh.read())
    for line in _sources(os.path.dirname(os.path.realpath(__file__))):
        h.update(line.encode())
    return h.hexdigest()


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
            try:  # the C unpickler alone: pickle.py's own set-up costs ~2 ms more
                from _pickle import load
            except ImportError:  # pragma: no cover - Pythons without it
                from pickle import load
            with open(path, "rb") as fh:
                value = load(fh)
            if isinstance(value, expect):
                return value  # type: ignore[return-value]
        except Exception:  # noqa: BLE001 - a bad cache entry is never fatal
            pass
    value = build()
    try:
        import pickle
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
