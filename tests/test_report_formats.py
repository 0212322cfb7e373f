"""The format registry: every format renders the same findings; formatters load lazily; JSON contract."""
from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from report_cli import run, use_compiled_rules

from medlint.linter import Linter
from medlint.report import FORMATS, Report, renderer

DRAFT = """# Ketamine

Ketamine is a revolutionary treatment and completely safe. His brother committed suicide.
Call (555) 010-3344 to book your free consultation.
"""


@pytest.fixture
def report(linter: Linter) -> Report:
    findings = linter.lint(DRAFT, "markdown", "d.md")
    return Report(findings=findings, files_checked=1, rules=list(linter.rules), files=["d.md"],
                  tool_version="0.1.0")


def test_registry_names_every_format():
    assert set(FORMATS) == {"text", "json", "sarif", "github", "junit", "html"}
    for name in FORMATS:
        assert callable(renderer(name))
    with pytest.raises(ValueError, match="unknown format 'yaml'"):
        renderer("yaml")


def test_every_format_shows_the_same_findings(report: Report):
    n = len(report.findings)
    assert n >= 5
    assert len(renderer("text")(report).splitlines()) == n + 1  # plus the summary
    assert len(json.loads(renderer("json")(report))["findings"]) == n
    assert len(json.loads(renderer("sarif")(report))["runs"][0]["results"]) == n
    assert len(renderer("github")(report).splitlines()) == n
    assert len(ET.fromstring(renderer("junit")(report)).findall(".//failure")) == n
    assert renderer("html")(report).count('<li id="d1-f') == n


def test_json_keeps_the_contract_and_adds_rule_metadata(report: Report):
    data = json.loads(renderer("json")(report))
    contract = {"path", "line", "column", "end_line", "end_column", "rule", "category", "severity", "message"}
    for f in data["findings"]:
        assert contract <= set(f)
        assert data["rules"][f["rule"]]["why"]
        assert data["rules"][f["rule"]]["source"]
    assert data["statistics"][0]["count"] >= data["statistics"][-1]["count"]
    assert sum(s["count"] for s in data["statistics"]) == len(data["findings"])
    assert data["tool"] == {"name": "medlint", "version": "0.1.0"}


def test_text_path_does_not_import_other_formatters(monkeypatch: pytest.MonkeyPatch, ruleset,
                                                      tmp_path: Path):
    """The pre-commit hook runs the text format: it must not pay for SARIF or JUnit code."""
    use_compiled_rules(monkeypatch, ruleset)
    monkeypatch.chdir(tmp_path)
    Path("d.md").write_text(DRAFT, encoding="utf-8")
    for name in ("sarif", "junit", "github", "json_format", "html"):
        monkeypatch.delitem(sys.modules, f"medlint.report.{name}", raising=False)
    result = run("d.md")
    assert result.exit_code == 1
    for name in ("sarif", "junit", "github", "json_format", "html"):
        assert f"medlint.report.{name}" not in sys.modules, name


def test_unknown_format_is_a_usage_error():
    result = run("--format", "yaml", "x.md")
    assert result.exit_code == 2
    assert "unknown format 'yaml'" in result.output
