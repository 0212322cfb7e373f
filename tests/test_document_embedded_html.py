"""HTML inside Markdown is read as a browser shows it: visible text is prose, the rest is not.

Drafts here are written for these tests (a CMS export with a hero banner, a booking box, a
footer, a ``<details>`` FAQ and an HTML table).
"""
from __future__ import annotations

import pytest

from medlint.document import parse
from medlint.document.segments import HEADING, ITEM, PARAGRAPH, ROW
from medlint.linter import Linter

CMS_EXPORT = """# Feel lighter this spring

<section class="hero" data-headline="miracle cure, guaranteed results">
  <h2>Spring Reset Drips</h2>
  <p>Our Spring Reset drip is a revolutionary way to recharge.</p>
</section>

Regular paragraph about hydration and rest.

<div class="cta">
  <a href="/book?promo=free-consultation" title="Book now">Book your free consultation</a>
  <button type="button">Reserve a chair</button>
</div>

<details>
<summary>Is the drip safe for everyone?</summary>
<p>Most adults tolerate it well, but ask your own doctor first.</p>
</details>

<table>
<tr><th>Drip</th><th>Price</th></tr>
<tr><td>Spring Reset</td><td>$99 today only</td></tr>
</table>

<footer>
  <script>track("miracle cure");</script>
  <style>.miracle-cure { color: red; }</style>
  <!-- revolutionary, 100% guaranteed -->
  <code>0.5 mg/kg twice a week</code>
  <pre>groundbreaking results</pre>
  Call (626) 555-0143 or write to hello@springclinic.example
</footer>
"""


def _kinds(doc) -> list[tuple[str, str]]:
    return [(b.kind, " ".join(doc.prose[b.start:b.end].split())) for b in doc.blocks]


def test_html_block_text_is_prose_and_markup_is_not() -> None:
    doc = parse(CMS_EXPORT)
    prose = doc.prose
    for visible in ("Spring Reset Drips", "revolutionary way to recharge", "Book your free consultation",
                    "Reserve a chair", "Is the drip safe for everyone?", "$99 today only",
                    "Call (626) 555-0143"):
        at = doc.text.index(visible)
        assert prose[at:at + len(visible)] == visible, visible
    for hidden in ("miracle cure, guaranteed", "free-consultation", "Book now", 'track("miracle cure")',
                   ".miracle-cure", "revolutionary, 100%", "0.5 mg/kg", "groundbreaking results",
                   "<div", "class=", "</a>"):
        at = doc.text.index(hidden)
        assert not prose[at:at + len(hidden)].strip(), hidden


def test_html_block_structure_becomes_blocks() -> None:
    kinds = _kinds(parse(CMS_EXPORT))
    assert (HEADING, "Spring Reset Drips") in kinds
    assert (PARAGRAPH, "Our Spring Reset drip is a revolutionary way to recharge.") in kinds
    # the link and the button are separate from the paragraph before them
    assert (PARAGRAPH, "Regular paragraph about hydration and rest.") in kinds
    assert (PARAGRAPH, "Is the drip safe for everyone?") in kinds  # <summary> is a block
    rows = [t for k, t in kinds if k == ROW]
    assert rows[0] == "Drip Price" and rows[1].startswith("Spring Reset")


def test_html_headings_open_sections_and_rows_know_their_header() -> None:
    doc = parse(CMS_EXPORT)
    heading = next(b for b in doc.blocks if b.kind == HEADING and b.level == 2)
    nxt = doc.blocks[doc.blocks.index(heading) + 1]
    assert nxt.section == heading.section
    offset = doc.text.index("$99")
    header = doc.column_header(offset)
    assert header is not None and doc.prose[header[0]:header[1]].strip() == "Price"


def test_findings_in_html_blocks_point_at_the_source(linter: Linter) -> None:
    findings = linter.lint(CMS_EXPORT)
    matches = {f.match for f in findings}
    assert "(626) 555-0143" in matches
    assert any("Book your" in m for m in matches)
    assert "revolutionary" in matches
    for f in findings:
        assert CMS_EXPORT[f.start:f.end] == f.match
        for hidden in ("<script>", "<style>", "<!--", "<code>", "<pre>"):
            start = CMS_EXPORT.index(hidden)
            end = CMS_EXPORT.index(hidden.replace("<", "</") if hidden != "<!--" else "-->", start)
            assert not (start <= f.start < end), (f.rule, f.match)


def test_character_references_in_an_html_block_map_back_to_the_source(linter: Linter) -> None:
    text = "Intro paragraph.\n\n<div>\n<p>It&rsquo;s a miracle&nbsp;cure for fatigue.</p>\n</div>\n"
    doc = parse(text)
    assert doc.relocations  # the decoded word sits at its source start
    for f in linter.lint(text):
        assert text[f.start:f.end] == f.match


def test_inline_html_hides_code_and_hidden_elements() -> None:
    text = ('Ask us about <code>miracle cure</code> pricing and <span hidden>guaranteed results</span> '
            'our <strong>gentle</strong> drips.\n')
    doc = parse(text)
    assert "miracle" not in doc.prose and "guaranteed" not in doc.prose
    assert "gentle" in doc.prose and "drips" in doc.prose


def test_inline_br_ends_a_sentence_and_block_tags_end_the_block() -> None:
    doc = parse("First line of the box<br>Second line of the box<div>A block of its own</div>\n")
    kinds = _kinds(doc)
    assert kinds == [(PARAGRAPH, "First line of the box Second line of the box"),
                     (PARAGRAPH, "A block of its own")]
    first = doc.blocks[0]
    assert [doc.prose[s:e] for s, e in first.sentences] == ["First line of the box", "Second line of the box"]


def test_html_block_in_a_list_item_is_an_item_and_a_quote_marker_is_not_prose() -> None:
    doc = parse("- <div>\n  Vitamin drip of the week\n  </div>\n\n> <div>\n> Quoted box text\n> </div>\n")
    kinds = _kinds(doc)
    assert (ITEM, "Vitamin drip of the week") in kinds
    assert (PARAGRAPH, "Quoted box text") in kinds
    assert ">" not in doc.prose


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_suppressions_inside_and_around_html_blocks(linter: Linter, newline: str) -> None:
    lines = ["Intro paragraph about our clinic.", "",
             "<!-- medlint-disable-next-line promotion.hype -->",
             "<div class=\"banner\">A revolutionary drip.</div>", "",
             "<div class=\"box\">",
             "<!-- medlint-disable-next-line promotion.hype -->",
             "<p>A revolutionary menu.</p>",
             "<p>A revolutionary price.</p>",
             "</div>", ""]
    text = newline.join(lines)
    hype = [f for f in linter.lint(text) if f.rule == "promotion.hype"]
    assert [f.line for f in hype] == [9], [(f.line, f.match) for f in hype]


def test_multi_line_html_comment_suppression_with_crlf_behaves_as_with_lf(linter: Linter) -> None:
    """M6(b): a comment spread over lines inside an HTML block is one comment."""
    lines = ["<!--", "medlint-disable-next-line promotion.hype -- quoting the leaflet", "-->",
             "This revolutionary drip is popular.", ""]
    for newline in ("\n", "\r\n", "\r"):
        text = newline.join(lines)
        assert [f.rule for f in linter.lint(text) if f.rule == "promotion.hype"] == [], repr(newline)


def test_html_block_comment_of_the_old_kind_is_still_one_comment() -> None:
    text = "<!-- medlint-disable\npromotion.hype -->\n\nText.\n"
    doc = parse(text)
    assert [c.body for c in doc.comments] == ["<!-- medlint-disable\npromotion.hype -->"]
