"""The document model: prose mask, line index, blocks, sentences and sections.

Every position here is a 0-based code-point offset into the ORIGINAL text. Readers never
copy or rewrite prose; they only say which ranges are prose and where blocks begin and end.
The prose mask is a copy of the text of the same length in which everything that is not
prose (markup, code, URLs, front matter, comments) is replaced by spaces, with line breaks
kept. Checks search the mask, so a match offset is already an offset into the source and
positions never need mapping back.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from itertools import accumulate
from operator import attrgetter
from typing import Any, Iterable, Sequence

import regex

#: Block kinds. A block is the unit of "paragraph" scope.
PARAGRAPH = "paragraph"
HEADING = "heading"
ITEM = "item"
ROW = "row"
QUESTION = "question"

_BREAK = re.compile(r"\r\n|\r|\n")
_PLUS_ONE = (1).__add__


def blank(text: str) -> str:
    """Spaces for every character of ``text`` except line breaks (which keep lines aligned)."""
    if not text.strip(" \n\r"):  # nothing but spaces and breaks (the gap between paragraphs)
        return text
    if "\r" in text:
        return "\n".join(["\r".join([" " * len(part) for part in line.split("\r")])
                          for line in text.split("\n")])
    if "\n" in text:
        return "\n".join([" " * len(line) for line in text.split("\n")])
    return " " * len(text)


def build_mask(text: str, prose: Iterable[tuple[int, int]]) -> str:
    """Same-length copy of ``text`` keeping only the ``prose`` ranges (sorted, may overlap)."""
    parts: list[str] = []
    pos = 0
    for start, end in sorted(prose):
        if end <= pos:
            continue
        if start > pos:
            parts.append(blank(text[pos:start]))
        else:
            start = pos
        parts.append(text[start:end])
        pos = end
    if pos < len(text):
        parts.append(blank(text[pos:]))
    mask = "".join(parts)
    assert len(mask) == len(text)
    return mask


class LineIndex:
    """Maps offsets to 1-based (line, column); understands LF, CRLF and lone CR."""

    __slots__ = ("starts", "length")

    def __init__(self, text: str) -> None:
        if "\r" in text:
            starts = [0]
            starts.extend(map(re.Match.end, _BREAK.finditer(text)))
        else:  # the common case: each line's length plus its break, summed (in C)
            starts = list(accumulate(map(_PLUS_ONE, map(len, text.split("\n"))), initial=0))
            starts.pop()
        self.starts = starts
        self.length = len(text)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in code points) of ``offset``."""
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def line_span(self, line: int) -> tuple[int, int]:
        """Offsets of the start and end (before the line break) of 1-based ``line``."""
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else self.length
        return start, end

    def __len__(self) -> int:
        return len(self.starts)


class Block:
    """A paragraph-scope unit: a paragraph, heading, list item, table row or FAQ question.

    ``sentences`` is computed on first use: checks read the sentences of the few blocks
    where a rule triggers, and splitting every block of a draft up front was a quarter of
    the time to read one. The :class:`Document` gives each block the splitter for its mask;
    ``segments`` are the spans to split (the HTML reader's sentence segments; by default the
    whole block). Sentences given to the constructor, or assigned, are kept as they are.
    """

    __slots__ = ("start", "end", "kind", "level", "section", "cells", "header", "segments",
                 "_sentences", "_splitter")

    def __init__(self, start: int, end: int, kind: str = PARAGRAPH, level: int = 0,
                 section: int = 0, sentences: list[tuple[int, int]] | None = None,
                 cells: list[tuple[int, int]] | None = None, header: "Block | None" = None,
                 segments: list[tuple[int, int]] | None = None) -> None:
        self.start = start
        self.end = end
        self.kind = kind
        self.level = level
        self.section = section
        #: table rows: the span of each cell, and the table's header row
        self.cells = [] if cells is None else cells
        self.header = header
        self.segments = segments
        # an empty list means "not split yet", as it always has for the Document
        self._sentences = sentences or None
        self._splitter: SentenceSplitter | None = None

    @property
    def sentences(self) -> list[tuple[int, int]]:
        found = self._sentences
        if found is None:
            splitter = self._splitter
            if splitter is None:  # not part of a Document yet
                return []
            found = []
            for start, end in self.segments or ():
                found.extend(splitter.split(start, end))
            if not found:
                found = splitter.split(self.start, self.end)
            self._sentences = found
        return found

    @sentences.setter
    def sentences(self, value: list[tuple[int, int]]) -> None:
        self._sentences = value

    def _fields(self) -> tuple[Any, ...]:
        return (self.start, self.end, self.kind, self.level, self.section, self.sentences,
                self.cells, self.header)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it was

    def __repr__(self) -> str:
        return (f"Block(start={self.start!r}, end={self.end!r}, kind={self.kind!r}, "
                f"level={self.level!r}, section={self.section!r}, sentences={self.sentences!r}, "
                f"cells={self.cells!r}, header={self.header!r})")


@dataclass(slots=True)
class Comment:
    """A markup comment (HTML ``<!-- -->`` or a plain-text ``#`` comment line)."""

    start: int
    end: int
    body: str


# Sentence ends: terminal punctuation (optionally followed by closing quotes/brackets) and
# whitespace before something that can open a sentence. Abbreviations are checked after.
# This pattern is the definition; ``SentenceSplitter`` finds exactly its matches without
# running it (see there).
_SENTENCE_END = regex.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]*[\p{Lu}\p{N}])")
_ABBREVIATIONS = frozenset(
    "e.g i.e etc vs dr mr mrs ms prof st no fig al approx dept inc ltd co u.s u.k jr sr mt"
    " ph.d m.d a.m p.m jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_TERMINALS = ".!?…"
_CLOSERS = "\"'”’)]"
_OPENERS = "\"'“‘(["


_CHAR_CLASS_MEMORY = 8192


class _CharClass(dict):
    """Membership in a ``regex`` character class, one character at a time, remembered.

    ASCII is filled in up front; any other character is asked of ``regex`` itself the first
    time it is seen (and remembered, up to a few thousand characters), so the answer is
    ``regex``'s (and its Unicode version's), not ``str``'s.
    """

    def __init__(self, pattern: str) -> None:
        super().__init__()
        self._pattern = regex.compile(pattern)
        for c in range(128):
            self[chr(c)] = self._pattern.fullmatch(chr(c)) is not None

    def __missing__(self, ch: str) -> bool:
        found = self._pattern.fullmatch(ch) is not None
        if len(self) < _CHAR_CLASS_MEMORY:  # a long-running server meets bounded memory
            self[ch] = found
        return found


_SPACE = _CharClass(r"\s")
_CAPITAL = _CharClass(r"[\p{Lu}\p{N}]")
_WORD_CHAR = _CharClass(r"[\p{L}.]")


class SentenceSplitter:
    """Splits spans of one prose mask into sentences: ``_SENTENCE_END`` matches, minus
    abbreviations ("e.g.", "Dr.") and initials ("J. Smith").

    A ``regex`` scan for ``_SENTENCE_END`` tries every character of the mask (and
    ``split_sentences`` used to run it once per block); here ``str.find`` lists the few
    terminal punctuation marks of the whole mask once, and each block looks at its own.
    At a mark the pattern has exactly one way to match, so it is followed by hand: the run of
    terminals and closers, then (look-ahead) whitespace, opening quotes and a capital letter
    or digit. Character classes are ``regex``'s own (``_CharClass``). A mark inside a run of
    terminals gives what the run's first mark gave, so it is skipped; that also keeps a long
    run of dots linear.
    """

    __slots__ = ("mask", "marks")

    def __init__(self, mask: str) -> None:
        self.mask = mask
        self.marks: list[int] | None = None  # listed on the first split

    def _marks(self) -> list[int]:
        marks: list[int] = []
        find = self.mask.find
        for ch in _TERMINALS:
            i = find(ch)
            while i >= 0:
                marks.append(i)
                i = find(ch, i + 1)
        marks.sort()
        self.marks = marks
        return marks

    def split(self, start: int, end: int) -> list[tuple[int, int]]:
        """Sentence spans of mask[start:end], trimmed of surrounding whitespace.

        The span is read as if it were cut out: the look-ahead cannot see past ``end`` and
        the word before a dot cannot reach before ``start``.
        """
        mask = self.mask
        marks = self.marks
        if marks is None:
            marks = self._marks()
        out: list[tuple[int, int]] = []
        pos = start
        i = bisect.bisect_left(marks, start)
        n = len(marks)
        while i < n:
            dot = marks[i]
            i += 1
            if dot >= end:
                break
            if dot < pos or (dot > start and mask[dot - 1] in _TERMINALS):
                continue
            stop = dot + 1
            while stop < end and mask[stop] in _TERMINALS:
                stop += 1
            while stop < end and mask[stop] in _CLOSERS:
                stop += 1
            ahead = stop
            while ahead < end and _SPACE[mask[ahead]]:
                ahead += 1
            if ahead == stop:
                continue
            while ahead < end and mask[ahead] in _OPENERS:
                ahead += 1
            if ahead == end or not _CAPITAL[mask[ahead]]:
                continue
            if mask[dot] == ".":
                first = dot
                while first > start and _WORD_CHAR[mask[first - 1]]:
                    first -= 1
                # an abbreviation ("e.g.", "Dr.") or an initial ("J. Smith") ends no sentence
                if first < dot and (dot - first == 1
                                    or mask[first:dot].lower().rstrip(".") in _ABBREVIATIONS):
                    continue
            piece = mask[pos:stop]
            stripped = piece.strip()
            if stripped:
                lead = pos + len(piece) - len(piece.lstrip())
                out.append((lead, lead + len(stripped)))
            pos = stop
        piece = mask[pos:end]
        stripped = piece.strip()
        if stripped:
            lead = pos + len(piece) - len(piece.lstrip())
            out.append((lead, lead + len(stripped)))
        return out


def split_sentences(mask: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans of mask[start:end] (for one span; a reader splitting many spans of
    one mask keeps a :class:`SentenceSplitter`)."""
    return SentenceSplitter(mask).split(start, end)


@dataclass(frozen=True, slots=True)
class Relocation:
    """Prose whose characters do not sit at their own source offsets in the mask.

    The mask has the length of the source, so a word written with a character reference
    (``don&rsquo;t``, 11 characters) cannot be both readable by the checks and aligned
    with its source. A reader that decodes such a word writes it, decoded, at the start of
    the word's source range (``don’t`` then six spaces) and records here, for each decoded
    character, the source span it came from, so that a match can be mapped back to the
    exact source text (:meth:`Document.source_span`).
    """

    start: int  # mask offset of the first decoded character (= the word's source start)
    end: int  # end of the word's source range
    sources: tuple[tuple[int, int], ...]  # source span of each decoded character


_START = attrgetter("start")


@dataclass(slots=True)
class Document:
    """A parsed draft. Built by one of the readers; consumed by the checks."""

    text: str
    prose: str
    format: str
    blocks: list[Block]
    comments: list[Comment] = field(default_factory=list)
    #: HTML: decoded words that are not aligned with their source (sorted by start)
    relocations: list[Relocation] = field(default_factory=list)
    lines: LineIndex = field(init=False)
    _block_starts: list[int] = field(init=False, repr=False)
    #: the linter's one-pass literal scan of ``prose`` (``scan.Index``), or None
    index: Any = field(default=None, init=False, repr=False, compare=False)
    _sections: Any = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.lines = LineIndex(self.text)
        self.blocks.sort(key=_START)
        section = 0
        splitter = SentenceSplitter(self.prose)  # finds nothing until a block is split
        for block in self.blocks:
            if block.kind in (HEADING, QUESTION):
                section += 1
            block.section = section
            block._splitter = splitter
        self._block_starts = list(map(_START, self.blocks))

    # -- lookups -------------------------------------------------------------------------
    def block_at(self, offset: int) -> Block | None:
        i = bisect.bisect_right(self._block_starts, offset) - 1
        if i >= 0 and self.blocks[i].start <= offset < self.blocks[i].end:
            return self.blocks[i]
        return None

    def sentence_at(self, offset: int) -> tuple[int, int]:
        block = self.block_at(offset)
        if block is None:
            return offset, offset
        # a bisect over the sentences (in order, not overlapping), not a scan: a block may
        # hold thousands (HTML paragraphs separated by <br><br>), and every trigger asks
        sentences = block.sentences
        i = bisect.bisect_right(sentences, offset, key=lambda s: s[0]) - 1
        if i >= 0 and sentences[i][0] <= offset < sentences[i][1]:
            return sentences[i]
        return block.start, block.end

    def column_header(self, offset: int) -> tuple[int, int] | None:
        """For an offset in a table body cell: the span of that column's header cell."""
        block = self.block_at(offset)
        if block is None or block.header is None or not block.cells:
            return None
        for i, (s, e) in enumerate(block.cells):
            if s <= offset < e and i < len(block.header.cells):
                return block.header.cells[i]
        return None

    def section_blocks(self, block: Block) -> Sequence[Block]:
        """The blocks of ``block``'s section (computed once per draft: a trigger in every
        paragraph of a long draft must not make this quadratic)."""
        sections = self._sections
        if sections is None:
            sections = self._sections = {}
            for b in self.blocks:
                sections.setdefault(b.section, []).append(b)
        return sections.get(block.section, [])

    def position(self, offset: int) -> tuple[int, int]:
        return self.lines.position(offset)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The source range of the mask range [start, end): the identity except in relocations.

        A match that starts or ends inside a relocated word is widened to the source span of
        its first and last decoded characters, so ``text[start:end]`` is the source as written
        (``don&rsquo;t``, not ``don’t`` or a cut entity).
        """
        if not self.relocations or end <= start:
            return start, end
        out_start, out_end = start, end
        r = self._relocation_at(start)
        if r is not None:
            i = start - r.start
            out_start = r.sources[i][0] if i < len(r.sources) else r.start
        r = self._relocation_at(end - 1)
        if r is not None:
            j = end - 1 - r.start
            out_end = r.sources[j][1] if j < len(r.sources) else r.end
        return out_start, max(out_start, out_end)

    def _relocation_at(self, offset: int) -> Relocation | None:
        i = bisect.bisect_right(self.relocations, offset, key=lambda r: r.start) - 1
        if i >= 0 and self.relocations[i].start <= offset < self.relocations[i].end:
            return self.relocations[i]
        return None
