"""One Linter shared by many threads gives exactly the single-threaded results.

A web server's workers share one Linter (rules are compiled once). This lints the project's
drafts, our samples in all three formats and, when present, the development drafts in
../shared, from 8 threads at once for several rounds, and compares every result with a
single-threaded run. It also checks that the lazily built default linter is built once.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import medlint
from medlint import linter as linter_module
from medlint.document import format_for_path
from medlint.linter import Linter
from medlint.ruleset import RuleSet

from samples import SAMPLES, example_drafts

THREADS = 8
ROUNDS = 3


def _inputs(shared_dir: Path | None) -> dict[str, tuple[str, str]]:
    inputs = dict(SAMPLES)
    inputs.update(example_drafts())
    if shared_dir is not None:
        for path in sorted((shared_dir / "corpus" / "dev").iterdir()):
            if path.suffix in (".md", ".txt", ".html"):
                inputs[f"dev/{path.name}"] = (path.read_text(encoding="utf-8"), format_for_path(path))
    return inputs


@pytest.fixture
def maybe_shared(request: pytest.FixtureRequest) -> Path | None:
    try:
        return request.getfixturevalue("shared")
    except pytest.skip.Exception:
        return None


def test_shared_linter_across_threads(linter: Linter, maybe_shared: Path | None) -> None:
    inputs = _inputs(maybe_shared)
    expected = {name: linter.lint(text, fmt, name) for name, (text, fmt) in inputs.items()}
    assert any(expected.values())
    jobs = [name for _ in range(ROUNDS) for name in inputs]
    start = threading.Barrier(THREADS)

    def work(names: list[str]) -> list[tuple[str, list[medlint.Finding]]]:
        start.wait()  # all threads begin together, so the calls really overlap
        return [(n, linter.lint(inputs[n][0], inputs[n][1], n)) for n in names]

    chunks = [jobs[i::THREADS] for i in range(THREADS)]
    with ThreadPoolExecutor(THREADS) as pool:
        results = [r for chunk in pool.map(work, chunks) for r in chunk]
    assert len(results) == len(jobs)
    for name, found in results:
        assert found == expected[name], name


def test_default_linter_is_built_once(monkeypatch: pytest.MonkeyPatch, ruleset: RuleSet) -> None:
    built: list[Linter] = []

    class Counting(Linter):
        def __init__(self) -> None:
            super().__init__(ruleset=ruleset)
            built.append(self)

    monkeypatch.setattr(linter_module, "_DEFAULT", None)
    monkeypatch.setattr(linter_module, "Linter", Counting)
    start = threading.Barrier(THREADS)

    def get(_: int) -> Linter:
        start.wait()
        return linter_module.default_linter()

    with ThreadPoolExecutor(THREADS) as pool:
        got = list(pool.map(get, range(THREADS)))
    assert len(built) == 1 and all(g is built[0] for g in got)
