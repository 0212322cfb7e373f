"""Run a block of a test under one scan engine (``MEDLINT_ENGINE``), restoring it after.

A context manager rather than a fixture: Hypothesis tests cannot take function-scoped
fixtures, and both tests/test_scan.py and tests/test_engines.py switch engines inside one test.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def using_engine(name: str) -> Iterator[None]:
    old = os.environ.get("MEDLINT_ENGINE")
    os.environ["MEDLINT_ENGINE"] = name
    try:
        yield
    finally:
        if old is None:
            del os.environ["MEDLINT_ENGINE"]
        else:
            os.environ["MEDLINT_ENGINE"] = old
