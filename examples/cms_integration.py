"""A pre-publish hook for a CMS: lint an article's title and HTML body, decide, explain.

A CMS calls :func:`check_article` when an editor saves or presses "Publish". The verdict is
plain JSON data:

    {
      "publish": false,                       # false when any finding is an error
      "summary": {"total": 7, "error": 2, "warning": 5, "info": 0,
                  "by_category": {"claim": 2, "promotion": 3, ...}},
      "findings": [
        {"field": "body",                     # "title" or "body"
         "scope": "text",                     # "document": about the article as a whole
         "start": 120, "end": 132,            # offsets into that field, for highlighting:
         "match": "no side effects",          #   field_text[start:end] == match
         "line": 4, "column": 18, "end_line": 4, "end_column": 30,
         "rule": "claim.absolute-safety", "category": "claim", "severity": "error",
         "message": "...", "suggestion": null},
        ...
      ],
      "problems": []                          # e.g. a rule that ran out of time (not fatal)
    }

The title is checked as the article's top heading (``<h1>``) in the same document as the
body, so that rules reading the whole article (a disclaimer, the risks named anywhere) see
both, and heading rules apply to it. Offsets are mapped back so that each finding points
into the field the editor typed it in.

Build the hook once at start-up (compiling the rules takes a moment) and share it: a
:class:`medlint.Linter` is safe to use from many threads at once.

Run it by hand::

    python examples/cms_integration.py article.json     # {"title": ..., "body": ...}
    python examples/cms_integration.py --title "A title" examples/weight-loss-clinic-page.html
"""
from __future__ import annotations

import argparse
import json
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any, Mapping

import medlint
from medlint.document import LineIndex

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": " ", "\n": " "}


def _title_html(title: str) -> tuple[str, list[int]]:
    """The title escaped for HTML, and for each escaped character the raw index it came from.

    Line breaks become spaces (a title is one line; the body's lines must stay line 2 on).
    """
    parts: list[str] = []
    owner: list[int] = []
    for i, ch in enumerate(title):
        out = _ESCAPES.get(ch, ch)
        parts.append(out)
        owner.extend([i] * len(out))
    return "".join(parts), owner


class PrePublishCheck:
    """Lints articles for a CMS. Build once; call from any thread."""

    def __init__(self, config: medlint.Config | Mapping[str, Any] | str | Path | None = None) -> None:
        self.linter = medlint.Linter(config)  # raises medlint.ConfigError for bad settings
        self._kinds = {rule.id: rule.kind for rule in self.linter.ruleset.rules}

    def __call__(self, title: str, body: str, path: str | None = None) -> dict[str, Any]:
        escaped, owner = _title_html(title)
        prefix = f"<h1>{escaped}</h1>\n"
        title_start, title_end = len("<h1>"), len("<h1>") + len(escaped)
        result = self.linter.check(prefix + body, "html", path)
        title_lines = LineIndex(title)  # positions in the title as typed (line breaks and all)

        findings = []
        for f in result.findings:
            if f.start < len(prefix):  # in the title
                s = min(max(f.start, title_start), title_end) - title_start
                e = min(max(f.end, title_start), title_end) - title_start
                start = owner[s] if s < len(owner) else len(title)
                end = owner[e - 1] + 1 if e > s else start
                field, match = "title", title[start:end]
                (line, column), (end_line, end_column) = title_lines.position(start), title_lines.position(end)
            else:  # in the body: the prefix is exactly one line
                start, end = f.start - len(prefix), f.end - len(prefix)
                field, match = "body", f.match
                line, column, end_line, end_column = f.line - 1, f.column, f.end_line - 1, f.end_column
            findings.append({
                "field": field,
                "scope": "document" if self._kinds.get(f.rule) == "document" else "text",
                "start": start, "end": end, "match": match,
                "line": line, "column": column, "end_line": end_line, "end_column": end_column,
                "rule": f.rule, "category": f.category, "severity": f.severity.value,
                "message": f.message, "suggestion": f.suggestion,
            })

        severities = Counter(f["severity"] for f in findings)
        return {
            "publish": severities["error"] == 0,
            "summary": {
                "total": len(findings),
                "error": severities["error"],
                "warning": severities["warning"],
                "info": severities["info"],
                "by_category": dict(sorted(Counter(f["category"] for f in findings).items())),
            },
            "findings": findings,
            "problems": list(result.problems),
        }


_DEFAULT: PrePublishCheck | None = None
_LOCK = threading.Lock()


def check_article(title: str, body: str) -> dict[str, Any]:
    """The verdict for one article with the bundled rules (the hook is built on first use,
    once, even when several request threads ask at the same moment)."""
    global _DEFAULT
    with _LOCK:
        if _DEFAULT is None:
            _DEFAULT = PrePublishCheck()
        hook = _DEFAULT
    return hook(title, body)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Pre-publish check for one article.")
    parser.add_argument("article", help="a JSON file {title, body}, or an HTML body with --title")
    parser.add_argument("--title", help="the article's title (the file is then the HTML body)")
    parser.add_argument("--config", help=".medlint.yaml or pyproject.toml with [tool.medlint]")
    args = parser.parse_args(argv)
    text = Path(args.article).read_text(encoding="utf-8")
    if args.title is not None:
        title, body = args.title, text
    else:
        data = json.loads(text)
        title, body = data.get("title", ""), data.get("body", "")
    try:
        hook = PrePublishCheck(args.config)
    except medlint.MedlintError as err:
        print(f"configuration error: {err}", file=sys.stderr)
        return 2
    verdict = hook(title, body)
    json.dump(verdict, sys.stdout, indent=2, ensure_ascii=False)
    print()
    return 0 if verdict["publish"] else 1


if __name__ == "__main__":
    sys.exit(main())
