"""One audit, end to end: open the input, map the batch function, write the tables and
the report, say what happened.

Tables are written to temporary files beside their final names and renamed only when the
audit finished, so an audit stopped half-way never replaces an earlier one (which may be
the baseline of the next)."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .inputs import DEFAULT_BATCH, InputError, open_input
from .stats import Baseline, Tally

ENGINES = ("local", "dask")


@dataclass
class Audit:
    """What an audit did (for the summary line, the exit code and the tests)."""

    out: Path
    pages: int
    findings: int
    tally: Tally
    seconds: float
    exit_code: int
    message: str


def run_audit(input_path: str | Path, out: str | Path, *, engine: str = "local", jobs: int | None = None,
              scheduler: str | None = None, config: Any = None, baseline: str | Path | None = None,
              batch_size: int = DEFAULT_BATCH, progress: bool | None = None, report: bool = True,
              dask_processes: bool = True) -> Audit:
    """Audit ``input_path`` into the folder ``out``. Raises :class:`InputError` for input
    that cannot be read at all and ``medlint.MedlintError`` for bad settings."""
    import pyarrow.parquet as pq

    from .batch import linter_for
    from .engines import default_jobs, run_dask, run_local
    from .progress import Progress
    from .schema import FINDINGS_SCHEMA, PAGES_SCHEMA

    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}")
    started = time.monotonic()
    pages = open_input(input_path)
    linter_for(config)  # bad settings fail here, before any work; forked workers inherit it
    base = Baseline.load(Path(baseline)) if baseline is not None else None
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tally = Tally(base)
    jobs = jobs or (2 if engine == "dask" else default_jobs())
    if engine == "local" and pages.total is not None:
        jobs = min(jobs, max(1, -(-pages.total // batch_size)))  # no idle workers for a few batches
    bar = Progress(pages.total, progress)
    batches = pages.batches(batch_size)
    if engine == "local":
        results = run_local(batches, config, jobs)
    else:
        results = run_dask(batches, config, scheduler, jobs, processes=dask_processes)
    tmp_findings = out / f".findings.parquet.{os.getpid()}.tmp"
    tmp_pages = out / f".pages.parquet.{os.getpid()}.tmp"
    try:
        with pq.ParquetWriter(tmp_findings, FINDINGS_SCHEMA) as fw, pq.ParquetWriter(tmp_pages, PAGES_SCHEMA) as pw:
            for findings, page_rows in results:
                fw.write_batch(findings)
                pw.write_batch(page_rows)
                tally.add(findings, page_rows)
                bar.update(page_rows.num_rows)
        bar.close()
        os.replace(tmp_findings, out / "findings.parquet")
        os.replace(tmp_pages, out / "pages.parquet")
    finally:
        results.close()  # stops the pool or closes the Dask client now, even after an error
        for tmp in (tmp_findings, tmp_pages):
            tmp.unlink(missing_ok=True)
    tally.finish()
    seconds = time.monotonic() - started
    if report:
        from .report import write_report

        write_report(out / "report.html", tally, out / "findings.parquet", str(input_path), seconds)
    unreadable = tally.verdicts["unreadable"]
    code = 2 if tally.pages and unreadable == tally.pages else 0
    return Audit(out, tally.pages, tally.findings, tally, seconds, code, summary_line(tally, seconds, out, report))


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def summary_line(tally: Tally, seconds: float, out: Path, report: bool) -> str:
    v = tally.verdicts
    s = tally.severities
    parts = [f"medlint audit: {_n(tally.pages, 'page')}, {_n(tally.findings, 'finding')} "
             f"({_n(s['error'], 'error')}, {_n(s['warning'], 'warning')}, {s['info']:,} info); "
             f"{v['clean'] + v['warnings']:,} publishable, {v['errors']:,} with errors"]
    if v["incomplete"]:
        parts.append(f"{v['incomplete']:,} incomplete")
    if v["unreadable"]:
        parts.append(f"{v['unreadable']:,} unreadable")
    b = tally.baseline
    if b is not None:
        parts.append(f"vs baseline: {b.new:,} new, {b.fixed:,} fixed, {b.unchanged:,} unchanged"
                     + (f", {b.gone:,} on pages no longer audited" if b.gone else ""))
    rate = tally.pages / seconds if seconds > 0 else 0.0
    parts.append(f"{seconds:.1f} s ({rate:,.0f} pages/s)")
    wrote = ["findings.parquet", "pages.parquet"] + (["report.html"] if report else [])
    return "; ".join(parts) + f"\nwrote {', '.join(str(out / w) for w in wrote)}"


__all__ = ["Audit", "InputError", "run_audit"]
