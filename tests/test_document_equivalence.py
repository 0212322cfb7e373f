"""The readers' output is pinned: speed work on them must not move a single offset.

Every draft we have, in every format and in several rewrites (CRLF, CR, BOM, tabs and emoji,
rendered to HTML), is parsed and its Document (prose mask, blocks with kind, level, section,
span, sentences, cells and header, comments, relocations, line starts) is compared with the
digest recorded in ``tests/fixtures/document_digests.json`` (see ``document_snapshot.py``
for what is recorded and how to record it again when a reader is meant to change).
"""
from __future__ import annotations

import json

import pytest

from document_snapshot import (GOLDEN, cases, digest, drafts, environment, snapshot,
                               text_digest)
from medlint.document import parse

RECORDED = json.loads(GOLDEN.read_text(encoding="utf-8"))


def _comparable(case: str, recorded_drafts: dict[str, str], current: dict[str, str]) -> bool:
    """Whether the recorded digest still describes this case's input and environment."""
    name, variant, fmt = case.split("|")
    if recorded_drafts.get(name) != current.get(name):
        return False  # a shared draft that changed since (the repository's are checked below)
    env = RECORDED["environment"]
    here = environment()
    if (fmt == "html" or variant == "rendered") and env["python"] != here["python"]:
        return False  # the HTML tokenizer is the standard library's
    if (fmt == "markdown" or variant == "rendered") and env["pyromark"] != here["pyromark"]:
        return False
    return True


def test_repository_drafts_are_the_recorded_ones() -> None:
    current = {name: text_digest(text) for name, text in drafts()}
    changed = [name for name, d in current.items()
               if not name.startswith("shared:") and RECORDED["drafts"].get(name) != d]
    assert not changed, (f"drafts changed or added since the digests were recorded: {changed}; "
                         "run `python tests/document_snapshot.py`")


def test_documents_match_the_recorded_digests() -> None:
    current = {name: text_digest(text) for name, text in drafts()}
    compared, differ = 0, []
    for case, text, fmt in cases():
        if case not in RECORDED["cases"] or not _comparable(case, RECORDED["drafts"], current):
            continue
        compared += 1
        if digest(snapshot(parse(text, fmt))) != RECORDED["cases"][case]:
            differ.append(case)
    if compared == 0:
        pytest.skip("no recorded case applies here (another Python or pyromark version)")
    assert not differ, f"{len(differ)} of {compared} documents changed: {differ[:20]}"
