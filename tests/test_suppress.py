"""Inline suppressions: every form, in Markdown, HTML and plain text; unknown rule ids warn;
unused suppressions are reported only when asked for."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from medlint.cli import main
from medlint.config import Config
from medlint.linter import Linter
from medlint.ruleset import RuleSet
from medlint.suppress import UNUSED_RULE

HYPE = "promotion.hype"
FDA = "claim.ketamine-fda-approval"
HYPE_LINE = "Our revolutionary clinic helps."
FDA_LINE = "Ketamine is FDA-approved for depression."


@pytest.fixture(scope="module")
def linter(ruleset: RuleSet) -> Linter:
    """Only the two rules the drafts trip: document-level rules (benefits named with no
    risk, a missing disclaimer) depend on the whole text and would blur these tests."""
    return Linter(Config(select=(HYPE, FDA)), ruleset=ruleset)


def rules(linter: Linter, text: str, fmt: str = "markdown") -> list[tuple[int, str]]:
    return [(f.line, f.rule) for f in linter.check(text, fmt).findings]


def test_unsuppressed_baseline(linter: Linter) -> None:
    assert rules(linter, f"{HYPE_LINE}\n\n{FDA_LINE}\n") == [(1, HYPE), (3, FDA)]


# -- Markdown (HTML comments) --------------------------------------------------------------
def test_disable_until_enable(linter: Linter) -> None:
    text = (f"<!-- medlint-disable {HYPE} -->\n\n{HYPE_LINE}\n\n<!-- medlint-enable -->\n\n"
            f"{HYPE_LINE}\n")
    assert rules(linter, text) == [(7, HYPE)]


def test_disable_runs_to_end_of_file_without_enable(linter: Linter) -> None:
    text = f"{HYPE_LINE}\n\n<!-- medlint-disable promotion -->\n\n{HYPE_LINE}\n\n{FDA_LINE}\n"
    assert rules(linter, text) == [(1, HYPE), (7, FDA)]


def test_disable_everything_then_enable_one_rule(linter: Linter) -> None:
    text = (f"<!-- medlint-disable -->\n\n{HYPE_LINE}\n\n<!-- medlint-enable {FDA} -->\n\n"
            f"{HYPE_LINE}\n\n{FDA_LINE}\n")
    assert rules(linter, text) == [(9, FDA)]


def test_disable_next_line(linter: Linter) -> None:
    text = f"<!-- medlint-disable-next-line promotion.hype -->\n{HYPE_LINE}\n\n{HYPE_LINE}\n"
    assert rules(linter, text) == [(4, HYPE)]


def test_disable_next_line_only_covers_the_rules_named(linter: Linter) -> None:
    text = f"<!-- medlint-disable-next-line claim -->\n{HYPE_LINE} {FDA_LINE}\n"
    assert rules(linter, text) == [(2, HYPE)]


def test_disable_line_inline_comment(linter: Linter) -> None:
    text = f"{HYPE_LINE} <!-- medlint-disable-line -->\n\n{HYPE_LINE}\n"
    assert rules(linter, text) == [(3, HYPE)]


def test_disable_file(linter: Linter) -> None:
    text = f"{HYPE_LINE}\n\n{FDA_LINE}\n\n<!-- medlint-disable-file promotion -->\n"
    assert rules(linter, text) == [(3, FDA)]


def test_list_of_rules_with_a_reason(linter: Linter) -> None:
    text = (f"<!-- medlint-disable-next-line {HYPE}, {FDA} -- quoting the clinic's advert -->\n"
            f"{HYPE_LINE} {FDA_LINE}\n")
    result = linter.check(text)
    assert result.findings == [] and result.problems == []


def test_multi_line_comment(linter: Linter) -> None:
    text = f"<!--\nmedlint-disable-next-line promotion\n-->\n{HYPE_LINE}\n"
    assert rules(linter, text) == []


def test_directive_in_a_code_block_is_not_a_suppression(linter: Linter) -> None:
    text = f"```\n<!-- medlint-disable-file -->\n```\n\n{HYPE_LINE}\n"
    assert rules(linter, text) == [(5, HYPE)]


# -- HTML ----------------------------------------------------------------------------------
@pytest.mark.skipif(importlib.util.find_spec("medlint.document.html") is None,
                    reason="the HTML reader is not merged yet")
def test_html_comments(linter: Linter) -> None:
    text = (f"<html><body>\n<!-- medlint-disable-next-line promotion -->\n<p>{HYPE_LINE}</p>\n"
            f"<p>{HYPE_LINE}</p>\n<!-- medlint-disable claim -->\n<p>{FDA_LINE}</p>\n</body></html>\n")
    assert rules(linter, text, "html") == [(4, HYPE)]


# -- plain text --------------------------------------------------------------------------
def test_plain_text_comment_lines(linter: Linter) -> None:
    text = (f"# medlint-disable-next-line promotion\n{HYPE_LINE}\n\n{HYPE_LINE}\n\n"
            f"# medlint-disable claim\n{FDA_LINE}\n# medlint-enable\n\n{FDA_LINE}\n")
    assert rules(linter, text, "text") == [(4, HYPE), (10, FDA)]


def test_plain_text_disable_file(linter: Linter) -> None:
    text = f"  # medlint-disable-file\n{HYPE_LINE}\n\n{FDA_LINE}\n"
    assert rules(linter, text, "text") == []


# -- unknown rules and unused suppressions ---------------------------------------------------
def test_unknown_rule_warns_and_suppresses_nothing(linter: Linter) -> None:
    result = linter.check(f"<!-- medlint-disable-next-line promotion.hyp -->\n{HYPE_LINE}\n", path="d.md")
    assert [f.rule for f in result.findings] == [HYPE]
    assert result.problems == ["d.md:1: suppression names unknown rule 'promotion.hyp'"]


def test_unused_suppressions_are_returned(linter: Linter) -> None:
    text = (f"<!-- medlint-disable-next-line promotion -->\n{HYPE_LINE}\n\n"
            f"<!-- medlint-disable-next-line claim -->\n{HYPE_LINE}\n")
    result = linter.check(text)
    assert [f.line for f in result.findings] == [5]
    assert [(f.rule, f.line, f.match) for f in result.unused_suppressions] == [
        (UNUSED_RULE, 4, "medlint-disable-next-line claim -->")]


def test_suppression_of_a_rule_that_did_not_run_is_not_called_unused(ruleset: RuleSet) -> None:
    linter = Linter(Config(select=(HYPE,)), ruleset=ruleset)
    result = linter.check(f"<!-- medlint-disable-next-line claim -->\n{FDA_LINE}\n")
    assert result.findings == [] and result.unused_suppressions == []


def _cli(tmp_path: Path, text: str, *args: str):  # type: ignore[no-untyped-def]
    draft = tmp_path / "draft.md"
    draft.write_text(text, encoding="utf-8")
    return CliRunner().invoke(main, ["check", "--no-config", "--select", f"{HYPE},{FDA}", str(draft), *args])


def test_cli_unknown_rule_is_a_note_and_the_run_continues(tmp_path: Path) -> None:
    result = _cli(tmp_path, f"<!-- medlint-disable-file claim.nope -->\n{HYPE_LINE}\n")
    assert result.exit_code == 1
    assert "suppression names unknown rule 'claim.nope'" in result.stderr
    assert f"[{HYPE}]" in result.stdout


def test_cli_report_unused_suppressions_flag(tmp_path: Path) -> None:
    text = f"<!-- medlint-disable-next-line claim -->\n{HYPE_LINE}\n"
    quiet = _cli(tmp_path, text, "--ignore", "promotion")
    assert quiet.exit_code == 0 and UNUSED_RULE not in quiet.stdout
    loud = _cli(tmp_path, text, "--ignore", "promotion", "--report-unused-suppressions", "-f", "json")
    assert loud.exit_code == 1  # like ruff's RUF100, an unused suppression fails the run
    found = json.loads(loud.stdout)["findings"]
    assert [(f["rule"], f["line"], f["column"]) for f in found] == [(UNUSED_RULE, 1, 6)]
