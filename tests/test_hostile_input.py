"""Hostile repositories, careless writers and odd CMS text: each test names the behaviour a
user relies on (docs/reliability.md lists them with the input they were found with).

Memory is never measured here: each test uses a small input and asserts the structure that
keeps memory bounded (a size checked before reading, a context of bounded length, ...).
"""
from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from medlint import files
from medlint.cli import main
from medlint.config import Config
from medlint.configfile import load_config_file
from medlint.errors import ConfigError, RuleError
from medlint.files import ReadError, SkipFile, iter_paths, read_bytes, read_source
from medlint.linter import Linter
from medlint.ruleset import load_ruleset

TRIGGER = "Ketamine cures depression.\n"


def run(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(main, ["check", *args], input=input)


@pytest.fixture(autouse=True)
def _reuse_bundled_rules(monkeypatch: pytest.MonkeyPatch, ruleset) -> None:
    import medlint.linter

    real = medlint.linter.load_ruleset
    monkeypatch.setattr(medlint.linter, "load_ruleset",
                        lambda packs=None, dirs=(): ruleset if packs is None and not dirs else real(packs, dirs))


def rule_file(folder: Path, pattern: str, rid: str = "house.r") -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "r.yaml").write_text(
        f"rules:\n  - id: {rid}\n    kind: existence\n    category: promotion\n    severity: warning\n"
        f"    patterns: ['{pattern}']\n    message: m\n    why: w\n    source: s\n")
    return folder


# -- YAML: one strict loader for rule files and configuration files ------------------------
def billion_laughs(key: str = "severity") -> str:
    y = f"{key}:\n  promotion.hype:\n    - &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for i in range(1, 9):
        y += f"    - &x{i} [" + ",".join([f"*x{i - 1}"] * 9) + "]\n"
    return y


def test_config_file_with_yaml_aliases_is_refused_before_expanding(tmp_path: Path) -> None:
    cfg = tmp_path / ".medlint.yaml"
    cfg.write_text(billion_laughs())
    with pytest.raises(ConfigError, match=r"\.medlint\.yaml:4: malformed YAML: aliases"):
        load_config_file(cfg)
    (tmp_path / "d.md").write_text(TRIGGER)
    result = run(str(tmp_path / "d.md"))
    assert result.exit_code == 2 and "aliases" in result.output and "Traceback" not in result.output


def test_config_key_given_twice_is_an_error_not_a_silent_overwrite(tmp_path: Path) -> None:
    cfg = tmp_path / ".medlint.yaml"
    cfg.write_text("select: [claim]\nselect: [promotion]\n")
    with pytest.raises(ConfigError, match=r"\.medlint\.yaml:2: malformed YAML: key 'select' appears twice"):
        load_config_file(cfg)


def test_config_with_python_tags_is_refused(tmp_path: Path) -> None:
    cfg = tmp_path / ".medlint.yaml"
    cfg.write_text("select: !!python/object/apply:os.getcwd []\n")
    with pytest.raises(ConfigError, match="malformed YAML"):
        load_config_file(cfg)


def test_empty_pack_list_without_rule_folders_is_an_error(tmp_path: Path) -> None:
    cfg = tmp_path / ".medlint.yaml"
    cfg.write_text("packs: []\n")
    (tmp_path / "a.md").write_text(TRIGGER)
    result = run(str(tmp_path / "a.md"))
    assert result.exit_code == 2 and "no rules to run" in result.output


def test_pyproject_whose_tool_is_not_a_table_is_a_config_error_or_skipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('tool = "medlint"\n')
    with pytest.raises(ConfigError, match="'tool' must be a table"):
        load_config_file(tmp_path / "pyproject.toml")
    (tmp_path / "a.md").write_text(TRIGGER)
    result = run(str(tmp_path / "a.md"))  # discovery: not a medlint table, skipped
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_oversized_config_file_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from medlint import yamlsafe

    monkeypatch.setattr(yamlsafe, "MAX_YAML_BYTES", 100)
    cfg = tmp_path / ".medlint.yaml"
    cfg.write_text("select: [claim]\n" + "# padding\n" * 20)
    with pytest.raises(ConfigError, match="too large"):
        load_config_file(cfg)


# -- patterns that would take gigabytes to compile ----------------------------------------
@pytest.mark.parametrize("pattern", ["x{10000000}", "a{4294967294}", "(?:ab{100}){1000}", "a{2000,}"])
def test_huge_counted_repeat_is_a_rule_error_naming_the_file(tmp_path: Path, pattern: str) -> None:
    folder = rule_file(tmp_path / "house", pattern)
    with pytest.raises(RuleError, match=r"r\.yaml:2: rule house\.r: 'patterns': .*(limited to 1000|too large)"):
        load_ruleset(packs=[], extra_dirs=[folder])


def test_many_moderate_repeats_add_up_to_a_rule_error(tmp_path: Path) -> None:
    folder = tmp_path / "house"
    folder.mkdir()
    rules = "".join(f"  - id: house.r{i}\n    kind: existence\n    category: promotion\n    severity: warning\n"
                    f"    patterns: ['x{{1000}}y{i}']\n    message: m\n    why: w\n    source: s\n"
                    for i in range(250))
    (folder / "r.yaml").write_text("rules:\n" + rules)
    with pytest.raises(RuleError, match="unroll into more than"):
        load_ruleset(packs=[], extra_dirs=[folder])


def test_ordinary_counted_repeats_are_accepted(tmp_path: Path) -> None:
    folder = rule_file(tmp_path / "house", r"\\d{1,3} ?mg(?:\\s+\\w+){0,6}")
    assert [r.id for r in load_ruleset(packs=[], extra_dirs=[folder]).rules] == ["house.r"]


# -- one read path: sniff first, then a size cap -------------------------------------------
def test_file_over_the_size_limit_is_one_error_and_other_files_are_still_linted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDLINT_MAX_FILE_MB", "0.001")  # 1 KiB
    (tmp_path / "big.md").write_text(TRIGGER * 100)
    (tmp_path / "ok.md").write_text(TRIGGER)
    calls = []
    real_read = os.read
    monkeypatch.setattr(files.os, "read", lambda fd, n: calls.append(n) or real_read(fd, n))
    with pytest.raises(ReadError, match=r"big\.md: too large to lint \(0\.0 MB; the limit is"):
        read_source(tmp_path / "big.md")
    assert calls == []  # refused before reading anything
    result = run("--no-config", str(tmp_path))
    assert result.exit_code == 2
    assert "ok.md:1" in result.output and "too large" in result.output


def test_binary_file_is_skipped_after_reading_only_its_first_8k(tmp_path: Path, monkeypatch) -> None:
    big = tmp_path / "big.md"  # under the size limit: a binary file, skipped with a note
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB of NUL bytes, nothing on disk
    calls = []
    real_read = os.read
    monkeypatch.setattr(files.os, "read", lambda fd, n: calls.append(n) or real_read(fd, n))
    with pytest.raises(SkipFile, match="binary file"):
        read_source(big)
    assert calls == [8192]


def test_stdin_over_the_size_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDLINT_MAX_FILE_MB", "0.001")
    result = run("--no-config", "-", input=TRIGGER.encode() * 100)
    assert result.exit_code == 2 and "too large to lint" in result.output


def test_socket_is_reported_as_not_a_regular_file(tmp_path: Path) -> None:
    path = tmp_path / "sock.md"
    s = socket.socket(socket.AF_UNIX)
    try:
        s.bind(str(path))
    except OSError:
        pytest.skip("cannot bind a unix socket here")
    try:
        with pytest.raises(ReadError, match="not a regular file"):
            read_bytes(path)
    finally:
        s.close()


# -- globs: checked when the config is read, compiled once ---------------------------------
@pytest.mark.parametrize("text", ['exclude: ["[z-a]"]\n', 'per_path: {"[z-a]": {ignore: [promotion]}}\n',
                                  'include: ["[z-a]"]\n'])
def test_bad_glob_is_a_config_error_naming_file_and_glob(tmp_path: Path, text: str) -> None:
    (tmp_path / ".medlint.yaml").write_text(text)
    (tmp_path / "d.md").write_text(TRIGGER)
    result = run(str(tmp_path / "d.md"))
    assert result.exit_code == 2
    assert ".medlint.yaml" in result.output and "invalid glob '[z-a]'" in result.output
    assert "Traceback" not in result.output


def test_bad_glob_through_the_api_fails_when_the_linter_is_built(ruleset) -> None:
    with pytest.raises(ConfigError, match="invalid glob"):
        Linter({"per_path": {"[z-a]": {"ignore": ["promotion"]}}}, ruleset=ruleset)
    with pytest.raises(ConfigError, match="invalid glob"):
        Linter(Config(exclude=("[z-a]",)), ruleset=ruleset)


def test_config_globs_are_compiled_once_however_many(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from medlint import globs

    config = Config.from_mapping({"exclude": [f"archive{i}/**" for i in range(600)]}, base=tmp_path)
    compiled = []
    real = globs.regex.compile
    monkeypatch.setattr(globs.regex, "compile", lambda *a, **k: compiled.append(a[0]) or real(*a, **k))
    config.wants(tmp_path / "first.md", "file")
    count = len(compiled)
    for i in range(50):
        assert config.wants(tmp_path / f"f{i}.md", "file")
    assert not config.wants(tmp_path / "archive7" / "x.md", "file")
    assert len(compiled) == count <= 601  # nothing compiled per path


def test_glob_with_a_leading_dot_slash_matches_like_without(tmp_path: Path) -> None:
    config = Config.from_mapping({"exclude": ["./drafts/old/**"]}, base=tmp_path)
    assert not config.wants(tmp_path / "drafts" / "old" / "a.md", "file")
    assert config.wants(tmp_path / "drafts" / "a.md", "file")


def test_iter_paths_with_many_excludes_still_yields_the_rest(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(TRIGGER)
    config = Config.from_mapping({"exclude": [f"x{i}" for i in range(700)]}, base=tmp_path)
    found = [shown for shown, _p, _e in iter_paths([str(tmp_path)], accept=config.wants)]
    assert found == [str(tmp_path / "a.md")]




# -- memory and time linear in the size of a sentence or paragraph -------------------------
def test_finding_context_is_bounded_however_long_the_sentence(linter) -> None:
    from medlint.linter import CONTEXT_REACH, CONTEXT_WHOLE

    # (an existence rule: claim rules report once per sentence)
    long_sentence = "Ketamine is revolutionary and " * 400  # 12 000 characters, no sentence end
    findings = [f for f in linter.lint(long_sentence) if f.rule == "promotion.hype"]
    assert len(findings) > 300
    assert all(len(f.context) <= 2 * CONTEXT_REACH + len(f.match) for f in findings)
    from medlint.linter import CONTEXT_WORDS

    middle = findings[len(findings) // 2]
    words = middle.context.split()
    assert len(words) == 2 * CONTEXT_WORDS + 1 and words[CONTEXT_WORDS] == middle.match == "revolutionary"
    short = linter.lint("Intro. Ketamine cures depression, says the leaflet. Outro.")
    assert [f.context for f in short if f.rule == "claim.absolute-outcome"] == [
        "Ketamine cures depression, says the leaflet."]
    assert CONTEXT_WHOLE >= 200
    # a finding whose match is the whole draft (a document-level rule) keeps a bounded context
    everything = linter.lint(long_sentence * 3)
    assert max(len(f.context) for f in everything) <= 3 * CONTEXT_REACH


def test_paragraph_questions_are_asked_once_per_paragraph(linter, monkeypatch: pytest.MonkeyPatch) -> None:
    from medlint.checks.language import Lexicon

    asked = []
    real = Lexicon.search
    monkeypatch.setattr(Lexicon, "search", lambda self, name, *a, **k: asked.append(name) or real(self, name, *a, **k))
    one_block = "<div>" + "<br><br>\n".join(["Ketamine cures depression."] * 300) + "</div>"
    findings = linter.lint(one_block, "html")
    assert len([f for f in findings if f.rule == "claim.absolute-outcome"]) == 300
    # a citation is looked for once in the one paragraph, not once per claim in it
    assert asked.count("citation") <= 3


def test_sentence_at_finds_every_sentence_of_a_long_block() -> None:
    from medlint.document import parse

    doc = parse("<div>" + "<br><br>".join(f"Sentence number {i} here." for i in range(500)) + "</div>", "html")
    block = doc.blocks[0]
    assert len(block.sentences) >= 500
    for s, e in block.sentences[::37]:
        assert doc.sentence_at(s) == (s, e) and doc.sentence_at(e - 1) == (s, e)


# -- one time budget per document ----------------------------------------------------------
SLOW_RULES = "rules:\n" + "".join(
    f"  - id: house.slow{i}\n    kind: existence\n    category: promotion\n    severity: warning\n"
    f"    patterns: ['(a|aa)+$']\n    message: slow\n    why: test\n    source: test\n" for i in range(4))


def test_time_budget_is_shared_by_every_rule_of_a_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import medlint.linter as linter_module
    import medlint.patterns

    monkeypatch.setattr(medlint.patterns, "RULE_BUDGET", 0.4)
    folder = tmp_path / "house"
    folder.mkdir()
    (folder / "slow.yaml").write_text(SLOW_RULES)
    linter = Linter(Config(packs=(), rule_dirs=(folder,)))
    given = []
    real = linter_module.deadline
    monkeypatch.setattr(linter_module, "deadline", lambda s, per_call=True: given.append(s) or real(s, per_call))
    result = linter.check("a" * 40 + "!\n")
    assert len(given) == 4
    # one budget (plus a floor of a tenth of it, split over the rules), not four
    assert sum(given) <= 1.1 * medlint.patterns.rule_budget(41) + 0.05
    assert result.skipped and not result.complete and result.findings == []


def test_rule_out_of_time_makes_the_cli_exit_2_with_findings_still_printed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import medlint.patterns

    monkeypatch.setattr(medlint.patterns, "RULE_BUDGET", 0.3)
    folder = tmp_path / "house"
    folder.mkdir()
    (folder / "slow.yaml").write_text(SLOW_RULES.split("  - id: house.slow1")[0])
    draft = tmp_path / "d.md"
    draft.write_text(TRIGGER + "\n" + "a" * 36 + "!\n")
    result = run("--no-config", "--rules-dir", str(folder), str(draft))
    assert result.exit_code == 2
    assert "not fully checked: 1 rule ran out of the time budget" in result.output
    assert "[claim.absolute-outcome]" in result.output


# -- suppressions: one sweep ---------------------------------------------------------------
def test_suppression_matching_is_one_sweep_not_findings_times_comments(linter, monkeypatch) -> None:
    import medlint.suppress as suppress

    calls = []
    real = suppress.matches
    monkeypatch.setattr(suppress, "matches", lambda *a: calls.append(1) or real(*a))
    n = 300
    text = "<!-- medlint-disable claim -->\nKetamine cures depression.\n<!-- medlint-enable claim -->\n\n" * n
    result = linter.check(text)
    assert not [f for f in result.findings if f.rule.startswith("claim.")]
    assert len(calls) < 40 * n  # was findings x directives (n * 2n)


def _naive_kept(findings, directives):
    """The reference: every directive tried for every finding, in document order."""
    kept = []
    for f in findings:
        hit = None
        for d in directives:
            if d.action == "disable-file" and d.covers(f) \
                    or d.action == "disable-next-line" and f.line == d.end_line + 1 and d.covers(f) \
                    or d.action == "disable-line" and d.line <= f.line <= d.end_line and d.covers(f):
                hit = d
                break
        if hit is None:
            for d in directives:
                if d.start > f.start:
                    break
                if d.action == "disable" and d.covers(f):
                    hit = d
                elif d.action == "enable" and d.covers(f):
                    hit = None
        if hit is None:
            kept.append(f)
    return kept


def test_suppression_sweep_agrees_with_trying_every_comment(linter) -> None:
    import random

    from medlint.document import parse
    from medlint.suppress import _unsuppressed, parse_directives

    rng = random.Random(5)
    comments = ["<!-- medlint-disable -->", "<!-- medlint-enable -->", "<!-- medlint-disable claim -->",
                "<!-- medlint-enable claim.absolute-outcome -->", "<!-- medlint-disable promotion -->",
                "<!-- medlint-disable-next-line -->", "<!-- medlint-disable-next-line claim -->",
                "<!-- medlint-enable promotion.hype -->", "<!-- medlint-disable-file safety -->"]
    lines = ["Ketamine cures depression.", "This revolutionary treatment is completely safe.",
             "He committed suicide.", "Book your free consultation now!"]
    for _ in range(30):
        text = "\n\n".join(rng.choice(comments) if rng.random() < 0.4 else rng.choice(lines) for _ in range(30))
        doc = parse(text, "markdown")
        findings = linter.check_document(parse(text.replace("medlint-", "xmedlint-"), "markdown")).findings
        directives = parse_directives(doc)
        expected = _naive_kept(findings, directives)
        assert _unsuppressed(findings, parse_directives(doc)) == expected, text


#: the two rules the suppression tests hide or keep (other rules also read the draft)
WATCHED = {"promotion.hype", "claim.absolute-outcome"}


def test_suppression_rule_list_may_continue_on_the_next_line_of_the_comment(linter) -> None:
    draft = "This revolutionary treatment cures depression."
    for comment in ("<!-- medlint-disable-next-line\n     promotion.hype -->\n",
                    "<!-- medlint-disable-next-line promotion.hype,\n     claim.absolute-outcome\n-->\n"):
        rules = sorted(f.rule for f in linter.lint(comment + draft) if f.rule in WATCHED)
        hidden = {"promotion.hype"} | ({"claim.absolute-outcome"} if "claim" in comment else set())
        assert rules == sorted({"claim.absolute-outcome"} - hidden), (comment, rules)
    # the list ends at the comment's end: the next line of the draft is not a rule name
    result = linter.check("<!-- medlint-disable-next-line promotion.hype -->\n" + draft)
    assert [f.rule for f in result.findings if f.rule in WATCHED] == ["claim.absolute-outcome"]
    assert not result.problems


# -- symbolic links: resolved against the walked root --------------------------------------
def _tree_with_links(tmp_path: Path) -> Path:
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    (repo / "docs" / "inner").mkdir(parents=True)
    outside.mkdir()
    (outside / "victim.md").write_text("He committed suicide in 1990.\n")
    (repo / "docs" / "inner" / "own.md").write_text("He committed suicide in 1991.\n")
    (repo / "docs" / "shared").symlink_to(outside)
    (repo / "docs" / "link.md").symlink_to(outside / "victim.md")
    (repo / "docs" / "alias").symlink_to(repo / "docs" / "inner")  # inside: followed once
    return repo


def test_walk_does_not_follow_symbolic_links_out_of_the_tree(tmp_path: Path) -> None:
    repo = _tree_with_links(tmp_path)
    found = {Path(shown).relative_to(repo).as_posix(): type(problem).__name__
             for shown, _p, problem in iter_paths([str(repo / "docs")])}
    assert found["docs/shared"] == "SkipFile" and found["docs/link.md"] == "SkipFile"
    assert found["docs/alias/own.md"] == "NoneType"  # a link inside the tree is followed (once)
    assert "docs/shared/victim.md" not in found


def test_fix_never_writes_through_a_link_that_leaves_the_tree(tmp_path: Path, monkeypatch) -> None:
    repo = _tree_with_links(tmp_path)
    monkeypatch.chdir(repo)
    result = run("--no-config", "--fix", "docs")
    assert "outside docs; not followed" in result.output
    assert (tmp_path / "outside" / "victim.md").read_text() == "He committed suicide in 1990.\n"
    assert (repo / "docs" / "inner" / "own.md").read_text() == "He died by suicide in 1991.\n"
    assert not (tmp_path / "outside" / "victim.md").is_symlink()
    # named explicitly, the link is linted, but not fixed through
    result = run("--no-config", "--fix", "docs/link.md")
    assert result.exit_code == 2 and "leads outside the working folder" in result.output
    assert "[safety.suicide-language]" in result.output
    assert (tmp_path / "outside" / "victim.md").read_text() == "He committed suicide in 1990.\n"


# -- --output never replaces a draft -------------------------------------------------------
def test_output_refuses_a_draft_that_could_not_be_read_and_a_hard_link(tmp_path: Path) -> None:
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "a.md").write_text(TRIGGER)
    legacy = drafts / "legacy.md"
    legacy.write_bytes(b"Caf\xe9 notes, important data\n")
    result = run("--no-config", str(drafts), "-o", str(legacy))
    assert result.exit_code == 2 and "refusing to overwrite" in result.output
    assert legacy.read_bytes() == b"Caf\xe9 notes, important data\n"
    (drafts / "b.md").write_text("original draft\n")
    os.link(drafts / "b.md", tmp_path / "hard.md")
    result = run("--no-config", str(drafts / "b.md"), "-o", str(tmp_path / "hard.md"))
    assert result.exit_code == 2 and "refusing to overwrite" in result.output
    assert (drafts / "b.md").read_text() == "original draft\n"


# -- declared encodings: WHATWG labels only, and a round trip ------------------------------
@pytest.mark.parametrize("label", ["unicode_escape", "raw_unicode_escape", "rot13", "utf-7", "punycode"])
def test_declared_python_only_codecs_are_refused(label: str) -> None:
    data = f'<meta charset="{label}"><p>Path C:\\new\\x41. Caf'.encode() + b"\xe9.</p>\n"
    with pytest.raises(ReadError, match="not a web .WHATWG. encoding"):
        files.decode(data, "a.html")


def test_declared_encodings_are_read_as_browsers_read_them() -> None:
    for label in ("iso-8859-1", "latin1", "latin-1", "ASCII", "windows-1252"):
        source = files.decode(f'<meta charset="{label}"><p>\x93Caf'.encode() + b"\xe9\x94</p>", "p.html")
        assert source.encoding == "cp1252" and "\u201cCaf\xe9\u201d" in source.text


def test_declared_utf16_without_a_bom_is_not_believed() -> None:
    with pytest.raises(ReadError, match="declares 'utf-16' without a byte-order mark"):
        files.decode(b'<meta charset="utf-16"><p>Ketamine cures depression \xff\xfe!</p>\n', "b.html")


def test_declared_encoding_must_read_back_byte_for_byte() -> None:
    assert files.decode(b'<meta charset="windows-1252"><p>Caf\xe9</p>').text.endswith("Caf\xe9</p>")
    # Shift_JIS: 0x87 0x90 reads as U+2252, which writes back as 0x81 0xE0; --fix would
    # change bytes outside the fix, so the file is refused
    data = b'<meta charset="shift_jis"><p>\x87\x90 Ketamine cures depression.</p>'
    with pytest.raises(ReadError, match="do not read back unchanged in cp932"):
        files.decode(data, "j.html")
    assert files.decode(b'<meta charset="shift_jis"><p>\x82\xa0</p>').text.endswith("\u3042</p>")


# -- --fix writes only what it may ---------------------------------------------------------
def test_fix_leaves_a_read_only_file_unchanged_and_says_so(tmp_path: Path) -> None:
    draft = tmp_path / "f.md"
    draft.write_text("He committed suicide in 1990.\n")
    draft.chmod(0o444)
    try:
        result = run("--no-config", "--fix", str(draft))
        assert result.exit_code == 2
        assert "read-only file (no write permission); not fixed" in result.output
        assert "1 file could not be fixed." in result.output
        assert draft.read_text() == "He committed suicide in 1990.\n"
        assert oct(draft.stat().st_mode & 0o777) == "0o444"
    finally:
        draft.chmod(0o644)


def test_fix_works_on_a_file_whose_name_is_near_the_length_limit(tmp_path: Path) -> None:
    draft = tmp_path / ("a" * 240 + ".md")
    draft.write_text("He committed suicide.\n")
    result = run("--no-config", "--fix", str(draft))
    assert "Traceback" not in result.output and "could not be" not in result.output
    assert draft.read_text() == "He died by suicide.\n"
    assert [p.name for p in tmp_path.iterdir()] == [draft.name]  # no temporary file left


# -- --diff output is a patch git accepts --------------------------------------------------
def test_diff_of_lone_cr_and_crlf_files_applies_with_git(tmp_path: Path, monkeypatch) -> None:
    import shutil
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    monkeypatch.chdir(tmp_path)
    subprocess.run(["git", "init", "-q"], check=True)
    (tmp_path / "cr.txt").write_bytes(b"Intro line.\rHe committed suicide in 1990.\rEnd line.\r")
    (tmp_path / "crlf.txt").write_bytes(b"Intro\r\nHe committed suicide.\r\nEnd")
    result = run("--no-config", "--diff", "cr.txt", "crlf.txt")
    assert result.exit_code == 1
    (tmp_path / "fix.diff").write_bytes(result.stdout_bytes)  # .stdout turns CRLF into LF
    check = subprocess.run(["git", "apply", "--check", "fix.diff"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    subprocess.run(["git", "apply", "fix.diff"], check=True)
    assert (tmp_path / "cr.txt").read_bytes() == b"Intro line.\rHe died by suicide in 1990.\rEnd line.\r"
    assert (tmp_path / "crlf.txt").read_bytes() == b"Intro\r\nHe died by suicide.\r\nEnd"


# -- low: small surprises --------------------------------------------------------------------
@pytest.mark.parametrize("count", ["1e400", "1.5", "true", "-1", '"2"'])
def test_baseline_count_must_be_a_whole_number(tmp_path: Path, count: str) -> None:
    from medlint.baseline import Baseline

    b = tmp_path / "b.json"
    b.write_text('{"version": 1, "findings": [{"rule":"a","path":"b","match":"c","context":"d","count":%s}]}' % count)
    with pytest.raises(ConfigError, match="whole-number count"):
        Baseline.load(b)


def test_stdin_filename_suffix_picks_the_reader() -> None:
    html = b"<p>Ketamine cures depression.</p>"
    result = run("--no-config", "-", "--stdin-filename", "x.html", input=html)
    assert result.exit_code == 1 and "x.html:1:" in result.output
    result = run("--no-config", "-", "--stdin-filename", "x.html", "--stdin-format", "text", input=html)
    assert result.exit_code == 1  # an explicit --stdin-format still wins


def test_a_draft_whose_name_starts_with_a_dash_is_linted_not_read_as_an_option(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from medlint.entry import parse_check

    monkeypatch.chdir(tmp_path)
    (tmp_path / "-intro.md").write_text(TRIGGER)
    (tmp_path / "a.md").write_text(TRIGGER)
    params = parse_check(["check", "--no-config", "-intro.md", "a.md"])
    assert params is not None and params["paths"] == ("-intro.md", "a.md")
    assert parse_check(["check", "--no-config", "-missing.md"]) is None  # a typo: click says so
    (tmp_path / "-").write_text(TRIGGER)
    assert [shown for shown, _p, _e in iter_paths(["./-", "-"])] == ["./-", "-"]


def test_api_rejects_a_non_string_format_and_stores_paths_as_strings(linter) -> None:
    with pytest.raises(TypeError, match="format must be"):
        linter.lint("x", format=None)  # type: ignore[arg-type]
    finding = linter.lint("Ketamine cures depression.", path=Path("a.md"))[0]  # type: ignore[arg-type]
    assert finding.path == "a.md"
    import json

    assert json.loads(json.dumps(finding.to_dict()))["path"] == "a.md"


def test_rule_cache_stamp_reads_only_the_top_of_a_rule_folder(tmp_path: Path) -> None:
    from medlint.linter import _stamp

    (tmp_path / "top.yaml").write_text("rules: []\n")
    (tmp_path / "deep" / "deeper").mkdir(parents=True)
    (tmp_path / "deep" / "deeper" / "x.yaml").write_text("rules: []\n")
    names = [Path(entry[0]).name for entry in _stamp(tmp_path)[1:]]
    assert names == ["top.yaml"]


def test_an_unlistable_folder_is_counted_as_a_folder_not_a_file(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "ok.md").write_text(TRIGGER)
    (tmp_path / "locked").mkdir()
    real = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(files.os, "scandir", scandir)
    result = run("--no-config", str(tmp_path))
    assert result.exit_code == 2 and "cannot list folder" in result.output
    assert "1 folder could not be read." in result.output and "file could not be read" not in result.output


def test_schedule_names_are_looked_up_once_per_sentence(linter, monkeypatch: pytest.MonkeyPatch) -> None:
    from medlint.checks import approval

    calls = []
    real = approval.findall_in
    monkeypatch.setattr(approval, "findall_in", lambda *a: calls.append(a[2:]) or real(*a))
    findings = linter.lint("Ketamine is Schedule I and " * 200)  # one sentence, 200 schedules
    assert len([f for f in findings if f.rule == "claim.ketamine-schedule"]) == 200
    assert len(calls) <= 2  # was one search from the sentence start per schedule


def test_approval_subjects_are_found_from_the_sentences_names_not_by_rescanning(
        linter, monkeypatch: pytest.MonkeyPatch) -> None:
    from medlint.checks import approval

    calls = []
    real = approval.findall_in
    monkeypatch.setattr(approval, "findall_in", lambda *a: calls.append(a[2:]) or real(*a))
    text = "Esketamine, a derivative of ketamine, is approved for depression and " * 100
    findings = [f for f in linter.lint(text) if f.rule == "claim.ketamine-fda-approval"]
    assert len(findings) == 100 and all(f.message.startswith("Esketamine") for f in findings)
    assert len(calls) <= 3  # one search of the sentence, not one per approval


def test_the_click_command_also_reads_a_dash_named_draft_as_a_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "-intro.md").write_text(TRIGGER)
    (tmp_path / "a.md").write_text(TRIGGER)
    result = run("--no-config", "-intro.md", "--format", "json", "a.md")
    assert result.exit_code == 1, result.output
    import json

    assert sorted({f["path"] for f in json.loads(result.output)["findings"]}) == ["-intro.md", "a.md"]
    result = run("--no-config", "-nosuch.md")
    assert result.exit_code == 2 and "No such option" in result.output
