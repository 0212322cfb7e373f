"""The regulatory fact table: which substance each regulator has approved for what.

The table is data (``rules/facts.yaml``): adding a newly approved drug or use is a YAML edit
with a source and a date, not a code change. This module validates it and compiles each
substance's names and approved uses once.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from .errors import RuleError
from .patterns import alternation, bounded, compile_list, compile_pattern


@dataclass(frozen=True)
class Substance:
    """One row of the fact table: names, approvals and legal status, with sources."""

    id: str
    label: str
    names: regex.Pattern[str]
    #: uses the named regulators have approved (pattern over the claimed use)
    approved: regex.Pattern[str] | None
    #: regulators or places whose approval would make a claim true (e.g. Australia's TGA)
    approved_elsewhere: regex.Pattern[str] | None
    message: str
    us_schedule: str | None = None
    uk_class: str | None = None
    uk_schedule: str | None = None
    facts: tuple[dict[str, Any], ...] = field(default=())


@dataclass(frozen=True)
class FactTable:
    """Every substance, the uses a page may claim, and one pattern for any name."""

    substances: tuple[Substance, ...]
    #: every condition or use a health page may claim approval for
    uses: regex.Pattern[str]
    #: one pattern that finds any substance name; group name = substance index
    any_name: regex.Pattern[str]
    source: str

    def substance_at(self, m: regex.Match[str]) -> Substance:
        return self.substances[int(m.lastgroup[1:])]  # type: ignore[index]


_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "1": "1", "2": "2", "3": "3",
          "4": "4", "5": "5", "a": "A", "b": "B", "c": "C"}


def normalize_level(value: str | int | None) -> str | None:
    if value is None:
        return None
    return _ROMAN.get(str(value).strip().lower(), str(value).strip().upper())


def _require(entry: dict[str, Any], key: str, where: str) -> Any:
    if key not in entry:
        raise RuleError(f"{where}: missing required key {key!r}")
    return entry[key]


def load_facts(path: Path, data: dict[str, Any]) -> FactTable:
    where = str(path)
    if not isinstance(data, dict) or not isinstance(data.get("substances"), list):
        raise RuleError(f"{where}: a fact table needs a 'substances' list")
    uses = data.get("uses")
    if not isinstance(uses, dict):
        raise RuleError(f"{where}: a fact table needs a 'uses' mapping with terms/patterns")
    substances = []
    name_groups = []
    for i, entry in enumerate(data["substances"]):
        if not isinstance(entry, dict):
            raise RuleError(f"{where}: substance #{i + 1} is not a mapping")
        sid = _require(entry, "id", f"{where}: substance #{i + 1}")
        w = f"{where}: substance {sid!r}"
        names = _require(entry, "names", w)
        if not isinstance(names, list) or not names:
            raise RuleError(f"{w}: 'names' must be a non-empty list")
        facts = entry.get("facts") or []
        for fact in facts:
            for key in ("regulator", "status", "source", "date"):
                if key not in fact:
                    raise RuleError(f"{w}: every fact needs {key!r} (got {sorted(fact)})")
        approved_terms = [u for f in facts if f.get("status") == "approved" for u in f.get("uses", [])]
        approved_patterns = [p for f in facts if f.get("status") == "approved" for p in f.get("use_patterns", [])]
        compiled_names = compile_list(names, entry.get("name_patterns", ()))
        assert compiled_names is not None
        substances.append(Substance(
            id=sid,
            label=entry.get("label", sid),
            names=compiled_names,
            approved=compile_list(approved_terms, approved_patterns),
            approved_elsewhere=compile_list(entry.get("approved_elsewhere", ())),
            message=_require(entry, "message", w),
            us_schedule=normalize_level(entry.get("us_schedule")),
            uk_class=normalize_level(entry.get("uk_class")),
            uk_schedule=normalize_level(entry.get("uk_schedule")),
            facts=tuple(facts),
        ))
        name_groups.append(f"(?P<s{i}>{alternation(names, entry.get('name_patterns', ()))})")
    compiled_uses = compile_list(uses.get("terms", ()), uses.get("patterns", ()))
    if compiled_uses is None:
        raise RuleError(f"{where}: 'uses' is empty")
    # longer names first is handled by the order of the table: specific entries
    # (compounded semaglutide, esketamine) are listed before general ones
    # bounded once around the alternation of name groups: the same matches as bounding
    # each group, and the literal scan then tries only the group whose name is at hand
    any_name = compile_pattern(bounded("(?:" + "|".join(name_groups) + ")"))
    return FactTable(tuple(substances), compiled_uses, any_name, where)
