"""The ``medlint`` command's options and help (click). Thin: ``check`` hands its flags to
``checkrun.run_check``, which finds files and configs, calls the Linter and writes the
report. Exit codes: 0 clean, 1 findings at or above the failing severity, 2 usage,
configuration or read errors (other files still checked).

The console script starts in ``entry.py``, which runs plain ``medlint check`` invocations
without importing click and hands everything else (help, ``rules``, ``explain``, unusual
flags, usage errors) to ``main`` here.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from . import __version__
from .checkrun import SEVERITIES, RunState, _split, run_check  # noqa: F401 - RunState, _split: public before
from .errors import MedlintError


def _version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``--version``: medlint's version and the engine that finds where rules may match."""
    if not value or ctx.resilient_parsing:
        return
    from .scan import describe_engine

    click.echo(f"medlint, version {__version__}\nengine: {describe_engine()}")
    ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_version,
              help="Show the version and the matching engine, then exit.")
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
def check(**params: Any) -> None:
    """Lint drafts: files, folders (.md, .markdown, .txt, .html, .htm) or '-' for stdin."""
    run_check(**params)


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
