"""The text report written one file at a time, so a run over a whole site holds no findings.

``medlint check`` on 100 MB of drafts used to keep every finding (and then the whole
rendered report) until the end: several hundred MB. For the text format to stdout nothing
needs the full list: each file's lines are written as soon as the file is linted, and the
summary needs only counts. The bytes written are exactly those of ``text.render`` over the
full report (tested). Formats whose output depends on the whole run (JSON's header, SARIF,
JUnit, GitHub's per-level notice) and ``--statistics``, ``--show-source``, ``--output``,
baselines still collect the findings first.
"""
from __future__ import annotations

import sys
from collections import Counter
from typing import Any, Iterator, Sequence

from ..finding import Finding
from . import Report
from .emit import echo, use_color
from .text import _Painter, findings_view, summary


def can_stream(fmt: str, output: Any, statistics: bool, show_source: bool, baseline: Any,
               write_baseline: Any) -> bool:
    return (fmt == "text" and output is None and not statistics and not show_source
            and baseline is None and write_baseline is None)


class _Counted:
    """Stands in for a finding in the summary, which only counts severities and categories.

    A plain class: a dataclass costs ~0.7 ms to create at import, on every cold start."""

    __slots__ = ("severity", "category")

    def __init__(self, severity: Any, category: str) -> None:
        self.severity = severity
        self.category = category


class _Tally(Sequence[Any]):
    """Severity and category counts that read like the list of findings they came from."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[Any, str]] = Counter()
        self.total = 0

    def add(self, findings: Sequence[Finding]) -> None:
        for f in findings:
            self.counts[(f.severity, f.category)] += 1
        self.total += len(findings)

    def __len__(self) -> int:
        return self.total

    def __iter__(self) -> Iterator[Any]:
        for (severity, category), n in self.counts.items():
            for _ in range(n):
                yield _Counted(severity, category)

    def __getitem__(self, i: Any) -> Any:  # pragma: no cover - Sequence requires it
        raise TypeError("a tally is only counted and iterated")


class TextStream:
    """Writes findings lines as files are linted; ``finish`` writes the summary."""

    def __init__(self, color: str) -> None:
        self.color = use_color(color, sys.stdout)
        self.paint = _Painter(self.color)
        self.tally = _Tally()
        self.rules: Sequence[object] = ()

    def write(self, findings: Sequence[Finding], rules: Sequence[object]) -> None:
        if not findings:
            return
        self.tally.add(findings)
        lines = findings_view(Report(findings=findings, rules=rules), self.paint)
        echo("".join(line + "\n" for line in lines), nl=False, color=self.color)

    def finish(self, report: Report) -> None:
        """``report`` carries everything but the findings (files, errors)."""
        counted = Report(findings=self.tally, errors=report.errors, files_checked=report.files_checked)
        echo(summary(counted, self.paint), color=self.color)
