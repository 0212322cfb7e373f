"""Astral characters of a prose mask written as BMP stand-ins, so the mask takes 2 bytes a
character, not 4 (issue 16: one huge draft within a memory budget).

CPython stores a ``str`` at the width of its widest character: one emoji in a 10 MB draft
makes its prose mask 4 bytes a character (38 MB), where 2 would do for every other
character. The checks only ever ask of a prose character what ``regex`` classes and
``str`` methods answer (is it a word character, white space, a capital...), so an astral
character (above U+FFFF) can be written in the mask as a BMP character that answers every
one of those questions alike: its *stand-in*. Offsets do not move (one code point for one),
so every match, span and finding is where it was; :meth:`Document.shown` gives the prose
as written, for quoting.

A stand-in is chosen by comparing *profiles* (``profile``): membership of every class in
``PROBES`` (general categories, ``\\w``, ``\\s``, ``\\d``, POSIX classes, with and without
the rule flags, so case-insensitive matching is compared too), the Unicode category, the
``str`` predicates and case mappings, and NFKC. A character whose profile no stand-in has
(an astral letter or digit such as U+1D400 MATHEMATICAL BOLD CAPITAL A, which ``\\w``
matches and which folds) has no stand-in, and then nothing is narrowed: a mask holding one
such character stays 4 bytes a character anyway.

The stand-ins themselves are characters no rule mentions (a test checks the rule set).
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

import regex

#: the classes compared (the rules use ``\\w``, ``\\s``, ``\\d``, ``\\b``, ``\\p{L}``,
#: ``\\p{Lu}``, ``\\p{Ll}``, ``\\p{N}``, ``\\p{Pi}``, ``\\p{Ps}`` and ``.``; the rest are
#: compared so that a rule written tomorrow with another category finds the same)
PROBES = (
    r"\w", r"\s", r"\d", r"\p{L}", r"\p{Lu}", r"\p{Ll}", r"\p{Lt}", r"\p{Lm}", r"\p{Lo}",
    r"\p{M}", r"\p{N}", r"\p{Nd}", r"\p{Nl}", r"\p{No}", r"\p{P}", r"\p{Pi}", r"\p{Pf}",
    r"\p{Ps}", r"\p{Pe}", r"\p{Pd}", r"\p{Po}", r"\p{Pc}", r"\p{S}", r"\p{So}", r"\p{Sk}",
    r"\p{Sm}", r"\p{Sc}", r"\p{Z}", r"\p{C}", r"\p{Cf}", r"\p{Co}", r"\p{Cn}",
    r"\p{Alphabetic}", r"[[:alpha:]]", r"[[:punct:]]", r"[[:graph:]]", r"[[:print:]]", r".",
)
#: flags the probes are also compared under (the rules' own: patterns.FLAGS)
_RULE_FLAGS = regex.IGNORECASE | regex.VERSION1 | regex.UNICODE
_compiled: tuple[Any, ...] = ()


def _probes() -> tuple[Any, ...]:
    """The probes, compiled on first use: only a draft with an astral character asks, and
    compiling them at import was 3.6 ms of every cold ``medlint check``."""
    global _compiled
    if not _compiled:
        _compiled = tuple(regex.compile(p) for p in PROBES) + tuple(
            regex.compile("(?-f)" + p, _RULE_FLAGS) for p in PROBES)
    return _compiled
#: candidates, in order of preference: an emoji (U+231A WATCH, which also has the emoji
#: properties an emoji has), a symbol without them (U+FFFC OBJECT REPLACEMENT CHARACTER), a
#: modifier symbol (for skin tones), a format character (for tag characters) and a
#: private-use character
STAND_INS = ("\u231a", "\ufffc", "\u02c2", "\u2064", "\ue000")

_STR_TESTS = ("isalnum", "isalpha", "isdecimal", "isdigit", "isidentifier", "islower",
              "isnumeric", "isprintable", "isspace", "istitle", "isupper")


def profile(ch: str) -> tuple[Any, ...]:
    """Everything a check can ask of one character on its own, other than what it is."""
    return (
        tuple(p.fullmatch(ch) is not None for p in _probes()),
        unicodedata.category(ch),
        tuple(getattr(ch, name)() for name in _STR_TESTS),
        ch.lower() == ch, ch.upper() == ch, ch.casefold() == ch, ch.title() == ch,
        unicodedata.normalize("NFKC", ch) == ch, unicodedata.decomposition(ch) == "",
    )


_profiles: dict[str, tuple[Any, ...]] = {}  # each stand-in's, made with the first question
_memo: dict[str, str | None] = {}


def stand_in(ch: str) -> str | None:
    """The BMP character that answers for astral ``ch`` in a prose mask, or None."""
    found = _memo.get(ch, "")
    if found != "":
        return found
    if not _profiles:
        _profiles.update((s, profile(s)) for s in STAND_INS)
    want = profile(ch)
    found = next((s for s in STAND_INS if _profiles[s] == want), None)
    if len(_memo) < 4096:  # a long-running server meets bounded memory
        _memo[ch] = found
    return found


_FOUR_BYTE_LEAD = re.compile(rb"[\xf0-\xf4]")
_LEADS = (b"\xf0", b"\xf1", b"\xf2", b"\xf3", b"\xf4")


def narrow_utf8(out: bytearray) -> list[int] | None:
    """Write every four-byte character of ``out`` as its stand-in (three bytes) and one
    0xFF, in place, and return their byte offsets; None, with ``out`` unchanged, when one
    has no stand-in (or there are none).

    ``out`` is a prose mask in UTF-8 in which 0xFF bytes are fillers that decoding with
    ``errors="ignore"`` drops (``markdown._byte_mask``), so a character keeps its place.
    """
    find = out.find
    if all(find(lead) < 0 for lead in _LEADS):  # memchr: most drafts have none
        return None
    found = [m.start() for m in _FOUR_BYTE_LEAD.finditer(out)]
    chars: dict[bytes, bytes] = {}
    for i in found:
        raw = bytes(out[i:i + 4])
        if raw not in chars:
            try:
                ch = raw.decode("utf-8")
            except UnicodeDecodeError:  # not expected in a mask made from valid UTF-8
                return None
            sub = stand_in(ch)
            if sub is None:
                return None
            chars[raw] = sub.encode("utf-8") + b"\xff" * (4 - len(sub.encode("utf-8")))
    for i in found:
        out[i:i + 4] = chars[bytes(out[i:i + 4])]
    return found
