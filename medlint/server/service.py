"""What the server's requests mean, without HTTP: settings in, findings and verdict out.

One :class:`Service` per process holds the base settings (a ``.medlint.yaml`` or
``--config`` file, as ``medlint check`` finds it) and a small LRU of Linters, one per
distinct per-request selection (``select``/``ignore``/``extend_select``). Building a Linter
from the shared compiled rule set takes a few milliseconds (selection only; the rule set
itself is compiled once per process by ``linter.cached_ruleset``), so a CMS that sends the
same settings on every call never pays it twice, and a client sending many different
settings cannot grow memory without bound.

Errors a caller made raise :class:`RequestError` with the HTTP status the app should answer
(400 malformed, 422 well-formed but naming an unknown rule, format or severity).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

import regex

from .. import __version__
from ..config import Config
from ..errors import MedlintError
from ..finding import Finding, Severity
from ..report.html import summarize
from ..textpos import CodeUnits

FORMATS = ("markdown", "html", "text")
SEVERITIES = ("info", "warning", "error")
MAX_FIELDS = 64
_SURROGATE = regex.compile(r"[\ud800-\udfff]")


class RequestError(Exception):
    """A caller's mistake: answered with ``status`` and ``message``, never a 500."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def clean_text(text: str) -> str:
    """``text`` with lone surrogates (which JSON may carry as ``\\ud800`` escapes but UTF-8
    cannot encode) replaced by U+FFFD: one code point and one UTF-16 unit each, so no offset
    moves, and the answer can always be encoded."""
    return _SURROGATE.sub("\ufffd", text)


def _names(value: Any, key: str) -> tuple[str, ...]:
    """A list of strings or one comma-separated string (as the CLI flags take them)."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise RequestError(400, f"{key!r} must be a list of rule ids, prefixes or categories "
                                f"(or one comma-separated string)")
    return tuple(v.strip() for v in value if v.strip())


def _digest(paths: Sequence[str | Path]) -> str:
    from hashlib import blake2b

    h = blake2b(digest_size=8)
    for p in sorted({str(p) for p in paths}):
        h.update(Path(p).name.encode() + b"\0")
        try:
            h.update(Path(p).read_bytes())
        except OSError:
            h.update(b"<unreadable>")
        h.update(b"\0")
    return h.hexdigest()


def versions(ruleset: Any) -> dict[str, Any]:
    """medlint's version, and what a page was checked against, for a CMS to store.

    ``rules.hash`` is a BLAKE2 hash of the bytes of every rule file the rule set was built
    from plus the shared word lists (``lexicon.yaml``): any change to a rule gives a new
    hash. ``facts.hash`` is the same over ``facts.yaml``, and ``facts.latest`` the date of
    the newest dated fact in it (when the table was last brought up to date).
    """
    from ..ruleset import bundled_rules_dir

    files: list[str | Path] = [r.file for r in ruleset.rules]
    lexicon = bundled_rules_dir() / "lexicon.yaml"
    if lexicon.exists():
        files.append(lexicon)
    out: dict[str, Any] = {"medlint": __version__,
                           "rules": {"hash": _digest(files), "count": len(ruleset.rules)}}
    facts = ruleset.facts
    if facts is not None:
        dates = sorted(str(fact.get("date")) for s in facts.substances for fact in s.facts
                       if fact.get("date") is not None)
        out["facts"] = {"hash": _digest([facts.source]), "latest": dates[-1] if dates else None,
                        "substances": len(facts.substances)}
    else:
        out["facts"] = None
    return out


@dataclass(frozen=True)
class Draft:
    """One text to check: the whole draft, or one field of a page."""

    text: str
    format: str
    field: str | None = None


@dataclass(frozen=True)
class CheckRequest:
    """A validated ``POST /v1/check`` body."""

    drafts: tuple[Draft, ...]
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    min_severity: Severity = Severity.INFO
    path: str | None = None
    html: bool = False


_V1_KEYS = ("text", "format", "fields", "select", "ignore", "extend_select", "min_severity", "path", "html")


def _format(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise RequestError(400, f"{where}: 'format' must be a string: one of {', '.join(FORMATS)}")
    if value not in FORMATS:
        raise RequestError(422, f"{where}: unknown format {value!r}; choose from {', '.join(FORMATS)}")
    return value


def parse_check(data: Any) -> CheckRequest:
    """Validate a ``/v1/check`` JSON body (strictly: an unknown key is a typo to report)."""
    if not isinstance(data, dict):
        raise RequestError(400, "the body must be a JSON object with 'text' or 'fields'")
    unknown = sorted(set(data) - set(_V1_KEYS))
    if unknown:
        raise RequestError(400, f"unknown key {unknown[0]!r} (allowed: {', '.join(_V1_KEYS)})")
    default_format = _format(data.get("format", "markdown"), "request")
    if ("text" in data) == ("fields" in data):
        raise RequestError(400, "give exactly one of 'text' (a draft) or 'fields' (a page's fields)")
    drafts: list[Draft] = []
    if "text" in data:
        if not isinstance(data["text"], str):
            raise RequestError(400, "'text' must be a string")
        drafts.append(Draft(clean_text(data["text"]), default_format))
    else:
        fields = data["fields"]
        if isinstance(fields, dict):
            fields = [dict(value, name=name) if isinstance(value, dict) else {"name": name, "text": value}
                      for name, value in fields.items()]
        if not isinstance(fields, list) or not fields:
            raise RequestError(400, "'fields' must be a non-empty list of {name, text, format} objects "
                                    "(or an object mapping field names to them)")
        if len(fields) > MAX_FIELDS:
            raise RequestError(400, f"too many fields ({len(fields)}; at most {MAX_FIELDS})")
        seen: set[str] = set()
        for i, item in enumerate(fields):
            where = f"fields[{i}]"
            if not isinstance(item, dict):
                raise RequestError(400, f"{where} must be an object with 'name', 'text' and optional 'format'")
            extra = sorted(set(item) - {"name", "text", "format"})
            if extra:
                raise RequestError(400, f"{where}: unknown key {extra[0]!r} (allowed: name, text, format)")
            name, text = item.get("name"), item.get("text")
            if not isinstance(name, str) or not name:
                raise RequestError(400, f"{where}: 'name' must be a non-empty string")
            if name in seen:
                raise RequestError(400, f"{where}: field name {name!r} is given twice")
            seen.add(name)
            if not isinstance(text, str):
                raise RequestError(400, f"{where} ({name}): 'text' must be a string")
            fmt = _format(item["format"], f"{where} ({name})") if "format" in item else default_format
            drafts.append(Draft(clean_text(text), fmt, name))
    level = data.get("min_severity", "info")
    if not isinstance(level, str) or level not in SEVERITIES:
        raise RequestError(422, f"unknown min_severity {level!r}; choose from {', '.join(SEVERITIES)}")
    path = data.get("path")
    if path is not None and not isinstance(path, str):
        raise RequestError(400, "'path' must be a string (the page's path, for per_path settings)")
    html = data.get("html", False)
    if not isinstance(html, bool):
        raise RequestError(400, "'html' must be true or false")
    return CheckRequest(tuple(drafts), _names(data.get("select"), "select"), _names(data.get("ignore"), "ignore"),
                        _names(data.get("extend_select"), "extend_select"), Severity(level),
                        clean_text(path) if path else None, html)


@dataclass
class Checked:
    """One draft's result: findings at or above the floor, and what did not stop the run."""

    draft: Draft
    findings: list[Finding]
    problems: list[str] = field(default_factory=list)


class Service:
    """The base settings, a bounded cache of Linters, and the versions they report."""

    def __init__(self, config: Config | Mapping[str, Any] | str | Path | None = None,
                 cache_size: int = 32) -> None:
        from ..linter import Linter

        self.base = Config.coerce(config)
        self.cache_size = max(1, cache_size)
        self._linters: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._lock = threading.Lock()
        self.default = Linter(self.base)  # built now: the first request must not pay for it
        self._linters[((), (), ())] = self.default
        self.versions = versions(self.default.ruleset)

    def linter(self, select: Sequence[str] = (), ignore: Sequence[str] = (),
               extend_select: Sequence[str] = ()) -> Any:
        """The Linter for these per-request settings (layered on the base config as CLI
        flags are), from the LRU cache; unknown names raise a 422 :class:`RequestError`."""
        from ..linter import Linter

        key = (tuple(select), tuple(ignore), tuple(extend_select))
        with self._lock:
            linter = self._linters.get(key)
            if linter is not None:
                self._linters.move_to_end(key)
                return linter
        try:
            config = self.base.merged(select=key[0] or None, ignore=key[1] or None,
                                      extend_select=key[2] or None)
            linter = Linter(config, ruleset=self.default.ruleset)
        except MedlintError as err:
            raise RequestError(422, _plain(str(err))) from None
        with self._lock:
            self._linters[key] = linter
            self._linters.move_to_end(key)
            while len(self._linters) > self.cache_size:
                self._linters.popitem(last=False)
        return linter

    @property
    def rules(self) -> dict[str, Any]:
        return self.default.ruleset.by_id()

    def run(self, request: CheckRequest) -> list[Checked]:
        """Lint every draft of a request (CPU work: call it off the event loop)."""
        linter = self.linter(request.select, request.ignore, request.extend_select)
        out = []
        for draft in request.drafts:
            result = linter.check(draft.text, draft.format, request.path)
            kept = [f for f in result.findings if f.severity >= request.min_severity]
            out.append(Checked(draft, kept, list(result.problems)))
        return out

    def answer(self, request: CheckRequest, checked: list[Checked]) -> dict[str, Any]:
        """The ``/v1/check`` response body."""
        findings: list[dict[str, Any]] = []
        every: list[Finding] = []
        for item in checked:
            units = CodeUnits(item.draft.text)
            for f in item.findings:
                data = f.to_dict()
                data["field"] = item.draft.field
                data["utf16_start"] = units.to_units(f.start)
                data["utf16_end"] = units.to_units(f.end)
                findings.append(data)
            every.extend(item.findings)
        summary = summarize(every)
        publish = summary.pop("publish")
        body: dict[str, Any] = {
            "publish": publish,
            "summary": summary,
            "findings": findings,
            "problems": [p for item in checked for p in item.problems],
            "versions": self.versions,
        }
        if request.html:
            from ..report.html import drafts_fragment

            title = "Draft" if len(checked) == 1 and checked[0].draft.field is None else None
            body["html"] = drafts_fragment(
                [(title or f"Field: {c.draft.field}", c.draft.text, c.findings) for c in checked], self.rules)
        return body


def _plain(message: str) -> str:
    """Config errors name their origin (``command line (--select)``); for a request the key
    the message already names is enough."""
    return regex.sub(r"^(?:command line \(--[a-z-]+\)|<config>|<defaults>): ", "", message)
