"""HTML reader: the standard library's HTML tokenizer, with offsets into the original string.

``html.parser.HTMLParser`` tokenizes; we record the code-point offset in the source where
every token starts (see ``_Tokens``) and keep the ranges of the text that a reader of the
rendered page sees as prose:

* Not prose: tags and attributes, comments, ``<!DOCTYPE>``, and the content of ``script``,
  ``style``, ``code``, ``pre``, ``kbd``, ``samp``, ``var``, ``template``, ``noscript``,
  ``svg``, ``math``, ``head`` (so ``<title>`` and ``<meta>``, like Markdown front matter),
  ``textarea``, ``select``, ``iframe``, ``object``, ``canvas``, ``audio`` and ``video``
  (fallback text), and elements marked ``hidden`` or ``style="display: none"``.
* ``alt`` and ``title`` attributes are not prose either. The Markdown reader does not check
  image alt text, and a house rule should not depend on the markup a draft was written in;
  alt text also describes a picture rather than making claims. (If that ever changes, alt
  text should become a block of its own, so that it cannot satisfy or trigger a
  paragraph-scope rule of the text around it.)

Structure: block elements (``p``, ``li``, ``h1``-``h6``, ``td``/``th``, ``blockquote``,
``div``, ``dd``, ``dt``, ``figcaption``, ``caption``, ``section``, ``article``, ...) end
one paragraph-scope :class:`Block` and start the next; headings become blocks of kind
``heading`` with their level; a table row becomes a block of kind ``row`` whose ``cells``
are the spans of its cells (with the table's header row as ``header``) and, as in Markdown,
reads as one sentence, so one cell can name the drug another cell's claim is about;
``<br>`` ends a sentence but not the block. The tokenizer does not build a tree, so the
implied end tags HTML needs most (``<p>`` before a block, ``<li>``, ``<dt>``/``<dd>``,
``<tr>``, ``<td>``/``<th>``, ``<option>``) are applied here.

Character references (``&amp;``, ``&nbsp;``, ``&#8217;``): the prose mask has the length of
the source, so a reference cannot be replaced in place. A word that holds a reference is
written decoded at the start of its source range and padded with spaces (``don&rsquo;t``
becomes ``don’t`` and six spaces; a whitespace reference such as ``&nbsp;`` becomes one
space and does not end the word, so ``side&nbsp;effects`` reads ``side effects`` as a rule
pattern with a literal space expects), and a :class:`Relocation` records where each decoded character
came from, so a finding on it reports the source text as written (``don&rsquo;t``). Checks
therefore see ``don’t`` and ``AT&T`` as words; a phrase is still found when an entity sits
inside one of its words, but not when a tag does (``FDA-<em>approved</em>``).

Comments go to ``Document.comments`` so that ``<!-- medlint-disable ... -->`` works.
"""
from __future__ import annotations

import html as _html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from html.parser import locatestarttagend_tolerant as _TAG_END
from typing import Any

import regex

from .segments import HEADING, ITEM, PARAGRAPH, ROW, Block, Comment, Document, Relocation
from .segments import blank as _blank

#: Elements whose content is never prose.
SKIP = frozenset({
    "script", "style", "code", "pre", "kbd", "samp", "var", "tt", "template", "noscript",
    "svg", "math", "head", "title", "textarea", "select", "datalist", "iframe", "object",
    "canvas", "audio", "video",
})
#: Elements that end one paragraph-scope block and begin another.
BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li",
    "listing", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "ul", "option", "optgroup", "head", "title", "template",
})  # hidden inline elements (script, code, svg, ...) do not split a sentence
#: Elements with no end tag.
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link",
                  "meta", "param", "source", "track", "wbr"})
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
#: Starting one of these closes an open <p> (HTML's "close a p element").
_CLOSES_P = BLOCKS - {"td", "th", "tr", "tbody", "thead", "tfoot", "caption", "option", "optgroup",
                      "html", "body", "head", "title", "template"}
#: Implied end tags: starting the key closes the nearest open tag in the first set, unless a
#: tag of the second set (a scope boundary) is nearer.
_IMPLIED: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "li": (frozenset({"li"}), frozenset({"ul", "ol", "menu", "table"})),
    "dt": (frozenset({"dt", "dd"}), frozenset({"dl", "table"})),
    "dd": (frozenset({"dt", "dd"}), frozenset({"dl", "table"})),
    "tr": (frozenset({"tr", "td", "th"}), frozenset({"table"})),
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "thead": (frozenset({"thead", "tbody", "tfoot", "tr", "td", "th"}), frozenset({"table"})),
    "tbody": (frozenset({"thead", "tbody", "tfoot", "tr", "td", "th"}), frozenset({"table"})),
    "tfoot": (frozenset({"thead", "tbody", "tfoot", "tr", "td", "th"}), frozenset({"table"})),
    "option": (frozenset({"option"}), frozenset({"select", "datalist", "optgroup"})),
}
for _h in _HEADINGS:
    _IMPLIED[_h] = (frozenset(_HEADINGS), frozenset({"table", "li", "div", "section", "article"}))
_P_SCOPE = frozenset({"table", "td", "th", "caption", "html", "template", "object", "button",
                      "li", "dd", "dt"})
_HEAD_CONTENT = frozenset({"title", "meta", "link", "style", "script", "base", "noscript",
                           "template", "head", "html"})
#: Elements whose end _closed() has to note.
_TABLE_PARTS = frozenset({"td", "th", "thead", "table"})
_HEAD, _P, _NOTHING = frozenset({"head"}), frozenset({"p"}), frozenset()
_NON_SPACE = re.compile(r"\S+")
_HIDDEN_STYLE = regex.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", regex.IGNORECASE)


def hides(tag: str, attrs: list[tuple[str, str | None]] | None) -> bool:
    """Whether an element's content is not prose: a ``SKIP`` element, or one marked
    ``hidden`` or styled ``display: none`` (shared with HTML inside Markdown)."""
    return tag in SKIP or (bool(attrs) and any(
        name == "hidden" or (name == "style" and bool(value) and _HIDDEN_STYLE.search(value) is not None)
        for name, value in attrs or ()))


def read_tag(source: str) -> tuple[str, str, list[tuple[str, str | None]]] | None:
    """("start" | "startend" | "end", name, attributes) of one tag's source, read by the same
    tokenizer as whole documents (for inline HTML in Markdown), or None if it is no tag."""
    tokenizer = _Tokens()
    try:
        tokenizer.feed(source)
        tokenizer.close()
    except Exception:  # noqa: BLE001 - as parse_html
        return None
    for kind, _, value, extra in tokenizer.tokens:
        if kind in ("start", "startend", "end"):
            return kind, value, extra or []
    return None


class _Unclosed(HTMLParser):
    """The standard tokenizer, reading a construct that never closes as a browser does.

    The whole text is fed at once, so a construct the tokenizer finds unfinished runs to the
    end of the draft. The standard tokenizer (3.11) waits for more text, then at close()
    retries it, and every later "<", searching each time to the end of the text for a ">" or
    "-->": quadratic (200 KB of "<!--" took 40 s). A browser reads an unclosed comment as a
    comment to the end and an unclosed tag as nothing, so here the construct takes the rest
    of the text at once (none of it is prose, no comment is reported): linear.
    """

    def _rest(self, i: int) -> int:
        return len(self.rawdata)

    def parse_starttag(self, i: int) -> int:
        k = super().parse_starttag(i)
        if k < 0:
            m = _TAG_END.match(self.rawdata, i)
            if m is None or m.end() >= len(self.rawdata):  # the tag runs to the end
                return self._rest(i)
        return k

    def parse_endtag(self, i: int) -> int:
        k = super().parse_endtag(i)
        return self._rest(i) if k < 0 else k

    def parse_comment(self, i: int, report: int = 1) -> int:
        k = super().parse_comment(i, report)
        return self._rest(i) if k < 0 else k

    def parse_html_declaration(self, i: int) -> int:
        k = super().parse_html_declaration(i)
        return self._rest(i) if k < 0 else k

    def parse_pi(self, i: int) -> int:
        k = super().parse_pi(i)
        return self._rest(i) if k < 0 else k


class _Tokens(_Unclosed):
    """Records every token with the offset where it starts.

    The tokenizer reports positions as (line, column) through ``getpos``, which it keeps by
    counting line breaks in every piece it consumes (``updatepos``, called once per piece,
    in order, from the start of the text). Summing the pieces' lengths instead gives the
    offset directly: the same position, without the counting or a conversion afterwards.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.tokens: list[tuple[str, int, Any, Any]] = []
        self.at = 0  # offset of the start of the piece being handled

    def updatepos(self, i: int, j: int) -> int:
        if i < j:
            self.at += j - i
        return j

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append(("start", self.at, tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append(("startend", self.at, tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append(("end", self.at, tag, None))

    def handle_data(self, data: str) -> None:
        self.tokens.append(("data", self.at, data, None))

    def handle_entityref(self, name: str) -> None:
        self.tokens.append(("ref", self.at, "&" + name, None))

    def handle_charref(self, name: str) -> None:
        self.tokens.append(("ref", self.at, "&#" + name, None))

    def handle_comment(self, data: str) -> None:
        self.tokens.append(("comment", self.at, data, None))

    def handle_decl(self, decl: str) -> None:
        self.tokens.append(("other", self.at, decl, None))

    def handle_pi(self, data: str) -> None:
        self.tokens.append(("other", self.at, data, None))

    def unknown_decl(self, data: str) -> None:
        self.tokens.append(("other", self.at, data, None))


@dataclass(slots=True)
class _Builder:
    """A block being filled: its kind, prose extent and the sentence segments within it."""

    kind: str
    level: int = 0
    start: int = -1
    end: int = -1
    segments: list[list[int]] = field(default_factory=list)
    cells: list[tuple[int, int]] = field(default_factory=list)
    cell_start: int = -1
    all_th: bool = True
    is_header: bool = False
    table: "_Table | None" = None
    broken: bool = False

    def add(self, start: int, end: int) -> None:
        if self.start < 0:
            self.start = start
        self.end = max(self.end, end)
        if self.segments and not self.broken:
            self.segments[-1][1] = max(self.segments[-1][1], end)
        else:
            self.segments.append([start, end])
            self.broken = False

    def soft_break(self) -> None:
        """The next prose starts a new sentence (``<br>``, a paragraph inside a table cell)."""
        self.broken = True


@dataclass(slots=True)
class _Table:
    header: Block | None = None  # set when the Document is assembled
    has_header: bool = False
    in_head: bool = False
    rows: int = 0


class _Reader:
    """Walks the tokens once, keeping the open-element stack, blocks and prose pieces."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.stack: list[tuple[str, bool]] = []  # (tag, hides its content)
        self.hidden = 0
        self.builder: _Builder | None = None
        self.row: _Builder | None = None
        self.tables: list[_Table] = []
        self.done: list[_Builder] = []
        self.pieces: list[tuple[int, int, str | None]] = []  # mask spans: None = copy source
        self.relocations: list[Relocation] = []
        self.comments: list[Comment] = []
        self.run: list[tuple[int, int, str | None]] = []  # pending text: (start, end, decoded)
        self.decoded = False  # whether the run holds a decoded reference
        # open <head> and <p> elements: most tags need not search the stack for them
        self.open_heads = 0
        self.open_ps = 0

    # -- the open-element stack ------------------------------------------------------------
    def _push(self, tag: str, hides: bool) -> None:
        self.stack.append((tag, hides))
        if hides:
            self.hidden += 1
        if tag == "p":
            self.open_ps += 1
        elif tag == "head":
            self.open_heads += 1

    def _pop_to(self, index: int) -> None:
        while len(self.stack) > index:
            tag, hides = self.stack.pop()
            if hides:
                self.hidden -= 1
            if tag == "p":
                self.open_ps -= 1
            elif tag == "head":
                self.open_heads -= 1
            elif tag in _TABLE_PARTS:
                self._closed(tag)

    def _nearest(self, targets: frozenset[str], barriers: frozenset[str]) -> int:
        for i in range(len(self.stack) - 1, -1, -1):
            tag = self.stack[i][0]
            if tag in targets:
                return i
            if tag in barriers:
                return -1
        return -1

    def _closed(self, tag: str) -> None:
        if tag in ("td", "th") and self.row is not None and self.row.cell_start >= 0:
            self.row.cell_start = -2  # closed at the next token's start (set in _close_cell)
        if tag == "thead" and self.tables:
            self.tables[-1].in_head = False
        if tag == "table" and self.tables:
            self.tables.pop()

    # -- blocks ----------------------------------------------------------------------------
    def _kind(self) -> tuple[str, int]:
        for tag, _ in reversed(self.stack):
            if tag in _HEADINGS:
                return HEADING, _HEADINGS[tag]
            if tag == "li":
                return ITEM, 0
            if tag in BLOCKS:
                return PARAGRAPH, 0
        return PARAGRAPH, 0

    def _flush(self) -> None:
        if self.builder is not None and self.builder is not self.row and self.builder.start >= 0:
            self.done.append(self.builder)
        self.builder = None

    def _flush_row(self, at: int) -> None:
        self._flush()
        row = self.row
        self.row = None
        if row is None:
            return
        self._close_cell(row, at)
        if row.start < 0 and not row.cells:
            return
        table = row.table
        row.is_header = table is not None and not table.has_header and (
            table.in_head or (table.rows == 0 and row.all_th and bool(row.cells)))
        if table is not None:
            table.rows += 1
            table.has_header = table.has_header or row.is_header
        self.done.append(row)

    def _close_cell(self, row: _Builder, at: int) -> None:
        if row.cell_start != -1 and row.cells and row.cells[-1][1] < 0:
            row.cells[-1] = (row.cells[-1][0], max(row.cells[-1][0], at))
        row.cell_start = -1

    def _hard_break(self, at: int) -> None:
        if self.row is not None:
            if self.builder is not None:
                self.builder.soft_break()
            return
        self._flush()

    def _soft_break(self) -> None:
        if self.builder is not None:
            self.builder.soft_break()

    # -- prose -----------------------------------------------------------------------------
    def _end_run(self) -> None:
        run = self.run
        if not run:
            return
        self.run = []
        if not self.decoded:  # no references: the source is the prose
            start, end = run[0][0], run[-1][1]
            body = self.text[start:end]
            lead = len(body) - len(body.lstrip())
            trail = len(body.rstrip())
            if trail <= lead:
                return
            self.pieces.append((start, end, None))
            self._prose(start + lead, start + trail)
            return
        self.decoded = False
        self._decode_run(run)

    def _decode_run(self, run: list[tuple[int, int, str | None]]) -> None:
        """Lay out words holding references as decoded text (see the module docstring).

        A word is a maximal stretch without source whitespace: a reference never ends one,
        even when it decodes to a space (``side&nbsp;effects``). The whitespace between words
        is blanked in the mask. Only a word holding a reference is taken apart character by
        character; consecutive plain words become one mask piece where that reads the same
        (only spaces and line breaks between them, which blanking leaves as they are), and
        the block receives the run's prose in one call rather than one per word.
        """
        text = self.text
        pieces = self.pieces
        first = last = -1  # extent of the words laid out
        plain_start = plain_end = -1  # the plain words waiting to become one piece
        for word in self._words(run):
            start, end = word[0][0], word[-1][1]
            if all(decoded is None for _, _, decoded in word):
                if plain_end >= 0 and not text[plain_end:start].strip(" \r\n"):
                    plain_end = end
                else:
                    if plain_end >= 0:
                        pieces.append((plain_start, plain_end, None))
                    plain_start, plain_end = start, end
            else:
                decoded_word = "".join(text[s:e] if d is None else d for s, e, d in word)
                if len(decoded_word) > end - start:  # cannot happen for real references
                    continue
                sources: list[tuple[int, int]] = []
                for s, e, d in word:  # where each decoded character came from
                    if d is None:
                        sources.extend(zip(range(s, e), range(s + 1, e + 1)))
                    else:
                        sources.extend([(s, e)] * len(d))
                if plain_end >= 0:
                    pieces.append((plain_start, plain_end, None))
                    plain_end = -1
                pieces.append((start, end, decoded_word + " " * (end - start - len(decoded_word))))
                self.relocations.append(Relocation(start, end, tuple(sources)))
            if first < 0:
                first = start
            last = end
        if plain_end >= 0:
            pieces.append((plain_start, plain_end, None))
        if first >= 0:
            self._prose(first, last)

    def _words(self, run: list[tuple[int, int, str | None]]) -> list[list[tuple[int, int, str | None]]]:
        """The run's words, each as its source spans and references (``re``'s ``\\s`` is
        ``str.isspace``, the whitespace that separates words)."""
        text = self.text
        words: list[list[tuple[int, int, str | None]]] = []
        word: list[tuple[int, int, str | None]] = []  # the open word
        for start, end, decoded in run:
            if decoded is not None:
                if decoded:  # a reference that decodes to nothing adds no character
                    word.append((start, end, decoded))
                continue
            pos = start
            for m in _NON_SPACE.finditer(text, start, end):
                if m.start() > pos and word:  # whitespace before it ends the open word
                    words.append(word)
                    word = []
                word.append(m.span() + (None,))
                pos = m.end()
            if pos < end and word:  # so does whitespace after the last one
                words.append(word)
                word = []
        if word:
            words.append(word)
        return words

    def _prose(self, start: int, end: int) -> None:
        if self.builder is None:
            if self.row is not None:
                self.builder = self.row
            else:
                kind, level = self._kind()
                self.builder = _Builder(kind, level)
        self.builder.add(start, end)

    # -- tokens ----------------------------------------------------------------------------
    def start_tag(self, tag: str, attrs: list[tuple[str, str | None]], at: int,
                  closed: bool) -> None:
        if self.open_heads and tag not in _HEAD_CONTENT:
            # anything else opens the body: an unclosed <head> ends
            i = self._nearest(_HEAD, _NOTHING)
            if i >= 0:
                self._pop_to(i)
        if tag in _IMPLIED:
            targets, barriers = _IMPLIED[tag]
            i = self._nearest(targets, barriers)
            if i >= 0:
                self._pop_to(i)
        if self.open_ps and tag in _CLOSES_P:
            i = self._nearest(_P, _P_SCOPE)
            if i >= 0:
                self._pop_to(i)
        if tag == "table":
            self._hard_break(at)
            self.tables.append(_Table())
        elif tag == "thead" and self.tables:
            self.tables[-1].in_head = True
        if tag == "tr" or (tag in ("table", "thead", "tbody", "tfoot") and self.row is not None):
            self._flush_row(at)
        if tag == "tr":
            self._flush()
            self.row = _Builder(ROW, table=self.tables[-1] if self.tables else None)
        elif tag in ("td", "th"):
            if self.row is None:  # a cell outside a row: its own paragraph
                self._flush()
            else:
                self._close_cell(self.row, at)
                self.row.cells.append((at, -1))
                self.row.cell_start = at
                self.row.all_th = self.row.all_th and tag == "th"
        elif tag == "br":
            self._soft_break()
        elif tag in BLOCKS:
            self._hard_break(at)
        if closed or tag in VOID:
            return
        self._push(tag, hides(tag, attrs))

    def end_tag(self, tag: str, at: int) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                self._pop_to(i)
                break
        if self.row is not None and self.row.cell_start == -2:
            self._close_cell(self.row, at)
        if tag in ("tr", "table", "thead", "tbody", "tfoot"):
            self._flush_row(at)
        elif tag == "br":  # </br> is read as <br> by browsers
            self._soft_break()
        elif tag in BLOCKS and tag not in ("td", "th"):
            self._hard_break(at)

    def finish(self) -> None:
        self._end_run()
        self._flush_row(len(self.text))
        self._flush()


def _ref_end(text: str, at: int, ref: str) -> int:
    end = at + len(ref)
    return end + 1 if text.startswith(";", end) else end


def parse_html(text: str) -> Document:
    tokenizer = _Tokens()
    try:
        tokenizer.feed(text)
        tokenizer.close()
    except Exception:  # noqa: BLE001 - the tokenizer is lenient; bad text must never raise
        pass
    tokens = tokenizer.tokens
    reader = _Reader(text)
    for index, (kind, at, value, extra) in enumerate(tokens):
        if kind == "data":
            if not text.startswith(value, at):  # the tokenizer lost its place: not prose
                reader._end_run()
                continue
            if not reader.hidden and value:
                reader.run.append((at, at + len(value), None))
            continue
        if kind == "ref":
            if not text.startswith(value, at):
                reader._end_run()
                continue
            end = _ref_end(text, at, value)
            if not reader.hidden:
                source = text[at:end]
                decoded = _html.unescape(source)
                if decoded == source:
                    reader.run.append((at, end, None))
                elif decoded.isspace():  # &nbsp; and friends separate words
                    reader.run.append((at, end, " "))
                    reader.decoded = True
                else:
                    reader.run.append((at, end, decoded))
                    reader.decoded = True
            continue
        if reader.run:
            reader._end_run()
        if kind == "comment":
            end = tokens[index + 1][1] if index + 1 < len(tokens) else len(text)
            if text.startswith("<!--", at):
                reader.comments.append(Comment(at, end, text[at:end]))
        elif kind == "start" or kind == "startend":
            reader.start_tag(value, extra, at, kind == "startend")
        elif kind == "end":
            reader.end_tag(value, at)
    reader.finish()
    return _document(text, reader)


def _document(text: str, reader: _Reader) -> Document:
    blanked = _blank(text)  # one pass; the gaps between prose pieces are slices of it
    parts: list[str] = []
    pos = 0
    for start, end, replacement in sorted(reader.pieces, key=lambda p: p[0]):
        if start < pos:  # overlapping pieces cannot happen; stay safe rather than misalign
            continue
        if start > pos:
            parts.append(blanked[pos:start])
        parts.append(text[start:end] if replacement is None else replacement)
        pos = end
    if pos < len(text):
        parts.append(blanked[pos:])
    mask = "".join(parts)
    if len(mask) != len(text):  # never expected; fall back to no prose rather than bad offsets
        mask, reader.done, reader.relocations = _blank(text), [], []

    blocks: list[Block] = []
    for b in reader.done:
        if b.start < 0 and not b.cells:
            continue
        start = b.start if b.start >= 0 else b.cells[0][0]
        end = b.end if b.start >= 0 else start
        # split into sentences (by the Document, on first use) segment by segment: <br> and
        # paragraphs inside a table cell end a sentence
        segments = [(s, e) for s, e in b.segments if s >= 0]
        cells = [(s, e if e >= 0 else max(s, end)) for s, e in b.cells]
        block = Block(start=start, end=end, kind=b.kind, level=b.level, cells=cells or None,
                      segments=segments)  # no cells: the shared empty tuple
        if b.kind == ROW and b.table is not None:
            if b.is_header:
                b.table.header = block
            else:
                block.header = b.table.header
        blocks.append(block)
    relocations = sorted(reader.relocations, key=lambda r: r.start)
    return Document(text=text, prose=mask, format="html", blocks=blocks, comments=reader.comments,
                    relocations=relocations)


