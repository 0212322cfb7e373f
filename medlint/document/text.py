"""Plain-text reader.

Plain text has no markup, so block structure is inferred from lines, the way a reader of a
page pasted or scraped from the web infers it:

* Paragraphs are separated by blank lines. A file with no blank lines at all (pages pasted
  from the web often are) is read one line per paragraph; otherwise one caveat would
  silence the whole file.
* A bullet line (``-``, ``*``, ``•``, ``●``, ``▪``, ``✅``, ``1.``, ``1)``) is its own block, a
  list item.
* A short line ending in ``?`` is a question (an FAQ entry asserts nothing).
* A heading is a line that looks like one (see ``_heading``): short, one sentence, no
  closing punctuation, starting with a capital, not ending in a word that needs another
  (pages excerpted mid-sentence end in "... a dissociative drug with"), and heading
  something (a last line heads nothing). Title Case or ALL CAPS is enough; a line in
  sentence case must also be followed by a longer block and not read as a sentence ("Call
  us today", "We accept most insurance plans": an imperative, a pronoun subject or an
  auxiliary verb). A heading line directly above its paragraph, with no blank line between,
  is a heading too when it is in Title Case.
* Lines whose first non-blank characters are ``#`` followed by ``medlint-`` are comments,
  so plain-text drafts can carry suppressions. They are not prose and do not break a
  paragraph: a paragraph reads the same with or without a suppression inside it.
"""
from __future__ import annotations

import re
from itertools import accumulate, islice

import regex

from .segments import (HEADING, ITEM, PARAGRAPH, QUESTION, Block, Comment, Document, build_mask,
                       split_sentences)

_BREAK = re.compile(r"\r\n|\r|\n")
_BULLET = regex.compile(r"^\s*(?:[-*+•●▪◦■□✓✔✅☐➤►→]|\d{1,3}[.)])\s+")
_COMMENT = regex.compile(r"^\s*#\s*medlint-")
_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}'’-]*")
#: A heading ends in none of these (a colon ends a lead-in, a comma or "and" a cut line).
_NOT_HEADING_END = ".!:;,…\"”"
_MAX_HEADING_WORDS = 10
_MAX_QUESTION_WORDS = 25

#: Small words a title leaves in lower case, and that a heading does not end in.
_MINOR = frozenset(
    "a an and as at but by for from in into nor of on onto or per so than that the to up via"
    " vs with within without is are be was were your our my their its his her".split()
)
#: First words of a sentence-case line that make it a sentence rather than a heading: an
#: imperative (a call to action), a pronoun subject or a byline.
_SENTENCE_OPENERS = frozenset(
    "call book schedule contact visit click order buy shop sign join text email e-mail"
    " subscribe register claim save get request start try reserve apply download learn"
    " we you i they he she it this there our my".split()
)
#: First words of a byline or date line, which heads nothing ("By: Dr. ...", "Last Updated").
_BYLINE = frozenset("by published updated posted written reviewed last".split())
#: Finite verbs that make a sentence-case line a sentence ("Ketamine is safe for everyone"),
#: unless they sit in a relative clause ("Problems that may happen straight away").
_AUXILIARIES = frozenset(
    "is are was were has have had can could will would may might must should does do did"
    " isn't aren't can't won't don't doesn't".split()
)
_RELATIVES = frozenset("that which who whom whose what how why when where if".split())


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


def _capitalised(word: str) -> bool:
    return word[0].isupper() or word[0].isdigit()


def _words(line: str, limit: int) -> list[str]:
    """The first ``limit`` words of ``line`` (only whether there are more matters)."""
    return [m.group() for m in islice(_WORD.finditer(line), limit)]


def _title_case(words: list[str]) -> bool:
    """Title Case ("Potential Risks and Side Effects") or ALL CAPS: most words after the
    first that are not small words begin with a capital."""
    rest = [w for w in words[1:] if w.lower() not in _MINOR]
    if not rest:
        return True
    return sum(map(_capitalised, rest)) * 5 >= len(rest) * 3


def _reads_as_sentence(line: str) -> bool:
    """A sentence-case line that is a sentence without its full stop."""
    lowered = [w.lower() for w in _words(line.strip(" *_"), _MAX_HEADING_WORDS)]
    if lowered[0] in _SENTENCE_OPENERS:
        return True
    for i, w in enumerate(lowered):
        if w in _AUXILIARIES and not _RELATIVES.intersection(lowered[:i]):
            return True
    return False


def _heading_shape(line: str) -> tuple[bool, bool, int]:
    """Whether ``line`` may be a heading by its own shape, whether it is in Title Case, and
    its word count (0 when it may not be a heading)."""
    stripped = line.strip()
    if stripped[:2] in ("**", "__") and stripped[-2:] == stripped[:2]:
        stripped = stripped[2:-2].strip()  # Markdown emphasis pasted as text: "**Dosage**"
    if not stripped or not stripped[0].isupper() or stripped[-1] in _NOT_HEADING_END:
        return False, False, 0
    if stripped[-1] == ")" and len(stripped) > 1 and stripped[-2] in ".!?…":
        return False, False, 0
    words = _words(stripped, _MAX_HEADING_WORDS + 1)
    if not words or len(words) > _MAX_HEADING_WORDS or sum(map(len, words)) < 2:
        return False, False, 0
    if words[0].lower() in _BYLINE:
        return False, False, 0
    last = words[-1]
    if last.islower() and (last in _MINOR or len(last) == 1):
        return False, False, 0  # a line cut short ("... drug with", "... possible b")
    if _two_sentences(stripped):
        return False, False, 0  # "Speed is another advantage. Online s..."
    return True, _title_case(words), len(words)


def _two_sentences(line: str) -> bool:
    """A sentence ending in a full stop or "!" inside ``line`` (a question may open a
    heading: "Is It Right for You? Final Points to Consider"; "Dr." ends no sentence)."""
    if not any(ch in line for ch in ".!…"):
        return False
    spans = split_sentences(line, 0, len(line))
    return any(line[e - 1] in ".!…" for _, e in spans[:-1])


def _question(line: str) -> bool:
    stripped = line.strip()
    return stripped.endswith("?") and 0 < len(_words(stripped, _MAX_QUESTION_WORDS + 1)) <= _MAX_QUESTION_WORDS


def _classify(line: str, following: str | None) -> str:
    """The kind of a one-line block, given the text of the block after it (None: last)."""
    if _question(line):
        return QUESTION
    shape, title, count = _heading_shape(line)
    if not shape or following is None:
        return PARAGRAPH  # a heading heads something
    if title:
        return HEADING
    if _reads_as_sentence(line):
        return PARAGRAPH
    if len(_words(following, count + 1)) > count:
        return HEADING  # sentence case, above a longer block ("Research on IM ketamine")
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
    # (start, end, kind, number of lines): kinds of one-line paragraphs are decided below,
    # when the block after each is known
    raw: list[list] = []
    current: list[tuple[int, int]] = []

    def flush() -> None:
        if not current:
            return
        if len(current) > 1:
            first_start, first_end = current[0]
            line = text[first_start:first_end]
            shape, title, count = _heading_shape(line)
            second = text[current[1][0]:current[1][1]]
            if shape and title and not _question(line) and len(_words(second, count + 1)) > count:
                # a Title Case line right above its longer paragraph: "Side Effects\nMost.."
                raw.append([first_start, first_end, HEADING, 1])
                del current[0]
        raw.append([current[0][0], current[-1][1], PARAGRAPH, len(current)])
        current.clear()

    for start, end, bullet in content:
        if start < 0:
            flush()
            continue
        if bullet:
            flush()
            raw.append([start, end, ITEM, 1])
            continue
        if not has_blank:
            flush()
        current.append((start, end))
    flush()

    blocks: list[Block] = []
    for i, (start, end, kind, lines) in enumerate(raw):
        if kind == PARAGRAPH and lines == 1:
            following = text[raw[i + 1][0]:raw[i + 1][1]] if i + 1 < len(raw) else None
            kind = _classify(text[start:end], following)
        blocks.append(Block(start=start, end=end, kind=kind, level=2 if kind == HEADING else 0))

    mask = build_mask(text, prose)
    return Document(text=text, prose=mask, format="text", blocks=blocks, comments=comments)
