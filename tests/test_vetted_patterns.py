"""Every pattern shipped in rules/ stays linear on adversarial text.

Bundled rules run without the ``regex`` module's per-call timeout (it costs ~2 us a call,
a fifth of a warm lint); only the rule's time budget, checked between calls, stops them.
That is safe only while no bundled pattern can backtrack catastrophically, so this test
runs every one of them over long texts built to provoke it (runs of one letter, of short
words, of spaces, of digits and separators, of the rules' own words and examples) with a
per-call timeout far above what a linear pattern needs (a few milliseconds here). A
pattern added to a rule pack that goes quadratic fails here, naming the rule and text.

A writer's own rules (``rule_dirs``) are not vetted and keep the per-call timeout
(``tests/test_reliability.py`` covers them).
"""
from __future__ import annotations

from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest
import regex
import yaml

from medlint.checks.base import Companion
from medlint.linter import cached_ruleset
from medlint.ruleset import bundled_rules_dir

SIZE = 20_000
#: a linear pattern needs milliseconds on 20 KB; a quadratic one needs seconds
LIMIT = 5.0


def _patterns_of(obj: Any, lexicon: Any, seen: set[int]) -> Iterator[regex.Pattern[str]]:
    """Every compiled pattern reachable from a check (companions' word lists included)."""
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, regex.Pattern):
        yield obj
    elif isinstance(obj, Companion):
        if obj.pattern is not None:
            yield obj.pattern
        for name in obj.lexicon:
            p = lexicon.get(name)
            if p is not None:
                yield p
    elif is_dataclass(obj) and not isinstance(obj, type):
        for f in fields(obj):
            yield from _patterns_of(getattr(obj, f.name), lexicon, seen)
    elif isinstance(obj, (tuple, list, frozenset, set)):
        for item in obj:
            yield from _patterns_of(item, lexicon, seen)


def _bundled() -> list[tuple[str, regex.Pattern[str]]]:
    ruleset = cached_ruleset()
    lexicon = ruleset.language.lexicon
    out: dict[tuple[str, int], tuple[str, regex.Pattern[str]]] = {}
    for rule in ruleset.rules:
        assert rule.vetted, f"{rule.id} is bundled but not marked vetted"
        for p in _patterns_of(rule.check, lexicon, set()):
            out.setdefault((p.pattern, p.flags), (rule.id, p))
    for name, p in lexicon.lists.items():
        out.setdefault((p.pattern, p.flags), (f"lexicon {name}", p))
    if ruleset.facts is not None:
        for p in _patterns_of(ruleset.facts, lexicon, set()):
            out.setdefault((p.pattern, p.flags), ("facts.yaml", p))
    return sorted(out.values(), key=lambda item: (item[0], item[1].pattern))


def _repeat(unit: str) -> str:
    return (unit * (SIZE // max(1, len(unit)) + 1))[:SIZE]


def _texts() -> dict[str, str]:
    ruleset = cached_ruleset()
    lexicon = yaml.safe_load((bundled_rules_dir() / "lexicon.yaml").read_text(encoding="utf-8"))
    words = " ".join(t for entry in lexicon.values() for t in entry.get("terms", ()))
    examples = " ".join(x for r in ruleset.rules for x in r.examples.get("flag", ()))
    return {
        "one letter": _repeat("a"),
        "short words": _repeat("a "),
        "spaces": _repeat(" "),
        "lines": _repeat("word\n"),
        "numbers": _repeat("1,000, 10% "),
        "hyphens": _repeat("- "),
        "capitals": _repeat("FDA US IV "),
        "lexicon words": _repeat(words + " "),
        "rule examples": _repeat(examples + " "),
        "no spaces": _repeat("under-the-supervision-of-a-doctor-"),
    }


PATTERNS = _bundled()
TEXTS = _texts()


def test_every_bundled_rule_and_list_is_covered() -> None:
    assert len(PATTERNS) > 50


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_bundled_patterns_are_linear(name: str) -> None:
    text = TEXTS[name]
    slow = []
    for owner, pattern in PATTERNS:
        try:
            for _ in pattern.finditer(text, timeout=LIMIT):
                pass
        except TimeoutError:
            slow.append(f"{owner}: {pattern.pattern[:120]}")
    assert not slow, f"patterns that backtrack on {name!r} text ({SIZE} chars):\n" + "\n".join(slow)


def test_vetted_rules_still_stop_at_their_time_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """No per-call timeout, but the rule's budget is checked before every regex call."""
    import medlint.linter as linter_module
    from medlint import Linter

    monkeypatch.setattr(linter_module, "rule_budget", lambda length: 0.0)
    result = Linter().check("Ketamine is FDA-approved for depression. Book now!\n")
    assert result.findings == []
    assert result.problems and all("time budget" in p for p in result.problems)
    assert not result.complete and result.skipped


def test_a_writers_own_rules_are_not_vetted(tmp_path: Path) -> None:
    from medlint import Linter

    (tmp_path / "house.yaml").write_text(
        "rules:\n"
        "  - id: house.no-miracle\n"
        "    kind: existence\n"
        "    category: claim\n"
        "    severity: warning\n"
        "    terms: [miracle]\n"
        "    message: Avoid '{match}'.\n"
        "    why: Hype.\n"
        "    source: House style\n"
        "    examples: {flag: ['A miracle.'], pass: ['A result.']}\n", encoding="utf-8")
    linter = Linter({"rule_dirs": [str(tmp_path)]})
    by_id = {r.id: r for r in linter.rules}
    assert not by_id["house.no-miracle"].vetted
    assert by_id["claim.ketamine-fda-approval"].vetted
