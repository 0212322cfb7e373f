"""Plain-text reader.

Plain text has no markup, so block structure is inferred from lines:

* Paragraphs are separated by blank lines. A file with no blank lines at all (pages pasted
  from the web often are) is read one line per paragraph; otherwise one caveat would
  silence the whole file.
* A bullet line (``-``, ``*``, ``•``, ``●``, ``✅``, ``1.``) is its own block.
* A short line with no closing punctuation is a heading; a short line ending in ``?`` is a
  question (an FAQ entry asserts nothing).
* Lines whose first non-blank characters are ``#`` followed by ``medlint-`` are comments,
  so plain-text drafts can carry suppressions. They are not prose and do not break a
  paragraph: a paragraph reads the same with or without a suppression inside it.
"""
from __future__ import annotations

import re
from itertools import accumulate, islice

import regex

from .segments import HEADING, ITEM, PARAGRAPH, QUESTION, Block, Comment, Document, build_mask

_BREAK = re.compile(r"\r\n|\r|\n")
_BULLET = regex.compile(r"^\s*(?:[-*+•●▪◦■□✓✔✅☐➤►→]|\d{1,3}[.)])\s+")
_COMMENT = regex.compile(r"^\s*#\s*medlint-")
_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}'’-]*")
_NOT_HEADING_END = ".!:;,…\"”)"


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end before the break) of each line; LF, CRLF and lone CR end a line, and a
    final break does not open an empty last line."""
    if "\r" in text:
        lines = []
        pos = 0
        for m in _BREAK.finditer(text):
            lines.append((pos, m.start()))
            pos = m.end()
        if pos < len(text):
            lines.append((pos, len(text)))
        return lines
    lengths = list(map(len, text.split("\n")))
    starts = accumulate(map((1).__add__, lengths), initial=0)
    lines = [(start, start + n) for start, n in zip(starts, lengths)]
    if lines[-1][0] == len(text):  # after a final break (or an empty text): no line
        lines.pop()
    return lines


def _may_be_bullet(line: str) -> bool:
    """False when ``_BULLET`` cannot match: the first non-blank character is ASCII and
    neither a bullet sign nor a digit (most lines; the regex is asked about the rest)."""
    first = line.lstrip()[:1]
    return not first.isascii() or first in "-*+" or "0" <= first <= "9"


def _classify(line: str) -> str:
    stripped = line.strip()
    if not stripped:
        return PARAGRAPH
    question = stripped.endswith("?")
    heading = stripped[-1] not in _NOT_HEADING_END and stripped[0].isupper()
    if not question and not heading:
        return PARAGRAPH  # whatever the words
    words = sum(1 for _ in islice(_WORD.finditer(stripped), 26))  # only <= 25 and <= 10 matter
    if not words:
        return PARAGRAPH
    if question and words <= 25:
        return QUESTION
    if words <= 10 and heading:
        return HEADING
    return PARAGRAPH


def parse_text(text: str) -> Document:
    comments: list[Comment] = []
    prose: list[tuple[int, int]] = []
    content: list[tuple[int, int, bool]] = []  # (start, end, is a bullet); (-1, -1) blank
    for start, end in _lines(text):
        line = text[start:end]
        if "medlint-" in line and _COMMENT.match(line):
            comments.append(Comment(start, end, line.strip()))
            # invisible to the block structure: adding a suppression comment must not
            # split a paragraph (or turn a file without blank lines into one with them)
            continue
        if line.strip():
            bullet = _BULLET.match(line) if _may_be_bullet(line) else None
            content.append((start, end, bullet is not None))
            prose.append((start + (bullet.end() if bullet else 0), end))
        else:
            content.append((-1, -1, False))

    has_blank = any(s < 0 for s, _, _ in content[1:-1]) if len(content) > 2 else True
    blocks: list[Block] = []
    current: list[tuple[int, int]] = []

    def flush() -> None:
        if not current:
            return
        start, end = current[0][0], current[-1][1]
        kind = _classify(text[start:end]) if len(current) == 1 else PARAGRAPH
        blocks.append(Block(start=start, end=end, kind=kind, level=2 if kind == HEADING else 0))
        current.clear()

    for start, end, bullet in content:
        if start < 0:
            flush()
            continue
        if bullet:
            flush()
            blocks.append(Block(start=start, end=end, kind=ITEM))
            continue
        if not has_blank:
            flush()
        current.append((start, end))
    flush()

    mask = build_mask(text, prose)
    return Document(text=text, prose=mask, format="text", blocks=blocks, comments=comments)
