"""Table cells that ran together when a page was flattened ("Side EffectsNO side effects").

Decision: a word of four or more letters in Title Case (or five or more in lower case)
followed at once by a word of two or more capitals is two cells; the text is read a second
time with a boundary at the join, and a match that starts or ends there is found, on its own
source range. A match never runs over the join. Words with a case change of their own
(iPhone, McDonald, mRNA, PubMed, WebMD) are not split, and a Title Case tail
("DurationOngoing") is left alone: it cannot be told from a brand name (CoolSculpting).
"""
from __future__ import annotations

import pytest

from medlint.document import parse
from medlint.linter import Linter
from house import house_linter

HOUSE = """
rules:
  - id: claim.no-side-effects
    kind: claim
    category: claim
    severity: error
    terms: [no side effects]
    message: Absolute safety.
    why: test
    source: test
  - id: claim.effects-no
    kind: existence
    category: claim
    severity: warning
    patterns: ['effects\\W*no']
    message: Across the join.
    why: test
    source: test
  - id: promotion.words
    kind: existence
    category: promotion
    severity: warning
    terms: [phone, donald, rna, med, md]
    message: Word.
    why: test
    source: test
"""


@pytest.fixture(scope="module")
def house(tmp_path_factory: pytest.TempPathFactory) -> Linter:
    return house_linter(tmp_path_factory.mktemp("house"), HOUSE,
                        ("claim.no-side-effects", "claim.effects-no", "promotion.words"))


def found(linter: Linter, text: str, fmt: str = "text") -> list[tuple[str, int, int, str]]:
    findings = linter.lint(text, fmt)
    for f in findings:
        assert text[f.start:f.end] == f.match
    return sorted((f.rule, f.line, f.column, f.match) for f in findings)


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_a_claim_in_a_run_together_cell_is_found(house: Linter, fmt: str) -> None:
    text = "Our drip compared\n\nSide EffectsNO side effects reported\n\nOpen daily.\n"
    assert found(house, text, fmt) == [("claim.no-side-effects", 3, 13, "NO side effects")]


def test_the_join_is_found_in_lower_case_too(house: Linter) -> None:
    text = "Compared\n\nside effectsNO side effects\n\nOpen daily.\n"
    assert [m for _, _, _, m in found(house, text)] == ["NO side effects"]


def test_a_match_never_runs_over_the_join(house: Linter) -> None:
    assert [r for r, *_ in found(house, "Side EffectsNONE of note\n\nOpen.\n")] == []


@pytest.mark.parametrize("word", ["iPhone", "McDonald", "mRNA", "siRNA", "PubMed", "WebMD", "eBay", "mmHg",
                                  "DurationOngoing", "CoolSculpting"])
def test_real_words_with_a_case_change_are_not_split(house: Linter, word: str) -> None:
    text = f"Intro.\n\nWe talked about {word} today.\n"
    assert parse(text, "text").run_together() == []
    assert found(house, text) == []


def test_joins_are_where_the_second_cell_starts() -> None:
    text = "PriceFROM $99\nDoseNO needles\n"
    doc = parse(text, "text")
    assert [text[j:j + 4] for j in doc.run_together()] == ["FROM", "NO n"]
