"""Quick fixes of ``medlint lsp`` applied one after another (medlint/lsp/actions.py, no server).

A writer silences findings one at a time; each new comment must leave the earlier ones
working, whatever the draft's format and line endings.
"""
from __future__ import annotations

import pytest

import medlint
from medlint.lsp.actions import actions_for

DRAFTS = {
    "markdown": "# Ketamine\n\nOur revolutionary clinic offers ketamine. It is completely safe and the results\n"
                "are permanent. Many people who committed suicide had untreated depression.\n",
    "html": "<html><body>\n  <p>Our revolutionary clinic offers ketamine.\n"
            "  It is completely safe and the results are permanent.</p>\n</body></html>\n",
    "text": "Ketamine\n\nOur revolutionary clinic offers ketamine.\n"
            "It is completely safe and the results are permanent.\n",
}


def _apply(text: str, edits: object) -> str:
    for e in sorted(edits, key=lambda e: -e.start):  # type: ignore[attr-defined]
        text = text[:e.start] + e.new_text + text[e.end:]
    return text


@pytest.mark.parametrize("fmt", sorted(DRAFTS))
@pytest.mark.parametrize("eol", ["\n", "\r\n"])
def test_suppressing_every_finding_one_by_one(fmt: str, eol: str) -> None:
    linter = medlint.Linter()
    text = DRAFTS[fmt].replace("\n", eol)
    start = linter.lint(text, fmt)
    lines = {f.line for f in start}
    assert len(start) > len(lines)  # some line has two findings: the case that matters
    for _ in range(len(start)):
        findings = linter.lint(text, fmt)
        if not findings:
            break
        f = findings[0]
        [suppress] = [a for a in actions_for(linter, text, fmt, f, "reviewed") if a.title.startswith("Disable")]
        new = _apply(text, suppress.edits)
        after = linter.lint(new, fmt)
        assert sorted((g.rule, g.match) for g in after) == sorted((g.rule, g.match) for g in findings[1:]), new
        text = new
    assert linter.lint(text, fmt) == []
    assert text.count("medlint-disable") <= len(lines) + 1  # merged per line, not one per finding
    if eol == "\r\n":
        assert "\n" not in text.replace("\r\n", "")
