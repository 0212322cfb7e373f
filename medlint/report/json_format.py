"""JSON: a top-level ``findings`` list (the contract scripts and the scorer rely on)."""
from __future__ import annotations

import json

from . import Report


def render(report: Report) -> str:
    rules = {}
    for rule in report.rules:
        rules[rule.id] = {  # type: ignore[attr-defined]
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
        "rules": rules,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
