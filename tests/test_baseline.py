"""The content-keyed baseline: old findings survive edits above them, new ones are reported,
duplicates are counted, and bad baseline files are clear errors."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from medlint.baseline import Baseline, write_baseline
from medlint.cli import main
from medlint.config import Config
from medlint.errors import ConfigError
from medlint.linter import Linter
from medlint.ruleset import RuleSet

HYPE = "promotion.hype"
FDA = "claim.ketamine-fda-approval"
DRAFT = "# Clinic\n\nOur revolutionary clinic helps.\n\nKetamine is FDA-approved for depression.\n"
SELECT = ["--no-config", "--select", f"{HYPE},{FDA}"]


def check(*args: str) -> tuple[int, list[dict], str]:
    result = CliRunner().invoke(main, ["check", "-f", "json", *SELECT, *args])
    findings = json.loads(result.stdout)["findings"] if result.stdout.strip() else []
    return result.exit_code, findings, result.stderr


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "page.md").write_text(DRAFT, encoding="utf-8")
    return tmp_path


def test_write_baseline_then_nothing_is_reported(repo: Path) -> None:
    result = CliRunner().invoke(main, ["check", *SELECT, "drafts", "--write-baseline", "baseline.json"])
    assert result.exit_code == 0, result.output
    assert "recorded 2 findings" in result.stderr
    data = json.loads((repo / "baseline.json").read_text(encoding="utf-8"))
    assert {(e["rule"], e["path"], e["match"], e["count"]) for e in data["findings"]} == {
        (HYPE, "drafts/page.md", "revolutionary", 1), (FDA, "drafts/page.md", "FDA-approved", 1)}
    assert all("line" not in e for e in data["findings"])
    code, findings, err = check("drafts", "--baseline", "baseline.json")
    assert (code, findings) == (0, [])
    assert "2 known findings hidden by the baseline" in err


def test_baseline_survives_an_inserted_paragraph_and_rewrapping(repo: Path) -> None:
    assert check("drafts", "--write-baseline", "baseline.json")[0] == 0
    page = repo / "drafts" / "page.md"
    edited = DRAFT.replace("# Clinic\n\n", "# Clinic\n\nA new first paragraph.\n\nAnd another\none.\n\n")
    edited = edited.replace("Ketamine is FDA-approved", "Ketamine is\nFDA-approved")
    page.write_text(edited, encoding="utf-8")
    assert check("drafts", "--baseline", "baseline.json")[:2] == (0, [])


def test_new_finding_is_still_reported(repo: Path) -> None:
    check("drafts", "--write-baseline", "baseline.json")
    page = repo / "drafts" / "page.md"
    page.write_text(DRAFT + "\nA revolutionary new approach.\n", encoding="utf-8")
    code, findings, _ = check("drafts", "--baseline", "baseline.json")
    assert code == 1
    assert [(f["rule"], f["line"]) for f in findings] == [(HYPE, 7)]


def test_a_finding_in_a_new_file_is_reported(repo: Path) -> None:
    check("drafts", "--write-baseline", "baseline.json")
    (repo / "drafts" / "copy.md").write_text(DRAFT, encoding="utf-8")
    findings = check("drafts", "--baseline", "baseline.json")[1]
    assert {f["path"] for f in findings} == {str(Path("drafts/copy.md"))}


def test_duplicates_are_counted(repo: Path, ruleset: RuleSet) -> None:
    twice = "Our revolutionary clinic helps.\n\nOur revolutionary clinic helps.\n"
    linter = Linter(Config(select=(HYPE,)), ruleset=ruleset)
    old = linter.lint(twice, path="p.md")
    assert write_baseline(repo / "b.json", old) == 2
    data = json.loads((repo / "b.json").read_text(encoding="utf-8"))
    assert [e["count"] for e in data["findings"]] == [2]
    baseline = Baseline.load(repo / "b.json")
    assert baseline.filter(old) == ([], 2)
    thrice = linter.lint(twice + "\nOur revolutionary clinic helps.\n", path="p.md")
    new, known = baseline.filter(thrice)
    assert known == 2 and [f.line for f in new] == [5]


def test_paths_are_relative_to_the_baseline_file(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check("drafts/page.md", "--write-baseline", "baseline.json")
    monkeypatch.chdir(repo / "drafts")  # run from another folder: the paths still match
    assert check("page.md", "--baseline", "../baseline.json")[:2] == (0, [])


@pytest.mark.parametrize("content, message", [
    (None, "baseline file not found (create it with --write-baseline)"),
    ("{not json", "baseline.json:1: baseline is not valid JSON"),
    ('{"version": 99, "findings": []}', "not a medlint baseline"),
    ('{"version": 1, "findings": [{"rule": "x"}]}', "baseline entry #1 needs rule, path, match, context"),
])
def test_bad_baseline_is_a_clear_error(repo: Path, content: str | None, message: str) -> None:
    if content is not None:
        (repo / "baseline.json").write_text(content, encoding="utf-8")
    code, findings, err = check("drafts", "--baseline", "baseline.json")
    assert code == 2 and findings == []
    assert "baseline.json" in err and message in err
    with pytest.raises(ConfigError, match="baseline"):
        Baseline.load(repo / "baseline.json")


def test_baseline_and_write_baseline_together_is_a_usage_error(repo: Path) -> None:
    result = CliRunner().invoke(main, ["check", "drafts", "--baseline", "a.json", "--write-baseline", "b.json"])
    assert result.exit_code == 2 and "cannot be combined" in result.output
