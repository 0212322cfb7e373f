"""What a parsed Document says, as plain data, and the drafts to say it about.

``tests/test_document_equivalence.py`` compares every reader's output with digests recorded
in ``tests/fixtures/document_digests.json``. The digests pin the reader's behaviour so that
speed work on the readers cannot change a single offset unnoticed. When a reader is meant
to change what it reports, record the new digests (and say why in the commit):

    MEDLINT_SHARED=/path/to/shared python tests/document_snapshot.py

Cases: every draft in examples/ and tests/fixtures/ (recursively) and, when the shared
workspace is present, its dev corpus and seeds; each read in all three formats, as written
and rewritten with CRLF, with lone CR, with a byte-order mark, with tabs and non-ASCII
characters (accents, emoji) sprinkled in, and rendered to HTML. Only digests are stored:
no draft text enters the repository. A draft is compared only when its content is the one
that was recorded (a fixture added or edited later is skipped until the next recording).
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import sys
from pathlib import Path
from typing import Any, Iterator

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "fixtures" / "document_digests.json"
SUFFIXES = (".md", ".txt", ".html")
FORMATS = ("markdown", "html", "text")


def shared_root() -> Path | None:
    root = Path(os.environ.get("MEDLINT_SHARED") or REPO.parent / "shared")
    return root if (root / "corpus" / "dev").is_dir() else None


def drafts() -> Iterator[tuple[str, str]]:
    """(name, text) of every draft we may use: the repository's, then the shared ones."""
    folders = [("", REPO, REPO / "examples"), ("", REPO, REPO / "tests" / "fixtures")]
    shared = shared_root()
    if shared is not None:
        folders += [("shared:", shared, shared / "corpus" / "dev"), ("shared:", shared, shared / "seeds")]
    for prefix, base, folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix in SUFFIXES and path.is_file():
                yield prefix + path.relative_to(base).as_posix(), path.read_text(encoding="utf-8")
    from samples import SAMPLES

    for name, (text, _) in SAMPLES.items():
        yield "samples:" + name, text


def _sprinkle(text: str) -> str:
    """Tabs for some spaces, and accents and astral characters after some words."""
    out = []
    spaces = 0
    for ch in text:
        if ch == " ":
            spaces += 1
            if spaces % 7 == 0:
                out.append("\t")
                continue
            if spaces % 11 == 0:
                out.append("\U0001F600 ")
                continue
            if spaces % 13 == 0:
                out.append("e\u0301 ")
                continue
        out.append(ch)
    return "".join(out)


def variants(text: str) -> Iterator[tuple[str, str]]:
    import pyromark

    lf = text.replace("\r\n", "\n").replace("\r", "\n")
    yield "as-is", text
    yield "crlf", lf.replace("\n", "\r\n")
    yield "cr", lf.replace("\n", "\r")
    yield "bom", "\ufeff" + text
    yield "sprinkled", _sprinkle(text)
    yield "rendered", pyromark.html(text)


def cases() -> Iterator[tuple[str, str, str]]:
    """(case name, text, format): every draft, variant and format."""
    for name, text in drafts():
        for variant, body in variants(text):
            for fmt in FORMATS:
                yield f"{name}|{variant}|{fmt}", body, fmt


def snapshot(doc: Any) -> dict[str, Any]:
    """Everything a check can read from a Document, as JSON-ready data."""
    index = {id(b): i for i, b in enumerate(doc.blocks)}
    return {
        "format": doc.format,
        "length": len(doc.text),
        "prose": hashlib.sha256(doc.prose.encode("utf-8", "surrogatepass")).hexdigest(),
        "blocks": [[b.kind, b.level, b.section, b.start, b.end, [list(s) for s in b.sentences],
                    [list(c) for c in b.cells], None if b.header is None else index.get(id(b.header), -1)]
                   for b in doc.blocks],
        "comments": [[c.start, c.end, c.body] for c in doc.comments],
        "relocations": [[r.start, r.end, [list(s) for s in r.sources]] for r in doc.relocations],
        "lines": [list(doc.lines.starts), doc.lines.length],
    }


def digest(data: Any) -> str:
    blob = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("ascii")).hexdigest()[:24]


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def environment() -> dict[str, str]:
    """What the recorded digests depend on besides our code: the HTML tokenizer comes from
    the standard library and Markdown events from pyromark."""
    import pyromark

    return {"python": ".".join(platform.python_version_tuple()[:2]),
            "pyromark": getattr(pyromark, "__version__", "?")}


def record() -> dict[str, Any]:
    from medlint.document import parse

    out: dict[str, Any] = {"environment": environment(), "drafts": {}, "cases": {}}
    for name, text in drafts():
        out["drafts"][name] = text_digest(text)
    for case, text, fmt in cases():
        out["cases"][case] = digest(snapshot(parse(text, fmt)))
    return out


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.path.insert(0, str(REPO / "tests"))
    data = record()
    GOLDEN.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"recorded {len(data['cases'])} cases from {len(data['drafts'])} drafts in {GOLDEN}")
