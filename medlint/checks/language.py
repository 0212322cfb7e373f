"""Negation, hedging, citation and refutation: the language that turns a claim into a non-claim.

The word lists are data (``rules/lexicon.yaml``); this module only knows how far each one
reaches: negation works inside a clause and before the claim, hedges inside the sentence,
citations anywhere in the paragraph, refutations in the claim's sentence or the next one.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import regex

from ..document import Block, Document
from ..patterns import time_left, compile_list, compile_pattern

#: what can turn a statement into a non-assertion (see ``Language.asserted``)
SUPPRESSORS = ("negation", "hedge", "citation", "refutation", "question", "attribution")
#: word lists the tests below search in a sentence or a lead-in through the draft's scan
#: (``Lexicon.search``/``Language.any`` with the index): the rule set plans them for the
#: Hyperscan engine (``load_ruleset``), so such a search is a few table lookups. A list
#: asked about here and missing from this set is still searched exactly, only slower.
SENTENCE_LISTS = frozenset({"attribution", "citation_markup", "refutation_reply"})

#: lists with at most this many required literals get the presence test in Lexicon.search
_FEW = 8

# Where a clause ends: strong punctuation, or a conjunction that turns the argument.
CLAUSE_BREAK = compile_pattern(
    r"[;:—–]|\s-\s|,(?=\s+(?:and|so|which|who|but|yet|or)\b)|[.!?](?=\s)"
    r"|\b(?:but|however|although|though|whereas|while|except|instead|unlike|rather)\b"
)


@dataclass(frozen=True)
class Lexicon:
    """Compiled named word lists, shared by every rule that names them with ``@name``."""

    lists: Mapping[str, regex.Pattern[str]]
    #: per list, a few literals of which every match holds one (folded), when the list has
    #: such a small set: a window holding none of them is answered without the regex module
    #: (link markup is looked for in every claim's paragraph, and "](" is rare)
    required: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def from_data(cls, data: Mapping[str, Mapping[str, list[str]]]) -> "Lexicon":
        from ..literals import anchors

        lists = {}
        required = {}
        for name, entry in data.items():
            compiled = compile_list(entry.get("terms", ()), entry.get("patterns", ()))
            if compiled is not None:
                lists[name] = compiled
                found = anchors(compiled.pattern)
                if found is not None and len(found.literals) <= _FEW:
                    required[name] = found.literals
        return cls(lists, required)

    def get(self, name: str) -> regex.Pattern[str] | None:
        return self.lists.get(name)

    def search(self, name: str, text: str, start: int = 0, end: int | None = None,
               index: Any = None) -> regex.Match[str] | None:
        """First match in text[start:end]; ``index``: the draft's literal scan of ``text``."""
        pattern = self.lists.get(name)
        if pattern is None:
            return None
        end = len(text) if end is None else end
        if index is not None:
            return index.search(pattern, text, start, end, time_left())
        literals = self.required.get(name)
        if literals:
            from ..scan import fold

            window = fold(text[start:end])  # folded as the literals are; None: not safely
            if window is not None and not any(literal in window for literal in literals):
                return None  # every match holds one of them
        return pattern.search(text, start, end, timeout=time_left())


_OPENING_QUOTES = "\"“‘«'"
_CLOSING_QUOTES = "\"”’»'"


def quoted(prose: str, start: int, end: int) -> bool:
    """Whether prose[start:end] is wrapped in quotation marks (scare quotes, a quoted term):
    “detox” is a word under discussion, not a promise."""
    return (start > 0 and end < len(prose) and prose[start - 1] in _OPENING_QUOTES
            and prose[end] in _CLOSING_QUOTES)


#: a sentence that opens by continuing the one before ("Additionally, ...")
_CONTINUES = regex.compile(
    r"[\s\p{Pi}\"']*(?:additionally|also|moreover|furthermore|in\s+addition|similarly|likewise|"
    r"in\s+the\s+same\s+way|by\s+the\s+same\s+token)\b", regex.IGNORECASE)


def block_index(doc: Document, block: Block) -> int:
    """Where ``block`` stands in ``doc.blocks`` (sorted by start), by bisection; -1 if absent."""
    i = bisect.bisect_left(doc.blocks, block.start, key=_block_start)
    return i if i < len(doc.blocks) and doc.blocks[i] is block else -1


def _block_start(block: Block) -> int:
    return block.start


def clause_start(prose: str, sentence_start: int, offset: int) -> int:
    """Start of the clause that holds ``offset`` (searching back to the sentence start)."""
    start = sentence_start
    for m in CLAUSE_BREAK.finditer(prose, sentence_start, offset):
        start = m.end()
    return start


def clause_end(prose: str, offset: int, sentence_end: int) -> int:
    m = CLAUSE_BREAK.search(prose, offset, sentence_end)
    return m.start() if m else sentence_end


class Language:
    """Questions a claim check asks about the words around a match.

    The shared instance (``RuleSet.language``) answers every question afresh. The Linter
    asks through :meth:`for_document`, a copy that remembers answers for one document:
    every trigger in a paragraph asks whether that paragraph holds a citation, and every
    trigger in a sentence where its clauses break, so without it a long paragraph (HTML
    paragraphs separated by ``<br><br>`` are one block) or a sentence with no full stop
    took time quadratic in its length.
    """

    def __init__(self, lexicon: Lexicon, memo: dict[Any, Any] | None = None,
                 index: Any = None) -> None:
        self.lexicon = lexicon
        self._memo = memo
        #: the document's scan (``scan.Index``), which also knows where clauses may break
        self.index = index

    def for_document(self, index: Any = None) -> "Language":
        """A copy that caches answers for ONE document (never share it between documents);
        ``index``: that document's scan of its prose."""
        return Language(self.lexicon, {}, index)

    def remember(self, key: Any, compute: Callable[[], Any]) -> Any:
        """``compute()``, cached under ``key`` for this document when caching is on."""
        memo = self._memo
        if memo is None:
            return compute()
        try:
            return memo[key]
        except KeyError:
            value = memo[key] = compute()
            return value

    def _breaks(self, prose: str, sentence: tuple[int, int]) -> tuple[list[int], list[int]]:
        """Starts and ends of the clause breaks in a sentence, found once per sentence."""
        def find() -> tuple[list[int], list[int]]:
            index = self.index
            if index is not None and index.prose is prose:
                # the draft's scan knows where a break may start: a sentence is a few
                # lookups, not a pass of the regex module over every character of it
                found = list(index.finditer_window(CLAUSE_BREAK, prose, sentence[0], sentence[1],
                                                   time_left()))
            else:
                found = list(CLAUSE_BREAK.finditer(prose, sentence[0], sentence[1], timeout=time_left()))
            return [m.start() for m in found], [m.end() for m in found]
        return self.remember(("breaks", id(prose), sentence), find)

    def clause_start(self, prose: str, sentence: tuple[int, int], offset: int) -> int:
        """:func:`clause_start`; with a document cache, a lookup in the sentence's breaks."""
        if self._memo is None or offset >= sentence[1]:
            return clause_start(prose, sentence[0], offset)
        _starts, ends = self._breaks(prose, sentence)
        i = bisect.bisect_right(ends, offset) - 1
        return max(ends[i], sentence[0]) if i >= 0 else sentence[0]

    def clause_end(self, prose: str, offset: int, sentence: tuple[int, int]) -> int:
        """:func:`clause_end`; with a document cache, a lookup in the sentence's breaks."""
        if self._memo is None or offset < sentence[0]:
            return clause_end(prose, offset, sentence[1])
        starts, _ends = self._breaks(prose, sentence)
        i = bisect.bisect_left(starts, offset)
        return starts[i] if i < len(starts) else sentence[1]

    def negated(self, doc: Document, sentence: tuple[int, int], start: int) -> bool:
        """A negation in the same clause, before the claim ("is not FDA-approved")."""
        negation = self.lexicon.get("negation")
        if negation is None:
            return False
        begin = self.clause_start(doc.prose, sentence, start)
        # The negations of a clause are found once (per document, remembered) and each trigger
        # bisects them: searching the clause again for every trigger was quadratic in a long
        # run-on sentence.
        ends = self.remember(("negations", begin, sentence[1]),
                             lambda: self._negation_ends(doc, negation, begin, sentence[1]))
        i = bisect.bisect_right(ends, start)
        return i > 0

    def _negation_ends(self, doc: Document, negation: regex.Pattern[str], begin: int,
                       end: int) -> list[int]:
        """Where each real negation (not "nothing short of") in [begin, end) ends, in order."""
        pseudo = self.lexicon.get("pseudo_negation")
        found = (doc.index.finditer_window(negation, doc.prose, begin, end, time_left())
                 if doc.index is not None else
                 negation.finditer(doc.prose, begin, end, timeout=time_left()))
        ends = []
        for m in found:
            if pseudo is None or not any(
                    p.start() <= m.start() < p.end()
                    for p in pseudo.finditer(doc.prose, max(begin, m.start() - 20), min(len(doc.prose), m.end() + 30),
                                             timeout=time_left())):
                ends.append(m.end())
        return ends

    def hedged(self, doc: Document, sentence: tuple[int, int]) -> bool:
        """A hedge in the sentence, in the lead-in of its list ("may help with:"), or in the
        sentence before when this one only continues it ("One theory is that ... .
        Additionally, ...": the second sentence is part of the same theory)."""
        if self.any(("hedge",), doc.prose, *sentence, doc.index):
            return True
        lead = doc.lead_in(sentence[0])
        if lead is not None and self.any(("hedge",), doc.prose, *lead, doc.index):
            return True
        if _CONTINUES.match(doc.prose, sentence[0], sentence[1]):
            block = doc.block_at(sentence[0])
            if block is not None:
                before = [s for s in block.sentences if s[1] <= sentence[0]]
                if before and self.any(("hedge",), doc.prose, *before[-1], doc.index):
                    return True
        return False

    def cited(self, doc: Document, block: Block) -> bool:
        """A citation anywhere in the paragraph, including a link target outside the prose,
        or in the lead-in of the list it is an item of."""
        if self.any(("citation",), doc.prose, block.start, block.end, doc.index):
            return True
        lead = block.lead_in
        if lead is not None and (self.any(("citation",), doc.prose, *lead, doc.index)
                                 or self.any(("citation_markup",), doc.text, *lead)):
            return True
        # links and footnote references are markup, so look for them in the source text
        return self.any(("citation_markup",), doc.text, block.start, block.end)

    def refuted(self, doc: Document, block: Block, sentence: tuple[int, int]) -> bool:
        """The claim is quoted to be refuted: "Myth: ...", or followed by "It is not."."""
        if self.any(("refutation_marker",), doc.prose, *sentence, doc.index):
            return True
        sentences = block.sentences
        i = bisect.bisect_left(sentences, sentence[1], key=lambda s: s[0])  # the next sentence
        if i < len(sentences):
            nxt = sentences[i]
            m = self.lexicon.get("refutation_reply")
            if m is not None and m.match(doc.prose, nxt[0], nxt[1], timeout=time_left()):
                return True
        return False

    def reply(self, doc: Document, block: Block, sentence: tuple[int, int]) -> tuple[int, int] | None:
        """The sentence that answers ``sentence``: the next one in its block, or the first of
        the next block (an FAQ answer under its question heading)."""
        for s in block.sentences:
            if s[0] >= sentence[1]:
                return s
        i = block_index(doc, block)
        if 0 <= i < len(doc.blocks) - 1:
            following = doc.blocks[i + 1].sentences
            return following[0] if following else None
        return None

    def question(self, doc: Document, sentence: tuple[int, int]) -> bool:
        def ends_with_question_mark() -> bool:
            prose, start, end = doc.prose, sentence[0], sentence[1]
            while end > start and prose[end - 1].isspace():
                end -= 1
            return end > start and prose[end - 1] == "?"
        return bool(self.remember(("question", sentence), ends_with_question_mark))

    def attributed(self, doc: Document, sentence: tuple[int, int], start: int | None = None,
                   end: int | None = None) -> bool:
        """The sentence reports what someone else says ("marketers claim", "according to
        the FDA", "patients reported"), or the words at ``start:end`` stand in quotation
        marks (“detoxification”): the writer mentions them and does not assert them."""
        if start is not None and end is not None and quoted(doc.prose, start, end):
            return True
        if self.lexicon.search("attribution", doc.prose, *sentence, index=doc.index) is not None:
            return True
        lead = doc.lead_in(sentence[0])  # "Advocates claim that it can:" + an item
        return lead is not None and self.any(("attribution",), doc.prose, *lead, doc.index)

    def asserted(self, doc: Document, block: Block, sentence: tuple[int, int], start: int,
                 suppress: tuple[str, ...] = SUPPRESSORS, end: int | None = None) -> bool:
        """Whether the words at ``start`` are asserted by the writer as fact.

        The one test that claim rules, selling rules and the fair-balance document rule share
        (see ``../shared/ARCHITECTURE.md``): a statement is not asserted when it is asked
        (question), negated before it in its clause, hedged in its sentence, cited in its
        paragraph, quoted to be refuted, or attributed to someone else. ``suppress`` picks
        which of these apply: "no side effects" is an absolute that no hedge rescues, while
        "studies have shown" is rescued by a citation.
        """
        s = suppress
        if "question" in s and self.question(doc, sentence):
            return False
        if "negation" in s and self.negated(doc, sentence, start):
            return False
        if "hedge" in s and self.hedged(doc, sentence):
            return False
        if "attribution" in s and self.attributed(doc, sentence, start, end):
            return False
        if "citation" in s and self.cited(doc, block):
            return False
        if "refutation" in s and self.refuted(doc, block, sentence):
            return False
        return True

    def any(self, names: tuple[str, ...], text: str, start: int, end: int, index: Any = None) -> bool:
        return self.remember(("any", names, id(text), start, end), lambda: any(
            self.lexicon.search(n, text, start, end, index) is not None for n in names))
