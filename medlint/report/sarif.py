"""SARIF 2.1.0, for code-scanning dashboards (GitHub code scanning, IDE SARIF viewers).

One run. ``tool.driver.rules`` holds every rule that ran as a reportingDescriptor (so a
dashboard can show a rule's rationale and source even for rules with no result); each
result points at its rule by ``ruleId`` and ``ruleIndex``. Choices, and why:

* Columns and ``charOffset``/``charLength`` count Unicode code points, as medlint does
  everywhere; ``run.columnKind`` says so (SARIF's default would be UTF-16 code units).
  ``endColumn`` is exclusive in both medlint and SARIF, so positions are copied unchanged.
* Paths become relative URIs against ``%SRCROOT%`` (the working directory, which in CI is
  the repository root); files outside it get absolute ``file://`` URIs.
* ``fixes`` are emitted only for *replacements* (substitution rules). Other suggestions are
  sentences to add somewhere in the paragraph; a fix that replaced the match with them would
  delete the writer's words when a tool applies it. They are kept in the result's
  ``properties.suggestion`` instead.
* ``partialFingerprints`` hash the rule, the matched words and their sentence (not the line
  number), so an alert keeps its identity when lines above it are added or removed.
* Files that could not be read become ``toolExecutionNotifications`` and make
  ``executionSuccessful`` false: the dashboard must not show "no problems" for them.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..finding import Finding
from . import Report, replacement, rules_by_id

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
#: where users read about medlint; set once the project has a public home page
INFORMATION_URI = "https://github.com/medlint/medlint"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SRCROOT = "%SRCROOT%"


def render(report: Report) -> str:
    return json.dumps(sarif_log(report, Path.cwd()), indent=2, ensure_ascii=False) + "\n"


def sarif_log(report: Report, root: Path) -> dict[str, Any]:
    """The SARIF log as a dict (``root`` is what relative URIs are relative to)."""
    rules = rules_by_id(report)
    descriptors = [descriptor(rule) for rule in report.rules]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    for f in report.findings:  # a rule from a per-folder config that the first config lacked
        if f.rule not in index:
            index[f.rule] = len(descriptors)
            descriptors.append({"id": f.rule, "defaultConfiguration": {"level": LEVELS[f.severity.value]},
                                "properties": {"category": f.category}})
    seen: dict[tuple[str, str], int] = {}
    results = [result(f, index[f.rule], replacement(f, rules), root, seen) for f in report.findings]
    invocation: dict[str, Any] = {"executionSuccessful": not report.errors}
    notifications = [notification(e.message, e.path, root) for e in report.errors]
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    driver: dict[str, Any] = {
        "name": "medlint",
        "informationUri": INFORMATION_URI,
        "rules": descriptors,
    }
    if report.tool_version:
        driver["version"] = report.tool_version
        driver["semanticVersion"] = report.tool_version
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "invocations": [invocation],
            "originalUriBaseIds": {SRCROOT: {"uri": root.resolve().as_uri().rstrip("/") + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def descriptor(rule: Any) -> dict[str, Any]:
    """A rule as a SARIF reportingDescriptor: summary, full message, rationale and source."""
    level = LEVELS[rule.severity.value]
    help_text = f"{rule.why}\n\nSource: {rule.source}"
    help_md = f"{rule.why}\n\n**Source:** {rule.source}"
    if getattr(rule, "suggestion", None):
        help_text += f"\n\nSuggested text: {rule.suggestion}"
        help_md += f"\n\n**Suggested text:** {rule.suggestion}"
    return {
        "id": rule.id,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": " ".join(rule.message.replace("{match}", "…").split())},
        "help": {"text": help_text, "markdown": help_md},
        "defaultConfiguration": {"level": level},
        "properties": {"category": rule.category, "pack": rule.pack, "kind": getattr(rule, "kind", None),
                       "tags": [rule.category, rule.pack]},
    }


def region(f: Finding) -> dict[str, Any]:
    return {"startLine": f.line, "startColumn": f.column, "endLine": f.end_line,
            "endColumn": f.end_column, "charOffset": f.start, "charLength": f.end - f.start}


def result(f: Finding, rule_index: int, swap: str | None, root: Path,
           seen: dict[tuple[str, str], int]) -> dict[str, Any]:
    where = artifact_location(f.path or "-", root)
    data: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[f.severity.value],
        "message": {"text": f.message},
        "locations": [{"physicalLocation": {"artifactLocation": where, "region": region(f)}}],
        "partialFingerprints": {"medlintContentHash/v1": fingerprint(f, seen)},
        "properties": {"category": f.category, "severity": f.severity.value},
    }
    if swap is not None:
        data["fixes"] = [{
            "description": {"text": f'Replace "{f.match}" with "{swap}"'},
            "artifactChanges": [{
                "artifactLocation": where,
                "replacements": [{"deletedRegion": region(f), "insertedContent": {"text": swap}}],
            }],
        }]
    elif f.suggestion:
        data["properties"]["suggestion"] = f.suggestion
    return data


def fingerprint(f: Finding, seen: dict[tuple[str, str], int]) -> str:
    """Rule + matched words + sentence; ``:n`` tells apart repeats of one sentence in a file."""
    key = "\0".join((f.rule, " ".join(f.match.split()).lower(), " ".join(f.context.split()).lower()))
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    n = seen[(f.path or "", digest)] = seen.get((f.path or "", digest), 0) + 1
    return f"{digest}:{n}"


def artifact_location(path: str, root: Path) -> dict[str, Any]:
    """A relative URI under %SRCROOT% when ``path`` lies under ``root``, else a file URI.

    Relative paths are taken as relative to ``root`` (the working directory); ``..`` is
    folded first, so ``../other/x.md`` becomes a file URI rather than a relative URI that
    points outside the repository.
    """
    if path == "-":
        return {"uri": "-"}
    base = root.resolve()
    given = Path(path)
    full = Path(os.path.normpath(given if given.is_absolute() else base / given))
    for candidate in (full, full.resolve()):
        try:
            relative = candidate.relative_to(base)
        except ValueError:
            continue
        return {"uri": quote(relative.as_posix(), safe="/"), "uriBaseId": SRCROOT}
    return {"uri": full.as_uri()}


def notification(message: str, path: str, root: Path) -> dict[str, Any]:
    return {"level": "error", "message": {"text": message},
            "locations": [{"physicalLocation": {"artifactLocation": artifact_location(path, root)}}]}
