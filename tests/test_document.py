"""The document model: only prose reaches the rules, and positions are exact."""
from __future__ import annotations

import pytest

from medlint.document import parse
from medlint.document.segments import HEADING, ITEM, PARAGRAPH, QUESTION, LineIndex, split_sentences
from medlint.linter import Linter

NON_PROSE = """---
title: "Miracle cure: FDA-approved ketamine for depression"
cta: call-now-free-consultation
phone: "(415) 555-0172"
---

Infusions are explained below.

```text
ketamine 0.5 mg/kg IV, miracle cure, guaranteed results, call (415) 555-0172
```

    indented code: FDA-approved ketamine for depression, 100% cure

The record shows `KETAMINE 0.5 MG/KG` and a [guide](https://example.org/miracle-cure-book-now).

<https://example.org/groundbreaking-free-consultation> and <mailto:sales@example.org>

<!-- TODO: add "breakthrough miracle cure, call (415) 555-0172" to the intro -->

<div class="cta" data-text="book now, revolutionary, guaranteed">
</div>

![miracle breakthrough](/img/ketamine-miracle.png)
"""


def test_markdown_non_prose_is_never_flagged(linter: Linter) -> None:
    findings = [f for f in linter.lint(NON_PROSE) if f.category != "disclaimer"]
    assert findings == [], [(f.rule, f.line, f.match) for f in findings]


def test_mask_keeps_length_and_line_breaks() -> None:
    doc = parse(NON_PROSE, "markdown")
    assert len(doc.prose) == len(doc.text)
    assert [i for i, c in enumerate(doc.text) if c == "\n"] == [i for i, c in enumerate(doc.prose) if c == "\n"]
    assert "miracle" not in doc.prose.lower()
    assert "Infusions are explained below." in doc.prose


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_columns_exact_with_any_line_ending(linter: Linter, newline: str) -> None:
    text = newline.join(["# Título", "", "Çà va: ketamine is a miracle cure — 😀 breakthrough!", ""])
    findings = linter.lint(text)
    hype = [f for f in findings if f.rule == "promotion.hype"]
    assert {f.match.lower() for f in hype} == {"miracle", "breakthrough"}
    for f in findings:
        assert text[f.start:f.end] == f.match
    miracle = next(f for f in hype if f.match == "miracle")
    assert (miracle.line, miracle.column) == (3, 22)
    breakthrough = next(f for f in hype if f.match == "breakthrough")
    assert (breakthrough.line, breakthrough.column) == (3, 39)  # the emoji is one column


def test_tabs_and_bom_count_as_one_column(linter: Linter) -> None:
    text = "\ufeff\tA groundbreaking drug."
    f = next(f for f in linter.lint(text, "text") if f.rule == "promotion.hype")
    assert (f.line, f.column, f.end_column) == (1, 5, 19)
    assert text[f.start:f.end] == "groundbreaking"


def test_line_index() -> None:
    idx = LineIndex("a\r\nbc\rd\ne")
    assert idx.position(0) == (1, 1)
    assert idx.position(3) == (2, 1)
    assert idx.position(6) == (3, 1)
    assert idx.position(8) == (4, 1)
    assert idx.line_span(2) == (3, 6)


def test_markdown_blocks_and_sections() -> None:
    doc = parse("# Title\n\nFirst para. Second sentence.\n\n- item one\n- item two\n\n## Next\n\nText.\n")
    kinds = [b.kind for b in doc.blocks]
    assert kinds == [HEADING, PARAGRAPH, ITEM, ITEM, HEADING, PARAGRAPH]
    assert [b.section for b in doc.blocks] == [1, 1, 1, 1, 2, 2]
    assert len(doc.blocks[1].sentences) == 2


def test_table_rows_know_their_header() -> None:
    doc = parse("| | Ketamine | Esketamine |\n|---|---|---|\n| US status | Schedule II | Schedule III |\n")
    row = doc.blocks[-1]
    offset = doc.text.index("Schedule II |")
    header = doc.column_header(offset)
    assert header is not None and doc.text[header[0]:header[1]].strip() == "Ketamine"
    assert row.header is doc.blocks[0]


def test_plain_text_without_blank_lines_is_one_paragraph_per_line() -> None:
    text = "A Title Line\nKetamine is given by IV infusion.\nA nurse monitors you.\n"
    doc = parse(text, "text")
    assert [b.kind for b in doc.blocks] == [HEADING, PARAGRAPH, PARAGRAPH]


def test_plain_text_with_blank_lines_keeps_wrapped_paragraphs() -> None:
    text = "Is ketamine safe?\n\nKetamine is given by IV infusion\nwhile a nurse monitors you.\n\n- a bullet\n"
    doc = parse(text, "text")
    assert [b.kind for b in doc.blocks] == [QUESTION, PARAGRAPH, ITEM]
    assert doc.text[doc.blocks[1].start:doc.blocks[1].end].count("\n") == 1


def test_sentence_splitting_respects_abbreviations_and_decimals() -> None:
    text = "Dr. Smith gave 0.5 mg/kg, e.g. in the U.S. clinic. Then she left. (Smith et al. 2020) agree."
    spans = split_sentences(text, 0, len(text))
    assert [text[s:e] for s, e in spans] == [
        "Dr. Smith gave 0.5 mg/kg, e.g. in the U.S. clinic.",
        "Then she left.",
        "(Smith et al. 2020) agree.",
    ]


def test_long_blanked_runs_do_not_make_rules_time_out(linter: Linter) -> None:
    # a 20 KB script or code block is blanked in the prose mask; patterns must not be
    # quadratic on it (they were: rules hit their time budget and were skipped)
    html = "<p>Book your infusion today.</p><script>" + "x" * 20000 + "</script><p>Ketamine is given as an IV infusion.</p>"
    result = linter.check(html, "html")
    assert result.problems == []
    assert {"promotion.call-to-action", "supervision.route-without-caveat"} <= {f.rule for f in result.findings}
    md = "Intro.\n\n```\n" + "x" * 20000 + "\n```\n\nBook your infusion today.\n"
    result = linter.check(md)
    assert result.problems == []
    assert "promotion.call-to-action" in {f.rule for f in result.findings}
