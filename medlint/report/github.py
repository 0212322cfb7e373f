"""GitHub Actions workflow commands: one annotation per finding on the pull request's diff.

    ::error file=docs/a.md,line=8,col=30,endLine=8,endColumn=42,title=claim.x::message

``error``/``warning``/``notice`` follow the finding's severity (info -> notice). Columns
are 1-based code points and ``endColumn`` is exclusive, as in every medlint format. Values
are escaped as the Actions toolkit does (``escapeData``/``escapeProperty``): otherwise a
``%``, a line break, or a ``:``/``,`` in a path or rule title would end the command early
or inject a second one. Unreadable files are annotated as errors on the file. GitHub shows
a limited number of annotations per step; the SARIF upload is the complete view.
"""
from __future__ import annotations

from collections import Counter

from . import Report, replacement, rules_by_id

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}
#: annotations of one level GitHub shows per step; the rest are dropped without a word
SHOWN_PER_STEP = 10


def escape_data(text: str) -> str:
    """The message part, after ``::``."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A ``key=value`` property: ``:`` and ``,`` separate properties, so they are escaped too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **props: object) -> str:
    fields = ",".join(f"{key}={escape_property(str(value))}" for key, value in props.items()
                      if value is not None)
    return f"::{level} {fields}::{escape_data(message)}" if fields else f"::{level}::{escape_data(message)}"


def render(report: Report) -> str:
    rules = rules_by_id(report)
    lines = []
    levels: Counter[str] = Counter()
    for f in report.findings:
        level = LEVELS[f.severity.value]
        message = f.message
        swap = replacement(f, rules)
        if swap is not None:
            message += f' (suggestion: "{swap}")'
        lines.append(command(level, message, file=f.path or "-", line=f.line, col=f.column,
                             endLine=f.end_line, endColumn=f.end_column, title=f.rule))
        levels[level] += 1
    for err in report.errors:
        lines.append(command("error", err.message, file=err.path, title="medlint: unreadable file"))
        levels["error"] += 1
    hidden = sorted((level, n) for level, n in levels.items() if n > SHOWN_PER_STEP)
    if hidden:  # first, so that it is itself shown: GitHub keeps a step's first annotations
        counts = ", ".join(f"{n} {level}s" for level, n in hidden)
        lines.insert(0, command("notice", f"medlint reported {counts}; GitHub shows {SHOWN_PER_STEP} "
                                          "annotations of each level per step. The job log and the "
                                          "SARIF report have them all.", title="medlint"))
    return "".join(line + "\n" for line in lines)
