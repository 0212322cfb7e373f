#!/usr/bin/env python3
"""Generate a seeded Markdown corpus for throughput benchmarks.

The corpus is assembled from paragraphs of real health prose, so the linter sees the word
mix it meets in production (triggers, negations, hedges, citations) rather than lorem ipsum.
The prose comes from the workspace's seed pages (``../shared/seeds/*.txt`` next to the
repository) when they exist, otherwise from the project's own example drafts
(``examples/*.md``). Nothing is copied into the repository: the output goes to
``benchmarks/corpus/`` (git-ignored) or to ``--out``.

Every file gets YAML front matter and a mix of headings, paragraphs, bullet lists, fenced
code blocks, inline code, links and emphasis, so the Markdown reader does real work and the
prose mask has holes in it. The same ``--seed`` gives byte-identical output.

    python benchmarks/corpus.py --total 10MB --file-size 8KB          # many files
    python benchmarks/corpus.py --total 1MB --single --out /tmp/one    # one 1 MB file
"""
from __future__ import annotations

import argparse
import os
import random
import re
import sys
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "benchmarks" / "corpus"

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}

# Markup that is not prose: the reader must skip it, so it costs parsing but never matches.
_CODE_BLOCKS = (
    "```yaml\ndosing:\n  route: intravenous\n  schedule: weekly  # see protocol\n```",
    "```bash\nmedlint check drafts/ --format json > report.json\n```",
    "```\nPatient ID | Visit | Notes\n0001       | 1     | baseline\n```",
    "```python\nfor visit in visits:\n    print(visit.date, visit.dose_mg)\n```",
)
_LINK_TARGETS = ("https://example.org/guidance", "https://example.com/leaflet.pdf",
                 "/articles/overview", "https://www.example.net/faq#safety")


def parse_size(text: str) -> int:
    """'10MB', '8KB', '512k', '1.5M' or a plain byte count -> bytes (binary units)."""
    m = _SIZE.match(text)
    if not m:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (use e.g. 8KB, 10MB)")
    return int(float(m.group(1)) * _UNITS[m.group(2).lower()])


def default_sources() -> list[Path]:
    """Seed pages from ../shared/seeds when present, else the project's example drafts."""
    shared = Path(os.environ.get("MEDLINT_SHARED", REPO.parent / "shared")) / "seeds"
    seeds = sorted(shared.glob("*.txt")) if shared.is_dir() else []
    return seeds or sorted((REPO / "examples").glob("*.md"))


def paragraphs(paths: list[Path]) -> tuple[list[str], list[str]]:
    """(prose paragraphs, short heading-like lines) from the source files."""
    prose: list[str] = []
    headings: list[str] = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        if text.startswith("---"):  # drop a source's own front matter
            end = text.find("\n---", 3)
            text = text[end + 4:] if end > 0 else text
        for chunk in re.split(r"\n\s*\n", text):
            lines = [ln.strip().lstrip("#>*- ").strip() for ln in chunk.strip().splitlines()]
            body = " ".join(ln for ln in lines if ln)
            if not body or body.startswith(("```", "|")):
                continue
            words = body.split()
            if len(words) <= 10 and not body.endswith((".", "!", ":")):
                headings.append(body)
            elif len(words) >= 6:
                prose.append(body)
    if not prose:
        raise SystemExit("no prose paragraphs found in the sources")
    return prose, headings or ["Overview", "What to know", "Safety"]


def _wrap(text: str, width: int = 88) -> str:
    out: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        out.append(line)
    return "\n".join(out)


def _decorate(rng: random.Random, para: str) -> str:
    """Add inline markup to a paragraph: a link, emphasis or inline code, sometimes."""
    words = para.split()
    if len(words) > 8 and rng.random() < 0.35:
        i = rng.randrange(len(words) - 2)
        words[i] = f"[{words[i]} {words[i + 1]}]({rng.choice(_LINK_TARGETS)})"
        del words[i + 1]
    if len(words) > 8 and rng.random() < 0.25:
        i = rng.randrange(len(words))
        if not words[i].startswith("["):
            words[i] = f"*{words[i]}*"
    if rng.random() < 0.1:
        words.insert(rng.randrange(len(words)), "`--dose`")
    return _wrap(" ".join(words))


def _blocks(rng: random.Random, prose: list[str], headings: list[str]) -> Iterator[str]:
    """An endless stream of Markdown blocks in a plausible article rhythm."""
    while True:
        yield f"## {rng.choice(headings)}"
        for _ in range(rng.randint(1, 4)):
            roll = rng.random()
            if roll < 0.65:
                yield _decorate(rng, rng.choice(prose))
            elif roll < 0.85:
                sentences = re.split(r"(?<=[.!?])\s+", rng.choice(prose))
                yield "\n".join(f"- {s}" for s in sentences if s)
            elif roll < 0.93:
                yield rng.choice(_CODE_BLOCKS)
            else:
                yield "> " + _wrap(rng.choice(prose)).replace("\n", "\n> ")


def document(rng: random.Random, prose: list[str], headings: list[str], size: int, n: int) -> str:
    """One Markdown file of at least ``size`` bytes (front matter, title, blocks)."""
    parts = [
        f"---\ntitle: \"Draft {n}\"\nauthor: Benchmark\ntags: [health, draft-{n % 7}]\n---",
        f"# {rng.choice(headings)}",
    ]
    length = sum(len(p.encode("utf-8")) + 2 for p in parts)
    for block in _blocks(rng, prose, headings):
        if length >= size:
            break
        parts.append(block)
        length += len(block.encode("utf-8")) + 2
    return "\n\n".join(parts) + "\n"


def generate(out: Path, total: int, file_size: int, seed: int = 1, single: bool = False,
             sources: list[Path] | None = None) -> list[Path]:
    """Write the corpus into ``out`` (created; old ``*.md`` there removed); return the files."""
    prose, headings = paragraphs(sources or default_sources())
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.md"):
        old.unlink()
    written: list[Path] = []
    if single:
        path = out / "single.md"
        path.write_text(document(rng, prose, headings, total, 0), encoding="utf-8")
        return [path]
    size = 0
    n = 0
    while size < total:
        text = document(rng, prose, headings, min(file_size, total - size), n)
        path = out / f"draft-{n:06d}.md"
        path.write_text(text, encoding="utf-8")
        written.append(path)
        size += len(text.encode("utf-8"))
        n += 1
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--total", type=parse_size, default=parse_size("10MB"), help="corpus size (default 10MB)")
    ap.add_argument("--file-size", type=parse_size, default=parse_size("8KB"), help="size of each file (default 8KB)")
    ap.add_argument("--single", action="store_true", help="write one file of --total bytes")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=None, help=f"output folder (default {DEFAULT_OUT}/<name>)")
    ap.add_argument("--source", type=Path, action="append", help="prose source file (repeatable)")
    args = ap.parse_args(argv)
    out = args.out or DEFAULT_OUT / (f"single-{args.total}" if args.single else f"many-{args.total}-{args.file_size}")
    files = generate(out, args.total, args.file_size, args.seed, args.single, args.source)
    size = sum(p.stat().st_size for p in files)
    print(f"{out}: {len(files)} file(s), {size:,} bytes", file=sys.stderr)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
