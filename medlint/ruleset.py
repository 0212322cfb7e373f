"""Reading rule packs (YAML), validating them and compiling them ONCE into checks.

Layout of a rules folder::

    rules/
      lexicon.yaml          shared word lists (negation, hedges, citations, caveats, ...)
      facts.yaml            the regulatory fact table
      health/*.yaml         one pack per folder; several rules per file
      ketamine/*.yaml

A writer's own rule folder holds ``*.yaml`` rule files directly (the folder name is the
pack name) and is validated exactly like the bundled packs. Rule files are data: they are
read with ``yaml.safe_load`` semantics, name no code, and are never fetched from anywhere.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import regex

from .checks.approval import ApprovalCheck, ScheduleCheck
from .checks.base import SCOPES, Companion
from .checks.claim import ClaimCheck
from .checks.existence import ConditionalCheck, ExistenceCheck
from .checks.language import SUPPRESSORS, Language, Lexicon
from .checks.requirement import DocumentCheck
from .checks.substitution import SubstitutionCheck
from .document.segments import HEADING, ITEM, PARAGRAPH, QUESTION, ROW
from .errors import RuleError
from .facts import FactTable, load_facts
from .finding import CATEGORIES, Severity
from .patterns import (MAX_UNROLLED_TOTAL, bounded, check_pattern, compile_list, compile_pattern, source_of,
                       term_to_regex, unrolled_size)

KINDS = ("existence", "substitution", "conditional", "document", "claim", "regulatory")
BLOCK_KINDS = (PARAGRAPH, HEADING, ITEM, ROW, QUESTION)
_ID = r"^[a-z0-9]+(?:[.-][a-z0-9]+)+$"  # a rule id; matched only when rules are compiled

_COMMON = {"id", "kind", "category", "severity", "message", "why", "source", "examples",
           "enabled", "suggestion", "summary"}
_TRIGGER = {"terms", "patterns", "exceptions", "unless", "unless_scope", "only_in", "not_in",
            "negatable", "context", "context_scope", "opens_sentence"}
_KEYS = {
    "existence": _COMMON | _TRIGGER,
    "conditional": _COMMON | _TRIGGER | {"requires", "scope", "page_requires"},
    "claim": _COMMON | _TRIGGER | {"suppress", "answered_by"},
    "substitution": _COMMON | _TRIGGER | {"swap"},
    "document": _COMMON | {"when", "when_count", "requires", "report", "not_in", "exceptions",
                           "not_counting", "when_asserted", "requires_asserted"},
    "regulatory": _COMMON | _TRIGGER | {"check", "substances", "skip_substances"},
}


@dataclass(frozen=True)
class Rule:
    """A validated, compiled rule. Immutable; shared by every thread that lints."""

    id: str
    kind: str
    category: str
    severity: Severity
    message: str
    why: str
    source: str
    pack: str
    file: str
    line: int | None
    check: Any = field(compare=False, repr=False)
    suggestion: str | None = None
    enabled: bool = True
    examples: Mapping[str, Sequence[str]] = field(default_factory=dict, compare=False, repr=False)
    #: shipped with medlint and vetted against catastrophic backtracking
    #: (tests/test_vetted_patterns.py): its regex calls skip the per-call timeout
    vetted: bool = False

    @property
    def summary(self) -> str:
        """First sentence of the message, for rule listings."""
        first = regex.split(r"(?<=[.!?])\s", self.message.strip(), maxsplit=1)[0]
        return first.replace("{match}", "…")

    def format_message(self, match: str, override: str | None = None) -> str:
        text = override if override is not None else self.message
        return text.replace("{match}", " ".join(match.split()))


@dataclass(frozen=True)
class RuleSet:
    """Every compiled rule with the shared word lists, fact table and literal scanner: what
    the compiled-rules cache pickles, and what every Linter built from the same packs shares."""

    rules: tuple[Rule, ...]
    language: Language
    facts: FactTable | None
    #: the one-pass literal scanner over every rule's trigger (``scan.Scanner``)
    scanner: Any = field(default=None, compare=False, repr=False)

    def by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}

    @property
    def packs(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.pack for r in self.rules))


# -- YAML with line numbers ---------------------------------------------------------------
def read_yaml(path: Path) -> Any:
    """A rule file's data, each mapping with its ``__line__``, through the one strict loader
    (``medlint/yamlsafe.py``: safe, no aliases, no repeated keys, a size cap)."""
    from .yamlsafe import load_file

    return load_file(path, RuleError, "rule file", lines=True)


def _strip_lines(value: Any) -> Any:
    from .yamlsafe import strip_lines

    return strip_lines(value)


# -- locating rule folders ------------------------------------------------------------------
def bundled_rules_dir() -> Path:
    """The rules shipped with medlint.

    Installed, they are the package data ``medlint/rules``; in a source checkout they are
    the repository's top-level ``rules/`` folder.
    """
    here = Path(__file__).resolve().parent
    installed = here / "rules"
    if (installed / "lexicon.yaml").is_file():
        return installed
    return here.parent / "rules"


def bundled_packs() -> list[str]:
    root = bundled_rules_dir()
    return sorted(p.name for p in root.iterdir() if p.is_dir() and any(p.glob("*.yaml")))


# -- validation -----------------------------------------------------------------------------
class _Compiler:
    def __init__(self, lexicon_data: dict[str, Any], facts: FactTable | None) -> None:
        self.lexicon_data = lexicon_data
        self.lexicon = Lexicon.from_data(lexicon_data)
        self.language = Language(self.lexicon)
        self.facts = facts
        self.unrolled = 0  # what counted repeats add, over every pattern compiled

    def _fail(self, where: str, reason: str) -> RuleError:
        return RuleError(f"{where}: {reason}")

    def _strings(self, raw: dict[str, Any], key: str, where: str) -> list[str]:
        value = raw.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self._fail(where, f"{key!r} must be a list of non-empty strings")
        return value

    def _pattern_problem(self, source: str) -> str | None:
        """check_pattern, plus a limit on what counted repeats add over the whole rule set:
        each pattern is bounded, and so is their sum (one file of many ``x{1000}``
        patterns would otherwise unroll into gigabytes)."""
        problem = check_pattern(source)
        if problem:
            return problem
        self.unrolled += max(unrolled_size(source)[1] - len(source), 0)
        if self.unrolled > MAX_UNROLLED_TOTAL:
            return (f"pattern {source!r}: the counted repeats of the rules loaded so far unroll "
                    f"into more than {MAX_UNROLLED_TOTAL} items; use fewer or smaller repeats")
        return None

    def _check_sources(self, entries: list[str], key: str, where: str) -> None:
        for entry in entries:
            if entry.startswith("@"):
                if entry[1:] not in self.lexicon.lists:
                    known = ", ".join(sorted(self.lexicon.lists))
                    raise self._fail(where, f"{key!r} names unknown word list {entry!r} (known: {known})")
                continue
            problem = self._pattern_problem(entry)
            if problem:
                raise self._fail(where, f"{key!r}: {problem}")

    def companion(self, raw: dict[str, Any], key: str, where: str) -> Companion:
        entries = self._strings(raw, key, where)
        self._check_sources(entries, key, where)
        names = tuple(e[1:] for e in entries if e.startswith("@"))
        pats = [e for e in entries if not e.startswith("@")]
        return Companion(names, compile_list(patterns=pats) if pats else None)

    def trigger(self, raw: dict[str, Any], where: str, extra: Iterable[str] = ()) -> regex.Pattern[str]:
        terms = self._strings(raw, "terms", where)
        patterns = self._strings(raw, "patterns", where) + list(extra)
        self._check_sources(patterns, "patterns", where)
        for t in terms:
            problem = check_pattern(term_to_regex(t))
            if problem:
                raise self._fail(where, f"'terms': {problem}")
        sources = [term_to_regex(t) for t in terms]
        for p in patterns:
            if p.startswith("@"):
                sources.append(source_of(self.lexicon.lists[p[1:]]))
            else:
                sources.append(f"(?:{p})")
        if not sources:
            raise self._fail(where, "needs 'terms' or 'patterns' to trigger on")
        return compile_pattern(bounded("(?:" + "|".join(sources) + ")"))

    def _suppressors(self, raw: dict[str, Any], key: str, default: list[str], where: str) -> tuple[str, ...]:
        value = raw.get(key, default)
        if not isinstance(value, list) or any(s not in SUPPRESSORS for s in value):
            raise self._fail(where, f"{key!r} must list some of {', '.join(SUPPRESSORS)}")
        return tuple(value)

    def _kinds(self, raw: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
        values = self._strings(raw, key, where)
        for v in values:
            if v not in BLOCK_KINDS:
                raise self._fail(where, f"{key!r}: unknown block kind {v!r} (use {', '.join(BLOCK_KINDS)})")
        return tuple(values)

    def _scope(self, raw: dict[str, Any], key: str, default: str, where: str) -> str:
        scope = raw.get(key, default)
        if scope not in SCOPES:
            raise self._fail(where, f"{key!r} must be one of {', '.join(SCOPES)} (got {scope!r})")
        return scope

    def trigger_fields(self, raw: dict[str, Any], where: str, extra: Iterable[str] = ()) -> dict[str, Any]:
        negatable = raw.get("negatable", False)
        if not isinstance(negatable, bool):
            raise self._fail(where, "'negatable' must be true or false")
        opens_sentence = raw.get("opens_sentence", False)
        if not isinstance(opens_sentence, bool):
            raise self._fail(where, "'opens_sentence' must be true or false")
        return dict(
            trigger=self.trigger(raw, where, extra),
            exceptions=self.companion(raw, "exceptions", where),
            unless=self.companion(raw, "unless", where),
            unless_scope=self._scope(raw, "unless_scope", "sentence", where),
            context=self.companion(raw, "context", where),
            context_scope=self._scope(raw, "context_scope", "sentence", where),
            only_in=self._kinds(raw, "only_in", where),
            not_in=self._kinds(raw, "not_in", where),
            negatable=negatable,
            opens_sentence=opens_sentence,
        )

    def check(self, kind: str, raw: dict[str, Any], where: str) -> Any:
        if kind == "existence":
            return ExistenceCheck(**self.trigger_fields(raw, where))
        if kind == "conditional":
            if "requires" not in raw:
                raise self._fail(where, "a conditional rule needs 'requires'")
            fields = self.trigger_fields(raw, where)
            fields["requires"] = self.companion(raw, "requires", where)
            fields["requires_scope"] = self._scope(raw, "scope", "paragraph", where)
            fields["page_requires"] = self.companion(raw, "page_requires", where)
            return ConditionalCheck(**fields)
        if kind == "claim":
            suppress = self._suppressors(raw, "suppress", list(SUPPRESSORS), where)
            return ClaimCheck(suppress=suppress, answered_by=self.companion(raw, "answered_by", where),
                              **self.trigger_fields(raw, where))
        if kind == "substitution":
            swap = raw.get("swap")
            if not isinstance(swap, dict) or not swap:
                raise self._fail(where, "a substitution rule needs a 'swap' mapping of pattern: replacement")
            swap = {k: v for k, v in swap.items() if k != "__line__"}
            for k, v in swap.items():
                if not isinstance(k, str) or not isinstance(v, str):
                    raise self._fail(where, "'swap' maps strings to strings")
                problem = self._pattern_problem(k)
                if problem:
                    raise self._fail(where, f"'swap': {problem}")
            pairs = tuple((compile_pattern(f"(?:{k})"), v) for k, v in swap.items())
            return SubstitutionCheck(swaps=pairs, **self.trigger_fields(raw, where, extra=list(swap)))
        if kind == "document":
            if "requires" not in raw:
                raise self._fail(where, "a document rule needs 'requires'")
            when = self._strings(raw, "when", where)
            self._check_sources(when, "when", where)
            report = raw.get("report", "start")
            if report not in ("start", "first-trigger"):
                raise self._fail(where, "'report' must be 'start' or 'first-trigger'")
            count = raw.get("when_count", 1)
            if not isinstance(count, int) or count < 1:
                raise self._fail(where, "'when_count' must be a positive integer")
            return DocumentCheck(
                requires=self.companion(raw, "requires", where),
                when=self.trigger({"patterns": when}, where) if when else None,
                when_count=count,
                report=report,
                not_in=self._kinds(raw, "not_in", where),
                exceptions=self.companion(raw, "exceptions", where),
                not_counting=self.companion(raw, "not_counting", where),
                when_asserted=self._suppressors(raw, "when_asserted", [], where),
                requires_asserted=self._suppressors(raw, "requires_asserted", [], where),
            )
        if kind == "regulatory":
            if self.facts is None:
                raise self._fail(where, "a regulatory rule needs the fact table (facts.yaml)")
            which = raw.get("check")
            cls = {"approval": ApprovalCheck, "schedule": ScheduleCheck}.get(which)  # type: ignore[arg-type]
            if cls is None:
                raise self._fail(where, "'check' must be 'approval' or 'schedule'")
            ids = {s.id for s in self.facts.substances}
            only = set(self._strings(raw, "substances", where))
            skip = set(self._strings(raw, "skip_substances", where))
            for sid in only | skip:
                if sid not in ids:
                    raise self._fail(where, f"unknown substance {sid!r} (the fact table has: {', '.join(sorted(ids))})")
            return cls(facts=self.facts, only=frozenset(only), skip=frozenset(skip),
                       **self.trigger_fields(raw, where))
        raise AssertionError(kind)

    def rule(self, raw: Any, pack: str, path: Path, index: int) -> Rule:
        if not isinstance(raw, dict):
            raise RuleError(f"{path}: rule #{index + 1} is not a mapping")
        line = raw.get("__line__")
        rid = raw.get("id")
        where = f"{path}:{line}" if line else str(path)
        if not isinstance(rid, str) or not regex.match(_ID, rid):
            raise self._fail(where, f"rule #{index + 1} needs an 'id' such as 'claim.no-side-effects' (got {rid!r})")
        where = f"{where}: rule {rid}"
        kind = raw.get("kind")
        if kind not in KINDS:
            raise self._fail(where, f"unknown kind {kind!r} (use one of {', '.join(KINDS)})")
        unknown = sorted(set(raw) - _KEYS[kind] - {"__line__"})
        if unknown:
            raise self._fail(where, f"unknown key(s) for a {kind} rule: {', '.join(unknown)}")
        category = raw.get("category")
        if category not in CATEGORIES:
            raise self._fail(where, f"category must be one of {', '.join(CATEGORIES)} (got {category!r})")
        try:
            severity = Severity(raw.get("severity"))
        except ValueError:
            raise self._fail(where, f"severity must be error, warning or info (got {raw.get('severity')!r})") from None
        for key in ("message", "why", "source"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise self._fail(where, f"needs a non-empty {key!r}")
        examples = _strip_lines(raw.get("examples") or {})
        if not isinstance(examples, dict) or set(examples) - {"flag", "pass"} or not all(
                isinstance(v, list) and all(isinstance(x, str) for x in v) for v in examples.values()):
            raise self._fail(where, "'examples' must be {flag: [text, ...], pass: [text, ...]}")
        enabled = raw.get("enabled", True)
        if not isinstance(enabled, bool):
            raise self._fail(where, "'enabled' must be true or false")
        suggestion = raw.get("suggestion")
        if suggestion is not None and not isinstance(suggestion, str):
            raise self._fail(where, "'suggestion' must be a string")
        return Rule(
            id=rid, kind=kind, category=category, severity=severity,
            message=" ".join(raw["message"].split()), why=" ".join(raw["why"].split()),
            source=" ".join(raw["source"].split()), pack=pack, file=str(path), line=line,
            check=self.check(kind, raw, where), suggestion=suggestion, enabled=enabled,
            examples=examples,
        )


def _rule_entries(data: Any, path: Path) -> list[Any]:
    if data is None:
        return []
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and isinstance(data.get("rules"), list):
        unknown = set(data) - {"rules", "__line__"}
        if unknown:
            raise RuleError(f"{path}: unknown top-level key(s): {', '.join(sorted(unknown))}")
        return data["rules"]
    raise RuleError(f"{path}: a rule file holds a list of rules or a mapping with a 'rules' list")


def load_ruleset(packs: Sequence[str] | None = None, extra_dirs: Sequence[Path] = (),
                 root: Path | None = None, cache: bool = True) -> RuleSet:
    """Load and compile the bundled packs (all, or ``packs``) plus a writer's own folders.

    The compiled set is cached per user (see ``cache.py``), keyed by the rule files' bytes.
    """
    root = Path(root or bundled_rules_dir())
    if not cache:
        return _load_ruleset(packs, extra_dirs, root)
    from .cache import cached

    folders = [root] + [p for p in root.iterdir() if p.is_dir()] + [Path(d) for d in extra_dirs]
    files = [f for d in folders if d.is_dir() for f in list(d.glob("*.yaml")) + list(d.glob("*.yml"))]
    extra = repr((None if packs is None else list(packs), [str(Path(d).resolve()) for d in extra_dirs],
                  str(root.resolve())))
    return cached("ruleset", files, extra, lambda: _load_ruleset(packs, extra_dirs, root), RuleSet)


def _load_ruleset(packs: Sequence[str] | None, extra_dirs: Sequence[Path], root: Path) -> RuleSet:
    lexicon_data = _strip_lines(read_yaml(root / "lexicon.yaml")) or {}
    if not isinstance(lexicon_data, dict):
        raise RuleError(f"{root / 'lexicon.yaml'}: expected a mapping of word lists")
    for name, entry in lexicon_data.items():
        if not isinstance(entry, dict) or set(entry) - {"terms", "patterns", "note"}:
            raise RuleError(f"{root / 'lexicon.yaml'}: list {name!r} needs 'terms' and/or 'patterns'")
        for key in ("terms", "patterns"):
            values = entry.get(key, [])
            if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
                bad = [v for v in values if not isinstance(v, str)] if isinstance(values, list) else values
                raise RuleError(f"{root / 'lexicon.yaml'}: list {name!r}: {key!r} must hold strings "
                                f"(got {bad!r}; quote words such as 'no' or 'yes' that YAML reads as booleans)")
        for pat in entry.get("patterns", []):
            problem = check_pattern(pat)
            if problem:
                raise RuleError(f"{root / 'lexicon.yaml'}: list {name!r}: {problem}")
    treatments_path = root / "treatments.yaml"
    if treatments_path.exists():
        from .treatments import treatment_lists

        for name, entry in treatment_lists(treatments_path, read_yaml(treatments_path)).items():
            if name in lexicon_data:
                raise RuleError(f"{root / 'lexicon.yaml'}: list {name!r} is generated from "
                                f"treatments.yaml; rename the list")
            lexicon_data[name] = entry
    facts_path = root / "facts.yaml"
    facts = load_facts(facts_path, _strip_lines(read_yaml(facts_path))) if facts_path.exists() else None
    compiler = _Compiler(lexicon_data, facts)

    available = bundled_packs() if root == bundled_rules_dir() else sorted(
        p.name for p in root.iterdir() if p.is_dir())
    wanted = list(available if packs is None else packs)
    for pack in wanted:
        if pack not in available:
            raise RuleError(f"unknown rule pack {pack!r} (bundled packs: {', '.join(available)})")
    bundled = root == bundled_rules_dir()
    folders = [(root / pack, pack, bundled) for pack in wanted]
    for extra in extra_dirs:
        extra = Path(extra)
        if not extra.is_dir():
            raise RuleError(f"{extra}: rule folder not found")
        folders.append((extra, extra.name, False))

    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for folder, pack, vetted in folders:
        for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
            for i, raw in enumerate(_rule_entries(read_yaml(path), path)):
                rule = compiler.rule(raw, pack, path, i)
                if vetted:
                    rule = replace(rule, vetted=True)
                if rule.id in seen:
                    raise RuleError(f"{path}: rule {rule.id}: duplicate id (already defined in {seen[rule.id]})")
                seen[rule.id] = str(path)
                rules.append(rule)
    from .scan import Scanner

    patterns = [p for r in rules for p in (getattr(r.check, "trigger", None), getattr(r.check, "when", None))
                if p is not None]
    # companions may be searched over paragraphs, sections and whole drafts; negation and
    # hedges are searched in the clause or sentence of every trigger, which the draft's
    # candidate table answers faster than a search of each window
    lists = {"citation", "negation", "hedge", "refutation_marker"}
    # A companion searched only in a sentence or clause is cheaper to search directly in that
    # window than to find through the draft's literal scan: common words such as "treatment"
    # would add thousands of literal hits per draft for a handful of short searches.
    # With Hyperscan the narrow ones are planned too (``prefilter_only``): its scan finds
    # their candidates for little, and "is a treatment named in this sentence?" becomes a
    # few lookups instead of a regex pass over the sentence (4-5% of lint time).
    narrow = {"match", "clause", "sentence"}
    windowed: list[Any] = []
    for r in rules:
        for name in ("unless", "context", "requires", "page_requires"):
            companion = getattr(r.check, name, None)
            scope = getattr(r.check, f"{name}_scope", "document" if name == "page_requires" else None)
            if name == "requires" and r.kind == "conditional":
                scope = r.check.requires_scope
            if companion is None:
                continue
            if scope in narrow:
                windowed.extend(compiler.lexicon.lists[n] for n in companion.lexicon
                                if n in compiler.lexicon.lists)
                if companion.pattern is not None:
                    windowed.append(companion.pattern)
                continue
            lists.update(companion.lexicon)
            if companion.pattern is not None:
                patterns.append(companion.pattern)
    patterns.extend(p for n, p in compiler.lexicon.lists.items() if n in lists)
    from .checks.language import CLAUSE_BREAK, SENTENCE_LISTS

    # and the lists the language tests ask about a sentence (checks/language.py)
    windowed.extend(p for n, p in compiler.lexicon.lists.items()
                    if n in SENTENCE_LISTS and n not in lists)

    patterns.append(CLAUSE_BREAK)  # every trigger's clause is looked up (Language._breaks)
    if facts is not None:  # approval and schedule checks look for a substance's name
        patterns.append(facts.any_name)
    return RuleSet(tuple(rules), compiler.language, facts, Scanner(patterns, prefilter_only=windowed))
