"""Quality on labelled drafts, measured the way the project's scorer measures it.

A finding matches a label of its own category when its line lies in the label's lines (any
line for a document-scope label). Recall counts non-optional labels found; precision counts
findings that match some label. The drafts in tests/fixtures/labelled are the project's own
(other topics and phrasings than the rule sources); the development drafts in ../shared are
used when present.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import yaml

from medlint.document import format_for_path
from medlint.finding import CATEGORIES
from medlint.linter import Linter

FIXTURES = Path(__file__).parent / "fixtures" / "labelled"


def score(linter: Linter, folder: Path) -> dict[str, dict[str, int]]:
    stats = {c: defaultdict(int) for c in CATEGORIES}
    for sidecar in sorted(folder.glob("*.labels.yaml")):
        stem = sidecar.name[: -len(".labels.yaml")]
        draft = next(p for p in folder.iterdir() if p.stem == stem and p.suffix in (".md", ".txt", ".html"))
        labels = (yaml.safe_load(sidecar.read_text(encoding="utf-8")) or {}).get("labels") or []
        findings = linter.lint(draft.read_text(encoding="utf-8"), format_for_path(draft), str(draft))
        hit = [False] * len(labels)
        for f in findings:
            if f.category not in stats:
                continue
            stats[f.category]["flags"] += 1
            ok = False
            for i, label in enumerate(labels):
                lines = label.get("lines") or [0, -1]
                if label["category"] == f.category and (
                        label.get("scope") == "document" or lines[0] <= f.line <= lines[-1]):
                    hit[i] = ok = True
            stats[f.category]["right"] += ok
        for label, found in zip(labels, hit):
            if not label.get("optional"):
                stats[label["category"]]["labels"] += 1
                stats[label["category"]]["found"] += found
    return stats


def _check(stats: dict[str, dict[str, int]], min_precision: float, min_recall: float) -> None:
    problems = []
    for cat, s in stats.items():
        if s["flags"] and s["right"] / s["flags"] < min_precision:
            problems.append(f"{cat}: precision {s['right']}/{s['flags']}")
        if s["labels"] and s["found"] / s["labels"] < min_recall:
            problems.append(f"{cat}: recall {s['found']}/{s['labels']}")
    assert not problems, "; ".join(problems)


def test_project_drafts(linter: Linter) -> None:
    _check(score(linter, FIXTURES), min_precision=0.9, min_recall=0.9)


def test_development_drafts(linter: Linter, shared: Path) -> None:
    _check(score(linter, shared / "corpus" / "dev"), min_precision=0.9, min_recall=0.9)
