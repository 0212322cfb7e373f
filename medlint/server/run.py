"""Starting the server for ``medlint serve`` (the click command in ``cli.py`` only parses flags).

Settings reach uvicorn's worker processes (``--workers N``) through one environment
variable holding JSON, read by :func:`medlint.server.app.app_from_env`; with one worker the
app built here (and already warmed up) is served directly. Configuration and rule errors
are found here, before binding a port, and reported like ``medlint check`` reports them:
``medlint: <file>: <cause>`` and exit 2.
"""
from __future__ import annotations

import ipaddress
import os
import sys
from typing import Any

import regex

_SIZE = regex.compile(r"^\s*(\d+)\s*(b|kb|mb|kib|mib)?\s*$", regex.IGNORECASE)
_UNITS = {None: 1, "b": 1, "kb": 1000, "mb": 1000 ** 2, "kib": 1024, "mib": 1024 ** 2}


def parse_size(value: str) -> int:
    """``1MB`` -> 1000000, ``512KiB`` -> 524288, ``2048`` -> 2048."""
    m = _SIZE.match(value)
    if not m:
        raise ValueError(f"{value!r} is not a size (examples: 1MB, 512KB, 2MiB, 100000)")
    size = int(m.group(1)) * _UNITS[m.group(2).lower() if m.group(2) else None]
    if size < 1:
        raise ValueError("the body limit must be at least 1 byte")
    return size


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(host: str, port: int, workers: int, settings: Any, log_level: str = "info") -> None:
    """Validate the settings, then run uvicorn until interrupted."""
    try:
        import uvicorn  # noqa: F401
        import starlette  # noqa: F401
    except ImportError as err:
        print(f"medlint: `medlint serve` needs the server extra ({err.name} is missing): "
              "pip install 'medlint[server]'", file=sys.stderr)
        sys.exit(2)
    from ..errors import MedlintError
    from .app import SETTINGS_ENV, _base_config, create_app
    from .service import Service

    try:
        service = Service(_base_config(settings), settings.cache_size)
    except MedlintError as err:
        print(f"medlint: {err}", file=sys.stderr)
        sys.exit(2)
    if not is_loopback(host) and not os.environ.get(settings.token_env):
        print(f"medlint: warning: serving on {host} without a token; anyone who can reach this "
              f"port can use it (set {settings.token_env} to require one)", file=sys.stderr)
    import uvicorn

    options: dict[str, Any] = {"host": host, "port": port, "log_level": log_level,
                               "server_header": False, "proxy_headers": False}
    if workers > 1:
        os.environ[SETTINGS_ENV] = settings.to_json()
        uvicorn.run("medlint.server.app:app_from_env", factory=True, workers=workers, **options)
    else:
        uvicorn.run(create_app(settings, service), **options)
