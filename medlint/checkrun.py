"""``medlint check`` itself, without click: what the command does once its flags are parsed.

Both ways in end here: the click command in ``cli.py`` (``medlint check --help``, unusual
flags, the tests' CliRunner) and the console script's fast path in ``entry.py``, which
parses the common flags itself so that a pre-commit hook's cold start does not import
click (~20 ms of ~200). Nothing in this module imports click unless a usage error is
raised (``usage_error``), and output goes through ``report.emit.echo``, which writes
exactly what ``click.echo`` writes.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Sequence

from . import __version__
from .config import Config
from .errors import MedlintError
from .finding import Finding, Severity
from .report.emit import echo, usage_error

SEVERITIES = ("info", "warning", "error")


def _split(values: Sequence[str]) -> tuple[str, ...] | None:
    out = [v.strip() for value in values for v in value.split(",") if v.strip()]
    return tuple(out) if out else None


class RunState:
    """Per-run caches: one Linter per configuration file, built once.

    A plain class: a dataclass costs ~0.5 ms to create at import, on every cold start."""

    def __init__(self, overrides: dict[str, Any], config_path: Path | None, use_config: bool) -> None:
        self.overrides = overrides
        self.config_path = config_path
        self.use_config = use_config
        self.linters: dict[str, Any] = {}
        self.found: dict[Path, Path | None] = {}  # folder -> its config file

    def linter_for(self, path: Path | None) -> Any:
        from .configfile import find_config_file, load_config_file
        from .linter import Linter

        if self.config_path is not None:
            cfg_file: Path | None = self.config_path
        elif self.use_config:
            folder = (path.parent if path is not None else Path.cwd()).resolve()
            if folder not in self.found:
                self.found[folder] = find_config_file(folder)
            cfg_file = self.found[folder]
        else:
            cfg_file = None
        key = str(cfg_file)
        if key not in self.linters:
            base = load_config_file(cfg_file) if cfg_file else Config()
            config = base.merged(**self.overrides)
            self.linters[key] = (Linter(config), cfg_file.parent if cfg_file else None)
        return self.linters[key]


def run_check(paths: tuple[str, ...], fmt: str, select: tuple[str, ...], extend_select: tuple[str, ...],
              ignore: tuple[str, ...], packs: tuple[str, ...], rule_dirs: tuple[Path, ...],
              min_severity: str | None, fail_on: str | None, config_path: Path | None, no_config: bool,
              stdin_format: str | None, stdin_filename: str | None, output: Path | None,
              report_unused_suppressions: bool, baseline_path: Path | None,
              write_baseline: Path | None, color: str, show_source: bool, statistics: bool,
              fix: bool, show_diff: bool, jobs: int | None) -> None:
    """Lint, report and exit (``sys.exit``: 0 clean, 1 findings, 2 errors).

    Usage errors (conflicting flags) are raised before any file is read or anything is
    written, as ``click.UsageError``."""
    from .files import iter_paths
    from .parallel import run_files
    from .report import FORMATS, FileError, Report
    from .report.emit import check_options, emit
    from .report.stream import TextStream, can_stream

    if fmt not in FORMATS:
        raise usage_error(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    if not paths:
        raise usage_error("give at least one file, folder or '-' (stdin)")
    if baseline_path is not None and write_baseline is not None:
        raise usage_error("--baseline and --write-baseline cannot be combined "
                               "(--write-baseline alone records every current finding)")
    check_options(fmt, output, statistics, list(paths))
    if fix and not show_diff and "-" in paths:
        raise usage_error("--fix cannot rewrite stdin; use --diff to see the changes")

    if stdin_format is None:  # as ruff and eslint do: the format of --stdin-filename's suffix
        from .document import format_for_path

        stdin_format = format_for_path(stdin_filename) if stdin_filename else "markdown"
    overrides: dict[str, Any] = {
        "select": _split(select),
        "extend_select": _split(extend_select),
        "ignore": _split(ignore),
        "packs": _split(packs),
        "rule_dirs": tuple(rule_dirs) or None,
        "fail_on": Severity(fail_on) if fail_on else None,
    }
    state = RunState(overrides, config_path, not no_config)
    floor = Severity(min_severity) if min_severity else Severity.INFO

    findings: list[Finding] = []
    diffs: list[str] = []
    errors: list[FileError] = []
    notes: list[str] = []
    files = 0
    fail_levels: dict[str | None, Severity] = {}  # shown path -> its config's failing severity
    stdin_path = Path(stdin_filename) if stdin_filename else None
    checked: list[str] = []
    sources: dict[str, str] = {}
    keep_source = show_source or fmt == "html"  # the html report shows every draft's text
    try:
        default_linter, _ = state.linter_for(stdin_path if paths == ("-",) else Path(paths[0]))
        failing = default_linter.config.fail_on

        def accept(p: Path, kind: str) -> bool:
            return bool(state.linter_for(p)[0].config.wants(p, kind))

        items = iter_paths(paths, accept=accept)
        # text to stdout is written file by file: memory stays flat however many files
        stream = TextStream(color) if can_stream(fmt, output, statistics, show_source, baseline_path,
                                                 write_baseline) and not (fix or show_diff) else None
        failed = False
        if fix or show_diff:  # one file at a time: fixes write files
            from .fix import fix_files

            outcomes = fix_files(state, items, not show_diff, floor, stdin_format, stdin_filename,
                                 keep_source, diffs)
        else:
            outcomes = run_files(state, items, jobs, stdin_format, stdin_filename, keep_source)
        named: list[str] = []  # every path the run named or found, read or not (--output guard)
        for kind, shown, outcome in outcomes:
            named.append(shown)
            if kind in ("error", "fix-error"):
                what = "write" if kind == "fix-error" else "folder" if Path(shown).is_dir() else "read"
                errors.append(FileError(shown, outcome, what))
                continue
            if kind == "skip":
                notes.append(outcome)
                continue
            result, fail_levels[shown], text = outcome
            files += 1
            checked.append(shown)
            if keep_source:
                sources[shown] = text
            notes.extend(result.problems)
            if result.skipped:  # a rule out of time: the file was not fully checked
                count = len(result.skipped)
                errors.append(FileError(shown, f"{shown}: not fully checked: {count} rule"
                                        f"{'s' if count != 1 else ''} ran out of the time budget for this "
                                        f"file ({', '.join(result.skipped[:5])}{', ...' if count > 5 else ''})", "incomplete"))
            reported = sorted(result.findings + result.unused_suppressions, key=Finding.sort_key) \
                if report_unused_suppressions else result.findings
            kept = [f for f in reported if f.severity >= floor]
            if stream is None:
                findings.extend(kept)
            else:
                stream.write(kept, default_linter.rules)
                failed = failed or any(f.severity >= fail_levels.get(f.path, failing) for f in kept)
        if write_baseline is not None:
            from .baseline import write_baseline as record

            count = record(write_baseline, findings)
            echo(f"medlint: recorded {count} finding{'s' if count != 1 else ''} "
                       f"in {files} file{'s' if files != 1 else ''} in the baseline {write_baseline}", err=True)
            for note in notes:
                echo(f"medlint: {note}", err=True)
            for error in errors:
                echo(f"medlint: error: {error.message}", err=True)
            sys.exit(2 if errors else 0)
        if baseline_path is not None:
            from .baseline import Baseline

            findings, known = Baseline.load(baseline_path).filter(findings)
            if known:
                notes.append(f"{known} known finding{'s' if known != 1 else ''} hidden by the baseline {baseline_path}")
    except MedlintError as err:
        echo(f"medlint: {err}", err=True)
        sys.exit(2)

    rules_ran = list(default_linter.rules)
    if output is not None:
        from .report.emit import _refuse_overwrite

        _refuse_overwrite(output, named)
    if stream is not None:
        stream.finish(Report(findings=[], errors=errors, files_checked=files))
        for note in notes:
            echo(f"medlint: {note}", err=True)
        for err in errors:
            echo(f"medlint: error: {err.message}", err=True)
        sys.exit(2 if errors else 1 if failed else 0)
    report = Report(findings=findings, errors=errors, notes=notes, files_checked=files,
                    rules=rules_ran, tool_version=__version__, files=checked, sources=sources,
                    show_source=show_source, statistics=statistics)
    if show_diff:  # the diff replaces the report on stdout; exit 1 when there is something to fix
        echo("".join(diffs), nl=False)
    else:
        emit(report, fmt, output, color)
    for note in notes:
        echo(f"medlint: {note}", err=True)
    for err in errors:
        echo(f"medlint: error: {err.message}", err=True)
    if errors:
        sys.exit(2)
    if show_diff:
        sys.exit(1 if any(diffs) else 0)
    sys.exit(1 if any(f.severity >= fail_levels.get(f.path, failing) for f in findings) else 0)
