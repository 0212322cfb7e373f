"""Kind ``substitution``: a phrase with a better replacement, offered as a fix.

Each ``swap`` entry maps a pattern to its replacement. The fix keeps the capitalisation of
the first letter of the match, so "Clinically proven" becomes "Shown in trials" and not
"shown in trials" at the start of a sentence.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

import regex

from ..document import Document
from ..patterns import time_left
from .base import Hit, RuleTimeout, TriggerCheck
from .language import Language


def match_case(replacement: str, original: str) -> str:
    if original[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


@dataclass
class SubstitutionCheck(TriggerCheck):
    """A trigger with the wording to put in its place (what ``--fix`` applies)."""

    swaps: tuple[tuple[regex.Pattern[str], str], ...] = field(default=())

    def run(self, doc: Document, lang: Language) -> Iterator[Hit]:
        for m, _block, _sentence in self.candidates(doc, lang):
            found = m.group()
            for pattern, replacement in self.swaps:
                try:
                    if pattern.fullmatch(found, timeout=time_left()):
                        yield Hit(m.start(), m.end(), suggestion=match_case(replacement, found))
                        break
                except TimeoutError as err:
                    raise RuleTimeout(str(err)) from None
