"""The ``medlint`` command's options and help (click). Thin: ``check`` hands its flags to
``checkrun.run_check``, which finds files and configs, calls the Linter and writes the
report. Exit codes: 0 clean, 1 findings at or above the failing severity, 2 usage,
configuration or read errors (other files still checked).

The console script starts in ``entry.py``, which runs plain ``medlint check`` invocations
without importing click and hands everything else (help, ``rules``, ``explain``, unusual
flags, usage errors) to ``main`` here.
"""
from __future__ import annotations

import os
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


class _CheckCommand(click.Command):
    """``check``, where an existing file whose name starts with ``-`` is a path, not an
    unknown option: pre-commit passes file names without ``--``, and one draft named
    ``-intro.md`` must not stop the whole batch (the fast path in ``entry.py`` agrees)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        takes_value: dict[str, bool] = {}
        for param in self.get_params(ctx):
            if isinstance(param, click.Option):
                for name in (*param.opts, *param.secondary_opts):
                    takes_value[name] = not (param.is_flag or param.count)
        options: list[str] = []
        paths: list[str] = []
        moved = False
        rest = list(args)
        while rest:
            arg = rest.pop(0)
            if arg == "--":
                paths.extend(rest)
                break
            if arg.startswith("-") and arg != "-":
                flag, eq, _ = arg.partition("=")
                if flag in takes_value:
                    options.append(arg)
                    if takes_value[flag] and not eq and rest:
                        options.append(rest.pop(0))
                    continue
                if os.path.lexists(arg):
                    paths.append(arg)
                    moved = True
                    continue
                options.append(arg)  # unknown: click reports it
                continue
            paths.append(arg)
        return super().parse_args(ctx, options + ["--"] + paths if moved else list(args))


@main.command(cls=_CheckCommand)
@click.argument("paths", nargs=-1, type=str)
@click.option("--format", "-f", "fmt", default="text", show_default=True,
              help="Report format: text, json, sarif, github, junit, html.")
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
@click.option("--stdin-format", type=click.Choice(["markdown", "html", "text"]), default=None,
              help="Format of text read from '-' [default: from --stdin-filename's suffix, else markdown].")
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


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback by default; set a token before opening it up).")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True, help="TCP port.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes (each loads the rules once).")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              default=None, help="Settings file (default: .medlint.yaml / pyproject.toml found from the current folder).")
@click.option("--no-config", is_flag=True, help="Ignore configuration files.")
@click.option("--max-body", default="1MB", show_default=True,
              help="Largest request body accepted (413 above it): bytes, or 512KB, 2MB, 1MiB.")
@click.option("--cors-origin", "cors_origins", multiple=True,
              help="Allow browser pages from this origin to call the API (repeatable; CORS is off without it).")
@click.option("--token-env", default="MEDLINT_SERVER_TOKEN", show_default=True,
              help="Environment variable holding a bearer token; when it is set, the API requires it.")
@click.option("--log-level", type=click.Choice(["critical", "error", "warning", "info", "debug"]),
              default="info", show_default=True, help="uvicorn's log level.")
def serve(host: str, port: int, workers: int, config_path: Path | None, no_config: bool, max_body: str,
          cors_origins: tuple[str, ...], token_env: str, log_level: str) -> None:
    """Serve the HTTP API (/v1/check, LanguageTool-compatible /v2/check) and a review page.

    Needs the server extra: pip install 'medlint[server]'. See docs/server.md.
    """
    from .server.run import parse_size, serve as run_server

    try:
        cap = parse_size(max_body)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--max-body") from None
    try:
        from .server.app import Settings
    except ImportError as err:
        click.echo(f"medlint: `medlint serve` needs the server extra ({err.name} is missing): "
                   "pip install 'medlint[server]'", err=True)
        sys.exit(2)
    settings = Settings(config=str(config_path) if config_path else None, no_config=no_config,
                        max_body=cap, token_env=token_env, cors_origins=list(cors_origins))
    run_server(host, port, workers, settings, log_level)


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


@main.command()
@click.option("--stdio", is_flag=True,
              help="Speak LSP over stdin/stdout (the default and only transport; accepted because "
                   "editors pass it).")
def lsp(stdio: bool) -> None:
    """Run the language server: findings in the editor as you type, with quick fixes.

    Needs the lsp extra (pip install 'medlint[lsp]'). Set-up for Neovim, Helix, Emacs, Zed
    and VS Code: docs/editors.md."""
    try:
        import lsprotocol  # noqa: F401
        from pygls.lsp.server import LanguageServer  # noqa: F401 - pygls 2's module
    except ImportError:
        from .lsp import MISSING_EXTRA

        click.echo(f"medlint: {MISSING_EXTRA}", err=True)
        sys.exit(2)
    from .lsp import main as serve

    serve()


@main.command()
@click.argument("input_path", metavar="INPUT", type=str)
@click.option("--out", "-o", "out", type=click.Path(path_type=Path, file_okay=False), default=Path("medlint-audit"),
              show_default=True, help="Folder for findings.parquet, pages.parquet and report.html.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: a pool of processes here; dask: a dask.distributed cluster.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes (local; default: all CPUs) or LocalCluster workers (dask; default: 2).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Dask scheduler address (tcp://host:8786); without it --engine dask starts a LocalCluster.")
@click.option("--baseline", "baseline", type=click.Path(path_type=Path, exists=True), default=None,
              help="An earlier audit's --out folder: the report shows what is new, fixed and unchanged.")
@click.option("--batch-size", type=click.IntRange(min=1), default=200, show_default=True,
              help="Pages per batch handed to a worker.")
@click.option("--select", multiple=True, help="Only these rules (ids, id prefixes or categories; comma-separated).")
@click.option("--extend-select", multiple=True, help="Add rules to the selection (e.g. off-by-default rules).")
@click.option("--ignore", multiple=True, help="Skip these rules (ids, id prefixes or categories).")
@click.option("--packs", multiple=True, help="Rule packs to enable (default: all bundled packs).")
@click.option("--rules-dir", "rule_dirs", multiple=True, type=click.Path(path_type=Path),
              help="Extra folder of your own YAML rules (repeatable; Dask workers must see it too).")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Use this config file instead of discovering one from INPUT's folder.")
@click.option("--no-config", is_flag=True, help="Ignore configuration files.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr [default: when stderr is a terminal].")
@click.option("--no-report", is_flag=True, help="Write the two tables only, no report.html.")
def audit(input_path: str, out: Path, engine: str, jobs: int | None, scheduler: str | None,
          baseline: Path | None, batch_size: int, select: tuple[str, ...], extend_select: tuple[str, ...],
          ignore: tuple[str, ...], packs: tuple[str, ...], rule_dirs: tuple[Path, ...],
          config_path: Path | None, no_config: bool, progress: bool | None, no_report: bool) -> None:
    """Audit a site: INPUT is a folder of drafts, a .jsonl file, or a Parquet file or folder
    of pages (columns url or id, body, optional title and format).

    Writes findings.parquet (one row per finding), pages.parquet (one row per page, with a
    publish verdict and any read error) and report.html to --out. Exit 0 when the audit
    ran (whatever it found), 2 when the input cannot be read at all or a setting is wrong.
    Needs the audit extra: pip install 'medlint[audit]'.
    """
    if scheduler is not None and engine != "dask":
        raise click.UsageError("--scheduler is for --engine dask")
    try:
        import pyarrow  # noqa: F401
        if engine == "dask":
            import distributed  # noqa: F401
    except ImportError as err:
        click.echo(f"medlint audit: {err.name} is not installed; install the audit extra: "
                   "pip install 'medlint[audit]'", err=True)
        sys.exit(2)
    from .audit.inputs import InputError
    from .audit.run import run_audit
    from .config import Config
    from .configfile import find_config_file, load_config_file

    overrides: dict[str, Any] = {
        "select": _split(select), "extend_select": _split(extend_select), "ignore": _split(ignore),
        "packs": _split(packs), "rule_dirs": tuple(rule_dirs) or None,
    }
    try:
        if config_path is not None:
            cfg_file: Path | None = config_path
        elif no_config:
            cfg_file = None
        else:
            where = Path(input_path)
            cfg_file = find_config_file((where if where.is_dir() else where.parent).resolve())
        config = (load_config_file(cfg_file) if cfg_file else Config()).merged(**overrides)
        result = run_audit(input_path, out, engine=engine, jobs=jobs, scheduler=scheduler, config=config,
                           baseline=baseline, batch_size=batch_size, progress=progress,
                           report=not no_report)
    except (InputError, MedlintError) as err:
        click.echo(f"medlint audit: {err}", err=True)
        sys.exit(2)
    click.echo(result.message)
    sys.exit(result.exit_code)


def explain_text(rule: Any) -> str:
    """What ``medlint explain`` prints (kept in ``ruledocs`` so the server shares it)."""
    from .ruledocs import explain_text as text

    return text(rule)


if __name__ == "__main__":  # pragma: no cover
    main()
