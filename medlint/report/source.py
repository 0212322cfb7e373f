"""``--show-source``: the offending line(s) with carets under the match, like ruff and rustc.

Positions come from the finding (line, column, end_line, end_column) and the line table of
``medlint.document.segments``, so the snippet marks exactly what the finding reports. What
is drawn is made terminal-safe and aligned:

* tabs expand to the next multiple of 4 columns; East Asian wide and fullwidth characters
  (CJK, most emoji) take two terminal cells; combining marks and zero-width characters take
  none; carets are laid out cell by cell, so they stay under the match in all three cases;
* control characters (ESC and friends) are drawn as visible symbols rather than sent to
  the terminal, so a draft cannot recolour or rewrite the user's screen, and bidirectional
  overrides are replaced so they cannot reorder what is shown;
* a line wider than the budget is trimmed around the match with ``…`` on the cut sides.
"""
from __future__ import annotations

import unicodedata
from typing import Callable

from ..document.segments import LineIndex
from ..finding import Finding

TAB_SIZE = 4
WIDTH = 100  # cells of source shown per line: fixed, so output does not depend on the terminal
MAX_LINES = 4  # a span over more lines shows its first and last lines around a "..." row
ELLIPSIS = "…"

_BIDI = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069}


def safe_char(ch: str) -> str:
    """A printable stand-in for characters a terminal would act on instead of showing."""
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # control pictures: ␀ … ␟ (ESC becomes ␛)
    if code == 0x7F:
        return "\u2421"  # ␡
    if 0x80 <= code < 0xA0 or code in _BIDI or 0xD800 <= code < 0xE000:
        return "\ufffd"
    return ch


def safe_text(text: str) -> str:
    """``text`` with every terminal-active character replaced (length is preserved)."""
    if text.isprintable():
        return text
    return "".join(safe_char(c) if not c.isprintable() and c != " " else c for c in text)


def char_width(ch: str) -> int:
    """Terminal cells taken by one (already made safe) character."""
    if unicodedata.combining(ch) or ch in "\u200b\u200c\u200d\u2060\ufeff":
        return 0
    category = unicodedata.category(ch)
    if category in ("Mn", "Me", "Cf"):
        return 0
    if 0xFE00 <= ord(ch) <= 0xFE0F:  # variation selectors
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _cells(line: str) -> list[tuple[str, int]]:
    """(glyph, width) per code point of ``line``; a tab's glyph is the spaces it expands to."""
    out: list[tuple[str, int]] = []
    col = 0
    for ch in line:
        if ch == "\t":
            n = TAB_SIZE - col % TAB_SIZE
            out.append((" " * n, n))
        else:
            glyph = safe_char(ch)
            out.append((glyph, char_width(glyph)))
        col += out[-1][1]
    return out


def mark_line(line: str, first: int, last: int, width: int = WIDTH) -> tuple[str, str]:
    """The shown text of ``line`` and a caret row under code points ``first:last``.

    ``first``/``last`` are 0-based code-point indexes into ``line`` (``last`` exclusive). An
    empty span still gets one caret, at ``first``. A line wider than ``width`` cells is cut
    to a window that starts at the match (or centres it, when it fits) and ``…`` marks the
    cuts.
    """
    cells = _cells(line)
    starts = []
    col = 0
    for _glyph, w in cells:
        starts.append(col)
        col += w
    total = col
    lo, hi = 0, total
    if total > width:
        room = width - 2  # both ellipses, worst case
        span_lo = starts[first] if first < len(cells) else total
        span_hi = starts[last] if last < len(cells) else total
        if span_hi - span_lo >= room:
            lo = max(0, span_lo - 8)
        else:
            lo = span_lo - (room - (span_hi - span_lo)) // 2
        lo = max(0, min(lo, total - room))
        hi = lo + room
    text_parts: list[str] = []
    caret_parts: list[str] = []
    if lo > 0:
        text_parts.append(ELLIPSIS)
        caret_parts.append(" ")
    caret_at = None  # where the single caret of an empty (or invisible) span goes
    for i, (glyph, w) in enumerate(cells):
        if starts[i] < lo or starts[i] + w > hi:
            if i == first and starts[i] >= hi:
                caret_at = sum(len(p) for p in caret_parts)
            continue
        if i == first:
            caret_at = sum(len(p) for p in caret_parts)
        text_parts.append(glyph)
        caret_parts.append(("^" if first <= i < last else " ") * w)
    if hi < total:
        text_parts.append(ELLIPSIS)
    carets = "".join(caret_parts).rstrip()
    if "^" not in carets:
        at = caret_at if caret_at is not None else sum(len(p) for p in caret_parts)
        carets = " " * at + "^"
    return "".join(text_parts), carets


def snippet(finding: Finding, text: str, index: LineIndex | None = None,
            paint: Callable[[str, str], str] = lambda s, _style: s,
            caret_style: str = "") -> list[str]:
    """Gutter, source and caret rows for ``finding`` in ``text`` (the file it was found in)."""
    index = index or LineIndex(text)
    last_line = min(finding.end_line, len(index))
    # a span ending at column 1 of a line ends at the previous line's break
    if last_line > finding.line and finding.end_column == 1:
        last_line -= 1
    numbers = list(range(finding.line, last_line + 1))
    if len(numbers) > MAX_LINES:
        numbers = numbers[:MAX_LINES - 1] + [-1] + numbers[-1:]
    gutter = len(str(last_line))
    bar = paint(" " * gutter + " |", "gutter")
    rows = [bar]
    for number in numbers:
        if number < 0:
            rows.append(paint(" " * gutter + " ┆", "gutter"))
            continue
        start, end = index.line_span(number)
        line = text[start:end].rstrip("\r\n")
        first = finding.column - 1 if number == finding.line else len(line) - len(line.lstrip())
        last = finding.end_column - 1 if number == finding.end_line else len(line)
        shown, carets = mark_line(line, first, max(first, last))
        rows.append(paint(f"{number:>{gutter}} |", "gutter") + (" " + shown if shown else ""))
        rows.append(bar + " " + paint(carets, caret_style))
    return rows
