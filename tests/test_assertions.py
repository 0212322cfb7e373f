"""The one assertion test (``Language.asserted``) that claim, promotion and fair-balance rules
share: what the writer asserts, and what is asked, negated, hedged, cited, refuted, attributed
or quoted. Drafts written for these tests."""
from __future__ import annotations

import pytest

from medlint.linter import Linter


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter()


def rules(linter: Linter, text: str, fmt: str = "markdown") -> set[str]:
    return {f.rule for f in linter.lint(text, format=fmt)}


ASSERTED = [
    "The infusions rebuild damaged brain connections.",
    "Our pellets balance hormones in men and women of any age.",
    "Stem cell injections can treat a wide range of joint problems.",
    "The detox programme helps your liver eliminate toxins.",
    "The drip is remarkably safe for people of every age.",
]

NOT_ASSERTED = [
    # asked
    "Can the infusions rebuild damaged brain connections?",
    # negated, with an aside between the negation and the claim
    "No injection (other than the licensed one) has been shown to rebuild cartilage.",
    # hedged
    "The infusions may rebuild damaged connections, but research is ongoing.",
    # attributed
    "Marketers claim that the pellets balance hormones.",
    "According to the seller, the supplement eliminates toxins.",
    "Kratom is promoted as a way to relieve withdrawal.",
    # cited
    "The drug relieved pain in 40% of patients (Ortiz et al., 2021).",
    # expected, not achieved
    "The project is expected to expand a treatment that can help veterans with PTSD.",
]


@pytest.mark.parametrize("text", ASSERTED)
def test_asserted_efficacy_or_safety_is_a_claim(linter: Linter, text: str) -> None:
    assert rules(linter, text) & {"claim.efficacy-asserted", "claim.safety-asserted"}, text


@pytest.mark.parametrize("text", NOT_ASSERTED)
def test_statements_the_writer_does_not_assert_are_not_claims(linter: Linter, text: str) -> None:
    found = rules(linter, text) & {"claim.efficacy-asserted", "claim.safety-asserted",
                                   "claim.settled-evidence-uncited"}
    assert not found, (text, found)


def test_a_quoted_term_is_mentioned_not_claimed(linter: Linter) -> None:
    assert "claim.unsupported-wellness" in rules(linter, "Our drips promise detoxification.")
    assert "claim.unsupported-wellness" not in rules(
        linter, "So-called “detoxification” programmes are sold at health centres.")


def test_one_claim_finding_per_sentence_and_rule(linter: Linter) -> None:
    text = "The infusions restore energy, repair the gut and rejuvenate skin."
    hits = [f for f in linter.lint(text) if f.rule == "claim.efficacy-asserted"]
    assert len(hits) == 1


def test_selling_imperative_only_where_it_opens_a_sentence(linter: Linter) -> None:
    assert "promotion.selling-imperative" in rules(linter, "Shop our range of CBD oils.")
    assert "promotion.selling-imperative" in rules(linter, "- Order your kit today")
    assert "promotion.selling-imperative" not in rules(
        linter, "Patients who shop around for clinics should check the licence.")


FAIR_BALANCE = "safety.benefits-without-risks"


def test_benefits_with_no_harm_named(linter: Linter) -> None:
    text = "# NAD+ drips\n\nOur NAD+ drips restore energy and ease brain fog.\n"
    assert FAIR_BALANCE in rules(linter, text)


@pytest.mark.parametrize("harm", [
    "Side effects can include nausea and vein irritation.",
    "The drip can cause bruising and, rarely, infection.",
    "Do not use it if you have kidney disease.",
])
def test_a_named_harm_gives_fair_balance(linter: Linter, harm: str) -> None:
    text = f"# NAD+ drips\n\nOur NAD+ drips restore energy and ease brain fog. {harm}\n"
    assert FAIR_BALANCE not in rules(linter, text)


@pytest.mark.parametrize("not_a_harm", [
    "They work without causing any side effects.",
    "They lower your risk of heart disease.",
    "They have fewer side effects than pills.",
    "Are there side effects?",
])
def test_denied_or_disease_risk_is_not_a_harm(linter: Linter, not_a_harm: str) -> None:
    text = f"# NAD+ drips\n\nOur NAD+ drips restore energy and ease brain fog. {not_a_harm}\n"
    assert FAIR_BALANCE in rules(linter, text), not_a_harm


def test_only_reported_or_asked_benefits_start_no_fair_balance_warning(linter: Linter) -> None:
    text = ("# Kratom\n\nKratom is promoted as a way to relieve pain. "
            "Does it really ease withdrawal?\n")
    assert FAIR_BALANCE not in rules(linter, text)
