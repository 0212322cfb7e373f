"""Property tests: whatever the text, the linter answers, and its answers are consistent.

Texts are drawn from a vocabulary of trigger phrases (so rules actually fire), markup,
line breaks of every kind and awkward characters, mixed with arbitrary Unicode.

Example counts come from a Hypothesis profile chosen by the ``HYPOTHESIS_PROFILE``
environment variable: ``ci`` (the default: small and derandomized, so CI is fast and
repeatable) or ``thorough`` (thousands of random examples per property)::

    HYPOTHESIS_PROFILE=thorough pytest tests/test_properties.py
"""
from __future__ import annotations

import codecs
import importlib.util
import os
import tempfile
from pathlib import Path

import pytest
import regex
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from medlint.files import SkipFile, decode, read_source
from medlint.finding import Finding
from medlint.fix import fix_source, fix_text, plan
from medlint.document import parse
from medlint.linter import Linter

settings.register_profile("ci", max_examples=40, deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
settings.register_profile("thorough", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

HAS_HTML = importlib.util.find_spec("medlint.document.html") is not None
FORMATS = [
    "markdown",
    "text",
    pytest.param("html", marks=pytest.mark.skipif(
        not HAS_HTML, reason="medlint/document/html.py is not on this branch yet (the CMS helper writes it)")),
]

TRIGGERS = [
    "ketamine", "Ketamine", "esketamine", "Spravato", "infusion", "infusions", "0.5 mg/kg", "twice a week",
    "cures", "cures depression", "Ketamine cures depression.", "FDA-approved", "FDA approved for depression",
    "approved", "suicide", "suicidal thoughts", "committed suicide", "commit suicide", "failed suicide attempt",
    "successful suicide", "suicide epidemic", "call (555) 010-1234", "info@clinic.example", "Book now",
    "Studies have shown", "no side effects", "guaranteed", "100% safe", "revolutionary", "miracle",
    "at home", "at-home", "recreational", "microdosing", "$99", "not", "no", "may", "might", "some people",
    "(Smith et al., 2023)", "[1]", "Myth:", "It is not.", "under medical supervision", "your doctor",
    "This is not medical advice.", "988", "Samaritans", "side effects include nausea", "risk",
]
MARKUP = [
    "\n", "\n", "\n\n", "\r\n", "\r\n\r\n", "\r", "# ", "## ", "- ", "* ", "1. ", "> ", "**", "*", "_",
    "`", "```\n", "~~~\n", "[", "](https://example.org)", "<!-- note -->", "<b>", "</b>", "<p>", "</p>",
    " | ", "|---|---|\n", "---\n", "\t", "    ", " ", " ", " ", ".", ",", "?", "!", ":", ";", " — ", "\\",
    "&amp;", "<", ">", "#", "# medlint-disable", "<!-- medlint-enable -->", "(", ")",
    # HTML inside Markdown: blocks, inline elements, hidden content
    "\n\n<div class=\"cta\">\n", "\n</div>\n\n", "<br>", "<code>", "</code>", "<a href=\"/x\">", "</a>",
    "\n<details>\n<summary>", "</summary>\n", "<td>", "</td>", "<script>", "</script>",
]
ODD = ["é", "e\u0301", "😀", "👩\u200d⚕️", "\x00", "\ufeff", "\u2028", "\u00a0", "İ", "ß", "ﬁ", "\u202e", "\x0c"]

token = st.one_of(
    st.sampled_from(TRIGGERS),
    st.sampled_from(TRIGGERS),  # twice: rules should fire in most texts
    st.sampled_from(MARKUP),
    st.sampled_from(ODD),
    st.text(max_size=8),
)
texts = st.lists(token, max_size=60).map("".join)
#: texts with at least one trigger phrase set apart by spaces
triggered = st.builds(lambda a, t, b: f"{a} {t} {b}", texts, st.sampled_from(TRIGGERS), texts)

_BREAK = regex.compile(r"\r\n|\r|\n")


@pytest.fixture(scope="module")
def lint(linter: Linter):
    return linter


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and code-point column, computed independently of the engine."""
    line, start = 1, 0
    for m in _BREAK.finditer(text, 0, offset):
        if m.end() <= offset:
            line, start = line + 1, m.end()
    return line, offset - start + 1


def key(f: Finding) -> tuple:
    """A finding's identity across an edit elsewhere on its line.

    The end column is left out: a document-level finding spans the whole first line, so a
    comment appended to that line lengthens it. The message holds the matched words.
    """
    return (f.rule, f.line, f.column, f.end_line, f.message, f.suggestion)


@pytest.mark.parametrize("fmt", FORMATS)
@PROFILE
@given(text=texts)
def test_findings_lie_in_the_text_and_agree_with_line_and_column(lint: Linter, fmt: str, text: str) -> None:
    result = lint.check(text, fmt)
    for f in result.findings + result.unused_suppressions:
        assert 0 <= f.start <= f.end <= len(text)
        assert text[f.start:f.end] == f.match
        assert (f.line, f.column) == position(text, f.start), f
        assert (f.end_line, f.end_column) == position(text, f.end), f
    assert result.findings == sorted(result.findings, key=Finding.sort_key)


@pytest.mark.parametrize("fmt", FORMATS)
@PROFILE
@given(text=texts)
def test_output_is_deterministic(lint: Linter, fmt: str, text: str) -> None:
    first = lint.check(text, fmt)
    second = lint.check(text, fmt)
    assert [f.to_dict() for f in first.findings] == [f.to_dict() for f in second.findings]
    assert first.problems == second.problems


@pytest.mark.parametrize("fmt", FORMATS)
@PROFILE
@given(text=st.text(max_size=300))
def test_arbitrary_unicode_never_raises(lint: Linter, fmt: str, text: str) -> None:
    lint.check(text, fmt)


#: Some checks look a fixed number of characters around a match ("the substance named within
#: 40 characters after 'approved'"); a comment inserted that close counts toward the
#: distance, so findings this near the comment are left out of the comparison.
NEAR = 80


def _suppress(text: str, fmt: str, f: Finding) -> tuple[str, int, int]:
    """``text`` with ``f``'s rule suppressed on ``f``'s line, the way a writer would do it,
    and where the comment went (offset, length)."""
    starts = [0] + [m.end() for m in _BREAK.finditer(text)]
    start = starts[f.line - 1]
    m = _BREAK.search(text, start)
    end = m.start() if m else len(text)
    if fmt == "text":
        comment = f"# medlint-disable-next-line {f.rule}{m.group() if m else chr(10)}"
        at = start
    else:  # Markdown, HTML
        comment = f" <!-- medlint-disable-line {f.rule} -->"
        at = end
    return text[:at] + comment + text[at:], at, len(comment)


def _far(f: Finding, lo: int, hi: int) -> bool:
    return f.end + NEAR <= lo or f.start - NEAR >= hi


@pytest.mark.parametrize("fmt", FORMATS)
@PROFILE
@given(text=triggered, pick=st.integers(min_value=0))
def test_suppressing_a_finding_removes_exactly_that_finding(lint: Linter, fmt: str, text: str, pick: int) -> None:
    findings = [f for f in lint.lint(text, fmt) if f.line == f.end_line]
    assume(findings)
    target = findings[pick % len(findings)]
    suppressed, at, width = _suppress(text, fmt, target)
    # in Markdown the appended comment is a comment only outside code spans and the like:
    # "cures ```" followed by "x```" on the next line puts it inside an inline code span
    assume(any(target.rule in c.body for c in parse(suppressed, fmt).comments))
    after = lint.lint(suppressed, fmt)
    line = target.line + (1 if fmt == "text" else 0)  # its line in the suppressed text
    assert not [f for f in after if f.rule == target.rule and f.line == line]
    before = lint.lint(text, fmt)
    if fmt == "text":  # the comment line pushes the rest of the text down one line
        def moved(k: tuple) -> tuple:
            return k if k[1] < target.line else (k[0], k[1] + 1, k[2], k[3] + 1, *k[4:])
    else:
        def moved(k: tuple) -> tuple:
            return k
    kept = sorted(moved(key(f)) for f in before if _far(f, at, at) and
                  not (f.rule == target.rule and f.line == target.line))
    assert sorted(key(f) for f in after if _far(f, at, at + width)) == kept


@pytest.mark.parametrize("fmt", FORMATS)
@PROFILE
@given(text=triggered)
def test_fix_never_adds_a_finding_of_a_fixed_rule_and_is_idempotent(lint: Linter, fmt: str, text: str) -> None:
    before = lint.lint(text, fmt)
    result = fix_text(lint, text, fmt)
    after = lint.lint(result.text, fmt)
    for rule in {f.rule for f in result.applied}:
        assert sum(f.rule == rule for f in after) <= sum(f.rule == rule for f in before)
    assert result.converged
    rules = {r.id: r for r in lint.ruleset.rules}
    assert plan(parse(result.text, fmt), after, rules)[0] == []
    assert fix_text(lint, result.text, fmt).text == result.text
    if not result.applied:
        assert result.text == text


@PROFILE
@given(text=texts, bom=st.sampled_from([b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF32_BE]))
def test_fix_writes_exactly_the_fixed_text_in_the_original_encoding(lint: Linter, text: str, bom: bytes) -> None:
    codec = {b"": "utf-8", codecs.BOM_UTF8: "utf-8", codecs.BOM_UTF16_LE: "utf-16-le",
             codecs.BOM_UTF32_BE: "utf-32-be"}[bom]
    data = bom + text.encode(codec, "surrogatepass")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "draft.md"
        path.write_bytes(data)
        try:
            source = read_source(path)
        except SkipFile:
            assume(False)
        except Exception:  # lone surrogates: a read error, tested elsewhere
            assume(False)
        expected = fix_text(lint, source.text, "markdown").text
        outcome = fix_source(lint, source, "markdown", str(path), path, write=True)
        assert outcome.error is None
        assert path.read_bytes() == source.bom + expected.encode(source.encoding)
        assert os.listdir(tmp) == ["draft.md"]


@PROFILE
@given(text=st.text(max_size=200))
def test_decoding_utf8_round_trips(text: str) -> None:
    assume("\x00" not in text and not text.startswith("\ufeff"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        assume(False)
    assert decode(text.encode("utf-8")).text == text
