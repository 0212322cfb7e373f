"""Kind ``claim``: statements that stop being claims when negated, hedged, cited or refuted.

"Ketamine cures depression" is a claim; "ketamine is not a cure", "ketamine may help some
people", "ketamine improved mood in a trial (Smith et al., 2023)" and "Myth: ketamine cures
depression" are not. Which of these suppressors apply is the rule's choice (``suppress``):
an absolute such as "no side effects" is not rescued by a hedge elsewhere in the sentence,
while "studies have shown" is rescued by a citation anywhere in the paragraph.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ..document import Document
from .base import Hit, TriggerCheck
from .language import SUPPRESSORS, Language


@dataclass
class ClaimCheck(TriggerCheck):
    """A trigger that is a finding unless one of ``suppress`` turns it into a non-claim.

    At most one finding per rule and sentence: a sentence that asserts three benefits is one
    thing for the writer to rework, not three.
    """

    suppress: tuple[str, ...] = SUPPRESSORS

    def run(self, doc: Document, lang: Language) -> Iterator[Hit]:
        last_sentence: tuple[int, int] | None = None
        for m, block, sentence in self.candidates(doc, lang):
            if sentence == last_sentence:
                continue
            if not lang.asserted(doc, block, sentence, m.start(), self.suppress, m.end()):
                continue
            last_sentence = sentence
            yield Hit(m.start(), m.end())
