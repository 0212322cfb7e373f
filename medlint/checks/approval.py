"""Kind ``regulatory``: approval and legal-status statements checked against the fact table.

"FDA-approved ketamine infusions for depression" is wrong and "Esketamine (Spravato) is
FDA-approved for treatment-resistant depression" is right, and no regex over the sentence
can tell them apart without knowing what each substance is approved for. So this check
finds an approval phrase, works out which substance it is about (the nearest name before
it in the clause, a name right after "FDA-approved", or the subject of an earlier sentence
for "It is approved ..."), reads the use claimed after it, and looks both up in the table.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Iterator

import regex

from ..document import Document
from ..facts import FactTable, Substance, normalize_level
from ..patterns import compile_pattern
from .base import Hit, RuleTimeout, TriggerCheck, findall_in, search_in
from .language import Language, clause_start

_OBJECT = compile_pattern(r"\b(?:of|from|to|than|like|unlike|with|as|versus|vs\.?)\s+(?:the\s+|racemic\s+)?$")
_PRONOUN = compile_pattern(r"\s*(?:it|this (?:drug|medicine|medication|treatment))\b")
_USE_WINDOW = 110
# a comma that continues a list of uses ("for depression, anxiety and pain") does not end it
_LIST_AFTER = compile_pattern(r",\s*(?:and\s+|or\s+)?(?:for\s+|to\s+treat\s+)")
_US = regex.compile(r"\b(?:US|U\.S\.|United States|federal|DEA|Controlled Substances Act|America)\b", regex.VERSION1)
_UK = regex.compile(r"\b(?:UK|U\.K\.|Britain|British|England|Scotland|Wales|Misuse of Drugs)\b", regex.VERSION1)
_SCHEDULE = compile_pattern(r"\bSchedule\s+(I{1,3}|IV|V|[1-5])\b")
_HISTORY = compile_pattern(r"\b(?:until|before|was|were|used to be|previously|formerly|moved|from)\b")
_CLASS = regex.compile(r"\bClass\s+([ABC])\b", regex.VERSION1)


@dataclass
class ApprovalCheck(TriggerCheck):
    """``trigger`` finds approval wording ("FDA-approved", "approved to treat", ...)."""

    facts: FactTable | None = None
    only: frozenset[str] = frozenset()  # substance ids this rule checks (empty: all)
    skip: frozenset[str] = frozenset()

    def _subject(self, doc: Document, sentence: tuple[int, int], start: int, end: int,
                 block_sentences: list[tuple[int, int]], lang: Language | None = None) -> Substance | None:
        assert self.facts is not None
        prose = doc.prose
        begin = lang.clause_start(prose, sentence, start) if lang is not None else clause_start(prose, sentence[0], start)
        if lang is not None:
            # the sentence's names, found once; those inside [begin, start) by bisection
            found, ends = lang.remember(("names", id(self.facts), sentence), lambda: _names(
                findall_in(self.facts.any_name, doc, sentence[0], sentence[1])))
            hi = bisect.bisect_right(ends, start)
            before = found[bisect.bisect_left(found, begin, 0, hi, key=lambda m: m.start()):hi]
        else:
            before = findall_in(self.facts.any_name, doc, begin, start)
        if before:
            # the nearest name that is not the object of a preposition: in "Esketamine, a
            # derivative of ketamine, is approved" the approval is about esketamine
            for name in reversed(before):
                if not _OBJECT.search(prose, max(begin, name.start() - 12), name.start()):
                    return self.facts.substance_at(name)
            return self.facts.substance_at(before[0])
        header = doc.column_header(start)
        if header is not None:
            m = search_in(self.facts.any_name, doc, *header)
            if m:
                return self.facts.substance_at(m)
        # "FDA-approved ketamine infusions": the name right after the approval word
        after = search_in(self.facts.any_name, doc, end, min(end + 40, sentence[1]))
        if after and not prose[end:after.start()].strip(" \t-").lower().startswith(("for", "to", "as", "in", "by")):
            return self.facts.substance_at(after)
        # "It is approved for ...": the subject of this sentence's first clause, or of the
        # last earlier sentence that opened with a name
        if _PRONOUN.match(prose, begin, start):
            # the sentences before this one (in order), by bisection since a block may hold
            # thousands; at most the 50 nearest are read (a pronoun's subject is not further)
            i = bisect.bisect_right(block_sentences, sentence[0], key=lambda x: x[1])
            earlier = block_sentences[max(0, i - 50):i]
            if begin > sentence[0]:
                earlier.append((sentence[0], begin))
            for s, e in reversed(earlier):
                m = search_in(self.facts.any_name, doc, s, min(e, s + 40))
                if m and not prose[s:m.start()].strip(" (\"'“").count(" ") > 1:
                    return self.facts.substance_at(m)
        return None

    def run(self, doc: Document, lang: Language) -> Iterator[Hit]:
        assert self.facts is not None
        for m, block, sentence in self.candidates(doc, lang):
            # the approval wording may itself hold the negation ("is not approved")
            if lang.question(doc, sentence) or lang.negated(doc, sentence, m.end()):
                continue
            if lang.refuted(doc, block, sentence):
                continue
            try:
                substance = self._subject(doc, sentence, m.start(), m.end(), block.sentences, lang)
            except TimeoutError as err:
                raise RuleTimeout(str(err)) from None
            if substance is None or not _in_scope(substance, self.only, self.skip):
                continue
            # the claimed use follows the approval wording, before the clause or list goes on
            stop = min(lang.clause_end(doc.prose, m.end(), sentence), m.end() + _USE_WINDOW)
            comma = doc.prose.find(",", m.end(), stop)
            if comma != -1 and self.facts.uses.search(doc.prose, m.end(), comma) is None \
                    and not _LIST_AFTER.match(doc.prose, comma):
                stop = comma
            window = doc.prose[m.start():stop]
            if substance.approved_elsewhere and substance.approved_elsewhere.search(
                    doc.prose, sentence[0], sentence[1]):
                continue
            use = self.facts.uses.search(window)
            if use is None:
                if substance.approved is not None:
                    continue  # an approval with no use named: true for anything ever approved
                use_text = "any use"
            else:
                if substance.approved is not None and substance.approved.search(window):
                    continue
                use_text = use.group()
            yield Hit(m.start(), m.end(), message=substance.message.replace("{use}", use_text))


@dataclass
class ScheduleCheck(TriggerCheck):
    """Controlled-drug schedules and classes checked against the table (US and UK)."""

    facts: FactTable | None = None
    only: frozenset[str] = frozenset()
    skip: frozenset[str] = frozenset()

    def run(self, doc: Document, lang: Language) -> Iterator[Hit]:
        assert self.facts is not None
        for m, block, sentence in self.candidates(doc, lang):
            if lang.negated(doc, sentence, m.start()) or lang.refuted(doc, block, sentence):
                continue
            if lang.remember(("history", sentence), lambda: _HISTORY.search(
                    doc.prose, sentence[0], sentence[1]) is not None):
                continue  # history: "ketamine was Class C until 2014"
            # the substance names of the sentence, found once per sentence; those before the
            # trigger by bisection (a long sentence may hold thousands of schedules)
            found, ends = lang.remember(("names", id(self.facts), sentence), lambda: _names(
                findall_in(self.facts.any_name, doc, sentence[0], sentence[1])))
            last = bisect.bisect_right(ends, m.start())
            names = found[max(0, last - 1):last]  # only the nearest is used
            header = doc.column_header(m.start())
            if not names and header is not None:  # a table cell: the column's heading names it
                names = findall_in(self.facts.any_name, doc, *header)
            if not names:
                continue
            substance = self.facts.substance_at(names[-1])
            if not _in_scope(substance, self.only, self.skip):
                continue
            level = normalize_level(next((g for g in m.groups() if g), None))
            # asked once per sentence (a long sentence may hold many schedules)
            uk, us = lang.remember(("uk-us", sentence), lambda: (
                _UK.search(doc.prose, sentence[0], sentence[1]) is not None,
                _US.search(doc.prose, sentence[0], sentence[1]) is not None))
            if m.group().lower().startswith("class"):
                expected = substance.uk_class
                where = "the UK (Misuse of Drugs Act 1971)"
            elif uk and not us:
                expected = substance.uk_schedule
                where = "the UK (Misuse of Drugs Regulations 2001)"
            else:
                expected = substance.us_schedule
                where = "the US (Controlled Substances Act)"
            if expected is None or level is None or level == expected:
                continue
            if m.group().lower().startswith("class"):
                right = f"Class {expected}"
            elif where.startswith("the US"):
                right = f"Schedule {_ROMAN[expected]}"
            else:
                right = f"Schedule {expected}"
            yield Hit(m.start(), m.end(), message=(
                f"{substance.label} is {right} in {where}, not {m.group()}. "
                "Correct the legal status or remove it."))


_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV", "5": "V"}


def _in_scope(substance: Substance, only: frozenset[str], skip: frozenset[str]) -> bool:
    return (not only or substance.id in only) and substance.id not in skip


def _names(found: list[regex.Match[str]]) -> tuple[list[regex.Match[str]], list[int]]:
    return found, [m.end() for m in found]

