"""JSON for scripts: a top-level ``findings`` list (the contract scripts and the scorer rely on).

Each finding has at least ``path, line, column, end_line, end_column, rule, category,
severity, message`` (plus ``start``/``end`` offsets, ``match``, ``suggestion`` and ``pack``).
Around it: ``rules`` (metadata of every rule that ran, keyed by id, so a script can explain a
finding without a second call), ``statistics`` (findings per rule, most frequent first) and
``errors`` (files that could not be read). Keys are only ever added, never renamed.
"""
from __future__ import annotations

import json
from typing import Iterator

from . import Report, rule_counts


def render(report: Report) -> str:
    return "".join(chunks(report))


def chunks(report: Report) -> Iterator[str]:
    """The report as ``json.dumps(data, indent=2)`` would print it, one finding at a time.

    A dense draft has tens of thousands of findings; building every finding's dict and the
    whole document as one string before writing it roughly doubled the peak memory of a run
    (reliability review, L13). Written piece by piece, the extra memory is one finding's.
    """
    rules = {}
    for rule in report.rules:
        rules[rule.id] = {  # type: ignore[attr-defined]
            "kind": getattr(rule, "kind", None),
            "category": rule.category,  # type: ignore[attr-defined]
            "severity": rule.severity.value,  # type: ignore[attr-defined]
            "pack": rule.pack,  # type: ignore[attr-defined]
            "summary": rule.summary,  # type: ignore[attr-defined]
            "why": rule.why,  # type: ignore[attr-defined]
            "source": rule.source,  # type: ignore[attr-defined]
        }
    head = {
        "version": 1,
        "tool": {"name": "medlint", "version": report.tool_version},
        "files_checked": report.files_checked,
    }
    tail = {
        "errors": [{"path": e.path, "message": e.message} for e in report.errors],
        "statistics": [{"rule": rule, "count": n} for rule, n in rule_counts(report.findings)],
        "rules": rules,
    }
    yield _dumps(head)[:-2] + ",\n"  # the head's members, its closing brace left open
    if not report.findings:
        yield '  "findings": [],\n'
    else:
        yield '  "findings": [\n'
        last = len(report.findings) - 1
        for n, finding in enumerate(report.findings):
            item = _dumps(finding.to_dict()).replace("\n", "\n    ")
            yield "    " + item + (",\n" if n < last else "\n")
        yield "  ],\n"
    yield _dumps(tail)[2:] + "\n"  # the tail's members and the closing brace


def _dumps(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)
