"""report.html: one self-contained file to look at an audit -- no script, no CDN, no font.

Charts are inline SVG drawn here (plain horizontal bars, a few dozen lines), so the file
opens the same offline, in a mail attachment or an intranet that blocks CDNs. Every value
that comes from a page (URLs, titles, matched words, messages) is escaped: a crawled page
is untrusted input and must not run script in the reader's browser.
"""
from __future__ import annotations

import datetime as _dt
from html import escape
from pathlib import Path
from typing import Any, Sequence

from ..finding import CATEGORIES
from .schema import VERDICTS
from .stats import Tally

COLORS = {
    "error": "#c0392b", "warning": "#d68910", "info": "#2e86c1",
    "clean": "#1e8449", "warnings": "#d68910", "incomplete": "#7d3c98", "errors": "#c0392b",
    "unreadable": "#566573",
    "disclaimer": "#2e86c1", "supervision": "#7d3c98", "claim": "#c0392b", "promotion": "#d68910",
    "safety": "#117864",
    "new": "#c0392b", "fixed": "#1e8449", "unchanged": "#85929e", "gone": "#bdc3c7",
}
FINDINGS_PER_PAGE = 100
TOP_RULES = 30

Segment = tuple[float, str, str]  # value, colour, tooltip
Row = tuple[str, str | None, Sequence[Segment]]  # label, link (#anchor) or None, segments


def e(value: Any) -> str:
    return escape(str(value), quote=True)


def bar_chart(rows: Sequence[Row], title: str, width: int = 760, label_width: int = 260) -> str:
    """Horizontal (stacked) bars as an inline SVG; each bar links where its row says."""
    if not rows:
        return f'<p class="empty">{e(title)}: nothing to show.</p>'
    bar_h, gap, top = 20, 6, 4
    value_w = 70
    height = top + len(rows) * (bar_h + gap)
    biggest = max(sum(v for v, _c, _t in segs) for _l, _h, segs in rows) or 1
    scale = (width - label_width - value_w - 10) / biggest
    out = [f'<svg class="chart" role="img" aria-label="{e(title)}" xmlns="http://www.w3.org/2000/svg" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}"><title>{e(title)}</title>']
    for i, (label, href, segs) in enumerate(rows):
        y = top + i * (bar_h + gap)
        shown = label if len(label) <= 40 else label[:19] + "…" + label[-19:]
        parts = [f'<text x="{label_width - 6}" y="{y + bar_h - 5}" text-anchor="end" class="label">'
                 f'<title>{e(label)}</title>{e(shown)}</text>']
        x = float(label_width)
        for value, color, tip in segs:
            w = value * scale
            if w > 0:
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{max(w, 1):.1f}" height="{bar_h}" '
                             f'fill="{e(color)}"><title>{e(tip)}</title></rect>')
            x += w
        total = sum(v for v, _c, _t in segs)
        parts.append(f'<text x="{x + 6:.1f}" y="{y + bar_h - 5}" class="value">{total:,.0f}</text>')
        body = "".join(parts)
        out.append(f'<a href="{e(href)}">{body}</a>' if href else body)
    out.append("</svg>")
    return "".join(out)


def legend(names: Sequence[str]) -> str:
    return '<p class="legend">' + " ".join(
        f'<span><i style="background:{COLORS[n]}"></i>{e(n)}</span>' for n in names) + "</p>"


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], cls: str = "") -> str:
    """A table; cells are HTML already escaped by the caller."""
    h = "".join(f"<th>{e(c)}</th>" for c in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="{cls}"><thead><tr>{h}</tr></thead><tbody>{body}</tbody></table>'


def _page_link(index: int, page: str, linked: set[int]) -> str:
    return f'<a href="#p-{index}">{e(page)}</a>' if index in linked else e(page)


def write_report(path: Path, tally: Tally, findings_path: Path, input_name: str, seconds: float) -> None:
    html = render(tally, _linked_findings(findings_path, tally.linked_pages()), input_name, seconds)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)


def _linked_findings(findings_path: Path, pages: set[int]) -> dict[int, list[dict[str, Any]]]:
    import pyarrow.parquet as pq

    out: dict[int, list[dict[str, Any]]] = {}
    if not pages:
        return out
    table = pq.read_table(findings_path, filters=[("page_index", "in", sorted(pages))])
    for row in table.to_pylist():
        out.setdefault(row["page_index"], []).append(row)
    return out


def render(tally: Tally, details: dict[int, list[dict[str, Any]]], input_name: str, seconds: float) -> str:
    v, s = tally.verdicts, tally.severities
    linked = set(details) | {x[1] for x in tally.worst}
    publishable = v["clean"] + v["warnings"]
    pct = f"{publishable / tally.pages:.0%}" if tally.pages else "–"
    cards = [("pages", f"{tally.pages:,}"), ("findings", f"{tally.findings:,}"),
             ("errors", f"{s['error']:,}"), ("publishable pages", f"{publishable:,} ({pct})"),
             ("pages with errors", f"{v['errors']:,}"), ("unreadable pages", f"{v['unreadable']:,}")]
    parts: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>medlint audit: {e(input_name)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<header><h1>medlint audit</h1><p>{e(input_name)} · "
        f"{_dt.datetime.now(_dt.timezone.utc):%Y-%m-%d %H:%M UTC} · {seconds:,.1f} s</p></header>",
        '<div class="cards">' + "".join(f'<div class="card"><b>{e(val)}</b><span>{e(name)}</span></div>'
                                       for name, val in cards) + "</div>",
        '<nav><a href="#verdicts">Verdicts</a> <a href="#categories">Categories</a> '
        '<a href="#rules">Rules</a> <a href="#worst-pages">Worst pages</a> <a href="#sections">Sections</a>'
        + (' <a href="#baseline">Baseline</a>' if tally.baseline is not None else "")
        + (' <a href="#unreadable">Unreadable</a>' if v["unreadable"] else "") + "</nav>",
    ]
    parts.append('<section id="verdicts"><h2>Pages by verdict</h2>'
                 + bar_chart([(name, None, [(v[name], COLORS[name], f"{name}: {v[name]:,} pages")])
                              for name in VERDICTS], "Pages by verdict")
                 + "<p class=note>Publishable: clean or warnings only. Incomplete: a rule was skipped "
                   "(out of time) and the others found no error.</p></section>")
    parts.append('<section id="categories"><h2>Findings per category</h2>'
                 + bar_chart([(c, None, [(tally.categories[c], COLORS[c], f"{c}: {tally.categories[c]:,}")])
                              for c in CATEGORIES], "Findings per category") + "</section>")
    top = tally.rules.most_common()
    top.sort(key=lambda kv: (-kv[1], kv[0]))
    rest = len(top) - TOP_RULES
    parts.append('<section id="rules"><h2>Findings per rule</h2>'
                 + legend(list(CATEGORIES))
                 + bar_chart([(r, None, [(n, COLORS.get(tally.rule_category.get(r, ""), "#555"),
                                          f"{r} ({tally.rule_category.get(r, '?')}): {n:,}")])
                              for r, n in top[:TOP_RULES]], "Findings per rule")
                 + (f"<p class=note>{rest} more rules not shown.</p>" if rest > 0 else "") + "</section>")
    parts.append(_worst_pages(tally, linked))
    parts.append(_sections(tally, linked))
    if tally.baseline is not None:
        parts.append(_baseline(tally, linked))
    if v["unreadable"] or tally.incomplete:
        parts.append(_problems(tally))
    parts.append(_details(tally, details))
    parts.append("<footer>Generated by medlint audit. Tables: findings.parquet, pages.parquet.</footer>"
                 "</body></html>")
    return "\n".join(parts)


def _severity_segments(err: int, warn: int, info: int) -> list[Segment]:
    return [(err, COLORS["error"], f"{err} errors"), (warn, COLORS["warning"], f"{warn} warnings"),
            (info, COLORS["info"], f"{info} info")]


def short(page: str) -> str:
    """A page's URL without scheme and host, for a chart label (the full URL is its tooltip)."""
    from urllib.parse import urlsplit

    parts = urlsplit(page)
    if parts.scheme and parts.netloc:
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return page


def _worst_pages(tally: Tally, linked: set[int]) -> str:
    worst = tally.worst_pages()
    chart = bar_chart([(short(page), f"#p-{index}", _severity_segments(err, warn, info))
                       for _score, index, page, _n, err, warn, info in worst], "Worst pages")
    rows = [[_page_link(index, page, linked), f"{n:,}", f"{err:,}", f"{warn:,}", f"{info:,}"]
            for _score, index, page, n, err, warn, info in worst]
    return ('<section id="worst-pages"><h2>Worst pages</h2><p class=note>Most error findings, then warnings; '
            'click a bar for the page\'s findings.</p>' + legend(["error", "warning", "info"]) + chart
            + _table(["page", "findings", "errors", "warnings", "info"], rows) + "</section>")


def _sections(tally: Tally, linked: set[int]) -> str:
    ranked = tally.worst_sections()
    chart = bar_chart([(name, f"#s-{i}", [(sec.errors, COLORS["error"], f"{sec.errors:,} errors"),
                                           (sec.findings - sec.errors, COLORS["warning"],
                                            f"{sec.findings - sec.errors:,} warnings and info")])
                       for i, (name, sec) in enumerate(ranked)], "Worst sections")
    blocks = []
    for i, (name, sec) in enumerate(ranked):
        worst = sorted(sec.worst, reverse=True)
        items = "".join(f"<li>{_page_link(index, page, linked)} – {n:,} findings, {err:,} errors</li>"
                        for _score, index, page, n, err, _w, _i in worst)
        per_page = sec.findings / sec.pages if sec.pages else 0
        blocks.append(f'<div class=section id="s-{i}"><h3>{e(name)}</h3><p>{sec.pages:,} pages · '
                      f'{sec.findings:,} findings ({per_page:.1f} a page) · {sec.errors:,} errors · '
                      f'{sec.publish:,} publishable · {sec.unreadable:,} unreadable</p><ol>{items}</ol></div>')
    return ('<section id="sections"><h2>Worst sections</h2><p class=note>A section is the first segment of '
            'a page\'s URL path (pages at the top of the site are "/").</p>'
            + legend(["error", "warning"]) + chart + "".join(blocks) + "</section>")


def _baseline(tally: Tally, linked: set[int]) -> str:
    b = tally.baseline
    assert b is not None
    counts = [("new", b.new), ("fixed", b.fixed), ("unchanged", b.unchanged), ("gone", b.gone)]
    chart = bar_chart([(name, None, [(n, COLORS[name], f"{name}: {n:,}")]) for name, n in counts],
                      "Findings compared with the baseline")
    rules = sorted(set(b.new_rules) | set(b.fixed_rules),
                   key=lambda r: (-(b.new_rules[r] + b.fixed_rules[r]), r))[:TOP_RULES]
    by_rule = bar_chart([(r, None, [(b.new_rules[r], COLORS["new"], f"{b.new_rules[r]:,} new"),
                                    (b.fixed_rules[r], COLORS["fixed"], f"{b.fixed_rules[r]:,} fixed")])
                         for r in rules], "New and fixed findings per rule")
    new_rows = [[e(r["page"]), e(r["field"]), e(r["rule"]), e(r["severity"]), f'{r["line"]}:{r["column"]}',
                 e(r["match"]), e(r["message"])] for r in b.new_sample]
    fixed_rows = [[e(r["page"]), e(r["field"]), e(r["rule"]), e(r["severity"]), e(r["match"]),
                   str(r["count"])] for r in b.fixed_sample]
    return ('<section id="baseline"><h2>Compared with the baseline</h2>'
            f'<p class=note>Baseline: {e(b.path)} ({b.total:,} findings). Findings are matched by page, field, '
            'rule and the words matched, not by line, so text moved by an edit is "unchanged". '
            '"Gone": findings of pages that are not in this audit.</p>'
            + chart + legend(["new", "fixed"]) + by_rule
            + f"<h3 id=new>New findings ({b.new:,})</h3>"
            + _table(["page", "field", "rule", "severity", "line:col", "match", "message"], new_rows, "findings")
            + (f"<p class=note>First {len(new_rows)} shown.</p>" if b.new > len(new_rows) else "")
            + f"<h3 id=fixed>Fixed findings ({b.fixed:,})</h3>"
            + _table(["page", "field", "rule", "severity", "match", "times"], fixed_rows, "findings")
            + "</section>")


def _problems(tally: Tally) -> str:
    rows = [[e(page), e(cause)] for _i, page, cause in tally.unreadable]
    inc = [[e(page), e(cause)] for _i, page, cause in tally.incomplete]
    out = f'<section id="unreadable"><h2>Unreadable pages ({tally.verdicts["unreadable"]:,})</h2>'
    out += _table(["page", "cause"], rows) if rows else "<p>None.</p>"
    if inc:
        out += "<h3>Pages with problems (linted, but a rule was skipped or a field was not linted)</h3>"
        out += _table(["page", "problems"], inc)
    return out + "</section>"


def _details(tally: Tally, details: dict[int, list[dict[str, Any]]]) -> str:
    names = {x[1]: x[2] for x in tally.worst}
    for _n, sec in tally.worst_sections():
        names.update({x[1]: x[2] for x in sec.worst})
    blocks = []
    for index in sorted(details):
        rows = details[index]
        page = names.get(index, rows[0]["page"])
        shown = rows[:FINDINGS_PER_PAGE]
        cells = [[f'<span class="sev {e(r["severity"])}">{e(r["severity"])}</span>', e(r["field"]),
                  f'{r["line"]}:{r["column"]}', e(r["rule"]), f"<mark>{e(r['match'])}</mark>", e(r["message"])]
                 for r in shown]
        more = f"<p class=note>{len(rows) - len(shown):,} more in findings.parquet.</p>" if len(rows) > len(shown) else ""
        blocks.append(f'<article id="p-{index}"><h3>{e(page)}</h3>'
                      + _table(["severity", "field", "line:col", "rule", "match", "message"], cells, "findings")
                      + more + '<p><a href="#worst-pages">back to the worst pages</a></p></article>')
    return '<section id="pages"><h2>Findings of the pages above</h2>' + "".join(blocks) + "</section>"


_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1100px;padding:0 16px 40px;color:#1b2631}
header h1{margin:16px 0 0}header p{color:#566573;margin:4px 0 12px}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0 12px}.card{border:1px solid #d5d8dc;border-radius:6px;padding:8px 14px;min-width:120px}
.card b{display:block;font-size:20px}.card span{color:#566573}
nav{position:sticky;top:0;background:#fff;padding:6px 0;border-bottom:1px solid #eaecee}nav a{margin-right:12px}
section{margin-top:26px}h2{border-bottom:2px solid #eaecee;padding-bottom:4px}
svg.chart{max-width:100%;height:auto;display:block}svg .label,svg .value{font-size:12px;fill:#1b2631}
svg a:hover rect{opacity:.75}
.legend span{margin-right:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
.note{color:#566573}table{border-collapse:collapse;margin:8px 0;width:100%}th,td{border-bottom:1px solid #eaecee;padding:3px 6px;text-align:left;vertical-align:top}
td{overflow-wrap:anywhere}mark{background:#fdebd0}.sev{font-weight:600}.sev.error{color:#c0392b}.sev.warning{color:#b9770e}.sev.info{color:#2e86c1}
article{margin-top:18px}article h3,.section h3{margin-bottom:2px;overflow-wrap:anywhere}footer{margin-top:30px;color:#808b96}
"""
