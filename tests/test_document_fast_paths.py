"""The reader's fast paths give what the plain definitions give.

Speed work replaced a few definitions with cheaper equivalents: the open-ended lead-in test
looks only at a paragraph's last word, the Markdown mask is built from UTF-8 bytes, block
offsets are converted from bytes once per block. Each is checked here against the
definition it replaces, on written cases and on generated text (accents, emoji, lone
surrogates, CR, tabs, the boundary character); ``test_document_equivalence.py`` pins the
readers' whole output on every draft we have.
"""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from medlint.document import parse
from medlint.document.markdown import _byte_to_char, _byte_to_char_text, _mask, _mask_pieces
from medlint.document.segments import _OPEN_ENDED, BOUNDARY, _open_ended, _prose_end, build_mask

settings.register_profile("fast-paths", max_examples=200, deadline=None, derandomize=True,
                          database=None, suppress_health_check=[HealthCheck.too_slow])
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast-paths"))

WORDS = ["are", "is", "were", "include", "includes", "including", "such as", "such \n\t as",
         "from", "for", "of", "by", "with", "like", "following", "to", "as", "these", "into",
         "therefor", "Are", "xis", "fromage", "bus", "such", "iss", ":", ".", "é", "😀"]
PIECES = st.sampled_from(WORDS + [" ", "\t", "\n", "\r", BOUNDARY, "-", "(", "ab", "\ud83d"])


def _reference(prose: str, start: int, end: int) -> bool:
    return _OPEN_ENDED.search(prose, start, end) is not None


@pytest.mark.parametrize("tail", WORDS)
@pytest.mark.parametrize("head", ["", " ", "x", "word ", "such ", "such\n", "the-"])
def test_open_ended_reads_the_last_word_as_the_pattern_does(head: str, tail: str) -> None:
    for lead in ("", "Conditions helped ", "a" * 30 + " "):
        prose = lead + head + tail
        for start in range(0, len(prose)):
            end = _prose_end(prose, start, len(prose))
            if end > start:
                assert _open_ended(prose, start, end) == _reference(prose, start, end), (prose, start)


@PROFILE
@given(st.lists(PIECES, max_size=12).map("".join), st.integers(0, 12))
@example("benefits include", 0)
@example("such    as", 4)
def test_open_ended_on_generated_text(prose: str, start: int) -> None:
    start = min(start, len(prose))
    end = _prose_end(prose, start, len(prose))
    if end > start:
        assert _open_ended(prose, start, end) == _reference(prose, start, end)


TEXT = st.text(st.sampled_from("ab .\n\r\t\x1e\x0b\x85\u2028é中😀\ud800\udfff"), max_size=40)


@PROFILE
@given(TEXT, st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=8))
@example("a\r\nb😀 c", [(3, 4), (0, 1)])
def test_mask_from_bytes_is_build_mask(text: str, ranges: list[tuple[int, int]]) -> None:
    # character ranges -> UTF-8 byte ranges, as pyromark would report them
    n = len(text)
    ranges = [(min(s, n), min(e, n)) for s, e in ranges]
    ranges = [(s, e) for s, e in ranges if s < e]
    byte_at = [len(text[:i].encode("utf-8", "surrogatepass")) for i in range(n + 1)]
    flat = [b for s, e in ranges for b in (byte_at[s], byte_at[e])]
    want = build_mask(text, ranges)
    assert _mask_pieces(text, flat).decode("utf-8", "surrogatepass") == want
    try:
        src = text.encode("utf-8")
    except UnicodeEncodeError:
        src = None
    assert _mask(text, src, flat) == want


@PROFILE
@given(TEXT)
def test_byte_offsets_convert_to_code_points(text: str) -> None:
    tables = _byte_to_char(text)
    if tables is None:
        assert text.isascii()
        return
    import bisect

    assert tables == _byte_to_char_text(text)  # from the UTF-8 and from the characters alike
    ends, extra = tables
    pos = 0
    for i, ch in enumerate(text):
        assert pos - extra[bisect.bisect_right(ends, pos)] == i
        pos += len(ch.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("body", [
    "Intro <b>bold</b> then <div>a block</div> and more.\n\nNext para with é and 😀.",
    "- item one é\n- item <br> two 😀. Two é.\n  - nested é\n\n| a é | b |\n|---|---|\n| 😀 | |\n",
    "Para é<p>split 😀 here</p> tail\n\n<div>\nHTML é block\n</div>\n\nAfter 😀.",
    "# Head 😀\n\n> quote é\n> more\n\n1. one 中文\n2. two\n\n```\ncode é\n```\n",
])
def test_block_offsets_do_not_depend_on_utf8_lengths(body: str) -> None:
    """Blocks (closed by their end event or by an inline block element) have the same code
    point offsets as in the same draft with each non-ASCII character written as ``x``."""
    ascii_body = "".join(c if c.isascii() else "x" for c in body)
    got, want = parse(body, "markdown"), parse(ascii_body, "markdown")
    assert [(b.kind, b.start, b.end, b.cells, b.segments) for b in got.blocks] == \
        [(b.kind, b.start, b.end, b.cells, b.segments) for b in want.blocks]
    assert [(c.start, c.end) for c in got.comments] == [(c.start, c.end) for c in want.comments]
    assert "".join(c if c.isascii() else "x" for c in got.prose) == want.prose


LARGE_DRAFT_CASES = [
    "# Title é\n\nPara one 😀 ends here.\n\nPara two\ncontinues.\n\n- item é\n- item two\n  - nested\n",
    "Intro:\n\n| Side Effects | NO side effects |\n|---|---|\n| é | 😀 |\n| | x |\n\nAfter.",
    "> quote 😀\n> more\n\n```\ncode é\n```\n\nText\u3000with\tblanks\u00a0here.\n\n## H é\nNext",
    "---\ntitle: é\n---\n\nCafé\r\nnaïve\r\n\r\n* a\r\n* b 😀\r\n",
    "Para é <!-- medlint-disable --> x\n\n[link é](http://x.example) and <https://y.example> é\n\nz",
    "\u00e9" * 5 + "\n\n" + "word " * 20 + "\n\n1. one\n2. two\n",
]


def _reads_alike(body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The large-draft path (mask with its boundaries built in UTF-8) gives the Document the
    usual path gives, and puts every boundary in place itself."""
    from medlint.document import markdown
    from medlint.document.segments import mark_boundaries

    usual = parse(body, "markdown")
    masks: list[str] = []
    marked_mask = markdown._marked_mask

    def spy(*args):
        masks.append(marked_mask(*args))
        return masks[-1]

    with monkeypatch.context() as m:
        m.setattr(markdown, "_MARKED_MASK_MIN", 0)
        m.setattr(markdown, "_FLUSH", 3)
        m.setattr(markdown, "_marked_mask", spy)
        large = markdown.parse_markdown(body)
    assert large.prose == usual.prose
    assert [(b.kind, b.start, b.end, b.cells, b.sentences, b.lead_in) for b in large.blocks] == \
        [(b.kind, b.start, b.end, b.cells, b.sentences, b.lead_in) for b in usual.blocks]
    assert [(c.start, c.end, c.body) for c in large.comments] == \
        [(c.start, c.end, c.body) for c in usual.comments]
    if masks:  # None when the draft holds HTML blocks or lone surrogates (the usual path)
        assert masks[0] == large.prose
        assert mark_boundaries(masks[0], large.blocks) is masks[0]


@pytest.mark.parametrize("body", LARGE_DRAFT_CASES)
def test_large_draft_path_reads_as_the_usual_path(body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _reads_alike(body, monkeypatch)


MARKDOWN_PIECES = st.sampled_from(
    ["# ", "## ", "- ", "  - ", "1. ", "> ", "| a | b |\n|---|---|\n| c | d |\n", "```\n", "`", "*",
     "**", "[", "](u)", "<b>", "</b>", "<br>", "<div>", "</div>", "<!-- c -->", "\n", "\n\n", "\r\n",
     " ", "\t", ":", ". ", "Word", "é", "😀", "e\u0301", "\u00a0", "\x1e", "include", "---\n"])


@settings(PROFILE, max_examples=150)
@given(st.lists(MARKDOWN_PIECES, max_size=40).map("".join))
def test_large_draft_path_on_generated_markdown(body: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        _reads_alike(body, monkeypatch)


CASES = st.sampled_from(["a", "z", "A", "Z", "é", "É", "😀", "\ud83d", " ", "K", "\u212a", "ß", "0", "_"])


@settings(PROFILE)
@given(st.lists(CASES, max_size=12).map("".join))
@example("side EffectsNO")
@example("éAA")
@example("aÉA")
def test_the_run_together_gate_is_the_regex_it_replaces(prose: str) -> None:
    """Table cells that ran together are looked for only where a lower-case letter meets
    two capitals; the byte-class search must agree with the regex on any text."""
    import re

    from medlint.document import segments
    from medlint.document.segments import _lower_then_two_capitals

    want = re.search(r"[a-z][A-Z][A-Z]", prose) is not None
    assert _lower_then_two_capitals(prose) == want
    # the gate reads a long draft in pieces that overlap: a match across an edge counts
    for piece in (1, 2, 3, 5):
        with pytest.MonkeyPatch.context() as monkeypatch:
            monkeypatch.setattr(segments, "_CASE_PIECE", piece)
            assert _lower_then_two_capitals(prose) == want, piece
