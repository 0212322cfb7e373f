"""The Hyperscan prefilter and the Aho-Corasick fallback must give identical findings.

Both engines only choose where a rule's own pattern is tried; these tests lint the same
texts with each (``MEDLINT_ENGINE``) and compare the findings one for one: every rule's
examples, the labelled drafts in tests/fixtures, the project's examples and generated
documents. test_scan.py compares each engine with the plain engine (every pattern over
the whole text); here the two fast paths are compared directly, and the prefilter's own
translation is checked against the regex module on adversarial characters.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medlint.linter import Linter
from medlint.patterns import bounded, compile_pattern
from medlint.scan import Scanner, _import_hyperscan, engine, fold
from engine_env import using_engine

pytestmark = pytest.mark.skipif(_import_hyperscan() is None,
                                reason="hyperscan is not installed (no wheel for this platform)")

REPO = Path(__file__).resolve().parent.parent
FORMATS = {".md": "markdown", ".txt": "text", ".html": "html"}


_using = using_engine


def _each(linter: Linter, text: str, fmt: str) -> tuple[list, list]:
    with _using("hyperscan"):
        fast = linter.check(text, fmt)
    with _using("ac"):
        fallback = linter.check(text, fmt)
    return (fast.findings, fast.problems), (fallback.findings, fallback.problems)


def test_engine_is_chosen_by_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MEDLINT_ENGINE", raising=False)
    assert engine() == "hyperscan"
    monkeypatch.setenv("MEDLINT_ENGINE", "ac")
    assert engine() == "ac"


def test_rule_examples_give_the_same_findings(linter: Linter) -> None:
    for rule in linter.ruleset.rules:
        for text in list(rule.examples.get("flag", [])) + list(rule.examples.get("pass", [])):
            fast, fallback = _each(linter, text, "markdown")
            assert fast == fallback, (rule.id, text)


def test_labelled_drafts_and_examples_give_the_same_findings(linter: Linter) -> None:
    drafts = [p for folder in (REPO / "tests" / "fixtures" / "labelled", REPO / "examples")
              for p in sorted(folder.iterdir()) if p.suffix in FORMATS]
    assert len(drafts) >= 15
    total = 0
    for path in drafts:
        fast, fallback = _each(linter, path.read_text(encoding="utf-8"), FORMATS[path.suffix])
        assert fast == fallback, path.name
        total += len(fast[0])
    assert total > 20  # the drafts do exercise the rules


def _generated(seed: int, size: int) -> str:
    """A document stitched from every rule example and labelled draft, shuffled, with
    characters that fold unusually (Kelvin sign, long s, non-ASCII digits, curly quotes)."""
    rng = random.Random(seed)
    pieces: list[str] = []
    for path in sorted((REPO / "tests" / "fixtures" / "labelled").glob("*.md")):
        pieces.extend(p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip())
    odd = ["\u212aetamine", "ſelf-medicating", "٣ mg", "don’t wait", "café", "\u00a0", "😀",
           "e\u0301", "\t", "— ", "FDA\u2011approved"]
    out: list[str] = []
    while sum(map(len, out)) < size:
        piece = rng.choice(pieces)
        if rng.random() < 0.3:
            words = piece.split(" ")
            i = rng.randrange(len(words))
            words.insert(i, rng.choice(odd))
            piece = " ".join(words)
        out.append(piece)
    return "\n\n".join(out)


@pytest.mark.parametrize("seed, size", [(1, 6_000), (2, 20_000), (3, 70_000)])
def test_generated_documents_give_the_same_findings(linter: Linter, seed: int, size: int) -> None:
    text = _generated(seed, size)
    fast, fallback = _each(linter, text, "markdown")
    assert fast == fallback
    assert fast[0]


_ODD = ["k", "K", "\u212a", "s", "ſ", "S", "i", "ı", "0", "٣", "5", "é", "É", "’", "'", "-", "\u2011",
        " ", "\u00a0", "\n", "_", "?", ".", ",", "a", "b", "x", "y", "😀", "\u0301"]
_SOURCES = [r"k\w+", r"[a-z]+s", r"\d+\s?%", r"[^k]+y", r"\W+x", r"[\w’'-]+s", r"\S+\s+\S", r"x[\s]+y",
            r"(?:is|are)\s+(?:not\s+)?[a-z]+", r"\p{L}+x", r"[’']s", r"\bab\b", r"(?i:K)[0-9]",
            r"(?<=x)y+", r"a(?!b)\w", r"(?:a|ab)(?:c|bcd)(?:d*)",
            # gaps of a few words, in the middle and at the start (prefilter._union)
            r"ab(?:\s+[\w’'-]+){0,3}\s+x", r"(?:x\s+){0,2}y", r"k(?:a|b\.){2,4}s", r"s(?:\W+\w+){1,3}k",
            # closing look-aheads read as text; boundaries copied into word lists
            r"a(?=\s+b)", r"k(?=s)|x(?=[’'])", r"(?:ab|\w+y|k)"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_ODD), min_size=1, max_size=30))
def test_prefilter_never_misses_a_start_on_odd_characters(chars: list[str]) -> None:
    """The relaxed patterns must match a superset of the exact ones on the prepared text,
    whatever non-ASCII characters the text holds (they become "?" or fold to ASCII)."""
    text = "".join(chars)
    patterns = [compile_pattern(bounded(f"(?:{s})")) for s in _SOURCES]
    index = Scanner(patterns).index(text, "hyperscan")
    if index is None:
        assert fold(text) is None  # only a draft that cannot be folded runs plainly
        return
    for p in patterns:
        assert [m.span() for m in index.finditer(p, text, 2.0)] == \
            [m.span() for m in p.finditer(text)], (p.pattern, text)
        for start, end in ((0, len(text)), (2, len(text) - 1)):
            got, want = index.search(p, text, start, end, 2.0), p.search(text, start, end)
            assert (got and got.span()) == (want and want.span()), (p.pattern, text)


def test_a_window_ending_inside_a_word_still_finds_what_its_end_allows() -> None:
    """The relaxed form closes with Hyperscan's ``\\b`` for ``(?![\\w])``, so the scan reports
    no start for "treat" inside "treatment"; but a search window that ends after "treat"
    hides the "m", and there the exact pattern matches. Such a window is searched plainly."""
    p = compile_pattern(bounded(r"(?:treat(?:s|ed)?)"))
    text = "A treatment plan."
    index = Scanner([p]).index(text, "hyperscan")
    assert index is not None
    assert list(index.finditer(p, text, 2.0)) == []  # no word "treat" in the whole text
    got = index.search(p, text, 0, text.index("ment"), 2.0)
    want = p.search(text, 0, text.index("ment"))
    assert want is not None and got is not None and got.span() == want.span()


def test_scanner_pickles_with_its_database_and_scans_after_loading() -> None:
    """The rules cache stores the compiled database: a cold start loads it, never compiles."""
    import pickle

    import medlint.scan as scan

    p = compile_pattern(bounded(r"(?:cure[sd]?|heal\w*)"))
    loaded = pickle.loads(pickle.dumps(Scanner([p])))
    assert loaded.hs_database
    scan._compiled_memo.clear()  # a fresh process: nothing compiled in memory
    text = "It cures nothing; healing takes time. Precure."
    index = loaded.index(text, "hyperscan")
    assert index is not None and index.plans is loaded.hs_plans
    assert [m.group() for m in index.finditer(p, text, 1.0)] == ["cures", "healing"]
    assert not scan._compiled_memo  # loaded from the pickle, not compiled again


def test_threads_each_get_their_own_scratch(linter: Linter) -> None:
    from concurrent.futures import ThreadPoolExecutor

    texts = [_generated(seed, 4_000) for seed in range(8)]
    with _using("hyperscan"):
        alone = [linter.lint(t) for t in texts]
        with ThreadPoolExecutor(4) as pool:
            together = list(pool.map(linter.lint, texts * 3))
    assert together == alone * 3


def test_a_pattern_hyperscan_refuses_runs_plainly() -> None:
    """One expression the compiler will not take must not cost the others their prefilter."""
    import medlint.scan as scan

    good = compile_pattern(bounded(r"(?:cure[sd]?)"))
    scanner = Scanner([good])
    scanner.hs_expressions.append("(?<bad")  # not a pattern Hyperscan (or PCRE) accepts
    data = scan._compiled(tuple(scanner.hs_expressions))
    assert data  # the rest still compiled
    hs = scan._import_hyperscan()
    database = hs.loadb(data, hs.HS_MODE_BLOCK)
    ends: dict[int, list[int]] = {0: [], 1: []}
    database.scan(b"a cure"[::-1], match_event_handler=lambda i, f, t, fl, c: ends[i].append(t),
                  scratch=hs.Scratch(database))
    assert ends[0] == [4]  # "cure" starts at 2: the reversed text's match ends at 6 - 2
    assert len(ends[1]) == 7  # the refused one matches everywhere: over budget, run plainly


def test_the_lists_searched_in_a_sentence_are_planned_for_the_prefilter() -> None:
    """Language searches these lists in a sentence through the draft's scan; each must be a
    list of the bundled lexicon (a renamed list would quietly fall back to plain searches)
    and be planned for Hyperscan."""
    from medlint.checks.language import SENTENCE_LISTS
    from medlint.scan import FULL, _key

    ruleset = Linter().ruleset
    lists = ruleset.language.lexicon.lists
    assert SENTENCE_LISTS <= set(lists)
    for name in SENTENCE_LISTS:
        plan = ruleset.scanner.hs_plans.get(_key(lists[name]))
        assert plan is not None and plan.mode != FULL, name
