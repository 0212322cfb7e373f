"""The one value every stage agrees on: a finding, with its severity and category.

A finding is immutable so that it can be shared between threads, cached, compared for
baselines and handed to a CMS without defensive copies.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field, fields
from typing import Any

#: The five finding categories. They are fixed: the labelled drafts are scored per category.
CATEGORIES: tuple[str, ...] = ("disclaimer", "supervision", "claim", "promotion", "safety")


class Category(str, enum.Enum):
    DISCLAIMER = "disclaimer"
    SUPERVISION = "supervision"
    CLAIM = "claim"
    PROMOTION = "promotion"
    SAFETY = "safety"


class Severity(str, enum.Enum):
    """Ordered severities; comparisons follow the order info < warning < error."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self.value]

    def __ge__(self, other: object) -> bool:  # type: ignore[override]
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank

    def __gt__(self, other: object) -> bool:  # type: ignore[override]
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __le__(self, other: object) -> bool:  # type: ignore[override]
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __lt__(self, other: object) -> bool:  # type: ignore[override]
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank


_RANK = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place.

    Positions: ``start``/``end`` are 0-based code-point offsets into the linted text, so
    ``text[start:end] == match``. ``line``/``column`` are 1-based and count code points
    (a tab, an emoji or a combining mark is one column each). ``end_line``/``end_column``
    point just past the last matched character, as SARIF regions do.
    """

    rule: str
    category: str
    severity: Severity
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    start: int
    end: int
    match: str = ""
    suggestion: str | None = None
    path: str | None = None
    pack: str | None = None
    #: Text around the match (the sentence), used for content-keyed baselines.
    context: str = field(default="", compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        # built field by field, not with dataclasses.asdict (a deep copy of every value):
        # a report of 100 000 findings builds 100 000 of these
        data = {name: getattr(self, name) for name in _DICT_FIELDS}
        data["severity"] = self.severity.value
        return data

    def sort_key(self) -> tuple[Any, ...]:
        return (self.path or "", self.start, self.end, self.rule)


#: the keys of ``Finding.to_dict`` (every field but ``context``), in field order
_DICT_FIELDS = tuple(f.name for f in fields(Finding) if f.name != "context")
