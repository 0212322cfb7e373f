"""The HTML reader: what counts as prose, how blocks are bounded, and exact source offsets."""
from __future__ import annotations

import pytest

from medlint.document import parse
from medlint.document.segments import HEADING, ITEM, PARAGRAPH, ROW
from medlint.linter import Linter


def prose_words(html: str) -> list[str]:
    return parse(html, "html").prose.split()


def rules(linter: Linter, html: str) -> list[tuple[str, str]]:
    out = []
    for f in linter.lint(html, "html"):
        assert html[f.start:f.end] == f.match
        if f.category not in ("disclaimer", "safety"):
            out.append((f.rule, f.match))
    return out


@pytest.mark.parametrize("wrapper", [
    "<script>var s = '{}';</script>",
    "<style>/* {} */ p {{ color: red }}</style>",
    "<code>{}</code>",
    "<pre>{}</pre>",
    "<template><p>{}</p></template>",
    "<noscript>{}</noscript>",
    "<svg><text>{}</text></svg>",
    "<math><mi>{}</mi></math>",
    "<head><title>{}</title></head>",
    "<!-- {} -->",
    '<img alt="{}" src="x.png">',
    '<a href="/{}" title="{}">link</a>',
    "<p hidden>{}</p>",
    '<div style="display: none">{}</div>',
    "<textarea>{}</textarea>",
])
def test_non_prose_is_never_checked(linter: Linter, wrapper: str) -> None:
    claim = "a miracle cure with no side effects, call now"
    html = "<p>Intro.</p>" + wrapper.format(claim, claim) + "<p>Outro.</p>"
    assert rules(linter, html) == []
    assert "miracle" not in parse(html, "html").prose


def test_visible_prose_is_checked(linter: Linter) -> None:
    found = rules(linter, "<p>Ketamine is a <em>miracle</em> cure.</p>")
    assert ("promotion.hype", "miracle") in found


def test_block_kinds_and_levels() -> None:
    doc = parse("<h2>Dosing</h2><p>One.</p><ul><li>Two<li>Three</ul><blockquote>Four</blockquote>",
                "html")
    kinds = [(b.kind, b.level, doc.prose[b.start:b.end]) for b in doc.blocks]
    assert kinds == [(HEADING, 2, "Dosing"), (PARAGRAPH, 0, "One."), (ITEM, 0, "Two"),
                     (ITEM, 0, "Three"), (PARAGRAPH, 0, "Four")]
    assert [b.section for b in doc.blocks] == [1, 1, 1, 1, 1]


def test_implied_end_tags_split_paragraphs() -> None:
    doc = parse("<p>First paragraph<p>Second paragraph<div>Third</div>", "html")
    assert [doc.prose[b.start:b.end] for b in doc.blocks] == [
        "First paragraph", "Second paragraph", "Third"]


def test_br_ends_a_sentence_but_not_the_block() -> None:
    html = "<p>Book today<br>Call now</p>"
    doc = parse(html, "html")
    assert len(doc.blocks) == 1
    assert [html[s:e] for s, e in doc.blocks[0].sentences] == ["Book today", "Call now"]


def test_table_rows_have_cells_and_a_header() -> None:
    html = ("<table><thead><tr><th>Drug</th><th>Status</th></tr></thead>"
            "<tbody><tr><td>Ketamine</td><td>Schedule III</td></tr></tbody></table>")
    doc = parse(html, "html")
    head, body = doc.blocks
    assert head.kind == body.kind == ROW
    assert body.header is head
    assert [doc.prose[s:e].strip() for s, e in body.cells] == ["Ketamine", "Schedule III"]
    offset = html.index("Schedule")
    header = doc.column_header(offset)
    assert header is not None and doc.prose[header[0]:header[1]].strip() == "Status"


def test_unclosed_head_does_not_hide_the_body(linter: Linter) -> None:
    assert ("promotion.hype", "miracle") in rules(linter, "<head><title>x</title><body><p>A miracle.</p>")


def test_entities_keep_offsets_exact(linter: Linter) -> None:
    html = "<p>It&rsquo;s a &ldquo;miracle&rdquo; with no side&nbsp;effects &amp; more.</p>"
    found = dict((rule, match) for rule, match in rules(linter, html))
    assert found["promotion.hype"] == "miracle"
    assert found["claim.absolute-safety"] == "no side&nbsp;effects"
    message = next(f.message for f in linter.lint(html, "html") if f.rule == "claim.absolute-safety")
    assert '"no side effects"' in message  # messages quote the decoded words


def test_entity_apostrophe_negates(linter: Linter) -> None:
    """WordPress writes apostrophes as &#8217;: "isn&#8217;t" must still read as a negation."""
    plain = rules(linter, "<p>Ketamine isn't a cure for depression.</p>")
    encoded = rules(linter, "<p>Ketamine isn&#8217;t a cure for depression.</p>")
    assert plain == encoded == []
    assert rules(linter, "<p>Ketamine is a cure for depression.</p>")


def test_mask_has_the_source_length_and_line_breaks() -> None:
    html = "<p>caf&eacute;\r\n&amp; bar</p>\r\n<p>x&#x1F600;y</p>"
    doc = parse(html, "html")
    assert len(doc.prose) == len(html)
    assert [i for i, c in enumerate(doc.prose) if c in "\r\n"] == [
        i for i, c in enumerate(html) if c in "\r\n"]
    assert "café" in doc.prose and "x😀y" in doc.prose


def test_crlf_positions(linter: Linter) -> None:
    html = "<h1>Title</h1>\r\n<p>Line two.\r\nA miracle.</p>\r\n"
    f = next(f for f in linter.lint(html, "html") if f.rule == "promotion.hype")
    assert (f.line, f.column, f.end_line, f.end_column) == (3, 3, 3, 10)
    assert html[f.start:f.end] == "miracle"


def test_comments_carry_suppressions(linter: Linter) -> None:
    html = "<p>A miracle.</p>\n<!-- medlint-disable-next-line promotion.hype -->\n<p>A miracle.</p>"
    hype = [f for f in linter.lint(html, "html") if f.rule == "promotion.hype"]
    assert [f.line for f in hype] == [1]


def test_example_draft(linter: Linter) -> None:
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "examples" / "weight-loss-clinic-page.html"
    html = path.read_text(encoding="utf-8")
    found = linter.lint(html, "html")
    names = {f.rule for f in found}
    whole_document = {r.id for r in linter.rules if r.kind == "document"}
    assert {"claim.approval-misstated", "claim.absolute-safety", "promotion.call-to-action",
            "disclaimer.missing"} <= names
    for f in found:
        assert html[f.start:f.end] == f.match
        # nothing from <head>, <script>, <pre>, <code>, alt/title or the suppressed line;
        # document-level findings are reported on line 1 (the doctype line)
        if f.rule in whole_document:
            assert f.line == 1
            continue
        assert f.line > 12 and "remarkable" not in f.match and "guaranteed" not in f.match


def test_hidden_inline_elements_do_not_split_sentences() -> None:
    html = "<p>Take <code>x</code> with <script>s()</script>water <svg></svg>daily.</p>"
    doc = parse(html, "html")
    assert len(doc.blocks) == 1 and len(doc.blocks[0].sentences) == 1
    assert doc.prose.split() == ["Take", "with", "water", "daily."]
