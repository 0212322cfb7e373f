"""``--fix`` and ``--diff``: only substitution rules, written atomically, never damaging a draft."""
from __future__ import annotations

import codecs
import os
import stat
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from medlint import fix as fixmod
from medlint.cli import main
from medlint.files import read_source
from medlint.fix import FixError, apply_edits, fix_source, fix_text, keep_breaks, plan, unified_diff, write_fixed
from medlint.document import parse
from medlint.linter import Linter
from medlint.ruleset import load_ruleset

DRAFT = "Her brother committed suicide in 2019.\nStudies have shown that ketamine works.\n"
FIXED = "Her brother died by suicide in 2019.\nStudies have shown that ketamine works.\n"


@pytest.fixture(autouse=True)
def _reuse_bundled_rules(monkeypatch: pytest.MonkeyPatch, ruleset) -> None:
    """The CLI compiles the bundled packs per run; reuse the session's copy to keep tests fast."""
    import medlint.linter

    real = medlint.linter.load_ruleset
    monkeypatch.setattr(medlint.linter, "load_ruleset",
                        lambda packs=None, dirs=(): ruleset if packs is None and not dirs else real(packs, dirs))


def run(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(main, ["check", "--no-config", *args], input=input)


def draft(tmp_path: Path, data: bytes | str = DRAFT, name: str = "draft.md") -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_bytes(data.encode())
    else:
        path.write_bytes(data)
    return path


def test_fix_applies_substitutions_only(tmp_path: Path) -> None:
    path = draft(tmp_path)
    result = run("--fix", str(path))
    assert path.read_text() == FIXED
    # claim.settled-evidence-uncited has a suggestion too, but it is advice: never applied
    assert "[claim.settled-evidence-uncited]" in result.stdout
    assert "safety.suicide-language" not in result.stdout  # the fixed finding is gone
    assert "fixed 1 finding" in result.stderr
    assert result.exit_code == 1  # findings remain


def test_advice_suggestions_are_never_applied(linter: Linter) -> None:
    text = "Ketamine is proven to treat depression. Take 0.5 mg/kg twice a week at home."
    findings = linter.lint(text)
    assert any(f.suggestion for f in findings)  # advice exists...
    assert fix_text(linter, text).text == text  # ...and is not written into the draft


def test_second_fix_changes_nothing(tmp_path: Path) -> None:
    path = draft(tmp_path)
    run("--fix", str(path))
    before = path.read_bytes()
    mtime = path.stat().st_mtime_ns
    result = run("--fix", str(path))
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime
    assert "fixed" not in result.stderr


def test_diff_shows_the_change_and_writes_nothing(tmp_path: Path) -> None:
    path = draft(tmp_path)
    result = run("--diff", str(path))
    assert path.read_text() == DRAFT
    assert result.exit_code == 1
    assert result.stdout == (f"--- a/{path}\n+++ b/{path}\n@@ -1,2 +1,2 @@\n"
                             "-Her brother committed suicide in 2019.\n+Her brother died by suicide in 2019.\n"
                             " Studies have shown that ketamine works.\n")
    clean = draft(tmp_path, FIXED, "clean.md")
    result = run("--diff", str(clean))
    assert result.exit_code == 0 and result.stdout == ""


def test_diff_with_fix_still_writes_nothing(tmp_path: Path) -> None:
    path = draft(tmp_path)
    run("--fix", "--diff", str(path))
    assert path.read_text() == DRAFT


def test_stdin(tmp_path: Path) -> None:
    result = run("--fix", "-", input=DRAFT.encode())
    assert result.exit_code == 2 and "--fix cannot rewrite stdin" in result.output
    result = run("--diff", "-", "--stdin-filename", "x.md", input=DRAFT.encode())
    assert result.exit_code == 1 and "+Her brother died by suicide" in result.stdout


def test_keeps_crlf_bom_and_permissions(tmp_path: Path) -> None:
    path = draft(tmp_path, codecs.BOM_UTF8 + DRAFT.replace("\n", "\r\n").encode())
    path.chmod(0o640)
    run("--fix", str(path))
    assert path.read_bytes() == codecs.BOM_UTF8 + FIXED.replace("\n", "\r\n").encode()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.md"]  # no temporary file left


@pytest.mark.parametrize("codec,bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-32-be", codecs.BOM_UTF32_BE)])
def test_keeps_utf16_and_utf32(tmp_path: Path, codec: str, bom: bytes) -> None:
    path = draft(tmp_path, bom + DRAFT.encode(codec))
    run("--fix", str(path))
    assert path.read_bytes() == bom + FIXED.encode(codec)


def test_keeps_a_declared_legacy_encoding(tmp_path: Path) -> None:
    head = '<meta charset="windows-1252">\n\nCaf\xe9 news. '
    path = draft(tmp_path, (head + DRAFT).encode("cp1252"))
    run("--fix", str(path))
    assert path.read_bytes() == (head + FIXED).encode("cp1252")


def test_replacement_that_the_encoding_cannot_hold_is_refused(tmp_path: Path) -> None:
    rules = tmp_path / "house"
    rules.mkdir()
    (rules / "r.yaml").write_text(textwrap.dedent("""\
        rules:
          - id: house.quotes
            kind: substitution
            category: promotion
            severity: info
            swap: {'miracle': 'wonder ☺'}
            message: Use a plainer word.
            why: test
            source: test
        """))
    path = draft(tmp_path, '<meta charset="iso-8859-1">\n\nA miracle, caf\xe9.\n'.encode("latin-1"))
    original = path.read_bytes()
    result = run("--fix", "--rules-dir", str(rules), "--select", "house", str(path))
    assert result.exit_code == 2
    assert "cannot be written in cp1252" in result.stderr and "not fixed" in result.stderr  # WHATWG: latin-1 is windows-1252
    assert path.read_bytes() == original


def test_symlink_stays_a_symlink(tmp_path: Path) -> None:
    target = draft(tmp_path, name="real.md")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    run("--fix", str(link))
    assert link.is_symlink() and target.read_text() == FIXED


def test_refuses_a_file_changed_since_it_was_read(tmp_path: Path, linter: Linter) -> None:
    path = draft(tmp_path)
    source = read_source(path)
    path.write_text(DRAFT + "A line the writer just added.\n")
    outcome = fix_source(linter, source, "markdown", str(path), path, write=True)
    assert outcome.error is not None and "changed since it was read" in outcome.error
    assert path.read_text().endswith("just added.\n")


def test_failed_write_leaves_the_file_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = draft(tmp_path)

    def crash(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fixmod.os, "replace", crash)
    result = run("--fix", str(path))
    assert result.exit_code == 2
    assert "cannot write the fix (No space left on device); not fixed" in result.stderr
    assert path.read_text() == DRAFT
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.md"]


def test_unwritable_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = draft(tmp_path)

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(fixmod.tempfile, "mkstemp", denied)
    with pytest.raises(FixError, match="cannot write a temporary file next to it"):
        write_fixed(path, read_source(path), FIXED)
    assert path.read_text() == DRAFT


def test_match_across_markup_is_left_alone(linter: Linter) -> None:
    text = "He committed **suicide** in 2019. She committed <!-- x --> suicide.\n"
    result = fix_text(linter, text)
    assert result.text == text
    assert [why for _, why in result.skipped] == ["the words span markup"] * 2


def test_match_across_a_line_break_keeps_the_break(linter: Linter) -> None:
    text = "Her brother committed\r\nsuicide. He survived a failed suicide\r\nattempt.\r\n"
    assert fix_text(linter, text).text == "Her brother died\r\nby suicide. He survived a suicide\r\nattempt.\r\n"


def test_keep_breaks() -> None:
    assert keep_breaks("committed suicide", "died by suicide") == "died by suicide"
    assert keep_breaks("committed\nsuicide", "died by suicide") == "died\nby suicide"
    assert keep_breaks("failed suicide\rattempt", "suicide attempt") == "suicide\rattempt"
    assert keep_breaks("a\nb\nc", "x") is None


OVERLAP = """\
rules:
  - id: house.a
    kind: substitution
    category: promotion
    severity: info
    swap: {'miracle cure': 'treatment'}
    message: a
    why: test
    source: test
  - id: house.b
    kind: substitution
    category: promotion
    severity: info
    swap: {'cure for all': 'help for some'}
    message: b
    why: test
    source: test
"""


def test_overlapping_fixes_are_never_applied_in_one_pass(tmp_path: Path) -> None:
    d = tmp_path / "house"
    d.mkdir()
    (d / "r.yaml").write_text(OVERLAP)
    linter = Linter(ruleset=load_ruleset(packs=[], extra_dirs=[d]))
    text = "A miracle cure for all ills."
    doc = parse(text)
    findings = linter.lint(text)
    assert {f.rule for f in findings} == {"house.a", "house.b"}  # the two matches overlap
    edits, _ = plan(doc, findings, {r.id: r for r in linter.ruleset.rules})
    assert [e.finding.rule for e in edits] == ["house.a"]
    assert apply_edits(text, edits) == "A treatment for all ills."
    result = fix_text(linter, text)
    assert result.text == "A treatment for all ills." and result.converged
    assert fix_text(linter, result.text).text == result.text


def test_swaps_that_feed_each_other_stop_and_say_so(tmp_path: Path) -> None:
    d = tmp_path / "house"
    d.mkdir()
    (d / "r.yaml").write_text(OVERLAP.replace("'cure for all': 'help for some'", "'treatment': 'miracle cure'"))
    linter = Linter(ruleset=load_ruleset(packs=[], extra_dirs=[d]))
    result = fix_text(linter, "A miracle cure.")
    assert not result.converged and len(result.applied) == fixmod.MAX_PASSES


def test_diff_of_a_file_without_final_newline_and_with_lone_cr() -> None:
    diff = unified_diff("x.md", "a\rcommitted suicide", "a\rdied by suicide")
    # lines end at LF only, as in git and patch: a lone CR stays inside the line
    assert diff.endswith("@@ -1 +1 @@\n-a\rcommitted suicide\n\\ No newline at end of file\n"
                         "+a\rdied by suicide\n\\ No newline at end of file\n")
