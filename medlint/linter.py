"""The Linter: a Document and a compiled rule set in, findings out.

This is where a finding is born: each check yields hits (offsets into the document), and
``_finding`` turns a hit into a :class:`Finding` with its line and column from the
document's line index. Nothing here knows about the CLI, files on disk or output formats.

A Linter is built once and shared: its rule set is compiled at construction and never
mutated, and ``lint`` keeps all its state in local variables, so many threads may call it
at once.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath
from typing import Any, Mapping

from .checks.base import Hit, RuleTimeout
from .config import Config, matches, valid_entry
from .document import Document, format_for_path, parse
from .errors import ConfigError
from .finding import Finding, Severity
from .patterns import deadline, rule_budget
from .ruleset import Rule, RuleSet, bundled_rules_dir, load_ruleset


@dataclass
class LintResult:
    """Findings for one text, plus problems that did not stop the run (a rule timing out)."""

    findings: list[Finding]
    problems: list[str] = field(default_factory=list)
    unused_suppressions: list[Finding] = field(default_factory=list)
    #: rules that did not finish within the document's time budget: the text was not fully
    #: checked, so the CLI reports these as errors (exit 2), not only as notes
    skipped: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """True when every rule ran to the end on this text."""
        return not self.skipped


class Linter:
    #: run rules through the one-pass literal scan (``scan.py``); False: every rule's
    #: pattern over the whole text (the reference the scan is tested against)
    scan: bool = True

    def __init__(self, config: Config | Mapping[str, Any] | str | Path | None = None,
                 ruleset: RuleSet | None = None) -> None:
        self.config = Config.coerce(config)
        self.config.check_globs()
        self.ruleset = ruleset or _load(self.config)
        self._validate_entries(self.config)
        self.rules: tuple[Rule, ...] = self._select(self.config)
        from .globs import GlobSet

        # each per_path glob compiled once, here (checked by check_globs above)
        self._per_path = [(GlobSet((glob,)), self._select(self._overlay(sub)), sub)
                          for glob, sub in self.config.per_path.items()]
        if not self.ruleset.rules:
            raise ConfigError(f"{self.config.where('packs')}: no rules to run (packs: [] and no "
                              "rule_dirs); name a pack or a rule folder, or drop 'packs' to run every pack")

    # -- selection -------------------------------------------------------------------------
    def _validate_entries(self, config: Config) -> None:
        ids = {r.id for r in self.ruleset.rules}
        packs = set(self.ruleset.packs)
        for key in ("select", "ignore", "extend_select"):
            for entry in getattr(config, key):
                if not valid_entry(entry, ids, packs):
                    raise ConfigError(f"{config.where(key, entry)}: {key}: unknown rule id, prefix, "
                                      f"category or pack {entry!r}{_did_you_mean(entry, ids)}")
        for rid in config.severity:
            if not valid_entry(rid, ids, packs):
                raise ConfigError(f"{config.where('severity')}: severity: unknown rule id {rid!r}"
                                  f"{_did_you_mean(rid, ids)}")
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
            root=base.root,
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
        """The rules for one file: per_path globs (relative to the config file's folder)
        are tried in order and the last that matches wins, as in ruff and eslint."""
        if path is None or not self._per_path:
            return self.rules
        rules = self.rules
        for globs, selected, _sub in self._per_path:
            if globs.match(path, self.config.root):
                rules = selected
        return rules

    # -- linting ---------------------------------------------------------------------------
    def check(self, text: str, format: str = "markdown", path: str | None = None) -> LintResult:
        """Lint ``text``; never raises for bad text. Problems are reported, not thrown.

        Raises ``TypeError`` if ``text`` is not a ``str`` and ``ValueError`` for an unknown
        ``format``: both are mistakes in the calling code, not in the draft.
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be str, not {type(text).__name__} (decode bytes first)")
        if not isinstance(format, str):
            raise TypeError(f"format must be 'markdown', 'html' or 'text', not {type(format).__name__}")
        if path is not None and not isinstance(path, str):
            if not isinstance(path, PurePath):
                raise TypeError(f"path must be str or a path, not {type(path).__name__}")
            path = str(path)  # findings carry a str, so to_dict() stays JSON
        doc = parse(text, format, narrow=True)
        return self.check_document(doc, path)

    def check_document(self, doc: Document, path: str | None = None) -> LintResult:
        if path is not None and not isinstance(path, str):
            path = str(path)
        findings: list[Finding] = []
        problems: list[str] = []
        skipped: list[str] = []
        budget = rule_budget(len(doc.text))
        ends = time.monotonic() + budget
        scanner = self.ruleset.scanner
        doc.index = scanner.index(doc.prose) if scanner is not None and self.scan else None
        lang = self.ruleset.language.for_document(doc.index)
        active = self.rules_for(path)
        # ONE budget for the whole document, shared by every rule: vetted (bundled) rules
        # first, then a writer's own rules, each of those getting an equal share of what is
        # left, so one catastrophic pattern cannot starve the bundled rules nor, alone,
        # the other rules of its writer. Every rule still gets a small floor (a tenth of the
        # budget split over the rules): the regex module overshoots a timeout on a loaded
        # machine, and a cheap rule after a stopped one must still run. The total is at
        # most 1.1 times the budget.
        ordered = sorted(active, key=lambda r: not r.vetted)
        unvetted = sum(1 for r in ordered if not r.vetted)
        floor = 0.1 * budget / max(len(ordered), 1)
        # equal messages and contexts are stored once per document (a dense draft has
        # thousands of findings with the same message, several per sentence)
        shared: dict[str, str] = {}
        shown = path or "<text>"
        for rule in ordered:
            left = ends - time.monotonic()
            share = left
            if not rule.vetted:
                share = left / max(unvetted, 1)
                unvetted -= 1
            share = max(share, floor)
            idle = getattr(rule.check, "idle", None)
            if idle is not None and idle(doc):
                continue  # its trigger is nowhere in the draft: nothing to run
            # a rule's findings count only if it finished: a rule stopped half-way would
            # give different findings from run to run
            try:
                with deadline(share, per_call=not rule.vetted):
                    hits = list(rule.check.run(doc, lang))
            except (RuleTimeout, TimeoutError):
                skipped.append(rule.id)
                problems.append(f"{shown}: rule {rule.id} ({rule.file}) exceeded its time budget "
                                f"({share:.2g} s of {budget:.2g} s for this text) and was skipped")
                continue
            findings.extend(_finding(rule, hit, doc, path, shared) for hit in hits)
        findings = _dedupe(findings)
        unused: list[Finding] = []
        if doc.comments:
            from .suppress import apply_suppressions

            findings, unused, notes = apply_suppressions(doc, findings, self.ruleset, path, active)
            problems.extend(notes)
        findings.sort(key=Finding.sort_key)
        return LintResult(findings, problems, unused, skipped)

    def lint(self, text: str, format: str = "markdown", path: str | None = None) -> list[Finding]:
        """Findings for ``text`` (``format``: markdown, html or text), sorted by position.

        ``path`` only labels the findings and picks ``per_path`` settings; nothing is read.
        """
        return self.check(text, format, path).findings

    def lint_file(self, path: str | Path, format: str | None = None) -> list[Finding]:
        """Read a draft (UTF-8, or UTF-16/32 with a BOM) and lint it; format from its suffix.

        Raises :class:`medlint.files.ReadError` when the file cannot be read or decoded.
        """
        from .files import ReadError, SkipFile, read_text

        p = Path(path)
        try:
            text = read_text(p)
        except SkipFile as err:
            raise ReadError(str(err)) from None
        return self.lint(text, format or format_for_path(p), str(path))


def _did_you_mean(entry: str, ids: set[str]) -> str:
    from difflib import get_close_matches

    close = get_close_matches(entry, sorted(ids), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _load(config: Config) -> RuleSet:
    """Load the packs and folders a config names, blaming the config for a bad name."""
    from .ruleset import bundled_packs

    if config.packs is not None:
        available = bundled_packs()
        for pack in config.packs:
            if pack not in available:
                raise ConfigError(f"{config.where('packs', pack)}: packs: unknown rule pack {pack!r} "
                                  f"(bundled packs: {', '.join(available)})")
    for folder in config.rule_dirs:
        if not Path(folder).is_dir():
            raise ConfigError(f"{config.where('rule_dirs', folder)}: rule_dirs: folder {str(folder)!r} not found")
    return cached_ruleset(config.packs, config.rule_dirs)


def cached_ruleset(packs: tuple[str, ...] | None = None, rule_dirs: tuple[Path, ...] = ()) -> RuleSet:
    """``load_ruleset``, reused while no rule file changes on disk.

    Compiling the packs takes seconds; a process that builds several Linters (one per
    config file in a run, a CMS, the tests) shares one compiled RuleSet (immutable, so
    sharing is safe)."""
    key = (packs, (_stamp(bundled_rules_dir(), depth=1), *(_stamp(d) for d in rule_dirs)))
    with _RULESETS_LOCK:  # threads building Linters at once compile once and never race the cache
        cached = _RULESETS.get(key)
        if cached is None:
            cached = load_ruleset(packs, rule_dirs)
            if len(_RULESETS) >= 8:
                _RULESETS.pop(next(iter(_RULESETS)))
            _RULESETS[key] = cached
    return cached


_RULESETS: dict[Any, RuleSet] = {}
_RULESETS_LOCK = threading.Lock()


def _stamp(folder: Path, depth: int = 0) -> tuple[Any, ...]:
    """The folder and the name, size and time of every YAML file loading reads: the top
    level of a writer's rule folder (``depth`` 0), and one level of packs more for the
    bundled rules. Never the whole tree: ``rule_dirs: ["/"]`` made every run list the file
    system."""
    folder = Path(folder).resolve()
    patterns = [f"{'*/' * d}*.{ext}" for d in range(depth + 1) for ext in ("yaml", "yml")]
    files = sorted(p for pattern in patterns for p in folder.glob(pattern))
    out: list[Any] = [str(folder)]
    for p in files:
        try:
            st = p.stat()
        except OSError:
            continue
        out.append((str(p), st.st_size, st.st_mtime_ns))
    return tuple(out)


def _override(severity: Mapping[str, Severity], rule: Rule) -> Severity | None:
    """The most specific severity override for a rule (id beats prefix beats category)."""
    best: tuple[int, Severity] | None = None
    for entry, level in severity.items():
        if matches(entry, rule.id, rule.category, rule.pack):
            specificity = len(entry) + (1000 if entry == rule.id else 0)
            if best is None or specificity > best[0]:
                best = (specificity, level)
    return best[1] if best else None


def _finding(rule: Rule, hit: Hit, doc: Document, path: str | None,
             shared: dict[str, str] | None = None) -> Finding:
    start, end = doc.source_span(hit.start, hit.end)  # decoded HTML words map back to source
    line, column = doc.position(start)
    end_line, end_column = doc.position(end)
    match = doc.text[start:end]
    # messages quote the words as read (HTML "no side&nbsp;effects" reads "no side effects")
    shown = doc.shown(hit.start, hit.end)
    if not shown.strip():
        shown = match
    sentence = doc.sentence_at(hit.start)
    return Finding(
        rule=rule.id,
        category=rule.category,
        severity=rule.severity,
        message=_share(shared, rule.format_message(shown, hit.message)),
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        start=start,
        end=end,
        match=match,
        suggestion=hit.suggestion if hit.suggestion is not None else rule.suggestion,
        path=path,
        pack=rule.pack,
        context=_share(shared, _context(doc, sentence, hit.start, hit.end)),
    )


def _share(shared: dict[str, str] | None, value: str) -> str:
    return value if shared is None else shared.setdefault(value, value)


#: A sentence up to this many characters is a finding's whole context; a longer one (a draft
#: with no sentence ends) gives the CONTEXT_WORDS words either side of the match, found
#: within CONTEXT_REACH characters. Every finding used to keep its whole sentence, so memory
#: grew as findings x sentence length (120 KB without a full stop took 500 MB).
CONTEXT_WHOLE = 400
CONTEXT_WORDS = 30
CONTEXT_REACH = 600


def _context(doc: Document, sentence: tuple[int, int], start: int, end: int) -> str:
    """The words around a match (whitespace collapsed), bounded in length."""
    prose = doc.prose
    s0, s1 = sentence
    if s1 - s0 <= CONTEXT_WHOLE:
        return " ".join(doc.shown(s0, s1).split())
    lo = max(s0, start - CONTEXT_REACH)
    before = doc.shown(lo, start).split()
    if lo > s0 and before and not prose[lo - 1].isspace() and not prose[lo].isspace():
        before = before[1:]  # the window cut a word in two
    hi = min(s1, end + CONTEXT_REACH)
    after = doc.shown(end, hi).split()
    if hi < s1 and after and not prose[hi].isspace() and not prose[hi - 1].isspace():
        after = after[:-1]
    matched = doc.shown(start, end).split()
    if len(matched) > 2 * CONTEXT_WORDS:  # a document-wide match: its ends are enough
        matched = matched[:CONTEXT_WORDS] + ["…"] + matched[-CONTEXT_WORDS:]
    words = before[-CONTEXT_WORDS:] + matched + after[:CONTEXT_WORDS]
    return " ".join(words)


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
_DEFAULT_LOCK = threading.Lock()


def default_linter() -> Linter:
    """A shared Linter with the bundled packs, built on first use.

    Built under a lock so that web-server threads calling ``medlint.lint`` at once build
    it once (and never see a half-built one); later calls take no lock.
    """
    global _DEFAULT
    linter = _DEFAULT
    if linter is None:
        with _DEFAULT_LOCK:
            if _DEFAULT is None:
                _DEFAULT = Linter()
            linter = _DEFAULT
    return linter
