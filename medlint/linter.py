"""The Linter: a Document and a compiled rule set in, findings out.

This is where a finding is born: each check yields hits (offsets into the document), and
``_finding`` turns a hit into a :class:`Finding` with its line and column from the
document's line index. Nothing here knows about the CLI, files on disk or output formats.

A Linter is built once and shared: its rule set is compiled at construction and never
mutated, and ``lint`` keeps all its state in local variables, so many threads may call it
at once.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from fnmatch import fnmatch
from pathlib import Path, PurePath
from typing import Any, Mapping

from .checks.base import Hit, RuleTimeout
from .config import Config, matches, valid_entry
from .document import Document, format_for_path, parse
from .errors import ConfigError
from .finding import Finding, Severity
from .patterns import deadline, rule_budget
from .ruleset import Rule, RuleSet, load_ruleset


@dataclass
class LintResult:
    """Findings for one text, plus problems that did not stop the run (a rule timing out)."""

    findings: list[Finding]
    problems: list[str] = field(default_factory=list)
    unused_suppressions: list[Finding] = field(default_factory=list)


class Linter:
    def __init__(self, config: Config | Mapping[str, Any] | str | Path | None = None,
                 ruleset: RuleSet | None = None) -> None:
        self.config = Config.coerce(config)
        self.ruleset = ruleset or load_ruleset(self.config.packs, self.config.rule_dirs)
        self._validate_entries(self.config)
        self.rules: tuple[Rule, ...] = self._select(self.config)
        self._per_path = [(glob, self._select(self._overlay(sub)), sub)
                          for glob, sub in self.config.per_path.items()]

    # -- selection -------------------------------------------------------------------------
    def _validate_entries(self, config: Config) -> None:
        ids = {r.id for r in self.ruleset.rules}
        packs = set(self.ruleset.packs)
        for key in ("select", "ignore", "extend_select"):
            for entry in getattr(config, key):
                if not valid_entry(entry, ids, packs):
                    raise ConfigError(f"{config.origin}: {key}: unknown rule id, prefix or category {entry!r}")
        for rid in config.severity:
            if not valid_entry(rid, ids, packs):
                raise ConfigError(f"{config.origin}: severity: unknown rule id {rid!r}")
        for sub in config.per_path.values():
            self._validate_entries(sub)

    def _overlay(self, sub: Config) -> Config:
        base = self.config
        return Config(
            packs=base.packs,
            select=sub.select or base.select,
            extend_select=base.extend_select + sub.extend_select,
            ignore=base.ignore + sub.ignore,
            severity={**base.severity, **sub.severity},
            fail_on=base.fail_on,
        )

    def _select(self, config: Config) -> tuple[Rule, ...]:
        chosen = []
        for rule in self.ruleset.rules:
            named = [e for e in config.select + config.extend_select
                     if matches(e, rule.id, rule.category, rule.pack)]
            if config.select and not named:
                continue
            # off-by-default rules run only when named by id or id prefix, not by category
            if not rule.enabled and not any(e not in (rule.category, rule.pack) for e in named):
                continue
            if any(matches(e, rule.id, rule.category, rule.pack) for e in config.ignore):
                continue
            severity = _override(config.severity, rule)
            if severity is not None and severity != rule.severity:
                rule = replace(rule, severity=severity)
            chosen.append(rule)
        return tuple(chosen)

    def rules_for(self, path: str | PurePath | None) -> tuple[Rule, ...]:
        if path is None or not self._per_path:
            return self.rules
        rules = self.rules
        posix = PurePath(path).as_posix()
        for glob, selected, _sub in self._per_path:
            if fnmatch(posix, glob) or fnmatch(posix, f"*/{glob}"):
                rules = selected
        return rules

    # -- linting ---------------------------------------------------------------------------
    def check(self, text: str, format: str = "markdown", path: str | None = None) -> LintResult:
        """Lint ``text``; never raises for bad text. Problems are reported, not thrown."""
        doc = parse(text, format)
        return self.check_document(doc, path)

    def check_document(self, doc: Document, path: str | None = None) -> LintResult:
        findings: list[Finding] = []
        problems: list[str] = []
        lang = self.ruleset.language
        budget = rule_budget(len(doc.text))
        for rule in self.rules_for(path):
            # a rule's findings count only if it finished: a rule stopped half-way would
            # give different findings from run to run
            try:
                with deadline(budget):
                    hits = list(rule.check.run(doc, lang))
            except (RuleTimeout, TimeoutError):
                problems.append(f"{path or '<text>'}: rule {rule.id} ({rule.file}) exceeded its time "
                                f"budget ({budget:.1f} s) on this text and was skipped")
                continue
            findings.extend(_finding(rule, hit, doc, path) for hit in hits)
        findings = _dedupe(findings)
        unused: list[Finding] = []
        if doc.comments:
            from .suppress import apply_suppressions

            findings, unused, notes = apply_suppressions(doc, findings, self.ruleset, path)
            problems.extend(notes)
        findings.sort(key=Finding.sort_key)
        return LintResult(findings, problems, unused)

    def lint(self, text: str, format: str = "markdown", path: str | None = None) -> list[Finding]:
        return self.check(text, format, path).findings

    def lint_file(self, path: str | Path, format: str | None = None) -> list[Finding]:
        from .files import read_text

        p = Path(path)
        text = read_text(p)
        return self.lint(text, format or format_for_path(p), str(path))


def _override(severity: Mapping[str, Severity], rule: Rule) -> Severity | None:
    """The most specific severity override for a rule (id beats prefix beats category)."""
    best: tuple[int, Severity] | None = None
    for entry, level in severity.items():
        if matches(entry, rule.id, rule.category, rule.pack):
            specificity = len(entry) + (1000 if entry == rule.id else 0)
            if best is None or specificity > best[0]:
                best = (specificity, level)
    return best[1] if best else None


def _finding(rule: Rule, hit: Hit, doc: Document, path: str | None) -> Finding:
    line, column = doc.position(hit.start)
    end_line, end_column = doc.position(hit.end)
    match = doc.text[hit.start:hit.end]
    sentence = doc.sentence_at(hit.start)
    return Finding(
        rule=rule.id,
        category=rule.category,
        severity=rule.severity,
        message=rule.format_message(match, hit.message),
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        start=hit.start,
        end=hit.end,
        match=match,
        suggestion=hit.suggestion if hit.suggestion is not None else rule.suggestion,
        path=path,
        pack=rule.pack,
        context=" ".join(doc.prose[sentence[0]:sentence[1]].split()),
    )


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per rule and span (two patterns of one rule may find the same words)."""
    seen: set[tuple[str, int, int]] = set()
    out = []
    for f in findings:
        key = (f.rule, f.start, f.end)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


_DEFAULT: Linter | None = None


def default_linter() -> Linter:
    """A shared Linter with the bundled packs, built on first use."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Linter()
    return _DEFAULT
