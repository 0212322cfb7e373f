"""Reliability of the readers: matches stay inside one block, line ends of every kind read
alike, and hostile HTML is read in linear time (DEFECTS.md H1, H3, M3, M6b)."""
from __future__ import annotations

import pytest
import regex

from medlint.document import parse
from medlint.document.html import parse_html
from medlint.document.segments import BOUNDARY
from medlint.fix import fix_text
from medlint.linter import Linter

SUICIDE_LANGUAGE = "safety.suicide-language"

#: "committed" at the end of one block, "suicide" at the start of the next, in every shape
#: a block can end: a heading, a blank line, a code block, a tag, a list item, a table cell.
ACROSS_BLOCKS = [
    ("markdown", "## Why our team is committed\n\nSuicide prevention saves lives.\n"),
    ("markdown", "# Why our team is committed\nSuicide prevention saves lives.\n"),
    ("markdown", "Our team is committed\n\nsuicide prevention saves lives.\n"),
    ("markdown", "Our team is committed\n```\ncode\n```\nsuicide prevention saves lives.\n"),
    ("markdown", "- our team is committed\n- suicide prevention saves lives\n"),
    ("markdown", "| our team is committed | suicide prevention |\n|---|---|\n| a | b |\n"),
    ("markdown", "Our team is committed\n<div>\nsuicide prevention saves lives.\n</div>\n"),
    ("html", "<h2>Our team is committed</h2><p>Suicide prevention saves lives.</p>"),
    ("html", "<ul><li>our team is committed</li><li>suicide prevention</li></ul>"),
    ("html", "<table><tr><td>our team is committed</td><td>suicide prevention</td></tr></table>"),
    ("text", "Why our team is committed\n\nSuicide prevention saves lives.\n"),
    ("text", "## Why our team is committed\n\nSuicide prevention saves lives.\n"),
    ("text", "- our team is committed\n- suicide prevention saves lives\n"),
]


@pytest.mark.parametrize("fmt,text", ACROSS_BLOCKS)
def test_a_match_never_crosses_a_block_boundary(linter: Linter, fmt: str, text: str) -> None:
    findings = linter.lint(text, fmt)
    assert not [f for f in findings if f.rule == SUICIDE_LANGUAGE], [(f.rule, f.match) for f in findings]
    doc = parse(text, fmt)
    assert not regex.search(r"committed\s+suicide", doc.prose, regex.I)


@pytest.mark.parametrize("fmt,text", ACROSS_BLOCKS)
def test_fix_never_edits_across_blocks(linter: Linter, fmt: str, text: str) -> None:
    assert fix_text(linter, text, fmt).text == text


def test_the_same_phrase_inside_one_block_is_still_found(linter: Linter) -> None:
    for fmt, text in [("markdown", "He committed\nsuicide last year.\n"),
                      ("text", "He committed\nsuicide last year.\n"),
                      ("html", "<p>He committed <em>suicide</em> last year.</p>")]:
        assert [f for f in linter.lint(text, fmt) if f.rule == SUICIDE_LANGUAGE], fmt


def test_boundaries_keep_the_mask_aligned_and_sentences_unchanged() -> None:
    text = "# Title here\n\nFirst sentence. Second one.\n\n| A. | B |\n|---|---|\n| x | y |\n"
    doc = parse(text)
    assert len(doc.prose) == len(text)
    assert BOUNDARY in doc.prose
    for b in doc.blocks:  # never inside a block's own prose
        assert BOUNDARY not in doc.prose[b.start:b.end].strip() or b.cells
    para = next(b for b in doc.blocks if doc.text[b.start:b.end].startswith("First"))
    assert [doc.prose[s:e] for s, e in para.sentences] == ["First sentence.", "Second one."]
    # a boundary is written once: a Document built again from the mask is the same
    from medlint.document.segments import mark_boundaries
    assert mark_boundaries(doc.prose, doc.blocks) == doc.prose


@pytest.mark.parametrize("fmt", ["markdown", "text", "html"])
def test_lone_cr_line_ends_read_like_lf(linter: Linter, fmt: str) -> None:
    """H3: with lone CR line ends an HTML comment or <div> no longer hides the rest of the draft."""
    lines = ["# Ketamine", "", "<!-- note -->", "", "<div>Our clinic</div>", "",
             "Ketamine cures depression and is completely safe.", ""]
    if fmt == "text":
        lines = [ln for ln in lines if not ln.startswith("<")]
    lf = [(f.rule, f.line, f.column) for f in linter.lint("\n".join(lines), fmt)]
    assert lf
    for newline in ("\r", "\r\n"):
        assert [(f.rule, f.line, f.column) for f in linter.lint(newline.join(lines), fmt)] == lf


def test_multi_line_suppression_comment_with_crlf_suppresses_as_with_lf(linter: Linter) -> None:
    """M6(b): the comment's lines are one comment whatever the line ends."""
    lines = ["Intro.", "", "<!--", "medlint-disable-next-line promotion.hype", "-->",
             "This revolutionary drip is popular.", ""]
    for newline in ("\n", "\r\n", "\r"):
        doc = parse(newline.join(lines))
        assert len(doc.comments) == 1 and "promotion.hype" in doc.comments[0].body
        assert not [f for f in linter.lint(newline.join(lines)) if f.rule == "promotion.hype"], repr(newline)


@pytest.mark.parametrize("unit", ["<!--", "<a", "</", "<!", "<?", "<a x='-->'", "<!doctype"])
def test_unclosed_html_constructs_are_read_once_not_retried_at_every_later_tag(unit: str) -> None:
    """M3: the standard tokenizer retried an unclosed construct at every later "<", each time
    searching to the end of the text (quadratic). Here the first unclosed construct takes
    the rest of the text: a fixed number of construct parses, whatever the length."""
    from medlint.document.html import _Tokens

    class Counting(_Tokens):
        calls = 0

        def parse_starttag(self, i: int) -> int:
            Counting.calls += 1
            return super().parse_starttag(i)

        def parse_comment(self, i: int, report: int = 1) -> int:
            Counting.calls += 1
            return super().parse_comment(i, report)

        def parse_html_declaration(self, i: int) -> int:
            Counting.calls += 1
            return super().parse_html_declaration(i)

        def parse_endtag(self, i: int) -> int:
            Counting.calls += 1
            return super().parse_endtag(i)

        def parse_pi(self, i: int) -> int:
            Counting.calls += 1
            return super().parse_pi(i)

    tokenizer = Counting()
    tokenizer.feed(unit * 16000 + " Ketamine cures depression")
    tokenizer.close()
    assert Counting.calls <= 4, Counting.calls
    # a construct that never closes takes the rest of the page, as in a browser
    assert "Ketamine" not in parse_html(unit * 2000 + " Ketamine cures depression").prose


def test_unclosed_comment_is_not_a_suppression() -> None:
    doc = parse_html("<p>Intro.</p><!-- medlint-disable-file\n<p>Ketamine cures depression.</p>")
    assert doc.comments == []
    assert "Ketamine" not in doc.prose


def test_closed_constructs_read_as_before() -> None:
    doc = parse_html("<p>One <a href='x'>link</a> and <!-- c --> text.</p><!doctype html><?pi x?>"
                     "<p>Two</p>")
    assert doc.prose.replace(BOUNDARY, " ").split() == ["One", "link", "and", "text.", "Two"]
    assert [c.body for c in doc.comments] == ["<!-- c -->"]
