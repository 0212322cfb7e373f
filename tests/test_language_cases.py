"""Hard linguistic cases for claim and supervision rules: negation scope, refutation,
pronouns, appositives, regulatory vocabulary that looks like hype, helplines."""
from __future__ import annotations

import pytest

from medlint.linter import Linter

FLAG = [
    "Ketamine is not a cure, but it is FDA-approved for depression.",
    "Ketamine has no side effects.",
    "Spravato is approved for anxiety and PTSD.",
    "Ketamine is a Schedule II narcotic in the US.",
    "Clinically proven to relieve depression within hours.",
    "Ketamine troches dissolve under the tongue in about 15 minutes.",
    "Spravato is sprayed into each nostril twice a week.",
    "Our FDA-approved CBD gummies ease anxiety.",
    "Zurzuvae is the first pill approved for major depression.",
    "MDMA was approved for PTSD in 2024.",
    "Ozempic is approved for weight loss.",
    "Results are guaranteed.",
]

PASS = [
    "No regulator has approved ketamine for PTSD.",
    "The FDA has not, to date, approved ketamine for depression.",
    "Ketamine is not risk-free.",
    "Some clinics advertise 'FDA-approved ketamine'. It is not.",
    "According to the FDA, ketamine is approved as an anaesthetic.",
    "Esketamine is a derivative of ketamine. It is FDA-approved for TRD.",
    "Esketamine, a derivative of ketamine, is FDA-approved for treatment-resistant depression.",
    "Unlike Schedule II opioids, ketamine is in Schedule III.",
    "In 2018 the FDA granted psilocybin Breakthrough Therapy designation.",
    "Heavy use causes permanent bladder damage.",
    "If you are in crisis, call or text 988.",
    "A 2023 trial (Anand et al., NEJM) found ketamine non-inferior to ECT.",
    "There is no evidence that recreational use treats depression.",
    "Apart from Epidiolex, no CBD product is FDA-approved.",
    "Zurzuvae is FDA-approved for postpartum depression.",
    "The FDA declined to approve MDMA-assisted therapy in August 2024.",
    "Ketamine, FDA-approved since 1970, is now used off-label for depression.",
    "Is ketamine FDA-approved for depression?",
    "Myth: ketamine cures depression. Fact: it does not.",
    "Our results are nothing to boast about yet: early studies suggest benefit may fade.",
]


def _findings(linter: Linter, text: str) -> list:
    # document-level rules (disclaimer, fair balance) are not what these cases test
    return [f for f in linter.lint(text) if f.category not in ("disclaimer", "safety")]


@pytest.mark.parametrize("text", FLAG)
def test_flagged(linter: Linter, text: str) -> None:
    assert _findings(linter, text), text


@pytest.mark.parametrize("text", PASS)
def test_not_flagged(linter: Linter, text: str) -> None:
    found = _findings(linter, text)
    assert not found, [(f.rule, f.match) for f in found]
