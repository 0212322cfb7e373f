"""Lists with a lead-in: an item completes the sentence that introduces its list.

"Our cold plunge sessions cure:" + "- insomnia" is the claim "cold plunge sessions cure
insomnia"; "Cold plunges may ease:" hedges each item; a citation or a caveat in the lead-in
covers the items. The drafts and the house rules here are written for these tests.
"""
from __future__ import annotations

import pytest

from medlint.document import parse
from medlint.document.segments import BOUNDARY, ITEM
from medlint.linter import Linter
from house import house_linter

HOUSE = """
rules:
  - id: claim.plunge-cures
    kind: claim
    category: claim
    severity: error
    patterns: ['plunge\\s+sessions\\s+cure\\s+insomnia']
    message: Cure claim.
    why: test
    source: test
  - id: claim.boosts
    kind: claim
    category: claim
    severity: warning
    terms: [boosts immunity, resets your sleep]
    context: ['plunge']
    context_scope: sentence
    message: Benefit claim.
    why: test
    source: test
  - id: supervision.plunge-alone
    kind: conditional
    category: supervision
    severity: warning
    terms: [at home]
    context: ['plunge']
    context_scope: sentence
    requires: ['with a coach']
    scope: sentence
    message: Unsupervised.
    why: test
    source: test
"""


@pytest.fixture(scope="module")
def house(tmp_path_factory: pytest.TempPathFactory) -> Linter:
    return house_linter(tmp_path_factory.mktemp("house"), HOUSE,
                        ("claim.plunge-cures", "claim.boosts", "supervision.plunge-alone"))


def found(linter: Linter, text: str, fmt: str = "markdown") -> list[tuple[str, int, str]]:
    findings = linter.lint(text, fmt)
    for f in findings:
        assert text[f.start:f.end] == f.match
    return sorted((f.rule, f.line, f.match) for f in findings)


LISTS = {
    "markdown": "Intro line.\n\nOur cold plunge sessions help with:\n\n- low mood\n- poor sleep\n\nAfter.\n",
    "text": "Intro line.\n\nOur cold plunge sessions help with:\n● low mood\n● poor sleep\n\nAfter.\n",
    "html": "<p>Intro line.</p><p>Our cold plunge sessions help with:</p><ul><li>low mood</li>"
            "<li>poor sleep</li></ul><p>After.</p>",
}


@pytest.mark.parametrize("fmt", sorted(LISTS))
def test_items_know_their_lead_in(fmt: str) -> None:
    text = LISTS[fmt]
    doc = parse(text, fmt)
    items = [b for b in doc.blocks if b.kind == ITEM]
    assert len(items) == 2
    for item in items:
        assert item.lead_in is not None
        assert doc.prose[item.lead_in[0]:item.lead_in[1]] == "Our cold plunge sessions help with:"
    joined = doc.joined(items[1])
    assert joined is not None and joined.text == "Our cold plunge sessions help with poor sleep"
    # every character of the joined view maps back to the same character of the source
    for i, ch in enumerate(joined.text):
        if i != joined.seam:
            assert doc.text[joined.source(i)] == ch
    after = next(b for b in doc.blocks if doc.prose[b.start:b.end].strip() == "After.")
    assert after.lead_in is None


def test_no_lead_in_without_a_colon_or_after_another_block() -> None:
    doc = parse("Our sessions are popular.\n\n- low mood\n\nHelps with:\n\nA paragraph between.\n\n- poor sleep\n")
    assert all(b.lead_in is None for b in doc.blocks if b.kind == ITEM)


@pytest.mark.parametrize("fmt", sorted(LISTS))
def test_a_claim_made_by_lead_in_and_item_together_is_found(house: Linter, fmt: str) -> None:
    text = {"markdown": "Intro.\n\nOur plunge sessions cure:\n\n- insomnia\n- back pain\n",
            "text": "Intro.\n\nOur plunge sessions cure:\n• insomnia\n• back pain\n",
            "html": "<p>Intro.</p><p>Our plunge sessions cure:</p><ul><li>insomnia</li><li>back pain</li></ul>",
            }[fmt]
    # reported on the item: the lead-in is shared by every item
    line = text[:text.index("insomnia")].count("\n") + 1
    assert found(house, text, fmt) == [("claim.plunge-cures", line, "insomnia")]


def test_the_same_claim_in_one_sentence_is_found_once(house: Linter) -> None:
    assert [r for r, _, _ in found(house, "Our plunge sessions cure insomnia.\n")] == ["claim.plunge-cures"]


def test_a_match_does_not_run_from_one_item_into_the_next(house: Linter) -> None:
    text = "Intro.\n\nOur plunge sessions cure:\n\n- back pain\n- insomnia\n"
    doc = parse(text)
    assert BOUNDARY in doc.seam_text()
    assert [m for _, _, m in found(house, text)] == ["insomnia"]


def test_the_lead_in_names_what_the_item_is_about(house: Linter) -> None:
    text = "Intro.\n\nA weekly cold plunge:\n\n- boosts immunity\n- resets your sleep\n"
    assert [m for _, _, m in found(house, text)] == ["boosts immunity", "resets your sleep"]
    # without a lead-in the item names no treatment
    assert found(house, "Intro.\n\nA weekly habit.\n\n- boosts immunity\n") == []


def test_a_hedge_in_the_lead_in_covers_the_items(house: Linter) -> None:
    text = "Intro.\n\nFor some people, a weekly cold plunge may help, as it:\n\n- boosts immunity\n"
    assert found(house, text) == []


def test_a_citation_in_the_lead_in_covers_the_items(house: Linter) -> None:
    text = "Intro.\n\nIn a small trial (Lee et al., 2023), a weekly cold plunge:\n\n- boosts immunity\n"
    assert found(house, text) == []


def test_a_caveat_in_the_lead_in_covers_the_items(house: Linter) -> None:
    covered = "Intro.\n\nWith a coach beside you, you can do the plunge:\n\n- at home\n- at the gym\n"
    assert found(house, covered) == []
    bare = "Intro.\n\nYou can do the plunge:\n\n- at home\n- at the gym\n"
    assert [r for r, _, _ in found(house, bare)] == ["supervision.plunge-alone"]


def test_the_lead_in_completes_only_the_items_first_sentence(house: Linter) -> None:
    text = ("Intro.\n\nA weekly cold plunge may help, as it:\n\n"
            "- improves circulation. It also boosts immunity.\n")
    # the hedge covers "improves circulation"; the second sentence is the item's own claim,
    # and it names no treatment of its own
    assert found(house, text) == []
    text = "Intro.\n\nFor a cold plunge fan:\n\n- the routine is simple. Plunge daily: it boosts immunity.\n"
    assert [m for _, _, m in found(house, text)] == ["boosts immunity"]


def test_a_long_lead_in_over_a_long_list_is_read_in_bounded_text() -> None:
    lead = "Our clinic, " + "which is calm and bright, " * 400 + "offers:\n\n"
    text = "Intro.\n\n" + lead + "".join(f"- session number {i}\n" for i in range(3000))
    doc = parse(text)
    items = [b for b in doc.blocks if b.kind == ITEM]
    assert len(items) == 3000 and all(b.lead_in is not None for b in items)
    # only the lead-in's last words are joined, and only to the first hundred items
    assert len(doc.seam_text()) < 100 * (240 + 40)


@pytest.mark.parametrize("lead, is_lead_in", [
    ("Typical conditions improved by cold plunge sessions are", True),
    ("The benefits of a cold plunge include", True),
    ("Our members love these sessions", False),
    ("Sessions last twenty minutes.", False),
])
def test_a_paragraph_that_stops_on_a_word_needing_a_complement_is_a_lead_in(lead: str, is_lead_in: bool) -> None:
    doc = parse(f"{lead}\n\n- insomnia\n- low mood\n", "markdown")
    items = [b for b in doc.blocks if b.kind == ITEM]
    assert items and all((b.lead_in is not None) is is_lead_in for b in items)
