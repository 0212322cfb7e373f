"""Kind ``document``: something the whole draft must contain (a disclaimer, a crisis line).

The requirement applies only when the draft gives the rule a reason (``when``: for example
suicide is mentioned); with no ``when`` it always applies. One finding at most per
document, reported on the first line of prose (``report: start``) or at the first trigger
(``report: first-trigger``), which is where a writer would add the missing text.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

import regex

from ..document import Document
from .base import Companion, Hit, RuleTimeout, iter_matches
from .language import Language


@dataclass
class DocumentCheck:
    """Something the whole draft must hold once ``when`` gives it a reason to."""

    requires: Companion
    when: regex.Pattern[str] | None = None
    when_count: int = 1
    report: str = "start"
    not_in: tuple[str, ...] = ()
    #: a trigger inside these companions does not count (a crisis line mentions "suicide")
    exceptions: Companion = field(default_factory=Companion)
    #: a requirement inside these does not count ("no side effects" names no risk)
    not_counting: Companion = field(default_factory=Companion)
    #: when given, a trigger counts only where the writer asserts it (``Language.asserted``
    #: with these suppressors): "kratom is promoted as a cure" or "does it relieve pain?"
    #: presents no benefit of the page's own
    when_asserted: tuple[str, ...] = ()
    #: likewise for the requirement: "without causing any side effects" denies a harm, it
    #: does not name one
    requires_asserted: tuple[str, ...] = ()

    def _satisfied(self, doc: Document, lang: Language) -> bool:
        if not self.not_counting and not self.requires_asserted:
            return self.requires.found(lang, doc.prose, 0, len(doc.prose), doc.index)
        for m in self.requires.matches(lang, doc.prose, 0, len(doc.prose), doc.index):
            if self.not_counting and self.not_counting.overlaps(lang, doc.prose, m.start(), m.end()):
                continue
            if self.requires_asserted:
                block = doc.block_at(m.start())
                if block is not None and not lang.asserted(
                        doc, block, doc.sentence_at(m.start()), m.start(), self.requires_asserted):
                    continue
            return True
        return False

    def _triggers(self, doc: Document, lang: Language, enough: int) -> list[regex.Match[str]]:
        """The first ``enough`` triggers that count (the rule needs no more)."""
        assert self.when is not None
        out: list[regex.Match[str]] = []
        if enough <= 0:
            return out
        for m in iter_matches(self.when, doc):
            block = doc.block_at(m.start())
            if block is None or block.kind in self.not_in:
                continue
            try:
                if self.exceptions and self.exceptions.overlaps(lang, doc.prose, m.start(), m.end()):
                    continue
                if self.when_asserted and not lang.asserted(
                        doc, block, doc.sentence_at(m.start()), m.start(), self.when_asserted):
                    continue
            except TimeoutError as err:
                raise RuleTimeout(str(err)) from None
            out.append(m)
            if len(out) >= enough:
                break
        return out

    def idle(self, doc: Document) -> bool:
        """Whether the rule has no reason to apply: its ``when`` is nowhere in the prose."""
        return (self.when is not None and self.when_count >= 1 and doc.index is not None
                and doc.index.absent(self.when))

    def run(self, doc: Document, lang: Language) -> Iterator[Hit]:
        if not doc.blocks:
            return
        triggers: list[regex.Match[str]] = []
        if self.when is not None:
            triggers = self._triggers(doc, lang, max(1, self.when_count))
            if len(triggers) < self.when_count:
                return
        try:
            if self._satisfied(doc, lang):
                return
        except TimeoutError as err:
            raise RuleTimeout(str(err)) from None
        if self.report == "first-trigger" and triggers:
            yield Hit(triggers[0].start(), triggers[0].end())
            return
        # reported on line 1, as the rule format promises; when line 1 holds prose, the span
        # is that prose (a one-line HTML body is all line 1), else line 1's own text (front
        # matter fence or doctype), so the finding is never a zero-width point
        first = doc.blocks[0]
        if doc.position(first.start)[0] == 1:
            _, line_end = doc.lines.line_span(1)
            text = doc.prose[first.start:min(line_end, first.end)]
            yield Hit(first.start, first.start + max(1, len(text.rstrip())))
            return
        line_start, line_end = doc.lines.line_span(1)
        text = doc.text[line_start:line_end]
        lead = len(text) - len(text.lstrip())
        yield Hit(line_start + lead, max(line_start + lead, line_start + len(text.rstrip())))
