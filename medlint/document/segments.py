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
from array import array
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from operator import attrgetter
from typing import Any, Callable, Iterable, Iterator, Sequence

import regex

#: Block kinds. A block is the unit of "paragraph" scope.
PARAGRAPH = "paragraph"
HEADING = "heading"
ITEM = "item"
ROW = "row"
QUESTION = "question"

_BREAK = re.compile(r"\r\n|\r|\n")
#: offsets below this fit a C int (array code "i", 4 bytes)
_INT_MAX = 1 << 31
#: a draft of this many characters or more keeps its per-line and per-mark offsets in
#: arrays of C ints (4 bytes each, where a list holds a pointer and an int object, about
#: 40); a smaller one keeps lists, which are faster to fill (17 against 23 us for the line
#: starts of an 8 KB draft) and whose few kilobytes do not matter
COMPACT_MIN = 1 << 20


def offsets(n: int, first: Iterable[int] = ()) -> "array[int] | list[int]":
    """A sequence for offsets into a text of ``n`` characters (``COMPACT_MIN``)."""
    if n < COMPACT_MIN:
        return list(first)
    return array("i" if n < _INT_MAX else "q", first)
_LF = re.compile("\n")

#: Written in the prose mask between blocks (and between a table row's cells), where the
#: mask is otherwise blank, so that no match crosses from one block into the next:
#: "committed" ending a heading and "Suicide" opening the next paragraph are not the phrase
#: "committed suicide". U+001E (record separator) is neither white space (``\s``) nor a word
#: character for the ``regex`` module, so ``\s+`` stops at it and ``\b`` still holds next to
#: it; Python's own ``str.isspace``, ``strip`` and ``split`` do count it as white space, so
#: sentence spans and quoted context read as before.
BOUNDARY = "\x1e"
_BLANK = frozenset(" \t\n\r\f\v")
#: a paragraph that stops mid-sentence on a word that needs a complement ("conditions
#: improved by pellet therapy are", "benefits include") is a lead-in as a colon is
_OPEN_ENDED = regex.compile(
    r"\b(?:are|is|were|include|includes|including|such\s+as|from|for|of|by|with|like|"
    r"following|to|as|these|into)[ \t]*$")
#: the last letters of ``_OPEN_ENDED``'s words: a match ends at the paragraph's last prose
#: character (the end is moved back over blanks first, so ``[ \t]*`` and ``$`` before a
#: final line break match nothing), which must be one of these. Most paragraphs end with a
#: full stop, and a ``regex`` search that tries every position of the paragraph is not run
#: for them (it was a quarter of the time to read a draft).
_OPEN_ENDED_LAST = frozenset("esgmrfyho")
#: how far before the paragraph's end a match can start, for the answer "is there one":
#: the longest one-word alternative; ``such\s+as`` has no bound but ends with ``as``,
#: which matches on its own there. ``regex`` reads ``\b`` at the search's start against
#: the character before it, so a later start finds the same words.
_OPEN_ENDED_REACH = 9

#: characters of a lead-in read with each item of its list (Document.joined)
_LEAD_REACH = 240
#: items of one list read with its lead-in
_MAX_JOINED_ITEMS = 100
_GAP = _BLANK | {BOUNDARY}


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
    """Maps offsets to 1-based (line, column); understands LF, CRLF and lone CR.

    ``starts`` (each line's first offset) is filled from ``finditer`` in C: faster than
    summing the lengths of ``str.split``'s lines, and without that copy of every line. For a
    large text it is an ``array`` of C ints (``offsets``), 4 bytes a line: a list held a
    pointer and an int object for each (about 40 bytes; 10 MB for the 258,751 lines of a
    10 MB draft). ``bisect`` reads the array as it reads a list, and a position costs the
    same (0.62 against 0.65 us measured over 200,000 random offsets of that draft).
    """

    __slots__ = ("starts", "length")

    def __init__(self, text: str) -> None:
        starts = offsets(len(text), (0,))
        starts.extend(map(re.Match.end, (_BREAK if "\r" in text else _LF).finditer(text)))
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


#: the cells of every block that is not a table row (immutable, so it can be shared)
_NO_CELLS: tuple[tuple[int, int], ...] = ()


class _Extras:
    """The fields few blocks have: a table row's cells and header row, the segments of a
    block cut by ``<br>``, an introduced list item's lead-in (see :class:`Block`)."""

    __slots__ = ("cells", "header", "segments", "lead_in")

    def __init__(self) -> None:
        self.cells: Sequence[tuple[int, int]] = _NO_CELLS
        self.header: Block | None = None
        self.segments: list[tuple[int, int]] | None = None
        self.lead_in: tuple[int, int] | None = None


class Block:
    """A paragraph-scope unit: a paragraph, heading, list item, table row or FAQ question.

    ``sentences`` is computed on first use: checks read the sentences of the few blocks
    where a rule triggers, and splitting every block of a draft up front was a quarter of
    the time to read one. The :class:`Document` gives each block the splitter for its mask
    (kept where the sentences go until they are split); ``segments`` are the spans to split
    (the HTML reader's sentence segments; by default the whole block). Sentences given to
    the constructor, or assigned, are kept as they are.

    A 10 MB draft has 143,685 blocks, so a block holds only what most blocks have, in
    seven slots (88 bytes, where eleven took 120): ``cells``, ``header``, ``segments`` and
    ``lead_in`` are read and written as before, through properties, but live in one
    ``_Extras`` that only the blocks having one of them get.
    """

    __slots__ = ("start", "end", "kind", "level", "section", "_sentences", "_extras")

    def __init__(self, start: int, end: int, kind: str = PARAGRAPH, level: int = 0,
                 section: int = 0, sentences: list[tuple[int, int]] | None = None,
                 cells: Sequence[tuple[int, int]] | None = None, header: "Block | None" = None,
                 segments: list[tuple[int, int]] | None = None) -> None:
        self.start = start
        self.end = end
        self.kind = kind
        self.level = level
        self.section = section
        # a list: the sentences; a SentenceSplitter: not split yet; None: not part of a
        # Document yet. An empty list given here means "not split yet", as it always has.
        self._sentences: list[tuple[int, int]] | SentenceSplitter | None = sentences or None
        self._extras: _Extras | None = None
        if cells is not None or header is not None or segments is not None:
            extras = self._extras = _Extras()
            if cells is not None:
                extras.cells = cells
            extras.header = header
            extras.segments = segments

    def _more(self) -> _Extras:
        extras = self._extras
        if extras is None:
            extras = self._extras = _Extras()
        return extras

    @property
    def cells(self) -> Sequence[tuple[int, int]]:
        """Table rows: the span of each cell. Any other block shares one empty tuple (a list
        each was 56 bytes a block, 8 MB for a 10 MB draft)."""
        extras = self._extras
        return _NO_CELLS if extras is None else extras.cells

    @cells.setter
    def cells(self, value: Sequence[tuple[int, int]]) -> None:
        if value is not _NO_CELLS or self._extras is not None:
            self._more().cells = value

    @property
    def header(self) -> "Block | None":
        """Table rows: the table's header row."""
        extras = self._extras
        return None if extras is None else extras.header

    @header.setter
    def header(self, value: "Block | None") -> None:
        if value is not None or self._extras is not None:
            self._more().header = value

    @property
    def segments(self) -> list[tuple[int, int]] | None:
        """The spans to split into sentences, when not the whole block."""
        extras = self._extras
        return None if extras is None else extras.segments

    @segments.setter
    def segments(self, value: list[tuple[int, int]] | None) -> None:
        if value is not None or self._extras is not None:
            self._more().segments = value

    @property
    def lead_in(self) -> tuple[int, int] | None:
        """List items: the span of the sentence that introduces the list ("Our IV menu
        includes:"), set by the Document; None for other blocks and unintroduced lists."""
        extras = self._extras
        return None if extras is None else extras.lead_in

    @lead_in.setter
    def lead_in(self, value: tuple[int, int] | None) -> None:
        if value is not None or self._extras is not None:
            self._more().lead_in = value

    @property
    def sentences(self) -> list[tuple[int, int]]:
        found = self._sentences
        if found is None:  # not part of a Document yet
            return []
        if found.__class__ is SentenceSplitter:
            splitter: SentenceSplitter = found  # type: ignore[assignment]
            found = []
            extras = self._extras
            for start, end in (extras.segments if extras is not None else None) or ():
                found.extend(splitter.split(start, end))
            if not found:
                found = splitter.split(self.start, self.end)
            self._sentences = found
        return found  # type: ignore[return-value]

    @sentences.setter
    def sentences(self, value: list[tuple[int, int]]) -> None:
        self._sentences = value

    def _fields(self) -> tuple[Any, ...]:
        # cells as a list: a row built with ``[]`` equals one that shares ``_NO_CELLS``
        return (self.start, self.end, self.kind, self.level, self.section, self.sentences,
                list(self.cells), self.header)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it was

    def __repr__(self) -> str:
        return (f"Block(start={self.start!r}, end={self.end!r}, kind={self.kind!r}, "
                f"level={self.level!r}, section={self.section!r}, sentences={self.sentences!r}, "
                f"cells={list(self.cells)!r}, header={self.header!r})")


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
_TERMINAL = re.compile("[" + re.escape(_TERMINALS) + "]")
_START_OF = re.Match.start
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
_SPACE[BOUNDARY] = True  # a boundary reads as white space to the sentence splitter
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
        self.marks: Sequence[int] | None = None  # listed on the first split

    def _marks(self) -> Sequence[int]:
        """Offsets of every terminal mark, sorted; for a large mask an ``array`` of C ints
        (``offsets``): 4 bytes a mark where a list held a pointer and an int object (about
        36 bytes; 4 MB for the 10 MB big_file draft). ``bisect`` and indexing read it as
        they read the list."""
        if len(self.mask) >= COMPACT_MIN:
            # straight into the array, in order: a list of every mark first (an int object
            # each, then sorted) was a 5 MB transient on the 10 MB big_file draft
            marks: Sequence[int] = offsets(len(self.mask), map(_START_OF, _TERMINAL.finditer(self.mask)))
            self.marks = marks
            return marks
        found: list[int] = []
        find = self.mask.find
        for ch in _TERMINALS:
            i = find(ch)
            while i >= 0:
                found.append(i)
                i = find(ch, i + 1)
        found.sort()  # faster than a regex pass on an ordinary draft
        self.marks = found
        return found

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


def _boundary_at(mask: str, lo: int, hi: int) -> int:
    """Where in mask[lo:hi] a boundary goes: a blank character that is not a line break
    if there is one (so lines stay as they were), else the first line break; -1 if the gap
    holds no blank character or a boundary already."""
    gap = mask[lo:hi]
    if not gap or BOUNDARY in gap:
        return -1
    for i, ch in enumerate(gap):
        if ch == " " or ch == "\t":
            return lo + i
    for i, ch in enumerate(gap):
        if ch in _BLANK:
            return lo + i
    return -1


def _prose_end(mask: str, start: int, end: int) -> int:
    """``end`` moved back over blank characters, not before ``start``."""
    while end > start and mask[end - 1] in _GAP:
        end -= 1
    return end


def _open_ended(prose: str, start: int, end: int) -> bool:
    """Whether ``_OPEN_ENDED.search(prose, start, end)`` finds a match, for a paragraph
    whose prose ends at ``end`` (``prose[end - 1]`` is not blank), looking only at its
    last word (see ``_OPEN_ENDED_LAST`` and ``_OPEN_ENDED_REACH``)."""
    return (prose[end - 1] in _OPEN_ENDED_LAST
            and _OPEN_ENDED.search(prose, max(start, end - _OPEN_ENDED_REACH), end) is not None)


def _prose_start(mask: str, start: int, end: int) -> int:
    while start < end and mask[start] in _GAP:
        start += 1
    return start


def boundary_places(blocks: Sequence[Block], prose_end: Callable[[int, int], int],
                    prose_start: Callable[[int, int], int], boundary_at: Callable[[int, int], int],
                    unit: Callable[[int], int] | None = None) -> list[int]:
    """Where :func:`mark_boundaries` writes a :data:`BOUNDARY`: in the blank gap between
    consecutive blocks (sorted by start) and between the cells of a table row, in the order
    found. The mask is read through the three functions, so that the Markdown reader's
    UTF-8 mask of a large draft (``markdown._marked_mask``) is walked by the same code;
    ``unit`` converts a block's code-point offsets to that mask's (None: the same)."""
    at: list[int] = []
    prev_end = -1
    prev_start = 0
    for block in blocks:
        start = block.start if unit is None else unit(block.start)
        if prev_end >= 0:
            lo = prose_end(prev_start, prev_end)
            p = boundary_at(lo, start if start >= lo else lo)
            if p >= 0:
                at.append(p)
        extras = block._extras  # a table row's cells (read without the property: every block)
        if extras is not None and len(extras.cells) > 1:
            cells = extras.cells if unit is None else [(unit(a), unit(b)) for a, b in extras.cells]
            for (s1, e1), (s2, e2) in zip(cells, cells[1:]):
                lo = prose_end(s1, min(e1, s2) if e1 > s1 else s2)
                p = boundary_at(lo, prose_start(max(s2, lo), e2 if e2 > s2 else s2))
                if p >= 0:
                    at.append(p)
        end = block.end if unit is None else unit(block.end)
        if end > prev_end or start >= prev_end:
            prev_start, prev_end = start, end
    return at


def mark_boundaries(mask: str, blocks: Sequence[Block]) -> str:
    """``mask`` with a :data:`BOUNDARY` in the blank gap between consecutive blocks (sorted
    by start) and between the cells of a table row. Idempotent; the same length."""
    at = boundary_places(blocks, partial(_prose_end, mask), partial(_prose_start, mask),
                         partial(_boundary_at, mask))
    if not at:
        return mask
    at.sort()
    parts: list[str] = []
    pos = 0
    for p in at:
        if p < pos:
            continue
        parts.append(mask[pos:p])
        parts.append(BOUNDARY)
        pos = p + 1
    parts.append(mask[pos:])
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class Joined:
    """A list item read after its lead-in: ``text`` is the lead-in (without its colon), a
    space and the item, and :meth:`source` maps an offset of it back into the source."""

    text: str
    lead_start: int
    lead_end: int
    item_start: int
    item_end: int
    block: Block

    @property
    def seam(self) -> int:
        """Offset in ``text`` of the space between lead-in and item."""
        return self.lead_end - self.lead_start

    def source(self, i: int) -> int:
        if i < self.seam:
            return self.lead_start + i
        if i == self.seam:
            return self.lead_end
        return self.item_start + i - self.seam - 1

    def keep(self, a: int, b: int) -> tuple[int, int] | None:
        """The source range to report for a match of text[a:b], if it needs both parts."""
        if a < self.seam < b - 1:
            return self.item_start, self.source(b - 1) + 1
        return None


#: A flattened table's cells run together ("Side EffectsNO side effects"): a word of four
#: letters or more in Title Case, or of five or more in lower case, followed at once by a
#: word of two or more capitals. Real words with a case change inside (iPhone, eBay,
#: McDonald, mRNA, siRNA, mtDNA, PubMed, YouTube, WebMD, mmHg) have a short or
#: Title Case head or a tail that is not all capitals, and are not split.
_RUN_TOGETHER = re.compile(r"(?<![A-Za-z0-9])(?:[A-Z][a-z]{3,}|[a-z]{5,})(?=[A-Z]{2,}(?![A-Za-z0-9]))")
#: the gate of _RUN_TOGETHER, "[a-z][A-Z][A-Z]" somewhere: each byte of the UTF-8 prose
#: becomes its class ("a", "A" or a space; bytes of non-ASCII characters are spaces, and
#: the classes are ASCII-only), and the classes are searched for "aAA". Four times faster
#: than the regex, which tried every character of every draft.
_CASE_CLASSES = bytes(97 if 97 <= b <= 122 else 65 if 65 <= b <= 90 else 32 for b in range(256))


_CASE_PIECE = 1 << 16  # characters classed at a time by _lower_then_two_capitals


def _lower_then_two_capitals(prose: str) -> bool:
    # in pieces that overlap by two characters: encoding a draft stored with four bytes a
    # character (one emoji is enough) reserved four bytes a character at once, a 40 MB
    # transient on a 10 MB draft. Non-ASCII characters become "?", a space class, as their
    # UTF-8 bytes did.
    n = len(prose)
    for a in range(0, max(n - 2, 1), _CASE_PIECE):
        piece = prose[a:a + _CASE_PIECE + 2].encode("ascii", "replace")
        if piece.translate(_CASE_CLASSES).find(b"aAA") >= 0:
            return True
    return False


@dataclass(frozen=True, slots=True)
class SplitView:
    """A block whose flattened cells ran together, read with a :data:`BOUNDARY` at each
    join (``Side Effects`` + ``NO side effects``); :meth:`source` maps back."""

    text: str
    starts: tuple[int, ...]  # offset in ``text`` of each piece
    sources: tuple[int, ...]  # source offset of each piece
    block: Block

    def source(self, i: int) -> int:
        k = bisect.bisect_right(self.starts, i) - 1
        return self.sources[k] + i - self.starts[k]

    def keep(self, a: int, b: int) -> tuple[int, int] | None:
        """A match that starts or ends at a join (the others are found in the prose), and
        runs over none: it is reported on its own source range."""
        if BOUNDARY in self.text[a:b]:
            return None
        if any(a == s for s in self.starts[1:]) or any(b == s - 1 for s in self.starts[1:]):
            return self.source(a), self.source(b - 1) + 1
        return None


def _split_view(prose: str, block: Block, joins: list[int]) -> SplitView:
    start = _prose_start(prose, block.start, block.end)
    end = _prose_end(prose, start, block.end)
    parts, starts, sources, pos, at = [], [], [], start, 0
    for j in joins + [end]:
        parts.append(prose[pos:j])
        starts.append(at)
        sources.append(pos)
        at += j - pos + 1
        pos = j
    return SplitView(BOUNDARY.join(parts), tuple(starts), tuple(sources), block)


@dataclass(frozen=True, slots=True)
class SeamMatch:
    """A match that needs both a lead-in and its item, in source offsets (Match-like)."""

    begin: int
    finish: int
    block: Block  # the list item
    text: str  # what matched in the joined text

    def start(self) -> int:
        return self.begin

    def end(self) -> int:
        return self.finish

    def span(self) -> tuple[int, int]:
        return self.begin, self.finish

    def group(self, *_: Any) -> str:
        return self.text


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


class BlockRun(Sequence[Block]):
    """``blocks[lo:hi]`` without copying it (what :meth:`Document.section_blocks` answers)."""

    __slots__ = ("_blocks", "_lo", "_hi")

    def __init__(self, blocks: list[Block], lo: int, hi: int) -> None:
        self._blocks = blocks
        self._lo = lo
        self._hi = hi

    def __len__(self) -> int:
        return self._hi - self._lo

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return self._blocks[self._lo:self._hi][i]
        n = self._hi - self._lo
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("block index out of range")
        return self._blocks[self._lo + i]

    def __iter__(self) -> Iterator[Block]:
        return islice(self._blocks, self._lo, self._hi)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (BlockRun, list, tuple)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"BlockRun({list(self)!r})"


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
    #: offsets (sorted) where ``prose`` holds a stand-in for an astral character of the
    #: text (``narrow.py``; only when the reader was asked to narrow): :meth:`shown`
    stand_ins: Sequence[int] = field(default=(), repr=False, compare=False)
    lines: LineIndex = field(init=False)
    _block_starts: Sequence[int] = field(init=False, repr=False)
    #: the linter's one-pass literal scan of ``prose`` (``scan.Index``), or None
    index: Any = field(default=None, init=False, repr=False, compare=False)
    _joined: Any = field(default=None, init=False, repr=False, compare=False)
    _seam_text: Any = field(default=None, init=False, repr=False, compare=False)
    _joins: Any = field(default=None, init=False, repr=False, compare=False)
    _memo: Any = field(default=None, init=False, repr=False, compare=False)
    _seam_starts: Any = field(default=None, init=False, repr=False, compare=False)
    _section_firsts: Any = field(default=None, init=False, repr=False, compare=False)
    #: the linter's literal scan of ``seam_text()`` (like ``index``), made on first use
    seam_index: Any = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.lines = LineIndex(self.text)
        self.blocks.sort(key=_START)
        self.prose = mark_boundaries(self.prose, self.blocks)
        section = 0
        #: index of the first block of each section (``section_blocks``)
        firsts = offsets(len(self.text), (0,))
        splitter = SentenceSplitter(self.prose)  # finds nothing until a block is split
        prose = self.prose
        lead: tuple[int, int] | None = None  # the lead-in of the list being read
        for i, block in enumerate(self.blocks):
            if block.kind in (HEADING, QUESTION):
                section += 1
                firsts.append(i)
            block.section = section
            given = block._sentences  # split by this splitter, unless given (or split)
            if given is None or given.__class__ is SentenceSplitter:
                block._sentences = splitter
            if block.kind == ITEM:
                if lead is not None or block._extras is not None:  # the setter, when it matters
                    block.lead_in = lead
            elif block.kind != ROW:
                end = _prose_end(prose, block.start, block.end)
                lead = None
                if end > block.start and (prose[end - 1] == ":" or (
                        block.kind == PARAGRAPH and _open_ended(prose, block.start, end))):
                    sentences = block.sentences
                    if sentences:
                        lead = sentences[-1]
            else:
                lead = None
        self._block_starts = offsets(len(self.text), map(_START, self.blocks))
        self._section_firsts = firsts

    # -- lookups -------------------------------------------------------------------------
    def shown(self, start: int, end: int) -> str:
        """``prose[start:end]`` as written, for quoting: a stand-in (``stand_ins``) gives
        back the character of the text it stands for. The same as the slice when the
        reader did not narrow the mask."""
        piece = self.prose[start:end]
        stand = self.stand_ins
        if not stand:
            return piece
        i = bisect.bisect_left(stand, start)
        j = bisect.bisect_left(stand, end, i)
        if i == j:
            return piece
        parts: list[str] = []
        pos = start
        text = self.text
        for k in stand[i:j]:
            parts.append(self.prose[pos:k])
            parts.append(text[k])
            pos = k + 1
        parts.append(self.prose[pos:end])
        return "".join(parts)

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

    def remember(self, key: Any, compute: Any) -> Any:
        """``compute()``, once per draft and ``key``: every item of a list asks the same
        question of the same lead-in, which may be long."""
        memo = self._memo
        if memo is None:
            memo = self._memo = {}
        if key in memo:
            return memo[key]
        value = memo[key] = compute()
        return value

    def crosses(self, start: int, end: int) -> bool:
        """Whether the range [start, end) of the mask runs over a block boundary (a pattern
        that matches anything but some characters, ``[^.!?]{0,60}``, can run over the
        :data:`BOUNDARY` that ``\\s`` stops at) or over the join of two table cells that ran
        together (:meth:`run_together`)."""
        if self.prose.find(BOUNDARY, start, end) >= 0:
            return True
        joins = self.run_together()  # cells that ran together: "Side Effects|NO side effects"
        if joins:
            i = bisect.bisect_right(joins, start)
            return i < len(joins) and joins[i] < end
        return False

    def lead_in(self, offset: int) -> tuple[int, int] | None:
        """The lead-in of the sentence at ``offset`` when it is the first sentence of a list
        item under a lead-in (None otherwise). An item completes the sentence before the
        list that ends with a colon ("Ketamine can offer fast relief for people living
        with:" + "PTSD"), so a hedge or attribution there covers the item's first sentence;
        a sentence after it in the item stands on its own. (For paragraph scope, such as a
        citation, the item's ``Block.lead_in`` covers the whole item.)"""
        block = self.block_at(offset)
        if block is None or block.lead_in is None:
            return None
        sentences = block.sentences
        if sentences and offset >= sentences[0][1]:
            return None
        return block.lead_in

    def joined(self, block: Block) -> "Joined | None":
        """The item read together with its lead-in, as one text whose offsets map back into
        the source (None when the item has no lead-in)."""
        lead = block.lead_in
        if lead is None or block.kind != ITEM:
            return None
        start = _prose_start(self.prose, block.start, block.end)
        end = _prose_end(self.prose, start, block.end)
        lead_end = lead[1] - 1 if self.prose[lead[1] - 1] == ":" else lead[1]
        lead_end = _prose_end(self.prose, lead[0], lead_end)
        # only the lead-in's last words can join a match with the item: a long lead-in over
        # thousands of items must not be copied whole for each of them
        lead_start = lead[0]
        if lead_end - lead_start > _LEAD_REACH:
            lead_start = lead_end - _LEAD_REACH
            space = self.prose.find(" ", lead_start, lead_end)
            lead_start = space + 1 if space >= 0 else lead_start
        return Joined(self.prose[lead_start:lead_end] + " " + self.prose[start:end],
                      lead_start, lead_end, start, end, block)

    def seam_text(self) -> str:
        """Second readings of the prose, one after another with a :data:`BOUNDARY` between
        them, so that no match runs from one into the next: every introduced list item read
        after its lead-in (:meth:`joined`), and every block whose flattened table cells ran
        together, read with a boundary at each join (:meth:`run_together`)."""
        text = self._seam_text
        if text is None:
            items = self._joined_items()
            text = self._seam_text = BOUNDARY.join(j.text for j in items)
            starts, pos = [], 0
            for j in items:
                starts.append(pos)
                pos += len(j.text) + 1
            self._seam_starts = starts
        return text

    def seams_from(self, matches: Iterable[Any]) -> list["SeamMatch"]:
        """The matches (in :meth:`seam_text`) that need a second reading of the prose: a
        list item with its lead-in (reported on the item's part, from the item's start: the
        lead-in is shared by every item, and a span from it would cover the items before),
        or cells that ran together (reported on their own range). Matches that need neither
        are found in the prose itself. Offsets are plain ranges of the source."""
        out: list[SeamMatch] = []
        views = self._joined_items()
        starts = self._seam_starts
        for m in matches:
            i = bisect.bisect_right(starts, m.start()) - 1
            if i < 0:
                continue
            view = views[i]
            a, b = m.start() - starts[i], m.end() - starts[i]
            if b > len(view.text):
                continue
            kept = view.keep(a, b)
            if kept is not None:
                out.append(SeamMatch(kept[0], kept[1], view.block, m.group()))
        return out

    def run_together(self) -> list[int]:
        """Offsets where flattened table cells ran together ("Side Effects|NO side
        effects"): the second cell's first character."""
        joins = self._joins
        if joins is None:
            prose = self.prose
            joins = self._joins = ([] if not _lower_then_two_capitals(prose)
                                   else [m.end() for m in _RUN_TOGETHER.finditer(prose)])
        return joins

    def _joined_items(self) -> list[Any]:
        found = self._joined
        if found is None:
            found = []
            per_lead: dict[tuple[int, int], int] = {}
            for block in self.blocks:
                extras = block._extras  # Block.lead_in, without the property: every block
                lead = None if extras is None else extras.lead_in
                if lead is None or block.kind != ITEM:
                    continue
                # a list of hundreds of items is no longer one sentence; and the seam text
                # stays proportional to the draft
                seen = per_lead[lead] = per_lead.get(lead, 0) + 1
                if seen <= _MAX_JOINED_ITEMS:
                    joined = self.joined(block)
                    if joined is not None:
                        found.append(joined)
            joins = self.run_together()
            if joins:
                by_block: dict[int, tuple[Block, list[int]]] = {}
                for j in joins:
                    block = self.block_at(j)
                    if block is not None:
                        by_block.setdefault(id(block), (block, []))[1].append(j)
                found.extend(_split_view(self.prose, b, js) for b, js in by_block.values())
            self._joined = found
        return found

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
        """The blocks of ``block``'s section, as a view of :attr:`blocks`.

        Sections are numbered in the order of the blocks, so a section is a run of
        ``blocks``: the Document notes where each one starts (an int per heading), and a
        trigger in every paragraph of a long draft costs O(1) each, not a copy of its
        section. A dict of lists made once per draft held a pointer per block and a list
        per section (about 5 MB for a 10 MB draft), for callers that read the first and
        last block.
        """
        blocks = self.blocks
        firsts = self._section_firsts
        s = block.section
        if firsts is None or not 0 <= s < len(firsts):
            return BlockRun(blocks, 0, 0)
        return BlockRun(blocks, firsts[s], firsts[s + 1] if s + 1 < len(firsts) else len(blocks))

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
