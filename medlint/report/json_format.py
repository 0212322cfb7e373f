"""JSON for scripts: a top-level ``findings`` list (the contract scripts and the scorer rely on).

Each finding has at least ``path, line, column, end_line, end_column, rule, category,
severity, message`` (plus ``start``/``end`` offsets, ``match``, ``suggestion`` and ``pack``).
Around it: ``rules`` (metadata of every rule that ran, keyed by id, so a script can explain a
finding without a second call), ``statistics`` (findings per rule, most frequent first) and
``errors`` (files that could not be read). Keys are only ever added, never renamed.
"""
from __future__ import annotations

import json

from . import Report, rule_counts


def render(report: Report) -> str:
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
    data = {
        "version": 1,
        "tool": {"name": "medlint", "version": report.tool_version},
        "files_checked": report.files_checked,
        "findings": [f.to_dict() for f in report.findings],
        "errors": [{"path": e.path, "message": e.message} for e in report.errors],
        "statistics": [{"rule": rule, "count": n} for rule, n in rule_counts(report.findings)],
        "rules": rules,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
