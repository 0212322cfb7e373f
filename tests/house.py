"""A Linter that runs a test's own rules (a "house" pack written in the test) and no others.

Several test modules check one mechanism with rules of their own: the rules' YAML goes into a
temporary folder and only the named rules are selected, so a bundled rule firing on the same
words cannot make or break the test.
"""
from __future__ import annotations

from pathlib import Path

from medlint.config import Config
from medlint.linter import Linter


def house_linter(folder: Path, rules_yaml: str, select: tuple[str, ...]) -> Linter:
    """A Linter over ``rules_yaml`` (written to ``folder/house.yaml``) with only ``select`` on."""
    (folder / "house.yaml").write_text(rules_yaml, encoding="utf-8")
    return Linter(Config(rule_dirs=(folder,), select=select))
