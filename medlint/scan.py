"""One pass over a draft for every rule's literals; each rule's regex runs only where they are.

Running every rule's case-insensitive regex over the whole text costs about 100 ns per
character per rule in the ``regex`` module, so twenty-odd rules cap a linter at well under
1 MB/s. Here the text is folded to lower case once, one Aho-Corasick automaton (pyahocorasick)
finds every occurrence of every rule's literals (derived by :mod:`medlint.literals`), and a
rule's pattern is tried -- anchored, with ``Pattern.match`` -- only at the positions those
occurrences allow. The matches are exactly those of ``pattern.finditer(prose)``:

* a match can start only where one of the pattern's necessary literals sits at a known
  distance, so no other position can start a match;
* positions are tried left to right and the next try starts after the previous match, as
  ``finditer`` does (patterns that can match the empty string are never planned this way);
* ``match(prose, q)`` sees the whole text (look-behinds and ``\\b`` look before ``q``),
  so it answers exactly what ``finditer`` answers at ``q``.

Where the ``hyperscan`` wheel is installed, the candidate starts come from a native scan
instead (``MEDLINT_ENGINE=ac`` keeps the automaton): every alternative's relaxed Hyperscan
pattern (``prefilter.py``) is run over the reversed draft, so each end it reports is a
start where the alternative may match. Only the source of the starts changes; the
anchored attempts, the order and the skipping of overlaps below are the same.

A pattern whose literals cannot bound its start still skips drafts that lack them
("gate"); a pattern with no usable literal runs over the whole text ("full"). A draft whose
folding would change its length (it holds a character such as "ß" that folds to two) is
linted the plain way. ``tests/test_scan.py`` checks the result against the plain engine.
"""
from __future__ import annotations

import os
import threading
import time
from array import array
from bisect import bisect_left
from dataclasses import dataclass, replace
from string import ascii_lowercase
from typing import Any, Iterable, Iterator, Sequence

import re

import regex

from .patterns import CASE, time_left

try:  # pragma: no cover - exercised whichever way the machine is set up
    import ahocorasick as _ahocorasick
except ImportError:  # pragma: no cover
    _ahocorasick = None

#: the two engines that find candidate starts (``MEDLINT_ENGINE`` picks one)
HYPERSCAN, AHO_CORASICK = "hyperscan", "ac"
_hyperscan: Any = None  # the module, imported on first use (it is not on the cold path twice)


def _import_hyperscan() -> Any:
    global _hyperscan
    if _hyperscan is None:
        try:
            import hyperscan
        except ImportError:  # no wheel for this platform: the Aho-Corasick engine runs
            hyperscan = False
        _hyperscan = hyperscan
    return _hyperscan or None


def describe_engine() -> str:
    """One line for ``medlint --version``: which engine finds candidate starts, and why."""
    hs = _import_hyperscan()
    chosen = engine()
    if chosen == HYPERSCAN:
        return f"hyperscan {getattr(hs, '__version__', '?')} prefilter (MEDLINT_ENGINE=ac for the fallback)"
    why = "MEDLINT_ENGINE=ac" if hs is not None else "hyperscan is not installed for this platform"
    return f"aho-corasick literal scan ({why})"


def engine() -> str:
    """The engine this process uses: Hyperscan when it is installed, unless
    ``MEDLINT_ENGINE=ac`` asks for the Aho-Corasick fallback."""
    if os.environ.get("MEDLINT_ENGINE", "").strip().lower() in ("ac", "aho-corasick", "ahocorasick"):
        return AHO_CORASICK
    return HYPERSCAN if _import_hyperscan() is not None else AHO_CORASICK

FULL, GATE, ANCHORED = "full", "gate", "anchored"

_FLAGS = regex.IGNORECASE | regex.VERSION1
INF = 1 << 40  # literals.INF: the module itself is imported only to build a Scanner
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_char_map: dict[str, str | None] = {}
try:
    from regex import _regex as _regex_c  # characters the regex module folds to several

    _EXPANDS = frozenset(_regex_c.get_expand_on_folding())
except Exception:  # pragma: no cover - private API moved
    _EXPANDS = frozenset()


def _map_char(ch: str) -> str | None:
    """What a non-ASCII character becomes in folded text (None: folding is not safe)."""
    if ch in _EXPANDS or len(ch.casefold()) != 1:
        return None  # "ß" matches "ss": offsets would not line up
    if regex.fullmatch(r"\d", ch):
        return "0"  # literals from \\d hold every ASCII digit; "0" stands for any digit
    letters = [a for a in ascii_lowercase
               if regex.fullmatch(a, ch, _FLAGS) or regex.fullmatch(a.upper(), ch, _FLAGS)]
    if len(letters) == 1:
        return letters[0]  # the Kelvin sign is "k", dotless i is "i"
    if letters:
        return None
    low = ch.lower()
    return low if len(low) == 1 else ch


def fold(text: str) -> str | None:
    """``text`` folded so that literal matching agrees with ``regex`` IGNORECASE, or None.

    Same length as ``text`` (offsets carry over); None when that cannot be had.
    """
    if text.isascii():
        return text.lower()
    special: dict[str, str] = {}  # characters whose fold is not what lower() gives
    for ch in set(_NON_ASCII.findall(text)):
        if ch not in _char_map:
            _char_map[ch] = _map_char(ch)
        mapped = _char_map[ch]
        if mapped is None:
            return None
        if mapped != ch.lower():
            special[ch] = mapped
    out = text.lower()  # one C pass; str.translate with a table is ten times slower
    if len(out) != len(text):
        return None
    if special:
        chars = re.compile("[" + "".join(re.escape(c.lower()) for c in special) + "]")
        lowered = {c.lower(): m for c, m in special.items()}
        out = chars.sub(lambda m: lowered[m.group()], out)
    return out


@dataclass(frozen=True)
class Plan:
    """How one pattern is run.

    ``anchored``: the pattern is split into its top-level alternatives, each with its own
    slot in the scan; at a candidate position the alternatives that may start there are
    tried in their order in the pattern, which is what the combined pattern does there.
    """

    mode: str
    slots: tuple[int, ...] = ()
    alternatives: tuple[regex.Pattern[str], ...] = ()
    #: every alternative opens with ``(?<![\w])``: a match never starts right after a word
    #: character, so such candidate positions are dropped before any match is tried
    word_start: bool = False
    #: every candidate start was already checked against ``(?<![\w])`` by the scan (its
    #: literals sit at a fixed distance from the start), so the table need not check again
    checked: bool = False
    #: per alternative, how far an attempt can read (``literals.reach``), or None: the
    #: ``endpos`` that keeps a failed attempt from scanning the rest of a long draft
    reach: tuple[tuple[int, int, int] | None, ...] = ()
    #: (prefilter plans) every alternative's relaxed form opens with ``\\b``: on ASCII text
    #: Hyperscan's boundary is exactly ``(?<![\\w])`` there, so its starts need no check
    ascii_checked: bool = False
    #: (prefilter plans) some relaxed form closes with ``\\b`` for a ``(?![\\w])``: a search
    #: window that ends inside a word (where ``endpos`` hides the letter that follows, so the
    #: look-ahead holds) is searched plainly, since Hyperscan sees the whole text
    end_bounded: bool = False


def _key(pattern: regex.Pattern[str]) -> tuple[str, int]:
    return pattern.pattern, pattern.flags


# must stay in step with patterns.bounded(): a pattern in another shape is not split (still
# correct, but slower), and tests/test_scan.py checks that bounded patterns do split
_BOUND_OPEN, _BOUND_CLOSE = r"(?<![\w])(?=\S)(?:", r")(?![\w])"
_INLINE_FLAGS = r"\(\?[a-zA-Z0-9]*(?:-[a-zA-Z]*)?\)"
_BACKREF = r"\\[1-9gk]|\(\?P[=>]|\(\?&|\(\?R|\(\?[0-9]"


def split_alternatives(source: str) -> list[str]:
    """``bounded("A|B|C")`` -> ``[bounded("A"), bounded("B"), bounded("C")]``.

    At any position the combined pattern returns the first alternative that matches there
    (its lookarounds included), so trying the parts in order gives the same match. Patterns
    that are not in that shape, or whose parts could affect each other (inline flags that
    run to the end of the group, back references), stay whole.
    """
    prefix = CASE if source.startswith(CASE) else ""
    source = source[len(prefix):]
    if not (source.startswith(_BOUND_OPEN) and source.endswith(_BOUND_CLOSE)):
        return [prefix + source]
    body = _unwrap(source[len(_BOUND_OPEN):-len(_BOUND_CLOSE)])
    if re.search(_INLINE_FLAGS, body) or re.search(_BACKREF, body):
        return [prefix + source]
    parts: list[str] = []
    start = 0
    depth = 0
    for i, c, depth in _structure(body, 0):
        if c is None or depth < 0:
            return [prefix + source]  # a construct this reader does not follow, or unbalanced
        if c == "|" and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    if depth != 0:
        return [prefix + source]
    parts.append(body[start:])
    if len(parts) == 1:
        return [prefix + source]
    # a part may itself be a bounded word list (a rule naming two lists: "@relief|@efficacy"):
    # its own alternatives are split too, in order, so each gets its own slot
    return [sub for part in parts for sub in split_alternatives(prefix + _BOUND_OPEN + part + _BOUND_CLOSE)]


def _structure(body: str, i: int) -> Iterator[tuple[int, str | None, int]]:
    """The structural characters of a pattern from ``body[i]``: each unescaped ``(``, ``)``
    or ``|`` outside a character class, with the group depth after it. Yields ``(i, None,
    depth)`` and stops at a construct it does not follow (a nested set, a class opening
    with ``]``), or at an unclosed class; otherwise ends with ``(len(body), "", depth)``."""
    depth, in_class = 0, False
    while i < len(body):
        c = body[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            if c == "[":
                yield i, None, depth  # nested set: leave it to the regex module
                return
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            if body.startswith(("[^]", "[]"), i):
                yield i, None, depth
                return
        elif c in "()|":
            depth += 1 if c == "(" else -1 if c == ")" else 0
            yield i, c, depth
        i += 1
    yield len(body), (None if in_class else ""), depth


def _closing(body: str, i: int) -> int:
    """Index of the parenthesis that closes the group opened at ``body[i]`` (-1: none or
    a construct this reader does not follow, such as a nested set)."""
    for j, c, depth in _structure(body, i):
        if c is None:
            return -1
        if c == ")" and depth == 0:
            return j
    return -1


def _unwrap(body: str) -> str:
    """The alternation inside a body that is one group: ``(?:A|B)`` -> ``A|B``, and a
    word list bounded again inside a rule (``bounded((?:A|B))`` within ``bounded(...)``)
    -> ``A|B``. Matches are the same: the bounds are the same assertions at the same
    places, and a non-capturing group around the whole body changes nothing."""
    while True:
        if body.startswith(_BOUND_OPEN) and body.endswith(_BOUND_CLOSE) and \
                _closing(body, len(_BOUND_OPEN) - 3) == len(body) - len(_BOUND_CLOSE):
            body = body[len(_BOUND_OPEN):-len(_BOUND_CLOSE)]
            continue
        if body.startswith("(?:") and body.endswith(")") and _closing(body, 0) == len(body) - 1:
            body = body[3:-1]
            continue
        return body


class Scanner:
    """Compiled once per rule set (and cached with it): the automaton and every plan."""

    def __init__(self, patterns: Iterable[regex.Pattern[str]],
                 prefilter_only: Iterable[regex.Pattern[str]] = ()) -> None:
        """``prefilter_only``: patterns planned for the Hyperscan engine alone, searched in
        small windows (a sentence, a clause). Hyperscan finds their candidates for a small
        share of its scan, while each literal hit costs the Aho-Corasick engine a Python
        step, and a plain search of the window is cheaper there."""
        self.plans: dict[tuple[str, int], Plan] = {}
        self._literal_slots: dict[str, list[tuple[int, int, int, int]]] = {}
        #: reverse searches for "a character no match can hold before its literal"
        self.walks: list[regex.Pattern[str]] = []
        self._walk_ids: dict[str, int] = {}
        self.slots = 0
        self._word_start_slots: set[int] = set()
        for pattern in patterns:
            key = _key(pattern)
            if key not in self.plans:
                self.plans[key] = self._plan(pattern)
        self.automaton: Any = None
        if self._literal_slots:
            automaton = _ahocorasick.Automaton()
            for literal, entries in self._literal_slots.items():
                automaton.add_word(literal, self._payload(literal, dict.fromkeys(entries)))
            automaton.make_automaton()
            self.automaton = automaton
            # a slot with a start range or walk before a literal yields unchecked starts
            unchecked = {slot for entries in self._literal_slots.values()
                         for slot, lo, hi, _walk in entries if hi >= INF or lo != hi}
            self.plans = {key: replace(plan, checked=True) if plan.word_start and not (
                set(plan.slots) & unchecked) else plan for key, plan in self.plans.items()}
        del self._literal_slots, self._walk_ids, self._word_start_slots
        self._plan_prefilter(prefilter_only)

    # -- the Hyperscan prefilter (prefilter.py) -------------------------------------------
    def _plan_prefilter(self, only: Iterable[regex.Pattern[str]] = ()) -> None:
        """One relaxed Hyperscan pattern per alternative of every pattern; the database
        itself is compiled on first use (or before the rule set is pickled into the cache)."""
        from .literals import reach
        from .prefilter import relaxed

        self.hs_plans: dict[tuple[str, int], Plan] = {}
        self.hs_expressions: list[str] = []
        self.hs_database: bytes | None = None  # serialized; compiled on first use
        self._hs_state: Any = None  # (database, per-thread scratch), never pickled
        ids: dict[str, int] = {}
        planned = dict(self.plans)
        for pattern in only:
            planned.setdefault(_key(pattern), _FULL_PLAN)
        for key, plan in planned.items():
            source, flags = key
            sources = split_alternatives(source)
            forms = [relaxed(src) for src in sources]
            if any(f is None for f in forms):
                self.hs_plans[key] = _FULL_PLAN
                continue
            if plan.mode == ANCHORED and len(plan.alternatives) == len(sources):
                alternatives = plan.alternatives
            elif len(sources) == 1:
                alternatives = (regex.compile(source, flags),)
            else:
                alternatives = tuple(regex.compile(src, flags) for src in sources)
            # one expression (and one slot of starts) per distinct relaxed form: word lists
            # share words ("heal" is in two lists), and each would be reported twice
            slots = tuple(ids.setdefault(f, len(ids)) for f in forms if f is not None)
            word_start = all(a.pattern.startswith((_BOUND_OPEN, CASE + _BOUND_OPEN)) for a in alternatives)
            # a written-backwards form that ends in \b opens with it (prefilter._seq)
            self.hs_plans[key] = Plan(ANCHORED, slots,
                                      alternatives, word_start,
                                      reach=plan.reach or tuple(reach(a.pattern) for a in alternatives),
                                      ascii_checked=all(f is not None and f.endswith(r"\b") for f in forms),
                                      end_bounded=any(f is not None and f.startswith(r"\b") for f in forms))
        self.hs_expressions = list(ids)

    def _compile_prefilter(self) -> bytes | None:
        """The serialized database (empty bytes: Hyperscan refused it; the caller falls back)."""
        if self.hs_database is None:
            hs = _import_hyperscan()
            if hs is None:
                return None
            self.hs_database = _compiled(tuple(self.hs_expressions))
        return self.hs_database

    def __getstate__(self) -> dict[str, Any]:
        # the rules cache pickles the scanner: put the compiled database in it, so that a
        # cold start loads it (about 1 ms) instead of compiling it (seconds)
        self._compile_prefilter()
        state = dict(self.__dict__)
        state["_hs_state"] = None
        return state

    def _prefilter(self) -> Any:
        """(database, thread-local holder of this thread's scratch), or None."""
        state = self._hs_state
        if state is _BROKEN:
            return None
        if state is None:
            data = self._compile_prefilter()
            if not data:
                return None
            hs = _import_hyperscan()
            try:
                state = (hs.loadb(data, hs.HS_MODE_BLOCK), threading.local())
            except Exception:  # noqa: BLE001 - a database from another Hyperscan build
                state = _BROKEN
            self._hs_state = state
        return None if state is _BROKEN else state

    def _payload(self, literal: str, entries: Iterable[tuple[int, int, int, int]]) -> tuple[Any, ...]:
        """What the scan does at each occurrence of ``literal``, sorted by the work it needs.

        ``heads``: slots whose match starts at the literal and never right after a word
        character -- one check of the character before the literal decides for all of
        them, so an occurrence inside a longer word ("men" in "treatment") costs one test.
        ``fixed``: a start at a fixed distance before the literal (with that check when the
        pattern is word-bounded); ``spans``: a start anywhere in a bounded stretch before
        it; ``walks``: a start anywhere back to the first character no match can hold;
        ``gates``: the slot only needs to know the literal is in the draft.
        """
        heads, fixed, spans, walks, gates = [], [], [], [], []
        for slot, lo, hi, walk in entries:
            word_start = slot in self._word_start_slots
            if hi >= INF:
                if walk >= 0:
                    walks.append((slot, lo, walk))
                else:
                    gates.append(slot)
            elif lo != hi:
                spans.append((slot, lo, hi))
            elif lo == 0 and word_start:
                heads.append(slot)
            else:
                fixed.append((slot, lo, word_start))
        return (len(literal), tuple(heads), tuple(fixed), tuple(spans), tuple(walks), tuple(gates))

    def _plan(self, pattern: regex.Pattern[str]) -> Plan:
        from .literals import FULL_RUN_COST
        from .literals import anchors as find_anchors
        from .literals import cost as anchor_cost

        if _ahocorasick is None:
            return Plan(FULL)
        sources = split_alternatives(pattern.pattern)
        found = [find_anchors(src) for src in sources]
        if any(f is None for f in found):
            return Plan(FULL)
        modes = [ANCHORED if f.bounded and anchor_cost(f.items) <= FULL_RUN_COST * 8 else GATE
                 for f in found if f is not None]
        if GATE in modes:  # one part needs the whole text anyway: gate the whole pattern
            whole = find_anchors(pattern.pattern)
            if whole is None:
                return Plan(FULL)
            slot = self._add_slot(whole.items, gate=True)
            return Plan(GATE, (slot,), (pattern,))
        slots = tuple(self._add_slot(f.items, gate=False) for f in found if f is not None)
        alternatives = (pattern,) if len(sources) == 1 else tuple(
            regex.compile(src, pattern.flags) for src in sources)
        word_start = all(a.pattern.startswith((_BOUND_OPEN, CASE + _BOUND_OPEN)) for a in alternatives)
        if word_start:
            self._word_start_slots.update(slots)
        from .literals import reach

        return Plan(ANCHORED, slots, alternatives, word_start,
                    reach=tuple(reach(a.pattern) for a in alternatives))

    def _add_slot(self, items: Iterable[Any], gate: bool) -> int:
        from .literals import alphabet_class

        slot = self.slots
        self.slots += 1
        for a in items:
            walk = -1
            lo, hi = (0, INF) if gate else (a.lo, a.hi)
            if not gate and hi >= INF:
                source = CASE + "(?r)" + alphabet_class(a.before, negate=True)
                walk = self._walk_ids.setdefault(source, len(self._walk_ids))
                if walk == len(self.walks):
                    self.walks.append(regex.compile(source, _FLAGS))
            self._literal_slots.setdefault(a.literal, []).append((slot, lo, hi, walk))
        return slot

    def plan(self, pattern: regex.Pattern[str]) -> Plan:
        return self.plans.get(_key(pattern), _FULL_PLAN)

    def summary(self) -> dict[str, int]:
        out = {FULL: 0, GATE: 0, ANCHORED: 0}
        for p in self.plans.values():
            out[p.mode] += 1
        return out

    def index(self, prose: str, use: str | None = None) -> "Index | None":
        """Where each planned pattern may match in ``prose``; None: run everything plainly.

        ``use``: the engine (:func:`engine` by default)."""
        if (use or engine()) == HYPERSCAN and self.hs_expressions:
            state = self._prefilter()
            if state is not None:
                try:
                    return self._hs_index(prose, state)
                except Exception:  # noqa: BLE001 - a library error: the exact fallback runs
                    self._hs_state = _BROKEN
        if self.automaton is None:
            return None
        folded = fold(prose)
        if folded is None:
            return None
        # lists, not arrays: appending a Python int to a list is the cheapest step of this
        # loop, run at every literal hit (arrays made the fallback 3-7% slower, and did not
        # lower its peak on one 10 MB file: 304 MB against 308)
        starts: list[Any] = [[] for _ in range(self.slots)]
        gates: set[int] = set()
        walk_patterns = self.walks
        word = _ASCII_WORD
        for end, (length, heads, fixed, spans, walks, more_gates) in self.automaton.iter(folded):
            a = end - length + 1
            if heads:
                c = prose[a - 1] if a else " "
                if not (c in word or (c > "\x7f" and _is_word(c))):
                    for slot in heads:
                        got = starts[slot]
                        if got is not None:
                            got.append(a)
            for slot, lo, word_start in fixed:
                got = starts[slot]
                if got is None:
                    continue
                q = a - lo
                if word_start and q > 0:
                    c = prose[q - 1]
                    if c in word or (c > "\x7f" and _is_word(c)):
                        continue  # (?<![\w]) fails here: no match can start
                got.append(q)
            for slot, lo, hi in spans:
                got = starts[slot]
                if got is not None:
                    got.extend(range(a - hi, a - lo + 1))
            for slot, lo, walk in walks:  # walk back over what the match may hold before the literal
                got = starts[slot]
                if got is None:
                    continue
                stop = walk_patterns[walk].search(prose, max(0, a - 256), a)
                if stop is None and a > 256:
                    starts[slot] = None
                    continue
                first = stop.end() if stop is not None else 0
                got.extend(range(first, a - lo + 1))
            if more_gates:
                gates.update(more_gates)
        # past this many candidate starts a slot runs over the whole text instead: the scan
        # is never much slower than the plain engine, whatever the pattern
        budget = max(64, len(prose) // 16)
        for slot, got in enumerate(starts):
            if got is not None and len(got) > budget:
                starts[slot] = None
        return Index(self, gates, starts, prose)

    def _hs_index(self, prose: str, state: Any) -> "Index | None":
        from .prefilter import prepare

        data = prepare(prose, fold)
        if data is None:
            return None
        database, local = state
        scratch = getattr(local, "scratch", None)
        if scratch is None:
            scratch = local.scratch = _import_hyperscan().Scratch(database)
        n = len(data)
        # an array (4 bytes per candidate start) only for the few slots that get any: most of
        # ~640 never do on a given draft, and making them all cost a millisecond a draft
        starts: list[Any] = [()] * len(self.hs_expressions)
        touched: list[int] = []

        def found(i: int, _from: int, to: int, _flags: int, _context: Any) -> None:
            got = starts[i]
            if not got:
                got = starts[i] = array(_POSITION)
                touched.append(i)
            got.append(n - to)  # the end of a match in the reversed text: a start here

        database.scan(data, match_event_handler=found, scratch=scratch)
        del data
        budget = max(64, n // 16)  # as in index(): past it, the pattern runs plainly
        for slot in touched:
            got = starts[slot]
            if len(got) > budget:
                starts[slot] = None
            else:
                got.reverse()  # reported from the end of the draft back
        return Index(self, set(), starts, prose, self.hs_plans)


_POSITION = "i" if array("i").itemsize >= 4 else "l"  # array type of candidate starts
_BROKEN = ("broken",)  # Scanner._hs_state when the library failed: Aho-Corasick from then on
_compile_lock = threading.Lock()
_compiled_memo: dict[tuple[str, ...], bytes] = {}


def _compiled(expressions: tuple[str, ...]) -> bytes:
    """The serialized Hyperscan database of relaxed patterns (empty bytes: refused).

    Kept per process by its expressions: rule sets built in one process (tests, a server
    reloading its rules) share the bundled rules' patterns, and compiling takes seconds."""
    with _compile_lock:
        done = _compiled_memo.get(expressions)
        if done is None:
            hs = _import_hyperscan()
            try:
                done = _compile(hs, expressions)
            except Exception:  # noqa: BLE001 - one pattern Hyperscan will not take
                # ("" with HS_FLAG_ALLOWEMPTY matches everywhere: over its candidate budget,
                # so that pattern runs plainly and the rest keep the prefilter)
                try:
                    done = _compile(hs, tuple(e if _compiles(hs, e) else "" for e in expressions))
                except Exception:  # noqa: BLE001 - the Aho-Corasick engine runs instead
                    done = b""
            _compiled_memo[expressions] = done
        return done


def _compile(hs: Any, expressions: tuple[str, ...]) -> bytes:
    database = hs.Database(mode=hs.HS_MODE_BLOCK)
    # caseless: the text is folded already, and the patterns keep their ranges such as [A-Z]
    database.compile(expressions=[e.encode() for e in expressions], ids=list(range(len(expressions))),
                     elements=len(expressions), flags=hs.HS_FLAG_CASELESS | hs.HS_FLAG_ALLOWEMPTY)
    return bytes(hs.dumpb(database))


def _compiles(hs: Any, expression: str) -> bool:
    try:
        _compile(hs, (expression,))
    except Exception:  # noqa: BLE001
        return False
    return True


_FULL_PLAN = Plan(FULL)
#: drafts from this length up give each attempt an ``endpos`` (Index._limits); below it, a
#: failed attempt reads a short draft to its end quickly, and working out the limits costs
#: more (7% more instructions on a 5 KB draft)
_LONG_DRAFT = 32_768
_CHAR_REACH = 3  # literals._CHAR_REACH: the module itself is imported only to build a Scanner
#: long runs of characters that are never word characters (white space, and punctuation
#: runs such as "[\s,]+" consume: literals._is_space_class); Python's re, whose \W holds every
#: white-space character of the regex module's \s (tests/test_scan.py checks) and all ASCII
#: punctuation, finds them ten times faster, and a longer run only gives a later, still
#: exact, endpos
_LONG_SPACE = re.compile(r"\W{64,}")
_PIECE = 1 << 16  # characters split at a time by _longest_non_space (a list of 10K words at most)
#: on a long draft, a plan whose attempts could read more than this many times the draft's
#: length in all (candidate starts times each attempt's reach; an unknown reach counts as the
#: whole draft) runs its pattern over the whole text instead: the regex module's own search
#: is linear there, and the total stays linear whatever the pattern
_ATTEMPT_BUDGET = 256
_ONLY = (0,)  # the alternatives to try in a one-alternative plan


def _longest_non_space(text: str) -> int:
    """The longest run of characters that are not white space (``str.split``'s, which is
    ``re``'s: a run of ``\\w`` or ``[\\d,]`` in the regex module's sense lies inside one).

    ``str.split`` in pieces: four times faster than searching for ``\\S{64,}``, and the
    words of a 10 MB draft are never all held at once."""
    longest = run = 0
    for a in range(0, len(text), _PIECE):
        piece = text[a:a + _PIECE]
        words = piece.split()
        if not words:
            run = 0
            continue
        opens, closes = not piece[0].isspace(), not piece[-1].isspace()
        if len(words) == 1 and opens and closes:  # no white space at all: the run goes on
            run += len(piece)
            longest = max(longest, run)
            continue
        longest = max(longest, (run if opens else 0) + len(words[0]), max(map(len, words)))
        run = len(words[-1]) if closes else 0
    return longest


def _left(deadline: float) -> float:
    """Seconds until ``deadline`` for the next regex call; raises once it has passed."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("regex timed out")
    return left
_ABSENT, _PLAIN, _TABLE = 0, 1, 2  # Index._state()
_ALONE = tuple((i,) for i in range(256))  # Index._table(): "only alternative i starts here"

_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_word_chars: dict[str, bool] = {}


def _is_word(ch: str) -> bool:
    """Whether ``(?<![\\w])`` fails after ``ch`` (the regex module's own ``\\w`` decides)."""
    known = _word_chars.get(ch)
    if known is None:
        known = _word_chars[ch] = regex.match(r"\w", ch) is not None
    return known


def _inside_word(ch: str) -> bool:
    """Whether ``ch`` may be a word byte as Hyperscan reads the text (any non-ASCII
    character may fold to an ASCII letter: it counts). A window ends inside a word when
    the characters on both sides of its end may be."""
    return ch in _ASCII_WORD or ch > "\x7f"


class Index:
    """Per-draft result of the scan: answers ``finditer`` for each planned pattern."""

    __slots__ = ("scanner", "plans", "gates", "starts", "_done", "prose", "_status", "_units", "ascii")

    def __init__(self, scanner: Scanner, gates: set[int], starts: list[list[int] | None],
                 prose: str, plans: dict[tuple[str, int], Plan] | None = None) -> None:
        self.prose = prose
        self.scanner = scanner
        #: the plans whose slots ``starts`` answers (the Aho-Corasick or Hyperscan ones)
        self.plans = scanner.plans if plans is None else plans
        #: the prose is ASCII and the starts come from Hyperscan (Plan.ascii_checked)
        self.ascii = plans is not None and prose.isascii()
        self.gates = gates  # gate slots whose literals are in the draft
        self.starts = starts  # per slot: candidate starts, or None (run the pattern plainly)
        self._done: dict[Any, Any] = {}  # memo: two rules with one trigger scan it once
        self._status: dict[int, int] = {}  # memo of _state(): lexicon plans have ~30 slots
        self._units: list[int | None] = [None, None]  # _limits(): R and W, on first use

    def _state(self, plan: Plan) -> int:
        """ABSENT: none of the plan's literals in the prose; PLAIN: run the pattern itself
        (gated, or a slot over its candidate budget); TABLE: use the candidate table.

        Asked once per companion search and trigger, so it is worked out once per draft.
        """
        state = self._status.get(id(plan))
        if state is None:
            slots = plan.slots
            if plan.mode == GATE:
                state = _PLAIN if any(s in self.gates for s in slots) else _ABSENT
            elif None in (got := list(map(self.starts.__getitem__, slots))):
                state = _PLAIN
            elif not any(got):
                state = _ABSENT  # no candidate start: no match, as the table would find
            else:
                state = _TABLE
                if len(self.prose) >= _LONG_DRAFT and not self._affordable(plan):
                    state = _PLAIN
            self._status[id(plan)] = state
        return state

    def _affordable(self, plan: Plan) -> bool:
        """Whether trying ``plan`` at its candidate starts reads at most ``_ATTEMPT_BUDGET``
        times the draft in all. Each attempt reads at most its limit (:meth:`_limits`);
        one without a known limit may read to the end of the draft (the regex module
        looks ahead for a string the pattern requires), so a few thousand of them made a
        draft of a few hundred kilobytes take minutes."""
        positions, alts, limits = self._table(plan, len(self.prose))
        n = len(self.prose)
        budget = _ATTEMPT_BUDGET * n
        if limits is None or alts is None:
            worst = n if limits is None or min(limits) < 0 else max(limits)
            return len(positions) * worst <= budget
        # each candidate costs what the alternatives tried there may read: one alternative
        # of unknown reach (a look-behind) no longer makes every candidate of a 20-word
        # list cost the whole draft (on one 10 MB draft, two plans ran over the whole text
        # for that, a second and more each)
        reads = [n if r < 0 else r for r in limits]
        total = 0
        for ks in alts:
            for k in ks:
                total += reads[k]
            if total > budget:
                return False
        return True

    def absent(self, pattern: regex.Pattern[str]) -> bool:
        """Whether the scan proves ``pattern`` matches nowhere in the prose."""
        plan = self.plans.get(_key(pattern), _FULL_PLAN)
        return plan.mode != FULL and self._state(plan) == _ABSENT

    def finditer(self, pattern: regex.Pattern[str], prose: str, timeout: float | None,
                 lazy: bool = False) -> Iterator[Any]:
        """Exactly ``pattern.finditer(prose, timeout=timeout)``, tried only where it can match.

        ``lazy``: for a caller that may stop early (three health words are enough for the
        disclaimer rule): a list another rule already made is reused, but a new one is not
        made, since the caller may not read it to the end.
        """
        plan = self.plans.get(_key(pattern), _FULL_PLAN)
        if plan.mode == FULL:
            return pattern.finditer(prose, timeout=timeout)
        state = self._state(plan)
        if state == _ABSENT:
            return iter(())
        if state == _PLAIN:
            return pattern.finditer(prose, timeout=timeout)
        if lazy:
            done = self._done.get(id(plan))
            return iter(done) if done is not None else self._anchored(plan, prose, timeout)
        return self._memo(plan, prose, timeout)

    def _memo(self, plan: Plan, prose: str, timeout: float | None) -> Iterator[Any]:
        # a generator, so that a timeout is raised while iterating, as finditer raises it
        done = self._done.get(id(plan))
        if done is None:
            done = self._done[id(plan)] = list(self._anchored(plan, prose, timeout))
        yield from done

    #: windows shorter than this are searched directly: cheaper than looking up candidates
    SHORT = 0

    def search(self, pattern: regex.Pattern[str], prose: str, start: int, end: int,
               timeout: float | None) -> Any:
        """Exactly ``pattern.search(prose, start, end, timeout=timeout)``."""
        plan = self.plans.get(_key(pattern), _FULL_PLAN)
        if plan.mode == FULL:
            return pattern.search(prose, start, end, timeout=timeout)
        if plan.end_bounded and end < len(prose) and (
                end <= 0 or (_inside_word(prose[end]) and _inside_word(prose[end - 1]))):
            # the window ends inside a word: its end may satisfy a closing (?![\w]) that
            # the whole text, which Hyperscan read, does not
            return pattern.search(prose, start, end, timeout=timeout)
        state = self._state(plan)
        if state == _ABSENT:
            return None  # none of its literals anywhere in the prose
        if state == _PLAIN or end - start < self.SHORT:
            return pattern.search(prose, start, end, timeout=timeout)
        memo = (id(plan), start, end)  # a document-scope companion asked once per trigger
        if memo in self._done:
            return self._done[memo]  # type: ignore[index]
        found = self._search(plan, prose, start, end, timeout)
        self._done[memo] = found  # type: ignore[index]
        return found

    def finditer_window(self, pattern: regex.Pattern[str], prose: str, start: int, end: int,
                        timeout: float | None) -> Iterator[Any]:
        """Exactly ``pattern.finditer(prose, start, end, timeout=timeout)``.

        A planned pattern never matches the empty string, so ``finditer`` is one ``search``
        after another, each starting where the last match ended; each search uses the
        draft's candidate table (negation words in the clause before every claim).
        """
        plan = self.plans.get(_key(pattern), _FULL_PLAN)
        if plan.mode != ANCHORED:
            yield from pattern.finditer(prose, start, end, timeout=timeout)
            return
        # one budget for the whole iteration, as finditer (None: a vetted rule, no per-call limit)
        deadline = None if timeout is None else time.monotonic() + timeout
        pos = start
        while pos < end:
            left = None if deadline is None else _left(deadline)
            m = self.search(pattern, prose, pos, end, left)
            if m is None:
                return
            yield m
            pos = m.end()

    def _search(self, plan: Plan, prose: str, start: int, end: int, timeout: float | None) -> Any:
        positions, alts, limits = self._table(plan, len(prose))
        deadline = None if timeout is None else time.monotonic() + timeout
        for i in range(bisect_left(positions, start), len(positions)):
            q = positions[i]
            if q >= end:
                break
            for k in _ONLY if alts is None else alts[i]:
                m = self._attempt(plan, k, prose, q, end, limits, deadline)
                if m is not None:
                    return m
        return None

    @staticmethod
    def _attempt(plan: Plan, k: int, prose: str, q: int, end: int, limits: tuple[int, ...] | None,
                 deadline: float | None) -> Any:
        """Alternative ``k`` tried at ``q``, reading no further than it can need; None when
        it does not match there (or matches nothing, which finditer would skip)."""
        if limits is not None and limits[k] >= 0:
            end = min(end, q + limits[k])
        if deadline is None:
            time_left()  # the rule's budget, checked between calls
            m = plan.alternatives[k].match(prose, q, end)
        else:
            m = plan.alternatives[k].match(prose, q, end, timeout=_left(deadline))
        return m if m is not None and m.end() > m.start() else None

    def _limits(self, plan: Plan) -> tuple[int, ...] | None:
        """Per alternative, the furthest an attempt can read past its start in this draft
        (``-1``: unknown), or None for a short draft, where looking ahead costs little."""
        if len(self.prose) < _LONG_DRAFT or not plan.reach:
            return None
        space = word = 0
        if any(r is not None and r[1] for r in plan.reach):
            space = self._unit(0, _LONG_SPACE)
        if any(r is not None and r[2] for r in plan.reach):
            word = self._units[1]
            if word is None:
                word = self._units[1] = _CHAR_REACH * (_longest_non_space(self.prose) + 1)
        return tuple(-1 if r is None else r[0] + r[1] * space + r[2] * word + 1 for r in plan.reach)

    def _unit(self, i: int, runs: "re.Pattern[str]") -> int:
        """How far one unbounded run (of white space, i=0, or of anything else, i=1) can
        read in this draft: ``_CHAR_REACH`` per character of the longest run, and one more
        character (the one that ends it)."""
        unit = self._units[i]
        if unit is None:
            longest = max((m.end() - m.start() for m in runs.finditer(self.prose)), default=63)
            unit = self._units[i] = _CHAR_REACH * (longest + 1)
        return unit

    def _table(self, plan: Plan, n: int) -> tuple[Sequence[int], list[Sequence[int]] | None,
                                                  tuple[int, ...] | None]:
        """Sorted candidate starts, the alternatives that may start at each (beside it, at
        the same index; None: the plan has one), and each alternative's reach in this draft
        (:meth:`_limits`).

        Kept for the rest of the draft, so kept small: beside each start one reference to a
        shared tuple (a dict from start to alternatives cost 83 bytes a start, 15 MB on one
        10 MB draft), and, on a long draft, the starts in an array rather than as ints.
        """
        key = -id(plan)
        table = self._done.get(key)
        if table is None:
            alts: list[Sequence[int]] | None = None
            positions: Sequence[int]
            if len(plan.slots) == 1:  # one alternative: nothing to keep per position
                got = self.starts[plan.slots[0]] or ()
                # Hyperscan's starts come sorted and distinct (the array itself is the table)
                positions = got if self.plans is not self.scanner.plans else sorted(set(got))
                # starts lie before n; only a literal near the start can put one below 0
                if positions and positions[0] < 0:
                    del positions[:bisect_left(positions, 0)]  # type: ignore[union-attr]
            else:
                which: dict[int, Any] = {}  # position -> alternatives to try there
                if self.plans is not self.scanner.plans and self._distinct_table(plan, which):
                    positions = sorted(which)  # Hyperscan's starts lie in the draft
                else:
                    which.clear()
                    # slots in the order of their alternatives, so each list is in pattern order
                    for i, slot in enumerate(plan.slots):
                        for q in self.starts[slot] or ():
                            tried = which.get(q)
                            if tried is None:  # most starts: one shared tuple
                                which[q] = _ALONE[i] if i < len(_ALONE) else (i,)
                            elif tried[-1] != i:
                                which[q] = tried + (i,)
                    positions = sorted(q for q in which if 0 <= q < n)
                alts = list(map(which.__getitem__, positions))
                del which
            if plan.word_start and positions and not (plan.checked or (plan.ascii_checked and self.ascii)):
                prose = self.prose
                word = _ASCII_WORD
                if alts is None:
                    positions = [q for q in positions if q == 0 or not (
                        prose[q - 1] in word or (prose[q - 1] > "\x7f" and _is_word(prose[q - 1])))]
                else:
                    keep = [i for i, q in enumerate(positions) if q == 0 or not (
                        prose[q - 1] in word or (prose[q - 1] > "\x7f" and _is_word(prose[q - 1])))]
                    if len(keep) < len(positions):
                        alts = list(map(alts.__getitem__, keep))
                        positions = list(map(positions.__getitem__, keep))
            if n >= _LONG_DRAFT and positions.__class__ is list:
                positions = array(_POSITION, positions)
            table = self._done[key] = [positions, alts, self._limits(plan)]  # type: ignore[list-item]
        return table[0], table[1], table[2]  # type: ignore[return-value]

    def _distinct_table(self, plan: Plan, which: dict[int, Any]) -> bool:
        """Fill ``which`` with one shared tuple per alternative (in C, ``dict.fromkeys``), and
        say whether that holds every start: False when two alternatives start at one
        position (a later one overwrote an earlier one), and the caller builds lists."""
        total = 0
        starts = self.starts
        for i, slot in enumerate(plan.slots):
            got = starts[slot]
            if got:
                total += len(got)
                which.update(dict.fromkeys(got, _ALONE[i] if i < len(_ALONE) else (i,)))
        return len(which) == total

    def _anchored(self, plan: Plan, prose: str, timeout: float | None) -> Iterator[Any]:
        positions, alts, limits = self._table(plan, len(prose))
        deadline = None if timeout is None else time.monotonic() + timeout
        n = len(prose)
        cur = 0
        i = 0
        while i < len(positions):
            q = positions[i]
            if q < cur:  # inside the previous match, as finditer skips it
                i = bisect_left(positions, cur, i)
                continue
            for k in _ONLY if alts is None else alts[i]:
                m = self._attempt(plan, k, prose, q, n, limits, deadline)
                if m is not None:
                    yield m
                    cur = m.end()
                    break
            i += 1
