"""Each rule kind, exercised through a writer's own rule folder, plus load-time validation."""
from __future__ import annotations

from pathlib import Path

import pytest

from medlint.errors import RuleError
from medlint.linter import Linter
from house import house_linter
from medlint.ruleset import load_ruleset

KINDS = """
rules:
  - id: promotion.spa-words
    kind: existence
    category: promotion
    severity: warning
    terms: [spa-like setting]
    exceptions: ['not\\s+a\\s+spa-like\\s+setting']
    message: '"{match}" sells an experience.'
    why: test
    source: test
  - id: claim.wording-swap
    kind: substitution
    category: claim
    severity: info
    swap: {'scientifically proven': 'shown in trials'}
    message: 'Write "{match}" differently.'
    why: test
    source: test
  - id: supervision.needs-nurse
    kind: conditional
    category: supervision
    severity: warning
    terms: [cold plunge]
    requires: ['nurse']
    scope: paragraph
    message: No nurse.
    why: test
    source: test
  - id: disclaimer.needs-footer
    kind: document
    category: disclaimer
    severity: warning
    when: ['plunge']
    requires: ['footer text']
    message: No footer.
    why: test
    source: test
  - id: claim.plunge-cures
    kind: claim
    category: claim
    severity: error
    terms: [plunge cures]
    message: Cure claim.
    why: test
    source: test
"""


@pytest.fixture(scope="module")
def kinds_linter(tmp_path_factory: pytest.TempPathFactory) -> Linter:
    return house_linter(tmp_path_factory.mktemp("house"), KINDS,
                        ("promotion.spa-words", "claim.wording-swap", "supervision.needs-nurse",
                         "disclaimer.needs-footer", "claim.plunge-cures"))


def rules(linter: Linter, text: str) -> list[tuple[str, str]]:
    return [(f.rule, f.match) for f in linter.lint(text)]


def test_existence_with_exception(kinds_linter: Linter) -> None:
    assert ("promotion.spa-words", "spa-like setting") in rules(kinds_linter, "A spa-like setting.")
    assert rules(kinds_linter, "It is not a spa-like setting.") == []


def test_substitution_offers_the_replacement(kinds_linter: Linter) -> None:
    f = next(f for f in kinds_linter.lint("It is Scientifically proven.") if f.rule == "claim.wording-swap")
    assert f.suggestion == "Shown in trials"


def test_conditional_needs_companion_in_scope(kinds_linter: Linter) -> None:
    assert ("supervision.needs-nurse", "cold plunge") in rules(kinds_linter, "Try a cold plunge.\n\nA nurse is here.")
    assert ("supervision.needs-nurse", "cold plunge") not in rules(kinds_linter, "Try a cold plunge; a nurse is here.")


def test_document_requirement_reported_once_on_line_1(kinds_linter: Linter) -> None:
    found = [f for f in kinds_linter.lint("Intro.\n\nPlunge daily.\n\nPlunge again.") if f.rule == "disclaimer.needs-footer"]
    assert len(found) == 1 and found[0].line == 1
    assert not [f for f in kinds_linter.lint("Plunge daily.\n\nfooter text") if f.rule == "disclaimer.needs-footer"]


def test_claim_suppressed_by_negation_hedge_citation(kinds_linter: Linter) -> None:
    def claims(text: str) -> list[tuple[str, str]]:
        return [r for r in rules(kinds_linter, text) if r[0] == "claim.plunge-cures"]

    assert claims("The plunge cures colds.") == [("claim.plunge-cures", "plunge cures")]
    assert claims("No plunge cures colds.") == []
    assert claims("A plunge cures colds, some suggest.") == []
    assert claims("The plunge cures colds (Smith et al., 2020).") == []


def _load_bad(tmp_path: Path, body: str) -> str:
    (tmp_path / "bad.yaml").write_text(body, encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_ruleset(extra_dirs=[tmp_path])
    return str(err.value)


def test_invalid_rules_name_file_rule_and_reason(tmp_path: Path) -> None:
    base = "rules:\n  - id: claim.x-y\n    kind: existence\n    category: claim\n    severity: warning\n" \
           "    message: m\n    why: w\n    source: s\n"
    assert "unknown kind" in _load_bad(tmp_path, base.replace("existence", "exist") + "    terms: [a]\n")
    msg = _load_bad(tmp_path, base + "    patterns: ['(unclosed']\n")
    assert "bad.yaml" in msg and "claim.x-y" in msg and "invalid regular expression" in msg
    assert "matches the empty string" in _load_bad(tmp_path, base + "    patterns: ['a*']\n")
    assert "category must be" in _load_bad(tmp_path, base.replace("category: claim", "category: hype") + "    terms: [a]\n")
    assert "unknown key" in _load_bad(tmp_path, base + "    terms: [a]\n    colour: red\n")
    assert "duplicate id" in _load_bad(tmp_path, base.replace("claim.x-y", "claim.absolute-outcome") + "    terms: [a]\n")
