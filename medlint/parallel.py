"""Reading and linting the files of one ``medlint check`` run, in one process or several.

``run_files`` yields one outcome per path, always in the order the paths were given (and
folders walked), so ``--jobs 4`` prints exactly what ``--jobs 1`` prints. Each worker
process builds its Linters once (through the same :class:`~medlint.cli.RunState` config
discovery as the main process; with the ``fork`` start method it inherits the ones the
main process already built) and lints a chunk of files at a time.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Iterable, Iterator

#: Below this many files one process is faster than starting workers.
MANY_FILES = 32

Outcome = tuple[str, str, Any]  # ("ok", shown, LintResult) | ("skip", shown, note) | ("error", shown, message)

_STATE: Any = None  # the worker's RunState


def default_jobs(files: int) -> int:
    """All CPUs for many files, one process for a few (a pre-commit hook's usual load)."""
    if files < MANY_FILES:
        return 1
    return max(1, os.cpu_count() or 1)


def lint_one(state: Any, shown: str, path: Path | None, stdin_format: str = "markdown",
             stdin_filename: str | None = None) -> Outcome:
    from .document import format_for_path
    from .files import ReadError, SkipFile, decode, read_source

    try:
        if path is None:
            source = decode(sys.stdin.buffer.read(), stdin_filename or "-")
            shown = stdin_filename or "-"
            file_format = stdin_format
        else:
            source = read_source(path)
            file_format = format_for_path(path)
    except SkipFile as skip:
        return "skip", shown, str(skip)
    except ReadError as err:
        return "error", shown, str(err)
    linter, _root = state.linter_for(path)
    return "ok", shown, linter.check(source.text, file_format, shown)


def _init(state: Any) -> None:
    global _STATE
    _STATE = state


def _work(item: tuple[str, str]) -> Outcome:
    shown, path = item
    return lint_one(_STATE, shown, Path(path))


def run_files(state: Any, items: Iterable[tuple[str, Path | None, str | None]], jobs: int | None,
              stdin_format: str = "markdown", stdin_filename: str | None = None) -> Iterator[Outcome]:
    """Outcomes for ``iter_paths`` items, in order; ``jobs`` None picks :func:`default_jobs`."""
    items = list(items)
    files = [(shown, str(path)) for shown, path, error in items if path is not None and not error]
    jobs = default_jobs(len(files)) if jobs is None else max(1, jobs)
    jobs = min(jobs, max(1, len(files)))
    if jobs == 1:
        for shown, path, error in items:
            yield ("error", shown, error) if error else lint_one(state, shown, path, stdin_format, stdin_filename)
        return
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunk = max(1, min(16, len(files) // (jobs * 4)))
    with context.Pool(jobs, initializer=_init, initargs=(state,)) as pool:
        linted = pool.imap(_work, files, chunksize=chunk)
        for shown, path, error in items:
            if error:
                yield "error", shown, error
            elif path is None:  # stdin is read here, not in a worker
                yield lint_one(state, shown, path, stdin_format, stdin_filename)
            else:
                yield next(linted)
