"""``path:line:col: severity [rule-id] message`` lines and a summary: the default format."""
from __future__ import annotations

from collections import Counter

from . import Report


def render(report: Report) -> str:
    lines = []
    for f in report.findings:
        line = f"{f.path or '-'}:{f.line}:{f.column}: {f.severity.value} [{f.rule}] {f.message}"
        if f.suggestion:
            line += f" (suggestion: {f.suggestion!r})"
        lines.append(line)
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def summary(report: Report) -> str:
    n = len(report.findings)
    if not n:
        text = f"No findings in {report.files_checked} file{'s' if report.files_checked != 1 else ''}."
    else:
        sev = Counter(f.severity.value for f in report.findings)
        cat = Counter(f.category for f in report.findings)
        by_sev = ", ".join(f"{sev[k]} {k}" for k in ("error", "warning", "info") if sev[k])
        by_cat = ", ".join(f"{c} {k}" for k, c in sorted(cat.items(), key=lambda kv: (-kv[1], kv[0])))
        text = (f"Found {n} finding{'s' if n != 1 else ''} in {report.files_checked} "
                f"file{'s' if report.files_checked != 1 else ''} ({by_sev}; {by_cat}).")
    if report.errors:
        text += f" {len(report.errors)} file{'s' if len(report.errors) != 1 else ''} could not be read."
    return text
