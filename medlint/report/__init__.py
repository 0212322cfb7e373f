"""Report formats: each is one small module with ``render(report) -> str``.

Adding a format means one new module and one line in ``FORMATS``. Formatters are imported
lazily so the pre-commit path never pays for SARIF or JUnit.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Callable, Sequence

from ..finding import Finding

#: format name -> module under medlint.report that defines ``render``
FORMATS: dict[str, str] = {
    "text": "text",
    "json": "json_format",
}


@dataclass
class FileError:
    path: str
    message: str


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


def renderer(name: str) -> Callable[[Report], str]:
    try:
        module = importlib.import_module(f"{__name__}.{FORMATS[name]}")
    except KeyError:
        raise ValueError(f"unknown format {name!r}; choose from {', '.join(FORMATS)}") from None
    return module.render  # type: ignore[no-any-return]
