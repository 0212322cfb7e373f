"""The treatment table (``rules/treatments.yaml``): what each treatment is, as word lists.

Supervision rules must know whether a dose belongs to a controlled drug, a prescription
medicine, a clinic procedure or a supplement: "take two 500 mg capsules of magnesium" is
not a supervision case, "0.5 mg/kg of ketamine" is. The table is data with a source per
entry; this module validates it and turns it into two word lists that rules name like any
other (``@supervised_treatment``, ``@unsupervised_product``), so the checks stay generic.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from .errors import RuleError

#: class -> whether using it needs medical supervision
CLASSES: Mapping[str, bool] = {
    "controlled": True,
    "prescription": True,
    "procedure": True,
    "otc": False,
    "supplement": False,
}
_KEYS = {"names", "class", "routes", "source", "us", "uk", "__line__"}


def treatment_lists(path: Path, data: Any) -> dict[str, dict[str, list[str]]]:
    """Validate the table and return the lexicon lists it defines."""
    if data is None:
        return {}
    entries = data.get("treatments") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise RuleError(f"{path}: expected a mapping with a 'treatments' list")
    supervised: list[str] = []
    unsupervised: list[str] = []
    for i, entry in enumerate(entries):
        where = f"{path}:{entry.get('__line__', '?')}" if isinstance(entry, dict) else str(path)
        if not isinstance(entry, dict):
            raise RuleError(f"{where}: treatment #{i + 1} is not a mapping")
        unknown = sorted(set(entry) - _KEYS)
        if unknown:
            raise RuleError(f"{where}: unknown key(s) {', '.join(unknown)} (use {', '.join(sorted(_KEYS - {'__line__'}))})")
        names = entry.get("names")
        if not isinstance(names, list) or not names or not all(isinstance(n, str) and n for n in names):
            raise RuleError(f"{where}: 'names' must be a non-empty list of strings")
        cls = entry.get("class")
        if cls not in CLASSES:
            raise RuleError(f"{where}: 'class' must be one of {', '.join(CLASSES)} (got {cls!r})")
        if not isinstance(entry.get("source"), str) or not entry["source"].strip():
            raise RuleError(f"{where}: every treatment needs a 'source'")
        (supervised if CLASSES[cls] else unsupervised).extend(names)
    return {
        "supervised_treatment": {"terms": supervised},
        "unsupervised_product": {"terms": unsupervised},
    }
