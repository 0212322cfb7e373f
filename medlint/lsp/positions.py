"""LSP positions (line, character in code units) <-> medlint offsets (code points).

LSP splits lines at ``\\n``, ``\\r\\n`` and ``\\r`` only -- not at the other characters
``str.splitlines`` treats as breaks (U+2028, U+0085, form feed ...) -- and counts characters
in UTF-16 code units unless the client negotiated UTF-8 or UTF-32. medlint's findings carry
code-point offsets into the text, so a range is computed from the offsets and this text's
own line starts, and the code units come from :class:`medlint.textpos.CodeUnits`.

Edits sent by the client (``didChange`` with a range) are applied here too, with the same
line rules, so the server's copy of a buffer is exact whatever characters it holds.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from itertools import islice
from typing import Iterable, Protocol

from ..textpos import CodeUnits

__all__ = ["LspText", "apply_change", "line_starts"]

_BREAK = re.compile(r"\r\n|\r|\n")


def line_starts(text: str) -> list[int]:
    """Code-point offset of the start of every LSP line (line 0 starts at 0)."""
    return [0, *(m.end() for m in _BREAK.finditer(text))]


def _line_end(text: str, starts: list[int], line: int) -> int:
    """Offset just before the line break of ``line`` (or the end of the text)."""
    if line + 1 >= len(starts):
        return len(text)
    end = starts[line + 1]
    return end - 2 if text.startswith("\r\n", end - 2) and end - 2 >= starts[line] else end - 1


def _offset_in_line(text: str, starts: list[int], line: int, character: int, encoding: str) -> int:
    """Offset of (line, character); a character past the end of the line means its end, a
    line past the end of the text means the end of the text, as the LSP specification says."""
    if line < 0:
        return 0
    if line >= len(starts):
        return len(text)
    start = starts[line]
    end = _line_end(text, starts, line)
    character = max(character, 0)
    segment = text[start:end]
    if encoding == "utf-32" or segment.isascii():
        return start + min(character, len(segment))
    return start + min(CodeUnits(segment, encoding).to_code_points(character), len(segment))


class LspText:
    """One snapshot of a buffer with its LSP line starts, for converting many offsets.

    The code-unit table is built once (linear in the text) and answers each conversion by
    bisection, so a draft with hundreds of findings converts in a few milliseconds.
    """

    __slots__ = ("text", "encoding", "starts", "_units")

    def __init__(self, text: str, encoding: str = "utf-16") -> None:
        self.text = text
        self.encoding = encoding
        self.starts = line_starts(text)
        self._units: CodeUnits | None = None

    @property
    def units(self) -> CodeUnits:
        if self._units is None:
            self._units = CodeUnits(self.text, self.encoding)
        return self._units

    def position(self, offset: int) -> tuple[int, int]:
        """(line, character) of a code-point offset, both 0-based."""
        offset = min(max(offset, 0), len(self.text))
        line = bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        if self.encoding == "utf-32":
            return line, offset - start
        return line, self.units.to_units(offset) - self.units.to_units(start)

    def offset(self, line: int, character: int) -> int:
        """Code-point offset of an LSP position (clamped into the text as the spec asks)."""
        return _offset_in_line(self.text, self.starts, line, character, self.encoding)

    def line_span(self, line: int) -> tuple[int, int]:
        """Offsets of the start of ``line`` and of its end before the line break."""
        return self.starts[line], _line_end(self.text, self.starts, line)

    def line_break(self) -> str:
        """The text's own line break (the first one it uses; ``\\n`` when it has none)."""
        m = _BREAK.search(self.text)
        return m.group() if m else "\n"


class _Pos(Protocol):
    line: int
    character: int


class _Range(Protocol):
    start: _Pos
    end: _Pos


def _starts_through(text: str, line: int) -> list[int]:
    """The starts of lines 0 .. ``line + 1`` (fewer when the text ends sooner): a keystroke
    near the top of a long draft does not scan the rest of it."""
    starts = [0]
    if line < 0:
        return starts
    if "\r" not in text:  # the common case: str.find runs in C and makes no match objects
        pos = 0
        for _ in range(line + 1):
            pos = text.find("\n", pos) + 1
            if pos == 0:
                break
            starts.append(pos)
        return starts
    starts.extend(m.end() for m in islice(_BREAK.finditer(text), line + 1))
    return starts


def apply_change(text: str, new_text: str, range_: _Range | None, encoding: str) -> str:
    """The buffer after one ``didChange`` content change (the whole text when no range).

    Only the lines up to the change are scanned and only the lines it touches are
    converted, so a keystroke in a 50 KB draft costs microseconds, not a pass over every
    character in Python."""
    if range_ is None:
        return new_text
    starts = _starts_through(text, max(range_.start.line, range_.end.line))
    start = _offset_in_line(text, starts, range_.start.line, range_.start.character, encoding)
    end = _offset_in_line(text, starts, range_.end.line, range_.end.character, encoding)
    if end < start:
        start, end = end, start
    return text[:start] + new_text + text[end:]


def apply_changes(text: str, changes: Iterable[tuple[str, _Range | None]], encoding: str) -> str:
    for new_text, range_ in changes:
        text = apply_change(text, new_text, range_, encoding)
    return text
