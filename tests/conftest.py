"""Shared fixtures. Tests that read ../shared/ skip cleanly when it is absent (a user's clone)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from medlint.linter import Linter, cached_ruleset
from medlint.ruleset import RuleSet

REPO = Path(__file__).resolve().parent.parent
# MEDLINT_SHARED points at the shared workspace from a checkout that is not its sibling
# (a git worktree one level deeper); without it, ../shared or a clean skip.
SHARED = Path(os.environ.get("MEDLINT_SHARED") or REPO.parent / "shared")
# compiled rule sets are cached per user; tests keep theirs out of the user's cache folder
os.environ.setdefault("MEDLINT_CACHE_DIR", tempfile.mkdtemp(prefix="medlint-test-cache-"))


@pytest.fixture(scope="session")
def ruleset() -> RuleSet:
    # the same compiled rule set the CLI reuses in-process, so CLI tests do not compile again
    return cached_ruleset()


@pytest.fixture(scope="session")
def linter(ruleset: RuleSet) -> Linter:
    return Linter(ruleset=ruleset)


@pytest.fixture
def shared() -> Path:
    if not (SHARED / "corpus" / "dev").is_dir():
        pytest.skip("../shared/ is not present (it is only in the development workspace)")
    return SHARED
