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


# -- supervision: what the treatment is, and where a caveat counts -----------------------

def test_a_supplement_dose_is_not_a_supervision_case(linter: Linter) -> None:
    text = "# Sleep\n\nTake 400 mg of magnesium or two 25 mg gummies before bed.\n"
    assert not {r for r in rules(linter, text) if r.startswith("supervision.")}


def test_a_controlled_drug_dose_is(linter: Linter) -> None:
    text = "# Dosing\n\nMost people start with 0.5 mg/kg of ketamine.\n"
    assert "supervision.dose-without-caveat" in rules(linter, text)


def test_a_page_level_statement_of_setting_covers_later_sections(linter: Linter) -> None:
    base = ("# Ketamine at St Anne's\n\n{setting}\n\n## Your course\n\n"
            "You will have two infusions a week for three weeks.\n")
    setting = ("All treatment described on this page is given in our hospital clinic by the "
               "team that monitors you.")
    assert "supervision.schedule-without-caveat" in rules(linter, base.format(setting="Welcome."))
    assert "supervision.schedule-without-caveat" not in rules(linter, base.format(setting=setting))
    # "consult your doctor" is advice, not a statement of setting
    advice = "Consult your doctor before you start."
    assert "supervision.schedule-without-caveat" in rules(linter, base.format(setting=advice))


def test_a_caveat_in_the_same_section_counts_but_not_one_in_another(linter: Linter) -> None:
    same = ("# Ketamine\n\n## Sessions\n\nInfusions are given and monitored by our nurses.\n\n"
            "You will have two infusions a week.\n")
    other = ("# Ketamine\n\n## Safety\n\nInfusions are given and monitored by our nurses.\n\n"
             "## Sessions\n\nYou will have two infusions a week.\n")
    assert "supervision.schedule-without-caveat" not in rules(linter, same)
    assert "supervision.schedule-without-caveat" in rules(linter, other)


@pytest.mark.parametrize("text", [
    "Your ketamine is prescribed after a short video call and taken at home.",
    "During each dosing session of ketamine, a peer treatment monitor stays with you.",
    "You should taper down your benzodiazepine dose on your own schedule.",
])
def test_obtaining_online_lay_monitors_and_self_tapering(linter: Linter, text: str) -> None:
    assert {r for r in rules(linter, text) if r.startswith("supervision.")}, text


# -- crisis resources and suicide language -------------------------------------------------

CRISIS_RULE = "safety.suicide-no-crisis-resource"


@pytest.mark.parametrize("text", [
    "Many clients had thoughts of ending it all before treatment.",
    "He told us he didn't want to be here any more.",
    "Some patients feel they would be better off dead.",
])
def test_suicide_in_other_words_needs_a_crisis_resource(linter: Linter, text: str) -> None:
    assert CRISIS_RULE in rules(linter, text)


@pytest.mark.parametrize("text", [
    "Cutting prices would be commercial suicide for the clinic.",
    "The film Suicide Squad was released in 2016.",
])
def test_figures_of_speech_are_not_suicide(linter: Linter, text: str) -> None:
    assert CRISIS_RULE not in rules(linter, text)


@pytest.mark.parametrize("resource, counts", [
    ("Call or text 988 any time.", True),
    ("Samaritans are free on 116 123.", True),
    ("Go to the nearest emergency room.", True),
    ("Our office is Suite 988, and parking costs $911 a year.", False),
    ("Dial ext. 112 for reception.", False),
])
def test_a_crisis_resource_is_a_named_line_not_any_digits(linter: Linter, resource: str, counts: bool) -> None:
    text = f"Some patients come to us with suicidal thoughts. {resource}"
    assert (CRISIS_RULE not in rules(linter, text)) is counts, resource


def test_home_context_carries_into_the_instructions_that_follow(linter: Linter) -> None:
    text = ("# At-home ketamine therapy\n\n## Your first session\n\n"
            "Fast for four hours before your session, have a sitter in the room, and keep "
            "your blood-pressure cuff nearby.\n\n## Later doses\n\n"
            "You receive your first dose in our clinic, where a nurse monitors you.\n\n"
            "You then take the remaining doses at home, one lozenge every three days.\n")
    lines = {f.line for f in linter.lint(text) if f.rule == "supervision.at-home-use"}
    assert {5, 11} <= lines


def test_a_clause_s_negations_are_found_once_however_many_triggers(linter: Linter, monkeypatch) -> None:
    from medlint.checks.language import Language

    calls = []
    real = Language._negation_ends
    monkeypatch.setattr(Language, "_negation_ends",
                        lambda self, *a: calls.append(1) or real(self, *a))
    run_on = "book your free consultation now and call us today and " * 200
    found = [f for f in linter.lint(run_on) if f.rule == "promotion.call-to-action"]
    assert len(found) >= 200 and len(calls) <= 3


def test_a_sentence_that_continues_a_hedged_one_is_hedged_too(linter: Linter) -> None:
    hedged = ("One theory is that the infusions may calm the brain's stress response. "
              "Additionally, the injections can help patients process memories.")
    plain = ("The infusions calm the brain's stress response. "
             "Additionally, the injections can help patients process memories.")
    assert "claim.efficacy-asserted" not in rules(linter, hedged)
    assert "claim.efficacy-asserted" in rules(linter, plain)
