"""The compiled-rules cache and --jobs change nothing but speed."""
from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from medlint.cli import main
from medlint.ruleset import load_ruleset

REPO = Path(__file__).resolve().parent.parent


def test_cache_round_trip_gives_the_same_rules(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("MEDLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("MEDLINT_NO_CACHE", raising=False)
    first = load_ruleset()
    cached = list(tmp_path.glob("ruleset-*.pickle"))
    assert len(cached) == 1
    second = load_ruleset()
    assert [r.id for r in second.rules] == [r.id for r in first.rules]
    assert second.scanner.summary() == first.scanner.summary()


def test_corrupt_or_unwritable_cache_is_ignored(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("MEDLINT_CACHE_DIR", str(tmp_path))
    load_ruleset()
    entry = next(tmp_path.glob("ruleset-*.pickle"))
    entry.write_bytes(b"not a pickle")
    assert load_ruleset().rules
    blocked = tmp_path / "file"
    blocked.write_text("x")
    monkeypatch.setenv("MEDLINT_CACHE_DIR", str(blocked / "sub"))  # cannot be created
    assert load_ruleset().rules


def test_rule_file_change_is_not_served_stale(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("MEDLINT_CACHE_DIR", str(tmp_path / "cache"))
    rules = tmp_path / "mine"
    rules.mkdir()
    rule = """rules:
  - id: house.spa
    kind: existence
    category: promotion
    severity: warning
    terms: [{term}]
    message: spa
    why: spa
    source: house
"""
    (rules / "r.yaml").write_text(rule.format(term="spa-like setting"))
    assert "house.spa" in {r.id for r in load_ruleset(extra_dirs=[rules]).rules}
    (rules / "r.yaml").write_text(rule.format(term="pamper yourself"))
    fresh = load_ruleset(extra_dirs=[rules]).by_id()["house.spa"]
    assert "pamper" in fresh.check.trigger.pattern


def test_jobs_output_is_identical(tmp_path: Path) -> None:
    for i in range(6):
        for src in sorted((REPO / "examples").glob("*.md")):
            (tmp_path / f"{i}-{src.name}").write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    runner = CliRunner()
    one = runner.invoke(main, ["check", str(tmp_path), "--no-config", "--jobs", "1", "--format", "json"])
    two = runner.invoke(main, ["check", str(tmp_path), "--no-config", "--jobs", "2", "--format", "json"])
    assert one.exit_code == two.exit_code == 1
    assert one.output == two.output
    assert os.cpu_count()
