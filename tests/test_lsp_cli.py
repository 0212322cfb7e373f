"""The ``medlint lsp`` command itself: help, a missing extra, a client that leaves at once."""
from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest


def test_help_goes_through_click() -> None:
    out = subprocess.run([sys.executable, "-m", "medlint", "lsp", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "language server" in out.stdout and "--stdio" in out.stdout


def test_missing_extra_is_a_clear_error() -> None:
    code = ("import sys; sys.modules['pygls'] = None; sys.argv = ['medlint', 'lsp'];"
            "from medlint.entry import main; main()")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 2
    assert "pip install 'medlint[lsp]'" in out.stderr and "Traceback" not in out.stderr
    assert out.stdout == ""  # stdout is the protocol's channel: never a stray word there


@pytest.mark.skipif(importlib.util.find_spec("pygls") is None, reason="needs the lsp extra (pygls 2)")
def test_client_that_leaves_at_once() -> None:
    out = subprocess.run([sys.executable, "-m", "medlint", "lsp"], input="", capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0 and out.stdout == "" and "Traceback" not in out.stderr
