"""medlint: a content-quality linter for health writing.

Public API (stable)::

    import medlint

    linter = medlint.Linter()                 # build once: compiles the bundled rule packs
    for f in linter.lint(html, format="html"):
        print(f.line, f.column, f.rule, f.message, html[f.start:f.end])

    medlint.lint("Ketamine cures depression.")  # shortcut with a shared default Linter
    medlint.lint_file("draft.md")

* ``Linter(config=None)``: ``config`` is a :class:`Config`, a mapping with the keys of
  ``.medlint.yaml`` (``select``, ``ignore``, ``severity``, ``packs``, ``rule_dirs``, ...) or
  the path of a ``.medlint.yaml`` / ``pyproject.toml``. A Linter is immutable once built and
  may be shared by any number of threads.
* ``Linter.lint(text, format="markdown" | "html" | "text", path=None) -> list[Finding]``;
  ``Linter.check`` returns a :class:`LintResult` that also lists problems that did not stop
  the run (a rule that ran out of time on this text).
* :class:`Finding` is immutable: ``rule, category, severity, message, suggestion, line,
  column, end_line, end_column, start, end, match``; ``text[f.start:f.end] == f.match``
  and ``f.to_dict()`` is JSON-ready.

Errors: configuration and rule problems raise :class:`ConfigError` or :class:`RuleError`
(both :class:`MedlintError`) when the Linter is built; ``lint_file`` raises
:class:`ReadError` for a file it cannot read or decode. Text, however broken, never raises.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

from .config import Config
from .errors import ConfigError, MedlintError, RuleError
from .files import ReadError
from .finding import CATEGORIES, Category, Finding, Severity

if TYPE_CHECKING:
    from .linter import Linter, LintResult


def lint(text: str, format: str = "markdown", path: str | None = None) -> "list[Finding]":
    """Lint ``text`` with the bundled packs (a shared Linter is built on first call).

    Thread-safe. For settings of your own, build a :class:`Linter` once and reuse it.
    """
    from .linter import default_linter

    return default_linter().lint(text, format, path)


def lint_file(path: "str | Path", format: str | None = None) -> "list[Finding]":
    """Lint a file (format from its suffix unless given) with the bundled packs."""
    from .linter import default_linter

    return default_linter().lint_file(path, format)


def __getattr__(name: str) -> Any:
    # Linter is imported lazily so that `import medlint` stays cheap for the CLI's --version
    if name in ("Linter", "LintResult"):
        from . import linter

        return getattr(linter, name)
    raise AttributeError(f"module 'medlint' has no attribute {name!r}")


__all__ = ["CATEGORIES", "Category", "Config", "ConfigError", "Finding", "Linter", "LintResult",
           "MedlintError", "ReadError", "RuleError", "Severity", "lint", "lint_file", "__version__"]
