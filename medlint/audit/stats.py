"""What the report shows, counted while the tables are written (one pass, flat memory).

Only counters and the few worst pages are kept; the findings of the pages the report
links to are read back from findings.parquet at the end.

The baseline comparison keys a finding by page, field, rule and the matched words (case
and spacing folded), never by line or offset: a paragraph inserted above a finding moves
it without making it "new". Repeats of one key are counted, so a page that says "cures"
three times where it said it twice has one new finding.
"""
from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..finding import CATEGORIES
from .schema import SEVERITIES, VERDICTS

WORST = 25
SECTION_WORST = 5
SAMPLE = 200

Key = tuple[str, str, str, str]


def finding_key(page: str, field_name: str, rule: str, match: str, scope: str = "text") -> Key:
    """A finding's identity across audits. A document-scope finding (no disclaimer on the
    page) is about the page, not the words it is anchored to: its key has no field or match."""
    if scope == "document":
        return (page, "", rule, "")
    return (page, field_name, rule, " ".join(match.split()).casefold())


@dataclass
class Section:
    pages: int = 0
    findings: int = 0
    errors: int = 0
    publish: int = 0
    unreadable: int = 0
    worst: list[tuple[Any, ...]] = field(default_factory=list)  # heap of (score, -index, page)


@dataclass
class Baseline:
    """An earlier audit's findings, as counted keys, consumed as the new audit matches them."""

    path: Path
    left: Counter[Key]
    rows: dict[Key, tuple[str, str, str]]  # key -> (category, severity, message), for the report
    pages: set[str]
    total: int
    new: int = 0
    unchanged: int = 0
    new_rules: Counter[str] = field(default_factory=Counter)
    new_sample: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def load(cls, folder: Path) -> "Baseline":
        import pyarrow.parquet as pq

        from .inputs import InputError

        path = folder / "findings.parquet" if folder.is_dir() else folder
        try:
            table = pq.read_table(path, columns=["page", "field", "rule", "category", "severity",
                                                 "scope", "match", "message"])
        except Exception as err:
            raise InputError(f"--baseline {folder}: cannot read {path}: {err}") from None
        cols = {n: table.column(n).to_pylist() for n in table.column_names}
        left: Counter[Key] = Counter()
        rows: dict[Key, tuple[str, str, str]] = {}
        for i in range(table.num_rows):
            key = finding_key(cols["page"][i], cols["field"][i], cols["rule"][i], cols["match"][i] or "",
                              cols["scope"][i])
            left[key] += 1
            rows.setdefault(key, (cols["category"][i], cols["severity"][i], cols["message"][i]))
        return cls(path, left, rows, set(cols["page"]), table.num_rows)

    def see(self, key: Key, row: dict[str, Any]) -> None:
        if self.left[key] > 0:
            self.left[key] -= 1
            self.unchanged += 1
        else:
            self.new += 1
            self.new_rules[key[2]] += 1
            if len(self.new_sample) < SAMPLE:
                self.new_sample.append(row)

    def finish(self, audited: set[str]) -> None:
        """Split what is left into fixed (page still audited) and gone (page not in this audit)."""
        self.fixed = 0
        self.gone = 0
        self.fixed_rules: Counter[str] = Counter()
        self.fixed_sample: list[dict[str, Any]] = []
        for key, count in sorted(self.left.items()):
            if count <= 0:
                continue
            if key[0] in audited:
                self.fixed += count
                self.fixed_rules[key[2]] += count
                if len(self.fixed_sample) < SAMPLE:
                    category, severity, message = self.rows[key]
                    self.fixed_sample.append({"page": key[0], "field": key[1], "rule": key[2],
                                              "severity": severity, "match": key[3], "message": message,
                                              "count": count})
            else:
                self.gone += count


class Tally:
    """Counts for the report and the summary line."""

    def __init__(self, baseline: Baseline | None = None) -> None:
        self.pages = 0
        self.verdicts: Counter[str] = Counter({v: 0 for v in VERDICTS})
        self.categories: Counter[str] = Counter({c: 0 for c in CATEGORIES})
        self.severities: Counter[str] = Counter({s: 0 for s in SEVERITIES})
        self.rules: Counter[str] = Counter()
        self.rule_category: dict[str, str] = {}
        self.sections: dict[str, Section] = {}
        self.worst: list[tuple[Any, ...]] = []
        self.unreadable: list[tuple[int, str, str]] = []
        self.incomplete: list[tuple[int, str, str]] = []
        self.baseline = baseline
        self.audited: set[str] = set()

    @property
    def findings(self) -> int:
        return sum(self.severities.values())

    def add(self, findings: pa.RecordBatch, pages: pa.RecordBatch) -> None:
        f = {n: findings.column(n).to_pylist() for n in
             ("page", "field", "rule", "category", "severity", "scope", "match", "message", "line", "column")}
        for i in range(findings.num_rows):
            rule = f["rule"][i]
            self.rules[rule] += 1
            self.categories[f["category"][i]] += 1
            self.severities[f["severity"][i]] += 1
            self.rule_category.setdefault(rule, f["category"][i])
            if self.baseline is not None:
                key = finding_key(f["page"][i], f["field"][i], rule, f["match"][i], f["scope"][i])
                self.baseline.see(key, {n: f[n][i] for n in f})
        p = {n: pages.column(n).to_pylist() for n in
             ("page_index", "page", "section", "findings", "error", "warning", "info", "publish",
              "verdict", "read_error", "problems")}
        for i in range(pages.num_rows):
            self.pages += 1
            index, page, verdict = p["page_index"][i], p["page"][i], p["verdict"][i]
            self.verdicts[verdict] += 1
            if self.baseline is not None:
                self.audited.add(page)
            sec = self.sections.setdefault(p["section"][i], Section())
            sec.pages += 1
            sec.findings += p["findings"][i]
            sec.errors += p["error"][i]
            sec.publish += bool(p["publish"][i])
            if verdict == "unreadable":
                sec.unreadable += 1
                if len(self.unreadable) < SAMPLE:
                    self.unreadable.append((index, page, p["read_error"][i] or ""))
                continue
            if verdict == "incomplete" or p["problems"][i]:
                if len(self.incomplete) < SAMPLE:
                    self.incomplete.append((index, page, "; ".join(p["problems"][i])))
            if not p["findings"][i]:
                continue
            score = (p["error"][i], p["warning"][i], p["info"][i], -index)
            entry = (score, index, page, p["findings"][i], p["error"][i], p["warning"][i], p["info"][i])
            _keep(self.worst, entry, WORST)
            _keep(sec.worst, entry, SECTION_WORST)

    def finish(self) -> None:
        if self.baseline is not None:
            self.baseline.finish(self.audited)

    def worst_pages(self) -> list[tuple[Any, ...]]:
        return sorted(self.worst, reverse=True)

    def worst_sections(self, n: int = 15) -> list[tuple[str, Section]]:
        ranked = sorted(self.sections.items(), key=lambda kv: (-kv[1].errors, -kv[1].findings, kv[0]))
        return [(name, sec) for name, sec in ranked if sec.findings or sec.unreadable][:n]

    def linked_pages(self) -> set[int]:
        """The pages whose findings the report lists (the worst, overall and per section)."""
        out = {e[1] for e in self.worst}
        for _name, sec in self.worst_sections():
            out.update(e[1] for e in sec.worst)
        return out


def _keep(heap: list[tuple[Any, ...]], entry: tuple[Any, ...], n: int) -> None:
    if len(heap) < n:
        heapq.heappush(heap, entry)
    elif entry > heap[0]:
        heapq.heapreplace(heap, entry)
