"""The one-pass literal scan must give exactly the findings of running every pattern over the
whole text; the literal extraction must only ever name literals a match really contains."""
from __future__ import annotations

from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from medlint.linter import Linter
from medlint.literals import INF, analyse, anchors
from medlint.patterns import bounded, compile_pattern
from medlint.scan import Scanner, fold, split_alternatives
from engine_env import using_engine

REPO = Path(__file__).resolve().parent.parent


def _engines() -> list[str]:
    """The engines that can run here (Hyperscan only where its wheel is installed)."""
    from medlint.scan import _import_hyperscan

    return ["ac", "hyperscan"] if _import_hyperscan() is not None else ["ac"]


@pytest.fixture(params=["ac", "hyperscan"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with each engine that finds candidate starts (MEDLINT_ENGINE)."""
    if request.param not in _engines():
        pytest.skip("hyperscan is not installed (no wheel for this platform)")
    monkeypatch.setenv("MEDLINT_ENGINE", request.param)
    return request.param


_using = using_engine


def _both(linter: Linter, text: str, fmt: str) -> tuple[list, list]:
    linter.scan = True
    fast = linter.lint(text, fmt)
    linter.scan = False
    try:
        plain = linter.lint(text, fmt)
    finally:
        linter.scan = True
    return fast, plain


def _drafts(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".md", ".txt", ".html"))


def test_scan_equals_plain_engine_on_examples(engine: str, linter: Linter) -> None:
    for path in _drafts(REPO / "examples"):
        fmt = {".md": "markdown", ".txt": "text", ".html": "html"}[path.suffix]
        fast, plain = _both(linter, path.read_text(encoding="utf-8"), fmt)
        assert fast == plain, path.name


def test_scan_equals_plain_engine_on_dev_drafts(engine: str, linter: Linter, shared: Path) -> None:
    drafts = _drafts(shared / "corpus" / "dev")
    assert drafts
    for path in drafts:
        fmt = {".md": "markdown", ".txt": "text", ".html": "html"}[path.suffix]
        fast, plain = _both(linter, path.read_text(encoding="utf-8"), fmt)
        assert fast == plain, path.name


def test_scan_equals_plain_engine_on_rule_examples(engine: str, linter: Linter) -> None:
    for rule in linter.ruleset.rules:
        for text in list(rule.examples.get("flag", [])) + list(rule.examples.get("pass", [])):
            fast, plain = _both(linter, text, "markdown")
            assert fast == plain, (rule.id, text)


_WORDS = ["ketamine", "cure", "cures", "FDA-approved", "not", "book now", "call us", "24/7",
          "100%", "safe", "is", "are", "approved", "at", "we", "offer", "0.5 mg/kg", "twice",
          "a week", "Schedule III", "Class B", "suicide", "İ", "ß", "ſ", "K", "’", "don’t",
          "\n\n", "\n", "  ", ". ", ", ", "# ", "- ", "`code`", "[link](https://x.org)", "(555) 010-3344"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=40))
def test_scan_equals_plain_engine_on_generated_text(linter: Linter, words: list[str]) -> None:
    text = " ".join(words)
    for name in _engines():
        with _using(name):
            fast, plain = _both(linter, text, "markdown")
        assert fast == plain, name


@pytest.mark.parametrize("source, samples", [
    (r"cure[sd]?|curing", ["cure", "CURED", "curing"]),
    (r"studies\s+have\s+shown", ["Studies  have\nshown"]),
    (r"don['’]t\s+wait", ["don't wait", "Don’t  wait"]),
    (r"(?:a\s+)?small\s+bump", ["a small bump", "small bump"]),
    (r"\(?\d{3}\)?\s?\d{4}", ["(555) 0103", "555 0103"]),
    (r"(?:take|use)\s+(?:[\w,'’-]+\s+){0,6}?on\s+(?:my|your)\s+own", ["use it daily on my own"]),
])
def test_anchors_are_necessary_literals(source: str, samples: list[str]) -> None:
    pattern = compile_pattern(bounded(f"(?:{source})"))
    found = anchors(pattern.pattern)
    assert found is not None
    for sample in samples:
        m = pattern.fullmatch(sample)
        assert m is not None, sample
        folded = fold(sample)
        assert folded is not None
        # some anchor literal sits where the analysis says it does
        assert any(folded.startswith(a.literal, d) for a in found.items
                   for d in range(a.lo, min(a.hi, len(sample)) + 1)), (sample, found)


@pytest.mark.parametrize("source", [
    r"(?:foo){e<=1}",          # fuzzy matching
    r"[[a-z]--[aeiou]]x",      # set operations
    r"\Gfoo",                  # depends on where the search starts
    r"\w*",                    # matches the empty string
        r"\w+\s+\S+",              # no literal
])
def test_unanalysable_patterns_run_everywhere(source: str) -> None:
    assert anchors(source) is None


def test_unicode_classes_and_case_sensitive_groups_are_read() -> None:
    found = analyse(r"(?-i:\p{Lu})[\p{L}'’-]+\s+et\s+al")
    assert {a.literal for a in found.items} == {"et"}
    assert all(a.hi >= INF for a in found.items)


def test_fold_keeps_offsets_and_matches_regex_case_rules() -> None:
    assert fold("Kelvin \u212a and ſ and ı") == "kelvin k and s and i"
    assert fold("Straße") is None  # ß folds to two letters: scanned the plain way
    assert fold("١٢٣ mg") == "000 mg"  # any decimal digit is a digit for \d


def test_split_alternatives_keeps_groups_and_classes_whole() -> None:
    src = bounded(r"(?:a|b(?:c|d)|[|x]|e\|f)")
    parts = split_alternatives("(?-f)" + src)
    assert [p.removeprefix("(?-f)") for p in parts] == [
        bounded("(?:a)"), bounded("(?:b(?:c|d))"), bounded("(?:[|x])"), bounded(r"(?:e\|f)")]



def test_split_alternatives_sees_through_a_word_list_bounded_again() -> None:
    """A rule whose trigger is a word list (``bounded`` twice) is split into its words."""
    inner = bounded("(?:relief|cure[sd]?)")
    parts = split_alternatives("(?-f)" + bounded(f"(?:{inner})"))
    assert [p.removeprefix("(?-f)") for p in parts] == [bounded("(?:relief)"), bounded("(?:cure[sd]?)")]
    # a group that does not span the whole body is not unwrapped
    assert len(split_alternatives(bounded("(?:(?:a|b)c)"))) == 1
    text = "Relief cures; cured relief"
    whole = compile_pattern(bounded(f"(?:{inner})"))
    assert [m.span() for m in whole.finditer(text)] == [(0, 6), (7, 12), (14, 19), (20, 26)]


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet="abcdeFGHI isnotcure\n.-'’ßİ0123456789", max_size=120))
def test_scanner_finditer_equals_regex_finditer(text: str) -> None:
    sources = [r"cure[sd]?|a\s+cure", r"(?:is|are)\s+(?:not\s+)?cure", r"\d{3}[\s.-]\d{2}",
               r"(?:ab|c)\s*de+", r"not\s+(?:\w+\s+){0,2}a"]
    patterns = [compile_pattern(bounded(f"(?:{s})")) for s in sources]
    scanner = Scanner(patterns)
    for name in _engines():
        index = scanner.index(text, name)
        for p in patterns:
            expected = [m.span() for m in p.finditer(text)]
            if index is None:
                continue
            assert [m.span() for m in index.finditer(p, text, 2.0)] == expected, (name, p.pattern)
            for start, end in ((0, len(text)), (3, len(text) - 2), (10, 500)):
                want = p.search(text, start, end)
                got = index.search(p, text, start, end, 2.0)
                assert (got.span() if got else None) == (want.span() if want else None), name


@pytest.mark.parametrize("source", [
    # no engine can rule it out: its relaxed form matches the run of x (a look-behind is
    # dropped; a closing look-ahead would be read as text, "(?=y)", and rule it out)
    r"(?:x+x+)+(?<=y)",
    r"(?:x+x+)+y",  # Hyperscan proves there is no y, so no attempt is made (and none can hang)
])
def test_pattern_timeout_still_stops_a_catastrophic_rule(engine: str, source: str) -> None:
    """A writer's catastrophic pattern cannot hang a run: every attempt the engine makes
    runs under the regex module's timeout. A prefilter that proves there is no match at
    all answers without an attempt, which is the right answer too."""
    p = compile_pattern(bounded(source))
    text = "x" * 5000
    index = Scanner([p]).index(text, engine)
    matches = index.finditer(p, text, 0.05) if index is not None else p.finditer(text, timeout=0.05)
    if engine == "hyperscan" and source.endswith("y"):
        assert list(matches) == []
        return
    with pytest.raises(TimeoutError):
        list(matches)
    assert regex  # the guarantee comes from the regex module's timeout


def test_unicode_property_classes_are_not_taken_for_digits(engine: str) -> None:
    r"""``\p{Lu}`` may be any letter: a match that opens on a capital must still be found.

    The literal analysis once read ``\p{..}`` as ``\d``, so a walk back from "2021" stopped
    at the first letter and "(Smith et al., 2021)" was never tried where it starts.
    """
    p = compile_pattern(bounded(r"\(\s*(?-i:\p{Lu})[\p{L}'-]+(?:\s+et\s+al\.?)?,?\s+(?:19|20)\d\d\)"))
    text = "Blood pressure rose during infusions (Smith et al., 2021) in one trial."
    index = Scanner([p]).index(text, engine)
    assert index is not None
    want = p.search(text)
    assert want is not None
    got = index.search(p, text, 0, len(text), 1.0)
    assert got is not None and got.span() == want.span()
    assert [m.span() for m in index.finditer(p, text, 1.0)] == [want.span()]


_MARKUP = ["see [the trial](https://example.org/t)", "[^2]", "<a href='x'>", "<A HREF=x>", "] (",
           "[^ note]", "](/path)", "ſ", "K", "İ", "plain words", "\n", " "]


@given(st.lists(st.sampled_from(_MARKUP), min_size=1, max_size=12), st.integers(0, 40), st.integers(0, 40))
def test_lexicon_presence_test_equals_plain_search(linter: Linter, parts: list[str], a: int, b: int) -> None:
    """Unindexed word-list searches skip windows without a required literal; same answers."""
    lexicon = linter.ruleset.language.lexicon
    text = " ".join(parts)
    start, end = min(a, b, len(text)), min(max(a, b), len(text))
    for name in lexicon.required:
        got = lexicon.search(name, text, start, end)
        want = lexicon.get(name).search(text, start, end)  # type: ignore[union-attr]
        assert (got and got.span()) == (want and want.span()), (name, text, start, end)


def test_link_markup_list_has_a_presence_test(linter: Linter) -> None:
    assert "citation_markup" in linter.ruleset.language.lexicon.required


def test_long_drafts_bound_each_attempt_with_the_same_findings(engine: str, linter: Linter,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """From _LONG_DRAFT characters up, each anchored attempt gets an ``endpos`` at the
    pattern's reach (so a failed attempt does not scan the rest of the draft); the
    findings are those of unbounded attempts and of the plain engine."""
    import medlint.scan as scan

    folder = Path(__file__).parent / "fixtures" / "labelled"
    parts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))]
    fence = "```\n" + "x = 1  # a code block is a long blank run in the prose\n" * 30 + "```\n"
    text = ("\n\n" + fence + "\n").join(parts * 4)
    assert len(text) > 2 * scan._LONG_DRAFT
    bounded_attempts, plain = _both(linter, text, "markdown")
    assert bounded_attempts == plain and plain
    monkeypatch.setattr(scan, "_LONG_DRAFT", 1 << 40)
    assert linter.lint(text, "markdown") == bounded_attempts


@pytest.mark.parametrize("source, expected", [
    (r"cure[sd]?", (18, 0, 0)),  # 6 characters at most 3 wide each
    (r"a\s+b", (12, 1, 0)),  # one run of white space
    (r"ab(?=cd)", (12, 0, 0)),  # the look-ahead reads on
    (r"\d+%", (9, 0, 1)),  # one run of characters that are never white space
    (r"suicid\w*", (24, 0, 1)), (r"[\w.+-]+@x", (12, 0, 1)),
    (r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", (15, 0, 3)),  # a repeated group of such characters
    (r"(?:[\w,'’-]+\s+){0,6}?on", (45, 6, 6)),
    (r"x$", None), (r"(a)\1", None), (r".+x", None), (r"[^.]+x", None), (r"[\w\s]+x", None),
    # a run of white space and punctuation lies inside one run of re's \W
    (r"at\s+(?:[\w'’&.-]+[\s,]+){1,5}?we", (48, 6, 5)), (r"[\W]+x", None),
])
def test_reach_of_a_pattern(source: str, expected: tuple[int, int, int] | None) -> None:
    from medlint.literals import reach

    assert reach(compile_pattern(bounded(f"(?:{source})")).pattern) == expected


def test_re_white_space_holds_every_regex_white_space_character() -> None:
    """Index._limits measures white-space runs with re: its runs must be at least as long."""
    import re

    slow, fast = regex.compile(r"\s"), re.compile(r"\s")
    # every Unicode White_Space character lies below U+3100 (the last is U+3000)
    missing = [hex(c) for c in range(0x3100) if slow.match(chr(c)) and not fast.match(chr(c))]
    assert not missing


def test_re_non_word_runs_hold_every_regex_white_space_character() -> None:
    r"""Index._limits measures runs of white space and punctuation with re's ``\W``: every
    character such a run may consume (the regex module's ``\s``, ASCII punctuation) is in it."""
    import re
    import string

    from medlint.literals import _never_word

    slow, fast = regex.compile(r"\s"), re.compile(r"\W")
    missing = [hex(c) for c in range(0x3100) if slow.match(chr(c)) and not fast.match(chr(c))]
    assert not missing
    assert all(fast.match(ch) for ch in map(chr, range(0x3100)) if _never_word(ch))
    assert _never_word(",") and _never_word("\u3000") and not _never_word("_")
    assert all(_never_word(ch) for ch in string.punctuation if ch != "_")


def test_re_non_space_runs_hold_every_regex_word_character() -> None:
    """A run of ``\\w`` (or ``\\d``) in the regex module's sense lies inside one run of ``re``'s
    ``\\S``, which is what Index._limits measures for such runs."""
    import re

    word, digit, space = regex.compile(r"\w"), regex.compile(r"\d"), re.compile(r"\s")
    clash = [hex(c) for c in range(0x3100)
             if (word.match(chr(c)) or digit.match(chr(c))) and space.match(chr(c))]
    assert not clash


class _Recorder:
    """Stands in for a compiled alternative: records how far each attempt may read."""

    def __init__(self, pattern: regex.Pattern[str], log: list[int]) -> None:
        self._pattern, self._log, self.pattern = pattern, log, pattern.pattern

    def match(self, text: str, pos: int, endpos: int, **kw: object) -> object:
        self._log.append(endpos - pos)
        return self._pattern.match(text, pos, endpos, **kw)


@pytest.mark.parametrize("line", [
    "Take 0.5 mg/kg of ketamine at home.\n",  # reliability review M2: 1.6/5.8/22 s at 90/180/360 KB
    "Patients feel better after talking it through and they use it daily. ",
])
def test_attempts_on_a_long_draft_read_a_bounded_share_of_it(engine: str, linter: Linter, line: str) -> None:
    """M2: an anchored attempt whose reach is unknown got no ``endpos``, and the regex module
    looked ahead for a required string to the end of the draft on every failed attempt, so
    time grew with (candidates x length). Each plan now reads at most _ATTEMPT_BUDGET times
    the draft in all (bounded windows, or the plain scan), with the same matches."""
    from dataclasses import replace

    import medlint.scan as scan

    text = line * (2 * scan._LONG_DRAFT // len(line) + 1)
    patterns = [regex.compile(src, flags) for src, flags in linter.ruleset.scanner.plans]
    scanner = Scanner(patterns)
    logs: dict[tuple[str, int], list[int]] = {}
    for plans in (scanner.plans, scanner.hs_plans):
        for key, plan in plans.items():
            log = logs.setdefault(key, [])
            plans[key] = replace(plan, alternatives=tuple(_Recorder(a, log) for a in plan.alternatives))
    index = scanner.index(text, engine)
    assert index is not None
    for p in patterns:
        assert [m.span() for m in index.finditer(p, text, None)] == [m.span() for m in p.finditer(text)]
        got = index.search(p, text, 0, len(text), None)
        want = p.search(text)
        assert (got and got.span()) == (want and want.span())
        assert sum(logs[(p.pattern, p.flags)]) <= scan._ATTEMPT_BUDGET * len(text), p.pattern[:80]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab \n\u00a0\x1c\u3000é", max_size=60), st.integers(1, 9))
def test_longest_non_space_run_is_counted_across_pieces(text: str, piece: int) -> None:
    """Index._limits bounds a ``\\w+`` by the longest run without white space, counted with
    ``str.split`` piece by piece: runs that cross a piece's edge are counted whole."""
    import re

    import medlint.scan as scan

    old = scan._PIECE
    scan._PIECE = piece
    try:
        got = scan._longest_non_space(text)
    finally:
        scan._PIECE = old
    assert got == max((len(m) for m in re.findall(r"\S+", text)), default=0)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="aZ \nß\u212aé\U0001F600\u0130İ", max_size=60), st.integers(1, 9))
def test_prefilter_text_is_the_same_folded_in_pieces(text: str, piece: int) -> None:
    """The bytes Hyperscan reads are folded piece by piece (a whole copy of a draft stored
    with four bytes a character was a 40 MB transient on 10 MB): any piece size gives the
    bytes of the whole draft folded at once."""
    import medlint.prefilter as prefilter
    import medlint.scan as scan

    whole = scan.fold(text)
    old = prefilter._PIECE
    prefilter._PIECE = piece
    try:
        got = prefilter.prepare(text, scan.fold)
    finally:
        prefilter._PIECE = old
    if whole is None:
        assert got is None
    else:
        assert got == bytearray(whole.encode("ascii", "replace")[::-1])


def test_runs_of_space_and_punctuation_bound_attempts_on_a_long_draft(engine: str) -> None:
    """On a long draft each attempt gets an ``endpos`` from its reach; a run of white space
    and punctuation ("[\\s,]+") is bounded by the draft's longest run of re's \\W. The matches
    must be those of a full search, whatever those runs hold (commas between spaces, a long
    blank stretch, no-break spaces, an ideographic space)."""
    import medlint.scan as scan

    sources = [r"at\s+(?:[\w'’&.-]+[\s,]+){1,5}?we\s+(?:offer|help)", r"(?:yes|no)[\s,;]+(?:and|or)\s+x",
               r"safe[\s,]+effective"]
    patterns = [compile_pattern(bounded(f"(?:{s})")) for s in sources]
    chunk = ("At Calm Minds, , ,  , we offer care. At the clinic,\u00a0\u3000we help. "
             "yes , ,; and x. no" + " ," * 40 + " or x. safe ,\n , effective. " + " " * 90 + "\n")
    text = chunk * (2 * scan._LONG_DRAFT // len(chunk) + 1)
    index = Scanner(patterns).index(text, engine)
    assert index is not None
    for p in patterns:
        want = [m.span() for m in p.finditer(text)]
        assert want, p.pattern  # the draft holds matches of every pattern
        assert [m.span() for m in index.finditer(p, text, None)] == want, p.pattern
