"""The ``medlint`` console script: plain ``medlint check`` runs skip importing click.

A pre-commit hook starts a fresh process for every commit, and importing click is ~20 ms
of its ~200 ms. So the command line is parsed here first, for the flags a hook or a writer
types (``medlint check [flags] FILES...``), and handed to ``checkrun.run_check``, the same
function the click command calls. Anything this parser is not sure to read exactly as
click would -- help, ``--version``, ``rules``, ``explain``, an unknown or abbreviated
flag, a missing or odd value, ``--output`` (its usage error can only be found after the
run), shell completion -- goes to the click command in ``cli.py`` untouched, as does a
usage error (click reports it; nothing has been read or written by then).

``tests/test_entry.py`` checks that every command line this parser accepts gives the same
parameters as click's own parsing, and that both ways print the same bytes.
"""
from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import Any, Sequence

_CHOICES = {
    "min_severity": ("info", "warning", "error"),
    "fail_on": ("info", "warning", "error"),
    "stdin_format": ("markdown", "html", "text"),
    "color": ("auto", "always", "never"),
}
#: flag -> (parameter, kind); kind: flag, str, strs (repeatable), choice, int (>= 1),
#: file (a path that must not be a folder), paths (repeatable path)
_OPTIONS: dict[str, tuple[str, str]] = {
    "--format": ("fmt", "str"), "-f": ("fmt", "str"),
    "--select": ("select", "strs"),
    "--extend-select": ("extend_select", "strs"),
    "--ignore": ("ignore", "strs"),
    "--packs": ("packs", "strs"),
    "--rules-dir": ("rule_dirs", "paths"),
    "--min-severity": ("min_severity", "choice"),
    "--fail-on": ("fail_on", "choice"),
    "--config": ("config_path", "file"),
    "--no-config": ("no_config", "flag"),
    "--stdin-format": ("stdin_format", "choice"),
    "--stdin-filename": ("stdin_filename", "str"),
    "--report-unused-suppressions": ("report_unused_suppressions", "flag"),
    "--baseline": ("baseline_path", "file"),
    "--write-baseline": ("write_baseline", "file"),
    "--color": ("color", "choice"),
    "--show-source": ("show_source", "flag"),
    "--statistics": ("statistics", "flag"),
    "--fix": ("fix", "flag"),
    "--diff": ("show_diff", "flag"),
    "--jobs": ("jobs", "int"), "-j": ("jobs", "int"),
}
_DEFAULTS: dict[str, Any] = {
    "fmt": "text", "select": (), "extend_select": (), "ignore": (), "packs": (), "rule_dirs": (),
    "min_severity": None, "fail_on": None, "config_path": None, "no_config": False,
    "stdin_format": None, "stdin_filename": None, "output": None,
    "report_unused_suppressions": False, "baseline_path": None, "write_baseline": None,
    "color": "auto", "show_source": False, "statistics": False, "fix": False, "show_diff": False,
    "jobs": None,
}


class _Decline(Exception):
    """This command line is left to click."""


def _path(value: str, folder_ok: bool) -> Path:
    """What ``click.Path(path_type=Path, dir_okay=folder_ok)`` makes of ``value``; click's own
    checks (an existing folder where a file is wanted, an unreadable file) are left to it."""
    try:
        st = os.stat(value)
    except OSError:
        return Path(value)
    if not folder_ok and stat.S_ISDIR(st.st_mode):
        raise _Decline
    if not os.access(value, os.R_OK):
        raise _Decline
    return Path(value)


def _value(kind: str, name: str, value: str) -> Any:
    if not value or value.startswith("-"):
        raise _Decline  # click reads these differently from what a writer may mean: let it say
    if kind in ("str", "strs"):
        return value
    if kind == "choice":
        if value not in _CHOICES[name]:
            raise _Decline
        return value
    if kind == "int":
        if not value.isascii() or not value.isdigit() or value.startswith("0"):
            raise _Decline
        return int(value)
    return _path(value, folder_ok=kind == "paths")


def parse_check(args: Sequence[str]) -> dict[str, Any] | None:
    """The parameters of ``medlint check`` as click would pass them, or None for "ask click".

    ``args`` is the command line after the program name: ``["check", ...]``.
    """
    if not args or args[0] != "check":
        return None
    params = dict(_DEFAULTS)
    paths: list[str] = []
    repeated: dict[str, list[Any]] = {}
    rest = list(args[1:])
    try:
        while rest:
            arg = rest.pop(0)
            if arg == "--":
                paths.extend(rest)
                break
            if arg == "-" or not arg.startswith("-"):
                paths.append(arg)
                continue
            flag, eq, inline = arg.partition("=")
            if eq and not flag.startswith("--"):
                raise _Decline  # "-f=json" reads as "=json" in click
            spec = _OPTIONS.get(flag)
            if spec is None and not eq and os.path.lexists(arg):
                # pre-commit passes file names without "--": a draft named "-intro.md" is a
                # file to lint, not an unknown option that would stop the whole batch
                paths.append(arg)
                continue
            if spec is None:
                raise _Decline  # --help, --output, a typo: click answers
            name, kind = spec
            if kind == "flag":
                if eq:
                    raise _Decline
                params[name] = True
                continue
            if eq:
                raw = inline
            elif rest:
                raw = rest.pop(0)
            else:
                raise _Decline
            value = _value(kind, name, raw)
            if kind in ("strs", "paths"):
                repeated.setdefault(name, []).append(value)
            else:
                params[name] = value
    except _Decline:
        return None
    for name, values in repeated.items():
        params[name] = tuple(values)
    params["paths"] = tuple(paths)
    return params


def _completing() -> bool:
    """click's shell completion is asked for through ``_<PROG>_COMPLETE``."""
    return any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ)


def main() -> None:
    """The console script."""
    params = None if _completing() else parse_check(sys.argv[1:])
    if params is None:
        _click_main()
        return
    from .checkrun import run_check

    try:
        run_check(**params)
    except (EOFError, KeyboardInterrupt):
        from .report.emit import echo

        echo(err=True)  # as click does: close the terminal's ^C line, then say so
        echo("Aborted!", err=True)
        sys.exit(1)
    except OSError as err:
        import errno

        if err.errno != errno.EPIPE:
            raise
        # as click does: the reader went away (| head); exit quietly, without a second
        # broken-pipe error when Python flushes the streams on the way out
        sys.stdout = _Quiet(sys.stdout)  # type: ignore[assignment]
        sys.stderr = _Quiet(sys.stderr)  # type: ignore[assignment]
        sys.exit(1)
    except Exception as err:
        click = sys.modules.get("click")
        if click is not None and isinstance(err, click.UsageError):
            _click_main()  # the same command line again: click prints usage and the error
        raise
    sys.exit(0)


def _click_main() -> None:
    from .cli import main as click_main

    click_main()


class _Quiet:
    """A stream whose ``flush`` ignores a broken pipe (click's ``PacifyFlushWrapper``)."""

    def __init__(self, wrapped: Any) -> None:
        self.wrapped = wrapped

    def flush(self) -> None:
        try:
            self.wrapped.flush()
        except OSError as err:
            import errno

            if err.errno != errno.EPIPE:
                raise

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.wrapped, attr)


if __name__ == "__main__":  # pragma: no cover
    main()
