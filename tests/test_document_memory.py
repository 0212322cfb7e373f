"""The document model's compact forms (issue 16: one huge draft within a memory budget).

Each test checks that a compact form answers exactly what the plain form it replaced
answered; the memory itself is measured by ``benchmarks/big_file.py``, not here.
"""
from __future__ import annotations

import pytest

from medlint.document import parse, segments
from medlint.document.segments import ROW, Block


TABLE_DRAFT = (
    "# Doses\n\nKetamine is a medicine. It is used in clinics.\n\n"
    "| Drug | Dose |\n|---|---|\n| Ketamine | 0.5 mg/kg |\n| Esketamine | 56 mg |\n\n"
    "- one item\n- two items\n"
)


def test_blocks_other_than_rows_share_one_empty_cells_tuple() -> None:
    for fmt, text in (("markdown", TABLE_DRAFT),
                      ("html", "<h1>Doses</h1><p>Ketamine.</p><table><tr><th>A</th><th>B</th></tr>"
                               "<tr><td>x</td><td>y</td></tr></table><ul><li>one</li></ul>"),
                      ("text", "Doses\n\nKetamine is a medicine.\n")):
        doc = parse(text, fmt)
        plain = [b for b in doc.blocks if b.kind != ROW]
        rows = [b for b in doc.blocks if b.kind == ROW]
        assert plain and len({id(b.cells) for b in plain}) == 1, fmt
        assert all(b.cells == () for b in plain)
        if fmt != "text":
            assert rows and all(len(b.cells) == 2 for b in rows), fmt
            assert len({id(b.cells) for b in rows}) == len(rows)  # each row its own list


def test_a_row_without_cells_equals_one_built_with_an_empty_list() -> None:
    assert Block(0, 3, kind=ROW) == Block(0, 3, kind=ROW, cells=[])
    assert Block(0, 3, kind=ROW) != Block(0, 3, kind=ROW, cells=[(0, 3)])
    assert "cells=[]" in repr(Block(0, 3))


def _reference_position(text: str, offset: int) -> tuple[int, int]:
    """Line and column by walking the text: CRLF is one break, a lone CR or LF is one."""
    line, col, i = 1, 1, 0
    while i < offset:
        if text[i] == "\r" and i + 1 < len(text) and text[i + 1] == "\n" and i + 1 < offset:
            i += 2
            line, col = line + 1, 1
            continue
        if text[i] in "\r\n":
            line, col = line + 1, 1
        else:
            col += 1
        i += 1
    return line, col


@pytest.mark.parametrize("compact", [False, True])
def test_line_positions_on_lf_crlf_cr_and_mixed_breaks(compact: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    from array import array

    from medlint.document import LineIndex

    if compact:  # every text as a large one is read: an array of line starts
        monkeypatch.setattr(segments, "COMPACT_MIN", 0)
    for text in ("", "one line", "a\nbc\n\nd\n", "a\r\nbc\r\n\r\nd", "a\rbc\r\rd\r",
                 "x\r\ny\rz\n\r\n\n\rw😀é\r\n", "\n\n\n", "\r\n\r\n", "😀\n😀😀\r😀"):
        index = LineIndex(text)
        assert isinstance(index.starts, array if compact else list)
        for offset in range(len(text) + 1):
            if 0 < offset < len(text) and text[offset - 1:offset + 1] == "\r\n":
                continue  # inside a CRLF: not a position anything reports
            assert index.position(offset) == _reference_position(text, offset), (text, offset)
        for line in range(1, len(index) + 1):
            start, end = index.line_span(line)
            assert index.position(start) == (line, 1)
            assert 0 <= start <= end <= len(text)


SECTIONS_DRAFT = (
    "Intro paragraph before any heading.\n\nA second one.\n\n"
    "# First\n\nOne. Two!\n\n- item a\n- item b\n\n"
    "## Second\n\n## Third (empty)\n\n"
    "# Fourth\n\n| A | B |\n|---|---|\n| x | y |\n\nLast words?\n"
)


def test_section_blocks_are_the_run_of_blocks_of_that_section() -> None:
    for fmt, text in (("markdown", SECTIONS_DRAFT), ("markdown", "# Only a heading\n"),
                      ("text", "no heading at all\n\nnor here\n"),
                      ("html", "<p>a</p><h2>b</h2><p>c</p><h2>d</h2>")):
        doc = parse(text, fmt)
        for block in doc.blocks:
            run = doc.section_blocks(block)
            want = [b for b in doc.blocks if b.section == block.section]  # the definition
            assert list(run) == want and run == want and len(run) == len(want)
            assert run[0] is want[0] and run[-1] is want[-1] and block in run
            assert run[1:] == want[1:] and list(reversed(run)) == want[::-1]


@pytest.mark.parametrize("compact", [False, True])
def test_sentence_marks_are_a_sorted_sequence_of_every_terminal(compact: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    from array import array

    from medlint.document.segments import SentenceSplitter

    if compact:
        monkeypatch.setattr(segments, "COMPACT_MIN", 0)
    mask = "Dr. Smith said so! Really?? Yes… and e.g. this. " * 3 + "😀 end."
    splitter = SentenceSplitter(mask)
    first = splitter.split(0, len(mask))
    assert isinstance(splitter.marks, array if compact else list)
    assert list(splitter.marks) == [i for i, c in enumerate(mask) if c in ".!?…"]
    assert splitter.split(0, len(mask)) == first
    assert [mask[s:e] for s, e in first][:3] == ["Dr. Smith said so!", "Really??", "Yes… and e.g. this."]


def _digest(doc) -> tuple:
    return (doc.prose, list(doc.lines.starts), doc.lines.length,
            [(b.start, b.end, b.kind, b.level, b.section, b.sentences, list(b.cells), b.lead_in,
              b.segments) for b in doc.blocks],
            [(c.start, c.end, c.body) for c in doc.comments])


def _drafts() -> list[tuple[str, str]]:
    from pathlib import Path

    out = [("markdown", TABLE_DRAFT), ("markdown", SECTIONS_DRAFT),
           ("markdown", "Café 😀 and naïve e\u0301.\r\n\r\n- a: 😀\r- b\r\n\n| 😀 | é |\n|--|--|\n| x | y |\n"),
           ("html", "<p>Café 😀. Next one.</p><ul><li>é</li></ul>")]
    root = Path(__file__).parent / "fixtures"
    for f in sorted(root.rglob("*")):
        if f.suffix in (".md", ".html", ".txt") and f.is_file():
            fmt = {".md": "markdown", ".html": "html", ".txt": "text"}[f.suffix]
            text = f.read_text(encoding="utf-8", errors="replace")
            out.append((fmt, text))
            if fmt == "markdown":
                out.append((fmt, text.replace(".", ". 😀", 3)))  # four bytes a character
    return out


def test_large_draft_forms_read_exactly_as_the_small_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    """Arrays (every draft read as a large one) and lists give the same Document."""
    drafts = _drafts()
    assert len(drafts) > 10
    usual = [_digest(parse(text, fmt)) for fmt, text in drafts]
    monkeypatch.setattr(segments, "COMPACT_MIN", 0)
    compact = [_digest(parse(text, fmt)) for fmt, text in drafts]
    assert compact == usual
    from medlint.document import markdown

    monkeypatch.setattr(markdown, "_MARKED_MASK_MIN", 0)  # and the large-draft mask
    assert [_digest(parse(text, fmt)) for fmt, text in drafts] == usual


def test_only_blocks_with_rare_fields_carry_extras() -> None:
    doc = parse(TABLE_DRAFT + "\nIt helps with:\n\n- sleep\n- mood\n\nA line<br>broken here.\n", "markdown")
    for b in doc.blocks:
        rare = b.kind == ROW or b.lead_in is not None or b.segments is not None
        assert (b._extras is not None) == rare, b
    items = [b for b in doc.blocks if b.lead_in is not None]
    assert [doc.prose[b.start:b.end].strip() for b in items] == ["sleep", "mood"]
    assert [doc.prose[s:e] for s, e in {b.lead_in for b in items}] == ["It helps with:"]
    assert any(b.segments for b in doc.blocks)  # the <br>


def test_rare_fields_read_and_write_as_plain_attributes() -> None:
    block = Block(0, 10)
    assert (block.cells, block.header, block.segments, block.lead_in) == ((), None, None, None)
    block.lead_in = None  # writing a default keeps the block small
    block.cells = ()
    assert block._extras is None
    header = Block(0, 3, kind=ROW, cells=[(0, 1), (2, 3)])
    block.header, block.segments, block.lead_in = header, [(0, 4), (4, 10)], (0, 2)
    block.cells = [(0, 5)]
    block.cells.append((6, 10))
    assert block.header is header and block.lead_in == (0, 2)
    assert block.cells == [(0, 5), (6, 10)] and block.segments == [(0, 4), (4, 10)]
    block.lead_in = None
    assert block.lead_in is None and block.cells == [(0, 5), (6, 10)]
    assert Block(0, 3, kind=ROW, cells=[(0, 1)], header=header).header is header


def test_sentences_given_or_assigned_are_kept_and_split_ones_come_from_the_document() -> None:
    from medlint.document.segments import Document

    given = Block(0, 9, sentences=[(0, 4)])
    plain = Block(10, 21)
    doc = Document(text="One. Two. Three. Four", prose="One. Two. Three. Four", format="text",
                   blocks=[given, plain])
    assert given.sentences == [(0, 4)]
    assert plain.sentences == [(10, 16), (17, 21)]  # "Three." "Four"
    plain.sentences = []
    assert plain.sentences == [] and doc.blocks[1] is plain
    assert Block(0, 4).sentences == []  # not part of a Document yet
