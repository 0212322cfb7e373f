"""Required literals of a rule's regular expression, derived automatically at load time.

The fast engine (``scan.py``) finds every rule's literals in one pass over the text and runs a
rule's full pattern only where one of its literals occurs. For that to give exactly the
findings of running the pattern over the whole text, the literals must be *necessary*: every
match of the pattern must contain one of them, at a known distance from the match start.
This module works that out from the pattern itself, so rule authors never write anchors.

``anchors(source)`` parses the pattern with Python's own regex parser (``re._parser``, which
knows possessive quantifiers and atomic groups from 3.11 on) after translating the few
``regex``-module constructs the rules use (``\\p{..}`` classes, ``\\m``/``\\M``, named groups
written ``(?<name>..)``). Anything the translation cannot vouch for -- nested or set-operation
classes, fuzzy ``{e<=1}`` matching, ``\\G``, branch reset, recursion, variable inline flags --
makes the pattern *unanalysable*, and the rule simply runs over the whole text as before.

The result is a set of anchors ``(literal, lo, hi)``: every match starting at offset ``q``
has one of the literals, folded to lower case, at ``q + d`` for some ``lo <= d <= hi``.
When ``hi`` is unbounded (a literal after ``\\s+`` or ``\\w+``) the literals still gate the
rule per document ("no literal in this draft, no match"), but cannot place the match.

Case: literals are ASCII or caseless punctuation only, folded with ``str.lower``; the text is
folded by ``scan.fold`` so that whatever the ``regex`` module's case-insensitive (even
full-case-folding) matching equates, the folded text and literal agree. Pattern characters
that fold to several characters (``ß`` matches ``ss``) are treated as non-literal with a
width of one to three characters.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Iterable

try:  # Python 3.11+
    import re._parser as _parser  # type: ignore[import-not-found]
    from re import _constants as _c  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _parser  # type: ignore[no-redef]

#: Stand-in for "no upper bound" in widths and offsets.
INF = 1 << 40
#: Largest set of alternative strings a literal run may expand to ("don['’]t" -> 2).
MAX_SET = 1000
#: Relative cost of running a pattern over every position of a text, compared with one
#: anchored match attempt at a candidate position (measured: an anchored ``match`` call costs
#: about as much as scanning 20-40 characters with a case-insensitive pattern).
FULL_RUN_COST = 0.04


class Unanalysable(Exception):
    """The pattern uses syntax whose literals this module cannot vouch for."""


#: What a stretch of a match may consist of: atoms are single pattern characters, ``("-", lo,
#: hi)`` ranges and ``("\\", letter)`` categories (``\\s``, ``\\w``, ``\\d`` and their negations).
#: ``None`` means any character at all.
Alphabet = "frozenset[Any] | None"


@dataclass(frozen=True)
class Anchor:
    literal: str  # folded
    lo: int
    hi: int  # INF when unbounded
    #: for an unbounded anchor: the alphabet of everything a match holds before the literal,
    #: so the scan can walk back from the literal to the earliest possible start
    before: Any = frozenset()


@dataclass(frozen=True)
class Anchors:
    """Where a pattern's matches can start, in terms of literals; see the module docstring."""

    items: tuple[Anchor, ...]

    @property
    def bounded(self) -> bool:
        """Every match start can be placed near a literal (a finite range or a short walk back)."""
        return all(a.hi < INF or _walk_back(a.before) < INF for a in self.items)

    @property
    def literals(self) -> frozenset[str]:
        return frozenset(a.literal for a in self.items)


def alphabet_class(alphabet: Any, negate: bool = False) -> str:
    """A character class (``regex`` syntax) for an alphabet."""
    parts = []
    for atom in sorted(alphabet, key=repr):
        if isinstance(atom, str):
            parts.append(f"\\U{ord(atom):08x}")
        elif atom[0] == "-":
            parts.append(f"\\U{atom[1]:08x}-\\U{atom[2]:08x}")
        else:
            parts.append("\\" + atom[1])
    return "[" + ("^" if negate else "") + "".join(parts) + "]"


# -- translating regex-module syntax to something re._parser reads the same way ------------
def _translate(source: str) -> str:
    out: list[str] = []
    i, n = 0, len(source)
    in_class = False
    while i < n:
        c = source[i]
        if c == "\\":
            if i + 1 >= n:
                raise Unanalysable("trailing backslash")
            d = source[i + 1]
            if d in "pP":  # \p{Lu}, \P{L}, \pL: a one-character class
                if i + 2 < n and source[i + 2] == "{":
                    j = source.find("}", i + 3)
                    if j < 0:
                        raise Unanalysable("unterminated \\p{")
                    i = j + 1
                else:
                    i += 3
                # any character at all, as far as literals and walk-back alphabets go: a \d
                # here once made "[\p{L}]" an exact set of digits and a walk back stop at
                # letters, so matches starting at a capital were never tried
                out.append(r"\w\W" if in_class else r"[\w\W]")
                continue
            if d in "mM" and not in_class:  # start/end of word: zero-width
                out.append(r"\b")
                i += 2
                continue
            if d == "G":
                raise Unanalysable("\\G depends on where a search starts")
            out.append(source[i:i + 2])
            i += 2
            continue
        if in_class:
            if c == "[":
                raise Unanalysable("nested character class or POSIX class")
            if source.startswith(("--", "&&", "||", "~~"), i):
                raise Unanalysable("character class set operation")
            if c == "]":
                in_class = False
            out.append(c)
            i += 1
            continue
        if c == "[":
            j = i + 1
            if j < n and source[j] == "^":
                j += 1
            if j < n and source[j] == "]":
                raise Unanalysable("class starting with ']'")
            in_class = True
            out.append(source[i:j])
            i = j
            continue
        if c == "{":
            j = source.find("}", i)
            body = source[i + 1:j] if j > 0 else ""
            if j < 0 or not _is_quantifier(body):
                raise Unanalysable("brace that is not a plain quantifier (fuzzy matching?)")
            out.append(source[i:j + 1])
            i = j + 1
            continue
        if source.startswith("(?<", i) and i + 3 < n and source[i + 3] not in "=!":
            out.append("(?P<")  # (?<name>...) is (?P<name>...)
            i += 3
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _is_quantifier(body: str) -> bool:
    lo, sep, hi = body.partition(",")
    if not (lo.isdigit() or (sep and lo == "")):
        return False
    return hi == "" or hi.isdigit()


# -- folding --------------------------------------------------------------------------------
def fold_char(c: str) -> str | None:
    """A pattern character as it appears in folded text, or None if it is not a safe literal.

    ASCII folds with ``lower``; caseless punctuation (curly quotes, dashes) stays itself;
    letters outside ASCII are not used as literals (their case-insensitive matches are the
    ``regex`` module's business, and some fold to several characters).
    """
    if c.isascii():
        return c.lower()
    if c.lower() == c and c.upper() == c and c.casefold() == c and not c.isalpha():
        return c
    return None


def _char_width(c: str) -> int:
    return max(1, len(c.casefold()), len(c.upper()), len(c.lower()))


def _union(a: Any, b: Any) -> Any:
    return None if a is None or b is None else a | b


@dataclass
class _Info:
    minw: int
    maxw: int
    exact: frozenset[str] | None  # every string the node can match (folded), if few
    anchors: tuple[Anchor, ...] | None  # best necessary anchor set, or None
    alphabet: Any = None  # what the node may consume (None: anything)


_EMPTY = _Info(0, 0, frozenset({""}), None, frozenset())

# rough chance that a folded character starts a literal occurrence at a given position
_LETTER_P = {c: 0.02 for c in "bcdfgjkmpquvwxyz"}
_LETTER_P.update({c: 0.07 for c in "etaoinshrl"})


def _string_p(s: str) -> float:
    p = 1.0
    for ch in s:
        if ch.isalpha():
            p *= _LETTER_P.get(ch, 0.05)
        elif ch == " ":
            p *= 0.16
        elif ch.isdigit():
            p *= 0.002
        else:
            p *= 0.02
    return p


def _walk_back(alphabet: Any) -> float:
    """Expected number of start positions a walk back over ``alphabet`` yields."""
    if alphabet is None:
        return INF
    cats = {a[1] if a[0] == "\\" else "w" for a in alphabet if not isinstance(a, str)}
    chars = [a for a in alphabet if isinstance(a, str)]
    space = "s" in cats or bool(cats & {"S", "W", "D"}) or any(c.isspace() for c in chars)
    word = bool(cats & {"w", "S", "W", "D"})
    if space and word:
        return INF  # a walk back over words and spaces can cross a whole paragraph
    if word:
        return 10.0  # back to the start of the word
    return 2.0 + 3 * sum(c.isalnum() for c in chars)


def cost(anchors: Iterable[Anchor]) -> float:
    """Expected anchored match attempts per text position (lower is better)."""
    total = 0.0
    for a in anchors:
        if a.hi >= INF:
            walk = _walk_back(a.before)
            if walk >= INF:
                return FULL_RUN_COST + _string_p(a.literal)  # gate only: whole-text runs
            total += _string_p(a.literal) * walk
        else:
            total += _string_p(a.literal) * (a.hi - a.lo + 1)
    return total


def _add(a: int, b: int) -> int:
    return INF if a >= INF or b >= INF else a + b


def _mul(n: int, w: int) -> int:
    if n == 0 or w == 0:
        return 0
    return INF if n >= INF or w >= INF else n * w


def _shift(anchors: tuple[Anchor, ...], lo: int, hi: int, before: Any) -> tuple[Anchor, ...]:
    return tuple(Anchor(a.literal, _add(a.lo, lo), _add(a.hi, hi), _union(before, a.before))
                 for a in anchors)


def _best(candidates: list[tuple[Anchor, ...]]) -> tuple[Anchor, ...] | None:
    if not candidates:
        return None
    return min(candidates, key=lambda c: (cost(c), len(c)))


def _literal_set(strings: frozenset[str]) -> tuple[Anchor, ...] | None:
    if not strings or "" in strings:
        return None
    return tuple(Anchor(s, 0, 0) for s in sorted(strings))


_REPEATS = tuple(op for op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)) if op)
_ZERO_WIDTH = (_c.AT, _c.ASSERT, _c.ASSERT_NOT)


def _sequence(items: list[tuple[Any, Any]], expand: int = 3) -> _Info:
    """A sequence; an optional first element is also tried as present and as absent, so that
    "(?:a\\s+)?small\\s+bump" is anchored on "a" or "small" at the start, not on "bump"."""
    plain = _plain_sequence(items)
    k = next((i for i, (op, _av) in enumerate(items) if op not in _ZERO_WIDTH), None)
    if expand <= 0 or k is None or items[k][0] not in _REPEATS:
        return plain
    lo, hi, body = items[k][1]
    if lo != 0 or hi != 1 or (plain.anchors is not None and cost(plain.anchors) < FULL_RUN_COST / 10):
        return plain
    without = _sequence(items[:k] + items[k + 1:], expand - 1)
    present = _sequence(items[:k] + list(body) + items[k + 1:], expand - 1)
    both = [i.anchors if i.anchors is not None else _literal_set(i.exact or frozenset())
            for i in (without, present)]
    if any(b is None for b in both):
        return plain
    merged = tuple(dict.fromkeys(both[0] + both[1]))  # type: ignore[operator]
    if plain.anchors is not None and cost(plain.anchors) <= cost(merged):
        return plain
    return _Info(plain.minw, plain.maxw, plain.exact, merged, plain.alphabet)


def _plain_sequence(items: list[tuple[Any, Any]]) -> _Info:
    infos = [_node(op, av) for op, av in items]
    minw = maxw = 0
    alphabet: Any = frozenset()
    candidates: list[tuple[Anchor, ...]] = []
    run: frozenset[str] | None = None  # literal strings of the current run
    run_lo = run_hi = 0
    run_before: Any = frozenset()

    def close() -> None:
        if run is not None:
            lits = _literal_set(run)
            if lits:
                candidates.append(_shift(lits, run_lo, run_hi, run_before))

    for info in infos:
        if info.exact is not None:
            if run is None:
                run, run_lo, run_hi, run_before = info.exact, minw, maxw, alphabet
            else:
                grown = frozenset(a + b for a, b in itertools.product(run, info.exact))
                if len(grown) <= MAX_SET:
                    run = grown
                else:
                    close()
                    run, run_lo, run_hi, run_before = info.exact, minw, maxw, alphabet
        else:
            close()
            run = None
            if info.anchors is not None:
                candidates.append(_shift(info.anchors, minw, maxw, alphabet))
        minw, maxw = _add(minw, info.minw), _add(maxw, info.maxw)
        alphabet = _union(alphabet, info.alphabet)
    close()
    exact: frozenset[str] | None = frozenset({""})
    for info in infos:
        if exact is None or info.exact is None:
            exact = None
            break
        exact = frozenset(a + b for a, b in itertools.product(exact, info.exact))
        if len(exact) > MAX_SET:
            exact = None
    return _Info(minw, maxw, exact, _best(candidates), alphabet)


def _alternatives(infos: list[_Info]) -> _Info:
    minw = min(i.minw for i in infos)
    maxw = max(i.maxw for i in infos)
    alphabet: Any = frozenset()
    for i in infos:
        alphabet = _union(alphabet, i.alphabet)
    exact: frozenset[str] | None = None
    if all(i.exact is not None for i in infos):
        union = frozenset().union(*(i.exact for i in infos if i.exact is not None))
        exact = union if len(union) <= MAX_SET else None
    anchors: tuple[Anchor, ...] | None = ()
    for i in infos:
        own = i.anchors
        if i.exact is not None:
            lits = _literal_set(i.exact)
            own = _best([c for c in (own, lits) if c])
        if own is None:
            anchors = None
            break
        anchors = anchors + own  # type: ignore[operator]
    if anchors is not None:
        anchors = tuple(dict.fromkeys(anchors))
    return _Info(minw, maxw, exact, anchors or None, alphabet)


def _class(items: list[tuple[Any, Any]]) -> _Info:
    chars: set[str] = set()
    atoms: set[Any] = set()
    exact = True
    width = 1
    negated = False
    for op, av in items:
        if op is _c.LITERAL:
            ch = chr(av)
            width = max(width, _char_width(ch))
            atoms.add(ch)
            folded = fold_char(ch)
            if folded is None:
                exact = False
            else:
                chars.add(folded)
        elif op is _c.RANGE:
            lo, hi = av
            atoms.add(("-", lo, hi))
            if hi > 0x7F:
                width = 3  # a range past ASCII may hold characters that fold to several
                exact = False
            elif hi - lo > 8:
                exact = False
            else:
                chars.update(chr(x).lower() for x in range(lo, hi + 1))
        elif op is _c.CATEGORY:
            letter = _CATEGORIES.get(av)
            if letter is None:
                raise Unanalysable(f"unknown class category {av}")
            atoms.add(("\\", letter))
            if av is _c.CATEGORY_DIGIT:
                chars.update("0123456789")  # scan.fold folds every decimal digit to "0"
            else:
                exact = False
        else:  # NEGATE
            exact = False
            negated = True
    if negated:
        return _Info(1, 1, None, None, None)
    alphabet = None if width > 1 else frozenset(atoms)
    return _Info(1, width, frozenset(chars) if exact and chars else None, None, alphabet)


_CATEGORIES = {
    _c.CATEGORY_DIGIT: "d", _c.CATEGORY_NOT_DIGIT: "D", _c.CATEGORY_SPACE: "s",
    _c.CATEGORY_NOT_SPACE: "S", _c.CATEGORY_WORD: "w", _c.CATEGORY_NOT_WORD: "W",
}


def _node(op: Any, av: Any) -> _Info:
    if op is _c.LITERAL:
        ch = chr(av)
        folded = fold_char(ch)
        if folded is None:
            width = _char_width(ch)
            return _Info(1, width, None, None, frozenset({ch}) if width == 1 else None)
        return _Info(1, 1, frozenset({folded}), None, frozenset({ch}))
    if op in (_c.NOT_LITERAL, _c.ANY):
        return _Info(1, 1, None, None, None)
    if op is _c.IN:
        return _class(av)
    if op is _c.AT:
        return _EMPTY
    if op in (_c.ASSERT, _c.ASSERT_NOT):
        _node_seq(av[1])  # still validate what is inside
        return _EMPTY
    if op is _c.SUBPATTERN:
        return _node_seq(av[-1])
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _node_seq(av)
    if op is _c.BRANCH:
        return _alternatives([_node_seq(branch) for branch in av[1]])
    if op in _REPEATS:
        lo, hi, item = av
        body = _node_seq(item)
        hi = INF if hi >= _c.MAXREPEAT else hi
        exact = None
        if body.exact is not None and hi <= 4 and sum(
                len(body.exact) ** k for k in range(lo, hi + 1)) <= MAX_SET:
            exact = frozenset("".join(parts) for k in range(lo, hi + 1)
                              for parts in itertools.product(sorted(body.exact), repeat=k))
        anchors = body.anchors if lo >= 1 else None
        if lo >= 1 and body.exact is not None:
            anchors = _best([c for c in (anchors, _literal_set(body.exact)) if c])
        return _Info(_mul(lo, body.minw), _mul(hi, body.maxw), exact, anchors, body.alphabet)
    if op is _c.GROUPREF:
        return _Info(0, INF, None, None, None)
    if op is _c.GROUPREF_EXISTS:
        _group, yes, no = av
        return _alternatives([_node_seq(yes), _node_seq(no) if no is not None else _EMPTY])
    raise Unanalysable(f"unknown regex operation {op}")


def _node_seq(sub: Any) -> _Info:
    return _sequence(list(sub))


def analyse(source: str) -> Anchors:
    """The anchors of a pattern (regex-module syntax); raises :class:`Unanalysable`."""
    if source.startswith("(?-f)"):  # simple case folding (patterns.CASE): nothing to translate
        source = source[5:]
    try:
        parsed = _parser.parse(_translate(source), 0)
    except Unanalysable:
        raise
    except Exception as err:  # re's parser rejects regex-only syntax: we cannot vouch for it
        raise Unanalysable(f"not readable by re: {err}") from None
    info = _node_seq(parsed)
    if info.minw == 0:
        raise Unanalysable("the pattern can match the empty string")
    anchors = info.anchors
    if info.exact is not None:
        anchors = _best([c for c in (anchors, _literal_set(info.exact)) if c])
    if not anchors:
        raise Unanalysable("no literal that every match must contain")
    return Anchors(anchors)


def anchors(source: str) -> Anchors | None:
    """Like :func:`analyse`, but None for a pattern that must run everywhere."""
    try:
        return analyse(source)
    except (Unanalysable, RecursionError):
        return None


# -- how far a match attempt can look -------------------------------------------------------
#: a generous width for one character-matching element (folding can make one character of a
#: pattern match up to three of the text); only used as an upper bound
_CHAR_REACH = 3
_AT_END = {op for op in (getattr(_c, n, None) for n in ("AT_END", "AT_END_LINE", "AT_END_STRING"))
           if op is not None}
_UNBOUNDED = (INF, 0, 0)

# A reach is a triple (c, k, w): at most c + k * R + w * W characters, where R bounds what one
# unbounded run of white space (or of other characters that are never word characters, such
# as "[\s,]+") can consume in the draft at hand, and W what one unbounded run
# of characters that are never white space can (see :func:`reach`).
Reach = "tuple[int, int, int]"


def _plus(a: tuple[int, int, int], b: tuple[int, int, int]) -> tuple[int, int, int]:
    return (_add(a[0], b[0]), a[1] + b[1], a[2] + b[2])


def _most(a: tuple[int, int, int], b: tuple[int, int, int]) -> tuple[int, int, int]:
    return (max(a[0], b[0]), max(a[1], b[1]), max(a[2], b[2]))  # R, W >= 0: this bounds both


def _times(n: int, a: tuple[int, int, int]) -> tuple[int, int, int]:
    return (_mul(n, a[0]), n * a[1], n * a[2])


_SPACE_LITERALS = " \t\n\r\f\v"
#: every character Python's ``re`` counts as white space (the runs ``scan`` measures are runs
#: of ``re``'s ``\S``): a class holding none of them never matches inside such a run's gap
_RE_SPACES = frozenset(chr(c) for c in range(0x3100) if chr(c).isspace() or c in range(0x1C, 0x20))


def _is_space_class(item: Any) -> bool:
    r"""``\s``, or a class of characters that are never word characters (white space, and
    punctuation such as ``[\s,]``): its runs lie inside the draft's runs of ``re``'s ``\W``,
    which ``scan`` measures. (Not ``\W`` itself: the ``regex`` module's ``\w`` is narrower
    than ``re``'s for a few characters, such as superscript digits.)"""
    items = list(item)
    if len(items) != 1:
        return False
    op, av = items[0]
    if op is _c.LITERAL:
        return _never_word(chr(av))
    if op is _c.IN:
        return bool(av) and all((o is _c.CATEGORY and a is _c.CATEGORY_SPACE) or
                                (o is _c.LITERAL and _never_word(chr(a))) for o, a in av)
    return False


def _never_word(ch: str) -> bool:
    r"""Whether ``ch`` and every character it matches case-insensitively is in ``re``'s
    ``\W`` (neither alphanumeric nor "_"): white space and ASCII punctuation."""
    return ch.isspace() or (ch.isascii() and not ch.isalnum() and ch != "_")


def _never_space(op: Any, av: Any) -> bool:
    if op is _c.LITERAL:  # (no case variant of a character that is not white space is)
        return chr(av) not in _RE_SPACES
    if op is _c.RANGE:
        return av[1] < 0x80 and not any(chr(x) in _RE_SPACES for x in range(av[0], av[1] + 1))
    if op is _c.CATEGORY:
        return av in (_c.CATEGORY_WORD, _c.CATEGORY_DIGIT, _c.CATEGORY_NOT_SPACE)
    return False


def _is_word_class(item: Any) -> bool:
    r"""Whether every character ``item`` can consume is one that is never white space:
    ``\w``, ``\d``, ``\S``, classes of them and other such characters (``[\w.+-]``,
    ``[\d,]``), and sequences, groups and alternatives of those (``\.[\w-]+``). One
    unbounded run of it lies inside one run of ``re``'s ``\S``."""
    items = list(item)
    if not items:
        return False
    for op, av in items:
        if op is _c.IN:
            if not (av and all(_never_space(o, a) for o, a in av)):
                return False
        elif op is _c.SUBPATTERN:
            if not _is_word_class(av[-1]):
                return False
        elif op is _c.BRANCH:
            if not all(_is_word_class(b) for b in av[1]):
                return False
        elif op in _REPEATS:
            if not _is_word_class(av[2]):
                return False
        elif not _never_space(op, av):
            return False
    return True


def _reach_seq(sub: Any) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """(longest match, furthest character inspected) of a sequence, from its start."""
    width = extent = (0, 0, 0)
    for op, av in sub:
        w, e = _reach_node(op, av)
        extent = _most(extent, _plus(width, e))
        width = _plus(width, w)
    return width, _most(extent, width)


def _reach_node(op: Any, av: Any) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    one = (_CHAR_REACH, 0, 0)
    if op in (_c.LITERAL, _c.NOT_LITERAL, _c.ANY, _c.IN, _c.CATEGORY):
        return one, one
    if op is _c.AT:
        if av in _AT_END:
            return _UNBOUNDED, _UNBOUNDED  # "$" answers differently at an early end
        return (0, 0, 0), one  # \b, \B look at the next character
    if op in (_c.ASSERT, _c.ASSERT_NOT):
        direction, sub = av
        if direction < 0:
            return (0, 0, 0), (0, 0, 0)  # a look-behind looks back, before the attempt's start
        return (0, 0, 0), _reach_seq(sub)[1]
    if op is _c.SUBPATTERN:
        return _reach_seq(av[-1])
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _reach_seq(av)
    if op is _c.BRANCH:
        parts = [_reach_seq(branch) for branch in av[1]]
        width, extent = parts[0]
        for w, e in parts[1:]:
            width, extent = _most(width, w), _most(extent, e)
        return width, extent
    if op in _REPEATS:
        lo, hi, item = av
        if hi >= _c.MAXREPEAT:
            # one run, and the character after it (which ends the run)
            if _is_space_class(item):
                return (_CHAR_REACH, 1, 0), (2 * _CHAR_REACH, 1, 0)
            if _is_word_class(item):
                return (_CHAR_REACH, 0, 1), (2 * _CHAR_REACH, 0, 1)
            return _UNBOUNDED, _UNBOUNDED
        if hi == 0:
            return (0, 0, 0), (0, 0, 0)
        w, e = _reach_seq(item)
        return _times(hi, w), _plus(_times(hi - 1, w), e)
    return _UNBOUNDED, _UNBOUNDED  # back references, conditionals, anything else


def reach(source: str) -> tuple[int, int, int] | None:
    r"""How far past its start a match attempt of ``source`` can inspect the text (the
    match itself and every look-ahead), as ``(c, k, w)``: at most ``c + k * R + w * W``
    characters, where ``R`` is ``_CHAR_REACH`` times one more than the longest run of
    characters that are never word characters (white space, punctuation) in the text and ``W`` the same for the longest run of anything else (an
    unbounded ``\w+`` or ``[\d,]+`` stays inside one such run); None when that is not
    bounded (a ``.*``, a ``$``, a back reference).

    The ``regex`` module's ``match`` first looks for a string the pattern requires, over the
    whole rest of the text: a failed attempt costs the length of the draft, which made one
    10 MB file quadratic. An attempt given ``endpos`` at this reach answers exactly as one
    without it, because it never reads that far.
    """
    if source.startswith("(?-f)"):
        source = source[5:]
    try:
        parsed = _parser.parse(_translate(source), 0)
        _width, extent = _reach_seq(parsed)
    except Exception:
        return None
    return None if extent[0] >= INF else extent
