"""Quick fixes for one finding, as plain text edits (code-point offsets into the buffer).

Three kinds, each built from what medlint already knows rather than from guesses:

* a substitution rule's replacement, planned by :func:`medlint.fix.plan` -- the same code
  ``medlint check --fix`` runs, so the editor never offers a fix the CLI would refuse (words
  that span markup, a line break the replacement has no gap for);
* for ``disclaimer.missing``, the rule's own suggested disclaimer added as a last paragraph
  (in HTML, before ``</body>``);
* a ``medlint-disable-next-line RULE -- reason`` comment in the draft's own comment syntax
  (``<!-- -->`` for Markdown and HTML, a ``# medlint-`` line for plain text), placed so that
  :mod:`medlint.suppress` reads it as covering the finding's line and the draft's structure
  does not change (see :func:`suppress_edit`).

The server turns the offsets into LSP ranges; nothing here knows about LSP.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .positions import LspText

if TYPE_CHECKING:
    from ..finding import Finding
    from ..linter import Linter

__all__ = ["Action", "Edit", "DISCLAIMER_RULE", "actions_for", "disclaimer_edit", "replacement_edit",
           "suppress_edit"]

DISCLAIMER_RULE = "disclaimer.missing"
DEFAULT_REASON = "TODO: say why"


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    new_text: str


@dataclass(frozen=True)
class Action:
    title: str
    edits: tuple[Edit, ...]
    finding: "Finding"
    preferred: bool = False


def replacement_edit(linter: "Linter", text: str, fmt: str, finding: "Finding") -> Edit | None:
    """The ``--fix`` edit for a substitution finding, or None when there is none or it is unsafe."""
    from ..document import parse
    from ..fix import is_fixable, plan

    rules = {r.id: r for r in linter.ruleset.rules}
    if not is_fixable(finding, rules):
        return None
    edits, _skipped = plan(parse(text, fmt), [finding], rules)
    if not edits:
        return None
    e = edits[0]
    return Edit(e.start, e.end, e.replacement)


_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)
_HTML_END = re.compile(r"</html\s*>", re.IGNORECASE)


def _append(text: str, fmt: str, block: str, html_block: str) -> Edit:
    """Add ``block`` as the draft's last paragraph, in its own line endings: after a blank
    line in Markdown and plain text; ``html_block`` before ``</body>`` (or ``</html>``) in
    HTML, on a line of its own when the closing tag opens its line."""
    eol = LspText(text).line_break()
    if fmt == "html":
        close = None
        for pattern in (_BODY_END, _HTML_END):
            found = list(pattern.finditer(text))
            if found:
                close = found[-1].start()
                break
        if close is not None:
            line_start = max(text.rfind("\n", 0, close), text.rfind("\r", 0, close)) + 1
            indent = text[line_start:close]
            if not indent.strip():
                return Edit(line_start, line_start, f"{indent}{html_block}{eol}")
            return Edit(close, close, html_block)
        block = html_block
    stripped = text.rstrip("\r\n")
    breaks = len(LspText(text[len(stripped):]).starts) - 1
    end = len(text)
    if not stripped.strip() or breaks >= 2:
        return Edit(end, end, block + eol)
    if breaks == 1:
        return Edit(end, end, eol + block + eol)
    return Edit(end, end, eol + eol + block)


def disclaimer_edit(text: str, fmt: str, disclaimer: str) -> Edit:
    """Add ``disclaimer`` as the last paragraph of the draft (a ``<p>`` in HTML)."""
    disclaimer = " ".join(disclaimer.split())
    return _append(text, fmt, disclaimer, f"<p>{html.escape(disclaimer, quote=False)}</p>")


_FENCE_OR_RULE = re.compile(r"^\s{0,3}(?:`{3,}|~{3,}|(?:-[ \t]*){3,}$|(?:\*[ \t]*){3,}$|(?:_[ \t]*){3,}$|={3,}\s*$)")


def _comment(fmt: str, action: str, rule: str, reason: str) -> str:
    # ">" would end the directive early in an HTML comment; a line break would end it in text
    reason = " ".join(reason.replace("-->", " ").replace(">", " ").split()) or DEFAULT_REASON
    if fmt == "text":
        return f"# medlint-{action} {rule} -- {reason}"
    return f"<!-- medlint-{action} {rule} -- {reason} -->"


_NEXT_LINE = re.compile(r"medlint-disable-next-line\b(?P<rules>[^>\n]*?)(?=\s+--(?:\s|$)|\s*-->|\s*$)")


def _listed_above(above: str, fmt: str) -> "re.Match[str] | None":
    """A ``disable-next-line`` directive naming some rules on the line above, if any."""
    if fmt == "text":
        m = re.match(r"\s*#\s*", above)
        found = _NEXT_LINE.match(above, m.end()) if m else None
    else:
        opener = above.rfind("<!--")
        found = _NEXT_LINE.search(above, opener) if opener >= 0 else None
    if found is None or not found.group("rules").strip():
        return None  # none, or one naming no rule (it covers every rule already)
    return found


def suppress_edit(text: str, fmt: str, finding: "Finding", reason: str = DEFAULT_REASON,
                  whole_draft: bool = False) -> tuple[str, Edit]:
    """A comment that suppresses ``finding`` (and only its rule), with a title for it.

    ``disable-next-line`` covers the line after the comment's last line, so the comment
    goes on a line of its own above the finding's line -- except in a Markdown paragraph,
    where a comment line would end the paragraph (an HTML block interrupts one) and could
    change what paragraph-scoped rules see: there it is added at the end of the line above,
    inside the paragraph.

    ``whole_draft`` findings (a rule about the whole draft, reported on line 1 whatever
    line 1 holds) cannot be covered by a comment above them, so they get a ``disable-file``
    comment, added at the end like a disclaimer: at the top it would become line 1 itself,
    moving the other whole-draft findings onto it, and could break YAML front matter.
    """
    doc = LspText(text)
    eol = doc.line_break()
    if whole_draft:
        comment = _comment(fmt, "disable-file", finding.rule, reason)
        return f"Disable {finding.rule} for this file", _append(text, fmt, comment, comment)
    line = doc.position(finding.start)[0]
    start, end = doc.line_span(line)
    indent = re.match(r"[ \t]*", text[start:end]).group()  # type: ignore[union-attr]
    comment = _comment(fmt, "disable-next-line", finding.rule, reason)
    if line > 0:
        ps, pe = doc.line_span(line - 1)
        above = text[ps:pe]
        listed = _listed_above(above, fmt)
        if listed is not None:
            # the line is already covered for other rules: name this one there too (a second
            # comment between them would leave the first one covering the comment line)
            at = ps + listed.end("rules")
            sep = ", " if listed.group("rules").strip() else " "
            return f"Disable {finding.rule} for this line", Edit(at, at, sep + finding.rule)
    if fmt == "markdown" and line > 0:
        if above.strip() and not _FENCE_OR_RULE.match(above) and not above.lstrip().startswith("<"):
            # before trailing blanks or a backslash: a hard line break must stay last
            tail = re.search(r"(?:[ \t]+|\\)$", above)
            at = pe - len(tail.group()) if tail else pe
            return f"Disable {finding.rule} for this line", Edit(at, at, " " + comment)
    return f"Disable {finding.rule} for this line", Edit(start, start, indent + comment + eol)


def actions_for(linter: "Linter", text: str, fmt: str, finding: "Finding",
                reason: str = DEFAULT_REASON) -> list[Action]:
    """Every quick fix for one finding, the preferred one first."""
    out: list[Action] = []
    edit = replacement_edit(linter, text, fmt, finding)
    if edit is not None:
        out.append(Action(f"Replace with \u201c{edit.new_text}\u201d", (edit,), finding, preferred=True))
    if finding.rule == DISCLAIMER_RULE and finding.suggestion:
        out.append(Action("Add the standard disclaimer at the end",
                          (disclaimer_edit(text, fmt, finding.suggestion),), finding, preferred=True))
    rule = linter.ruleset.by_id().get(finding.rule)
    whole = rule is not None and rule.kind == "document" and finding.line == 1
    title, edit = suppress_edit(text, fmt, finding, reason, whole_draft=whole)
    out.append(Action(title, (edit,), finding))
    return out
