"""Where a rendered report goes: stdout, or ``--output FILE`` plus a terminal summary.

Kept out of cli.py so that the command stays a thin list of options; this is also the one
place that decides about colour, and the one place that writes to the terminal (``echo``).
"""
from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import IO, Any, Iterable

from . import Report, renderer, streaming_renderer


def echo(message: str = "", nl: bool = True, err: bool = False, color: bool | None = None) -> None:
    """``click.echo(message, nl=nl, err=err, color=color)``, without importing click.

    click costs ~20 ms of a cold start, and a plain run only writes text to ordinary
    streams. For those this writes what click writes: the stream as it is, the message,
    then a flush. Everything else goes to click itself: when click is loaded anyway (the
    click command, the tests' CliRunner), on Windows (console streams), for a stream with
    no encoding, or an ASCII one that click re-wraps, or one that is not a text file, and
    for text holding an escape character unless colour is on (click strips ANSI codes from
    text that is not coloured on purpose, with a pattern that differs between versions).
    """
    stream = sys.stderr if err else sys.stdout
    if "click" not in sys.modules and (color is True or "\x1b" not in message) and _plain(stream):
        out = message + "\n" if nl else message
        if out:
            stream.write(out)
        stream.flush()
        return
    import click

    click.echo(message, nl=nl, err=err, color=color)


def _plain(stream: Any) -> bool:
    """A text stream that ``click.echo`` would write to as it is."""
    import io

    if sys.platform == "win32" or not isinstance(stream, io.TextIOWrapper):
        return False
    encoding, errors = getattr(stream, "encoding", None), getattr(stream, "errors", None)
    if not encoding or not errors:
        return False
    import codecs

    try:
        return codecs.lookup(encoding).name != "ascii"
    except LookupError:
        return True


def usage_error(message: str) -> Exception:
    """A ``click.UsageError`` (click is imported only when there is one to report)."""
    import click

    return click.UsageError(message)


def use_color(mode: str, stream: IO[str] | None) -> bool:
    """Colour for ``stream``: ``always``/``never`` win; ``auto`` means a terminal, no NO_COLOR.

    Following no-color.org, a set and non-empty ``NO_COLOR`` turns automatic colour off and an
    explicit ``--color always`` still turns it on. ``TERM=dumb`` terminals get none either.
    """
    if mode != "auto":
        return mode == "always"
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def check_options(fmt: str, output: Path | None, statistics: bool, paths: list[str]) -> None:
    """Reject, before any work, flag combinations that would corrupt a report or a draft."""
    if statistics and fmt != "text" and output is None:
        raise usage_error(
            f"--statistics prints a table for people and would corrupt the {fmt} report on "
            f"stdout; add --output FILE (the table then goes to the terminal) or use --format text")
    _refuse_overwrite(output, paths)


def _same_file(a: Path, b: Path) -> bool:
    """One file under two names: the same device and inode (a hard link, a symbolic link,
    ``./x`` and ``x``), or, for a path that does not exist yet, the same resolved path."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        try:
            return a.resolve() == b.resolve()
        except (OSError, RuntimeError):
            return False


def _refuse_overwrite(output: Path | None, paths: "Iterable[str]") -> None:
    """A mistyped ``--output draft.md`` must not replace the writer's draft with a report:
    refused for every path the run named or found, read or not (a draft that could not be
    decoded is still somebody's draft), compared by device and inode (a hard link)."""
    if output is None:
        return
    for shown in paths:
        if shown != "-" and _same_file(Path(shown), output):
            raise usage_error(f"--output {output} is one of the files being checked; "
                                   "refusing to overwrite it with the report")


def emit(report: Report, fmt: str, output: Path | None, color: str = "auto") -> None:
    """Render ``report`` in ``fmt`` to stdout, or to ``output`` with a summary on stdout.

    A format that can write itself piece by piece (``chunks``: JSON) is written that way, so
    a run with tens of thousands of findings never holds the whole report as one string.
    """
    stream = streaming_renderer(fmt)
    if output is None:
        report = replace(report, color=use_color(color, sys.stdout))
        if stream is not None:
            for piece in stream(report):
                echo(piece, nl=False, color=report.color)
            return
        echo(renderer(fmt)(report), nl=False, color=report.color)
        return
    _refuse_overwrite(output, list(report.files))  # files found inside folders, too
    report_file = replace(report, color=color == "always")
    try:
        if stream is not None:
            with output.open("w", encoding="utf-8") as handle:
                for piece in stream(report_file):
                    handle.write(piece)
        else:
            output.write_text(renderer(fmt)(report_file), encoding="utf-8")
    except OSError as err:
        echo(f"medlint: cannot write the report to {output}: {err.strerror or err}", err=True)
        raise SystemExit(2) from None
    from .text import terminal_view

    on = use_color(color, sys.stdout)
    echo(terminal_view(replace(report, color=on, show_source=False)), nl=False, color=on)
