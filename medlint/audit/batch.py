"""The batch function: a table of pages in, a table of findings (and one of pages) out.

``lint_batch`` is what every engine runs -- the local process pool, a Dask cluster, a Spark
``mapInPandas`` -- so an audit gives the same rows wherever it runs. It only uses the
public :class:`medlint.Linter`, built once per process (per configuration) and kept in a
module global: compiling the rule packs takes seconds, linting a page milliseconds.

A page's title is a field of its own, but it is linted in the same document as the body
(as the page's top heading, as the CMS pre-publish hook does) so that rules reading the
whole page -- a disclaimer anywhere, the risks named somewhere -- see both; each finding is
then mapped back to the field it was found in, with positions inside that field.

Nothing a page holds makes this raise: a body that is not text, an unknown format, a rule
out of time, even a bug in a rule, becomes a row in the pages table with its cause.
"""
from __future__ import annotations

import math
import threading
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

import pyarrow as pa

from ..finding import CATEGORIES
from .schema import FINDINGS_SCHEMA, PAGES_SCHEMA, SEVERITIES, batch as make_batch

_LINTERS: dict[str, Any] = {}
_LOCK = threading.Lock()


def linter_for(config: Any = None) -> Any:
    """The process's Linter for ``config`` (a Config, a mapping, a config file path or None).

    Built once per process and configuration; a Dask worker thread or a pool process
    reuses it for every batch. A fork()ed pool inherits the one the parent built."""
    key = repr(config)
    linter = _LINTERS.get(key)
    if linter is None:
        with _LOCK:
            linter = _LINTERS.get(key)
            if linter is None:
                from medlint import Linter

                linter = Linter(config)
                _LINTERS[key] = linter
    return linter


# -- reading one page's values --------------------------------------------------------------
def _missing(value: Any) -> bool:
    """None, NaN or pandas' NA: how a missing value reaches us from Arrow or pandas."""
    return (value is None or (isinstance(value, float) and math.isnan(value))
            or type(value).__name__ in ("NAType", "NaTType"))


def _type_name(value: Any) -> str:
    return type(value).__name__


def as_text(value: Any, what: str) -> tuple[str | None, str | None]:
    """(text, None) or (None, why not): strings pass, bytes are decoded as medlint decodes
    files (a byte-order mark decides, else strict UTF-8), anything else is refused."""
    if isinstance(value, str):
        return value, None
    if _missing(value):
        return None, f"{what} is missing (null)"
    if isinstance(value, (bytes, bytearray, memoryview)):
        from ..files import ReadError, SkipFile, decode

        try:
            return decode(bytes(value), what).text, None
        except (ReadError, SkipFile) as err:
            return None, str(err)
    return None, f"{what} is {_type_name(value)}, not text"


def section_of(page: str) -> str:
    """The first segment of a page's URL path ("/conditions/asthma" -> "conditions"), or "/"
    for a page at the top of the site."""
    parts = urlsplit(page)
    path = parts.path if (parts.scheme and parts.netloc) else page.split("?", 1)[0].split("#", 1)[0]
    segments = [s for s in path.replace("\\", "/").split("/") if s]
    return segments[0] if len(segments) > 1 else "/"


def format_of(page: str, given: Any) -> tuple[str | None, str | None]:
    """(format, None) or (None, why not). Unset: from the URL's or file's extension, else html
    (what a CMS export or a crawl holds)."""
    from ..document import format_for_path, normalize_format

    if _missing(given) or given == "":
        path = urlsplit(page).path if "://" in page else page
        return format_for_path(path, default="html"), None
    if not isinstance(given, str):
        return None, f"format is {_type_name(given)}, not text"
    try:
        return normalize_format(given.strip()), None
    except ValueError:
        return None, f"unknown format {given!r} (expected markdown, html or text)"


# -- the title as the page's heading ------------------------------------------------------------
_MD_ESCAPE = set("\\`*_[]<>&#|!~")
_HTML_ESCAPE = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def title_prefix(title: str, fmt: str) -> tuple[str, int, list[int], int]:
    """(prefix, where the title starts in it, owner of each title character, lines it takes).

    ``owner[i]`` is the index in ``title`` of the i-th character after the start: escapes
    (``&amp;``, ``\\*``) map back to the one character they stand for, so a finding in the
    title gets positions in the title as typed. Line breaks become spaces: a heading is one
    line, and the body then starts on a known line."""
    out: list[str] = []
    owner: list[int] = []
    for i, ch in enumerate(title):
        if ch in "\r\n":
            piece = " "
        elif fmt == "html":
            piece = _HTML_ESCAPE.get(ch, ch)
        elif fmt == "markdown" and ch in _MD_ESCAPE:
            piece = "\\" + ch
        else:
            piece = ch
        out.append(piece)
        owner.extend([i] * len(piece))
    escaped = "".join(out)
    if fmt == "html":
        return f"<h1>{escaped}</h1>\n", 4, owner, 1
    if fmt == "markdown":
        return f"# {escaped}\n\n", 2, owner, 2
    return f"{escaped}\n\n", 0, owner, 2


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (code points) of ``offset`` in ``text``; CRLF is one break."""
    line = 1
    line_start = 0
    i = 0
    while i < offset:
        ch = text[i]
        if ch == "\n" or (ch == "\r" and (i + 1 >= len(text) or text[i + 1] != "\n")):
            line += 1
            line_start = i + 1
        i += 1
    return line, offset - line_start + 1


# -- the batch ---------------------------------------------------------------------------------
def _columns(data: Any) -> dict[str, list[Any]]:
    """Column name -> Python values, for an Arrow batch/table or a pandas DataFrame."""
    if isinstance(data, (pa.RecordBatch, pa.Table)):
        return {name: data.column(name).to_pylist() for name in data.schema.names}
    if hasattr(data, "columns") and hasattr(data, "__getitem__"):  # pandas
        return {str(name): data[name].tolist() for name in data.columns}
    raise TypeError(f"lint_batch takes an Arrow RecordBatch/Table or a pandas DataFrame, "
                    f"not {type(data).__name__}")


def lint_pages(data: Any, config: Any = None, first_index: int = 0) -> tuple[pa.RecordBatch, pa.RecordBatch]:
    """(findings, pages) for a batch of pages, as Arrow batches of FINDINGS_SCHEMA and
    PAGES_SCHEMA. Rows without a ``page_index`` column are numbered from ``first_index``."""
    cols = _columns(data)
    n = len(next(iter(cols.values()))) if cols else 0
    linter = linter_for(config)
    f_rows: dict[str, list[Any]] = {f.name: [] for f in FINDINGS_SCHEMA}
    p_rows: dict[str, list[Any]] = {f.name: [] for f in PAGES_SCHEMA}
    missing_body = "body" not in cols
    id_column = next((c for c in ("url", "id", "page") if c in cols), None)
    for i in range(n):
        index = cols["page_index"][i] if "page_index" in cols else first_index + i
        given = cols["problems"][i] if "problems" in cols else None
        problems = [str(x) for x in given] if isinstance(given, (list, tuple)) or hasattr(given, "tolist") else []
        page = cols[id_column][i] if id_column else None
        if _missing(page) or page == "":
            page = f"row {index}"
            problems.append(f"no {'url or id' if id_column != 'page' else 'page'} for this row; "
                            f"named by its position")
        elif not isinstance(page, str):
            page = str(page)
        source = cols["source"][i] if "source" in cols and isinstance(cols["source"][i], str) else page
        error = cols["read_error"][i] if "read_error" in cols and isinstance(cols["read_error"][i], str) else None
        title, body, fmt = "", None, None
        if error is None and missing_body:
            error = f"{source}: missing column 'body' (columns: {', '.join(sorted(cols))})"
        if error is None:
            body, why = as_text(cols["body"][i], "body")
            error = f"{source}: {why}" if why else None
        if error is None:
            fmt, why = format_of(page, cols["format"][i] if "format" in cols else None)
            error = f"{source}: {why}" if why else None
        if error is None and "title" in cols:
            t, why = as_text(cols["title"][i], "title")
            if t is not None:
                title = t
            elif not _missing(cols["title"][i]):
                problems.append(f"{source}: {why}; the title was not linted")
        if fmt is None and "format" in cols and isinstance(cols["format"][i], str):
            fmt = cols["format"][i]  # as given, for an unreadable page
        counts: Counter[str] = Counter()
        if error is None:
            try:
                found = _lint_page(linter, page, title, body or "", fmt or "html", problems)
            except Exception as err:  # a bug must not stop an audit of a million pages
                error = f"{source}: internal error while linting: {type(err).__name__}: {err}"
                found = []
            for row in found:
                for name, value in zip(_FINDING_COLUMNS, (index, page, *row)):
                    f_rows[name].append(value)
                counts[row[2]] += 1  # category
                counts[row[3]] += 1  # severity
        verdict = _verdict(error, counts, problems)
        for name, value in (("page_index", index), ("page", page), ("source", source),
                            ("section", section_of(page)), ("format", fmt),
                            ("title_chars", len(title)), ("body_chars", len(body or "")),
                            ("findings", sum(counts[s] for s in SEVERITIES)),
                            *((s, counts[s]) for s in SEVERITIES), *((c, counts[c]) for c in CATEGORIES),
                            ("publish", verdict in ("clean", "warnings")), ("verdict", verdict),
                            ("read_error", error), ("problems", problems)):
            p_rows[name].append(value)
    return make_batch(f_rows, FINDINGS_SCHEMA), make_batch(p_rows, PAGES_SCHEMA)


_FINDING_COLUMNS = [f.name for f in FINDINGS_SCHEMA]


def _verdict(error: str | None, counts: Counter[str], problems: list[str]) -> str:
    if error is not None:
        return "unreadable"
    if counts["error"]:
        return "errors"
    if any("exceeded its time budget" in p or "internal error" in p for p in problems):
        return "incomplete"
    if counts["warning"] or counts["info"]:
        return "warnings"
    return "clean"


def _lint_page(linter: Any, page: str, title: str, body: str, fmt: str,
               problems: list[str]) -> list[tuple[Any, ...]]:
    """Finding rows (field, rule, category, severity, line, column, end_line, end_column,
    start, end, match, message, suggestion) for one page, title first, in position order."""
    if title.strip():
        prefix, at, owner, lines = title_prefix(title, fmt)
    else:
        prefix, at, owner, lines = "", 0, [], 0
    result = linter.check(prefix + body, fmt, page)
    problems.extend(result.problems)
    title_end = at + len(owner)
    scopes = _scopes(linter)
    rows = []
    for f in result.findings:
        if f.start < len(prefix):  # in the title (or the heading markup around it)
            s = min(max(f.start, at), title_end) - at
            e = min(max(f.end, at), title_end) - at
            start = owner[s] if s < len(owner) else len(title)
            end = owner[e - 1] + 1 if e > s else start
            (line, column), (end_line, end_column) = _position(title, start), _position(title, end)
            rows.append(("title", f.rule, f.category, f.severity.value, scopes.get(f.rule, "text"), line, column, end_line, end_column,
                         start, end, title[start:end], f.message, f.suggestion))
        else:
            rows.append(("body", f.rule, f.category, f.severity.value, scopes.get(f.rule, "text"), f.line - lines, f.column,
                         f.end_line - lines, f.end_column, f.start - len(prefix), f.end - len(prefix),
                         f.match, f.message, f.suggestion))
    return rows


_SCOPES: dict[int, dict[str, str]] = {}


def _scopes(linter: Any) -> dict[str, str]:
    """Rule id -> "document" or "text", from the Linter's selected rules (read once)."""
    scopes = _SCOPES.get(id(linter))
    if scopes is None:
        scopes = {r.id: "document" if r.kind == "document" else "text" for r in linter.rules}
        _SCOPES[id(linter)] = scopes
    return scopes


def lint_batch(data: Any, config: Any = None, output: str = "findings") -> Any:
    """Lint a batch of pages; the function every engine (and a Spark ``mapInPandas``) maps.

    ``data``: an Arrow RecordBatch/Table or a pandas DataFrame with ``url`` or ``id``, ``body``
    and optional ``title`` and ``format`` columns. Returns the findings (``output="findings"``,
    FINDINGS_SCHEMA) or the per-page summary (``output="pages"``, PAGES_SCHEMA), in the
    input's kind: an Arrow RecordBatch for Arrow input, a DataFrame for a DataFrame.
    ``config``: a :class:`medlint.Config`, a mapping of ``.medlint.yaml`` keys, a config file
    path, or None for the bundled packs.
    """
    if output not in ("findings", "pages"):
        raise ValueError(f"output must be 'findings' or 'pages', not {output!r}")
    findings, pages = lint_pages(data, config)
    out = findings if output == "findings" else pages
    if isinstance(data, (pa.RecordBatch, pa.Table)):
        return out
    return out.to_pandas()
