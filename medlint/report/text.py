"""The default format, for people at a terminal.

``path:line:col: severity [rule-id] message`` per finding, then a summary line with counts
by severity and category. Choices, and why:

* The matched text is shown quoted: most messages already quote it (``"revolutionary" is
  promotional``); when one does not (the regulatory rules), the line starts with the quoted
  match, so the reader can find it without ``--show-source``. In colour the quoted match is
  underlined.
* Suggestions: only a *replacement* (from a substitution rule, a few words) is appended, as
  ``(suggestion: "died by suicide")``. Other rules suggest whole sentences to add (a
  disclaimer, a supervision caveat) that the message already paraphrases; printing them on
  every line doubled its length, so they are shown under the source with ``--show-source``
  and are always in the json and sarif reports (and in ``medlint explain``).
* ``--statistics`` replaces the per-finding lines with one row per rule (most frequent
  first): on a large content repository the per-finding lines would bury the table.
* Colour only changes how things look, never what is printed: the text without colour is
  the same characters minus the escape codes.
"""
from __future__ import annotations

from collections import Counter

from ..document.segments import LineIndex
from ..finding import Finding
from . import Report, replacement, rule_counts, rules_by_id
from .source import safe_text, snippet

_STYLES = {
    "error": "1;31", "warning": "1;33", "info": "1;36",
    "path": "1", "rule": "35", "match": "4", "gutter": "1;34", "dim": "2", "summary": "1",
}
_MATCH_SHOWN = 60  # longest quoted match put in front of a message that does not quote it


class _Painter:
    """Wraps text in ANSI SGR codes when colour is on, and is the identity otherwise."""

    def __init__(self, on: bool) -> None:
        self.on = on

    def __call__(self, text: str, style: str) -> str:
        if not self.on or not text or style not in _STYLES:
            return text
        return f"\x1b[{_STYLES[style]}m{text}\x1b[0m"


def render(report: Report) -> str:
    paint = _Painter(report.color)
    if report.statistics:
        lines = statistics(report, paint)
    else:
        lines = findings_view(report, paint)
    lines.append(summary(report, paint))
    return "\n".join(lines) + "\n"


def terminal_view(report: Report) -> str:
    """What the terminal gets when the report itself went to ``--output``."""
    paint = _Painter(report.color)
    lines = statistics(report, paint) if report.statistics else []
    lines.append(summary(report, paint))
    return "\n".join(lines) + "\n"


def findings_view(report: Report, paint: _Painter) -> list[str]:
    rules = rules_by_id(report)
    indexes: dict[str, LineIndex] = {}
    lines = []
    for f in report.findings:
        lines.append(finding_line(f, rules, paint))
        if not report.show_source:
            continue
        key = f.path or "-"
        text = report.sources.get(key)
        if text is not None:
            if key not in indexes:
                indexes[key] = LineIndex(text)
            lines.extend(snippet(f, text, indexes[key], paint, f.severity.value))
        if f.suggestion and replacement(f, rules) is None:
            lines.append(f"  = suggestion: {safe_text(' '.join(f.suggestion.split()))}")
        lines.append("")
    return lines


def finding_line(f: Finding, rules: dict[str, object], paint: _Painter) -> str:
    """One ``path:line:col: severity [rule] message`` line."""
    message = safe_text(f.message)
    quoted = safe_text(" ".join(f.match.split()))
    if quoted and f'"{quoted}"' in message:
        at = message.index(f'"{quoted}"') + 1
        message = message[:at] + paint(quoted, "match") + message[at + len(quoted):]
    elif quoted and getattr(rules.get(f.rule), "kind", None) != "document":
        if len(quoted) > _MATCH_SHOWN:
            quoted = quoted[:_MATCH_SHOWN - 1] + "…"
        message = f'"{paint(quoted, "match")}": {message}'
    swap = replacement(f, rules)
    if swap is not None:
        message += f' (suggestion: "{safe_text(swap)}")'
    where = f"{safe_text(f.path or '-')}:{f.line}:{f.column}:"
    return (f"{paint(where, 'path')} {paint(f.severity.value, f.severity.value)} "
            f"[{paint(f.rule, 'rule')}] {message}")


def statistics(report: Report, paint: _Painter | None = None) -> list[str]:
    """One row per rule: count, id, severity and category, most frequent first."""
    paint = paint or _Painter(False)
    counts = rule_counts(report.findings)
    if not counts:
        return []
    first = {}
    for f in report.findings:
        first.setdefault(f.rule, f)
    num_w = max(len(str(n)) for _, n in counts)
    id_w = max(len(rule) for rule, _ in counts)
    rows = []
    for rule, n in counts:
        f = first[rule]
        sev = f.severity.value
        rows.append(f"{n:>{num_w}}  {paint(rule, 'rule')}{' ' * (id_w - len(rule))}  "
                    f"{paint(sev, sev)}{' ' * (7 - len(sev))}  {f.category}")
    return rows


def summary(report: Report, paint: _Painter | None = None) -> str:
    paint = paint or _Painter(False)
    n = len(report.findings)
    if not n:
        text = f"No findings in {report.files_checked} file{'s' if report.files_checked != 1 else ''}."
    else:
        sev = Counter(f.severity.value for f in report.findings)
        cat = Counter(f.category for f in report.findings)
        by_sev = ", ".join(paint(f"{sev[k]} {k}", k) for k in ("error", "warning", "info") if sev[k])
        by_cat = ", ".join(f"{c} {k}" for k, c in sorted(cat.items(), key=lambda kv: (-kv[1], kv[0])))
        text = (f"{paint(f'Found {n} finding' + ('s' if n != 1 else ''), 'summary')} in "
                f"{report.files_checked} file{'s' if report.files_checked != 1 else ''} "
                f"({by_sev}; {by_cat}).")
    kinds = Counter(getattr(e, "kind", "read") for e in report.errors)
    for kind, noun, words in (("read", "file", "could not be read"), ("folder", "folder", "could not be read"),
                              ("write", "file", "could not be fixed"), ("incomplete", "file", "not fully checked")):
        if kinds[kind]:
            text += f" {kinds[kind]} {noun}{'s' if kinds[kind] != 1 else ''} {words}."
    return text
