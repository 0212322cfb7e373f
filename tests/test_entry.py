"""The console script's click-free fast path (medlint/entry.py) changes nothing but start-up.

Every command line it accepts must give click's own parameters, and both ways must write
the same bytes and exit with the same code; everything else is left to click.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from medlint.cli import check
from medlint.entry import parse_check

REPO = Path(__file__).resolve().parent.parent
BAD = "# Ketamine\n\nKetamine is a miracle cure for depression. Call 555-0100 today!\n"

ACCEPTED = [
    ["check", "a.md"],
    ["check", "a.md", "b.md", "--no-config"],
    ["check", "-", "--stdin-format", "html", "--stdin-filename", "legal/x.html"],
    ["check", "--format", "json", "a.md"],
    ["check", "--format=sarif", "-f", "github", "a.md"],  # the last one wins, as in click
    ["check", "--select", "claim,supervision", "--select=promotion", "--ignore", "promotion.hype", "a.md"],
    ["check", "--extend-select", "x.y", "--packs", "health", "a.md"],
    ["check", "--min-severity", "warning", "--fail-on=error", "a.md"],
    ["check", "--color", "never", "--show-source", "--statistics", "a.md"],
    ["check", "--report-unused-suppressions", "--no-config", "--no-config", "a.md"],
    ["check", "--jobs", "2", "a.md"], ["check", "-j", "12", "a.md"],
    ["check", "--baseline", "missing.json", "a.md"],
    ["check", "--write-baseline=new.json", "a.md"],
    ["check", "--config", "pyproject.toml", "a.md"],
    ["check", "--rules-dir", "rules", "--rules-dir", "nowhere", "a.md"],
    ["check", "--fix", "a.md"], ["check", "--diff", "a.md"],
    ["check", "--", "-odd-name.md", "--select"],
    ["check", ""],
    ["check"],
]
DECLINED = [
    [], ["--version"], ["-h"], ["rules"], ["explain", "claim.x"], ["check", "--help"], ["check", "-h"],
    ["check", "--output", "report.txt", "a.md"], ["check", "-o", "r.txt", "a.md"],
    ["check", "-fjson", "a.md"], ["check", "-f=json", "a.md"], ["check", "--form", "json", "a.md"],
    ["check", "--jobs", "0", "a.md"], ["check", "--jobs", "02", "a.md"], ["check", "-j", "x", "a.md"],
    ["check", "--min-severity", "WARNING", "a.md"], ["check", "--color", "yes", "a.md"],
    ["check", "--select", "-x", "a.md"], ["check", "--select", "", "a.md"], ["check", "a.md", "--select"],
    ["check", "--no-config=1", "a.md"], ["check", "--config", "rules", "a.md"],  # a folder
    ["check", "--unknown", "a.md"], ["CHECK", "a.md"],
]


@pytest.mark.parametrize("argv", ACCEPTED, ids=" ".join)
def test_accepted_command_lines_parse_as_click_parses_them(argv: list[str], monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    params = parse_check(argv)
    assert params is not None
    with check.make_context("check", argv[1:]) as ctx:
        assert params == ctx.params


@pytest.mark.parametrize("argv", DECLINED, ids=" ".join)
def test_other_command_lines_are_left_to_click(argv: list[str], monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    assert parse_check(argv) is None


def _run(how: str, args: list[str], cwd: Path, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    """``medlint ARGS`` through the console script's fast path, or through click alone."""
    target = "from medlint.entry import main" if how == "fast" else "from medlint.cli import main"
    code = ("import sys, atexit\n"
            "atexit.register(lambda: sys.stderr.write('[click loaded]' if 'click' in sys.modules else ''))\n"
            f"sys.argv[0] = 'medlint'\n{target}\nmain()\n")
    env = {k: v for k, v in os.environ.items() if not k.endswith("_COMPLETE")}
    env.pop("NO_COLOR", None)
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, input=stdin, capture_output=True,
                          env=env, timeout=300)


CASES = [
    (["check", "--no-config", "bad.md"], True),
    (["check", "--no-config", "bad.md", "clean.md", "--format", "json"], True),
    (["check", "--no-config", "clean.md"], True),
    (["check", "--no-config", "--select", "promotion", "--color", "always", "bad.md"], True),
    (["check", "--no-config", "missing.md", "bad.md"], True),  # a read error among findings
    (["check", "--no-config", "-", "--stdin-filename", "in.md"], True),
    (["check", "--no-config", "bad\x1b[31mred.md"], True),  # an escape code: click.echo writes it
    (["check", "--no-config", "--format", "nope", "bad.md"], False),  # a usage error: click reports
    (["check", "--no-config", "--output", "out.txt", "bad.md"], False),
]


@pytest.mark.parametrize("args, fast", CASES, ids=lambda v: " ".join(v) if isinstance(v, list) else str(v))
def test_fast_path_writes_what_click_writes(tmp_path: Path, args: list[str], fast: bool) -> None:
    (tmp_path / "bad.md").write_text(BAD, encoding="utf-8")
    (tmp_path / "clean.md").write_text("# Rest\n\nSleep matters.\n", encoding="utf-8")
    stdin = BAD.encode()
    both = [_run(how, args, tmp_path, stdin) for how in ("fast", "click")]
    for out in both:
        if (tmp_path / "out.txt").exists():
            (tmp_path / "out.txt").unlink()
    one, two = both
    assert one.returncode == two.returncode
    assert one.stdout == two.stdout
    assert one.stderr.replace(b"[click loaded]", b"") == two.stderr.replace(b"[click loaded]", b"")
    assert two.stderr.endswith(b"[click loaded]")
    # an escape code in a path (not a colour) makes the fast path hand that message to click
    loads_click = not fast or "\x1b" in "".join(args)
    assert one.stderr.endswith(b"[click loaded]") == loads_click
