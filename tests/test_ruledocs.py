"""Rule documentation comes from the rules: the committed docs/rules.md must match what the
rules generate today, and the listings show what the docs promise."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from medlint.cli import main
from medlint.ruledocs import REGENERATE, generate
from medlint.ruleset import RuleSet

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def test_committed_rule_docs_are_up_to_date(ruleset: RuleSet) -> None:
    committed = DOCS.read_text(encoding="utf-8") if DOCS.is_file() else ""
    assert committed == generate(ruleset), (
        f"docs/rules.md is out of date with the rule files; regenerate it with: {REGENERATE}")


def test_rule_docs_cover_every_rule_with_its_rationale(ruleset: RuleSet) -> None:
    text = generate(ruleset)
    for rule in ruleset.rules:
        assert f"### {rule.id}\n" in text
        assert f"[`{rule.id}`](#" in text
    assert str(Path.home()) not in text and "/work/" not in text  # no machine paths


def test_markdown_format_of_rules_command_matches_the_generator(ruleset: RuleSet) -> None:
    result = CliRunner().invoke(main, ["rules", "--format", "markdown"])
    assert result.exit_code == 0
    assert result.stdout == generate(ruleset)


def test_rules_json(ruleset: RuleSet) -> None:
    result = CliRunner().invoke(main, ["rules", "--format", "json", "--all"])
    data = json.loads(result.stdout)
    assert [r["id"] for r in data] == [r.id for r in ruleset.rules]
    first = data[0]
    assert {"id", "category", "severity", "pack", "summary", "why", "source", "examples", "file"} <= set(first)
    assert not Path(first["file"]).is_absolute()


def test_explain(ruleset: RuleSet) -> None:
    rule = ruleset.rules[0]
    result = CliRunner().invoke(main, ["explain", rule.id])
    assert result.exit_code == 0
    assert rule.why in result.stdout and rule.source in result.stdout and "Flagged:" in result.stdout
    missing = CliRunner().invoke(main, ["explain", rule.id + "x"])
    assert missing.exit_code == 2 and "unknown rule" in missing.stderr
