"""The text format and the terminal-facing flags: colour, --show-source, --statistics, --output."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from report_cli import run, use_compiled_rules

from medlint.linter import Linter
from medlint.report import Report
from medlint.report.emit import use_color
from medlint.report.text import render

DRAFT = """# Ketamine

Ketamine is a revolutionary treatment. His brother committed suicide last year.
Book your free consultation now.
"""
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def report(linter: Linter) -> Report:
    findings = linter.lint(DRAFT, "markdown", "d.md")
    return Report(findings=findings, files_checked=1, rules=list(linter.rules), files=["d.md"],
                  sources={"d.md": DRAFT})


@pytest.fixture
def draft(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ruleset) -> Path:
    use_compiled_rules(monkeypatch, ruleset)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    path = tmp_path / "d.md"
    path.write_text(DRAFT, encoding="utf-8")
    return path


def test_one_line_per_finding_then_summary(report: Report):
    lines = render(report).splitlines()
    assert len(lines) == len(report.findings) + 1
    assert lines[0].startswith('d.md:3:15: warning [promotion.hype] "revolutionary" is promotional.')
    assert lines[-1] == ("Found 6 findings in 1 file (1 error, 5 warning; 4 promotion, 2 safety).")
    assert not ANSI.search(render(report))


def test_only_replacements_are_appended_to_the_line(report: Report):
    text = render(report)
    swap = next(line for line in text.splitlines() if "[safety.suicide-language]" in line)
    assert swap.endswith('(suggestion: "died by suicide")')
    crisis = next(line for line in text.splitlines() if "[safety.suicide-no-crisis-resource]" in line)
    assert "suggestion" not in crisis  # a sentence to add: shown with --show-source only


def test_show_source_adds_snippets_and_sentence_suggestions(report: Report):
    report.show_source = True
    text = render(report)
    assert "3 | Ketamine is a revolutionary treatment." in text
    assert "  |               ^^^^^^^^^^^^^" in text
    assert "  = suggestion: If you are having thoughts of suicide" in text


def test_match_is_quoted_when_the_message_does_not_quote_it(linter: Linter):
    text = "Ketamine is FDA approved for depression.\n"
    findings = [f for f in linter.lint(text, "markdown", "d.md") if f.rule == "claim.ketamine-fda-approval"]
    assert findings
    line = render(Report(findings=findings, files_checked=1, rules=list(linter.rules))).splitlines()[0]
    assert f'[claim.ketamine-fda-approval] "{findings[0].match}": ' in line


def test_colour_underlines_the_match_and_colours_severity(report: Report):
    report.color = True
    text = render(report)
    assert "\x1b[4mrevolutionary\x1b[0m" in text
    assert "\x1b[1;33mwarning\x1b[0m" in text
    assert ANSI.sub("", text) == render(Report(**{**report.__dict__, "color": False}))


def test_statistics_sorted_by_count_then_id(report: Report):
    report.statistics = True
    lines = render(report).splitlines()
    rows = [line.split() for line in lines[:-1]]
    assert [(r[0], r[1]) for r in rows] == [
        ("1", "promotion.call-to-action"), ("1", "promotion.hype"), ("1", "promotion.provider-promise"),
        ("1", "promotion.selling-imperative"), ("1", "safety.suicide-language"),
        ("1", "safety.suicide-no-crisis-resource")]
    assert lines[-1].startswith("Found 6 findings")


def test_statistics_most_frequent_first(linter: Linter):
    findings = linter.lint("A miracle, a miracle, a breakthrough. Book your visit.\n", "markdown", "d.md")
    lines = render(Report(findings=findings, files_checked=1, statistics=True)).splitlines()
    assert lines[0].split()[:2] == ["3", "promotion.hype"]


def test_no_findings_summary():
    assert render(Report(findings=[], files_checked=2)) == "No findings in 2 files.\n"


def test_use_color_rules(monkeypatch: pytest.MonkeyPatch):
    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    assert use_color("auto", Tty()) is True
    assert use_color("auto", None) is False
    assert use_color("never", Tty()) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color("auto", Tty()) is False
    assert use_color("always", None) is True  # an explicit flag beats NO_COLOR
    monkeypatch.setenv("NO_COLOR", "")
    assert use_color("auto", Tty()) is True  # empty NO_COLOR is unset, per no-color.org


def test_cli_color_flag(draft: Path):
    plain = run("d.md")
    assert plain.exit_code == 1
    assert not ANSI.search(plain.output)  # not a terminal: auto means no colour
    always = run("d.md", "--color", "always", env={"NO_COLOR": "1"})
    assert ANSI.search(always.output)
    assert ANSI.sub("", always.output) == plain.output
    assert not ANSI.search(run("d.md", "--color", "never").output)


def test_cli_show_source_and_statistics(draft: Path):
    shown = run("d.md", "--show-source")
    assert "4 | Book your free consultation now." in shown.output
    stats = run("d.md", "--statistics")
    assert stats.output.splitlines()[0].split()[:2] == ["1", "promotion.call-to-action"]
    assert "d.md:3:15" not in stats.output


def test_cli_statistics_with_a_machine_format_needs_output(draft: Path):
    result = run("d.md", "--format", "json", "--statistics")
    assert result.exit_code == 2
    assert "--output" in result.output


def test_cli_output_writes_report_and_prints_summary(draft: Path):
    result = run("d.md", "--format", "sarif", "--output", "out.sarif", "--statistics")
    assert result.exit_code == 1
    assert Path("out.sarif").read_text(encoding="utf-8").lstrip().startswith("{")
    lines = result.output.splitlines()
    assert lines[-1].startswith("Found 6 findings in 1 file")
    assert any(line.split()[1:2] == ["promotion.hype"] for line in lines[:-1])
    text = run("d.md", "--output", "out.txt", "--show-source")
    assert text.output.strip().startswith("Found 6 findings")  # snippets go to the file only
    assert "^^^^" in Path("out.txt").read_text(encoding="utf-8")


def test_cli_output_refuses_to_overwrite_a_checked_draft(draft: Path):
    result = run("d.md", "--output", "d.md")
    assert result.exit_code == 2
    assert "refusing" in result.output
    assert draft.read_text(encoding="utf-8") == DRAFT
    folder = run(".", "--output", "d.md")  # found inside a folder, too
    assert folder.exit_code == 2
    assert draft.read_text(encoding="utf-8") == DRAFT


def test_cli_output_unwritable_is_a_clear_error(draft: Path):
    result = run("d.md", "--output", "missing/dir/out.json", "--format", "json")
    assert result.exit_code == 2
    assert "cannot write the report to missing/dir/out.json" in result.output
