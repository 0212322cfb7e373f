"""`medlint check --format html`: one self-contained page, every draft highlighted, everything
escaped; the highlighting itself (shared with the review page of `medlint serve`)."""
from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from hypothesis import given, settings, strategies as st
from report_cli import run, use_compiled_rules

from medlint.finding import Finding, Severity
from medlint.linter import Linter
from medlint.report import Report
from medlint.report.html import highlight, render, summarize

DRAFT = """# Ketamine

Ketamine is a revolutionary treatment and completely safe. His brother committed suicide.
Call (555) 010-3344 to book your free consultation.
"""
EVIL = 'Ketamine is completely safe. <script>alert("x")</script><img src=x onerror=alert(1)> "quoted" & more'


def finding(start: int, end: int, rule: str = "promotion.hype", category: str = "promotion",
            severity: Severity = Severity.WARNING, message: str = "msg") -> Finding:
    return Finding(rule=rule, category=category, severity=severity, message=message, line=1,
                   column=start + 1, end_line=1, end_column=end + 1, start=start, end=end)


def text_of(rendered: str) -> str:
    """What a browser shows of a highlighted <pre>: tags dropped, entities decoded."""
    inner = re.search(r'<pre class="draft">(.*)</pre>', rendered, re.S)
    assert inner
    return html.unescape(re.sub(r"<[^>]+>", "", inner.group(1)))


def report_for(linter: Linter, drafts: dict[str, str]) -> Report:
    findings = [f for path, text in drafts.items() for f in linter.lint(text, "markdown", path)]
    return Report(findings=findings, files_checked=len(drafts), rules=list(linter.rules),
                  files=list(drafts), sources=dict(drafts), tool_version="0.1.0")


def test_every_draft_and_finding_is_on_one_self_contained_page(linter: Linter):
    clean = "General information only; ask your doctor.\n"
    page = render(report_for(linter, {"a.md": DRAFT, "clean.md": clean}))
    findings = linter.lint(DRAFT, "markdown", "a.md")
    assert page.count('<li id="d1-f') == len(findings)
    assert '<section class="draft-view" id="d2">' in page  # clean drafts are listed too
    assert "2 drafts; 1 not ready to publish, 1 ready." in page
    assert "Not ready to publish" in page
    # no network: no external stylesheet, script, font or image
    assert not re.search(r'<(link|script)[^>]+(href|src)=', page)
    assert "http://" not in page and "https://" not in page
    for f in findings:
        assert f'href="#d1-f' in page and html.escape(f.message, quote=True) in page


def test_draft_text_is_escaped_and_shown_exactly(linter: Linter):
    findings = linter.lint(EVIL, "text")
    rendered = highlight(EVIL, findings, "d1")
    assert "<script" not in rendered and "<img" not in rendered
    assert text_of(rendered) == EVIL
    page = render(Report(findings=[f for f in findings], files_checked=1, rules=list(linter.rules),
                         files=["-"], sources={"-": EVIL}))
    assert page.count("<script>") == 1  # medlint's own, inlined at the end


def test_overlapping_and_empty_findings():
    text = "committed suicide today"
    a = finding(0, 17, "safety.suicide-language", "safety")
    b = finding(10, 17, "safety.suicide-no-crisis-resource", "safety", Severity.ERROR)
    pin = finding(23, 23, "disclaimer.missing", "disclaimer")
    rendered = highlight(text, [a, b, pin], "d1")
    assert text_of(rendered) == text
    pieces = re.findall(r'<a class="([^"]+)" href="[^"]+" data-refs="([^"]+)"[^>]*>([^<]*)</a>', rendered)
    assert [(refs, words) for _cls, refs, words in pieces] == [
        ("d1-f1", "committed "), ("d1-f1 d1-f2", "suicide"), ("d1-f3", "")]
    assert "sev-error" in pieces[1][0]  # the piece takes the worse severity
    assert "pin" in pieces[2][0]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=80), st.lists(st.tuples(st.integers(0, 90), st.integers(0, 90)), max_size=6))
def test_highlighting_never_changes_the_text(text: str, spans: list[tuple[int, int]]):
    findings = [finding(min(a, b), max(a, b)) for a, b in spans]
    rendered = highlight(text, findings, "d1")
    assert text_of(rendered) == text
    assert rendered.count("<a ") == rendered.count("</a>")


def test_summary_counts_and_verdict(linter: Linter):
    findings = linter.lint(DRAFT)
    s = summarize(findings)
    assert s["total"] == len(findings)
    assert s["publish"] is (not any(f.severity is Severity.ERROR for f in findings))
    assert sum(s["severity"].values()) == sum(s["category"].values()) == len(findings)


def test_cli_writes_the_html_report(monkeypatch: Any, ruleset: Any, tmp_path: Path):
    use_compiled_rules(monkeypatch, ruleset)
    monkeypatch.chdir(tmp_path)
    Path("a.md").write_text(DRAFT, encoding="utf-8")
    Path("b.html").write_text("<p>" + EVIL.replace("<script>", "&lt;script&gt;") + "</p>", encoding="utf-8")
    result = run("a.md", "b.html", "--format", "html", "--output", "report.html")
    assert result.exit_code == 1
    page = Path("report.html").read_text(encoding="utf-8")
    assert "<h2>a.md</h2>" in page and "<h2>b.html</h2>" in page
    assert "committed suicide" in page and "died by suicide" in page
    stdout = run("a.md", "--format", "html")
    assert stdout.exit_code == 1 and stdout.output.startswith("<!DOCTYPE html>")
