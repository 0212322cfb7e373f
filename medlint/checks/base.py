"""What every rule kind shares: hits, scopes, companion phrases and the trigger loop.

A check sees a :class:`Document` (prose mask, blocks, sentences) and yields :class:`Hit`
values with offsets into it. It knows nothing of markup, files or output formats.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from bisect import bisect_left
from itertools import accumulate, chain
from typing import Any, Iterator, NamedTuple

import regex

from ..document import Block, Document
from ..document.segments import HEADING
from ..patterns import time_left
from .language import Language, block_index

SCOPES = ("match", "clause", "sentence", "paragraph", "section", "document")


class Hit(NamedTuple):
    """A rule's verdict at one place; the linter turns it into a Finding with positions."""

    start: int
    end: int
    message: str | None = None  # None: the rule's own message
    suggestion: str | None = None


class RuleTimeout(Exception):
    """A rule's pattern exceeded its time budget on one document."""


@dataclass(frozen=True)
class Companion:
    """Phrases searched for near a trigger: lexicon names (``@caveat``) and/or a pattern."""

    lexicon: tuple[str, ...] = ()
    pattern: regex.Pattern[str] | None = None

    def __bool__(self) -> bool:
        return bool(self.lexicon) or self.pattern is not None

    def found(self, lang: Language, text: str, start: int, end: int, index: Any = None) -> bool:
        """A companion phrase in text[start:end] (``index``: the draft's scan of ``text``);
        remembered per document, since every trigger in a paragraph asks about it."""
        return bool(lang.remember(("found", id(self), id(text), start, end),
                                  lambda: self._found(lang, text, start, end, index)))

    def _found(self, lang: Language, text: str, start: int, end: int, index: Any = None) -> bool:
        if self.pattern is not None:
            if index is not None:
                if index.search(self.pattern, text, start, end, time_left()):
                    return True
            elif self.pattern.search(text, start, end, timeout=time_left()):
                return True
        return lang.any(self.lexicon, text, start, end, index)

    def matches(self, lang: Language, text: str, start: int, end: int,
                index: Any = None) -> Iterator[regex.Match[str]]:
        """Every match of the companion's patterns and word lists in [start, end), lazily
        (``index``: the draft's scan of ``text``, used when the window is all of it)."""
        whole = index is not None and start == 0 and end == len(text)
        for p in [lang.lexicon.get(n) for n in self.lexicon] + [self.pattern]:
            if p is not None:
                if whole:
                    yield from index.finditer(p, text, time_left(), lazy=True)
                else:
                    yield from p.finditer(text, start, end, timeout=time_left())

    def overlaps(self, lang: Language, text: str, start: int, end: int, width: int = 60) -> bool:
        """A companion match that overlaps [start, end) (searched in a small window).

        Plain (non-overlapped) matching: ``overlapped=True`` retried every start position and
        was quadratic on long runs of letters (an e-mail address inside a long token).
        """
        lo, hi = max(0, start - width), min(len(text), end + width)
        patterns = [lang.lexicon.get(n) for n in self.lexicon] + [self.pattern]
        for p in patterns:
            if p is None:
                continue
            for m in p.finditer(text, lo, hi, timeout=time_left()):
                if m.start() >= end:
                    break
                if m.end() > start:
                    return True
        return False


def trigger_matches(pattern: regex.Pattern[str], doc: Document) -> list[regex.Match[str]]:
    """Every match of ``pattern`` in the prose, as ``finditer`` gives them.

    With the linter's literal scan (``doc.index``) the pattern is tried only where its
    literals allow a match; the result is the same list (see ``medlint/scan.py``).
    """
    try:
        if doc.index is not None:
            return list(doc.index.finditer(pattern, doc.prose, time_left()))
        return list(pattern.finditer(doc.prose, timeout=time_left()))
    except TimeoutError as err:
        raise RuleTimeout(str(err)) from None


def search_in(pattern: regex.Pattern[str], doc: Document, start: int, end: int) -> regex.Match[str] | None:
    """``pattern.search(doc.prose, start, end)``, through the draft's literal scan when it
    has one (a pattern whose literals are not in the draft is not run at all)."""
    if doc.index is not None:
        return doc.index.search(pattern, doc.prose, start, end, time_left())
    return pattern.search(doc.prose, start, end, timeout=time_left())


def findall_in(pattern: regex.Pattern[str], doc: Document, start: int, end: int) -> list[regex.Match[str]]:
    """``list(pattern.finditer(doc.prose, start, end))``, through the literal scan."""
    if doc.index is not None:
        return list(doc.index.finditer_window(pattern, doc.prose, start, end, time_left()))
    return list(pattern.finditer(doc.prose, start, end, timeout=time_left()))


def iter_matches(pattern: regex.Pattern[str], doc: Document) -> Iterator[regex.Match[str]]:
    """:func:`trigger_matches`, lazily, for a caller that may stop early."""
    try:
        if doc.index is not None:
            yield from doc.index.finditer(pattern, doc.prose, time_left(), lazy=True)
        else:
            yield from pattern.finditer(doc.prose, timeout=time_left())
    except TimeoutError as err:
        raise RuleTimeout(str(err)) from None


#: what may stand before a sentence's first word: bullets, numbering, quotes, brackets
_LEAD = regex.compile(r"[\s\p{Ps}\p{Pi}\"'*•●▪◦‣∙·\-–—>#]*(?:\d{1,2}[.)]\s+)?[\s\p{Ps}\p{Pi}\"']*")


def opens(prose: str, sentence_start: int, offset: int) -> bool:
    """Whether ``offset`` is the first word of the sentence that starts at ``sentence_start``
    (bullets, numbering and opening quotes before it do not count)."""
    if offset - sentence_start > 12:
        return False
    lead = _LEAD.match(prose, sentence_start, offset)
    return lead is not None and lead.end() == offset


def seam_matches(pattern: regex.Pattern[str], doc: Document) -> list[Any]:
    """Matches made by a list's lead-in and one item together ("Ketamine can treat:" +
    "PTSD"), in source offsets on the item (``Document.seams_from``); searched through the
    rule set's literal scan of the joined text when there is one, so a pattern whose words
    are not there costs nothing."""
    text = doc.seam_text()
    if not text:
        return []
    try:
        if doc.index is not None:
            if doc.seam_index is None:
                doc.seam_index = doc.index.scanner.index(text) or False
            if doc.seam_index:
                return doc.seams_from(doc.seam_index.finditer(pattern, text, time_left()))
        return doc.seams_from(pattern.finditer(text, timeout=time_left()))
    except TimeoutError as err:
        raise RuleTimeout(str(err)) from None


def in_lead_in(companion: Companion, lang: Language, doc: Document, block: Block, scope: str,
               at: int) -> bool:
    """A companion in the lead-in of the list ``block`` is an item of: a caveat in "Under
    medical supervision, the clinic offers:" covers the items below it (for sentence and
    clause scope, the item's first sentence: the one the lead-in completes)."""
    if scope == "match" or block.lead_in is None:
        return False
    lead = doc.lead_in(at) if scope in ("sentence", "clause") else block.lead_in
    return lead is not None and doc.remember(
        ("lead-in", id(companion), lead),
        lambda: companion.found(lang, doc.prose, lead[0], lead[1], doc.index))


def _new_seams(seams: list[Any], matches: list[Any]) -> list[Any]:
    """Seam matches not already covered by a match in the prose (the item's own words)."""
    if not seams or not matches:
        return seams
    spans = sorted((m.start(), m.end()) for m in matches)
    starts = [s for s, _ in spans]
    reach = list(accumulate((e for _, e in spans), max))  # furthest end among the first k
    out = []
    for seam in seams:
        i = bisect_left(starts, seam.end())  # spans starting before the seam match ends
        if i and reach[i - 1] > seam.start():
            continue
        out.append(seam)
    return out


#: how many headings back a section's outline is looked for (bounds the walk on drafts with
#: thousands of same-level headings)
_OUTLINE_REACH = 64


def enclosing_headings(doc: Document, block: Block) -> list[Block]:
    """The headings a block sits under, nearest first: its section's own heading, then each
    higher-level heading above it ("# At-home ketamine" over "## Your first session").

    A section's subject is often named only in the page title; a section-scope context
    looks there too.
    """
    out: list[Block] = []
    level: int | None = None
    seen = 0
    i = block_index(doc, block)
    while i >= 0 and seen < _OUTLINE_REACH:
        b = doc.blocks[i]
        i -= 1
        if b.kind != HEADING:
            continue
        seen += 1
        if level is None or 0 < b.level < level:
            out.append(b)
            level = b.level
            if level <= 1:
                break
    return out


def scope_span(doc: Document, block: Block, sentence: tuple[int, int], start: int, end: int,
               scope: str, lang: Language | None = None) -> tuple[int, int]:
    if scope == "match":
        return start, end
    if scope == "sentence":
        return sentence
    if scope == "clause":
        if lang is not None:
            return lang.clause_start(doc.prose, sentence, start), lang.clause_end(doc.prose, end, sentence)
        from .language import clause_end, clause_start

        return clause_start(doc.prose, sentence[0], start), clause_end(doc.prose, end, sentence[1])
    if scope == "paragraph":
        return block.start, block.end
    if scope == "section":
        blocks = doc.section_blocks(block)
        return blocks[0].start, blocks[-1].end
    return 0, len(doc.prose)


@dataclass
class TriggerCheck:
    """A trigger pattern with the filters every local rule kind understands.

    ``exceptions`` must overlap the trigger ("Breakthrough Therapy designation" is not
    hype); ``unless`` may be anywhere in ``unless_scope``; ``only_in``/``not_in`` restrict
    the block kinds (heading, question, item, row, paragraph) a trigger may sit in;
    ``negatable`` lets a negation earlier in the clause cancel the trigger; ``context``, when
    given, must be found in ``context_scope`` for the trigger to count at all ("twice a week"
    is about a treatment only if a drug, dose or infusion is named nearby).
    """

    trigger: regex.Pattern[str]
    exceptions: Companion = field(default_factory=Companion)
    unless: Companion = field(default_factory=Companion)
    unless_scope: str = "sentence"
    context: Companion = field(default_factory=Companion)
    context_scope: str = "sentence"
    #: conditional rules: the companion that must be in ``requires_scope`` (else: a hit)
    requires: Companion = field(default_factory=Companion)
    requires_scope: str = "paragraph"
    only_in: tuple[str, ...] = ()
    not_in: tuple[str, ...] = ()
    negatable: bool = False
    #: a statement anywhere on the page that satisfies the requirement for every trigger:
    #: "all treatment described here is given in our hospital clinic by the team that
    #: monitors you" covers the schedule described three sections later
    page_requires: Companion = field(default_factory=Companion)
    #: the trigger must open its sentence (heading, list item, button): "Order today",
    #: "Shop the range" are selling imperatives there, and ordinary verbs mid-sentence
    opens_sentence: bool = False

    def idle(self, doc: Document) -> bool:
        """Whether the trigger is nowhere in the draft, neither in its prose nor where a
        list's lead-in meets an item: then no candidate exists and, since every kind reports
        only candidates, the check has nothing to say. Asked before a rule is run, so that
        the 20-odd rules whose words a draft never uses cost one lookup each."""
        index = doc.index
        if index is None or not index.absent(self.trigger):
            return False
        if not doc.seam_text():
            return True
        if doc.seam_index is None:
            doc.seam_index = index.scanner.index(doc.seam_text()) or False
        return bool(doc.seam_index) and doc.seam_index.absent(self.trigger)

    def candidates(self, doc: Document, lang: Language) -> Iterator[tuple[regex.Match[str], Block, tuple[int, int]]]:
        matches = trigger_matches(self.trigger, doc)
        if matches and self.page_requires and self.page_requires.found(
                lang, doc.prose, 0, len(doc.prose), doc.index):
            return
        for m in chain(matches, _new_seams(seam_matches(self.trigger, doc), matches)):
            if m.end() <= m.start() or doc.crosses(m.start(), m.end()):
                continue
            block = doc.block_at(m.start())
            if block is None:
                continue
            if self.only_in and block.kind not in self.only_in:
                continue
            if block.kind in self.not_in:
                continue
            sentence = doc.sentence_at(m.start())
            if self.opens_sentence and not opens(doc.prose, sentence[0], m.start()):
                continue
            if self.exceptions and self.exceptions.overlaps(lang, doc.prose, m.start(), m.end()):
                continue
            if self.context:
                lo, hi = scope_span(doc, block, sentence, m.start(), m.end(), self.context_scope, lang)
                if not (self.context.found(lang, doc.prose, lo, hi, doc.index)
                        or in_lead_in(self.context, lang, doc, block, self.context_scope, m.start())
                        or (self.context_scope == "section" and any(
                            self.context.found(lang, doc.prose, h.start, h.end)
                            for h in enclosing_headings(doc, block)))):
                    continue
            if self.unless:
                lo, hi = scope_span(doc, block, sentence, m.start(), m.end(), self.unless_scope, lang)
                if (self.unless.found(lang, doc.prose, lo, hi, doc.index)
                        or in_lead_in(self.unless, lang, doc, block, self.unless_scope, m.start())):
                    continue
            if self.negatable and lang.negated(doc, sentence, m.start()):
                continue
            if self.requires:
                lo, hi = scope_span(doc, block, sentence, m.start(), m.end(), self.requires_scope, lang)
                if (self.requires.found(lang, doc.prose, lo, hi, doc.index)
                        or in_lead_in(self.requires, lang, doc, block, self.requires_scope, m.start())):
                    continue
            yield m, block, sentence

    def run(self, doc: Document, lang: Language) -> Iterator[Hit]:
        for m, _block, _sentence in self.candidates(doc, lang):
            yield Hit(m.start(), m.end())
