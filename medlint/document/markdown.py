"""Markdown reader: CommonMark (plus tables and YAML front matter) through pyromark.

pyromark wraps pulldown-cmark, a CommonMark parser in Rust that reports the exact source
range of every event. We keep the ranges of ``Text`` events that are human-visible prose and
drop everything else (code, inline code, HTML, autolink targets, link URLs, image alt
text, front matter), so the prose mask is correct by construction, not by regex.
"""
from __future__ import annotations

import bisect
import re
from typing import Any

import re

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


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


class _ByteToChar:
    """Converts UTF-8 byte offsets to code-point offsets in O(log n) per lookup.

    Only multi-byte characters are recorded, so ASCII text costs nothing and memory stays
    proportional to the number of non-ASCII characters.
    """

    def __init__(self, text: str) -> None:
        self.ends: list[int] = []  # byte offset just after each multi-byte character
        self.extra: list[int] = []  # bytes beyond one per character, cumulative
        if text.isascii():
            return
        extra = 0
        for m in _NON_ASCII.finditer(text):  # only the (few) non-ASCII characters cost time
            index = m.start()
            for ch in m.group():
                n = len(ch.encode("utf-8", "surrogatepass"))
                byte = index + extra + n  # byte offset just after this character
                extra += n - 1
                self.ends.append(byte)
                self.extra.append(extra)
                index += 1

    def __call__(self, offset: int) -> int:
        if not self.ends:
            return offset
        i = bisect.bisect_right(self.ends, offset) - 1
        return offset - (self.extra[i] if i >= 0 else 0)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _kind(event: Any) -> tuple[str, Any]:
    if isinstance(event, str):
        return event, None
    (name, value), = event.items()
    return name, value


def parse_markdown(text: str) -> Document:
    to_char = _ByteToChar(text)
    stack: list[tuple[str, bool]] = []  # open containers and whether each hides its text
    skip_depth = 0
    prose: list[tuple[int, int]] = []
    comments: list[Comment] = []
    blocks: list[Block] = []
    open_blocks: list[Block | None] = []  # parallel to block-container starts
    header: Block | None = None  # the current table's header row

    # pyromark needs valid UTF-8: a lone surrogate (possible in a Python str from a CMS) is
    # read as U+FFFD, which has the same UTF-8 length, so byte offsets stay aligned
    safe = text if text.isascii() else _SURROGATE.sub("\ufffd", text)
    for event, rng in pyromark.events_with_range(safe, options=_OPTIONS):
        name, value = _kind(event)
        if name == "Start":
            tag, attrs = _kind(value)
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
            elif tag == "TableCell" and open_blocks and open_blocks[-1] is not None:
                open_blocks[-1].cells.append((to_char(rng["start"]), to_char(rng["end"])))
            continue
        if name == "End":
            tag, skipped = stack.pop() if stack else ("", False)
            if skipped:
                skip_depth -= 1
            if tag in _BLOCKS and open_blocks:
                block = open_blocks.pop()
                if block is not None and (block.start >= 0 or block.kind == ROW):
                    if block.start < 0:  # a table row with empty cells still has columns
                        block.start = block.end = block.cells[0][0] if block.cells else 0
                    blocks.append(block)
            continue
        if name in ("Html", "InlineHtml"):
            start, end = to_char(rng["start"]), to_char(rng["end"])
            body = text[start:end]
            last = comments[-1] if comments else None
            if last is not None and last.end == start and "-->" not in last.body:
                # an HTML block arrives one line per event: join a comment's lines
                last.end, last.body = end, text[last.start:end]
            elif body.lstrip().startswith("<!--"):
                comments.append(Comment(start, end, body))
            continue
        if name != "Text" or skip_depth:
            continue
        start, end = to_char(rng["start"]), to_char(rng["end"])
        if start >= end:
            continue
        prose.append((start, end))
        # attribute the text to the innermost open block that is not a list item holding a
        # paragraph; a tight list item's text belongs to the item itself
        for block in reversed(open_blocks):
            if block is not None:
                if block.start < 0:
                    block.start = start
                block.end = max(block.end, end)
                break

    mask = build_mask(text, prose)
    blocks = _trim_nested(blocks)
    return Document(text=text, prose=mask, format="markdown", blocks=blocks, comments=comments)


def _trim_nested(blocks: list[Block]) -> list[Block]:
    """Drop blocks that contain no prose and cut a list item's span before nested blocks.

    A list item whose text is followed by a nested list would otherwise span its children,
    and a caveat in a sub-item would silence its parent.
    """
    blocks.sort(key=lambda b: (b.start, -b.end))
    out: list[Block] = []
    for i, block in enumerate(blocks):
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if nxt is not None and block.kind == ITEM and nxt.start < block.end:
            block.end = nxt.start
        out.append(block)
    return [b for b in out if b.end > b.start]
