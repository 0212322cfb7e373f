"""Bad rules and configuration: each is a load error naming the file, the rule and the cause.

Rule folders are built in a temporary directory and loaded the way a writer's own folder
is (``load_ruleset(extra_dirs=[...])`` or ``medlint check --rules-dir``).
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import medlint.patterns
from medlint.cli import main
from medlint.errors import ConfigError, RuleError
from medlint.linter import Linter
from medlint.ruleset import load_ruleset

GOOD = """\
rules:
  - id: house.spa-language
    kind: existence
    category: promotion
    severity: warning
    terms: [spa-like setting]
    message: '"{match}" sells an experience.'
    why: Spa language frames a procedure as a luxury.
    source: House style guide
"""


@pytest.fixture(autouse=True)
def _reuse_bundled_rules(monkeypatch: pytest.MonkeyPatch, ruleset) -> None:
    """The CLI compiles the bundled packs per run; reuse the session's copy to keep tests fast."""
    import medlint.linter

    real = medlint.linter.load_ruleset
    monkeypatch.setattr(medlint.linter, "load_ruleset",
                        lambda packs=None, dirs=(): ruleset if packs is None and not dirs else real(packs, dirs))


def folder(tmp_path: Path, text: str, name: str = "house", file: str = "rules.yaml") -> Path:
    d = tmp_path / name
    d.mkdir(exist_ok=True)
    (d / file).write_text(textwrap.dedent(text), encoding="utf-8")
    return d


def load_error(tmp_path: Path, text: str) -> str:
    d = folder(tmp_path, text)
    with pytest.raises(RuleError) as err:
        load_ruleset(packs=[], extra_dirs=[d])
    return str(err.value)


def variant(**changes: str) -> str:
    """GOOD with some keys' lines replaced (or added when the key is new)."""
    lines = GOOD.splitlines()
    for key, value in changes.items():
        new = f"    {key}: {value}"
        for i, line in enumerate(lines):
            if line.strip().startswith(f"{key}:") or line.strip().startswith(f"- {key}:"):
                lines[i] = ("  - " if line.strip().startswith("-") else "    ") + f"{key}: {value}"
                break
        else:
            lines.append(new)
    return "\n".join(lines) + "\n"


def test_the_good_rule_loads_and_runs(tmp_path: Path) -> None:
    rs = load_ruleset(packs=[], extra_dirs=[folder(tmp_path, GOOD)])
    assert [r.id for r in rs.rules] == ["house.spa-language"]
    findings = Linter(ruleset=rs).lint("We offer infusions in a spa-like setting.")
    assert [f.rule for f in findings] == ["house.spa-language"]


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    msg = load_error(tmp_path, GOOD.replace("terms: [spa-like setting]", "terms: [spa-like setting"))
    assert msg.startswith(str(tmp_path / "house" / "rules.yaml") + ":")
    assert "malformed YAML" in msg


def test_tab_indentation_is_malformed_yaml(tmp_path: Path) -> None:
    msg = load_error(tmp_path, GOOD.replace("    severity", "\tseverity"))
    assert "rules.yaml:5: malformed YAML" in msg


@pytest.mark.parametrize("key,value,reason", [
    ("terms", "5", "'terms' must be a list of non-empty strings"),
    ("terms", "[yes, no]", "'terms' must be a list of non-empty strings"),  # YAML booleans
    ("terms", "['']", "'terms' must be a list of non-empty strings"),
    ("severity", "3", "severity must be error, warning or info (got 3)"),
    ("message", "[a, b]", "needs a non-empty 'message'"),
    ("enabled", "'no'", "'enabled' must be true or false"),
    ("negatable", "maybe", "'negatable' must be true or false"),
    ("examples", "[a, b]", "'examples' must be {flag: [text, ...], pass: [text, ...]}"),
    ("unless_scope", "chapter", "'unless_scope' must be one of"),
    ("only_in", "[sidebar]", "'only_in': unknown block kind 'sidebar'"),
    ("suggestion", "{a: b}", "'suggestion' must be a string"),
])
def test_wrong_types_name_file_line_rule_and_reason(tmp_path: Path, key: str, value: str, reason: str) -> None:
    msg = load_error(tmp_path, variant(**{key: value}))
    assert f"rules.yaml:2: rule house.spa-language: {reason}" in msg, msg


def test_unknown_kind(tmp_path: Path) -> None:
    msg = load_error(tmp_path, variant(kind="plugin"))
    assert "rules.yaml:2: rule house.spa-language: unknown kind 'plugin'" in msg


def test_unknown_category(tmp_path: Path) -> None:
    msg = load_error(tmp_path, variant(category="marketing"))
    assert "rule house.spa-language: category must be one of" in msg and "'marketing'" in msg


def test_unknown_key_is_an_error_not_ignored(tmp_path: Path) -> None:
    # a misspelt key would otherwise be a filter that silently never applies;
    # and no key can name code to import
    assert "unknown key(s) for a existence rule: excepions" in load_error(tmp_path, variant(excepions="[x]"))
    assert "unknown key(s) for a existence rule: module" in load_error(tmp_path, variant(module="os"))


def test_bad_id(tmp_path: Path) -> None:
    msg = load_error(tmp_path, variant(id="Spa Language"))
    assert "rules.yaml:2: rule #1 needs an 'id'" in msg


def test_invalid_regex(tmp_path: Path) -> None:
    text = GOOD.replace("terms: [spa-like setting]", "patterns: ['spa(like']")
    msg = load_error(tmp_path, text)
    assert "rules.yaml:2: rule house.spa-language: 'patterns': invalid regular expression 'spa(like'" in msg


@pytest.mark.parametrize("line", [
    "patterns: ['a*']",
    "patterns: ['(?:spa)?']",
    "patterns: ['(?:)']",
    "terms: [spa]\n    unless: ['x|']",
])
def test_pattern_matching_the_empty_string(tmp_path: Path, line: str) -> None:
    msg = load_error(tmp_path, GOOD.replace("terms: [spa-like setting]", line))
    assert "rule house.spa-language:" in msg and "matches the empty string" in msg


def test_swap_pattern_matching_the_empty_string(tmp_path: Path) -> None:
    text = variant(kind="substitution").replace("terms: [spa-like setting]", "swap: {'x?': y}")
    assert "'swap': pattern 'x?' matches the empty string" in load_error(tmp_path, text)


def test_unknown_word_list(tmp_path: Path) -> None:
    msg = load_error(tmp_path, variant(unless="['@caveats']"))
    assert "'unless' names unknown word list '@caveats'" in msg


def test_duplicate_id_across_packs(tmp_path: Path) -> None:
    a = folder(tmp_path, GOOD, name="house")
    b = folder(tmp_path, GOOD, name="team")
    with pytest.raises(RuleError) as err:
        load_ruleset(packs=[], extra_dirs=[a, b])
    assert str(err.value) == (f"{b / 'rules.yaml'}: rule house.spa-language: duplicate id "
                              f"(already defined in {a / 'rules.yaml'})")


def test_duplicate_of_a_bundled_id(tmp_path: Path) -> None:
    d = folder(tmp_path, variant(id="claim.ketamine-fda-approval"))
    with pytest.raises(RuleError, match="claim.ketamine-fda-approval: duplicate id .already defined in .*ketamine.yaml"):
        load_ruleset(packs=["ketamine"], extra_dirs=[d])


def test_duplicate_key_in_one_rule(tmp_path: Path) -> None:
    msg = load_error(tmp_path, GOOD + "    message: a second message\n")
    assert "rules.yaml:10: malformed YAML: key 'message' appears twice" in msg


def test_python_tags_are_rejected_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    evil = GOOD.replace("source: House style guide",
                        f"source: !!python/object/apply:os.system ['touch {marker}']")
    msg = load_error(tmp_path, evil)
    assert "rules.yaml:9: malformed YAML" in msg and "python/object/apply:os.system" in msg
    assert not marker.exists()
    assert "python/object" in load_error(tmp_path, GOOD.replace("[spa-like setting]", "!!python/object:os.Popen {}"))


def test_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(9))
    msg = load_error(tmp_path, bomb)
    assert "rules.yaml:2: malformed YAML: aliases (*name) are not allowed in rule files" in msg


@pytest.mark.parametrize("text,reason", [
    ("just a string\n", "a rule file holds a list of rules or a mapping with a 'rules' list"),
    ("rules: [5]\n", "rule #1 is not a mapping"),
    ("rules: []\nimports: [os]\n", "unknown top-level key(s): imports"),
])
def test_wrong_file_shapes(tmp_path: Path, text: str, reason: str) -> None:
    assert reason in load_error(tmp_path, text)


def test_rule_file_not_utf8(tmp_path: Path) -> None:
    d = tmp_path / "house"
    d.mkdir()
    (d / "rules.yaml").write_bytes(GOOD.encode().replace(b"Spa language", b"Spa l\xe4nguage"))
    with pytest.raises(RuleError, match=r"rules.yaml: cannot read rule file: .*utf-8"):
        load_ruleset(packs=[], extra_dirs=[d])


def test_missing_rule_folder_and_urls_are_not_fetched(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="rule folder not found"):
        load_ruleset(packs=[], extra_dirs=[tmp_path / "nowhere"])
    with pytest.raises(RuleError, match="https:/example.org/rules: rule folder not found"):
        load_ruleset(packs=[], extra_dirs=[Path("https://example.org/rules")])


def test_cli_reports_a_rule_error_with_exit_2(tmp_path: Path) -> None:
    d = folder(tmp_path, variant(kind="plugin"))
    draft = tmp_path / "draft.md"
    draft.write_text("Hello.\n")
    result = CliRunner().invoke(main, ["check", "--no-config", "--rules-dir", str(d), str(draft)])
    assert result.exit_code == 2
    assert "rules.yaml:2: rule house.spa-language: unknown kind 'plugin'" in result.stderr


# -- configuration -------------------------------------------------------------------------------
@pytest.mark.parametrize("text,reason", [
    ("select: [claim\n", ".medlint.yaml:2: malformed YAML"),
    ("selcet: [claim]\n", "unknown key 'selcet'"),
    ("select: 5\n", "'select' must be a list of strings"),
    ("fail_on: fatal\n", "'fail_on' must be error, warning or info"),
    ("severity: {promotion.hype: loud}\n", "severity of 'promotion.hype' must be error, warning or info"),
    ("per_path: {'*.md': {packs: [x]}}\n", "per_path '*.md': unknown key 'packs'"),
    ("select: [claim.no-such-rule]\n", "select: unknown rule id"),
    ("- a list\n", "settings must be a mapping"),
])
def test_bad_config_files(tmp_path: Path, text: str, reason: str) -> None:
    cfg = tmp_path / ".medlint.yaml"
    cfg.write_text(text)
    draft = tmp_path / "draft.md"
    draft.write_text("Hello.\n")
    result = CliRunner().invoke(main, ["check", str(draft)])
    assert result.exit_code == 2, result.output
    assert reason in result.stderr and str(cfg) in result.stderr


def test_bad_config_mapping_in_the_api() -> None:
    with pytest.raises(ConfigError, match="unknown key 'colour'"):
        Linter({"colour": "red"})


# -- catastrophic patterns -------------------------------------------------------------------------
SLOW = """\
rules:
  - id: house.slow
    kind: existence
    category: promotion
    severity: warning
    patterns: ['(a|aa)+$', '(a+)+$']
    message: Slow.
    why: A pattern with nested repetition backtracks exponentially.
    source: test
  - id: house.nested
    kind: existence
    category: promotion
    severity: warning
    patterns: ['(a+)+$']
    message: Nested but fast in the regex module.
    why: test
    source: test
"""


def test_catastrophic_pattern_is_stopped_named_and_the_run_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # one budget for the whole document: room for the bundled rules on a loaded machine,
    # then half of what is left for each of the two rules of the writer's folder
    monkeypatch.setattr(medlint.patterns, "RULE_BUDGET", 1.5)
    d = folder(tmp_path, SLOW)
    draft = tmp_path / "draft.md"
    draft.write_text("Ketamine cures depression.\n\n" + "a" * 36 + "!\n")
    result = CliRunner().invoke(main, ["check", "--no-config", "--rules-dir", str(d), str(draft)])
    # findings are printed, and exit 2: the file was not fully checked (not a crash)
    assert result.exit_code == 2, result.output
    assert f"rule house.slow ({d / 'rules.yaml'}) exceeded its time budget" in result.stderr
    assert "not fully checked: 1 rule ran out of the time budget for this file (house.slow)" in result.stderr
    assert "house.nested" not in result.stderr
    assert "[claim." in result.stdout  # other rules' findings are still printed
    assert "[house.slow]" not in result.stdout  # no partial findings from the stopped rule


def test_budget_covers_all_the_calls_of_one_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A slow companion pattern retried at every trigger still costs one budget, not one per call."""
    monkeypatch.setattr(medlint.patterns, "RULE_BUDGET", 0.3)
    monkeypatch.setattr(medlint.patterns, "TIMEOUT", 60.0)  # a per-call limit alone would take minutes
    # the look-behind keeps a prefilter from proving there is no match ("(a|aa)+b" or
    # "(a|aa)+(?=b)" on text without a "b" is answered without a single attempt, which is
    # right but tests nothing)
    text = GOOD.replace("terms: [spa-like setting]", "terms: [spa]\n    unless: ['(a|aa)+(?<=b)']")
    rs = load_ruleset(packs=[], extra_dirs=[folder(tmp_path, text)])
    draft = "\n\n".join(f"spa {'a' * 40}" for _ in range(50))
    result = Linter(ruleset=rs).check(draft)
    assert result.findings == []
    assert len(result.problems) == 1 and "house.spa-language" in result.problems[0]


def test_budget_grows_with_the_text() -> None:
    assert medlint.patterns.rule_budget(0) == medlint.patterns.RULE_BUDGET
    assert medlint.patterns.rule_budget(100_000_000) > 100 * medlint.patterns.RULE_BUDGET


# -- keys of the assertion and supervision work ---------------------------------------------

@pytest.mark.parametrize("changes,reason", [
    ({"opens_sentence": "sometimes"}, "'opens_sentence' must be true or false"),
    ({"kind": "claim", "suppress": "[negation, sarcasm]"}, "'suppress' must list some of"),
    ({"kind": "document", "requires": "[x]", "when_asserted": "[doubt]"}, "'when_asserted' must list some of"),
    ({"kind": "document", "requires": "[x]", "requires_asserted": "maybe"}, "'requires_asserted' must list some of"),
    ({"kind": "claim", "answered_by": "['@nosuchlist']"}, "'answered_by' names unknown word list '@nosuchlist'"),
    ({"kind": "conditional", "requires": "[x]", "page_requires": "[5]"}, "'page_requires' must be a list of non-empty strings"),
])
def test_new_keys_are_validated(tmp_path: Path, changes: dict[str, str], reason: str) -> None:
    text = variant(**changes)
    if changes.get("kind") == "document":
        text = text.replace("    terms: [spa-like setting]\n", "")
    msg = load_error(tmp_path, text)
    assert "rule house.spa-language" in msg and reason in msg, msg


@pytest.mark.parametrize("entry,reason", [
    ("{names: [kava], class: herbal, source: x}", "'class' must be one of controlled, prescription"),
    ("{names: [kava], class: supplement}", "every treatment needs a 'source'"),
    ("{names: [], class: supplement, source: x}", "'names' must be a non-empty list of strings"),
    ("{names: [kava], class: supplement, source: x, dose: 5}", "unknown key(s) dose"),
])
def test_a_bad_treatment_table_names_the_file_line_and_cause(tmp_path: Path, entry: str, reason: str) -> None:
    import shutil

    from medlint.ruleset import bundled_rules_dir

    root = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), root, ignore=shutil.ignore_patterns("__pycache__"))
    (root / "treatments.yaml").write_text(f"treatments:\n  - {entry}\n", encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_ruleset(root=root, cache=False)
    assert str(root / "treatments.yaml") in str(err.value) and reason in str(err.value), str(err.value)
