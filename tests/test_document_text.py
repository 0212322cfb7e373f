"""Plain text pasted or scraped from a web page: headings, glyph bullets and numbered items
become the same blocks a Markdown draft gives, and one-line sentences stay prose."""
from __future__ import annotations

import pytest

from medlint.document import parse
from medlint.document.segments import HEADING, ITEM, PARAGRAPH, QUESTION

PASTED_PAGE = """Sunrise Wellness Infusions

Our clinic in Pinewood offers a calm room, warm blankets and a nurse at every chair.

What to Expect at Your Visit

Each visit starts with a short check of your blood pressure and a chat about your goals.

Our drip menu includes:
● Hydration Plus with electrolytes
• Vitamin C boost
▪ B-complex energy drip
- Recovery blend
* Glow blend
1. Arrive ten minutes early
2) Bring a list of your medicines

Good to know

Drips take about forty minutes and you can read or rest during the session.
"""


def _kinds(text: str) -> list[tuple[str, str]]:
    doc = parse(text, "text")
    return [(b.kind, doc.text[b.start:b.end].strip()) for b in doc.blocks]


def test_pasted_page_headings_and_glyph_bullets_become_blocks() -> None:
    kinds = _kinds(PASTED_PAGE)
    assert kinds[0] == (HEADING, "Sunrise Wellness Infusions")
    assert (HEADING, "What to Expect at Your Visit") in kinds
    # sentence case, above a longer paragraph: a heading too
    assert (HEADING, "Good to know") in kinds
    items = [t for k, t in kinds if k == ITEM]
    assert len(items) == 7
    assert (PARAGRAPH, "Our drip menu includes:") in kinds  # a lead-in, not a heading


def test_bullet_glyphs_are_not_prose() -> None:
    doc = parse(PASTED_PAGE, "text")
    for block in doc.blocks:
        if block.kind == ITEM:
            first = doc.prose[block.start:block.end].lstrip()[:1]
            assert first not in "●•▪-*12", doc.text[block.start:block.end]


def test_pasted_page_sections_follow_its_headings() -> None:
    doc = parse(PASTED_PAGE, "text")
    by_text = {doc.text[b.start:b.end].strip(): b for b in doc.blocks}
    visit = by_text["What to Expect at Your Visit"]
    bullet = by_text["• Vitamin C boost"]
    last = by_text["Drips take about forty minutes and you can read or rest during the session."]
    assert bullet.section == visit.section
    assert last.section == visit.section + 1
    assert [b.kind for b in doc.section_blocks(bullet)][0] == HEADING


@pytest.mark.parametrize("line", [
    "Call us today",                       # an imperative: a call to action
    "Book your free consultation today",
    "We accept most insurance plans",      # a pronoun subject
    "Infusions are safe for most adults",  # a finite verb
    "By: Dr. Jane Roe",                    # a byline heads nothing
    "Last Updated on March 3, 2024",
    "Results vary. Ask",                   # two sentences
    "The nurse stays with you during the",  # a line cut short
])
def test_one_line_sentences_without_a_full_stop_stay_prose(line: str) -> None:
    text = f"{line}\n\nThe clinic is open from nine to five on weekdays and from ten to two on Saturdays.\n"
    assert _kinds(text)[0] == (PARAGRAPH, line)


@pytest.mark.parametrize("line", [
    "Potential Risks and Side Effects",    # Title Case
    "WHAT WE TREAT",                       # all capitals
    "Natural, but not always gentle",      # sentence case above a longer block
    "Problems that may happen afterwards",  # an auxiliary inside a relative clause
    "Pellets: 3 Things to Know (And 1 Myth)",
    "**Dosage and Timing**",               # Markdown emphasis pasted as text
])
def test_heading_shapes(line: str) -> None:
    text = f"{line}\n\nThe clinic is open from nine to five on weekdays and from ten to two on Saturdays.\n"
    assert _kinds(text)[0] == (HEADING, line)


def test_a_last_line_heads_nothing() -> None:
    # excerpts are cut mid-sentence; a short last line is not a heading
    text = "The clinic is open on weekdays.\n\nMore From Our Blog\n"
    assert _kinds(text)[-1] == (PARAGRAPH, "More From Our Blog")


def test_a_short_sentence_case_line_above_a_shorter_one_is_prose() -> None:
    text = "Questions about dosing\n\nPhone 555 0100\n\nThe clinic is open on weekdays.\n"
    assert _kinds(text)[0] == (PARAGRAPH, "Questions about dosing")


def test_question_lines_open_a_section() -> None:
    text = "Is It Right for You? Final Points to Consider\n\nMost people try two medicines first.\n"
    assert _kinds(text)[0][0] == HEADING
    text = "How long does a drip take?\n\nAbout forty minutes.\n"
    assert _kinds(text)[0][0] == QUESTION


def test_title_case_line_directly_above_its_paragraph_is_a_heading() -> None:
    text = ("Intro text of the page sits here.\n\nAftercare and Follow Up\n"
            "Drink water for the rest of the day and call the nurse line if you feel unwell.\n")
    kinds = _kinds(text)
    assert kinds[1] == (HEADING, "Aftercare and Follow Up")
    assert kinds[2][0] == PARAGRAPH and kinds[2][1].startswith("Drink water")


def test_wrapped_paragraph_lines_are_not_split() -> None:
    text = ("Intro text of the page sits here.\n\nThe nurse checks your blood pressure\n"
            "before the drip starts and again when it ends.\n")
    kinds = _kinds(text)
    assert len(kinds) == 2 and kinds[1][0] == PARAGRAPH


def test_page_without_blank_lines_reads_one_block_per_line() -> None:
    text = ("Sunrise Wellness Infusions\nOur clinic offers a calm room and a nurse at every chair.\n"
            "Drip Menu\n• Hydration Plus\n• Vitamin C boost\nCall us today\n"
            "Drips take about forty minutes and you can rest during the session.\n")
    kinds = [k for k, _ in _kinds(text)]
    assert kinds == [HEADING, PARAGRAPH, HEADING, ITEM, ITEM, PARAGRAPH, PARAGRAPH]


def test_structure_is_the_same_with_any_line_end() -> None:
    expected = _kinds(PASTED_PAGE)
    for newline in ("\r\n", "\r"):
        text = PASTED_PAGE.replace("\n", newline)
        assert [(k, t.replace(newline, "\n")) for k, t in _kinds(text)] == expected
