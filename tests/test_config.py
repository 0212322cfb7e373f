"""Project configuration: discovery, precedence of CLI flags, every setting, and errors
that name the file and the key.

Drafts are tiny and trip two stable rules: ``promotion.hype`` (a warning, health pack) and
``claim.ketamine-fda-approval`` (an error, ketamine pack).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from medlint.cli import main
from medlint.config import Config
from medlint.configfile import find_config_file, load_config_file
from medlint.errors import ConfigError
from medlint.globs import matches_any
from medlint.linter import Linter

DRAFT = "Our revolutionary clinic helps.\n\nKetamine is FDA-approved for depression.\n"
HYPE = "promotion.hype"
FDA = "claim.ketamine-fda-approval"

OWN_RULE = """\
rules:
  - id: promotion.spa-language
    kind: existence
    category: promotion
    severity: warning
    terms: [spa-like setting]
    message: '"{match}" sells an experience.'
    why: Spa language frames a medical procedure as a luxury.
    source: House style guide
    examples:
      flag: [We offer infusions in a spa-like setting.]
      pass: [Infusions take place in a treatment room.]
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, list[dict], str]:
    """medlint check in-process: exit code, findings (JSON), stderr."""
    result = CliRunner().invoke(main, ["check", "--format", "json", *args])
    try:
        findings = json.loads(result.stdout)["findings"] if result.stdout.strip() else []
    except json.JSONDecodeError:
        findings = []
    return result.exit_code, findings, result.stderr


def rules_of(findings: list[dict]) -> set[str]:
    return {f["rule"] for f in findings}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "draft.md", DRAFT)
    return tmp_path


# -- discovery ---------------------------------------------------------------------------
def test_config_is_found_from_the_checked_files_folder_upwards(repo: Path) -> None:
    write(repo / ".medlint.yaml", f"ignore: [{HYPE}]\n")
    nested = write(repo / "a" / "b" / "draft.md", DRAFT)
    assert find_config_file(nested.parent) == repo / ".medlint.yaml"
    code, findings, _ = run(str(nested))
    assert rules_of(findings) == {FDA}


def test_nearest_config_wins_and_each_file_gets_its_own(repo: Path) -> None:
    write(repo / ".medlint.yaml", f"ignore: [{HYPE}]\n")
    write(repo / "sub" / ".medlint.yaml", f"ignore: [{FDA}]\n")
    write(repo / "sub" / "draft.md", DRAFT)
    code, findings, _ = run("draft.md", "sub/draft.md")
    by_path = {(Path(f["path"]).as_posix(), f["rule"]) for f in findings}
    assert by_path == {("draft.md", FDA), ("sub/draft.md", HYPE)}


def test_medlint_yaml_beats_pyproject_in_the_same_folder(repo: Path) -> None:
    write(repo / "pyproject.toml", f'[tool.medlint]\nignore = ["{FDA}"]\n')
    write(repo / ".medlint.yaml", f"ignore: [{HYPE}]\n")
    assert find_config_file(repo) == repo / ".medlint.yaml"
    assert rules_of(run("draft.md")[1]) == {FDA}


def test_pyproject_table_is_read(repo: Path) -> None:
    write(repo / "pyproject.toml", f'[project]\nname = "x"\n\n[tool.medlint]\nignore = ["{HYPE}"]\n')
    assert rules_of(run("draft.md")[1]) == {FDA}


def test_pyproject_without_a_medlint_table_does_not_stop_the_search(repo: Path) -> None:
    write(repo / ".medlint.yaml", f"ignore: [{HYPE}]\n")
    write(repo / "pkg" / "pyproject.toml", '[project]\nname = "x"\n')
    write(repo / "pkg" / "draft.md", DRAFT)
    assert find_config_file(repo / "pkg") == repo / ".medlint.yaml"


@pytest.mark.parametrize("text", [
    '[tool."\\u006dedlint"]\nignore = ["promotion.hype"]\n',  # spelled with an escape
    '[tool]\n"me\\u0064lint" = { ignore = ["promotion.hype"] }\n',
    'tool.medlint.ignore = ["promotion.hype"]\n',
    '[tool]\nmedlint = { ignore = ["promotion.hype"] }\n',
])
def test_pyproject_medlint_table_in_any_spelling_is_found(repo: Path, text: str) -> None:
    """A pyproject.toml is skipped unread only when it cannot name medlint: every way of
    spelling the table, escapes in quoted keys included, is still found."""
    write(repo / "pkg" / "pyproject.toml", text)
    assert find_config_file(repo / "pkg") == repo / "pkg" / "pyproject.toml"
    assert load_config_file(repo / "pkg" / "pyproject.toml").ignore == (HYPE,)


def test_pyproject_that_cannot_name_medlint_is_not_parsed(repo: Path, monkeypatch) -> None:
    import medlint.configfile as configfile

    write(repo / ".medlint.yaml", f"ignore: [{HYPE}]\n")
    write(repo / "pkg" / "pyproject.toml", '[project]\nname = "x"\n[tool.black]\nline-length = 99\n')
    monkeypatch.setattr(configfile, "_toml", lambda path: pytest.fail(f"{path} was parsed"))
    assert find_config_file(repo / "pkg") == repo / ".medlint.yaml"


def test_broken_pyproject_is_an_error_only_when_it_is_ours(repo: Path) -> None:
    write(repo / "other" / "pyproject.toml", "[project\n")
    assert find_config_file(repo / "other") is None or find_config_file(repo / "other") != repo / "other"
    write(repo / "ours" / "pyproject.toml", "[tool.medlint]\nignore = [\n")
    write(repo / "ours" / "draft.md", DRAFT)
    code, _, err = run("ours/draft.md")
    assert code == 2 and "pyproject.toml" in err and "cannot read" in err


def test_explicit_config_and_no_config(repo: Path) -> None:
    write(repo / ".medlint.yaml", f"ignore: [{HYPE}]\n")
    other = write(repo / "elsewhere" / "strict.yaml", f"ignore: [{FDA}]\n")
    assert rules_of(run("draft.md", "--config", str(other))[1]) == {HYPE}
    assert rules_of(run("draft.md", "--no-config")[1]) == {HYPE, FDA}


def test_stdin_uses_the_config_of_stdin_filename(repo: Path) -> None:
    write(repo / "legal" / ".medlint.yaml", "ignore: [promotion]\n")
    result = CliRunner().invoke(main, ["check", "-", "--stdin-filename", "legal/x.md", "-f", "json"],
                                input=DRAFT)
    assert rules_of(json.loads(result.stdout)["findings"]) == {FDA}


# -- precedence: CLI flags over the config file -------------------------------------------
def test_cli_select_replaces_config_select_and_its_ignore(repo: Path) -> None:
    write(repo / ".medlint.yaml", f"select: [claim]\nignore: [{HYPE}]\n")
    assert rules_of(run("draft.md")[1]) == {FDA}
    assert rules_of(run("draft.md", "--select", "promotion")[1]) == {HYPE}


def test_cli_ignore_adds_to_config_ignore(repo: Path) -> None:
    write(repo / ".medlint.yaml", f"ignore: [{HYPE}]\n")
    code, findings, _ = run("draft.md", "--ignore", FDA)
    assert findings == [] and code == 0


def test_cli_fail_on_overrides_config(repo: Path) -> None:
    write(repo / ".medlint.yaml", "fail_on: error\nselect: [promotion]\n")
    assert run("draft.md")[0] == 0  # only a warning, and the config fails on errors
    assert run("draft.md", "--fail-on", "warning")[0] == 1


def test_fail_on_defaults_to_info(repo: Path) -> None:
    assert Config().fail_on.value == "info"
    assert run("draft.md", "--select", HYPE)[0] == 1


# -- every setting ----------------------------------------------------------------------
def test_packs(repo: Path) -> None:
    write(repo / ".medlint.yaml", "packs: [health]\n")
    assert rules_of(run("draft.md")[1]) == {HYPE}


@pytest.mark.parametrize("entry, expected", [
    (HYPE, {HYPE}),                 # rule id
    ("claim.ketamine", {FDA}),      # id prefix
    ("claim", {FDA}),               # category
    ("ketamine", {FDA}),            # pack
])
def test_select_by_id_prefix_category_and_pack(repo: Path, entry: str, expected: set[str]) -> None:
    write(repo / ".medlint.yaml", f"select: [{entry}]\n")
    assert rules_of(run("draft.md")[1]) == expected


def test_ignore_by_category(repo: Path) -> None:
    write(repo / ".medlint.yaml", "ignore: [promotion]\n")
    assert rules_of(run("draft.md")[1]) == {FDA}


def test_severity_override_most_specific_wins(repo: Path) -> None:
    write(repo / ".medlint.yaml", f"severity:\n  promotion: info\n  {HYPE}: error\n  claim: warning\n")
    sev = {f["rule"]: f["severity"] for f in run("draft.md")[1]}
    assert sev == {HYPE: "error", FDA: "warning"}


def test_extra_rule_folder_is_loaded_relative_to_the_config(repo: Path) -> None:
    write(repo / "house-rules" / "spa.yaml", OWN_RULE)
    write(repo / ".medlint.yaml", "rule_dirs: [house-rules]\n")
    write(repo / "drafts" / "spa.md", "We offer infusions in a spa-like setting.\n")
    code, findings, _ = run("drafts/spa.md")
    assert rules_of(findings) == {"promotion.spa-language"}
    assert findings[0]["pack"] == "house-rules"


def test_extra_rule_folder_is_validated_like_the_bundled_packs(repo: Path) -> None:
    write(repo / "house-rules" / "spa.yaml", OWN_RULE.replace("kind: existence", "kind: exists"))
    write(repo / ".medlint.yaml", "rule_dirs: [house-rules]\n")
    code, _, err = run("draft.md")
    assert code == 2
    assert "spa.yaml" in err and "promotion.spa-language" in err and "unknown kind 'exists'" in err


def test_include_and_exclude_when_walking_folders(repo: Path) -> None:
    write(repo / "drafts" / "a.md", DRAFT)
    write(repo / "drafts" / "old" / "b.md", DRAFT)
    write(repo / "drafts" / "c.mdx", DRAFT)
    write(repo / "notes" / "d.md", DRAFT)
    write(repo / ".medlint.yaml", "include: ['drafts/**/*.md', '*.mdx']\nexclude: [drafts/old]\n")
    paths = {Path(f["path"]).as_posix() for f in run(".")[1]}
    assert paths == {"drafts/a.md", "drafts/c.mdx"}


def test_exclude_applies_to_named_files_but_include_does_not(repo: Path) -> None:
    write(repo / "drafts" / "old" / "b.md", DRAFT)
    write(repo / "notes.md", DRAFT)
    write(repo / ".medlint.yaml", "include: ['drafts/**']\nexclude: ['drafts/old/**']\n")
    code, findings, _ = run("drafts/old/b.md", "notes.md")
    assert {Path(f["path"]).as_posix() for f in findings} == {"notes.md"}


def test_per_path_overrides(repo: Path) -> None:
    write(repo / "legal" / "terms.md", DRAFT)
    write(repo / "blog" / "legal" / "post.md", DRAFT)
    write(repo / ".medlint.yaml", "per_path:\n  'legal/**':\n    ignore: [promotion]\n"
                                  f"    severity: {{{FDA}: info}}\n")
    found = {(Path(f["path"]).as_posix(), f["rule"], f["severity"]) for f in run(".")[1]}
    assert ("legal/terms.md", HYPE, "warning") not in found
    assert ("legal/terms.md", FDA, "info") in found
    # the glob is relative to the config file: another folder named legal is not matched
    assert ("blog/legal/post.md", HYPE, "warning") in found


def test_per_path_last_matching_glob_wins() -> None:
    linter = Linter({"per_path": {"docs/**": {"ignore": ["promotion"]},
                                  "docs/ads/**": {"select": ["promotion"]}}})
    assert HYPE not in {r.id for r in linter.rules_for("docs/a.md")}
    assert {r.category for r in linter.rules_for("docs/ads/a.md")} == {"promotion"}


# -- errors name the file and the key ------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("selec: [claim]\n", "unknown key 'selec' (did you mean 'select'?"),
    ("select: [claim.no-such-rule]\n", "select: unknown rule id, prefix, category or pack 'claim.no-such-rule'"),
    ("ignore: [promotion.hyp]\n", "did you mean 'promotion.hype'?"),
    ("severity: {claim.nope: error}\n", "severity: unknown rule id 'claim.nope'"),
    ("severity: {claim: fatal}\n", "severity of 'claim' must be error, warning or info"),
    ("fail_on: sometimes\n", "'fail_on' must be error, warning or info"),
    ("packs: [cardiology]\n", "packs: unknown rule pack 'cardiology'"),
    ("rule_dirs: [missing]\n", "rule_dirs: folder"),
    ("select: claim\nexclude: 3\n", "'exclude' must be a list of strings"),
    ("per_path:\n  'legal/**':\n    fail_on: error\n", "per_path 'legal/**': unknown key 'fail_on'"),
    ("per_path:\n  'legal/**':\n    ignore: [promo]\n", "per_path 'legal/**': ignore: unknown rule id"),
    ("- just a list\n", "settings must be a mapping"),
    ("select: [claim\n", ".medlint.yaml:2: malformed YAML"),
])
def test_bad_config_is_a_clear_error(repo: Path, text: str, expected: str) -> None:
    write(repo / ".medlint.yaml", text)
    code, findings, err = run("draft.md")
    assert code == 2 and findings == []
    assert str(repo / ".medlint.yaml") in err
    assert expected in err


def test_bad_cli_flag_blames_the_flag_not_the_config(repo: Path) -> None:
    write(repo / ".medlint.yaml", "ignore: [promotion]\n")
    code, _, err = run("draft.md", "--select", "claim.bogus")
    assert code == 2 and "command line (--select)" in err and ".medlint.yaml" not in err


def test_load_config_file_errors() -> None:
    with pytest.raises(ConfigError, match="configuration file not found"):
        load_config_file(Path("/nonexistent/.medlint.yaml"))
    with pytest.raises(ConfigError, match="unknown key 'colour'"):
        Config.from_mapping({"colour": "red"}, origin="cms settings")


# -- globs -----------------------------------------------------------------------------
@pytest.mark.parametrize("glob, path, hit", [
    ("legal/**", "legal/a.md", True),
    ("legal/**", "legal/x/a.md", True),
    ("legal/**", "blog/legal/a.md", False),
    ("legal", "legal/x/a.md", True),
    ("legal/*", "legal/x/a.md", True),  # legal/x is matched, and with it its contents
    ("legal/*.md", "legal/x/a.md", False),
    ("*.txt", "deep/down/notes.txt", True),
    ("**/drafts/*.md", "a/b/drafts/c.md", True),
    ("**/drafts/*.md", "drafts/c.md", True),
    ("draft-?.md", "draft-1.md", True),
    ("draft-[!0-9].md", "draft-1.md", False),
])
def test_globs(glob: str, path: str, hit: bool, tmp_path: Path) -> None:
    assert matches_any(tmp_path / path, (glob,), tmp_path) is hit
