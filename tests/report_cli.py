"""Helpers for the report tests: run ``medlint check`` in-process without recompiling rules.

Building a Linter compiles every bundled rule (seconds on a busy machine); the CLI builds
one per run. The report tests only vary output flags, so they hand the CLI the session's
compiled rule set instead. Only for runs with the bundled packs (no --packs/--rules-dir).
"""
from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner, Result

import medlint.linter
from medlint.cli import main
from medlint.ruleset import RuleSet


def use_compiled_rules(monkeypatch: pytest.MonkeyPatch, ruleset: RuleSet) -> None:
    real = medlint.linter.Linter

    def linter(config: Any = None, ruleset_: RuleSet | None = None) -> medlint.linter.Linter:
        return real(config, ruleset=ruleset_ or ruleset)

    monkeypatch.setattr(medlint.linter, "Linter", linter)


def run(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
    return CliRunner().invoke(main, ["check", "--no-config", *args], env=env, input=input)
