"""Relaxed Hyperscan patterns: where a rule's pattern may start, found by a native scan.

The exact engine (``scan.py``) tries a rule's own ``regex`` pattern, anchored, at candidate
starts. With the Aho-Corasick fallback those starts come from the pattern's literals, and most
of them ("at", "is", "men" inside "treatment") never become matches. Here each top-level
alternative of a pattern becomes a *relaxed* Hyperscan pattern, one whose matches are a
superset of the exact pattern's on the folded text, and Hyperscan (a compiled automaton in
C, ``pip install hyperscan``) reports where they can start. The exact attempt still decides:
the relaxed pattern only has to never miss a start.

Starts, not ends: Hyperscan reports the end of every match, and the leftmost start only
(``HS_FLAG_SOM_LEFTMOST``), which is not every start. So the relaxed pattern is written
backwards and run over the reversed text: every end it reports there is a start here.

The text Hyperscan sees is the folded prose (``scan.fold``: same length, lower case, the
few non-ASCII letters that ``regex`` equates with ASCII ones replaced by them, every decimal
digit ``0``) with each remaining non-ASCII character turned into one ``?`` byte, so byte
offsets are character offsets. The translation keeps the superset property over that text:

* ASCII literals stay (caseless); a non-ASCII literal that only ever matches itself
  (curly quotes, dashes) becomes ``?``; any other non-ASCII literal, negated class,
  ``.``, ``\\p{..}`` or back reference matches any byte;
* ``\\w`` and ``\\s`` also take ``?`` (a word or white-space character outside ASCII);
  ``\\W``, ``\\S`` and ``\\D`` already take it; ``\\d`` is ``[0-9]`` (non-ASCII digits
  are folded to ``0``);
* look-arounds and anchors are dropped (a weaker pattern), except ``(?<![\\w])`` before
  an ASCII word character and ``(?![\\w])`` after one, which become ``\\b``: there
  Hyperscan's ASCII boundary holds whenever the ``regex`` module's look-around does (a
  non-ASCII neighbour is ``?``, never a word byte, so it only widens). The closing one is
  exact for the whole text only: a search that stops at ``endpos`` inside a word sees the
  end of the text there, so ``Index.search`` runs such a window plainly
  (``Plan.end_bounded``). It keeps "treat" inside "treatment" from being a candidate;
  an optional ending (``treat(?:s|ed)?``) is looked through;
* lazy and possessive quantifiers become greedy, atomic groups plain ones (the same or a
  larger language); repeats above ``_MAX_REPEAT`` become unbounded.

Anything else (fuzzy matching, set operations, recursion: what ``literals._translate``
refuses) leaves the pattern without a relaxed form, and the engine runs it plainly.
"""
from __future__ import annotations

from typing import Any, Callable

from .literals import Unanalysable, _c, _parser, _translate, fold_char

_ANY = r"[\x00-\xff]"
_MAX_REPEAT = 32
_REPEATS = tuple(op for op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)) if op)
_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


class _Loose(Exception):
    """The pattern has no relaxed form worth scanning for."""


def _char(c: str) -> str:
    """One ASCII character, escaped for Hyperscan (PCRE syntax), in lower case."""
    c = c.lower()
    return c if c.isalnum() else f"\\x{ord(c):02x}"


def _category(av: Any) -> str:
    return {
        _c.CATEGORY_DIGIT: r"0-9", _c.CATEGORY_NOT_DIGIT: r"\D",
        _c.CATEGORY_SPACE: r"\s?", _c.CATEGORY_NOT_SPACE: r"\S",
        _c.CATEGORY_WORD: r"\w?", _c.CATEGORY_NOT_WORD: r"\W",
    }[av]


def _class(items: list[tuple[Any, Any]]) -> str:
    parts: list[str] = []
    for op, av in items:
        if op is _c.NEGATE:
            return _ANY
        if op is _c.LITERAL:
            ch = chr(av)
            if ch.isascii():
                parts.append(_char(ch))
            elif fold_char(ch) == ch:
                parts.append(r"\x3f")  # it stays itself, and non-ASCII text is "?"
            else:
                return _ANY
        elif op is _c.RANGE:
            lo, hi = av
            if hi > 0x7F:
                return _ANY
            parts.append(f"\\x{lo:02x}-\\x{hi:02x}")
        elif op is _c.CATEGORY:
            parts.append(_category(av))
        else:
            return _ANY
    return "[" + "".join(parts) + "]"


def _is_not_word_behind(op: Any, av: Any, direction: int = -1) -> bool:
    """``(?<![\\w])`` (``direction`` 1: ``(?![\\w])``)."""
    if op is not _c.ASSERT_NOT or av[0] != direction:
        return False
    sub = list(av[1])
    if len(sub) != 1:
        return False
    sop, sav = sub[0]
    if sop is _c.IN:
        return list(sav) == [(_c.CATEGORY, _c.CATEGORY_WORD)]
    return sop is _c.CATEGORY and sav is _c.CATEGORY_WORD


def _edge_word(items: list[tuple[Any, Any]], last: bool = False) -> bool:
    """Whether the first (``last``: the last) character any match of ``items`` consumes is
    always an ASCII word character (and every match consumes one)."""
    ok, nonempty = _edge(items, last)
    return ok and nonempty


def _edge(items: list[tuple[Any, Any]], last: bool) -> tuple[bool, bool]:
    """(every character a match of ``items`` can consume first -- ``last``: last -- is an
    ASCII word character, every match consumes one). An optional item at the edge is
    looked through: ``treat(?:s|ed)?`` always ends with a word character."""
    for op, av in (reversed(items) if last else items):
        ok, nonempty = _edge_node(op, av, last)
        if not ok:
            return False, False
        if nonempty:
            return True, True
    return True, False


def _edge_node(op: Any, av: Any, last: bool) -> tuple[bool, bool]:
    if op is _c.AT or op in (_c.ASSERT, _c.ASSERT_NOT):
        return True, False  # consumes nothing: the edge is further in
    if op is _c.LITERAL:
        return chr(av) in _ASCII_WORD, True
    if op is _c.IN:
        for iop, iav in av:
            if iop is _c.LITERAL and chr(iav) in _ASCII_WORD:
                continue
            if iop is _c.RANGE and all(chr(x) in _ASCII_WORD for x in range(iav[0], iav[1] + 1)):
                continue
            return False, False
        return bool(av), True
    if op is _c.SUBPATTERN:
        return _edge(list(av[-1]), last)
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _edge(list(av), last)
    if op is _c.BRANCH:
        edges = [_edge(list(b), last) for b in av[1]]
        return all(ok for ok, _ne in edges), all(ne for _ok, ne in edges)
    if op in _REPEATS:
        lo, hi, item = av
        ok, nonempty = _edge(list(item), last)
        return ok, nonempty and lo >= 1 and hi >= 1
    return False, False


def _distribute(items: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """A word boundary next to a group whose branches do not all end (or open) with an ASCII
    word character is copied into the group, so that the branches that do get Hyperscan's
    ``\\b``: in a word list with one ``immun\\w+``, the other words still must end where a
    word ends. The copy asserts the same thing at the same place."""
    out = list(items)
    for i, (op, av) in enumerate(items):
        closing = _is_not_word_behind(op, av, 1)
        if not (closing or _is_not_word_behind(op, av)):
            continue
        step = -1 if closing else 1
        j = i + step
        while 0 <= j < len(out) and out[j][0] in _ZERO_WIDTH:
            j += step
        if not 0 <= j < len(out):
            continue
        if (closing and _edge_word(out[:i], last=True)) or (not closing and _edge_word(out[i + 1:])):
            continue  # already a boundary as it stands
        inner = _into(out[j], (op, av), closing)
        if inner is not None:
            out[j] = inner
    return out


def _into(item: tuple[Any, Any], assertion: tuple[Any, Any], at_end: bool) -> tuple[Any, Any] | None:
    """``item`` (a group or an alternation) with ``assertion`` at its end or start."""
    op, av = item
    if op is _c.SUBPATTERN:
        body = list(av[-1])
        return op, (*av[:-1], body + [assertion] if at_end else [assertion] + body)
    if op is _c.BRANCH:
        return op, (av[0], [list(b) + [assertion] if at_end else [assertion] + list(b) for b in av[1]])
    return None


def _seq(items: list[tuple[Any, Any]], backwards: bool, after: bool = False) -> str:
    """``after``: every match of ``items`` follows a character some item before consumed."""
    items = _distribute(items)
    out: list[str] = []
    for i, (op, av) in enumerate(items):
        if _is_not_word_behind(op, av) and _edge_word(items[i + 1:]):
            out.append(r"\b")
        elif _is_not_word_behind(op, av, 1) and _edge_word(items[:i], last=True):
            out.append(r"\b")
        else:
            out.append(_node(op, av, backwards, after))
        if op not in _ZERO_WIDTH and not _nullable(op, av):
            after = True
    if backwards:
        out.reverse()
    return "".join(out)


def _node(op: Any, av: Any, backwards: bool, after: bool = False) -> str:
    if op is _c.LITERAL:
        ch = chr(av)
        if ch.isascii():
            return _char(ch)
        if fold_char(ch) == ch:
            return r"\x3f"
        return _ANY + "{1,3}"  # full case folding can make one character match up to three
    if op in (_c.NOT_LITERAL, _c.ANY):
        return _ANY
    if op is _c.IN:
        return _class(list(av))
    if op is _c.CATEGORY:
        return "[" + _category(av) + "]"
    if op is _c.AT or op in (_c.ASSERT, _c.ASSERT_NOT):
        return ""  # a condition on the text around: dropping it only widens the pattern
    if op is _c.SUBPATTERN:
        return "(?:" + _seq(list(av[-1]), backwards, after) + ")"
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return "(?:" + _seq(list(av), backwards, after) + ")"
    if op is _c.BRANCH:
        return "(?:" + "|".join(_seq(list(b), backwards, after) for b in av[1]) + ")"
    if op in _REPEATS:
        lo, hi, item = av
        if after and hi >= 2 and _compound(list(item)):
            chars = _union(list(item))
            # a repeated group of several items ("up to five words": (?:\s+[\w,'-]+){0,5})
            # becomes a run of any of their characters: Hyperscan follows one state for it
            # where the group unrolled into many (one such gap was 30% of the whole scan).
            # Not where a match may open with it: written backwards, a run at the end would
            # report a start at each of its characters.
            return (_ANY if chars is None else "[" + "".join(sorted(set(chars))) + "]") + "*"
        body = _seq(list(item), backwards, after)
        if not body:
            return ""
        if hi >= _c.MAXREPEAT or hi > _MAX_REPEAT:
            hi = -1
        lo = min(lo, _MAX_REPEAT)
        if hi == 0:
            return ""
        quant = "*" if (lo, hi) == (0, -1) else "+" if (lo, hi) == (1, -1) else \
            "?" if (lo, hi) == (0, 1) else f"{{{lo},}}" if hi < 0 else \
            f"{{{lo}}}" if lo == hi else f"{{{lo},{hi}}}"
        return "(?:" + body + ")" + quant
    if op is _c.GROUPREF:
        return _ANY + "*"
    if op is _c.GROUPREF_EXISTS:
        _group, yes, no = av
        return "(?:" + _seq(list(yes), backwards) + "|" + (_seq(list(no), backwards) if no else "") + ")"
    raise _Loose(f"no relaxed form for {op}")


def _compound(items: list[tuple[Any, Any]]) -> bool:
    """Whether a repeat's body is more than one character class or literal."""
    consuming = [(op, av) for op, av in items if op not in _ZERO_WIDTH]
    if len(consuming) != 1:
        return bool(consuming)
    op, av = consuming[0]
    if op is _c.SUBPATTERN:
        return _compound(list(av[-1]))
    return op in _REPEATS or op is _c.BRANCH or op is getattr(_c, "ATOMIC_GROUP", None)


def _union(items: list[tuple[Any, Any]]) -> list[str] | None:
    """The Hyperscan class parts for every character ``items`` can take (None: any byte)."""
    out: list[str] = []
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        if op is _c.LITERAL:
            node = _node(op, av, True)
            if node.startswith(_ANY):
                return None
            out.append(node)
        elif op is _c.IN:
            cls = _class(list(av))
            if cls == _ANY:
                return None
            out.append(cls[1:-1])
        elif op is _c.CATEGORY:
            out.append(_category(av))
        elif op is _c.SUBPATTERN:
            inner = _union(list(av[-1]))
            if inner is None:
                return None
            out.extend(inner)
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            inner = _union(list(av))
            if inner is None:
                return None
            out.extend(inner)
        elif op is _c.BRANCH:
            for b in av[1]:
                inner = _union(list(b))
                if inner is None:
                    return None
                out.extend(inner)
        elif op in _REPEATS:
            inner = _union(list(av[2]))
            if inner is None:
                return None
            out.extend(inner)
        else:
            return None
    return out


_ZERO_WIDTH = (_c.AT, _c.ASSERT, _c.ASSERT_NOT)


def _nullable(op: Any, av: Any) -> bool:
    """Whether the item can match the empty string (zero-width assertions aside)."""
    if op in _REPEATS:
        return av[0] == 0 or all(o in _ZERO_WIDTH or _nullable(o, a) for o, a in av[2])
    if op is _c.SUBPATTERN:
        return all(o in _ZERO_WIDTH or _nullable(o, a) for o, a in av[-1])
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return all(o in _ZERO_WIDTH or _nullable(o, a) for o, a in av)
    if op is _c.BRANCH:
        return any(all(o in _ZERO_WIDTH or _nullable(o, a) for o, a in b) for b in av[1])
    return False


def _lookahead_consumed(items: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """A look-ahead that closes the pattern, read as text the match goes on with.

    Written backwards, what follows a match comes before it, and the reported end (the
    start of the match) stays where it was: ``,(?=\\s+and)`` becomes ``dna\\s+,`` over the
    reversed text, so a comma before anything but "and" is no candidate. Assertions after
    the look-ahead are dropped (they spoke of the position the look-ahead starts at)."""
    out = list(items)
    j = len(out) - 1
    while j >= 0 and out[j][0] in _ZERO_WIDTH and not (out[j][0] is _c.ASSERT and out[j][1][0] == 1):
        j -= 1
    if j < 0:
        return out
    op, av = out[j]
    if op is _c.ASSERT and av[0] == 1:
        return out[:j] + [(_c.SUBPATTERN, (None, 0, 0, list(av[1])))]
    if op is _c.SUBPATTERN and j == len(out) - 1:
        return out[:j] + [(op, (*av[:-1], _lookahead_consumed(list(av[-1]))))]
    if op is _c.BRANCH and j == len(out) - 1:
        return out[:j] + [(op, (av[0], [_lookahead_consumed(list(b)) for b in av[1]]))]
    return out


def relaxed(source: str, backwards: bool = True) -> str | None:
    """A Hyperscan pattern (PCRE syntax, to compile caseless) matching a superset of what
    ``source`` (``regex``-module syntax) matches on prepared text, written backwards for the
    reversed text by default; None when there is none."""
    if source.startswith("(?-f)"):
        source = source[5:]
    try:
        items = list(_parser.parse(_translate(source), 0))
        if backwards:
            items = _lookahead_consumed(items)
        out = _seq(items, backwards)
    except (_Loose, Unanalysable, RecursionError, KeyError):
        return None
    except Exception:  # noqa: BLE001 - re's parser rejects regex-only syntax
        return None
    return out or None


#: characters folded at a time by :func:`prepare` (256 KB of a four-byte draft: 2.5 times less
#: transient memory than 1 << 18, and no slower): a draft with one emoji is stored with four
#: bytes per character, so folding a 10 MB draft whole made a 40 MB copy
_PIECE = 1 << 16


def prepare(prose: str, fold: Callable[[str], str | None]) -> bytearray | None:
    """The reversed bytes Hyperscan scans: ``fold(prose)`` with one byte per character,
    non-ASCII as ``?``; None when the prose cannot be folded (``scan.fold``).

    Folded piece by piece (folding maps each character on its own), so the only copy of
    the whole draft is the one byte per character Hyperscan reads."""
    n = len(prose)
    if n <= _PIECE:
        folded = fold(prose)
        return None if folded is None else bytearray(folded.encode("ascii", "replace")[::-1])
    out = bytearray(n)
    for a in range(0, n, _PIECE):
        b = min(n, a + _PIECE)
        folded = fold(prose[a:b])
        if folded is None:
            return None
        out[n - b:n - a] = folded.encode("ascii", "replace")[::-1]
    return out
