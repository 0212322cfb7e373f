"""Kind ``claim``: statements that stop being claims when negated, hedged, cited or refuted.

"Ketamine cures depression" is a claim; "ketamine is not a cure", "ketamine may help some
people", "ketamine improved mood in a trial (Smith et al., 2023)" and "Myth: ketamine cures
depression" are not. Which of these suppressors apply is the rule's choice (``suppress``):
an absolute such as "no side effects" is not rescued by a hedge elsewhere in the sentence,
while "studies have shown" is rescued by a citation anywhere in the paragraph.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from ..document import Document
from .base import Companion, Hit, TriggerCheck, opens
from .language import SUPPRESSORS, Language


@dataclass
class ClaimCheck(TriggerCheck):
    """A trigger that is a finding unless one of ``suppress`` turns it into a non-claim.

    At most one finding per rule and sentence: a sentence that asserts three benefits is one
    thing for the writer to rework, not three.
    """

    suppress: tuple[str, ...] = SUPPRESSORS
    #: the trigger is a question and the claim is its answer: the rule fires only when the
    #: reply (next sentence, or the first of the next block) opens with one of these
    #: ("Is it addictive? Not when we prescribe it.")
    answered_by: Companion = field(default_factory=Companion)

    def run(self, doc: Document, lang: Language) -> Iterator[Hit]:
        last_sentence: tuple[int, int] | None = None
        for m, block, sentence in self.candidates(doc, lang):
            if sentence == last_sentence:
                continue
            if self.answered_by:
                reply = lang.reply(doc, block, sentence)
                if reply is None or not opens_with(self.answered_by, lang, doc.prose, reply):
                    continue
            if not lang.asserted(doc, block, sentence, m.start(), self.suppress, m.end()):
                continue
            last_sentence = sentence
            yield Hit(m.start(), m.end())


def opens_with(companion: Companion, lang: Language, prose: str, sentence: tuple[int, int]) -> bool:
    """A companion match that is the first word of ``sentence``."""
    for m in companion.matches(lang, prose, sentence[0], min(sentence[1], sentence[0] + 80)):
        return opens(prose, sentence[0], m.start())
    return False
