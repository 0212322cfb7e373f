"""Every rule's own examples, run automatically: `flag` texts must fire the rule and
`pass` texts (the near-misses) must not. A failure names the rule and the example."""
from __future__ import annotations

import pytest

from medlint.config import Config
from medlint.linter import Linter
from medlint.ruleset import Rule, RuleSet, load_ruleset

RULES = load_ruleset().rules


def _linter_for(ruleset: RuleSet, rule: Rule) -> Linter:
    return Linter(Config(select=(rule.id,)), ruleset=ruleset)


def _cases() -> list:
    out = []
    for rule in RULES:
        for kind in ("flag", "pass"):
            for i, text in enumerate(rule.examples.get(kind, [])):
                out.append(pytest.param(rule.id, kind, text, id=f"{rule.id}-{kind}-{i + 1}"))
    return out


@pytest.mark.parametrize("rule_id, kind, text", _cases())
def test_rule_example(ruleset: RuleSet, rule_id: str, kind: str, text: str) -> None:
    rule = ruleset.by_id()[rule_id]
    found = [f for f in _linter_for(ruleset, rule).lint(text) if f.rule == rule_id]
    if kind == "flag":
        assert found, f"rule {rule_id} did not fire on its own flag example: {text!r}"
    else:
        assert not found, (f"rule {rule_id} fired on its own pass example {text!r}: "
                           + "; ".join(f"{f.line}:{f.column} {f.match!r}" for f in found))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_has_enough_examples(rule: Rule) -> None:
    assert len(rule.examples.get("flag", [])) >= 2, f"{rule.id} needs at least two flag examples"
    assert len(rule.examples.get("pass", [])) >= 2, f"{rule.id} needs at least two pass examples"


def test_rule_ids_are_namespaced_by_category() -> None:
    for rule in RULES:
        assert rule.id.split(".")[0] == rule.category, f"{rule.id} should start with {rule.category}."
