"""Markdown reader: CommonMark (plus tables and YAML front matter) through pyromark.

pyromark wraps pulldown-cmark, a CommonMark parser in Rust that reports the exact source
range of every event. We keep the ranges of ``Text`` events that are human-visible prose and
drop everything else (code, inline code, HTML, autolink targets, link URLs, image alt
text, front matter), so the prose mask is correct by construction, not by regex.
"""
from __future__ import annotations

import bisect
import re
from itertools import accumulate
from operator import add, attrgetter, ge

import pyromark

from .segments import HEADING, ITEM, PARAGRAPH, ROW, Block, Comment, Document, build_mask

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


_START = attrgetter("start")
_NON_ASCII_CHAR = re.compile(r"[^\x00-\x7f]")


def _utf8_extra(ch: str) -> int:
    """Bytes beyond one that ``ch`` takes in UTF-8 (a lone surrogate: three, as pyromark
    sees the U+FFFD it is replaced with)."""
    return len(ch.encode("utf-8", "surrogatepass")) - 1


def _byte_to_char(text: str) -> tuple[list[int], list[int]] | None:
    """Tables to convert UTF-8 byte offsets into ``text`` to code-point offsets.

    Only multi-byte characters are recorded (``None`` for ASCII text), so memory stays
    proportional to them. ``ends[k]`` is the byte offset just after the k-th multi-byte
    character and ``extra[k + 1]`` the bytes beyond one per character up to there; an
    offset ``b`` is character ``b - extra[bisect_right(ends, b)]``. Built with ``map`` and
    ``accumulate`` so that no Python code runs per character.
    """
    if text.isascii():
        return None
    matches = list(_NON_ASCII_CHAR.finditer(text))
    extra = list(accumulate(map(_utf8_extra, map(re.Match.group, matches)), initial=0))
    # byte end of character k = its code-point offset + 1 + the extra bytes up to and with it
    ends = list(map(add, map(re.Match.end, matches), extra[1:]))
    return ends, extra


_SURROGATE = re.compile("[\ud800-\udfff]")


def parse_markdown(text: str) -> Document:
    tables = _byte_to_char(text)
    if tables is None:
        ends: list[int] = []
        extra = [0]
    else:
        ends, extra = tables
    where = bisect.bisect_right
    stack: list[tuple[str, bool]] = []  # open containers and whether each hides its text
    skip_depth = 0
    prose: list[tuple[int, int]] = []
    comments: list[Comment] = []
    blocks: list[Block] = []
    open_blocks: list[Block] = []  # parallel to block-container starts
    header: Block | None = None  # the current table's header row

    # pyromark needs valid UTF-8: a lone surrogate (possible in a Python str from a CMS) is
    # read as U+FFFD, which has the same UTF-8 length, so byte offsets stay aligned
    safe = text if tables is None else _SURROGATE.sub("\ufffd", text)
    # Events are a plain string ("SoftBreak") or a one-key dict ({"Text": ...},
    # {"Start": "Paragraph"}, {"Start": {"Heading": {...}}}); ranges are UTF-8 byte offsets.
    for event, rng in pyromark.events_with_range(safe, options=_OPTIONS):
        if event.__class__ is str:
            continue
        if "Text" in event:
            if skip_depth:
                continue
            start = rng["start"]
            end = rng["end"]
            if tables is not None:
                start -= extra[where(ends, start)]
                end -= extra[where(ends, end)]
            if start >= end:
                continue
            prose.append((start, end))
            # attribute the text to the innermost open block (a list item holding a
            # paragraph gets nothing; a tight list item's text belongs to the item itself)
            if open_blocks:
                block = open_blocks[-1]
                if block.start < 0:
                    block.start = start
                if end > block.end:
                    block.end = end
            continue
        value = event.get("Start")
        if value is not None:
            if value.__class__ is str:
                tag = value
                attrs = None
            else:
                (tag, attrs), = value.items()
            skip = tag in _SKIP or (
                tag == "Link" and attrs.get("link_type") in ("Autolink", "Email")
            )
            stack.append((tag, skip))
            if skip:
                skip_depth += 1
            if tag in _BLOCKS:
                level = int(attrs["level"][1:]) if tag == "Heading" else 0
                block = Block(start=-1, end=-1, kind=_BLOCKS[tag], level=level)
                if tag == "TableHead":
                    header = block
                elif tag == "TableRow":
                    block.header = header
                open_blocks.append(block)
            elif tag == "TableCell" and open_blocks:
                start = rng["start"]
                end = rng["end"]
                if tables is not None:
                    start -= extra[where(ends, start)]
                    end -= extra[where(ends, end)]
                open_blocks[-1].cells.append((start, end))
            continue
        if "End" in event:
            tag, skipped = stack.pop() if stack else ("", False)
            if skipped:
                skip_depth -= 1
            if tag in _BLOCKS and open_blocks:
                block = open_blocks.pop()
                if block.start >= 0 or block.kind == ROW:
                    if block.start < 0:  # a table row with empty cells still has columns
                        block.start = block.end = block.cells[0][0] if block.cells else 0
                    blocks.append(block)
            continue
        if "Html" in event or "InlineHtml" in event:
            start = rng["start"]
            end = rng["end"]
            if tables is not None:
                start -= extra[where(ends, start)]
                end -= extra[where(ends, end)]
            body = text[start:end]
            last = comments[-1] if comments else None
            if last is not None and last.end == start and "-->" not in last.body:
                # an HTML block arrives one line per event: join a comment's lines
                last.end, last.body = end, text[last.start:end]
            elif body.lstrip().startswith("<!--"):
                comments.append(Comment(start, end, body))

    mask = build_mask(text, prose)
    blocks = _trim_nested(blocks)
    return Document(text=text, prose=mask, format="markdown", blocks=blocks, comments=comments)


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
