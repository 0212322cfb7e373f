#!/usr/bin/env python3
"""Throughput of medlint against the prose linters installed on this machine, in one run.

    python benchmarks/throughput.py                  # everything (generates the corpora)
    python benchmarks/throughput.py --quick          # 1 MB instead of 10 MB, 10 MB RSS corpus
    python benchmarks/throughput.py --peers /tmp/peers

Figures, not assertions: timings on a shared machine are noisy, so compare ratios taken in
the same run. Peers are baselines, not dependencies; each is skipped cleanly when absent:

* proselint (PyPI), looked for as ``PEERS/venv/bin/proselint`` or on PATH;
* textlint (npm) with textlint-rule-ng-word, looked for in ``PEERS/node/node_modules``; its
  word list is built from medlint's own trigger literals (``medlint.scan``), so both tools
  look for the same words;
* a plain Python scan: one case-insensitive, word-bounded ``re`` alternation of the same
  words over each file (what a minimal word-list linter does).

Install the peers outside the repository, e.g.::

    python3 -m venv /tmp/peers/venv && /tmp/peers/venv/bin/pip install proselint
    mkdir -p /tmp/peers/node && cd /tmp/peers/node && npm init -y && \\
        npm install textlint textlint-rule-ng-word @textlint/textlint-plugin-markdown
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

import corpus  # noqa: E402  (benchmarks/corpus.py)

MB = 1024 * 1024
# Installed Python packages run from byte-code; a sandbox that forbids writing .pyc files
# would make every cold start recompile medlint's sources, which no user pays.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


# Started from a small, fresh interpreter that times and waits for the command itself.
# A child's peak RSS as the kernel reports it (ru_maxrss) includes the image it was forked
# or vfork-spawned from: spawned straight from this process, which has just built a 10 MB
# draft and a 100 MB corpus, every command "peaked" at 125 MB whatever it used (the first
# round's unexplained 128 MB). The launcher's own few MB are the floor of every figure.
_LAUNCH = (
    "import os, sys, time\n"
    "cmd = sys.argv[2:]\n"
    "start = time.perf_counter()\n"
    "pid = os.posix_spawnp(cmd[0], cmd, os.environ)\n"
    "_pid, status, usage = os.wait4(pid, 0)\n"
    "wall = time.perf_counter() - start\n"
    "with open(sys.argv[1], 'w') as out:\n"
    "    out.write(f'{wall} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}')\n"
)


def run(cmd: list[str], cwd: Path | None = None) -> tuple[float, int, int]:
    """(wall seconds, peak RSS in KB of the process itself, exit code)."""
    with tempfile.TemporaryDirectory() as tmp:
        result = Path(tmp) / "result"
        subprocess.run([sys.executable, "-S", "-c", _LAUNCH, str(result), *cmd], cwd=cwd, env=ENV,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        wall, rss, code = result.read_text().split()
    return float(wall), int(rss), int(code)


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*.md"))


#: ``--medlint``: another checkout's console script, to compare two trees in one run
MEDLINT: str | None = None


def medlint_cmd() -> list[str]:
    if MEDLINT:
        return [MEDLINT]
    exe = Path(sys.executable).with_name("medlint")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "medlint"]


def medlint_python() -> str:
    """The interpreter for the rows that import medlint in a script: the one ``--medlint``
    runs under (its ``#!`` line: another checkout's venv imports that checkout), else this
    one. Before, those rows always measured this checkout, whatever ``--medlint`` said."""
    if MEDLINT:
        try:
            with open(MEDLINT, "rb") as fh:
                first = fh.readline().decode("utf-8", "replace").strip()
        except OSError:
            first = ""
        if first.startswith("#!"):
            interpreter = first[2:].strip().split(" ")[0]
            if interpreter and Path(interpreter).is_file():
                return interpreter
    return sys.executable


def trigger_words(limit: int = 400) -> list[str]:
    """medlint's own trigger literals (words of 4+ letters), for the peers' word lists."""
    from medlint.linter import Linter

    scanner = Linter().ruleset.scanner
    words = sorted({w.strip() for w in scanner.automaton.keys()
                    if re.fullmatch(r"[a-z][a-z -]{3,}", w.strip())})
    return words[:limit]


class Table:
    def __init__(self) -> None:
        self.rows: list[list[str]] = []

    def add(self, *cells: object) -> None:
        self.rows.append([str(c) for c in cells])
        print("  " + " | ".join(str(c) for c in cells), flush=True)

    def markdown(self, header: list[str]) -> str:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(r) + " |" for r in self.rows]
        return "\n".join(lines)


def bench_many(folder: Path, peers: Path, words: list[str], jobs: list[int]) -> Table:
    size = size_of(folder)
    files = sorted(str(p) for p in folder.glob("*.md"))
    table = Table()
    print(f"\n== {size / MB:.1f} MB in {len(files)} files ==")
    results: dict[str, tuple[float, int]] = {}

    def record(name: str, wall: float, rss: int) -> None:
        results[name] = (wall, rss)

    for j in jobs:
        wall, rss, _ = run(medlint_cmd() + ["check", str(folder), "--no-config", "--jobs", str(j)])
        record(f"medlint --jobs {j}", wall, rss)
    proselint = shutil.which("proselint", path=str(peers / "venv" / "bin")) or shutil.which("proselint")
    if proselint:
        cfg = Path(tempfile.mkdtemp()) / "proselint.json"
        cfg.write_text(json.dumps({"max_errors": 1000000}))
        wall, rss, _ = run([proselint, "check", "--config", str(cfg), *files])
        record("proselint (all default checks)", wall, rss)
    else:
        print("  proselint: not installed, skipped")
    textlint = peers / "node" / "node_modules" / ".bin" / "textlint"
    if textlint.exists() and (peers / "node" / "node_modules" / "textlint-rule-ng-word").exists():
        rc = Path(tempfile.mkdtemp()) / ".textlintrc.json"
        rc.write_text(json.dumps({"rules": {"ng-word": {"words": words}}}))
        wall, rss, _ = run([str(textlint), "--config", str(rc), *files], cwd=peers / "node")
        record(f"textlint + ng-word ({len(words)} words)", wall, rss)
    else:
        print("  textlint (with textlint-rule-ng-word): not installed, skipped")
    wall, rss = python_scan(files, words)
    record(f"plain Python re scan ({len(words)} words)", wall, rss)

    base = results[f"medlint --jobs {jobs[0]}"][0]
    for name, (wall, rss) in results.items():
        if name == f"medlint --jobs {jobs[0]}":
            ratio = "-"
        elif name.startswith("medlint"):
            ratio = f"{base / wall:.2f}x the speed of --jobs {jobs[0]}"
        else:
            ratio = f"medlint --jobs {jobs[0]} is {wall / base:.2f}x as fast"
        table.add(name, f"{wall:.2f}", f"{size / MB / wall:.2f}", f"{rss / 1024:.0f}", ratio)
    return table


def python_scan(files: list[str], words: list[str]) -> tuple[float, int]:
    script = (
        "import re,sys,time,resource\n"
        "words=sys.argv[1].split('|')\n"
        "rx=re.compile(r'\\b(?:'+'|'.join(re.escape(w).replace('\\\\ ', r'\\s+') for w in words)+r')\\b', re.I)\n"
        "n=0\n"
        "for f in sys.argv[2:]:\n"
        "    t=open(f,encoding='utf-8').read()\n"
        "    n+=sum(1 for _ in rx.finditer(t))\n"
    )
    wall, rss, _ = run([sys.executable, "-c", script, "|".join(words), *files])
    return wall, rss


def bench_linearity(out: Path, small: int, big: int) -> Table:
    table = Table()
    print(f"\n== linearity: one {small // MB} MB file vs one {big // MB} MB file ==")
    times = {}
    for size in (small, big):
        folder = out / f"single-{size}"
        path = corpus.generate(folder, size, size, seed=3, single=True)[0]
        wall, rss, _ = run(medlint_cmd() + ["check", str(path), "--no-config"])
        times[size] = wall
        table.add(f"one {size / MB:.1f} MB file", f"{wall:.2f}", f"{size / MB / wall:.2f}", f"{rss / 1024:.0f}", "")
    table.add(f"ratio {big // small}x size", f"{times[big] / times[small]:.1f}x time", "", "",
              "target <= %.0fx" % (big / small * 1.1))
    return table


def bench_rss(out: Path, total: int) -> Table:
    table = Table()
    folder = out / f"many-{total}-8192"
    if size_of(folder) < total * 0.99 if folder.exists() else True:
        corpus.generate(folder, total, 8192, seed=1)
    print(f"\n== peak RSS on {total / MB:.0f} MB in 8 KB files (one process) ==")
    wall, rss, _ = run(medlint_cmd() + ["check", str(folder), "--no-config", "--jobs", "1"])
    table.add(f"`medlint check` (text report streamed per file), {total / MB:.0f} MB",
              f"{wall:.1f}", f"{total / MB / wall:.2f}", f"{rss / 1024:.0f}", "target <= 100 MB RSS")
    script = (
        "import sys,pathlib\n"
        "from medlint.linter import Linter\n"
        "L=Linter(); n=0\n"
        "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.md')):\n"
        "    n+=len(L.check(p.read_text(encoding='utf-8'), 'markdown', str(p)).findings)\n"
    )
    wall, rss, _ = run([medlint_python(), "-c", script, str(folder)])
    table.add(f"Linter, files streamed, findings counted not kept, {total / MB:.0f} MB",
              f"{wall:.1f}", f"{total / MB / wall:.2f}", f"{rss / 1024:.0f}", "target <= 100 MB RSS")
    return table


STARTUP_RUNS = 21


def bench_startup(out: Path) -> Table:
    table = Table()
    print("\n== startup (5 KB draft) ==")
    folder = out / "startup"
    path = corpus.generate(folder, 5 * 1024, 5 * 1024, seed=5, single=True)[0]
    # interleaved with a bare interpreter, so that the machine's load shows in both: the
    # ratio is the figure to compare between runs
    cmds = {
        "`python -c pass` (the interpreter alone)": [sys.executable, "-c", "pass"],
        "`medlint check one.md --no-config` cold process": medlint_cmd() + ["check", str(path), "--no-config"],
        "`medlint check one.md` cold process (config discovery)": medlint_cmd() + ["check", str(path)],
    }
    for cmd in cmds.values():
        run(cmd)  # make sure the compiled-rules cache exists: this measures a cold *process*
    walls: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(STARTUP_RUNS):
        for name, cmd in cmds.items():
            walls[name].append(run(cmd)[0])
    bare = statistics.median(next(iter(walls.values())))
    for i, (name, times) in enumerate(walls.items()):
        median = statistics.median(times)
        ratio = f"{median / bare:.1f}x the interpreter; target <= 200 ms" if i else ""
        table.add(f"{name}, median of {STARTUP_RUNS}", f"{median * 1000:.0f} ms", "", "", ratio)
    script = (
        "import time,sys\n"
        "t=time.perf_counter()\n"
        "import medlint\n"
        "text=open(sys.argv[1],encoding='utf-8').read()\n"
        "medlint.lint(text)\n"
        "first=time.perf_counter()-t\n"
        "from medlint.linter import default_linter\n"
        "L=default_linter(); ts=[]\n"
        "for _ in range(300):\n"
        "    a=time.perf_counter(); L.lint(text); ts.append(time.perf_counter()-a)\n"
        "ts.sort(); print(first, ts[len(ts)//2])\n"
    )
    firsts, warms = [], []
    for _ in range(5):
        res = subprocess.run([medlint_python(), "-c", script, str(path)], capture_output=True, text=True,
                             check=True, env=ENV)
        first, warm = map(float, res.stdout.split())
        firsts.append(first)
        warms.append(warm)
    table.add("`import medlint` + first lint of 5 KB", f"{statistics.median(firsts) * 1000:.0f} ms", "", "",
              "target <= 300 ms")
    table.add("warm lint of 5 KB, p50", f"{statistics.median(warms) * 1000:.2f} ms", "", "", "target <= 1 ms")
    return table


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--peers", type=Path, default=Path(os.environ.get("MEDLINT_PEERS", "/tmp/peers")))
    ap.add_argument("--out", type=Path, default=corpus.DEFAULT_OUT)
    ap.add_argument("--quick", action="store_true", help="1 MB main corpus, 10 MB RSS corpus")
    ap.add_argument("--size", type=corpus.parse_size, default=None, help="main corpus size (default 10MB)")
    ap.add_argument("--rss-size", type=corpus.parse_size, default=None, help="RSS corpus size (default 100MB)")
    ap.add_argument("--skip", default="", help="comma list of: many,linearity,rss,startup")
    ap.add_argument("--jobs", default="1,2", help="--jobs values for the many-files run (default 1,2)")
    ap.add_argument("--medlint", help="the medlint console script to time (default: this venv's); "
                    "with MEDLINT_ENGINE=ac|hyperscan in the environment, one engine")
    args = ap.parse_args(argv)
    global MEDLINT
    MEDLINT = args.medlint
    size = args.size or (MB if args.quick else 10 * MB)
    rss_size = args.rss_size or (10 * MB if args.quick else 100 * MB)
    skip = set(filter(None, args.skip.split(",")))
    header = ["what", "wall s", "MB/s", "peak RSS MB", "ratio / target"]
    sections = []
    if "many" not in skip:
        folder = args.out / f"many-{size}-8192"
        corpus.generate(folder, size, 8192, seed=1)
        jobs = [int(j) for j in args.jobs.split(",")]
        sections.append(bench_many(folder, args.peers, trigger_words(), jobs))
    if "linearity" not in skip:
        sections.append(bench_linearity(args.out, size // 10, size))
    if "rss" not in skip:
        sections.append(bench_rss(args.out, rss_size))
    if "startup" not in skip:
        sections.append(bench_startup(args.out))
    print("\nMarkdown:\n")
    for table in sections:
        print(table.markdown(header) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
