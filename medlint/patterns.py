"""Turning the words and patterns written in rule files into compiled regexes.

Rule authors write two kinds of entry:

* ``terms``: literal phrases. Case is ignored, a space matches any run of whitespace (so a
  phrase still matches across a hard line wrap), a hyphen is optional ("FDA-approved",
  "FDA approved") and straight and curly apostrophes are the same.
* ``patterns``: regular expressions in the syntax of the ``regex`` module.

Both are word-bounded at their ends and matched case-insensitively. Every list is compiled
into ONE alternation at load time, never per file.
"""
from __future__ import annotations

import time
from contextvars import ContextVar
from typing import Iterable

import regex

FLAGS = regex.IGNORECASE | regex.VERSION1 | regex.UNICODE
#: Every rule pattern starts with this: simple case folding. VERSION1 turns on *full* case
#: folding with IGNORECASE ("ss" matching "ß"), which makes the regex module up to 100 times
#: slower on patterns such as ``(?:[\w,'-]+\s+){0,6}?`` and compilation 3 times slower, for
#: letters that health drafts in English do not use.
CASE = "(?-f)"


def compile_pattern(source: str) -> regex.Pattern[str]:
    """Compile a rule pattern (case-insensitive, VERSION1, simple case folding)."""
    return regex.compile(CASE + source, FLAGS)


def source_of(pattern: regex.Pattern[str]) -> str:
    """The source of a compiled rule pattern without the case prefix (to embed it elsewhere)."""
    text = pattern.pattern
    return text[len(CASE):] if text.startswith(CASE) else text


#: Budget for one regex search, in seconds, when no rule budget is running (a check called
#: directly, a pattern tested at load time).
TIMEOUT = 2.0
#: Budget for ONE rule on ONE document: every regex call the rule makes draws on it. A
#: catastrophic pattern from a writer's rule folder is stopped and reported instead of
#: hanging a pre-commit hook, however many matches it is retried at. The budget grows
#: with the text so that honest rules on a very large file are not cut short: the slowest
#: bundled rule (promotion.call-to-action) needed over 10 s per megabyte on a loaded
#: 2-core machine, so the per-megabyte share is generous.
RULE_BUDGET = 2.0
RULE_BUDGET_PER_MB = 60.0

#: (deadline, per_call): the running rule's budget, and whether each regex call also gets
#: its own ``timeout``. Bundled rules are vetted (tests/test_vetted_patterns.py runs every
#: bundled pattern over adversarial text), so they skip the per-call timeout, which costs
#: the ``regex`` module ~2 us a call, a fifth of a warm lint; the budget is still checked
#: before every call. A writer's own rules keep the per-call timeout: one catastrophic call
#: of theirs is stopped inside the call.
_DEADLINE: ContextVar[tuple[float, bool] | None] = ContextVar("medlint_rule_deadline", default=None)


def rule_budget(text_length: int) -> float:
    """Seconds one rule may spend on a text of ``text_length`` code points."""
    return RULE_BUDGET + RULE_BUDGET_PER_MB * text_length / 1_000_000


class deadline:
    """Run a block under a time budget that :func:`time_left` reports to every regex call.

    ``per_call=False`` (vetted bundled rules): regex calls get no timeout of their own; the
    budget is checked between calls. A context variable, not a global, so that threads
    linting in parallel each keep their own deadline. A small class rather than a
    ``@contextmanager`` generator: it is entered once per rule per document, and the
    generator machinery cost a few microseconds each time.
    """

    __slots__ = ("_seconds", "_per_call", "_token")

    def __init__(self, seconds: float, per_call: bool = True) -> None:
        self._seconds = seconds
        self._per_call = per_call

    def __enter__(self) -> None:
        self._token = _DEADLINE.set((time.monotonic() + self._seconds, self._per_call))

    def __exit__(self, *exc: object) -> None:
        _DEADLINE.reset(self._token)


def time_left() -> float | None:
    """The ``timeout`` for the next regex call (None: no per-call timeout, the rule is
    vetted); raises ``TimeoutError`` once the budget is spent."""
    state = _DEADLINE.get()
    if state is None:
        return TIMEOUT
    end, per_call = state
    left = end - time.monotonic()
    if left <= 0:
        raise TimeoutError("rule time budget exhausted")
    return left if per_call else None

_SPACE = regex.compile(r"\s+")


def term_to_regex(term: str) -> str:
    """Regex source for a literal phrase, tolerant of wrapping, hyphens and apostrophes."""
    out: list[str] = []
    for ch in term.strip():
        if ch.isspace():
            if not out or out[-1] != r"\s+":
                out.append(r"\s+")
        elif ch in "-‐‑":
            out.append(r"[-‐‑\s]?")
        elif ch in "'’":
            out.append(r"['’]")
        else:
            out.append(regex.escape(ch))
    return "".join(out)


def bounded(source: str) -> str:
    r"""Wrap a pattern so that it cannot start or end inside a word, nor start on a space.

    A match never usefully starts on whitespace, and allowing it made patterns with a
    leading optional group followed by ``\s*`` quadratic on long blank runs (the prose mask
    blanks whole code blocks and scripts).
    """
    return rf"(?<![\w])(?=\S){source}(?![\w])"


def alternation(terms: Iterable[str] = (), patterns: Iterable[str] = ()) -> str:
    parts = [term_to_regex(t) for t in terms] + [f"(?:{p})" for p in patterns]
    return "|".join(parts)


def compile_list(terms: Iterable[str] = (), patterns: Iterable[str] = ()) -> regex.Pattern[str] | None:
    """One bounded, case-insensitive alternation, or None for an empty list."""
    source = alternation(terms, patterns)
    if not source:
        return None
    return compile_pattern(bounded(f"(?:{source})"))


#: Largest counted repeat (``x{1000}``) and largest pattern once its counted repeats are
#: unrolled. The ``regex`` module unrolls ``x{10000000}`` while compiling: 12 characters
#: took over 3 GB. Health phrases need repeats of a few words, not thousands.
MAX_REPEAT = 1000
MAX_UNROLLED = 20_000
MAX_UNROLLED_TOTAL = 200_000
_COUNTED = regex.compile(r"\{(\d*)(?:,(\d*))?\}")


def unrolled_size(source: str) -> tuple[int, int]:
    """(largest repeat count, size of ``source`` once counted repeats are unrolled), a
    conservative estimate from the pattern's text: escapes and character classes are
    skipped, and a count applies to the atom or group before it (nested counts multiply)."""
    largest = 0
    stack = [0]  # size of each open group so far
    last = 0  # size of the last atom or group, for a count that follows it
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c == "\\":
            i += 2
            stack[-1] += 1
            last = 1
            continue
        if c == "[":
            j = i + 1
            if j < n and source[j] == "^":
                j += 1
            if j < n and source[j] == "]":
                j += 1
            depth = 1
            while j < n and depth:
                if source[j] == "\\":
                    j += 2
                    continue
                if source[j] == "[":
                    depth += 1  # regex VERSION1 nested sets
                elif source[j] == "]":
                    depth -= 1
                j += 1
            i = j
            stack[-1] += 1
            last = 1
            continue
        if c == "(":
            stack.append(0)
            i += 1
            continue
        if c == ")":
            inner = stack.pop() if len(stack) > 1 else 0
            stack[-1] += inner
            last = inner
            i += 1
            continue
        if c == "{":
            m = _COUNTED.match(source, i)
            if m is not None and (m.group(1) or m.group(2)):
                low = int(m.group(1) or 0)
                high = int(m.group(2)) if m.group(2) else low
                count = max(low, high)
                largest = max(largest, count)
                # the atom is already counted once; the repeat adds (count - 1) copies
                stack[-1] += last * max(count - 1, 0)
                last = last * max(count, 1)
                i = m.end()
                continue
        stack[-1] += 1
        last = 1
        i += 1
    return largest, sum(stack)


def check_pattern(source: str) -> str | None:
    """Why a user-written pattern is unusable, or None if it is fine."""
    largest, size = unrolled_size(source)
    if largest > MAX_REPEAT:
        return (f"pattern {source!r} repeats {largest} times; counted repeats are limited to "
                f"{MAX_REPEAT} (a larger one takes gigabytes to compile)")
    if size > MAX_UNROLLED:
        return (f"pattern {source!r} is too large once its counted repeats are unrolled "
                f"(about {size} items, the limit is {MAX_UNROLLED})")
    try:
        compiled = compile_pattern(bounded(f"(?:{source})"))
    except regex.error as err:
        return f"invalid regular expression {source!r}: {err}"
    except (MemoryError, OverflowError, RecursionError) as err:
        return f"pattern {source!r} cannot be compiled ({type(err).__name__})"
    try:
        if compiled.fullmatch("", timeout=TIMEOUT) is not None or regex.fullmatch(
            f"{CASE}(?:{source})", "", FLAGS, timeout=TIMEOUT
        ) is not None:
            return f"pattern {source!r} matches the empty string"
    except TimeoutError:
        return f"pattern {source!r} is too slow to test"
    return None
