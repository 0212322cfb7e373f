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
from .language import Language

SUPPRESSORS = ("negation", "hedge", "citation", "refutation", "question")


@dataclass
class ClaimCheck(TriggerCheck):
    """A trigger that is a finding unless one of ``suppress`` turns it into a non-claim."""

    suppress: tuple[str, ...] = SUPPRESSORS

    def run(self, doc: Document, lang: Language) -> Iterator[Hit]:
        for m, block, sentence in self.candidates(doc, lang):
            s = self.suppress
            if "question" in s and lang.question(doc, sentence):
                continue
            if "negation" in s and lang.negated(doc, sentence, m.start()):
                continue
            if "hedge" in s and lang.hedged(doc, sentence):
                continue
            if "citation" in s and lang.cited(doc, block):
                continue
            if "refutation" in s and lang.refuted(doc, block, sentence):
                continue
            yield Hit(m.start(), m.end())
