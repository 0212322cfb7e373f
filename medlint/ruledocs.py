"""Rule documentation generated from the rules themselves.

The YAML rule files already carry everything a reader needs (message, why, source,
examples), and the test suite proves the examples true. Generating ``docs/rules.md`` from
them means the documentation can never describe a rule that behaves differently; a test
fails when the committed file falls behind the rules.

Regenerate with either of::

    python -m medlint.ruledocs > docs/rules.md
    medlint rules --format markdown > docs/rules.md
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

import regex

from .ruleset import Rule, RuleSet, bundled_rules_dir

REGENERATE = "python -m medlint.ruledocs > docs/rules.md"
_SPECIAL = regex.compile(r"([\\`*_\[\]<>|#])")


def _md(text: str) -> str:
    """Text as literal Markdown: one line, markup characters escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def rule_file(rule: Rule) -> str:
    """The rule's file relative to the bundled rules folder (``health/claims.yaml``), or its
    folder and name for a writer's own rule folder; never an absolute path."""
    path = Path(rule.file)
    try:
        return path.resolve().relative_to(bundled_rules_dir().resolve()).as_posix()
    except ValueError:
        return f"{path.parent.name}/{path.name}"


def rule_record(rule: Rule) -> dict[str, Any]:
    """Everything a listing shows about a rule, as JSON-ready data."""
    return {
        "id": rule.id,
        "kind": rule.kind,
        "category": rule.category,
        "severity": rule.severity.value,
        "pack": rule.pack,
        "enabled": rule.enabled,
        "summary": rule.summary,
        "message": rule.message,
        "why": rule.why,
        "source": rule.source,
        "suggestion": rule.suggestion,
        "file": rule_file(rule),
        "examples": {k: list(v) for k, v in rule.examples.items()},
    }


def anchor(rule_id: str) -> str:
    """The anchor docs/rules.md gives a rule's section (GitHub's heading slug), which the
    LSP server links diagnostics to."""
    return regex.sub(r"[^a-z0-9-]", "", rule_id.lower())


def render_markdown(rules: Iterable[Rule]) -> str:
    rules = list(rules)
    packs = list(dict.fromkeys(r.pack for r in rules))
    by_cat = Counter(r.category for r in rules)
    out = [
        "# medlint rules",
        "",
        f"<!-- Generated from the rule files by `{REGENERATE}`; do not edit by hand. -->",
        "",
        f"{len(rules)} rules in {len(packs)} pack{'s' if len(packs) != 1 else ''} "
        f"({', '.join(f'{n} {c}' for c, n in sorted(by_cat.items(), key=lambda kv: (-kv[1], kv[0])))}). "
        "Run `medlint explain RULE-ID` for one rule, `medlint rules` for a listing.",
        "",
        "| rule | category | severity | pack | summary |",
        "|---|---|---|---|---|",
    ]
    for r in rules:
        off = " (off by default)" if not r.enabled else ""
        out.append(f"| [`{r.id}`](#{anchor(r.id)}) | {r.category} | {r.severity.value} | {r.pack} "
                   f"| {_md(r.summary)}{off} |")
    for pack in packs:
        out += ["", f"## Pack `{pack}`"]
        for r in (r for r in rules if r.pack == pack):
            facts = [r.category, r.severity.value, f"{r.kind} rule", f"`{rule_file(r)}`"]
            if not r.enabled:
                facts.append("off by default: enable with `--extend-select " + r.id + "`")
            out += ["", f"### {r.id}", "", " · ".join(facts), "", f"**Message:** {_md(r.message)}",
                    "", f"**Why:** {_md(r.why)}", "", f"**Source:** {_md(r.source)}"]
            if r.suggestion:
                out += ["", f"**Suggested text:** {_md(r.suggestion)}"]
            for key, title in (("flag", "Flagged"), ("pass", "Not flagged")):
                examples = r.examples.get(key, [])
                if examples:
                    out += ["", f"**{title}:**", ""]
                    out += [f"- {_md(e)}" for e in examples]
    return "\n".join(out) + "\n"


def generate(ruleset: RuleSet | None = None) -> str:
    """docs/rules.md for the bundled packs."""
    from .linter import cached_ruleset

    return render_markdown((ruleset or cached_ruleset()).rules)


def explain_text(rule: Rule) -> str:
    """A rule's rationale, source and examples as ``medlint explain`` prints them (also the
    ``explain`` field of the server's ``GET /v1/rules/{id}``: one wording for both)."""
    lines = [
        f"{rule.id}  ({rule.category}, {rule.severity.value}, pack {rule.pack}"
        f"{'' if rule.enabled else ', off by default'})",
        "",
        f"Message: {rule.message}",
        "",
        f"Why: {rule.why}",
        "",
        f"Source: {rule.source}",
    ]
    if rule.suggestion:
        lines += ["", f"Suggested text: {rule.suggestion}"]
    for key, title in (("flag", "Flagged"), ("pass", "Not flagged")):
        examples = rule.examples.get(key, [])
        if examples:
            lines += ["", f"{title}:"]
            lines += [f"  - {' '.join(e.split())}" for e in examples]
    return "\n".join(lines)


def main() -> None:
    sys.stdout.write(generate())


if __name__ == "__main__":  # pragma: no cover
    main()


__all__ = ["REGENERATE", "explain_text", "generate", "render_markdown", "rule_file", "rule_record"]
