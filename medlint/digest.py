"""SHA-256 without paying for OpenSSL on a short run.

``import hashlib`` loads OpenSSL's libcrypto: 4-5 ms, about 2% of a pre-commit hook's whole
cold start, to hash one small draft (``--fix`` compares the digest) and the compiled-rules
cache key. CPython's own SHA-256 module loads in 0.4 ms and gives the same digest, but is
about 8 times slower (120 MB/s here), so data from ``_LARGE`` bytes up goes through
hashlib, whose load is then paid back at once.
"""
from __future__ import annotations

from typing import Any

_LARGE = 256 * 1024

try:  # CPython's built-in implementation: _sha256 up to 3.11, _sha2 from 3.12
    from _sha256 import sha256 as _small
except ImportError:  # pragma: no cover - other Pythons / versions
    try:
        from _sha2 import sha256 as _small  # type: ignore[no-redef]
    except ImportError:
        from hashlib import sha256 as _small  # type: ignore[no-redef]


def sha256(data: bytes = b"") -> Any:
    """A SHA-256 hash object (``update``/``hexdigest``), as ``hashlib.sha256`` gives."""
    if len(data) >= _LARGE:
        import hashlib

        return hashlib.sha256(data)
    return _small(data)


def sha256_hex(data: bytes) -> str:
    return str(sha256(data).hexdigest())

