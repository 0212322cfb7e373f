#!/usr/bin/env python3
"""Latency a CMS sees: warm p50/p99 per article, and a cold import + first lint.

    python benchmarks/latency.py                 # articles built from examples/ drafts
    python benchmarks/latency.py --seeds DIR     # ... from another folder of drafts
    python benchmarks/latency.py --runs 200

Articles of about 5 KB and 50 KB are assembled from paragraphs of real drafts (the
project's examples/ and tests/fixtures/labelled/, or ../shared/seeds when it exists; their
text is read at run time and never written anywhere) and rendered to HTML with pyromark
for the HTML rows, so both formats carry the same prose.

"Warm" means one Linter built beforehand and reused, as a web server would. "cold" is a
fresh interpreter: `import medlint` then `medlint.lint(...)` on the 5 KB article, which
includes compiling the bundled rules. Targets on the development machine: p50 <= 2 ms for
5 KB warm; import + first lint <= 300 ms. This prints figures; it asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import pyromark  # noqa: E402

SIZES = {"5 KB": 5_000, "50 KB": 50_000}


def paragraphs(folders: list[Path]) -> list[str]:
    """Paragraphs of prose (no front matter, code fences or tables) from every draft."""
    out: list[str] = []
    for folder in folders:
        for path in sorted(folder.glob("*")):
            if path.suffix not in (".md", ".txt"):
                continue
            text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
            if text.startswith("---\n"):
                end = text.find("\n---\n", 4)
                text = text[end + 5:] if end > 0 else text
            for para in text.split("\n\n"):
                para = para.strip()
                if para and not para.startswith(("```", "|", "<")):
                    out.append(para)
    return out


def source_paragraphs(seeds: Path | None) -> tuple[list[Path], list[str]]:
    """The folders articles are built from (``--seeds``, else the workspace's seed pages
    when present, else the project's own drafts) and their paragraphs; exits if none."""
    shared_seeds = Path(os.environ.get("MEDLINT_SHARED", REPO.parent / "shared")) / "seeds"
    if seeds:
        folders = [seeds]
    elif shared_seeds.is_dir():
        folders = [shared_seeds]
    else:
        folders = [REPO / "examples", REPO / "tests" / "fixtures" / "labelled"]
    paras = paragraphs(folders)
    if not paras:
        sys.exit(f"no drafts found in {', '.join(map(str, folders))}")
    return folders, paras


def article(paras: list[str], size: int, fmt: str) -> str:
    """Paragraphs in order (cycling) until the article, in ``fmt``, reaches ``size`` chars."""
    chosen: list[str] = []
    i = 0
    while True:
        chosen.append(paras[i % len(paras)])
        i += 1
        md = "\n\n".join(chosen) + "\n"
        text = md if fmt == "markdown" else pyromark.html(md)
        if len(text) >= size:
            return text


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def warm(texts: dict[tuple[str, str], str], runs: int) -> list[tuple[str, str, int, int, float, float, float]]:
    import medlint
    from medlint.document import parse

    linter = medlint.Linter()
    rows = []
    for (label, fmt), text in texts.items():
        n = runs if len(text) < 20_000 else max(10, runs // 5)
        for _ in range(3):
            linter.lint(text, fmt)  # warm-up
        times, parse_times = [], []
        for _ in range(n):
            t0 = time.perf_counter()
            linter.lint(text, fmt)
            times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            parse(text, fmt)
            parse_times.append(time.perf_counter() - t0)
        rows.append((label, fmt, len(text), n, statistics.median(times) * 1000,
                     percentile(times, 99) * 1000, statistics.median(parse_times) * 1000))
    return rows


COLD = """
import json, sys, time
t0 = time.perf_counter()
import medlint
t1 = time.perf_counter()
medlint.lint(sys.stdin.read(), "markdown")
t2 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "first": t2 - t1}))
"""


def cold(text: str, repeat: int) -> list[dict[str, float]]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", COLD], input=text, capture_output=True,
                              text=True, cwd=REPO, check=True)
        wall = time.perf_counter() - t0
        out.append({**json.loads(proc.stdout), "wall": wall})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=Path, help="folder of drafts to build articles from")
    parser.add_argument("--runs", type=int, default=100, help="timed runs per 5 KB article (50 KB: a fifth)")
    parser.add_argument("--cold", type=int, default=3, help="fresh interpreters for the cold figure")
    args = parser.parse_args()

    folders, paras = source_paragraphs(args.seeds)
    texts = {(label, fmt): article(paras, size, fmt) for label, size in SIZES.items()
             for fmt in ("markdown", "html")}
    print(f"articles from {len(paras)} paragraphs in {', '.join(str(f) for f in folders)}")
    print()
    print(f"{'article':<8} {'format':<9} {'chars':>7} {'runs':>5} {'p50 ms':>9} {'p99 ms':>9} {'parse p50 ms':>13}")
    for label, fmt, chars, n, p50, p99, parse_ms in warm(texts, args.runs):
        print(f"{label:<8} {fmt:<9} {chars:>7} {n:>5} {p50:>9.2f} {p99:>9.2f} {parse_ms:>13.2f}")
    print()
    runs = cold(texts[("5 KB", "markdown")], args.cold)
    imp = statistics.median(r["import"] for r in runs) * 1000
    first = statistics.median(r["first"] for r in runs) * 1000
    wall = statistics.median(r["wall"] for r in runs) * 1000
    print(f"cold (median of {len(runs)} fresh interpreters, 5 KB Markdown):")
    print(f"  import medlint          {imp:9.1f} ms")
    print(f"  first lint (builds rules) {first:7.1f} ms")
    print(f"  import + first lint     {imp + first:9.1f} ms   (target <= 300 ms)")
    print(f"  whole process           {wall:9.1f} ms")


if __name__ == "__main__":
    main()
