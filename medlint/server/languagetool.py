"""LanguageTool's ``/v2/check`` protocol, so LanguageTool clients can use medlint unchanged.

Request (query string or ``application/x-www-form-urlencoded`` body, as LanguageTool's own
server takes it): ``text`` or ``data`` (annotated text, below), ``language`` (``auto`` or an
English code: medlint's rules are English), ``enabledRules``, ``disabledRules``,
``enabledCategories``, ``disabledCategories``, ``enabledOnly``, ``apiKey``. Names a client
sends that medlint does not know (LanguageTool's own rule ids such as
``MORFOLOGIK_RULE_EN_US``, which LTeX sends in ``disabledRules``) are ignored, as
LanguageTool ignores ids it does not have. medlint extension: ``format`` (markdown, html or
text; default text, which is what a browser text field holds).

Response: ``software``, ``warnings``, ``language`` and ``matches``; each match has
``message``, ``shortMessage``, ``offset`` and ``length`` in UTF-16 code units (what Java and
JavaScript count), ``replacements`` (only a substitution rule's drop-in replacement; other
suggestions are sentences to add, which a client would paste over the writer's words),
``context`` (``text``, ``offset``, ``length``), ``sentence`` and ``rule`` (``id`` and
``category.id`` are medlint's rule id and category).

Annotated ``data``: ``{"annotation": [{"text": "A "}, {"markup": "<b>"}, {"text": "bold"},
{"markup": "</b>", "interpretAs": "\\n\\n"}]}``. As LanguageTool does, the text parts (with
each markup's ``interpretAs``, default nothing) are what is checked, and every offset is
mapped back into the full annotated string, markup included: the string a client gets by
joining every ``text`` and ``markup`` in order. A match that starts or ends inside an
``interpretAs`` stretches over that markup.
"""
from __future__ import annotations

import json
from array import array
from typing import Any, Mapping

from .. import __version__
from ..finding import Finding
from ..textpos import CodeUnits
from .service import FORMATS, RequestError, Service, clean_text

CONTEXT = 40  # code points of context on each side of a match, as LanguageTool shows
LANGUAGES = [
    {"name": "English", "code": "en", "longCode": "en"},
    {"name": "English (US)", "code": "en", "longCode": "en-US"},
    {"name": "English (GB)", "code": "en", "longCode": "en-GB"},
    {"name": "English (Australian)", "code": "en", "longCode": "en-AU"},
    {"name": "English (Canadian)", "code": "en", "longCode": "en-CA"},
    {"name": "English (New Zealand)", "code": "en", "longCode": "en-NZ"},
    {"name": "English (South African)", "code": "en", "longCode": "en-ZA"},
]
_BY_CODE = {lang["longCode"].lower(): lang for lang in LANGUAGES}
#: medlint category -> (name shown by clients, Localization Quality Issue Type that
#: LanguageTool's ``issueType`` takes; clients colour matches by it)
CATEGORY_INFO = {
    "claim": ("Health claims", "inconsistency"),
    "supervision": ("Medical supervision", "non-conformance"),
    "disclaimer": ("Disclaimer", "non-conformance"),
    "promotion": ("Promotion", "style"),
    "safety": ("Safety", "non-conformance"),
}


class Annotated:
    """Checked text built from annotation parts, and the way back to the caller's string."""

    def __init__(self, parts: list[dict[str, Any]]) -> None:
        plain: list[str] = []
        original: list[str] = []
        self.starts = array("q")  # plain index -> original index where that character starts
        self.ends = array("q", [0])  # plain index i+1 -> original index just after character i
        at = 0
        for part in parts:
            if "text" in part:
                piece = part["text"]
                plain.append(piece)
                original.append(piece)
                self.starts.extend(range(at, at + len(piece)))
                self.ends.extend(range(at + 1, at + len(piece) + 1))
                at += len(piece)
            else:
                markup, shown = part["markup"], part.get("interpretAs", "")
                plain.append(shown)
                original.append(markup)
                self.starts.extend([at] * len(shown))
                self.ends.extend([at + len(markup)] * len(shown))
                at += len(markup)
        self.text = "".join(plain)
        self.original = "".join(original)
        self.starts.append(at)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """A span of the checked text as a span of the caller's annotated string."""
        first = self.starts[start]
        return first, max(first, self.ends[end]) if end > start else first


def parse_annotation(raw: str) -> Annotated:
    try:
        data = json.loads(raw)
    except ValueError as err:
        raise RequestError(400, f"'data' is not valid JSON: {err}") from None
    parts = data.get("annotation") if isinstance(data, dict) else None
    if not isinstance(parts, list):
        raise RequestError(400, "'data' must be a JSON object with an 'annotation' list")
    cleaned = []
    for i, part in enumerate(parts):
        if not isinstance(part, dict) or ("text" in part) == ("markup" in part):
            raise RequestError(400, f"annotation[{i}] must have exactly one of 'text' or 'markup'")
        for key in ("text", "markup", "interpretAs"):
            if key in part and not isinstance(part[key], str):
                raise RequestError(400, f"annotation[{i}]: {key!r} must be a string")
        cleaned.append({k: clean_text(v) for k, v in part.items() if k in ("text", "markup", "interpretAs")})
    return Annotated(cleaned)


def _list(params: Mapping[str, str], key: str) -> list[str]:
    return [v.strip() for v in params.get(key, "").split(",") if v.strip()]


def language_of(code: str) -> dict[str, Any]:
    code = (code or "").strip()
    if not code:
        raise RequestError(400, "missing 'language' (use 'auto' or an English code such as 'en-US')")
    if code.lower() == "auto":
        return _BY_CODE["en-us"]
    found = _BY_CODE.get(code.lower())
    if found is None and code.lower().split("-")[0] == "en":
        found = {"name": "English", "code": "en", "longCode": code}
    if found is None:
        raise RequestError(400, f"language {code!r} is not supported: medlint's rules are English "
                                "(use 'auto', 'en', 'en-US', 'en-GB', ...)")
    return found


def selection(service: Service, params: Mapping[str, str]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] | None:
    """(select, ignore, extend_select) from LanguageTool's rule and category fields, or None
    when ``enabledOnly`` names nothing medlint has (then no rule runs)."""
    from ..config import valid_entry

    rules = service.rules
    ids, packs = set(rules), {r.pack for r in rules.values()}
    categories = {r.category for r in rules.values()}

    def known_rules(key: str) -> list[str]:
        return [e for e in _list(params, key) if valid_entry(e, ids, packs)]

    def known_categories(key: str) -> list[str]:
        return [c.lower() for c in _list(params, key) if c.lower() in categories]

    enabled = known_rules("enabledRules")
    if params.get("enabledOnly", "").lower() == "true":
        chosen = enabled + known_categories("enabledCategories")
        if not chosen:
            return None
        return tuple(chosen), tuple(known_rules("disabledRules")), ()
    ignore = known_rules("disabledRules") + known_categories("disabledCategories")
    return (), tuple(ignore), tuple(enabled)


def _context(original: str, start: int, end: int) -> tuple[str, int, int]:
    """LanguageTool's context: up to CONTEXT characters each side, ``...`` where cut, line
    ends shown as spaces; offset and length in UTF-16 units within the context text."""
    a, b = max(0, start - CONTEXT), min(len(original), end + CONTEXT)
    before = ("..." if a > 0 else "") + original[a:start]
    match = original[start:end]
    after = original[end:b] + ("..." if b < len(original) else "")
    text = (before + match + after).replace("\r", " ").replace("\n", " ")
    units = CodeUnits(text)
    first = units.to_units(len(before))
    return text, first, units.to_units(len(before) + len(match)) - first


def answer(service: Service, params: Mapping[str, str], base_url: str) -> dict[str, Any]:
    """The ``/v2/check`` response for the request's form fields (CPU work: run off the loop)."""
    language = language_of(params.get("language", ""))
    fmt = params.get("format", "text")
    if fmt not in FORMATS:
        raise RequestError(400, f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    if "data" in params and "text" in params:
        raise RequestError(400, "give 'text' or 'data', not both")
    if "data" in params:
        annotated: Annotated | None = parse_annotation(params["data"])
        text = annotated.text  # type: ignore[union-attr]
        original = annotated.original  # type: ignore[union-attr]
        fmt = "text"  # markup is already taken out by the annotation
    elif "text" in params:
        annotated = None
        text = original = clean_text(params["text"])
    else:
        raise RequestError(400, "missing 'text' or 'data'")
    chosen = selection(service, params)
    findings: list[Finding] = []
    problems: list[str] = []
    if chosen is not None:
        result = service.linter(*chosen).check(text, fmt, None)
        findings, problems = result.findings, list(result.problems)
    rules = service.rules
    units = CodeUnits(original)
    matches = []
    for f in findings:
        start, end = annotated.span(f.start, f.end) if annotated is not None else (f.start, f.end)
        offset, length = units.span(start, end)
        ctx_text, ctx_offset, ctx_length = _context(original, start, end)
        rule = rules.get(f.rule)
        name, issue = CATEGORY_INFO.get(f.category, (f.category, "uncategorized"))
        swap = f.suggestion if rule is not None and rule.kind == "substitution" else None
        matches.append({
            "message": f.message,
            "shortMessage": rule.summary if rule is not None and len(rule.summary) <= 80 else name,
            "replacements": [{"value": swap}] if swap is not None else [],
            "offset": offset,
            "length": length,
            "context": {"text": ctx_text, "offset": ctx_offset, "length": ctx_length},
            "sentence": f.context,
            "type": {"typeName": "Other"},
            "rule": {
                "id": f.rule,
                "description": rule.summary if rule is not None else f.rule,
                "issueType": issue,
                "category": {"id": f.category, "name": name},
                "urls": [{"value": f"{base_url.rstrip('/')}/v1/rules/{f.rule}"}],
            },
            "ignoreForIncompleteSentence": False,
            "contextForSureMatch": 0,
            "medlint": {"severity": f.severity.value, "suggestion": f.suggestion},
        })
    matches.sort(key=lambda m: (m["offset"], m["length"], m["rule"]["id"]))
    return {
        "software": {"name": "medlint", "version": __version__, "buildDate": "", "apiVersion": 1,
                     "premium": False, "status": ""},
        "warnings": {"incompleteResults": bool(problems)},
        "language": {"name": language["name"], "code": language["longCode"],
                     "detectedLanguage": {"name": language["name"], "code": language["longCode"],
                                          "confidence": 1.0}},
        "matches": matches,
        "medlint": {"versions": service.versions, "problems": problems},
    }
