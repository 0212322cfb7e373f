"""LSP positions and buffer edits (medlint/lsp/positions.py), without a server.

The reference here is written from the LSP specification, not from the code under test:
lines break at \\n, \\r\\n and \\r only; characters count UTF-16 code units by default.
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medlint.lsp.positions import LspText, apply_change, line_starts


@dataclass
class Pos:
    line: int
    character: int


@dataclass
class Rng:
    start: Pos
    end: Pos


def reference_position(text: str, offset: int, encoding: str) -> tuple[int, int]:
    """Walk the text character by character, as the specification describes."""
    line, character, i = 0, 0, 0
    width = {"utf-16": lambda c: 2 if ord(c) > 0xFFFF else 1,
             "utf-8": lambda c: len(c.encode("utf-8", "surrogatepass")),
             "utf-32": lambda c: 1}[encoding]
    while i < offset:
        c = text[i]
        if c == "\r" and i + 1 < len(text) and text[i + 1] == "\n":
            if i + 1 == offset:  # between \r and \n: still on this line
                return line, character + 1
            line, character, i = line + 1, 0, i + 2
            continue
        if c in "\r\n":
            line, character = line + 1, 0
        else:
            character += width(c)
        i += 1
    return line, character


SAMPLE = "a\U0001F600b\r\n\u65b0\u2028x\x0cy\rz\n\u00e9\U0001F44D\n"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-32"])
def test_positions_match_the_specification(encoding: str) -> None:
    doc = LspText(SAMPLE, encoding)
    for offset in range(len(SAMPLE) + 1):
        if SAMPLE[offset - 1:offset + 1] == "\r\n":
            continue  # inside a line break: no LSP position
        assert doc.position(offset) == reference_position(SAMPLE, offset, encoding), offset
        assert doc.offset(*doc.position(offset)) == offset


def test_only_lsp_line_breaks_count() -> None:
    assert line_starts("a\u2028b\x0cc\x85d\ne\r\nf\rg") == [0, 8, 11, 13]
    doc = LspText("ab\r\ncd")
    assert doc.line_span(0) == (0, 2)
    assert doc.line_break() == "\r\n"


def test_positions_past_the_end_clamp() -> None:
    doc = LspText("ab\ncd\n")
    assert doc.offset(0, 99) == 2  # past the end of a line: its end, before the break
    assert doc.offset(9, 0) == 6  # past the last line: the end of the text
    assert doc.offset(1, 1) == 4
    # a position inside a surrogate pair rounds down to the character's start
    assert LspText("\U0001F600x").offset(0, 1) == 0


def test_apply_change_uses_lsp_lines() -> None:
    text = "a\u2028b\nc\x0cd\ne\n"
    assert apply_change(text, "E", Rng(Pos(2, 0), Pos(2, 1)), "utf-16") == "a\u2028b\nc\x0cd\nE\n"
    assert apply_change(text, "!", Rng(Pos(9, 0), Pos(9, 0)), "utf-16") == text + "!"
    assert apply_change(text, "whole", None, "utf-16") == "whole"
    crlf = "one\r\ntwo \U0001F600 three\r\n"
    assert apply_change(crlf, "2", Rng(Pos(1, 0), Pos(1, 3)), "utf-16") == "one\r\n2 \U0001F600 three\r\n"
    assert apply_change(crlf, "", Rng(Pos(1, 4), Pos(1, 6)), "utf-16") == "one\r\ntwo  three\r\n"
    assert apply_change(crlf, "", Rng(Pos(1, 4), Pos(1, 8)), "utf-8") == "one\r\ntwo  three\r\n"
    assert apply_change(crlf, "", Rng(Pos(0, 3), Pos(1, 0)), "utf-16") == "onetwo \U0001F600 three\r\n"


@given(st.text(alphabet=st.sampled_from("ab\r\n\U0001F600\u00e9\u2028 "), max_size=30), st.data())
def test_apply_change_matches_offsets(text: str, data: st.DataObject) -> None:
    doc = LspText(text)
    valid = [o for o in range(len(text) + 1) if text[o - 1:o + 1] != "\r\n"]
    a = data.draw(st.sampled_from(valid))
    b = data.draw(st.sampled_from([o for o in valid if o >= a]))
    rng = Rng(Pos(*doc.position(a)), Pos(*doc.position(b)))
    assert apply_change(text, "X", rng, "utf-16") == text[:a] + "X" + text[b:]
