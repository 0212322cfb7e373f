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
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterable, Iterator

import regex

FLAGS = regex.IGNORECASE | regex.VERSION1 | regex.UNICODE
#: Budget for one regex search, in seconds, when no rule budget is running (a check called
#: directly, a pattern tested at load time).
TIMEOUT = 2.0
#: Budget for ONE rule on ONE document: every regex call the rule makes draws on it. A
#: catastrophic pattern from a writer's rule folder is stopped and reported instead of
#: hanging a pre-commit hook, however many matches it is retried at. The budget grows
#: with the text so that honest rules on a very large file are never cut short: bundled
#: rules need well under a second per megabyte, so the per-megabyte share leaves a wide
#: margin even on a loaded machine.
RULE_BUDGET = 2.0
RULE_BUDGET_PER_MB = 10.0

_DEADLINE: ContextVar[float | None] = ContextVar("medlint_rule_deadline", default=None)


def rule_budget(text_length: int) -> float:
    """Seconds one rule may spend on a text of ``text_length`` code points."""
    return RULE_BUDGET + RULE_BUDGET_PER_MB * text_length / 1_000_000


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Run a block under a time budget that :func:`time_left` reports to every regex call.

    A context variable, not a global, so that threads linting in parallel each keep their
    own deadline.
    """
    token = _DEADLINE.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def time_left() -> float:
    """The ``timeout`` for the next regex call; raises ``TimeoutError`` once the budget is spent."""
    end = _DEADLINE.get()
    if end is None:
        return TIMEOUT
    left = end - time.monotonic()
    if left <= 0:
        raise TimeoutError("rule time budget exhausted")
    return left

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
    """Wrap a pattern so that it cannot start or end inside a word."""
    return rf"(?<![\w]){source}(?![\w])"


def alternation(terms: Iterable[str] = (), patterns: Iterable[str] = ()) -> str:
    parts = [term_to_regex(t) for t in terms] + [f"(?:{p})" for p in patterns]
    return "|".join(parts)


def compile_list(terms: Iterable[str] = (), patterns: Iterable[str] = ()) -> regex.Pattern[str] | None:
    """One bounded, case-insensitive alternation, or None for an empty list."""
    source = alternation(terms, patterns)
    if not source:
        return None
    return regex.compile(bounded(f"(?:{source})"), FLAGS)


def check_pattern(source: str) -> str | None:
    """Why a user-written pattern is unusable, or None if it is fine."""
    try:
        compiled = regex.compile(bounded(f"(?:{source})"), FLAGS)
    except regex.error as err:
        return f"invalid regular expression {source!r}: {err}"
    try:
        if compiled.fullmatch("", timeout=TIMEOUT) is not None or regex.fullmatch(
            f"(?:{source})", "", FLAGS, timeout=TIMEOUT
        ) is not None:
            return f"pattern {source!r} matches the empty string"
    except TimeoutError:
        return f"pattern {source!r} is too slow to test"
    return None
