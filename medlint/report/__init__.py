"""Report formats: each is one small module with ``render(report) -> str``.

Adding a format means one new module and one line in ``FORMATS``. Formatters are imported
lazily so the pre-commit path (text) never pays for SARIF or JUnit.

Every formatter reads the same :class:`Report`; the few facts several formats need (which
suggestions are safe replacements, per-rule counts) are computed here once, so the formats
cannot disagree about them.
"""
from __future__ import annotations

import importlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from ..finding import Finding

#: format name -> module under medlint.report that defines ``render``
FORMATS: dict[str, str] = {
    "text": "text",
    "json": "json_format",
    "sarif": "sarif",
    "github": "github",
    "junit": "junit",
    "html": "html",
}


@dataclass
class FileError:
    """A file that could not be linted (read or decode error), reported beside the findings.

    ``kind``: "read" (not read or not decoded), "folder" (a folder that could not be listed),
    "write" (its fix could not be written) or "incomplete" (read, but a rule ran out of time
    on it)."""

    path: str
    message: str
    kind: str = "read"


@dataclass
class Report:
    """Everything a formatter may show: findings, errors and the run's context."""

    findings: Sequence[Finding]
    errors: Sequence[FileError] = field(default_factory=list)
    notes: Sequence[str] = field(default_factory=list)
    files_checked: int = 0
    rules: Sequence[object] = field(default_factory=list)  # Rule objects that ran
    color: bool = False
    show_source: bool = False
    sources: dict[str, str] = field(default_factory=dict)  # path -> text, for --show-source
    tool_version: str = ""
    #: paths (as shown) of every file that was linted, clean or not: JUnit lists them all
    files: Sequence[str] = field(default_factory=list)
    #: --statistics: the text view shows per-rule counts instead of one line per finding
    statistics: bool = False


def renderer(name: str) -> Callable[[Report], str]:
    try:
        module = importlib.import_module(f"{__name__}.{FORMATS[name]}")
    except KeyError:
        raise ValueError(f"unknown format {name!r}; choose from {', '.join(FORMATS)}") from None
    return module.render  # type: ignore[no-any-return]


def streaming_renderer(name: str) -> "Callable[[Report], Any] | None":
    """The format's ``chunks`` function when it can write itself piece by piece, else None."""
    renderer(name)  # the same error for an unknown format
    module = importlib.import_module(f"{__name__}.{FORMATS[name]}")
    return getattr(module, "chunks", None)


def rules_by_id(report: Report) -> dict[str, Any]:
    return {rule.id: rule for rule in report.rules}  # type: ignore[attr-defined]


def replacement(finding: Finding, rules: Mapping[str, Any]) -> str | None:
    """The finding's suggestion if it is a drop-in replacement for the matched text.

    Only substitution rules suggest replacements ("committed suicide" -> "died by
    suicide"). Other rules' suggestions are sentences to *add* (a disclaimer, a supervision
    caveat): offering them as a replacement of the match, as a SARIF fix or an editor
    quick-fix would apply it, would delete the writer's words. Without rule metadata nothing
    is treated as a replacement, which is the safe side.
    """
    rule = rules.get(finding.rule)
    if finding.suggestion is None or rule is None or getattr(rule, "kind", None) != "substitution":
        return None
    return finding.suggestion


def rule_counts(findings: Sequence[Finding]) -> list[tuple[str, int]]:
    """(rule id, count) over the run, most frequent first, then by id (stable output)."""
    counts = Counter(f.rule for f in findings)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
