"""``--format html``: every draft of a run in one self-contained page, findings highlighted.

For editors who would rather look than read a list. The same renderer draws the review page
of ``medlint serve`` (the server returns :func:`drafts_fragment` output for the page to
show), so the file and the page cannot drift apart. Choices, and why:

* The page is one file: CSS and the little JavaScript (``html_assets/``) are inlined, there
  is no CDN and no network access, so it can be mailed, attached to a ticket or archived.
* Everything from a draft or a rule is escaped (``html.escape`` with quotes): a draft holding
  ``<script>`` shows those characters and runs nothing. The JavaScript never parses strings
  as HTML; it only moves elements this module built.
* The draft is shown as its source text (Markdown or HTML as written) with each finding's
  span wrapped in a link, coloured by category and underlined by severity. Overlapping
  findings are drawn by cutting the text at every start and end: each piece is wrapped once
  and lists every finding covering it, so nesting never breaks and nothing is drawn twice.
* Hover shows the messages (``title``); a click (or following the link without JavaScript)
  opens the finding's entry: message, rule, rationale, source, and the replacement or the
  text to add. The verdict ("ready to publish" when no error-severity finding) and counts by
  severity and category sit at the top.
"""
from __future__ import annotations

import html
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from ..finding import CATEGORIES, Finding
from . import Report, replacement, rules_by_id

ASSETS = Path(__file__).with_name("html_assets")
SEVERITY_ORDER = ("error", "warning", "info")


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


@lru_cache(maxsize=None)
def asset(name: str) -> str:
    """The text of ``review.css`` or ``review.js`` (shipped beside this module)."""
    return (ASSETS / name).read_text(encoding="utf-8")


def summarize(findings: Iterable[Finding]) -> dict[str, Any]:
    """Counts by severity and category, and the verdict: publishable when no error.

    The server's ``summary``/``publish`` fields and this page's header both come from here.
    """
    findings = list(findings)
    by_sev = Counter(f.severity.value for f in findings)
    by_cat = Counter(f.category for f in findings)
    return {
        "total": len(findings),
        "severity": {s: by_sev.get(s, 0) for s in SEVERITY_ORDER},
        "category": {c: by_cat.get(c, 0) for c in CATEGORIES} | {c: n for c, n in by_cat.items()
                                                                   if c not in CATEGORIES},
        "publish": by_sev.get("error", 0) == 0,
    }


def _verdict(summary: Mapping[str, Any]) -> str:
    sev = summary["severity"]
    if summary["publish"]:
        extra = f" ({summary['total']} finding{'s' if summary['total'] != 1 else ''} to review)" \
            if summary["total"] else ""
        return f'<p class="verdict ok">Ready to publish: no error-severity finding{_e(extra)}.</p>'
    n = sev["error"]
    return (f'<p class="verdict stop">Not ready to publish: {n} error{"s" if n != 1 else ""} '
            f'to fix.</p>')


def _counts(summary: Mapping[str, Any]) -> str:
    parts = [f'<span class="count sev-{_e(s)}">{n} {_e(s)}{"s" if n != 1 else ""}</span>'
             for s, n in summary["severity"].items() if n]
    parts += [f'<span class="count cat-{_e(c)}">{n} {_e(c)}</span>'
              for c, n in summary["category"].items() if n]
    return f'<p class="counts">{" ".join(parts) or "no findings"}</p>'


def _pieces(text: str, findings: Sequence[Finding]) -> list[tuple[int, int, list[int]]]:
    """Cut ``text`` at every finding boundary: (start, end, indexes of the findings covering
    it). Zero-length findings come back as (pos, pos, [i]) pins."""
    n = len(text)
    bounds = {0, n}
    for f in findings:
        bounds.add(min(max(f.start, 0), n))
        bounds.add(min(max(f.end, 0), n))
    points = sorted(bounds)
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    pins: dict[int, list[int]] = {}
    for i, f in enumerate(findings):
        a, b = min(max(f.start, 0), n), min(max(f.end, 0), n)
        if b <= a:
            pins.setdefault(a, []).append(i)
        else:
            starts.setdefault(a, []).append(i)
            ends.setdefault(b, []).append(i)
    out: list[tuple[int, int, list[int]]] = []
    active: list[int] = []
    for k, p in enumerate(points):
        for i in ends.get(p, ()):
            active.remove(i)
        if p in pins:
            out.append((p, p, pins[p]))
        active.extend(starts.get(p, ()))
        if k + 1 < len(points):
            out.append((p, points[k + 1], sorted(active)))
    return out


def _worst(findings: Sequence[Finding], covering: Sequence[int]) -> Finding:
    return max((findings[i] for i in covering), key=lambda f: (f.severity.rank, -f.start))


def highlight(text: str, findings: Sequence[Finding], prefix: str) -> str:
    """The draft as escaped source text with every finding's span wrapped in a link.

    ``prefix`` keeps the ids of several drafts on one page apart (``d1-f3``).
    """
    out = ['<pre class="draft">']
    for start, end, covering in _pieces(text, findings):
        piece = _e(text[start:end])
        if not covering:
            out.append(piece)
            continue
        top = _worst(findings, covering)
        refs = " ".join(f"{prefix}-f{i + 1}" for i in covering)
        title = "\n".join(f"[{findings[i].rule}] {findings[i].message}" for i in covering)
        cls = f"f cat-{_e(top.category)} sev-{_e(top.severity.value)}" + (" pin" if start == end else "")
        out.append(f'<a class="{cls}" href="#{prefix}-f{covering[0] + 1}" data-refs="{_e(refs)}" '
                   f'title="{_e(title)}">{piece}</a>')
    out.append("</pre>")
    return "".join(out)


def _entry(f: Finding, number: int, prefix: str, rules: Mapping[str, Any]) -> str:
    rule = rules.get(f.rule)
    swap = replacement(f, rules)
    parts = [
        f'<li id="{prefix}-f{number}" class="finding cat-{_e(f.category)} sev-{_e(f.severity.value)}">',
        f'<p class="head"><span class="badge sev-{_e(f.severity.value)}">{_e(f.severity.value)}</span> '
        f'<span class="badge cat-{_e(f.category)}">{_e(f.category)}</span> '
        f'<code class="rule">{_e(f.rule)}</code> <span class="where">line {f.line}, column {f.column}</span></p>',
        f'<p class="message">{_e(f.message)}</p>',
    ]
    if swap is not None:
        parts.append(f'<p class="fix">Replace <q>{_e(f.match)}</q> with <q class="replacement">{_e(swap)}</q></p>')
    elif f.suggestion:
        parts.append(f'<p class="fix">Suggested text: <q class="suggestion">{_e(f.suggestion)}</q></p>')
    if rule is not None:
        parts.append(f'<details><summary>Why, and source</summary><p class="why">{_e(rule.why)}</p>'
                     f'<p class="source">Source: {_e(rule.source)}</p></details>')
    parts.append("</li>")
    return "".join(parts)


def draft_section(title: str, text: str, findings: Sequence[Finding], rules: Mapping[str, Any],
                  prefix: str) -> str:
    """One draft: its heading, verdict and counts, the highlighted text and the findings."""
    summary = summarize(findings)
    items = "".join(_entry(f, i + 1, prefix, rules) for i, f in enumerate(findings))
    listing = f'<ol class="findings">{items}</ol>' if findings else '<p class="none">No findings.</p>'
    return (f'<section class="draft-view" id="{prefix}"><h2>{_e(title)}</h2>{_verdict(summary)}'
            f'{_counts(summary)}<div class="columns">{highlight(text, findings, prefix)}{listing}</div>'
            f"</section>")


def drafts_fragment(drafts: Sequence[tuple[str, str, Sequence[Finding]]], rules: Mapping[str, Any]) -> str:
    """The overall verdict and counts, then one section per (title, text, findings) draft.

    The review page inserts this fragment as it is; the file report wraps it in a page.
    """
    every = [f for _title, _text, fs in drafts for f in fs]
    summary = summarize(every)
    head = ""
    if len(drafts) > 1:  # one draft: its own verdict is the summary
        held = sum(1 for _t, _x, fs in drafts if not summarize(fs)["publish"])
        files = (f'<p class="files">{len(drafts)} drafts; {held} not ready to publish, '
                 f'{len(drafts) - held} ready.</p>')
        head = f'<header class="summary">{_verdict(summary)}{_counts(summary)}{files}</header>'
    body = "".join(draft_section(title, text, fs, rules, f"d{n + 1}")
                   for n, (title, text, fs) in enumerate(drafts))
    return head + body


def page(title: str, body: str) -> str:
    """A complete, self-contained HTML document (inline CSS and JavaScript, no network)."""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{_e(title)}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
        f"<style>{asset('review.css')}</style></head>"
        f'<body><main class="report"><h1>{_e(title)}</h1>{body}</main>'
        f"<script>{asset('review.js')}</script></body></html>\n"
    )


def render(report: Report) -> str:
    """Every linted draft (clean ones too) with its findings; read errors listed at the top."""
    rules = rules_by_id(report)
    by_path: dict[str, list[Finding]] = {}
    for f in report.findings:
        by_path.setdefault(f.path or "-", []).append(f)
    paths = list(report.files) or list(by_path)
    drafts = []
    for path in paths:
        findings = sorted(by_path.get(path, []), key=lambda f: (f.start, f.end, f.rule))
        drafts.append((path, report.sources.get(path, ""), findings))
    errors = "".join(f"<li>{_e(e.message)}</li>" for e in report.errors)
    notes = "".join(f"<li>{_e(n)}</li>" for n in report.notes)
    extra = (f'<ul class="errors">{errors}</ul>' if errors else "") + \
            (f'<ul class="notes">{notes}</ul>' if notes else "")
    n = report.files_checked
    meta = (f'<p class="meta">medlint {_e(report.tool_version)} · {n} file{"s" if n != 1 else ""} '
            f"checked</p>")
    return page("medlint report", meta + extra + drafts_fragment(drafts, rules))


__all__ = ["asset", "draft_section", "drafts_fragment", "highlight", "page", "render", "summarize"]
