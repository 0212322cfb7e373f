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

import regex

from .segments import HEADING, ITEM, PARAGRAPH, QUESTION, Block, Comment, Document, build_mask

_LINE = regex.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_BULLET = regex.compile(r"^\s*(?:[-*+•●▪◦■□✓✔✅☐➤►→]|\d{1,3}[.)])\s+")
_COMMENT = regex.compile(r"^\s*#\s*medlint-")
_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}'’-]*")


def _classify(line: str) -> str:
    stripped = line.strip()
    words = _WORD.findall(stripped)
    if not words:
        return PARAGRAPH
    if stripped.endswith("?") and len(words) <= 25:
        return QUESTION
    if len(words) <= 10 and stripped[-1] not in ".!:;,…\"”)" and stripped[0].isupper():
        return HEADING
    return PARAGRAPH


def parse_text(text: str) -> Document:
    lines: list[tuple[int, int]] = []  # (start, end-without-break) of each line
    for m in _LINE.finditer(text):
        if m.start() == len(text) and m.end() == m.start():
            break
        body = m.group().rstrip("\r\n")
        lines.append((m.start(), m.start() + len(body)))

    comments: list[Comment] = []
    prose: list[tuple[int, int]] = []
    content: list[tuple[int, int]] = []
    for start, end in lines:
        line = text[start:end]
        if _COMMENT.match(line):
            comments.append(Comment(start, end, line.strip()))
            # invisible to the block structure: adding a suppression comment must not
            # split a paragraph (or turn a file without blank lines into one with them)
            continue
        if line.strip():
            content.append((start, end))
            bullet = _BULLET.match(line)
            prose.append((start + (bullet.end() if bullet else 0), end))
        else:
            content.append((-1, -1))

    has_blank = any(s < 0 for s, _ in content[1:-1]) if len(content) > 2 else True
    blocks: list[Block] = []
    current: list[tuple[int, int]] = []

    def flush() -> None:
        if not current:
            return
        start, end = current[0][0], current[-1][1]
        kind = _classify(text[start:end]) if len(current) == 1 else PARAGRAPH
        blocks.append(Block(start=start, end=end, kind=kind, level=2 if kind == HEADING else 0))
        current.clear()

    for start, end in content:
        if start < 0:
            flush()
            continue
        line = text[start:end]
        if _BULLET.match(line):
            flush()
            blocks.append(Block(start=start, end=end, kind=ITEM))
            continue
        if not has_blank:
            flush()
        current.append((start, end))
    flush()

    mask = build_mask(text, prose)
    return Document(text=text, prose=mask, format="text", blocks=blocks, comments=comments)
