"""The readers' output is pinned: speed work on them must not move a single offset.

Every draft we have, in every format and in several rewrites (CRLF, CR, BOM, tabs and emoji,
rendered to HTML), is parsed and its Document (prose mask, blocks with kind, level, section,
span, sentences, cells and header, comments, relocations, line starts) is compared with the
digest recorded in ``tests/fixtures/document_digests.json`` (see ``document_snapshot.py``
for what is recorded and how to record it again when a reader is meant to change). Drafts
added or edited after the recording are skipped there, so adding a fixture never needs a
new recording; the reference checks below run on every draft there is.
"""
from __future__ import annotations

import json
import os
from html.parser import HTMLParser
from typing import Any

import pytest
import regex
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from document_snapshot import (GOLDEN, cases, digest, drafts, environment, snapshot,
                               text_digest)
from medlint.document import html as hypertext
from medlint.document import Relocation, parse
from medlint.document import text as plain
from medlint.document.segments import (_ABBREVIATIONS, LineIndex, SentenceSplitter, blank, build_mask,
                                       split_sentences)

settings.register_profile("ci", max_examples=40, deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
settings.register_profile("thorough", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

RECORDED = json.loads(GOLDEN.read_text(encoding="utf-8"))


def _comparable(case: str, recorded_drafts: dict[str, str], current: dict[str, str]) -> bool:
    """Whether the recorded digest still describes this case's input and environment."""
    name, variant, fmt = case.split("|")
    if recorded_drafts.get(name) != current.get(name):
        return False  # a draft added or edited since: nothing recorded to compare with
    env = RECORDED["environment"]
    here = environment()
    if (fmt == "html" or variant == "rendered") and env["python"] != here["python"]:
        return False  # the HTML tokenizer is the standard library's
    if (fmt == "markdown" or variant == "rendered") and env["pyromark"] != here["pyromark"]:
        return False
    return True


def test_documents_match_the_recorded_digests() -> None:
    current = {name: text_digest(text) for name, text in drafts()}
    compared, differ = 0, []
    for case, text, fmt in cases():
        if case not in RECORDED["cases"] or not _comparable(case, RECORDED["drafts"], current):
            continue
        compared += 1
        if digest(snapshot(parse(text, fmt))) != RECORDED["cases"][case]:
            differ.append(case)
    if compared == 0:
        pytest.skip("no recorded case applies here (another Python or pyromark version)")
    assert not differ, f"{len(differ)} of {compared} documents changed: {differ[:20]}"


# -- the sentence splitter against its definition ----------------------------------------
# The splitter that SentenceSplitter replaced, kept as the reference: a regex scan per span.
# A block boundary mark in the mask (segments.BOUNDARY) reads as white space.
_SENTENCE_END = regex.compile(r"[.!?…]+[\"'”’)\]]*(?=[\s\x1e]+[\"'“‘(\[]*[\p{Lu}\p{N}])")
_WORD_BEFORE = regex.compile(r"([\p{L}.]+)\.$")


def _word_before(text: str, end: int) -> regex.Match[str] | None:
    lo = max(0, end - 64)
    word = _WORD_BEFORE.search(text, lo, end)
    if lo and word is not None and word.start() == lo:  # the word may start further back
        word = _WORD_BEFORE.search(text, 0, end)
    return word


def reference_sentences(mask: str, start: int, end: int) -> list[tuple[int, int]]:
    text = mask[start:end]
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        if m.group().startswith("."):
            word = _word_before(text, m.start() + 1)
            if word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
                continue
            if word and len(word.group(1)) == 1:  # an initial: "J. Smith"
                continue
        spans.append((pos, m.end()))
        pos = m.end()
    spans.append((pos, len(text)))
    out = []
    for s, e in spans:
        piece = text[s:e]
        stripped = piece.strip()
        if not stripped:
            continue
        lead = len(piece) - len(piece.lstrip())
        out.append((start + s + lead, start + s + lead + len(stripped)))
    return out


def _spans(doc: Any) -> list[tuple[int, int]]:
    """Every block's span, the whole mask, and spans cut at awkward places."""
    n = len(doc.prose)
    out = [(b.start, b.end) for b in doc.blocks] + [(0, n)]
    for b in doc.blocks:
        for s, e in b.sentences[:2]:  # cut right at and inside sentence ends and starts
            out += [(b.start, e), (max(0, s - 1), min(n, e + 1)), (s + 1, e - 1)]
    return [(s, e) for s, e in out if 0 <= s <= e <= n]


def test_sentences_match_the_reference_on_every_draft() -> None:
    differ = []
    for case, text, fmt in cases():
        doc = parse(text, fmt)
        splitter = SentenceSplitter(doc.prose)
        for start, end in _spans(doc):
            if splitter.split(start, end) != reference_sentences(doc.prose, start, end):
                differ.append((case, start, end))
    assert not differ, differ[:10]


PIECES = [".", ".", "!", "?", "…", "...", "?!", "\"", "'", "”", "’", ")", "]", "“", "‘", "(", "[",
          " ", " ", "  ", "\n", "\r\n", "\t", "\u00a0", "\u2003", "\x1c", "\x1e", "\u200b", "A", "Smith", "b", "é",
          "É", "ǅ", "Ⅷ", "²", "٣", "7", "e.g", "i.e", "Dr", "dr", "etc", "U.S", "ph.d", "J", "x", "ß",
          "\U0001F600", "word", "Ok", "sept", "Sept"]


@st.composite
def masks_and_spans(draw: Any) -> tuple[str, int, int]:
    mask = "".join(draw(st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=40)))
    start = draw(st.integers(0, len(mask)))
    end = draw(st.integers(start, len(mask)))
    return mask, start, end


@PROFILE
@given(masks_and_spans())
@example(("xDr. Smith", 1, 10))  # a span that starts inside a word: "Dr." is an abbreviation
@example(("ab. Cd", 1, 6))  # ... "b." an initial
@example(("e.g. Foo", 2, 8))
@example(("Go. I", 0, 5))  # a one-letter sentence at the very end
@example(("Stop.. . Go", 0, 11))
@example(("It works.\u00a0\u201c\u2163 was next.", 0, 22))
def test_sentences_match_the_reference_on_generated_text(case: tuple[str, int, int]) -> None:
    mask, start, end = case
    assert SentenceSplitter(mask).split(start, end) == reference_sentences(mask, start, end)
    assert split_sentences(mask, 0, len(mask)) == reference_sentences(mask, 0, len(mask))


# -- line index and blanking against their definitions ------------------------------------
_BREAK = regex.compile(r"\r\n|\r|\n")
_NON_BREAK = regex.compile(r"[^\r\n]+")


def reference_line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _BREAK.finditer(text)]


def reference_blank(text: str) -> str:
    return _NON_BREAK.sub(lambda m: " " * len(m.group()), text)


LINE_PIECES = ["\n", "\r", "\r\n", "\n\r", "\r\r\n", "a", "é", "\U0001F600", " ", "\t", "\u2028", "\x85",
               "\v", "\f", "\ufeff", ""]


@PROFILE
@given(st.lists(st.sampled_from(LINE_PIECES) | st.text(max_size=2), max_size=30))
def test_line_index_and_blank_match_their_definitions(parts: list[str]) -> None:
    text = "".join(parts)
    lines = LineIndex(text)
    assert list(lines.starts) == reference_line_starts(text)
    assert lines.length == len(text)
    assert blank(text) == reference_blank(text)
    prose = [(i, i + 2) for i in range(0, len(text), 3)]
    masked = build_mask(text, prose)
    assert masked == "".join(text[i] if any(s <= i < e for s, e in prose) else reference_blank(text[i])
                             for i in range(len(text)))


# -- the plain-text reader's line and block helpers against their old definitions ----------
_LINE = regex.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


def reference_lines(text: str) -> list[tuple[int, int]]:
    lines = []
    for m in _LINE.finditer(text):
        if m.start() == len(text) and m.end() == m.start():
            break
        body = m.group().rstrip("\r\n")
        lines.append((m.start(), m.start() + len(body)))
    return lines


def reference_classify(line: str) -> str:
    """What a line's own shape allows: a question, a heading at most, or prose. (Whether a
    possible heading is one depends on the block after it too: see test_document_text.py.)"""
    stripped = line.strip()
    words = plain._WORD.findall(stripped)
    if not words:
        return "paragraph"
    if stripped.endswith("?") and len(words) <= 25:
        return "question"
    if stripped[:2] in ("**", "__") and stripped[-2:] == stripped[:2]:
        stripped = stripped[2:-2].strip()
        words = plain._WORD.findall(stripped)
    if stripped and 0 < len(words) <= 10 and stripped[-1] not in ".!:;,…\"”" and stripped[0].isupper():
        return "heading"
    return "paragraph"


def _agrees(line: str) -> bool:
    allowed = reference_classify(line)
    for following in (None, "A much longer block of prose follows this line, in many words."):
        kind = plain._classify(line, following)
        if kind != allowed and not (allowed == "heading" and kind == "paragraph"):
            return False
    return True


TEXT_PIECES = LINE_PIECES + ["- ", "* ", "+ ", "• ", "12. ", "3) ", "1234. ", "\x1c- ", "\u2003• ", "٣. ",
                             "?", ".", "Word", "word", "don’t", "x-ray", "Ⅷ", "ǅ", " ", "#", "medlint-"]


@PROFILE
@given(st.lists(st.sampled_from(TEXT_PIECES) | st.text(max_size=2), max_size=40))
def test_plain_text_helpers_match_their_definitions(parts: list[str]) -> None:
    text = "".join(parts)
    assert plain._lines(text) == reference_lines(text)
    for start, end in reference_lines(text):
        line = text[start:end]
        assert _agrees(line), line
        assert plain._may_be_bullet(line) or plain._BULLET.match(line) is None


def test_plain_text_helpers_on_every_draft() -> None:
    for _, text, fmt in cases():
        if fmt != "text":
            continue
        assert plain._lines(text) == reference_lines(text)
        for start, end in reference_lines(text):
            line = text[start:end]
            assert _agrees(line), line
            assert plain._may_be_bullet(line) or plain._BULLET.match(line) is None


# -- the HTML tokenizer's offsets against its (line, column) positions ---------------------
class _LineColumn(hypertext._Unclosed):
    """The standard tokenizer as the HTML reader uses it (constructs that never close read
    as in a browser): positions from ``getpos``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.positions: list[tuple[int, int]] = []

    def _record(self, *_: Any) -> None:
        self.positions.append(self.getpos())

    handle_starttag = handle_startendtag = handle_endtag = handle_data = _record
    handle_entityref = handle_charref = handle_comment = handle_decl = handle_pi = _record
    unknown_decl = _record


def _tokenize(parser: HTMLParser, text: str) -> None:
    try:
        parser.feed(text)
        parser.close()
    except Exception:  # noqa: BLE001 - as the reader does
        pass


HTML_PIECES = ["<p>", "</p>", "<br>", "<br/>", "<!-- c -->", "<!--", "-->", "<!DOCTYPE html>", "<![CDATA[x]]>",
               "<?pi?>", "<script>", "</script>", "&amp;", "&#8217;", "&#x2014;", "&nbsp", "&", "<", ">", "</",
               "<a href='x\ny'>", "\n", "\r\n", "\r", "text", "é", "\U0001F600", "<!x", "<!doctype [ <!ELEMENT", " "]


@PROFILE
@given(st.lists(st.sampled_from(HTML_PIECES) | st.text(max_size=3), max_size=30))
def test_html_token_offsets_match_line_and_column(parts: list[str]) -> None:
    _check_token_offsets("".join(parts))


def test_html_token_offsets_match_line_and_column_on_every_draft() -> None:
    for _, text, fmt in cases():
        if fmt == "html":
            _check_token_offsets(text)


def _check_token_offsets(text: str) -> None:
    reference, tokens = _LineColumn(), hypertext._Tokens()
    _tokenize(reference, text)
    _tokenize(tokens, text)
    line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    expected = [line_starts[min(line, len(line_starts)) - 1] + col for line, col in reference.positions]
    assert [t[1] for t in tokens.tokens] == expected


# -- the HTML reader's word layout for references against the per-character original -------
def reference_decode_run(text: str, run: list[tuple[int, int, str | None]]) -> tuple[list, list, list]:
    pieces: list = []
    relocations: list = []
    prose: list = []
    chars: list[tuple[str, int, int, bool]] = []
    for start, end, decoded in run:
        if decoded is None:
            chars.extend((text[i], i, i + 1, True) for i in range(start, end))
        else:
            chars.extend((ch, start, end, False) for ch in decoded)
    word: list[tuple[str, int, int, bool]] = []
    for item in chars + [(" ", -1, -1, True)]:
        if not (item[3] and item[0].isspace()):
            word.append(item)
            continue
        if not word:
            continue
        start, end = word[0][1], word[-1][2]
        if all(w[3] for w in word):
            pieces.append((start, end, None))
        else:
            decoded_word = "".join(w[0] for w in word)
            if len(decoded_word) > end - start:
                word = []
                continue
            pieces.append((start, end, decoded_word + " " * (end - start - len(decoded_word))))
            relocations.append(Relocation(start, end, tuple((w[1], w[2]) for w in word)))
        prose.append((start, end))
        word = []
    return pieces, relocations, prose


def _decode_run(text: str, run: list[tuple[int, int, str | None]]) -> tuple[list, list, list]:
    reader = hypertext._Reader(text)
    prose: list = []
    reader._prose = lambda start, end: prose.append((start, end))  # type: ignore[method-assign]
    reader._decode_run(run)
    return reader.pieces, reader.relocations, prose


def _effect(text: str, laid_out: tuple[list, list, list]) -> tuple[str, list, list]:
    """What a layout means: the mask it makes, its relocations, and the state of a block
    that receives its prose (fresh, and continuing an earlier sentence)."""
    pieces, relocations, prose = laid_out
    blanked = blank(text)
    mask, pos = "", 0
    for start, end, replacement in sorted(pieces, key=lambda p: p[0]):
        assert start >= pos
        mask += blanked[pos:start] + (text[start:end] if replacement is None else replacement)
        pos = end
    mask += blanked[pos:]
    states = []
    for earlier in (False, True):
        builder = hypertext._Builder("paragraph")
        if earlier:
            builder.add(0, 0)
        for start, end in prose:
            builder.add(start, end)
        states.append((builder.start, builder.end, builder.segments))
    return mask, relocations, states


RUN_PIECES = ["word", "a", " ", "  ", "\t", "\n", "\r\n", " \n ", "\u00a0", "\u2003", "\x1c", "é", "\U0001F600", "x-y"]
REFERENCES = [("&rsquo;", "’"), ("&nbsp;", " "), ("&#1;", ""), ("&amp;", "&"), ("&#x1F600;", "\U0001F600"),
              ("&c", "ç"), ("&longname;", "ab"), ("&x;", "abcdefgh")]


@PROFILE
@given(st.lists(st.sampled_from(RUN_PIECES) | st.sampled_from(REFERENCES) | st.text(max_size=3), max_size=25))
def test_html_reference_layout_matches_the_per_character_original(parts: list[Any]) -> None:
    text, run = "", []
    for part in parts:
        if isinstance(part, tuple):  # a reference: source text and what it decodes to
            source, decoded = part
            run.append((len(text), len(text) + len(source), decoded))
            text += source
        elif part:
            run.append((len(text), len(text) + len(part), None))
            text += part
    assert _effect(text, _decode_run(text, run)) == _effect(text, reference_decode_run(text, run))


# -- sentences are split on first use -----------------------------------------------------
def test_lazy_sentences_do_not_depend_on_when_or_in_what_order_they_are_read() -> None:
    import pickle

    for case, text, fmt in cases():
        if not case.startswith(("samples:", "examples/")):
            continue
        expected = snapshot(parse(text, fmt))
        doc = parse(text, fmt)
        for block in reversed(doc.blocks):  # the last block first
            block.sentences
        assert snapshot(doc) == expected, case
        unread = pickle.loads(pickle.dumps(parse(text, fmt)))  # not split yet when pickled
        assert snapshot(unread) == expected, case


def test_blocks_keep_given_sentences_and_compare_by_value() -> None:
    from medlint.document import Block

    assert Block(0, 5).sentences == []  # not part of a Document: nothing to split with
    assert Block(0, 5, sentences=[(0, 2)]).sentences == [(0, 2)]
    block = Block(0, 5)
    block.sentences = [(1, 3)]
    assert block.sentences == [(1, 3)]
    assert Block(0, 5, kind="heading") == Block(0, 5, kind="heading") != Block(0, 6, kind="heading")
    doc = parse("One. Two.\n", "text")
    assert doc.blocks[0].sentences == [(0, 4), (5, 9)]
    assert "sentences=[(0, 4), (5, 9)]" in repr(doc.blocks[0])
