"""Where the batch function runs: a local process pool, or a Dask cluster.

Both engines take the batches in input order and hand back ``lint_pages`` results in the
SAME order, with only a few batches in flight at a time, so memory stays flat however
large the input is and the tables written are identical whichever engine ran. Neither
knows anything about linting: they map :func:`medlint.audit.batch.lint_pages`.
"""
from __future__ import annotations

import collections
import os
from typing import Any, Callable, Iterable, Iterator

Result = Any  # (findings RecordBatch, pages RecordBatch)


def _ordered(submit: Callable[[Any], Any], result: Callable[[Any], Result], items: Iterable[Any],
             window: int) -> Iterator[Result]:
    """Submit up to ``window`` items ahead; yield their results in submission order."""
    pending: collections.deque[Any] = collections.deque()
    for item in items:
        pending.append(submit(item))
        if len(pending) >= window:
            yield result(pending.popleft())
    while pending:
        yield result(pending.popleft())


def _init(config: Any) -> None:
    """Build the worker's Linter before its first batch (inherited when the pool forks)."""
    from .batch import linter_for

    linter_for(config)


def _lint(batch: Any, config: Any) -> Result:
    from .batch import lint_pages

    return lint_pages(batch, config)


def run_local(batches: Iterable[Any], config: Any, jobs: int) -> Iterator[Result]:
    """``jobs`` 1: in this process. More: a pool of ``jobs`` processes (fork where the
    system has it, so workers start with the Linter the parent already built)."""
    if jobs <= 1:
        for b in batches:
            yield _lint(b, config)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init, initargs=(config,)) as pool:
        yield from _ordered(lambda b: pool.submit(_lint, b, config), lambda fut: fut.result(),
                            batches, window=jobs * 3)


def run_dask(batches: Iterable[Any], config: Any, scheduler: str | None, jobs: int,
             processes: bool = True) -> Iterator[Result]:
    """Map the batch function over the batches on a dask.distributed cluster.

    ``scheduler``: a running scheduler's address (``tcp://host:8786``); None starts a
    LocalCluster of ``jobs`` single-threaded workers here and closes it at the end.
    Workers need ``medlint[audit]`` installed (and the same rule folders, if any)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - the extra is missing
        raise RuntimeError("the dask engine needs dask.distributed: pip install 'medlint[audit]'") from None
    import logging

    cluster = None
    if scheduler is None:
        logging.getLogger("distributed").setLevel(logging.ERROR)
        cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=processes,
                               dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})) or jobs)
        yield from _ordered(lambda b: client.submit(_lint, b, config, pure=False),
                            lambda fut: fut.result(), batches, window=workers * 3)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)
