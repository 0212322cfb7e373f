"""The ``medlint`` command. Thin: it parses flags, finds files and configs, calls the
Linter, and hands the findings to a formatter. Exit codes: 0 clean, 1 findings at or above
the failing severity, 2 usage, configuration or read errors (other files still checked).
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import click

from . import __version__
from .config import Config
from .errors import MedlintError
from .finding import Finding, Severity

SEVERITIES = ("info", "warning", "error")


def _split(values: Sequence[str]) -> tuple[str, ...] | None:
    out = [v.strip() for value in values for v in value.split(",") if v.strip()]
    return tuple(out) if out else None


@dataclass
class RunState:
    """Per-run caches: one Linter per configuration file, built once."""

    overrides: dict[str, Any]
    config_path: Path | None
    use_config: bool
    linters: dict[str, Any] = field(default_factory=dict)
    found: dict[Path, Path | None] = field(default_factory=dict)  # folder -> its config file

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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="medlint")
def main() -> None:
    """medlint: a content-quality linter for health writing."""


@main.command()
@click.argument("paths", nargs=-1, type=str)
@click.option("--format", "-f", "fmt", default="text", show_default=True,
              help="Report format: text, json, sarif, github, junit.")
@click.option("--select", multiple=True, help="Only these rules (ids, id prefixes or categories; comma-separated).")
@click.option("--extend-select", multiple=True, help="Add rules to the selection (e.g. off-by-default rules).")
@click.option("--ignore", multiple=True, help="Skip these rules (ids, id prefixes or categories).")
@click.option("--packs", multiple=True, help="Rule packs to enable (default: all bundled packs).")
@click.option("--rules-dir", "rule_dirs", multiple=True, type=click.Path(path_type=Path),
              help="Extra folder of your own YAML rules (repeatable).")
@click.option("--min-severity", type=click.Choice(SEVERITIES), default=None,
              help="Do not report findings below this severity.")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
              help="Exit 1 when a finding at or above this severity is reported [default: info].")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Use this config file instead of discovering .medlint.yaml / pyproject.toml.")
@click.option("--no-config", is_flag=True, help="Ignore configuration files.")
@click.option("--stdin-format", type=click.Choice(["markdown", "html", "text"]), default="markdown",
              show_default=True, help="Format of text read from '-'.")
@click.option("--stdin-filename", default=None, help="Path to report for text read from '-'.")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write the report to this file; the terminal still gets the summary.")
# -- adoption: suppressions and baselines (medlint/suppress.py, medlint/baseline.py) --------
@click.option("--report-unused-suppressions", is_flag=True,
              help="Report medlint-disable comments that suppressed nothing (as medlint.unused-suppression).")
@click.option("--baseline", "baseline_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Report only findings not recorded in this baseline file.")
@click.option("--write-baseline", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Record every current finding in this file, then exit 0.")
# -- presentation (medlint/report/) ------------------------------------------------------
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour the text report (auto: when writing to a terminal and NO_COLOR is unset).")
@click.option("--show-source", is_flag=True, help="Show each finding's line with the match underlined.")
@click.option("--statistics", is_flag=True, help="Count findings per rule instead of listing them.")
# -- safe fixes (medlint/fix.py) -----------------------------------------------------------
@click.option("--fix", is_flag=True,
              help="Apply the replacements of substitution rules to the files (atomic, keeps encoding).")
@click.option("--diff", "show_diff", is_flag=True,
              help="Print the changes --fix would make as a unified diff instead of a report; write nothing.")
# -- speed (medlint/parallel.py) -----------------------------------------------------------
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Lint files in N processes (default: all CPUs for 32+ files, else 1). Output order is unchanged.")
def check(paths: tuple[str, ...], fmt: str, select: tuple[str, ...], extend_select: tuple[str, ...],
          ignore: tuple[str, ...], packs: tuple[str, ...], rule_dirs: tuple[Path, ...],
          min_severity: str | None, fail_on: str | None, config_path: Path | None, no_config: bool,
          stdin_format: str, stdin_filename: str | None, output: Path | None,
          report_unused_suppressions: bool, baseline_path: Path | None,
          write_baseline: Path | None, color: str, show_source: bool, statistics: bool,
          fix: bool, show_diff: bool, jobs: int | None) -> None:
    """Lint drafts: files, folders (.md, .markdown, .txt, .html, .htm) or '-' for stdin."""
    from .files import iter_paths
    from .parallel import run_files
    from .report import FORMATS, FileError, Report
    from .report.emit import check_options, emit
    from .report.stream import TextStream, can_stream

    if fmt not in FORMATS:
        raise click.UsageError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    if not paths:
        raise click.UsageError("give at least one file, folder or '-' (stdin)")
    if baseline_path is not None and write_baseline is not None:
        raise click.UsageError("--baseline and --write-baseline cannot be combined "
                               "(--write-baseline alone records every current finding)")
    check_options(fmt, output, statistics, list(paths))
    if fix and not show_diff and "-" in paths:
        raise click.UsageError("--fix cannot rewrite stdin; use --diff to see the changes")

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
                                 show_source, diffs)
        else:
            outcomes = run_files(state, items, jobs, stdin_format, stdin_filename, show_source)
        for kind, shown, outcome in outcomes:
            if kind == "error":
                errors.append(FileError(shown, outcome))
                continue
            if kind == "skip":
                notes.append(outcome)
                continue
            result, fail_levels[shown], text = outcome
            files += 1
            checked.append(shown)
            if show_source:
                sources[shown] = text
            notes.extend(result.problems)
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
            click.echo(f"medlint: recorded {count} finding{'s' if count != 1 else ''} "
                       f"in {files} file{'s' if files != 1 else ''} in the baseline {write_baseline}", err=True)
            for note in notes:
                click.echo(f"medlint: {note}", err=True)
            for error in errors:
                click.echo(f"medlint: error: {error.message}", err=True)
            sys.exit(2 if errors else 0)
        if baseline_path is not None:
            from .baseline import Baseline

            findings, known = Baseline.load(baseline_path).filter(findings)
            if known:
                notes.append(f"{known} known finding{'s' if known != 1 else ''} hidden by the baseline {baseline_path}")
    except MedlintError as err:
        click.echo(f"medlint: {err}", err=True)
        sys.exit(2)

    rules_ran = list(default_linter.rules)
    if stream is not None:
        stream.finish(Report(findings=[], errors=errors, files_checked=files))
        for note in notes:
            click.echo(f"medlint: {note}", err=True)
        for err in errors:
            click.echo(f"medlint: error: {err.message}", err=True)
        sys.exit(2 if errors else 1 if failed else 0)
    report = Report(findings=findings, errors=errors, notes=notes, files_checked=files,
                    rules=rules_ran, tool_version=__version__, files=checked, sources=sources,
                    show_source=show_source, statistics=statistics)
    if show_diff:  # the diff replaces the report on stdout; exit 1 when there is something to fix
        click.echo("".join(diffs), nl=False)
    else:
        emit(report, fmt, output, color)
    for note in notes:
        click.echo(f"medlint: {note}", err=True)
    for err in errors:
        click.echo(f"medlint: error: {err.message}", err=True)
    if errors:
        sys.exit(2)
    if show_diff:
        sys.exit(1 if any(diffs) else 0)
    sys.exit(1 if any(f.severity >= fail_levels.get(f.path, failing) for f in findings) else 0)


@main.command(name="rules")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True, help="markdown is docs/rules.md (every rule, with examples).")
@click.option("--all", "show_all", is_flag=True, help="Include rules that are off by default.")
def list_rules(fmt: str, show_all: bool) -> None:
    """List every rule: id, category, severity, pack and a one-line summary."""
    import json

    from .ruledocs import render_markdown, rule_record
    from .linter import cached_ruleset as load_ruleset

    try:
        ruleset = load_ruleset()
    except MedlintError as err:
        click.echo(f"medlint: {err}", err=True)
        sys.exit(2)
    if fmt == "markdown":  # the whole reference, off-by-default rules included
        click.echo(render_markdown(ruleset.rules), nl=False)
        return
    rules = [r for r in ruleset.rules if show_all or r.enabled]
    if fmt == "json":
        click.echo(json.dumps([rule_record(r) for r in rules], indent=2, ensure_ascii=False))
        return
    width = max((len(r.id) for r in rules), default=10)
    for r in rules:
        off = "" if r.enabled else " (off by default)"
        click.echo(f"{r.id:<{width}}  {r.category:<11} {r.severity.value:<7} {r.pack:<9} {r.summary}{off}")


@main.command()
@click.argument("rule_id")
def explain(rule_id: str) -> None:
    """Show a rule's rationale, source and examples."""
    from .linter import cached_ruleset as load_ruleset

    ruleset = load_ruleset()
    rule = ruleset.by_id().get(rule_id)
    if rule is None:
        close = [r for r in ruleset.by_id() if rule_id in r]
        hint = f" Did you mean: {', '.join(close[:5])}?" if close else ""
        click.echo(f"medlint: unknown rule {rule_id!r}.{hint}", err=True)
        sys.exit(2)
    click.echo(explain_text(rule))


def explain_text(rule: Any) -> str:
    lines = [
        f"{rule.id}  ({rule.category}, {rule.severity.value}, pack {rule.pack}"
        f"{'' if rule.enabled else ', off by default'})",
        "",
        f"Message: {rule.message}",
        "",
        f"Why: {rule.why}",
        "",
        f"Source: {rule.source}",
    ]
    if rule.suggestion:
        lines += ["", f"Suggested text: {rule.suggestion}"]
    for key, title in (("flag", "Flagged"), ("pass", "Not flagged")):
        examples = rule.examples.get(key, [])
        if examples:
            lines += ["", f"{title}:"]
            lines += [f"  - {' '.join(e.split())}" for e in examples]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    main()
