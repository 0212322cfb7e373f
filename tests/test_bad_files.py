"""Bad files: every row of the table in docs/reliability.md has a test here.

The rule: a file medlint cannot read is reported by name (and line, where there is one)
with exit code 2, and every other file is still checked and its findings printed.
"""
from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from medlint import files
from medlint.cli import main
from medlint.files import ReadError, SkipFile, decode, iter_paths, read_source
from medlint.linter import Linter

TRIGGER = "Ketamine cures depression.\n"


def run(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(main, ["check", "--no-config", *args], input=input)


@pytest.fixture(autouse=True)
def _reuse_bundled_rules(monkeypatch: pytest.MonkeyPatch, ruleset) -> None:
    """The CLI compiles the bundled packs per run; reuse the session's copy to keep tests fast."""
    import medlint.linter

    real = medlint.linter.load_ruleset
    monkeypatch.setattr(medlint.linter, "load_ruleset",
                        lambda packs=None, dirs=(): ruleset if packs is None and not dirs else real(packs, dirs))


@pytest.fixture
def claims(ruleset):  # one rule ("cures" is an absolute outcome) for position tests
    return Linter({"select": ["claim.absolute-outcome"]}, ruleset=ruleset)


def only(findings, rule_prefix: str = "claim."):
    return [f for f in findings if f.rule.startswith(rule_prefix)]


# -- encodings -------------------------------------------------------------------------------
def test_invalid_utf8_is_a_read_error_with_offset_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"Line one\nLine two \xff\xfe here\n")
    with pytest.raises(ReadError) as err:
        read_source(bad)
    msg = str(err.value)
    assert msg.startswith(f"{bad}:2: not valid UTF-8")
    assert "0xff at offset 18" in msg


def test_read_error_exits_2_and_other_files_are_still_reported(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_bytes(b"\xc3\x28 broken\n")
    good = tmp_path / "good.md"
    good.write_text(TRIGGER)
    result = run(str(tmp_path / "bad.md"), str(good))
    assert result.exit_code == 2
    assert "claim.absolute-outcome" in result.stdout or "[claim." in result.stdout
    assert f"{tmp_path / 'bad.md'}:1: not valid UTF-8" in result.stderr
    assert "1 file could not be read" in result.stdout


def test_declared_encoding_is_used_when_the_bytes_are_not_utf8(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(b'<html><head><meta charset="windows-1252"></head><body><p>Caf\xe9 \x93news\x94</p></body></html>')
    source = read_source(page)
    assert source.encoding == "cp1252"
    assert "Café “news”" in source.text


def test_xml_declaration_and_http_equiv_are_declarations_too() -> None:
    xml = b'<?xml version="1.0" encoding="ISO-8859-1"?><p>na\xefve</p>'
    assert decode(xml).text.endswith("naïve</p>")
    meta = b'<meta http-equiv="Content-Type" content="text/html; charset=latin1"><p>\xe9</p>'
    assert decode(meta).encoding == "cp1252"  # as browsers read it (WHATWG)


def test_valid_utf8_wins_over_a_stale_declaration() -> None:
    data = '<meta charset="iso-8859-1"><p>Café</p>'.encode()
    assert decode(data).text.endswith("Café</p>")


def test_declared_encoding_that_does_not_fit_is_an_error_not_a_guess() -> None:
    # 0x81 is undefined in windows-1252
    with pytest.raises(ReadError, match=r"not valid CP1252: byte 0x81 at offset"):
        decode(b'<meta charset="windows-1252">\x81\xff', "p.html")
    with pytest.raises(ReadError, match="declares .'klingon'. is unknown"):
        decode(b'<meta charset="klingon">\xff', "p.html")
    with pytest.raises(ReadError, match="'base64'. is unknown"):  # not a text encoding
        decode(b'<meta charset="base64">\xff', "p.html")


@pytest.mark.parametrize("bom,codec", [
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
])
def test_bom_decides_the_encoding_and_columns_ignore_it(bom: bytes, codec: str, tmp_path: Path, claims) -> None:
    path = tmp_path / "bom.md"
    path.write_bytes(bom + ("Intro.\n\n" + TRIGGER).encode(codec))
    source = read_source(path)
    assert source.encoding == codec and source.bom == bom
    assert not source.text.startswith("\ufeff")
    f = only(claims.lint(source.text))[0]
    assert (f.line, f.column) == (3, 10) and f.match.startswith("cures")


def test_truncated_utf16_is_a_read_error() -> None:
    with pytest.raises(ReadError, match="not valid UTF-16-LE"):
        decode(codecs.BOM_UTF16_LE + "hi".encode("utf-16-le") + b"\x00", "t.txt")


# -- binary, NUL, empty ------------------------------------------------------------------------
def test_binary_file_is_skipped_with_a_note(tmp_path: Path) -> None:
    png = tmp_path / "image.md"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(SkipFile, match="binary file"):
        read_source(png)
    result = run(str(png))
    assert result.exit_code == 0
    assert "binary file (NUL bytes), skipped" in result.stderr


def test_nul_after_the_first_8k_is_linted_as_a_character(claims) -> None:
    text = "x" * 9000 + "\x00\n\n" + TRIGGER
    source = decode(text.encode())
    assert source.text == text
    f = only(claims.lint(source.text))[0]
    assert source.text[f.start:f.end] == f.match and f.line == 3


def test_empty_and_blank_files_have_no_findings(tmp_path: Path) -> None:
    for name, data in (("empty.md", b""), ("blank.md", b"\n\n  \r\n"), ("bom-only.txt", codecs.BOM_UTF8)):
        path = tmp_path / name
        path.write_bytes(data)
        result = run(str(path))
        assert result.exit_code == 0, (name, result.output)
        assert "No findings in 1 file." in result.stdout


# -- positions: long lines, line ends, tabs, combining marks, emoji -----------------------------
def test_very_long_line(claims) -> None:
    text = "word " * 40_000 + TRIGGER.rstrip()
    f = only(claims.lint(text))[0]
    assert (f.line, f.column) == (1, 200_010) and text[f.start:f.end] == f.match


@pytest.mark.parametrize("fmt", ["markdown", "text"])
def test_mixed_line_endings(fmt: str, claims) -> None:
    text = "First paragraph.\r\n\r\nKetamine cures depression.\n\nOK.\r\rSpravato cures anxiety.\n"
    found = only(claims.lint(text, fmt))
    assert [(f.line, f.column, f.end_line, f.end_column) for f in found] == [(3, 10, 3, 15), (7, 10, 7, 15)]
    for f in found:
        assert text[f.start:f.end] == f.match


def test_tabs_count_as_one_column(claims) -> None:
    f = only(claims.lint("\tKetamine\tcures depression.", "text"))[0]
    assert f.column == 11  # tab(1) + "Ketamine"(8) + tab(1) = 10 code points before "cures"


def test_combining_marks_and_emoji_count_as_code_points(claims) -> None:
    # "e\u0301" is two code points (e + combining acute); the emoji is one code point
    # (outside the Basic Multilingual Plane: two UTF-16 units, four UTF-8 bytes)
    text = "Cafe\u0301 😀 news: ketamine cures depression."
    f = only(claims.lint(text))[0]
    assert f.column == text.index("cures") + 1 == 24
    assert text[f.start:f.end] == f.match and f.match.startswith("cures")
    zwj = "👩‍⚕️ says ketamine cures depression."  # ZWJ sequence: 4 code points, 1 glyph
    g = only(claims.lint(zwj))[0]
    assert g.column == zwj.index("cures") + 1


# -- the file system -----------------------------------------------------------------------------
def test_missing_path_is_an_error_and_others_are_still_checked(tmp_path: Path) -> None:
    good = tmp_path / "good.md"
    good.write_text(TRIGGER)
    result = run(str(tmp_path / "nope.md"), str(good))
    assert result.exit_code == 2
    assert f"{tmp_path / 'nope.md'}: no such file or directory" in result.stderr
    assert "[claim." in result.stdout


def test_broken_symlink_is_named_as_such(tmp_path: Path) -> None:
    link = tmp_path / "gone.md"
    link.symlink_to(tmp_path / "missing-target.md")
    with pytest.raises(ReadError, match="broken symbolic link"):
        read_source(link)


def test_permission_denied_is_a_read_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.md"
    path.write_text(TRIGGER)

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files.os, "open", denied)
    with pytest.raises(ReadError, match="secret.md: permission denied"):
        read_source(path)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_for_real(tmp_path: Path) -> None:
    path = tmp_path / "secret.md"
    path.write_text(TRIGGER)
    path.chmod(0)
    result = run(str(path))
    assert result.exit_code == 2 and "permission denied" in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    with pytest.raises(ReadError, match="not a regular file"):
        read_source(fifo)


def test_directory_named_as_a_file_is_walked(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(TRIGGER)
    assert [shown for shown, _, _ in iter_paths([str(tmp_path)])] == [str(tmp_path / "a.md")]


def test_symlink_loop_is_noted_and_walk_ends(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "sub" / "a.md").write_text(TRIGGER)
    (docs / "sub" / "back").symlink_to(docs, target_is_directory=True)
    (docs / "self").symlink_to(docs / "self")  # a link to itself: not a folder, not a draft
    walked = list(iter_paths([str(docs)]))
    drafts = [shown for shown, _, problem in walked if problem is None]
    assert drafts == [str(docs / "sub" / "a.md")]
    loops = [p for _, _, p in walked if isinstance(p, SkipFile)]
    assert len(loops) == 1 and "already visited" in str(loops[0])
    result = run(str(docs))
    assert result.exit_code == 1  # the draft's findings; a loop is a note, not a read error
    assert "not followed again" in result.stderr
    assert result.stdout.count("a.md:1:") >= 1 and "in 1 file" in result.stdout


def test_file_changing_while_being_read_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "busy.md"
    path.write_text(TRIGGER * 10)
    real_read = os.read

    def read_then_append(fd: int, n: int) -> bytes:
        data = real_read(fd, n)
        if data:  # an editor saving more text at this moment (a log would do it forever)
            with path.open("a") as fh:
                fh.write("More text.\n")
        return data

    monkeypatch.setattr(files.os, "read", read_then_append)
    with pytest.raises(ReadError, match="busy.md: changed while being read"):
        read_source(path)


def test_stdin_binary_and_invalid_input() -> None:
    assert "binary file" in run("-", input=b"\x00\x01\x02").stderr
    result = run("-", "--stdin-filename", "draft.md", input=b"ok \xff\n")
    assert result.exit_code == 2 and "draft.md:1: not valid UTF-8" in result.stderr
