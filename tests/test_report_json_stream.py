"""The JSON report is written piece by piece, and prints exactly what ``json.dumps`` prints."""
from __future__ import annotations

import json

import pytest

from medlint.linter import Linter
from medlint.report import Report, streaming_renderer
from medlint.report.json_format import chunks, render


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter()


@pytest.mark.parametrize("text", [
    "Ketamine cures depression. Book now! 😀 “quoted” \\ \"escaped\"\n",
    "Nothing to see.\n",
    "",
])
def test_pieces_join_to_the_json_dumps_layout(linter: Linter, text: str) -> None:
    findings = linter.lint(text, path="a.md")
    for rules in (list(linter.rules), []):
        report = Report(findings=findings, files_checked=1, rules=rules, files=["a.md"])
        out = render(report)
        assert out == json.dumps(json.loads(out), indent=2, ensure_ascii=False) + "\n"
        assert [f["rule"] for f in json.loads(out)["findings"]] == [f.rule for f in findings]


def test_one_piece_per_finding_so_memory_holds_one_finding_at_a_time(linter: Linter) -> None:
    findings = linter.lint("This revolutionary drip is revolutionary. " * 50, path="a.md")
    report = Report(findings=findings, files_checked=1, rules=[], files=["a.md"])
    pieces = chunks(report)
    assert not isinstance(pieces, (list, str)) and sum(1 for _ in pieces) >= len(findings) > 40
    assert streaming_renderer("json") is chunks and streaming_renderer("text") is None
