"""Kind ``existence``: words or patterns that must not appear (with exceptions).

Also kind ``conditional``: a trigger that needs a companion phrase (``requires``) within a
scope; it is reported at the trigger when the companion is missing. Both are a trigger
with filters, so they share :class:`TriggerCheck`; they differ only in what the rule file
must say.
"""
from __future__ import annotations

from .base import TriggerCheck


class ExistenceCheck(TriggerCheck):
    """Every unfiltered trigger is a hit."""


class ConditionalCheck(TriggerCheck):
    """Every trigger without its required companion in scope is a hit."""
