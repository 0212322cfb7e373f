"""The public library API a CMS relies on: medlint.Linter, lint, lint_file, Finding, errors."""
from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path

import pytest

import medlint
from medlint import ConfigError, Finding, MedlintError, ReadError, Severity
from medlint.ruleset import RuleSet

DRAFT = "# Ketamine\n\nKetamine is a miracle cure. Call now to book.\n"


def test_public_names() -> None:
    for name in ("Linter", "LintResult", "Finding", "Severity", "Category", "CATEGORIES", "Config",
                 "ConfigError", "RuleError", "MedlintError", "ReadError", "lint", "lint_file"):
        assert hasattr(medlint, name), name
    assert set(medlint.__all__) <= set(dir(medlint)) | {"Linter", "LintResult"}
    assert (Path(medlint.__file__).parent / "py.typed").is_file()


def test_module_lint_and_linter_agree(linter: medlint.Linter) -> None:
    assert medlint.lint(DRAFT) == linter.lint(DRAFT) == medlint.Linter(None).lint(DRAFT, "markdown")
    assert medlint.lint(DRAFT, format="md") == medlint.lint(DRAFT)


def test_finding_is_immutable_and_json_ready() -> None:
    f = medlint.lint(DRAFT)[0]
    assert isinstance(f, Finding) and isinstance(f.severity, Severity)
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.start = 0  # type: ignore[misc]
    data = json.loads(json.dumps(f.to_dict()))
    for key in ("rule", "category", "severity", "message", "suggestion", "line", "column",
                "end_line", "end_column", "start", "end", "match"):
        assert key in data
    assert DRAFT[data["start"]:data["end"]] == data["match"]


@pytest.mark.parametrize("config", [
    {"ignore": ["promotion"]},
    medlint.Config(ignore=("promotion",)),
])
def test_config_object_or_mapping(ruleset: RuleSet, config: object) -> None:
    found = medlint.Linter(config, ruleset=ruleset).lint(DRAFT)  # type: ignore[arg-type]
    assert found and all(f.category != "promotion" for f in found)


def test_config_path(tmp_path: Path, ruleset: RuleSet) -> None:
    cfg = tmp_path / ".medlint.yaml"
    cfg.write_text("select: [promotion.hype]\n", encoding="utf-8")
    assert {f.rule for f in medlint.Linter(cfg).lint(DRAFT)} == {"promotion.hype"}
    assert {f.rule for f in medlint.Linter(str(cfg), ruleset=ruleset).lint(DRAFT)} == {"promotion.hype"}


@pytest.mark.parametrize("config, words", [
    ({"selec": ["claim"]}, "unknown key 'selec'"),
    ({"select": ["claim.no-such-rule"]}, "unknown rule id"),
    ({"severity": {"promotion.hype": "fatal"}}, "must be error, warning or info"),
    ({"select": "claim", "fail_on": "never"}, "fail_on"),
    (42, "config must be"),
    ("/no/such/dir/.medlint.yaml", "not found"),
])
def test_config_errors_are_documented_type(ruleset: RuleSet, config: object, words: str) -> None:
    with pytest.raises(ConfigError, match=words) as info:
        medlint.Linter(config, ruleset=ruleset)  # type: ignore[arg-type]
    assert isinstance(info.value, MedlintError)


def test_lint_file(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<p>A miracle cure.</p>", encoding="utf-8")
    found = medlint.lint_file(page)
    assert any(f.rule == "promotion.hype" and f.path == str(page) for f in found)
    assert medlint.lint_file(page, format="text")  # format given: read as plain text
    with pytest.raises(ReadError, match="no such file"):
        medlint.lint_file(tmp_path / "missing.md")
    binary = tmp_path / "x.md"
    binary.write_bytes(b"\x00\x01\x02")
    with pytest.raises(ReadError, match="binary"):
        medlint.lint_file(binary)


def test_caller_mistakes_raise_clearly() -> None:
    with pytest.raises(TypeError, match="decode bytes"):
        medlint.lint(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown format"):
        medlint.lint("text", format="docx")


def _garbage(seed: int) -> list[str]:
    rng = random.Random(seed)
    alphabet = ("<>&;#/!-=\"' \t\r\n\x00\x0b\x0c\u00a0\u200b\u0301\ufeff\U0001F600\ud800\udfff"
                "abcxyz019*_`[]()|~^$%{}\\")
    pieces = ["<p>", "</p>", "<li>", "<table>", "<tr>", "<td>", "<script>", "</script>", "<!--",
              "-->", "&amp;", "&nbsp;", "&#", "&#x", "&rsquo", "---\n", "```", "# ", "- ",
              "| a | b |\n|---|---|\n", "<![CDATA[", "<svg/>", "<pre>", "\r\n", "miracle cure ",
              "FDA-approved ", "call now ", "&#1114112;", "&#0;", "<h1>", "<br/>", "<!DOCTYPE x>"]
    out = ["", "\r", "\n\n", "\ud800", "&", "<", "<!--", "<p", "&#x;", "\ufeff",
           "<div>" * 300 + "miracle", "<p>" * 300, "&amp" * 300, "- " * 300 + "\n",
           "a" * 20_000, "miracle cure. " * 40]
    # (kept small: long runs of markup are slow for some rule patterns, a speed matter that
    # benchmarks track; this test is about never raising)
    for _ in range(25):
        n = rng.randint(1, 400)
        out.append("".join(rng.choice(pieces) if rng.random() < 0.3 else rng.choice(alphabet)
                           for _ in range(n)))
    return out


@pytest.mark.parametrize("fmt", ["markdown", "html", "text"])
def test_bad_text_never_raises(linter: medlint.Linter, fmt: str) -> None:
    for text in _garbage(seed=len(fmt)):
        for f in linter.lint(text, fmt):
            assert text[f.start:f.end] == f.match
            assert 0 <= f.start <= f.end <= len(text)


def test_docs_example_runs(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The runnable example in docs/api.md stays runnable (it lints a bundled example)."""
    import re

    repo = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(repo)
    code = re.search(r"```python\n(.*?)```", (repo / "docs" / "api.md").read_text(encoding="utf-8"), re.S)
    assert code is not None
    exec(compile(code.group(1), "docs/api.md", "exec"), {})  # noqa: S102 - our own docs
    assert "claim.absolute-safety" in capsys.readouterr().out
