#!/usr/bin/env python3
"""Reading a draft into a Document: median parse time per format and size.

    python benchmarks/parse.py                    # this checkout
    python benchmarks/parse.py --against main     # A/B: this checkout vs a git revision
    python benchmarks/parse.py --runs 500 --seeds DIR

Articles are built as in ``latency.py`` (paragraphs of real drafts, cycled to about 5 KB and
50 KB; HTML rendered from the same Markdown with pyromark; plain text is the Markdown article
read as ``text``). "html refs" is that HTML with typographic punctuation written as numeric
character references, as some CMSs write it (the reader lays out words holding references
one by one). With ``--against REV`` the ``medlint/document`` package of that revision is
extracted to a temporary folder and imported under another name, and the two readers are
timed alternately in one process, so machine noise hits both alike; the ratio is the figure
to quote. The reader package imports nothing else from medlint, which is what makes this
possible. This prints figures; it asserts nothing.

Two more measurements, each instead of the articles:

    python benchmarks/parse.py --corpus benchmarks/corpus/many-10485760-8192 --against main
    python benchmarks/parse.py --big 10 --against main

``--corpus DIR`` reads every Markdown draft under DIR (``benchmarks/corpus.py`` makes the
standard 10 MB corpus) and reports the CPU seconds (``time.process_time``, best of
``--rounds``, the readers alternating) of one pass of ``parse(text, "markdown")`` over all of
them. ``--big MB`` writes ``big_file.py``'s draft of that size (Markdown with an emoji, so
Python holds it at 4 bytes a character) and reads it once in a child process per reader,
reporting the child's peak RSS before and after ``parse``: what the reader adds on top of
the draft itself.
"""
from __future__ import annotations

import argparse
import importlib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

import pyromark  # noqa: E402
from latency import article, source_paragraphs  # noqa: E402

SIZES = {"5 KB": 5_000, "50 KB": 50_000}
FILES = ("__init__.py", "segments.py", "markdown.py", "html.py", "text.py")


def load_revision(rev: str, into: Path) -> Callable[[str, str], object]:
    """``parse`` from ``medlint/document`` at git revision ``rev`` (as package ``ref_document``)."""
    pkg = into / "ref_document"
    pkg.mkdir()
    for name in FILES:
        source = subprocess.run(["git", "show", f"{rev}:medlint/document/{name}"], cwd=REPO,
                                capture_output=True, text=True, check=True).stdout
        (pkg / name).write_text(source, encoding="utf-8")
    sys.path.insert(0, str(into))
    return importlib.import_module("ref_document").parse


def html_with_references(md: str) -> str:
    """The article as some CMSs write it: typographic quotes and dashes, and every
    non-ASCII character as a numeric reference (``&#8217;``)."""
    rendered = pyromark.html(md, options=pyromark.Options.ENABLE_SMART_PUNCTUATION)
    return rendered.encode("ascii", "xmlcharrefreplace").decode("ascii")


def median_ms(parse: Callable[[str, str], object], text: str, fmt: str, n: int) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        parse(text, fmt)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def corpus(folder: Path, readers: dict[str, Callable[[str, str], object]], rounds: int) -> None:
    """CPU seconds of one pass of each reader over every Markdown draft under ``folder``."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.md"))]
    if not texts:
        sys.exit(f"no Markdown drafts under {folder} (benchmarks/corpus.py makes them)")
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    best = {name: float("inf") for name in readers}
    for _ in range(rounds):
        for name, read in readers.items():
            start = time.process_time()
            for text in texts:
                read(text, "markdown")
            best[name] = min(best[name], time.process_time() - start)
    print(f"{len(texts)} Markdown drafts, {mb:.1f} MB; CPU seconds of one pass, best of {rounds}")
    for name, seconds in best.items():
        print(f"{name:>4}: {seconds:.3f} s  {mb / seconds:5.1f} MB per CPU-second")
    if len(best) == 2:
        print(f"old/new: {best['old'] / best['new']:.2f}x")


def big(megabytes: float, readers: dict[str, str]) -> None:
    """Peak RSS of a child process reading one generated draft, per reader."""
    from big_file import make

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.md"
        size = make(path, megabytes, 50)
        print(f"one draft of {size / 1e6:.1f} MB (big_file.py); peak RSS of a child, MB")
        for name, where in readers.items():
            out = subprocess.run([sys.executable, __file__, "--child-peak", str(path), "--reader", where],
                                 capture_output=True, text=True, check=True).stdout.split()
            before, after, seconds = int(out[0]), int(out[1]), float(out[2])
            print(f"{name:>4}: draft read {before}, after parse {after} (parse adds {after - before}); "
                  f"{seconds:.2f} CPU-s")


def child_peak(path: Path, where: str) -> None:
    """In the child: peak RSS (MB) with the draft read, then after parsing it."""
    import resource

    if where == "new":
        from medlint.document import parse
    else:
        sys.path.insert(0, where)
        parse = importlib.import_module("ref_document").parse
    parse("# warm\n\nup", "markdown")  # lazy imports are not the draft's
    text = path.read_text(encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    start = time.process_time()
    parse(text, "markdown")
    seconds = time.process_time() - start
    print(before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, f"{seconds:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=Path, help="folder of drafts to build articles from")
    parser.add_argument("--runs", type=int, default=300, help="timed parses per 5 KB article (50 KB: a tenth)")
    parser.add_argument("--against", metavar="REV", help="also time medlint/document at this git revision")
    parser.add_argument("--rounds", type=int, default=5, help="alternations between the two readers")
    parser.add_argument("--corpus", type=Path, metavar="DIR", help="CPU time over every Markdown draft in DIR")
    parser.add_argument("--big", type=float, metavar="MB", help="peak memory reading one draft of MB megabytes")
    parser.add_argument("--child-peak", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--reader", default="new", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_peak:
        child_peak(args.child_peak, args.reader)
        return
    if args.big or args.corpus:
        with tempfile.TemporaryDirectory() as tmp:
            if args.big:
                where = {"new": "new"}
                if args.against:
                    load_revision(args.against, Path(tmp))
                    where = {"old": tmp, "new": "new"}
                big(args.big, where)
            else:
                from medlint.document import parse

                readers: dict[str, Callable[[str, str], object]] = {"new": parse}
                if args.against:
                    readers = {"old": load_revision(args.against, Path(tmp)), "new": parse}
                corpus(args.corpus, readers, args.rounds)
        return

    folders, paras = source_paragraphs(args.seeds)

    from medlint.document import parse

    readers = {"new": parse}
    tmp = tempfile.TemporaryDirectory()
    if args.against:
        readers = {"old": load_revision(args.against, Path(tmp.name)), "new": parse}

    print(f"articles from {len(paras)} paragraphs in {', '.join(str(f) for f in folders)}")
    header = f"{'article':<8} {'format':<9} {'chars':>7} {'runs':>5}"
    header += "".join(f" {name + ' ms':>9}" for name in readers)
    if len(readers) == 2:
        header += f" {'old/new':>8}"
    print(header)
    for label, size in SIZES.items():
        md = article(paras, size, "markdown")
        html = article(paras, size, "html")
        refs = html_with_references(md)
        for label_fmt, fmt, text in (("markdown", "markdown", md), ("html", "html", html),
                                     ("html refs", "html", refs), ("text", "text", md)):
            n = args.runs if size < 20_000 else max(10, args.runs // 10)
            per_round = max(1, n // args.rounds)
            for read in readers.values():
                read(text, fmt)  # warm-up (lazy imports, regex caches)
            samples: dict[str, list[float]] = {name: [] for name in readers}
            for _ in range(args.rounds):
                for name, read in readers.items():
                    samples[name].append(median_ms(read, text, fmt, per_round))
            medians = {name: statistics.median(v) for name, v in samples.items()}
            row = f"{label:<8} {label_fmt:<9} {len(text):>7} {per_round * args.rounds:>5}"
            row += "".join(f" {m:>9.3f}" for m in medians.values())
            if len(readers) == 2:
                row += f" {medians['old'] / medians['new']:>8.2f}"
            print(row)
    tmp.cleanup()


if __name__ == "__main__":
    main()
