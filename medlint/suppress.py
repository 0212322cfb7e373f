"""Inline suppressions written in the draft itself.

Markdown and HTML use comments, which readers never see::

    <!-- medlint-disable claim.absolute-outcome, promotion -->   ... until enable
    <!-- medlint-enable -->                                     (all, or the rules named)
    <!-- medlint-disable-next-line promotion.hype -->
    <!-- medlint-disable-line -->                               (the comment's own line)
    <!-- medlint-disable-file safety -->

Plain text uses lines starting with ``# medlint-`` and the same words. A rule list may hold
rule ids, id prefixes and categories; an empty list means every rule. Naming a rule that
does not exist is reported, so a typo does not silently suppress nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import regex

from .config import matches, valid_entry
from .document import Document
from .finding import Finding, Severity

if TYPE_CHECKING:
    from .ruleset import RuleSet

_DIRECTIVE = regex.compile(
    r"medlint-(disable-next-line|disable-line|disable-file|disable|enable)\b([^>\n]*?)(?:-->|$)",
    regex.MULTILINE,
)
UNUSED_RULE = "medlint.unused-suppression"


@dataclass
class _Directive:
    action: str
    rules: tuple[str, ...]
    start: int
    end: int
    line: int
    end_line: int
    used: bool = False

    def covers(self, f: Finding) -> bool:
        return not self.rules or any(matches(e, f.rule, f.category, f.pack) for e in self.rules)


def parse_directives(doc: Document) -> list[_Directive]:
    out = []
    for comment in doc.comments:
        for m in _DIRECTIVE.finditer(comment.body):
            names = tuple(n for n in regex.split(r"[\s,]+", m.group(2).strip()) if n)
            start = comment.start + m.start()
            end = comment.start + m.end()
            out.append(_Directive(m.group(1), names, start, end, doc.position(start)[0],
                                  doc.position(max(start, end - 1))[0]))
    return out


def apply_suppressions(doc: Document, findings: list[Finding], ruleset: "RuleSet",
                       path: str | None) -> tuple[list[Finding], list[Finding], list[str]]:
    """Findings left after suppression, unused suppressions (as findings), and notes."""
    directives = parse_directives(doc)
    notes: list[str] = []
    ids = {r.id for r in ruleset.rules}
    packs = set(ruleset.packs)
    for d in directives:
        for name in d.rules:
            if not valid_entry(name, ids, packs):
                notes.append(f"{path or '<text>'}:{d.line}: suppression names unknown rule {name!r}")
    kept = []
    for f in findings:
        if not _suppressed(f, directives):
            kept.append(f)
    unused = []
    for d in directives:
        if d.action != "enable" and not d.used:
            line, col = doc.position(d.start)
            end_line, end_col = doc.position(d.end)
            unused.append(Finding(
                rule=UNUSED_RULE, category="", severity=Severity.INFO,
                message="This suppression did not suppress any finding; remove it.",
                line=line, column=col, end_line=end_line, end_column=end_col,
                start=d.start, end=d.end, match=doc.text[d.start:d.end], path=path,
            ))
    return kept, unused, notes


def _suppressed(f: Finding, directives: list[_Directive]) -> bool:
    active: list[_Directive] = []  # open disable ranges before the finding
    hit: _Directive | None = None
    for d in directives:
        if d.action == "disable-file" and d.covers(f):
            hit = d
            break
        if d.action == "disable-next-line" and f.line == d.end_line + 1 and d.covers(f):
            hit = d
            break
        if d.action == "disable-line" and d.line <= f.line <= d.end_line and d.covers(f):
            hit = d
            break
        if d.start > f.start:
            continue
        if d.action == "disable":
            active.append(d)
        elif d.action == "enable":
            if not d.rules:
                active.clear()
            else:
                active = [a for a in active if not (a.rules and set(a.rules) <= set(d.rules))]
    if hit is None:
        for d in reversed(active):
            if d.covers(f):
                hit = d
                break
    if hit is not None:
        hit.used = True
        return True
    return False


__all__ = ["apply_suppressions", "parse_directives", "UNUSED_RULE"]
