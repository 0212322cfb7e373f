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

#: ("ok", shown, (LintResult, the file's failing severity, its text or None)),
#: ("skip", shown, note) or ("error", shown, message)
Outcome = tuple[str, str, Any]

_STATE: Any = None  # the worker's RunState
_KEEP = False


def default_jobs(files: int) -> int:
    """All CPUs for many files, one process for a few (a pre-commit hook's usual load)."""
    if files < MANY_FILES:
        return 1
    return max(1, os.cpu_count() or 1)


def lint_one(state: Any, shown: str, path: Path | None, stdin_format: str = "markdown",
             stdin_filename: str | None = None, keep_source: bool = False) -> Outcome:
    from .document import format_for_path
    from .files import ReadError, SkipFile, decode, read_source, read_stream

    try:
        if path is None:
            source = decode(read_stream(sys.stdin.buffer, stdin_filename or "-"), stdin_filename or "-")
            shown = stdin_filename or "-"
            file_format = stdin_format
        else:
            source = read_source(path)
            file_format = format_for_path(path)
    except SkipFile as skip:
        return "skip", shown, str(skip)
    except ReadError as err:
        return "error", shown, str(err)
    config_path = path if path is not None else (Path(stdin_filename) if stdin_filename else None)
    linter, _root = state.linter_for(config_path)
    result = linter.check(source.text, file_format, shown)
    return "ok", shown, (result, linter.config.fail_on, source.text if keep_source else None)


def _init(state: Any, keep_source: bool) -> None:
    global _STATE, _KEEP
    _STATE, _KEEP = state, keep_source


def _work(item: tuple[str, str]) -> Outcome:
    shown, path = item
    return lint_one(_STATE, shown, Path(path), keep_source=_KEEP)


def _problem(shown: str, problem: object) -> Outcome:
    """A walk problem as an outcome: a SkipFile is a note, anything else a read error."""
    from .files import SkipFile

    return ("skip" if isinstance(problem, SkipFile) else "error", shown, str(problem))


def run_files(state: Any, items: Iterable[tuple[str, Path | None, str | None]], jobs: int | None,
              stdin_format: str = "markdown", stdin_filename: str | None = None,
              keep_source: bool = False) -> Iterator[Outcome]:
    """Outcomes for ``iter_paths`` items, in order; ``jobs`` None picks :func:`default_jobs`."""
    items = list(items)
    files = [(shown, str(path)) for shown, path, error in items if path is not None and not error]
    jobs = default_jobs(len(files)) if jobs is None else max(1, jobs)
    jobs = min(jobs, max(1, len(files)))
    if jobs == 1:
        for shown, path, error in items:
            yield _problem(shown, error) if error else lint_one(
                state, shown, path, stdin_format, stdin_filename, keep_source)
        return
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunk = max(1, min(16, len(files) // (jobs * 4)))
    with context.Pool(jobs, initializer=_init, initargs=(state, keep_source)) as pool:
        linted = pool.imap(_work, files, chunksize=chunk)
        for shown, path, error in items:
            if error:
                yield _problem(shown, error)
            elif path is None:  # stdin is read here, not in a worker
                yield lint_one(state, shown, path, stdin_format, stdin_filename, keep_source)
            else:
                yield next(linted)
