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


def test_key_follows_rule_bytes_not_their_size_and_time(tmp_path: Path) -> None:
    """A checkout can rewrite a rule file within one timestamp tick, at the same size."""
    from medlint import cache

    rule = tmp_path / "r.yaml"
    rule.write_text("terms: [spa]\n")
    st = rule.stat()
    before = cache.key([rule])
    rule.write_text("terms: [fad]\n")
    os.utime(rule, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert rule.stat().st_size == st.st_size and rule.stat().st_mtime_ns == st.st_mtime_ns
    assert cache.key([rule]) != before
    assert cache.key([rule], extra="other packs") != cache.key([rule])


def test_key_follows_medlint_sources_and_libraries(tmp_path: Path, monkeypatch) -> None:
    from medlint import cache

    package = tmp_path / "medlint"
    (package / "checks").mkdir(parents=True)
    (package / "__pycache__").mkdir()
    (package / "cache.py").write_text("# the module whose folder is listed\n")
    source = package / "checks" / "claim.py"
    source.write_text("A = 1\n")
    (package / "__pycache__" / "claim.cpython-311.pyc").write_bytes(b"ignored")
    monkeypatch.setattr(cache, "__file__", str(package / "cache.py"))
    assert [line.split(":")[0] for line in cache._sources(str(package))] == ["cache.py", "checks/claim.py"]
    before = cache.key([])
    source.write_text("A = 2\n")  # same size: the time tells
    os.utime(source, ns=(1, 1))
    assert cache.key([]) != before
    # the libraries whose formats are in the pickle are found, without importing PyYAML
    versions = cache._versions()
    for name in cache.LIBRARIES:
        assert f"{name}=?" not in versions


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
