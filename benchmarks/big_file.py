"""Time and peak memory of ``medlint check`` on one very large generated draft.

Figures, not assertions: run it by hand (it takes minutes) and compare the per-megabyte
figures of the sizes within one run; a linear engine keeps them flat. ``MEDLINT_ENGINE=ac``
in the environment times the Aho-Corasick fallback instead of the Hyperscan prefilter.

    python benchmarks/big_file.py                 # 1, 4 and 16 MB
    python benchmarks/big_file.py 100             # one 100 MB file
    python benchmarks/big_file.py 1 10 --dense    # a trigger in every paragraph

The draft is Markdown built from a few paragraphs of ordinary health writing, with a
non-ASCII line (accents, an emoji, a combining mark, a tab) and, every ``--every``
paragraphs, a paragraph full of trigger phrases, so rules fire but the report stays small
enough that the figures measure linting, not printing. Each size runs in a child process;
its peak resident memory comes from ``os.wait4``.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CALM = (
    "Depression is common and treatable. A clinician can explain the options, which include "
    "talking therapies and medicines, and how long each usually takes to help.\n\n"
    "## Living with low mood\n\n"
    "- Keep a regular sleep pattern.\n- Stay in touch with people you trust.\n\n"
    "Café staff, naïve readers and 😀 fans alike: e\u0301 is two code points;\ta tab is one.\n\n"
)
LOUD = (
    "Ketamine cures depression and is FDA-approved. Take 0.5 mg/kg twice a week at home. "
    "Call (555) 010-1234 to book now!\n\n"
)


def make(path: Path, megabytes: float, every: int) -> int:
    target = int(megabytes * 1_000_000)
    size = 0
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        while size < target:
            block = LOUD if every and n % every == 0 else CALM
            fh.write(block)
            size += len(block.encode())
            n += 1
    return path.stat().st_size


def run(path: Path) -> tuple[float, int, int]:
    """Seconds, peak RSS in MB, exit code of one ``medlint check`` child."""
    argv = [sys.executable, "-m", "medlint.cli", "check", "--no-config", "--format", "json",
            "--output", os.devnull, str(path)]
    start = time.perf_counter()
    # drafts over 64 MB are refused by default (docs/reliability.md, "Limits"); the
    # benchmark measures larger ones on purpose
    env = {**os.environ, "MEDLINT_MAX_FILE_MB": str(path.stat().st_size // 1_000_000 + 2)}
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if stderr.strip():
        print("   stderr:", stderr.strip()[:300])
    peak_kb = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss // 1024
    return elapsed, peak_kb // 1024, os.waitstatus_to_exitcode(status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=float, default=[1, 4, 16], help="file sizes in MB")
    parser.add_argument("--every", type=int, default=50, help="a trigger paragraph every N paragraphs")
    parser.add_argument("--dense", action="store_true", help="a trigger paragraph every other paragraph")
    args = parser.parse_args()
    every = 2 if args.dense else args.every
    print(f"{'MB':>7} {'seconds':>9} {'s/MB':>7} {'peak RSS MB':>12} {'RSS/size':>9} exit")
    with tempfile.TemporaryDirectory() as tmp:
        # a tiny draft first, so that no size pays for compiling the rules (and the Hyperscan
        # database) into the cache: the first size was once 1.2x the time of one ten times as big
        warm = Path(tmp) / "warm.md"
        make(warm, 0.001, every)
        run(warm)
        for mb in args.sizes:
            path = Path(tmp) / f"big-{mb:g}.md"
            size = make(path, mb, every)
            seconds, peak, code = run(path)
            real_mb = size / 1_000_000
            print(f"{real_mb:7.1f} {seconds:9.1f} {seconds / real_mb:7.2f} {peak:12d} {peak / real_mb:9.1f} {code}")
            path.unlink()


if __name__ == "__main__":
    main()
