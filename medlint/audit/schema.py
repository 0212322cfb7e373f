"""The two tables an audit writes, with their Arrow types spelled out.

Types are explicit (never inferred from the first batch) so that ``findings.parquet`` and
``pages.parquet`` load with the same columns and types in pandas, DuckDB, Polars or Spark
whatever the pages held, and so that an audit of 300 pages and one of 3 million are
interchangeable as baselines. Only plain types are used (string, int32/int64, bool, list of
string): Spark reads them without options, and dictionary or large types are avoided.
"""
from __future__ import annotations

from typing import Any

import pyarrow as pa

from ..finding import CATEGORIES

SEVERITIES = ("error", "warning", "info")

#: One row per finding. ``page_index`` is the page's position in the input (0-based, over
#: all files), the key that ties a finding to its row in pages.parquet and gives the
#: tables their order. ``field`` is "title" or "body"; positions (1-based line/column,
#: 0-based code-point ``start``/``end``) are within that field, so
#: ``field_text[start:end] == match``. ``scope`` is "document" for a finding about the page as
#: a whole (no disclaimer anywhere), whose position only anchors it, else "text".
FINDINGS_SCHEMA = pa.schema([
    pa.field("page_index", pa.int64(), nullable=False),
    pa.field("page", pa.string(), nullable=False),
    pa.field("field", pa.string(), nullable=False),
    pa.field("rule", pa.string(), nullable=False),
    pa.field("category", pa.string(), nullable=False),
    pa.field("severity", pa.string(), nullable=False),
    pa.field("scope", pa.string(), nullable=False),
    pa.field("line", pa.int32(), nullable=False),
    pa.field("column", pa.int32(), nullable=False),
    pa.field("end_line", pa.int32(), nullable=False),
    pa.field("end_column", pa.int32(), nullable=False),
    pa.field("start", pa.int64(), nullable=False),
    pa.field("end", pa.int64(), nullable=False),
    pa.field("match", pa.string(), nullable=False),
    pa.field("message", pa.string(), nullable=False),
    pa.field("suggestion", pa.string(), nullable=True),
])

#: One row per page (also one per input that could not be split into pages, such as a
#: corrupt Parquet file inside a folder, so that nothing read is silently dropped).
#: ``verdict``: clean (no findings), warnings (no errors), errors (at least one error
#: finding: not fit to publish), incomplete (a rule was skipped, e.g. out of time, and
#: no error was found by the rest), unreadable (``read_error`` says why; nothing was linted).
#: ``publish`` is true for clean and warnings, as in the CMS pre-publish hook.
PAGES_SCHEMA = pa.schema([
    pa.field("page_index", pa.int64(), nullable=False),
    pa.field("page", pa.string(), nullable=False),
    pa.field("source", pa.string(), nullable=False),
    pa.field("section", pa.string(), nullable=False),
    pa.field("format", pa.string(), nullable=True),
    pa.field("title_chars", pa.int64(), nullable=False),
    pa.field("body_chars", pa.int64(), nullable=False),
    pa.field("findings", pa.int32(), nullable=False),
    *(pa.field(s, pa.int32(), nullable=False) for s in SEVERITIES),
    *(pa.field(c, pa.int32(), nullable=False) for c in CATEGORIES),
    pa.field("publish", pa.bool_(), nullable=False),
    pa.field("verdict", pa.string(), nullable=False),
    pa.field("read_error", pa.string(), nullable=True),
    pa.field("problems", pa.list_(pa.string()), nullable=False),
])

#: Pages as the engines pass them between the reader and ``lint_batch``: one page a row,
#: already told apart from what could not be read (``read_error``). ``lint_batch`` also takes
#: any table with ``url`` or ``id`` and ``body`` columns (a Spark or pandas frame).
INPUT_SCHEMA = pa.schema([
    pa.field("page_index", pa.int64(), nullable=False),
    pa.field("page", pa.string(), nullable=False),
    pa.field("source", pa.string(), nullable=False),
    pa.field("title", pa.string(), nullable=True),
    pa.field("body", pa.string(), nullable=True),
    pa.field("format", pa.string(), nullable=True),
    pa.field("read_error", pa.string(), nullable=True),
    pa.field("problems", pa.list_(pa.string()), nullable=True),
])

VERDICTS = ("clean", "warnings", "incomplete", "errors", "unreadable")

_DDL = {pa.int64(): "bigint", pa.int32(): "int", pa.string(): "string", pa.bool_(): "boolean",
        pa.list_(pa.string()): "array<string>"}


def ddl(schema: pa.Schema) -> str:
    """The schema as a Spark DDL string, for ``mapInPandas(..., schema=...)``."""
    return ", ".join(f"`{f.name}` {_DDL[f.type]}" for f in schema)


def empty(schema: pa.Schema) -> pa.RecordBatch:
    return pa.RecordBatch.from_pylist([], schema=schema)


def batch(rows: dict[str, list[Any]], schema: pa.Schema) -> pa.RecordBatch:
    """Columns (name -> values) as a batch of exactly ``schema``."""
    return pa.RecordBatch.from_arrays([pa.array(rows[f.name], type=f.type) for f in schema], schema=schema)


FINDINGS_DDL = ddl(FINDINGS_SCHEMA)
PAGES_DDL = ddl(PAGES_SCHEMA)
