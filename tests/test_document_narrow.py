"""Prose masks with BMP stand-ins for astral characters (``medlint/document/narrow.py``).

The claim to hold: a stand-in answers every question a check can ask of a character as the
character itself does, offsets do not move, and ``Document.shown`` gives back the prose as
written. Checked character by character (profiles), on Documents (every field but the mask
itself), and end to end: every rule finds the same things at the same places.
"""
from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest
import regex

from medlint.document import markdown, narrow, parse, segments
from medlint.document.narrow import PROBES, STAND_INS, stand_in

ROOT = Path(__file__).resolve().parents[1]
EMOJI = ["😀", "💊", "🩺", "👍🏽", "🇺🇸", "❤️", "🏴\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F",
         "⌚", "\ufffc", "😀😀", "\U0001F9EA"]
#: astral characters a check reads as letters or digits: never stood in for
LETTERS = ["𝐀", "𝟘", "𠀀", "𝓪", "\U0001E900"]


def sprinkle(text: str, seed: int, pool: list[str], rate: float = 0.1) -> str:
    rnd = random.Random(seed)
    out = []
    for piece in re.split(r"(\s+)", text):
        out.append(piece)
        if piece and not piece.isspace() and rnd.random() < rate:
            e = rnd.choice(pool)
            out.append(e if rnd.random() < 0.5 else " " + e)
    return "".join(out)


def test_every_stand_in_answers_every_probe_as_its_characters_do() -> None:
    flags = regex.IGNORECASE | regex.VERSION1
    samples = [chr(c) for c in range(0x10000, 0x30000, 97)] + [e for s in EMOJI + LETTERS for e in s]
    samples += [chr(c) for c in range(0x1F300, 0x1FAFF)] + [chr(c) for c in range(0xE0000, 0xE0080)]
    stood = 0
    for ch in samples:
        if ord(ch) <= 0xFFFF:
            continue
        sub = stand_in(ch)
        if sub is None:
            continue
        stood += 1
        assert sub in STAND_INS and len(sub) == 1 and ord(sub) <= 0xFFFF
        for probe in PROBES + (r"\b", r"\B", r"\m", r"\M"):
            for f in (0, flags):
                for ctx in ("{}", "a{}", "{}a", " {} "):
                    got = [m.span() for m in regex.finditer(probe, ctx.format(ch), f)]
                    want = [m.span() for m in regex.finditer(probe, ctx.format(sub), f)]
                    assert got == want, (hex(ord(ch)), probe, ctx)
        assert ch.isspace() == sub.isspace() and ch.isalnum() == sub.isalnum()
        assert ch.lower() == ch and ch.casefold() == ch and ch.upper() == ch
        assert "a{}b".format(ch).split() == ["a{}b".format(ch)]
    assert stood > 1000  # emoji, symbols, modifiers and tags all have one


@pytest.mark.parametrize("ch", LETTERS)
def test_astral_letters_and_digits_have_no_stand_in(ch: str) -> None:
    assert stand_in(ch) is None
    doc = parse(f"A {ch} word 😀.\n", narrow=True)
    assert doc.stand_ins == () and doc.prose == parse(f"A {ch} word 😀.\n").prose


def _drafts() -> list[str]:
    out = []
    for folder in ("tests/fixtures", "examples"):
        for f in sorted((ROOT / folder).rglob("*.md")):
            out.append(f.read_text(encoding="utf-8", errors="replace"))
    out.append("| 😀 | é 💊 |\n|--|--|\n| x 🩺 | y |\n\nText<br>😀 more: \n\n- 😀 item\n- b\n")
    out.append("<div>HTML 😀 block</div>\n\nAfter 💊 it.\r\nCRLF 😀 line\rCR line 😀\n")
    return out


@pytest.mark.parametrize("large", [False, True])
def test_narrowing_moves_no_offset_and_shown_gives_the_prose_back(large: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if large:  # every draft through the large-draft mask (and compact offsets)
        monkeypatch.setattr(markdown, "_MARKED_MASK_MIN", 0)
        monkeypatch.setattr(segments, "COMPACT_MIN", 0)
    drafts = _drafts()
    assert len(drafts) > 10
    narrowed = 0
    for n, text in enumerate(drafts):
        text = sprinkle(text, n, EMOJI)
        wide = parse(text)
        doc = parse(text, narrow=True)
        assert len(doc.prose) == len(wide.prose) == len(text)
        assert wide.stand_ins == ()
        diff = [i for i, (a, b) in enumerate(zip(wide.prose, doc.prose)) if a != b]
        assert diff == list(doc.stand_ins)
        assert all(ord(wide.prose[i]) > 0xFFFF and wide.prose[i] == text[i] for i in diff)
        if doc.stand_ins and max(doc.prose) <= "\uffff":  # 2 bytes a character, not 4
            narrowed += 1  # (an HTML block's prose keeps its characters: its own reader's)
        for a, b in [(b.start, b.end) for b in wide.blocks] + [(0, len(text))]:
            assert doc.shown(a, b) == wide.prose[a:b]
        rnd = random.Random(n)
        for _ in range(50):
            a = rnd.randrange(len(text) + 1)
            b = rnd.randrange(a, len(text) + 1)
            assert doc.shown(a, b) == wide.prose[a:b]
        assert [(b.start, b.end, b.kind, b.section, b.sentences, list(b.cells), b.lead_in)
                for b in doc.blocks] == [(b.start, b.end, b.kind, b.section, b.sentences,
                                          list(b.cells), b.lead_in) for b in wide.blocks]
        assert list(doc.lines.starts) == list(wide.lines.starts)
        assert doc.run_together() == wide.run_together()
        assert [(j.lead_start, j.lead_end, j.item_start, j.item_end) for j in doc._joined_items()
                if hasattr(j, "lead_start")] == [(j.lead_start, j.lead_end, j.item_start, j.item_end)
                                                 for j in wide._joined_items() if hasattr(j, "lead_start")]
    assert narrowed > 10


def test_only_markdown_is_narrowed_and_only_when_asked() -> None:
    text = "One 😀 two.\n"
    assert parse(text).prose == text and parse(text).shown(0, 11) == text
    assert parse(text, "html", narrow=True).stand_ins == ()
    assert parse(text, "text", narrow=True).stand_ins == ()
    doc = parse(text, narrow=True)
    assert list(doc.stand_ins) == [4] and doc.prose[4] != "😀" and doc.shown(0, 11) == text
    assert sys.getsizeof(doc.prose) < sys.getsizeof(parse(text).prose)


def test_every_rule_finds_the_same_at_the_same_places() -> None:
    """End to end: the bundled rules on narrowed and plain Documents of drafts full of emoji
    (and of astral letters, which turn narrowing off). Messages and contexts quote
    ``Document.prose``, so they are compared through ``shown`` by their callers; here the
    findings' rules, spans and matched source text are compared."""
    from medlint.linter import Linter

    lin = Linter()
    pool = EMOJI + ["😀"] * 5
    drafts = []
    for folder in ("tests/fixtures/labelled", "examples"):
        drafts += [f.read_text(encoding="utf-8") for f in sorted((ROOT / folder).rglob("*.md"))]
    assert len(drafts) >= 10
    total = 0
    for n, text in enumerate(drafts):
        for variant in (sprinkle(text, n, pool), sprinkle(text, n, pool + LETTERS, 0.05)):
            plain = lin.check_document(parse(variant)).findings
            narrowed = lin.check_document(parse(variant, narrow=True)).findings
            key = lambda f: (f.rule, f.start, f.end, f.line, f.column, f.match, f.severity)  # noqa: E731
            assert [key(f) for f in narrowed] == [key(f) for f in plain]
            total += len(plain)
    assert total > 100


def test_no_rule_mentions_a_stand_in_or_a_class_the_probes_leave_out() -> None:
    """The stand-ins are characters no rule writes, and every Unicode property a rule or a
    check uses is one ``narrow.PROBES`` compares (a rule asking for ``\\p{Emoji}`` would
    tell an emoji from its stand-in)."""
    probed = {m.group(1) for p in PROBES for m in re.finditer(r"\\p\{(\w+)\}", p)}
    sources = [f.read_text(encoding="utf-8") for f in sorted((ROOT / "rules").rglob("*.yaml"))]
    sources += [f.read_text(encoding="utf-8") for f in sorted((ROOT / "medlint" / "checks").glob("*.py"))]
    for src in sources:
        assert not any(s in src for s in STAND_INS)
        assert not re.search(r"[\U00010000-\U0010FFFF]|\\U000[1-9a-fA-F]|\\U0010|\\X|\\x\{1[0-9a-fA-F]{4}", src)
        for name in re.findall(r"\\[pP]\{\^?(\w+)", src):
            assert name in probed, name
    assert narrow.profile("\u231a") == narrow.profile("😀")


def test_findings_quote_astral_characters_as_written() -> None:
    """Whatever the Linter asks of the reader, a finding's context (and message) quotes the
    draft's own characters: a caller that narrows must quote through ``Document.shown``."""
    from medlint.linter import Linter

    text = "# Ketamine at home\n\nKetamine works fast 😀 and it cures 💊 depression.\n"
    findings = Linter().check(text, "markdown").findings
    quoted = [f for f in findings if "cures" in f.context]
    assert quoted and all("😀" in f.context and "💊" in f.context for f in quoted)
    assert all(f.match == text[f.start:f.end] for f in findings)
    assert not any(s in f.context + f.message for f in findings for s in STAND_INS)
