"""The `medlint` command through click's CliRunner: output, JSON contract, exit codes."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from medlint.cli import main

BAD = "# Ketamine\n\nKetamine is a miracle cure for depression.\n"
CLEAN = ("# Rest\n\nSleep matters. This page is general information, not a substitute for "
         "professional medical advice.\n")


def run(*args: str, input: str | None = None):  # noqa: A002 - click's name
    return CliRunner().invoke(main, list(args), input=input)


def test_findings_exit_1_with_path_line_col(tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text(BAD, encoding="utf-8")
    result = run("check", str(draft))
    assert result.exit_code == 1
    assert f"{draft}:3:15: warning [promotion.hype]" in result.output
    assert "Found" in result.output.splitlines()[-1]


def test_clean_file_exits_0(tmp_path: Path) -> None:
    draft = tmp_path / "clean.md"
    draft.write_text(CLEAN, encoding="utf-8")
    result = run("check", str(draft))
    assert result.exit_code == 0, result.output
    assert "No findings in 1 file." in result.output


def test_json_contract(tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text(BAD, encoding="utf-8")
    result = run("check", "--format", "json", str(draft))
    data = json.loads(result.output)
    assert data["findings"]
    for f in data["findings"]:
        for key in ("path", "line", "column", "end_line", "end_column", "rule", "category",
                    "severity", "message", "start", "end"):
            assert key in f
        assert f["path"] == str(draft)
        assert BAD[f["start"]:f["end"]] == f["match"]


def test_folders_recurse_into_known_suffixes(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.md").write_text(BAD, encoding="utf-8")
    (tmp_path / "two.txt").write_text("A miracle cure for all.\n", encoding="utf-8")
    (tmp_path / "skip.py").write_text("miracle = 'cure'\n", encoding="utf-8")
    result = run("check", "--format", "json", str(tmp_path))
    paths = {Path(f["path"]).name for f in json.loads(result.output)["findings"]}
    assert paths == {"one.md", "two.txt"}


def test_stdin(tmp_path: Path) -> None:
    result = run("check", "-", "--stdin-filename", "page.md", input=BAD)
    assert result.exit_code == 1
    assert "page.md:3:15:" in result.output


def test_select_ignore_and_min_severity(tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text(BAD + "\nIt is completely safe.\n", encoding="utf-8")
    only_claims = json.loads(run("check", "-f", "json", "--select", "claim", str(draft)).output)
    assert {f["category"] for f in only_claims["findings"]} == {"claim"}
    no_hype = json.loads(run("check", "-f", "json", "--ignore", "promotion.hype,disclaimer", str(draft)).output)
    assert all(f["rule"] != "promotion.hype" and f["category"] != "disclaimer" for f in no_hype["findings"])
    errors_only = json.loads(run("check", "-f", "json", "--min-severity", "error", str(draft)).output)
    assert errors_only["findings"] and all(f["severity"] == "error" for f in errors_only["findings"])


def test_fail_on_error_ignores_warnings(tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text("# Note\n\nA groundbreaking idea about sleep.\n", encoding="utf-8")
    assert run("check", "--fail-on", "error", str(draft)).exit_code == 0
    assert run("check", str(draft)).exit_code == 1


def test_missing_file_exits_2_but_others_are_reported(tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text(BAD, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(tmp_path / "nope.md"), str(draft)])
    assert result.exit_code == 2
    assert "promotion.hype" in result.output
    assert "nope.md: no such file" in result.output


def test_unknown_rule_in_select_is_a_usage_error(tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text(BAD, encoding="utf-8")
    result = run("check", "--select", "claim.no-such-rule", str(draft))
    assert result.exit_code == 2
    assert "claim.no-such-rule" in result.output


def test_no_paths_is_a_usage_error() -> None:
    assert run("check").exit_code == 2


def test_rules_and_explain() -> None:
    listing = run("rules")
    assert listing.exit_code == 0 and "claim.ketamine-fda-approval" in listing.output
    rules = json.loads(run("rules", "--format", "json").output)
    assert all({"id", "category", "severity", "pack", "summary"} <= set(r) for r in rules)
    explained = run("explain", "claim.ketamine-fda-approval")
    assert explained.exit_code == 0 and "Why:" in explained.output and "Source:" in explained.output
    assert run("explain", "claim.nope").exit_code == 2
