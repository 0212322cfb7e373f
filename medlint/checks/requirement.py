"""Kind ``document``: something the whole draft must contain (a disclaimer, a crisis line).

The requirement applies only when the draft gives the rule a reason (``when``: for example
suicide is mentioned); with no ``when`` it always applies. One finding at most per
document, reported on the first line with text (``report: start``) or at the first trigger
(``report: first-trigger``), which is where a writer would add the missing text.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

import regex

from ..document import Document
from ..patterns import time_left
from .base import Companion, Hit, RuleTimeout
from .language import Language


@dataclass
class DocumentCheck:
    requires: Companion
    when: regex.Pattern[str] | None = None
    when_count: int = 1
    report: str = "start"
    not_in: tuple[str, ...] = ()
    #: a trigger inside these companions does not count (a crisis line mentions "suicide")
    exceptions: Companion = field(default_factory=Companion)

    def _triggers(self, doc: Document, lang: Language) -> list[regex.Match[str]]:
        assert self.when is not None
        out = []
        try:
            for m in self.when.finditer(doc.prose, timeout=time_left()):
                block = doc.block_at(m.start())
                if block is None or block.kind in self.not_in:
                    continue
                if self.exceptions and self.exceptions.overlaps(lang, doc.prose, m.start(), m.end()):
                    continue
                out.append(m)
        except TimeoutError as err:
            raise RuleTimeout(str(err)) from None
        return out

    def run(self, doc: Document, lang: Language) -> Iterator[Hit]:
        if not doc.blocks:
            return
        triggers: list[regex.Match[str]] = []
        if self.when is not None:
            triggers = self._triggers(doc, lang)
            if len(triggers) < self.when_count:
                return
        if self.requires.found(lang, doc.prose, 0, len(doc.prose)):
            return
        if self.report == "first-trigger" and triggers:
            yield Hit(triggers[0].start(), triggers[0].end())
            return
        # the first line with text: line 1 may be front matter or a suppression comment,
        # and a comment added above the text must not move this finding
        line_start, line_end = doc.lines.line_span(doc.position(doc.blocks[0].start)[0])
        text = doc.text[line_start:line_end]
        lead = len(text) - len(text.lstrip())
        yield Hit(line_start + lead, max(line_start + lead, line_start + len(text.rstrip())))
