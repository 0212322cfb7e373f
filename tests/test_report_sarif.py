"""SARIF 2.1.0: schema-valid for every dev draft, rules as descriptors, fixes only for swaps."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

import pytest
from report_cli import run, use_compiled_rules

from medlint.linter import Linter
from medlint.report import Report
from medlint.report.sarif import artifact_location, sarif_log

jsonschema = pytest.importorskip("jsonschema")

DRAFT = "Ketamine is a revolutionary treatment. His brother committed suicide.\n"


@pytest.fixture
def validator(shared: Path):
    schema = json.loads((shared / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, ruleset, tmp_path: Path) -> Path:
    use_compiled_rules(monkeypatch, ruleset)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def sarif_for(*args: str) -> dict:
    result = run("--format", "sarif", *args)
    assert result.exit_code in (0, 1, 2), result.output
    return json.loads(result.stdout)


def test_dev_drafts_validate_against_the_schema(cli: Path, shared: Path, validator):
    dev = shared / "corpus" / "dev"
    log = sarif_for(str(dev))
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])
    run_ = log["runs"][0]
    results = run_["results"]
    assert len(results) > 50  # the dev drafts are full of problems: this is not a vacuous pass
    rules = run_["tool"]["driver"]["rules"]
    for res in results:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        region = res["locations"][0]["physicalLocation"]["region"]
        uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        text = Path(unquote(uri.removeprefix("file://"))).read_bytes().decode("utf-8-sig")
        # offsets are code points into the file's text, and agree with line/column
        piece = text[region["charOffset"]:region["charOffset"] + region["charLength"]]
        line = text.splitlines(keepends=True)[region["startLine"] - 1]
        assert line[region["startColumn"] - 1:].startswith(piece.split("\n")[0])


def test_examples_validate_and_carry_every_rule_that_ran(cli: Path, validator, ruleset):
    repo = Path(__file__).resolve().parent.parent
    (cli / "d.md").write_text(DRAFT, encoding="utf-8")
    log = sarif_for("d.md", str(repo / "examples"))
    validator.validate(log)
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "medlint"
    assert driver["version"] and driver["informationUri"].startswith("https://")
    ids = [r["id"] for r in driver["rules"]]
    assert set(ids) == {r.id for r in Linter(ruleset=ruleset).rules}
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert "Source:" in rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert log["runs"][0]["columnKind"] == "unicodeCodePoints"
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_fixes_only_for_replacements(cli: Path, validator):
    (cli / "d.md").write_text(DRAFT, encoding="utf-8")
    log = sarif_for("d.md")
    validator.validate(log)
    by_rule = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    swap = by_rule["safety.suicide-language"]
    change = swap["fixes"][0]["artifactChanges"][0]
    assert change["artifactLocation"] == {"uri": "d.md", "uriBaseId": "%SRCROOT%"}
    replacement = change["replacements"][0]
    assert replacement["insertedContent"]["text"] == "died by suicide"
    deleted = replacement["deletedRegion"]
    assert DRAFT[deleted["charOffset"]:deleted["charOffset"] + deleted["charLength"]] == "committed suicide"
    assert deleted == swap["locations"][0]["physicalLocation"]["region"]
    # a sentence to add is not a replacement: no fix, the text is kept as a property
    crisis = by_rule["safety.suicide-no-crisis-resource"]
    assert "fixes" not in crisis
    assert crisis["properties"]["suggestion"].startswith("If you are having thoughts of suicide")
    assert "fixes" not in by_rule["promotion.hype"]
    assert swap["level"] == "warning" and crisis["level"] == "error"


def test_unreadable_file_is_a_failed_execution_notification(cli: Path, validator):
    (cli / "bad.md").write_bytes(b"A miracle \xff cure.\n")
    (cli / "d.md").write_text(DRAFT, encoding="utf-8")
    result = run("--format", "sarif", "bad.md", "d.md")
    assert result.exit_code == 2
    log = json.loads(result.stdout)
    validator.validate(log)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    note = invocation["toolExecutionNotifications"][0]
    assert note["level"] == "error"
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "bad.md"
    assert log["runs"][0]["results"]  # d.md is still reported


def test_uris_are_relative_and_percent_encoded(tmp_path: Path):
    assert artifact_location("drafts/a b/é.md", tmp_path) == {
        "uri": "drafts/a%20b/%C3%A9.md", "uriBaseId": "%SRCROOT%"}
    assert artifact_location("./x.md", tmp_path)["uri"] == "x.md"
    inside = artifact_location(str(tmp_path / "sub" / "x.md"), tmp_path)
    assert inside == {"uri": "sub/x.md", "uriBaseId": "%SRCROOT%"}
    outside = artifact_location("/elsewhere/x.md", tmp_path)
    assert outside == {"uri": "file:///elsewhere/x.md"}
    up = artifact_location("../x.md", tmp_path / "repo")
    assert up == {"uri": (tmp_path.resolve() / "x.md").as_uri()}
    assert artifact_location("a/../b%#.md", tmp_path)["uri"] == "b%25%23.md"


def test_fingerprints_ignore_line_moves_and_separate_repeats(linter: Linter, tmp_path: Path):
    def prints(text: str) -> list[str]:
        report = Report(findings=linter.lint(text, "markdown", "d.md"), rules=list(linter.rules))
        results = sarif_log(report, tmp_path)["runs"][0]["results"]
        return [r["partialFingerprints"]["medlintContentHash/v1"] for r in results
                if r["ruleId"] == "promotion.hype"]

    one = prints("A revolutionary drug.\n")
    moved = prints("# Title\n\nIntro.\n\nA revolutionary drug.\n")
    assert one == moved
    twice = prints("A revolutionary drug.\n\nA revolutionary drug.\n")
    assert len(set(twice)) == 2 and twice[0] == one[0]
