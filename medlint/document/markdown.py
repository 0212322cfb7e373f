"""Markdown reader: CommonMark (plus tables and YAML front matter) through pyromark.

pyromark wraps pulldown-cmark, a CommonMark parser in Rust that reports the exact source
range of every event. We keep the ranges of ``Text`` events that are human-visible prose and
drop everything else (code, inline code, autolink targets, link URLs, image alt text, front
matter), so the prose mask is correct by construction, not by regex.

HTML inside Markdown is read as a browser shows it, by the HTML reader's own tokenizer
(``html.py``):

* An HTML block (a CTA box, a banner, a ``<details>`` FAQ, a table) is handed to
  ``parse_html`` whole, with its source offsets: its visible text is prose; tags,
  attributes, comments, ``script``/``style``/``code``/``pre`` are not; its block elements
  become blocks (headings are headings, ``<li>`` are items, table rows are rows) and its
  comments are comments, so suppressions inside and around it keep working. Characters of
  the block's lines that are not HTML (a ``>`` quote marker, a list indent) are blanked
  before it is read.
* Inline HTML inside a paragraph: the text between tags is prose as it always was; an
  element whose content is not prose (``<code>``, ``<script>``, ``hidden``) hides it, ``<br>``
  ends a sentence and a block element (``<p>``, ``<div>``, ``<li>``) ends the block.

pulldown-cmark does not end a line at a lone CR (an HTML block then swallowed the rest of
the draft), so lone CRs are read as LF; the two have the same length, so offsets hold.
"""
from __future__ import annotations

import bisect
import re
from array import array
from functools import partial
from itertools import accumulate
from operator import add, attrgetter, ge
from typing import Callable, Sequence

import pyromark

from .segments import (HEADING, ITEM, PARAGRAPH, ROW, Block, Comment, Document, Relocation,
                       boundary_places, offsets)

_OPTIONS = (
    pyromark.Options.ENABLE_TABLES
    | pyromark.Options.ENABLE_YAML_STYLE_METADATA_BLOCKS
    | pyromark.Options.ENABLE_STRIKETHROUGH
    | pyromark.Options.ENABLE_FOOTNOTES
)

#: Containers whose text is not prose.
_SKIP = {"CodeBlock", "MetadataBlock", "HtmlBlock", "Image"}
#: Containers that bound a paragraph-scope block.
_BLOCKS = {"Paragraph": PARAGRAPH, "Heading": HEADING, "Item": ITEM, "TableRow": ROW, "TableHead": ROW}
#: Containers the event loop does more with than match their end event.
_SPECIAL = _SKIP | _BLOCKS.keys() | {"Link", "TableCell"}
#: The stack entry of any other container (emphasis, a list, a quote, a table).
_PLAIN = ("", False)


_START = attrgetter("start")
_NON_ASCII_CHAR = re.compile(r"[^\x00-\x7f]")


def _utf8_extra(ch: str) -> int:
    """Bytes beyond one that ``ch`` takes in UTF-8 (a lone surrogate: three, as pyromark
    sees the U+FFFD it is replaced with)."""
    return len(ch.encode("utf-8", "surrogatepass")) - 1


def _byte_to_char(text: str, src: bytes | None = None) -> tuple[Sequence[int], Sequence[int]] | None:
    """Tables to convert UTF-8 byte offsets into ``text`` to code-point offsets.

    Only multi-byte characters are recorded (``None`` for ASCII text), so memory stays
    proportional to them. ``ends[k]`` is the byte offset just after the k-th multi-byte
    character and ``extra[k + 1]`` the bytes beyond one per character up to there; an
    offset ``b`` is character ``b - extra[bisect_right(ends, b)]``.

    Read from the UTF-8 (``src``, encoded here if not given): a translated copy marks each
    lead byte and ``bytes.find`` jumps from one to the next, so only multi-byte characters
    cost Python steps. A regex over the text tried every character, and listed a match
    object for every multi-byte one: 0.032 s against 0.019 s over the 10 MB corpus, 0.73
    against 0.20 s for 2 MB of Chinese. A text with lone surrogates (no strict UTF-8) is
    read character by character (``_byte_to_char_text``).

    For a large draft both tables are ``array``s of C ints (``segments.offsets``): a list
    held a pointer and an int object per entry, 80 bytes per multi-byte character for the
    two (13 MB for the 160,000 of the 10 MB big_file draft, alive while its events are
    read), where the arrays take 8.
    """
    if text.isascii():
        return None
    if src is None:
        try:
            src = text.encode("utf-8")
        except UnicodeEncodeError:
            return _byte_to_char_text(text)
    find = src.translate(_LEAD_BYTES).find
    ends = offsets(len(src))
    extra = offsets(len(src), (0,))
    total = 0
    i = find(1)
    while i >= 0:
        lead = src[i]
        more = 1 if lead < 0xE0 else 2 if lead < 0xF0 else 3
        total += more
        ends.append(i + 1 + more)
        extra.append(total)
        i = find(1, i + 1)
    return ends, extra


#: 1 for the lead byte of a multi-byte UTF-8 character, 0 for any other byte
_LEAD_BYTES = bytes(1 if c >= 0xC0 else 0 for c in range(256))


def _byte_to_char_text(text: str) -> tuple[list[int], list[int]]:
    """``_byte_to_char`` for a text with lone surrogates, read as pyromark reads them (the
    U+FFFD in their place is three bytes, as ``surrogatepass`` encodes them). Built with
    ``map`` and ``accumulate`` so that no Python code runs per ASCII character."""
    matches = list(_NON_ASCII_CHAR.finditer(text))
    extra = list(accumulate(map(_utf8_extra, map(re.Match.group, matches)), initial=0))
    # byte end of character k = its code-point offset + 1 + the extra bytes up to and with it
    ends = list(map(add, map(re.Match.end, matches), extra[1:]))
    return ends, extra


_SURROGATE = re.compile("[\ud800-\udfff]")
_LONE_CR = re.compile(r"\r(?!\n)")
_LINE_BREAKS = frozenset("\r\n")


def _html_view(text: str, start: int, end: int, pieces: list[tuple[int, int]]) -> str:
    """text[start:end] with every character outside ``pieces`` (the HTML block's lines as
    pyromark reports them) blanked, line breaks kept: what the HTML reader should see."""
    parts: list[str] = []
    pos = start
    for s, e in pieces:
        if s > pos:
            gap = text[pos:s]
            parts.append("".join(c if c in _LINE_BREAKS else " " for c in gap))
        if e > s:
            parts.append(text[max(s, pos):e])
            pos = max(pos, e)
    if pos < end:
        parts.append("".join(c if c in _LINE_BREAKS else " " for c in text[pos:end]))
    return "".join(parts)


def parse_markdown(text: str, narrow: bool = False) -> Document:
    """Read a Markdown draft.

    ``narrow``: astral characters of the prose mask may be written as BMP stand-ins
    (``narrow.py``), for a caller that quotes prose only through ``Document.shown``.

    The event loop is the reader's cost (hundreds of thousands of events for a 10 MB
    corpus), so it does as little per event as it can: a ``Text`` event's UTF-8 byte range
    is kept as it is (two ints in a flat list, no conversion), and its block keeps byte
    offsets until the block closes, when its two ends are converted to code points once.
    The mask is then built at the draft's UTF-8 offsets (``_mask``) and decoded once; a
    large draft gets its block boundaries written there too (``_marked_mask``).
    """
    # pyromark needs valid UTF-8: a lone surrogate (possible in a Python str from a CMS) is
    # read as U+FFFD, which has the same UTF-8 length, so byte offsets stay aligned. The
    # UTF-8 is kept for the mask; a strict encoding (fast, in C) finds the surrogates.
    try:
        src: bytes | None = text.encode("utf-8")
        safe = text
    except UnicodeEncodeError:
        src = None
        safe = _SURROGATE.sub("\ufffd", text)
    tables = _byte_to_char(text, src)
    if tables is None:
        ends: Sequence[int] = []
        extra: Sequence[int] = [0]
    else:
        ends, extra = tables
    where = bisect.bisect_right

    def _char(byte: int) -> int:
        """The code-point offset of a UTF-8 byte offset into the text."""
        return byte if tables is None else byte - extra[where(ends, byte)]

    def _close(block: Block) -> None:
        """Byte offsets of a block that closes -> code points (-1, unset, stays -1)."""
        if tables is not None:
            if block.start >= 0:
                block.start -= extra[where(ends, block.start)]
            if block.end >= 0:
                block.end -= extra[where(ends, block.end)]

    stack: list[tuple[str, bool]] = []  # open containers and whether each hides its text
    skip_depth = 0
    prose: list[int] = []  # UTF-8 byte offsets: start, end, start, end, ...
    flushed = array("q")  # earlier offsets of a large draft: 8 bytes each, not 40
    add_prose = prose.append  # twice per range: faster than extending by a tuple
    comments: list[Comment] = []
    blocks: list[Block] = []
    #: open paragraph-scope blocks; their start and end are UTF-8 byte offsets until they
    #: close (``_close``), while their cells are code points from the start
    open_blocks: list[Block] = []
    current: Block | None = None  # open_blocks[-1], if any
    header: Block | None = None  # the current table's header row

    if "\r" in safe:
        safe = _LONE_CR.sub("\n", safe)  # same length; pulldown-cmark misses lone CRs
    html_pieces: list[tuple[int, int]] = []  # lines of the open HTML block
    html_block = -1  # start of the open HTML block
    embedded: list[Document] = []  # HTML blocks, read by the HTML reader
    embedded_at: list[int] = []
    inline_hidden: list[str] = []  # open inline elements that hide their text
    hidden = False  # skip_depth or inline_hidden: text is not prose
    soft_breaks: dict[int, list[int]] = {}  # id(block) -> offsets of <br> inside it
    # Events are a plain string ("SoftBreak") or a one-key dict ({"Text": ...},
    # {"Start": "Paragraph"}, {"Start": {"Heading": {...}}}); ranges are UTF-8 byte offsets.
    events = pyromark.events_with_range(safe, options=_OPTIONS)
    del safe  # pyromark holds its own copy
    for event, rng in events:
        if event.__class__ is str:
            continue
        if "Text" in event:
            if hidden:
                continue
            start = rng["start"]
            end = rng["end"]
            if start >= end:  # byte offsets are in the order of the characters'
                continue
            add_prose(start)
            add_prose(end)
            # attribute the text to the innermost open block (a list item holding a
            # paragraph gets nothing; a tight list item's text belongs to the item itself)
            if current is not None:
                if current.start < 0:
                    current.start = start
                if end > current.end:
                    current.end = end
            continue
        value = event.get("Start")
        if value is not None:
            if value.__class__ is str:
                tag = value
                attrs = None
            else:
                (tag, attrs), = value.items()
            if tag not in _SPECIAL:  # emphasis, a list, a quote...: only its end to match
                stack.append(_PLAIN)
                continue
            skip = tag in _SKIP or (
                tag == "Link" and attrs.get("link_type") in ("Autolink", "Email")
            )
            stack.append((tag, skip))
            if skip:
                skip_depth += 1
                hidden = True
            if tag == "HtmlBlock":
                html_block = _char(rng["start"])
                html_pieces = []
            kind = _BLOCKS.get(tag)
            if kind is not None:
                level = int(attrs["level"][1:]) if tag == "Heading" else 0
                if kind == ROW:  # a row's cells are filled below (other blocks share ())
                    current = Block(start=-1, end=-1, kind=kind, level=level, cells=[])
                    if tag == "TableHead":
                        header = current
                    else:
                        current.header = header
                else:
                    current = Block(start=-1, end=-1, kind=kind, level=level)
                open_blocks.append(current)
            elif tag == "TableCell" and current is not None:
                current.cells.append((_char(rng["start"]), _char(rng["end"])))
            continue
        if "End" in event:
            tag, skipped = stack.pop() if stack else _PLAIN
            if tag == "":
                continue
            if skipped:
                skip_depth -= 1
                hidden = bool(skip_depth or inline_hidden)
            if tag == "HtmlBlock" and html_block >= 0:
                end = _char(rng["end"])
                if html_pieces:
                    sub = _read_html(text, html_block, end, html_pieces)
                    if current is not None and current.kind == ITEM:
                        for b in sub.blocks:  # an HTML block inside a list item
                            if b.kind == PARAGRAPH:
                                b.kind = ITEM
                    embedded.append(sub)
                    embedded_at.append(html_block)
                html_block = -1
                continue
            if tag in _BLOCKS:
                if inline_hidden:
                    inline_hidden.clear()  # an inline element does not outlive its block
                    hidden = skip_depth > 0
                if open_blocks:
                    block = open_blocks.pop()
                    current = open_blocks[-1] if open_blocks else None
                    if tables is not None:  # _close(block), inline
                        if block.start >= 0:
                            block.start -= extra[where(ends, block.start)]
                        if block.end >= 0:
                            block.end -= extra[where(ends, block.end)]
                    if soft_breaks:
                        breaks = soft_breaks.pop(id(block), None)
                        if breaks and block.start >= 0:
                            block.segments = _segments(block.start, block.end, breaks)
                    if block.start >= 0 or block.kind == ROW:
                        if block.start < 0:  # a table row with empty cells still has columns
                            block.start = block.end = block.cells[0][0] if block.cells else 0
                        blocks.append(block)
                if len(prose) > _FLUSH:
                    flushed.extend(prose)
                    prose.clear()
            continue
        if "Html" in event:
            if html_block >= 0:
                html_pieces.append((_char(rng["start"]), _char(rng["end"])))
            continue
        if "InlineHtml" in event:
            start = _char(rng["start"])
            end = _char(rng["end"])
            body = text[start:end]
            last = comments[-1] if comments else None
            if last is not None and last.end == start and "-->" not in last.body:
                last.end, last.body = end, text[last.start:end]  # a comment in pieces
            elif body.lstrip().startswith("<!--"):
                comments.append(Comment(start, end, body))
            else:
                _inline_tag(body, start, open_blocks, blocks, inline_hidden, soft_breaks, _close)
                current = open_blocks[-1] if open_blocks else None  # _end_block replaces it
                hidden = bool(skip_depth or inline_hidden)
    del events
    del add_prose  # the bound method holds the list: with it, its ints outlived `del prose`
    if flushed:
        flushed.extend(prose)
        prose = flushed  # type: ignore[assignment]  # a sequence of ints all the same
    del flushed
    if src is not None and not embedded and len(src) >= _MARKED_MASK_MIN:
        # a large draft: the mask with its block boundaries, made once (see _marked_mask)
        blocks = _trim_nested(blocks)
        blocks.sort(key=_START)  # as the Document sorts them (a stable sort: same order)
        out = _byte_mask(src, prose)
        del src, prose
        stand_ins: list[Sequence[int]] | None = [] if narrow else None
        mask = _marked_mask(out, blocks, ends, extra, stand_ins)
        del out  # the UTF-8 mask (1 byte a character), not needed while the Document is set up
        return Document(text=text, prose=mask, format="markdown", blocks=blocks,
                        comments=comments, relocations=[],
                        stand_ins=stand_ins[0] if stand_ins else ())
    written: Sequence[int] = ()
    if narrow and src is not None:
        out = _byte_mask(src, prose)  # _mask, with the stand-ins written in
        written = _narrow(out, ends, extra)
        mask = out.decode("utf-8", "ignore")
        del out
    else:
        mask = _mask(text, src, prose)
    del ends[:]  # the conversion tables are done with (the draft may be large)
    del extra[:]
    del src
    del prose
    relocations: list[Relocation] = []
    if embedded:
        # each HTML block's mask in its place (the Markdown mask is blank there)
        parts: list[str] = []
        pos = 0
        for at, sub in zip(embedded_at, embedded):
            if at < pos:
                continue
            parts.append(mask[pos:at])
            parts.append(sub.prose)
            pos = at + len(sub.prose)
            blocks.extend(sub.blocks)
            comments.extend(sub.comments)
            relocations.extend(sub.relocations)
        parts.append(mask[pos:])
        mask = "".join(parts)
        comments.sort(key=_START)
    blocks = _trim_nested(blocks)
    return Document(text=text, prose=mask, format="markdown", blocks=blocks, comments=comments,
                    relocations=relocations, stand_ins=written)


#: bytes.translate table that blanks a gap of UTF-8 between prose ranges: a line break
#: stays, any other ASCII byte and the lead byte of a multi-byte character become a space,
#: and continuation bytes (deleted with ``_CONTINUATION``) go, so that every character of
#: the gap, however long in UTF-8, becomes one character of the mask, as ``blank`` does
_BLANK_BYTES = bytes(c if c in b"\r\n" else 0x20 for c in range(256))
_CONTINUATION = bytes(range(0x80, 0xC0))


def _mask(text: str, src: bytes | None, prose: Sequence[int]) -> str:
    """``build_mask(text, prose)`` for prose as flat UTF-8 byte offsets (start, end, ...).

    ``src`` is the draft's UTF-8 (None when it holds lone surrogates, ``_mask_pieces``).
    The mask is made at the draft's byte offsets (``_byte_mask``: one translate, one slice
    assignment per range; faster than joining the pieces, 0.054 s against 0.067 s over the
    10 MB corpus) and decoded once, which drops the 0xFF that stand for the continuation
    bytes of blanked characters. Ranges come from pulldown-cmark, so they never cut a
    character; in any order, their union is prose, as for ``build_mask``.
    """
    if src is None:
        return _mask_pieces(text, prose).decode("utf-8", "surrogatepass")
    return _byte_mask(src, prose).decode("utf-8", "ignore")


#: Text offsets listed before they move to a compact array (a large draft has millions)
_FLUSH = 1 << 16
#: drafts of this many UTF-8 bytes or more get their mask with its boundaries in one go
#: (``_marked_mask``); smaller ones are read faster the other way and their two copies of
#: the mask are small
_MARKED_MASK_MIN = 1 << 20
#: _BLANK_BYTES with continuation bytes made 0xFF, which is never valid in UTF-8: the
#: mask keeps the draft's byte offsets, and decoding with ``errors="ignore"`` drops them
_BLANK_MARK = bytes(c if c in b"\r\n" else 0xFF if 0x80 <= c < 0xC0 else 0x20 for c in range(256))
#: bytes of _GAP (blanks and BOUNDARY) and 0xFF, the rest of a blanked character
_GAP_BYTES = frozenset(b" \t\n\r\f\v\x1e\xff")


def _byte_mask(src: bytes, prose: Sequence[int]) -> bytearray:
    """The prose mask at the draft's UTF-8 offsets (see ``_marked_mask``): the draft's bytes
    for prose, and every other character a space (or its line break) followed by 0xFF for
    each of its continuation bytes. Blanked a megabyte at a time, so that no second copy
    of the whole draft is made."""
    out = bytearray(len(src))
    for i in range(0, len(src), 1 << 20):
        out[i:i + (1 << 20)] = src[i:i + (1 << 20)].translate(_BLANK_MARK)
    for start, end in zip(prose[0::2], prose[1::2]):  # any order: their union is prose
        out[start:end] = src[start:end]
    return out


def _narrow(out: bytearray, ends: Sequence[int], extra: Sequence[int]) -> Sequence[int]:
    """Stand-ins written into a byte mask (``narrow.narrow_utf8``); their code points."""
    from .narrow import narrow_utf8

    found = narrow_utf8(out)
    if not found:
        return ()
    where = bisect.bisect_right  # a character starting at byte b is b - extra[...]
    return offsets(len(out), [b - extra[where(ends, b)] for b in found])


def _marked_mask(out: bytearray, blocks: list[Block], ends: Sequence[int], extra: Sequence[int],
                 stand_ins: list[Sequence[int]] | None = None) -> str:
    """The prose mask with its block boundaries (``mark_boundaries``), built in UTF-8 and
    decoded once, for a large draft.

    ``build_mask`` then ``mark_boundaries`` make two copies of the mask; with one emoji in
    the draft each is 4 bytes a character (80 MB for a 10 MB draft, while the draft, the
    first copy and the pieces of the second are alive). Here the mask comes as a
    ``bytearray`` with the draft's byte offsets (``_byte_mask``). ``mark_boundaries`` reads
    it as it reads the decoded mask, 0xFF being part of the blank before it
    (``_GAP_BYTES``), at the byte offsets of the blocks (code points converted back with
    ``ends`` and ``extra``, the ``_byte_to_char`` tables, which are emptied here); the
    Document's own ``mark_boundaries`` then finds every boundary in place and copies
    nothing. Decoding with ``errors="ignore"`` drops the 0xFF bytes. Given a list
    ``stand_ins``, the astral characters are written as BMP stand-ins first (``narrow.py``;
    their code points are appended to it), so the mask decodes at 2 bytes a character.
    """
    # code point c is UTF-8 byte c + extra[k], k the multi-byte characters before c
    chars = offsets(len(out), map(_before, ends, extra[1:]))  # each one's code point
    left = bisect.bisect_left

    def unit(c: int) -> int:
        return c + extra[left(chars, c)]

    at = boundary_places(blocks, partial(_bytes_prose_end, out), partial(_bytes_prose_start, out),
                         partial(_bytes_boundary_at, out), unit)
    del chars
    for p in at:
        out[p] = 0x1E  # BOUNDARY
    del at
    if stand_ins is not None:  # asked to narrow: where the stand-ins went (``_narrow``)
        stand_ins.append(_narrow(out, ends, extra))
    del ends[:]
    del extra[:]
    return out.decode("utf-8", "ignore")


def _before(end: int, extra: int) -> int:
    """The code point of a multi-byte character from its ``_byte_to_char`` entries."""
    return end - extra - 1


def _bytes_prose_end(mask: bytearray, start: int, end: int) -> int:
    while end > start and mask[end - 1] in _GAP_BYTES:
        end -= 1
    return end


def _bytes_prose_start(mask: bytearray, start: int, end: int) -> int:
    while start < end and mask[start] in _GAP_BYTES:
        start += 1
    return start


def _bytes_boundary_at(mask: bytearray, lo: int, hi: int) -> int:
    """``segments._boundary_at`` for the byte mask of ``_marked_mask``: a blanked character
    is its first byte (a space or a line break) and 0xFF bytes, which no search finds."""
    gap = mask[lo:hi]
    if not gap or 0x1E in gap:
        return -1
    space = gap.find(b" ")
    tab = gap.find(b"\t", 0, len(gap) if space < 0 else space)
    if tab >= 0:
        return lo + tab
    if space >= 0:
        return lo + space
    for i, c in enumerate(gap):  # the first line break (or \f, \v): usually the first byte
        if c in _BLANK_BYTE_VALUES:
            return lo + i
    return -1


_BLANK_BYTE_VALUES = frozenset(b" \t\n\r\f\v")


def _mask_pieces(text: str, prose: Sequence[int]) -> bytes:
    """``build_mask(text, prose)`` in UTF-8, range by range, for any ranges (sorted here,
    overlaps read as build_mask reads them) and any text: lone surrogates are encoded as
    themselves (``surrogatepass``: three bytes, as long as the U+FFFD pyromark read)."""
    src = text.encode("utf-8", "surrogatepass")
    pairs = sorted(zip(prose[0::2], prose[1::2]))
    parts: list[bytes] = []
    append = parts.append
    pos = 0
    for start, end in pairs:
        if end <= pos:
            continue
        if start > pos:
            append(src[pos:start].translate(_BLANK_BYTES, _CONTINUATION))
        else:
            start = pos
        append(src[start:end])
        pos = end
    if pos < len(src):
        append(src[pos:].translate(_BLANK_BYTES, _CONTINUATION))
    del src
    return b"".join(parts)


def _read_html(text: str, start: int, end: int, pieces: list[tuple[int, int]]) -> Document:
    """An HTML block of the draft read by the HTML reader, with offsets into the draft."""
    from .html import parse_html

    sub = parse_html(_html_view(text, start, end, pieces))
    for b in sub.blocks:
        b.start += start
        b.end += start
        if b.segments:
            b.segments = [(s + start, e + start) for s, e in b.segments]
        if b.cells:
            b.cells = [(s + start, e + start) for s, e in b.cells]
        b._sentences = None
    for c in sub.comments:
        c.start += start
        c.end += start
    sub.relocations = [Relocation(r.start + start, r.end + start,
                                  tuple((s + start, e + start) for s, e in r.sources))
                       for r in sub.relocations]
    return sub


def _segments(start: int, end: int, breaks: list[int]) -> list[tuple[int, int]]:
    """[start, end) cut at each break (a ``<br>``): the spans the sentence splitter reads."""
    out = []
    pos = start
    for b in sorted(breaks):
        if pos < b < end:
            out.append((pos, b))
            pos = b
    out.append((pos, end))
    return out


def _inline_tag(body: str, at: int, open_blocks: list[Block], blocks: list[Block],
                hidden: list[str], soft_breaks: dict[int, list[int]],
                close: Callable[[Block], None]) -> None:
    """An inline HTML tag inside a Markdown block: hide, break a sentence or end the block."""
    from .html import BLOCKS as HTML_BLOCKS, VOID, hides, read_tag

    found = read_tag(body)
    if found is None:
        return
    kind, name, attrs = found
    if kind == "end":
        if name in hidden:
            del hidden[hidden.index(name):]
        if name in HTML_BLOCKS and not hidden:
            _end_block(open_blocks, blocks, soft_breaks, close)
        return
    if hidden:
        if kind == "start" and name not in VOID and hides(name, attrs):
            hidden.append(name)  # nested: each needs its end tag
        return
    if name == "br":
        if open_blocks and open_blocks[-1].start >= 0:
            soft_breaks.setdefault(id(open_blocks[-1]), []).append(at)
    elif name in HTML_BLOCKS:
        _end_block(open_blocks, blocks, soft_breaks, close)
    if kind == "start" and name not in VOID and hides(name, attrs):
        hidden.append(name)


def _end_block(open_blocks: list[Block], blocks: list[Block],
               soft_breaks: dict[int, list[int]], close: Callable[[Block], None]) -> None:
    """A block element inside a Markdown block: what came before it is a block of its own
    (``close`` converts its byte offsets)."""
    if not open_blocks:
        return
    block = open_blocks[-1]
    if block.start < 0 or block.kind == ROW:
        return
    close(block)
    breaks = soft_breaks.pop(id(block), None)
    if breaks:
        block.segments = _segments(block.start, block.end, breaks)
    blocks.append(block)
    open_blocks[-1] = Block(start=-1, end=-1, kind=block.kind, level=block.level)


def _trim_nested(blocks: list[Block]) -> list[Block]:
    """Drop blocks that contain no prose and cut a list item's span before nested blocks.

    A list item whose text is followed by a nested list would otherwise span its children,
    and a caveat in a sub-item would silence its parent.
    """
    starts = list(map(_START, blocks))
    if any(map(ge, starts, starts[1:])):  # not already in order of (start, -end)
        blocks.sort(key=lambda b: (b.start, -b.end))
    for block, nxt in zip(blocks, blocks[1:]):
        if block.kind == ITEM and nxt.start < block.end:
            block.end = nxt.start
    return [b for b in blocks if b.end > b.start]
