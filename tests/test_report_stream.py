"""The text report streamed file by file is byte for byte the report rendered at the end."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import medlint.report.stream as stream
from medlint.cli import main

REPO = Path(__file__).resolve().parent.parent


def _run(monkeypatch: pytest.MonkeyPatch, streamed: bool, *args: str):
    if not streamed:
        monkeypatch.setattr(stream, "can_stream", lambda *a: False)
    result = CliRunner().invoke(main, ["check", "--no-config", "--jobs", "1", *args])
    monkeypatch.undo()
    return result


@pytest.mark.parametrize("extra", [(), ("--color", "always"), ("--fail-on", "error"),
                                   ("--min-severity", "error")])
def test_streamed_text_equals_collected_text(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                             extra: tuple[str, ...]) -> None:
    (tmp_path / "clean.md").write_text("Plain words about nothing in particular.\n", encoding="utf-8")
    (tmp_path / "bad.md").write_bytes(b"\xff\xfe\xfa not text")
    paths = [str(REPO / "examples"), str(tmp_path / "clean.md"), str(tmp_path / "bad.md"),
             str(tmp_path / "missing.md")]
    collected = _run(monkeypatch, False, *extra, *paths)
    streamed = _run(monkeypatch, True, *extra, *paths)
    assert streamed.output == collected.output
    assert streamed.exit_code == collected.exit_code
    assert "finding" in streamed.output


def test_streamed_clean_run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "clean.md").write_text("Plain words about nothing in particular.\n", encoding="utf-8")
    collected = _run(monkeypatch, False, str(tmp_path / "clean.md"))
    streamed = _run(monkeypatch, True, str(tmp_path / "clean.md"))
    assert streamed.output == collected.output == "No findings in 1 file.\n"
    assert streamed.exit_code == collected.exit_code == 0
