"""JUnit XML: parses with the standard library, one testcase per file, errors for unreadable ones."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from report_cli import run, use_compiled_rules

from medlint.finding import Finding, Severity
from medlint.report import FileError, Report
from medlint.report.junit import render


def finding(path: str, **changes: object) -> Finding:
    values: dict = dict(rule="promotion.hype", category="promotion", severity=Severity.WARNING,
                        message='"miracle" is promotional.', line=1, column=3, end_line=1,
                        end_column=10, start=2, end=9, match="miracle", path=path)
    values.update(changes)
    return Finding(**values)


def test_parses_with_one_testcase_per_file_and_a_failure_per_finding():
    report = Report(findings=[finding("a.md"), finding("a.md", line=2), finding("b.md")],
                    files=["a.md", "b.md", "clean.md"], files_checked=3,
                    errors=[FileError("bad.md", "bad.md: not valid UTF-8: byte 0xff at offset 3")])
    root = ET.fromstring(render(report))
    suites = root.findall("testsuite")
    assert len(suites) == 1
    suite = suites[0]
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "2", "1")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert list(cases) == ["a.md", "b.md", "clean.md", "bad.md"]
    assert len(cases["a.md"].findall("failure")) == 2
    assert cases["a.md"].find("failure").get("type") == "promotion.hype"
    assert cases["a.md"].find("failure").get("message").startswith("1:3: warning [promotion.hype]")
    assert list(cases["clean.md"]) == []  # a clean file is a passing testcase
    error = cases["bad.md"].find("error")
    assert error is not None and "0xff" in error.get("message")


def test_markup_and_control_characters_stay_parseable():
    nasty = 'Claims <b>"cure"</b> & more\x1b[31m\x00\x0b\ud800 ]]> end'
    report = Report(findings=[finding("x<&>.md", message=nasty, match=nasty)], files=["x<&>.md"])
    root = ET.fromstring(render(report))
    failure = root.find("testsuite/testcase/failure")
    assert '<b>"cure"</b> & more' in failure.get("message")
    assert "]]> end" in failure.text
    assert root.find("testsuite/testcase").get("name") == "x<&>.md"


def test_cli_junit(monkeypatch: pytest.MonkeyPatch, ruleset, tmp_path: Path):
    use_compiled_rules(monkeypatch, ruleset)
    monkeypatch.chdir(tmp_path)
    Path("d.md").write_text("A revolutionary drug.\n", encoding="utf-8")
    Path("clean.md").write_text("# Notes\n", encoding="utf-8")
    Path("bad.md").write_bytes(b"A miracle \xff cure.\n")
    result = run("--format", "junit", "d.md", "clean.md", "bad.md")
    assert result.exit_code == 2  # a file could not be read
    suite = ET.fromstring(result.stdout).find("testsuite")
    names = [case.get("name") for case in suite.findall("testcase")]
    assert sorted(names) == ["bad.md", "clean.md", "d.md"]
    assert suite.get("errors") == "1"
