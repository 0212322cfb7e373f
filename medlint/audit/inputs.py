"""Reading an audit's input into batches of pages: a folder of drafts, JSONL, or Parquet.

Every page gets its ``page_index`` (its position over the whole input) here, once, in the
process that reads: whichever engine lints the batches, the output is put back in this
order, so the local pool and a Dask cluster write identical tables.

What cannot be read is kept, not dropped: a JSONL line that is not JSON, a file that is not
UTF-8, a Parquet row group that does not decode, a Parquet file in a folder that is not
Parquet at all -- each becomes a page row whose ``read_error`` names the file, the line or
row and the cause. Only input that cannot be read at all (no such path, one corrupt Parquet
file) raises :class:`InputError`, which the command turns into exit code 2.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import pyarrow as pa

from .schema import INPUT_SCHEMA

DEFAULT_BATCH = 200
_JSONL = (".jsonl", ".ndjson")
_NAMES = ("page_index", "page", "source", "title", "body", "format", "read_error", "problems")


class InputError(Exception):
    """The input cannot be read at all; the message names it and the cause."""


@dataclass
class Pages:
    """An input, opened: its kind, the pages it announces (None: unknown) and its batches."""

    path: Path
    kind: str  # "drafts", "jsonl", "parquet"
    total: int | None
    files: list[Path] = field(default_factory=list)

    def batches(self, size: int = DEFAULT_BATCH) -> Iterator[pa.RecordBatch]:
        rows = _Rows(size)
        reader = {"drafts": _drafts, "jsonl": _jsonl, "parquet": _parquet}[self.kind]
        for _ in reader(self, rows):
            if rows.full():
                yield rows.flush()
        if rows.count:
            yield rows.flush()


class _Rows:
    """Pages collected column by column until a batch is full."""

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self.next_index = 0
        self.count = 0
        self.cols: dict[str, list[Any]] = {n: [] for n in _NAMES}

    def add(self, page: str, source: str, title: Any = None, body: Any = None, fmt: Any = None,
            error: str | None = None, problems: list[str] | None = None) -> None:
        values = (self.next_index, page, source, title, body, fmt, error, problems or [])
        for name, value in zip(_NAMES, values):
            self.cols[name].append(value)
        self.next_index += 1
        self.count += 1

    def full(self) -> bool:
        return self.count >= self.size

    def flush(self) -> pa.RecordBatch:
        out = pa.RecordBatch.from_arrays([pa.array(self.cols[f.name], type=f.type) for f in INPUT_SCHEMA],
                                         schema=INPUT_SCHEMA)
        self.cols = {n: [] for n in _NAMES}
        self.count = 0
        return out


def open_input(path: str | Path) -> Pages:
    """Decide what ``path`` is and count its pages where that is cheap."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file or directory")
    if p.is_dir():
        parquet = sorted(q for q in p.rglob("*.parquet") if not _hidden(q, p))
        if parquet:
            return Pages(p, "parquet", _parquet_total(parquet), parquet)
        jsonl = sorted(q for ext in _JSONL for q in p.rglob(f"*{ext}") if not _hidden(q, p))
        if jsonl:
            counts = [_count_lines(q) for q in jsonl]
            total = None if None in counts else sum(c or 0 for c in counts)
            return Pages(p, "jsonl", total, jsonl)
        from ..files import iter_paths

        files = [(shown, q, err) for shown, q, err in iter_paths([str(p)])]
        if not files:
            raise InputError(f"{p}: no .parquet, .jsonl or draft (.md, .markdown, .txt, .html, .htm) "
                             f"files in this folder")
        return Pages(p, "drafts", len(files), [q for _, q, _ in files if q is not None])
    suffix = p.suffix.lower()
    if suffix in _JSONL + (".json",):
        return Pages(p, "jsonl", _count_lines(p), [p])
    if suffix in (".parquet", ".parq", ".pq"):
        # a single Parquet file that does not open is input that cannot be read at all
        import pyarrow.parquet as pq

        try:
            meta = pq.ParquetFile(p).metadata
        except Exception as err:
            raise InputError(f"{p}: not a readable Parquet file: {err}") from None
        return Pages(p, "parquet", meta.num_rows, [p])
    raise InputError(f"{p}: unknown input; give a folder of drafts, a .jsonl file, or a "
                     f".parquet file or folder")


def _hidden(q: Path, root: Path) -> bool:
    return any(part.startswith((".", "_")) for part in q.relative_to(root).parts)


def _count_lines(p: Path) -> int | None:
    try:
        with open(p, "rb") as fh:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    except OSError:
        return None


def _parquet_total(files: list[Path]) -> int | None:
    import pyarrow.parquet as pq

    total = 0
    for f in files:
        try:
            total += pq.ParquetFile(f).metadata.num_rows
        except Exception:
            total += 1  # it will be one row: the file's error
    return total


# -- the readers: each adds rows and yields after each one so batches fill as they go -----------
def _drafts(pages: Pages, rows: _Rows) -> Iterator[None]:
    from ..files import ReadError, SkipFile, iter_paths, read_source

    root = pages.path
    for shown, path, problem in iter_paths([str(root)]):
        if isinstance(problem, SkipFile) and path is not None and path.is_dir():
            continue  # a folder reached twice through a link: its files are read once
        page = path.relative_to(root).as_posix() if path is not None else shown
        from ..document import format_for_path

        fmt = format_for_path(page)
        if problem is not None:
            rows.add(page, shown, fmt=fmt, error=str(problem))
        else:
            try:
                source = read_source(path)  # type: ignore[arg-type]
            except (ReadError, SkipFile) as err:
                rows.add(page, shown, fmt=fmt, error=str(err))
            else:
                rows.add(page, shown, body=source.text, fmt=fmt)
        yield None


def _jsonl(pages: Pages, rows: _Rows) -> Iterator[None]:
    for p in pages.files:
        try:
            fh = open(p, "rb")
        except OSError as err:
            if len(pages.files) == 1:
                raise InputError(f"{p}: cannot read: {err.strerror or err}") from None
            rows.add(str(p), str(p), error=f"{p}: cannot read: {err.strerror or err}")
            yield None
            continue
        yield from _jsonl_lines(p, fh, rows)


def _jsonl_lines(p: Path, fh: Any, rows: _Rows) -> Iterator[None]:
    with fh:
        for number, raw in enumerate(fh, 1):
            where = f"{p}:{number}"
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as err:
                rows.add(where, where, error=f"{where}: not valid UTF-8 at byte {err.start} of the line "
                                             f"({err.reason})")
                yield None
                continue
            try:
                record = json.loads(line)
            except ValueError as err:
                rows.add(where, where, error=f"{where}: not valid JSON: {err}")
                yield None
                continue
            if not isinstance(record, dict):
                rows.add(where, where, error=f"{where}: a page must be a JSON object, not "
                                             f"{type(record).__name__}")
                yield None
                continue
            _record(rows, record, where)
            yield None


def _record(rows: _Rows, record: dict[str, Any], where: str) -> None:
    """One page from a mapping (a JSONL object): text fields checked, others refused by name."""
    problems: list[str] = []
    page = record.get("url", record.get("id"))
    if page is None or page == "":
        page = where
        problems.append(f"{where}: no url or id; the page is named by its line")
    elif not isinstance(page, str):
        page = json.dumps(page)
    values: dict[str, Any] = {}
    error = None
    for name in ("title", "body", "format"):
        value = record.get(name)
        if value is None or isinstance(value, str):
            values[name] = value
        elif name == "title":
            problems.append(f"{where}: title is {_json_type(value)}, not text; the title was not linted")
            values[name] = None
        else:
            error = error or f"{where}: {name} is {_json_type(value)}, not text"
    if error is None and "body" not in record:
        error = f"{where}: missing field 'body' (fields: {', '.join(sorted(record)) or 'none'})"
    elif error is None and values["body"] is None:
        error = f"{where}: body is null"
    rows.add(page, where, values.get("title"), values.get("body"), values.get("format"), error, problems)


def _json_type(value: Any) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", list: "a list",
            dict: "an object"}.get(type(value), type(value).__name__)


def _parquet(pages: Pages, rows: _Rows) -> Iterator[None]:
    import pyarrow.parquet as pq

    for f in pages.files:
        try:
            pf = pq.ParquetFile(f)
            names = pf.schema_arrow.names
        except Exception as err:
            rows.add(str(f), str(f), error=f"{f}: not a readable Parquet file: {err}")
            yield None
            continue
        id_col = next((c for c in ("url", "id") if c in names), None)
        wanted = [c for c in (id_col, "title", "body", "format") if c is not None and c in names]
        missing = None if "body" in names else (
            f"{f}: missing column 'body' (columns: {', '.join(names)})")
        row = 0
        for group in range(pf.num_row_groups):
            size = pf.metadata.row_group(group).num_rows
            try:
                table = pf.read_row_group(group, columns=wanted)
            except Exception as err:
                first, last = row, row + size - 1
                rows.add(f"{f}#rows{first}-{last}", f"{f} rows {first}-{last}",
                         error=f"{f}: row group {group} (rows {first}-{last}) cannot be read: {err}")
                row += size
                yield None
                continue
            cols = {c: _texts(table.column(c), c, f) for c in wanted}
            for i in range(table.num_rows):
                where = f"{f} row {row}"
                problems: list[str] = []
                page = cols[id_col][0][i] if id_col else None
                if page is None or page == "":
                    page = where
                    problems.append(f"{where}: no {'url or id column' if id_col is None else id_col}; "
                                    f"the page is named by its row")
                error = missing
                title = body = fmt = None
                if error is None:
                    body, why = cols["body"][0][i], cols["body"][1][i]
                    error = f"{where}: {why}" if why else (f"{where}: body is null" if body is None else None)
                if "title" in cols:
                    title, why = cols["title"][0][i], cols["title"][1][i]
                    if why:
                        problems.append(f"{where}: {why}; the title was not linted")
                if "format" in cols:
                    fmt, why = cols["format"][0][i], cols["format"][1][i]
                    if why and error is None:
                        error = f"{where}: {why}"
                rows.add(page, where, title, body, fmt, error, problems)
                row += 1
                yield None


def _texts(column: pa.ChunkedArray, name: str, f: Path) -> tuple[list[Any], list[str | None]]:
    """(values as str or None, why each value is not text or None) for one column.

    String columns pass as they are; binary ones are decoded value by value as medlint
    decodes files; other types (numbers, lists, structs) are refused, page by page."""
    t = column.type
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_null(t):
        return column.to_pylist(), [None] * len(column)
    if pa.types.is_dictionary(t) and (pa.types.is_string(t.value_type) or pa.types.is_large_string(t.value_type)):
        return column.to_pylist(), [None] * len(column)
    values = column.to_pylist()
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t):
        from .batch import as_text

        out: list[Any] = []
        why: list[str | None] = []
        for v in values:
            if v is None:
                out.append(None)
                why.append(None)
            else:
                text, reason = as_text(v, name)
                out.append(text)
                why.append(reason)
        return out, why
    if name == "url" or name == "id":  # a numeric id is still a name
        return [None if v is None else str(v) for v in values], [None] * len(values)
    return [None] * len(values), [None if v is None else f"{name} is {t}, not text" for v in values]
