"""GitHub Actions workflow commands, escaped as the Actions toolkit escapes them."""
from __future__ import annotations

from pathlib import Path

import pytest
from report_cli import run, use_compiled_rules

from medlint.finding import Finding, Severity
from medlint.report import FileError, Report
from medlint.report.github import escape_data, escape_property, render


def finding(**changes: object) -> Finding:
    values: dict = dict(rule="promotion.hype", category="promotion", severity=Severity.WARNING,
                        message='"miracle" is promotional.', line=3, column=5, end_line=3,
                        end_column=12, start=20, end=27, match="miracle", path="docs/a.md")
    values.update(changes)
    return Finding(**values)


def test_escape_data():
    assert escape_data("100% sure\r\nnext") == "100%25 sure%0D%0Anext"
    assert escape_data("a: b, c") == "a: b, c"  # : and , are fine in the message part
    assert escape_data("%0A") == "%250A"  # an escape-looking input stays literal


def test_escape_property():
    assert escape_property("a:b,c%d\re\nf") == "a%3Ab%2Cc%25d%0De%0Af"


def test_annotation_line():
    out = render(Report(findings=[finding()]))
    assert out == ("::warning file=docs/a.md,line=3,col=5,endLine=3,endColumn=12,"
                   'title=promotion.hype::"miracle" is promotional.\n')


def test_levels_follow_severity():
    out = render(Report(findings=[finding(severity=Severity.ERROR), finding(severity=Severity.INFO)]))
    assert [line.split(" ", 1)[0] for line in out.splitlines()] == ["::error", "::notice"]


def test_hostile_path_and_message_cannot_break_the_command():
    f = finding(path="docs/a,b:c%d.md", message="100% bad\nline=1::oops, really: yes\r")
    line = render(Report(findings=[f]))
    assert line.count("\n") == 1  # one command, one line
    assert "file=docs/a%2Cb%3Ac%25d.md," in line
    assert line.endswith("::100%25 bad%0Aline=1::oops, really: yes%0D\n")
    head, message = line.rstrip("\n").split("::", 2)[1:]
    assert head.startswith("warning ") and "\n" not in message and "\r" not in message


def test_unreadable_files_are_error_annotations():
    out = render(Report(findings=[], errors=[FileError("x,y.md", "x,y.md: not valid UTF-8")]))
    assert out == "::error file=x%2Cy.md,title=medlint%3A unreadable file::x,y.md: not valid UTF-8\n"


def test_cli_github_format(monkeypatch: pytest.MonkeyPatch, ruleset, tmp_path: Path):
    use_compiled_rules(monkeypatch, ruleset)
    monkeypatch.chdir(tmp_path)
    Path("d.md").write_text("His brother committed suicide.\n", encoding="utf-8")
    result = run("--format", "github", "d.md")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert all(line.startswith("::") for line in lines)
    swap = next(line for line in lines if "title=safety.suicide-language" in line)
    assert swap.startswith("::warning file=d.md,line=1,col=13,endLine=1,endColumn=30,")
    assert swap.endswith('(suggestion: "died by suicide")')


def test_a_notice_says_when_github_will_hide_annotations():
    many = [finding(line=n) for n in range(1, 13)]
    lines = render(Report(findings=many)).splitlines()
    assert len(lines) == 13
    assert lines[0].startswith("::notice title=medlint::medlint reported 12 warnings;")
    assert render(Report(findings=many[:10])).count("::notice") == 0
