"""Offsets in other encodings, derived at the edge from medlint's code-point offsets.

medlint counts positions in code points (Python ``str`` indices): ``text[f.start:f.end]`` is
the match. Browsers, LanguageTool clients and LSP clients count UTF-16 code units (and LSP
may negotiate UTF-8 bytes), so the faces that speak to them convert here. The document model
never stores these: they are derived once per text by whichever face needs them, as
``../shared/ARCHITECTURE.md`` asks.

A :class:`CodeUnits` is built once per text in time linear in the text and answers each
conversion in O(log n) (a bisect over the positions of the characters that take more than one
unit), so converting every finding of a large draft stays cheap.
"""
from __future__ import annotations

from bisect import bisect_left

__all__ = ["CodeUnits", "units_in"]

_UNIT_WIDTH = {"utf-16": 2, "utf-8": None, "utf-32": 1}


class CodeUnits:
    """Convert between code-point offsets and code-unit offsets of one encoding of ``text``.

    ``encoding`` is ``"utf-16"`` (the default: JavaScript, LanguageTool, LSP's default),
    ``"utf-8"`` or ``"utf-32"`` (where a code unit is a code point).
    """

    __slots__ = ("encoding", "_wide", "_extra", "_length")

    def __init__(self, text: str, encoding: str = "utf-16") -> None:
        if encoding not in _UNIT_WIDTH:
            raise ValueError(f"unknown encoding {encoding!r}: use utf-8, utf-16 or utf-32")
        self.encoding = encoding
        self._length = len(text)
        # _wide[i] is the code-point index of the i-th character that takes more than one unit;
        # _extra[i] is how many extra units the characters up to and including it take.
        self._wide: list[int] = []
        self._extra: list[int] = []
        if encoding == "utf-32" or text.isascii():
            return
        extra = 0
        for index, char in enumerate(text):
            cp = ord(char)
            if encoding == "utf-16":
                more = 1 if cp > 0xFFFF else 0
            else:
                more = 0 if cp < 0x80 else 1 if cp < 0x800 else 2 if cp < 0x10000 else 3
            if more:
                extra += more
                self._wide.append(index)
                self._extra.append(extra)

    def to_units(self, offset: int) -> int:
        """Code-point offset -> code-unit offset (``0 <= offset <= len(text)``)."""
        if not 0 <= offset <= self._length:
            raise ValueError(f"offset {offset} outside the text (0..{self._length})")
        i = bisect_left(self._wide, offset)  # wide characters strictly before ``offset``
        return offset + (self._extra[i - 1] if i else 0)

    def to_code_points(self, units: int) -> int:
        """Code-unit offset -> code-point offset; an offset inside a character rounds down."""
        if units < 0:
            raise ValueError(f"offset {units} is negative")
        # Binary search over the wide characters on their unit position.
        lo, hi = 0, len(self._wide)
        while lo < hi:
            mid = (lo + hi) // 2
            before = self._extra[mid - 1] if mid else 0
            if self._wide[mid] + before < units:
                lo = mid + 1
            else:
                hi = mid
        # ``lo`` wide characters start before ``units``; the last of them may straddle it.
        if lo:
            start_units = self._wide[lo - 1] + (self._extra[lo - 2] if lo > 1 else 0)
            width = self._extra[lo - 1] - (self._extra[lo - 2] if lo > 1 else 0) + 1
            if units < start_units + width:
                return self._wide[lo - 1]
        point = units - (self._extra[lo - 1] if lo else 0)
        return min(point, self._length)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """A code-point span as (offset, length) in code units, as LanguageTool reports it."""
        first = self.to_units(start)
        return first, self.to_units(end) - first


def units_in(text: str, encoding: str = "utf-16") -> int:
    """How many code units ``text`` takes in ``encoding``."""
    return CodeUnits(text, encoding).to_units(len(text))

