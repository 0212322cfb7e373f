"""Inline suppressions written in the draft itself.

Markdown and HTML use comments, which readers never see::

    <!-- medlint-disable claim.absolute-outcome, promotion -->   ... until enable
    <!-- medlint-enable -->                                     (all, or the rules named)
    <!-- medlint-disable-next-line promotion.hype -->
    <!-- medlint-disable-line -->                               (the comment's own line)
    <!-- medlint-disable-file safety -->

Plain text uses lines starting with ``# medlint-`` and the same words. The rule list may
continue on the comment's next lines. A rule list may hold
rule ids, id prefixes, categories and packs; an empty list means every rule. A reason may
follow the list after `` -- ``. Naming a rule that does not exist is reported, so a typo
does not silently suppress nothing.

Comments are sorted by position, and a disable range runs to the next ``enable`` that
covers the rule (or to the end of the file). ``disable-next-line`` means the line after the
comment's last line, so the comment may sit on its own line above the text.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

import regex

from .config import matches, valid_entry
from .document import Document
from .finding import Finding, Severity

if TYPE_CHECKING:
    from .ruleset import Rule, RuleSet

# The rule list runs to the end of the comment (``-->``, or the end of a plain-text comment
# line), across line breaks: ``<!-- medlint-disable-next-line\n   promotion.hype -->`` names
# promotion.hype. (It used to stop at the line break, which lost the list and disabled
# every rule.) A second ``medlint-`` word starts a new directive.
_DIRECTIVE = regex.compile(
    r"medlint-(disable-next-line|disable-line|disable-file|disable|enable)\b"
    r"((?:(?!medlint-)[^>])*?)(?:-->|\Z)",
)
_REASON = regex.compile(r"(?:^|\s)--(?:\s|$)")
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
            listed = _REASON.split(m.group(2), maxsplit=1)[0]  # "-- why" after the rules
            names = tuple(n for n in regex.split(r"[\s,]+", listed.strip()) if n)
            start = comment.start + m.start()
            end = comment.start + m.end()
            # "next line" is the line after the whole comment, which may span lines
            last = comment.start + max(len(comment.body.rstrip()) - 1, 0)
            out.append(_Directive(m.group(1), names, start, end, doc.position(start)[0],
                                  doc.position(max(start, last))[0]))
    return out


def apply_suppressions(doc: Document, findings: list[Finding], ruleset: "RuleSet",
                       path: str | None, active: "Sequence[Rule] | None" = None,
                       ) -> tuple[list[Finding], list[Finding], list[str]]:
    """Findings left after suppression, unused suppressions (as findings), and notes.

    ``active`` is the rules that ran on this text: a suppression naming only rules that did
    not run (ignored by the configuration) cannot be judged unused, so it is not reported.
    """
    directives = parse_directives(doc)
    notes: list[str] = []
    ids = {r.id for r in ruleset.rules}
    packs = set(ruleset.packs)
    for d in directives:
        for name in d.rules:
            if not valid_entry(name, ids, packs):
                notes.append(f"{path or '<text>'}:{d.line}: suppression names unknown rule {name!r}")
    kept = _unsuppressed(findings, directives)
    unused = []
    for d in directives:
        if d.action != "enable" and not d.used and _could_fire(d, active):
            line, col = doc.position(d.start)
            end_line, end_col = doc.position(d.end)
            unused.append(Finding(
                rule=UNUSED_RULE, category="suppression", severity=Severity.INFO,
                message=(f"medlint-{d.action} {', '.join(d.rules) or '(all rules)'} did not suppress "
                         "any finding; remove it."),
                line=line, column=col, end_line=end_line, end_column=end_col,
                start=d.start, end=d.end, match=doc.text[d.start:d.end], path=path,
            ))
    return kept, unused, notes


def _could_fire(d: _Directive, active: "Sequence[Rule] | None") -> bool:
    if active is None or not d.rules:
        return True
    return any(matches(e, r.id, r.category, r.pack) for e in d.rules for r in active)


def _unsuppressed(findings: list[Finding], directives: list[_Directive]) -> list[Finding]:
    """The findings no directive suppresses; each directive credited with one is marked used.

    Line and file directives are tried first (the first in the draft wins); then the
    disable/enable comments before the finding are replayed in order, so ``disable``
    (everything) followed by ``enable claim.x`` runs claim.x again while the rest stays off.

    One sweep, not a loop over every directive for every finding (1500 disable/enable pairs
    took seconds): directives are indexed by the line they cover, findings are visited in
    position order, and the replay keeps, for each rule seen, the last disable or enable
    that covers it.
    """
    order = sorted(range(len(directives)), key=lambda i: directives[i].start)
    by_line: dict[int, list[int]] = {}
    files: list[int] = []
    ranges: list[int] = []  # disable/enable, in position order
    for i in order:
        d = directives[i]
        if d.action == "disable-file":
            files.append(i)
        elif d.action == "disable-next-line":
            by_line.setdefault(d.end_line + 1, []).append(i)
        elif d.action == "disable-line":
            for line in range(d.line, d.end_line + 1):
                by_line.setdefault(line, []).append(i)
        elif d.action in ("disable", "enable"):
            ranges.append(i)
    file_hit: dict[tuple[str, str, str | None], int | None] = {}
    state: dict[tuple[str, str, str | None], int | None] = {}  # rule -> last covering range directive
    passed = 0
    kept: list[Finding] = []
    for f in sorted(findings, key=lambda f: f.start):
        key = (f.rule, f.category, f.pack)
        if key not in file_hit:
            file_hit[key] = next((i for i in files if directives[i].covers(f)), None)
        candidates = [i for i in by_line.get(f.line, ()) if directives[i].covers(f)]
        if file_hit[key] is not None:
            candidates.append(file_hit[key])
        hit: int | None = min(candidates, key=lambda i: directives[i].start) if candidates else None
        if hit is None:
            # replay the disable/enable comments up to this finding, for every rule seen so far
            while passed < len(ranges) and directives[ranges[passed]].start <= f.start:
                i = ranges[passed]
                d = directives[i]
                for k in state:
                    if _covers_key(d, k):
                        state[k] = i
                passed += 1
            if key not in state:  # first finding of this rule: replay what came before
                last = None
                for i in ranges[:passed]:
                    if _covers_key(directives[i], key):
                        last = i
                state[key] = last
            last = state[key]
            if last is not None and directives[last].action == "disable":
                hit = last
        if hit is None:
            kept.append(f)
        else:
            directives[hit].used = True
    return _in_input_order(findings, kept)


def _covers_key(d: _Directive, key: tuple[str, str, str | None]) -> bool:
    return not d.rules or any(matches(e, key[0], key[1], key[2]) for e in d.rules)


def _in_input_order(findings: list[Finding], kept: list[Finding]) -> list[Finding]:
    keep = {id(f) for f in kept}
    return [f for f in findings if id(f) in keep]


__all__ = ["apply_suppressions", "parse_directives", "UNUSED_RULE"]
