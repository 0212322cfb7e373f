"""``medlint audit``: lint a whole site -- a folder of drafts, a JSONL or Parquet export of
a CMS or a crawl -- into two tables and a report, on this machine or a Dask cluster.

Needs the ``audit`` extra (``pip install 'medlint[audit]'``: pyarrow, pandas,
dask.distributed); ``pip install medlint`` and ``medlint check`` never import it.

The one function every engine maps is importable for engines of your own (Spark's
``mapInPandas``, ``dask.dataframe.map_partitions``)::

    from medlint.audit import lint_batch, FINDINGS_DDL
    findings = pages_df.mapInPandas(lambda it: (lint_batch(b) for b in it), schema=FINDINGS_DDL)

* ``lint_batch(batch, config=None, output="findings" | "pages")``: an Arrow RecordBatch or
  a pandas DataFrame of pages (``url`` or ``id``, ``body``, optional ``title``, ``format``)
  in; findings (FINDINGS_SCHEMA) or one row per page (PAGES_SCHEMA) out, in the same kind.
* ``lint_pages(batch, config=None)``: both tables at once, as Arrow batches.
* ``run_audit(input, out, engine=..., jobs=..., scheduler=..., baseline=...)``: what the
  command runs (docs/audit.md).
"""
from __future__ import annotations

from typing import Any

_EXPORTS = {
    "lint_batch": "batch", "lint_pages": "batch", "linter_for": "batch",
    "FINDINGS_SCHEMA": "schema", "PAGES_SCHEMA": "schema", "FINDINGS_DDL": "schema", "PAGES_DDL": "schema",
    "run_audit": "run", "Audit": "run", "InputError": "inputs", "open_input": "inputs",
}


def __getattr__(name: str) -> Any:
    # lazily, so that `import medlint.audit` names a missing pyarrow only when it is used
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'medlint.audit' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{module}", __name__), name)


__all__ = sorted(_EXPORTS)
