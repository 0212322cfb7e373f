#!/usr/bin/env python3
"""Pages per second and peak memory of ``medlint audit`` on generated pages, per engine.

    python benchmarks/audit.py                 # 20,000 pages: --engine local --jobs 2, Dask 2 workers
    python benchmarks/audit.py --pages 2000    # a quick look

Each run is a fresh ``medlint audit`` process (so start-up, compiling the rules in every
worker and writing the tables and report are all counted), watched from here: peak memory
is the largest sum of the proportional set sizes (PSS) of the command and all its descendants (pool
processes, Dask nanny and worker processes), sampled every 50 ms from /proc. The pages are
written once, as one Parquet file, by ``medlint.audit.sample`` (deterministic).

Figures, not assertions: the machine may be shared, so the load average is printed beside
them, and so is the CPU time of the whole process tree (pages per CPU-second hardly moves
with the load; wall time does); compare engines within one run. The two engines write byte-identical
findings.parquet (checked here too).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _children(pid: int) -> list[int]:
    """Children started by any of the process's threads (Dask starts workers from threads)."""
    out: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out.extend(int(x) for x in fh.read().split())
        except OSError:
            continue
    return out


def _rss_kb(pid: int) -> int:
    """The process's proportional set size (PSS): pages shared with forked siblings are
    split between them, so the sum over a pool is not counted twice (RSS would be)."""
    for name, key in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        try:
            with open(f"/proc/{pid}/{name}") as fh:
                for line in fh:
                    if line.startswith(key):
                        return int(line.split()[1])
        except OSError:
            continue
    return 0


def tree_rss_kb(pid: int) -> int:
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += _rss_kb(p)
        stack.extend(_children(p))
    return total


def run(cmd: list[str]) -> tuple[float, float, int, int, str]:
    """(wall seconds, CPU seconds, peak tree PSS in KB, exit code, stdout) of one command.

    CPU seconds (user + system of the command and every descendant reaped below it: pool
    processes, Dask nannies and workers) barely depend on the machine's load, unlike wall
    time on a shared machine."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss_kb(proc.pid))
        time.sleep(0.05)
    wall = time.perf_counter() - start
    out, err = proc.communicate()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode:
        sys.stderr.write(err[-3000:])
    return wall, cpu, peak, proc.returncode, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--engines", default="local,dask")
    args = parser.parse_args()

    import pyarrow as pa
    import pyarrow.parquet as pq

    from medlint.audit.sample import pages

    with tempfile.TemporaryDirectory(prefix="medlint-audit-bench-") as tmp:
        d = Path(tmp)
        src = d / "pages.parquet"
        rows = list(pages(args.pages))
        pq.write_table(pa.Table.from_pylist(rows), src)
        mb = sum(len(r["body"]) + len(r["title"]) for r in rows) / 1e6
        del rows
        print(f"{args.pages:,} generated pages ({mb:.1f} MB of text), {os.cpu_count()} CPUs; "
              f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"{'engine':<28} {'seconds':>8} {'pages/s':>9} {'CPU s':>7} {'pages/CPU s':>12} "
              f"{'peak PSS MB':>12}  load (1 min)")
        outputs = {}
        summaries: list[str] = []
        for engine in args.engines.split(","):
            out = d / engine
            cmd = [sys.executable, "-m", "medlint", "audit", str(src), "-o", str(out), "--no-config",
                   "--no-progress", "--engine", engine, "--jobs", str(args.jobs)]
            wall, cpu, peak, code, _stdout = run(cmd)
            label = f"{engine} --jobs {args.jobs}" if engine == "local" else f"dask LocalCluster {args.jobs} workers"
            print(f"{label:<28} {wall:8.1f} {args.pages / wall:9.0f} {cpu:7.1f} {args.pages / cpu:12.0f} "
                  f"{peak / 1024:12.0f}  "
                  f"{os.getloadavg()[0]:.2f}" + ("" if code == 0 else f"  (exit {code})"))
            outputs[engine] = out / "findings.parquet"
            summaries.append(_stdout.splitlines()[0] if _stdout else "")
        files = [p for p in outputs.values() if p.exists()]
        if len(files) > 1:
            same = len({p.read_bytes() for p in files}) == 1
            print(f"findings.parquet identical across engines: {same} "
                  f"({pq.ParquetFile(files[0]).metadata.num_rows:,} findings)")
        for line in summaries:
            print(line)


if __name__ == "__main__":
    main()
