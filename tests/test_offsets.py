"""Every finding's offsets are exact: text[start:end] == match, and line/column agree.

Checked on every draft we have (examples, labelled fixtures, our samples in three formats,
the development drafts in ../shared when present) and, with hypothesis, on generated
documents mixing prose with CRLF, tabs, emoji, combining marks, entities and markup.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medlint.document import LineIndex, format_for_path
from medlint.finding import Finding
from medlint.linter import Linter

from samples import SAMPLES, example_drafts


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset``, counted independently of the linter."""
    line, start = 1, 0
    i = 0
    while i < offset:
        ch = text[i]
        if ch == "\r" and i + 1 < len(text) and text[i + 1] == "\n":
            if i + 1 >= offset:  # an offset between \r and \n stays on the line
                break
            i += 2
            line, start = line + 1, i
            continue
        if ch in "\r\n":
            line, start = line + 1, i + 1
        i += 1
    return line, offset - start + 1


def check_offsets(text: str, findings: list[Finding]) -> None:
    for f in findings:
        assert 0 <= f.start <= f.end <= len(text), f
        assert text[f.start:f.end] == f.match, f
        assert (f.line, f.column) == position(text, f.start), f
        assert (f.end_line, f.end_column) == position(text, f.end), f


def test_position_helper_agrees_with_line_index() -> None:
    text = "a\r\nb\rc\nd\t\U0001F600e\u0301"
    index = LineIndex(text)
    for offset in range(len(text) + 1):
        if offset == 2:  # between \r and \n
            continue
        assert index.position(offset) == position(text, offset), offset


DRAFTS = {**SAMPLES, **example_drafts()}


@pytest.mark.parametrize("name", sorted(DRAFTS))
def test_offsets_on_drafts(linter: Linter, name: str) -> None:
    text, fmt = DRAFTS[name]
    check_offsets(text, linter.lint(text, fmt))


def test_offsets_on_dev_drafts(linter: Linter, shared: Path) -> None:
    for path in sorted((shared / "corpus" / "dev").iterdir()):
        if path.suffix in (".md", ".txt", ".html"):
            text = path.read_text(encoding="utf-8")
            check_offsets(text, linter.lint(text, format_for_path(path)))


# -- generated documents -------------------------------------------------------------------
PHRASES = ["Ketamine is a miracle cure", "it is FDA-approved for depression", "no side effects",
           "Studies have shown", "call now", "0.5 mg/kg twice a week at home", "suicide",
           "don't", "a breakthrough", "Esketamine is approved", "100% safe", "guaranteed",
           # a lead-in list and flattened table cells (read a second time, mapped back)
           "Our infusions cure:\n\n- depression\n- ", "You can take Spravato:\n● at home\n● ",
           "Side EffectsNO side effects", "PriceFROM $99"]
ODD = ["\t", "\r\n", "\n", "\r", "\U0001F600", "e\u0301", "\u00a0", "\u200b", "  ", ". ", "? "]
ENTITIES = ["&amp;", "&nbsp;", "&rsquo;", "&#8217;", "&#x2019;", "&ldquo;", "&rdquo;", "&mdash;",
            "&lt;", "&amp", "&bogus;", "&#0;", "&"]
HTML_TAGS = ["<p>", "</p>", "<h2>", "</h2>", "<li>", "<br>", "<em>", "</em>", "<code>x</code>",
             "<!-- c -->", "<td>", "<tr>", "<table>", "</table>", "<div>", "<script>a</script>"]
MD_MARKS = ["# ", "## ", "- ", "1. ", "**", "`", "[", "](http://x)", "> ", "| a |", "\n\n",
            "<!-- medlint-disable-next-line -->"]

prose = st.lists(st.sampled_from(PHRASES) | st.sampled_from(ODD), min_size=1, max_size=12)


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, str]:
    fmt = draw(st.sampled_from(["markdown", "html", "text"]))
    extra = {"html": HTML_TAGS + ENTITIES, "markdown": MD_MARKS, "text": ["# medlint-disable claim\n"]}[fmt]
    parts = draw(st.lists(st.sampled_from(PHRASES) | st.sampled_from(ODD) | st.sampled_from(extra)
                          | st.text(max_size=6), min_size=1, max_size=30))
    return " ".join(parts) if draw(st.booleans()) else "".join(parts), fmt


@settings(max_examples=int(os.environ.get("MEDLINT_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=documents())
def test_offsets_on_generated_documents(linter: Linter, doc: tuple[str, str]) -> None:
    text, fmt = doc
    check_offsets(text, linter.lint(text, fmt))


# -- Markdown with HTML blocks and inline HTML -----------------------------------------------
#: Pieces of HTML a CMS puts into Markdown. Hidden content is one piece each, so that the
#: hidden regions below can be found in the source without parsing it.
MD_HTML = ["\n\n<div class=\"cta\">\n", "\n</div>\n\n", "<p>", "</p>", "<a href=\"/miracle-cure-call-now\">",
           "</a>", "<strong>", "</strong>", "<em>", "</em>", "<br>", "<br/>", "\n\n<details>\n<summary>",
           "</summary>\n", "\n</details>\n\n", "<h2>", "</h2>", "\n\n<table>\n<tr><td>", "</td><td>",
           "</td></tr>\n</table>\n\n", "<button class=\"book-now\">", "</button>",
           "<script>var hype = 'miracle cure, call now';</script>",
           "<style>.cure-guaranteed { color: red }</style>",
           "<code>ketamine is a miracle cure</code>", "<!-- 100% safe, call now -->",
           "<!-- medlint-disable-next-line -->", "<img alt=\"miracle cure\" src=\"/a.png\">",
           "&rsquo;", "&nbsp;", "&amp;"]
_HIDDEN = __import__("re").compile(
    r"<script>.*?</script>|<style>.*?</style>|<code>.*?</code>|<!--.*?-->|<[^<>]*>", __import__("re").S)


def hidden_regions(text: str) -> list[tuple[int, int]]:
    """Tags (with their attributes), comments and the content of script, style and code."""
    return [m.span() for m in _HIDDEN.finditer(text)]


@st.composite
def markdown_with_html(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.sampled_from(PHRASES) | st.sampled_from(ODD) | st.sampled_from(MD_HTML)
                          | st.sampled_from(MD_MARKS), min_size=1, max_size=30))
    return " ".join(parts) if draw(st.booleans()) else "".join(parts)


@settings(max_examples=int(os.environ.get("MEDLINT_EXAMPLES", "60")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=markdown_with_html())
def test_offsets_on_markdown_with_html(linter: Linter, text: str) -> None:
    findings = linter.lint(text, "markdown")
    check_offsets(text, findings)
    regions = hidden_regions(text)
    kinds = {r.id: r.kind for r in linter.ruleset.rules}
    for f in findings:
        # a whole-document requirement is reported on line 1's span, tags and all
        if f.end > f.start and kinds.get(f.rule) != "document":
            for s, e in regions:
                assert not (s < f.end and f.start < e), (f.rule, f.match, text[s:e])


def test_markdown_with_html_has_findings_in_its_html() -> None:
    """The generator reaches HTML prose (else the property above would prove little)."""
    from medlint.linter import Linter as _Linter

    text = "<div class=\"cta\">\n<p>Ketamine is a miracle cure<br>call now</p>\n</div>\n"
    found = {f.match for f in _Linter().lint(text, "markdown")}
    assert any("miracle" in m for m in found), found
